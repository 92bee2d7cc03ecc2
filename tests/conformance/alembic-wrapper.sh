#!/bin/sh
# Stand-in for the retort binary that runs the reference Alembic: with
# RETORT_BIN=tests/conformance/alembic-wrapper.sh every conformance comparison must pass
# (this proves the harness, including its batched reference runner).
exec /usr/bin/python3 -m alembic "$@"
