"""A minimal Alembic project around one corpus versions folder.

Layout (under the harness's work directory, never in the corpus):
  <work>/<project>/alembic-<dialect>.ini   one ini per dialect (only sqlalchemy.url differs)
  <work>/<project>/migrations/              `alembic init -t generic` (env.py with
                                             target_metadata = None), versions copied in
  <work>/<project>/stubs/                    stand-ins for the project's own modules
Both tools run in <work>/<project> with `-c alembic-<dialect>.ini`.
"""
import os
import re
import shutil
import subprocess

import analyse
import stubs

ALEMBIC = ["/usr/bin/python3", "-m", "alembic"]


def _set_option(ini, key, value):
    line = "%s = %s" % (key, value)
    for pat in (r"^%s\s*=.*$", r"^#\s*%s\s*=.*$"):  # the live option, else its comment
        pat = re.compile(pat % re.escape(key), re.M)
        if pat.search(ini):
            return pat.sub(lambda m: line, ini, count=1)
    return ini.replace("[alembic]\n", "[alembic]\n" + line + "\n", 1)


def build(src_versions, proj_dir, urls):
    """urls: dialect -> database URL. Returns the analysed scripts."""
    if os.path.exists(proj_dir):
        shutil.rmtree(proj_dir)
    os.makedirs(proj_dir)
    subprocess.run(ALEMBIC + ["init", "-t", "generic", "migrations"], cwd=proj_dir,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    versions = os.path.join(proj_dir, "migrations", "versions")
    shutil.rmtree(versions)
    shutil.copytree(src_versions, versions,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    scripts = analyse.analyse_versions(versions)
    modules = set()
    for s in scripts:
        modules |= s.project_modules
    stubs.write_stubs(os.path.join(proj_dir, "stubs"), modules)

    with open(os.path.join(proj_dir, "alembic.ini")) as f:
        ini = f.read()
    os.remove(os.path.join(proj_dir, "alembic.ini"))
    ini = _set_option(ini, "prepend_sys_path", "stubs")
    dirs = analyse.version_dirs(versions)
    if dirs != [versions]:
        # OpenStack keeps expand/contract branches in nested folders; Alembic 1.8 has no
        # recursive_version_locations, so each folder is listed.
        rel = [os.path.relpath(d, proj_dir) for d in dirs]
        if versions not in dirs:
            rel.insert(0, os.path.relpath(versions, proj_dir))
        ini = _set_option(ini, "version_path_separator", "os")
        ini = _set_option(ini, "version_locations", os.pathsep.join(
            "%(here)s/" + r for r in rel))
    for dialect, url in urls.items():
        with open(os.path.join(proj_dir, "alembic-%s.ini" % dialect), "w") as f:
            f.write(_set_option(ini, "sqlalchemy.url", url.replace("%", "%%")))
    return scripts


def set_url(proj_dir, dialect, url):
    path = os.path.join(proj_dir, "alembic-%s.ini" % dialect)
    with open(path) as f:
        ini = f.read()
    with open(path, "w") as f:
        f.write(_set_option(ini, "sqlalchemy.url", url.replace("%", "%%")))
