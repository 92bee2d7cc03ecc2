"""Side-by-side conformance harness: Retort vs Alembic 1.8.1.

Stdlib unittest (plus the reference install's SQLAlchemy to read version tables); run
with /usr/bin/python3, the Debian interpreter that has alembic.

Environment:
  RETORT_BIN             the binary under test (required; tests skip without it).
                         Point it at tests/conformance/alembic-wrapper.sh to prove the
                         harness itself: every comparison must then pass.
  RETORT_REFERENCE_PYTHON  interpreter for the reference (default /usr/bin/python3)
  RETORT_TEST_PG_URL     postgresql://...   enables the PostgreSQL online tests
  RETORT_TEST_MYSQL_URL  mysql+pymysql://... enables the MariaDB online tests
  RETORT_CONFORMANCE_JOBS  parallel subprocesses (default: 2 * cpu count, max 8)
  RETORT_CONFORMANCE_KEEP  keep the temp projects (prints their location)
  RETORT_FORBID_SKIPS=1  every skip (e.g. no server URL) fails instead (set in CI)

Reference runs: Alembic commands are run in batches inside one interpreter
(alembic_batch.py, ~50x faster than one process per command); the self-test
(selftest.sh: RETORT_BIN=alembic-wrapper.sh, i.e. real `python3 -m alembic` processes)
proves the batch output is identical to the CLI's.

Normalisation (normalise.py, and the fallbacks in compare_many() / test_online.py):
README.md, "Conformance harness: what is normalised", lists every one; keep it in step
with the code. Briefly: set-ordered branch-label lists sorted; output
shown to depend on the hash seed (Alembic run under several PYTHONHASHSEED values)
accepted as a line multiset or, for --sql, as migration blocks in a valid order;
`current` entries sorted (an identity-hashed set); per-side project paths and database
names; Python warnings' location prefix; argparse's program name; cases where Alembic
itself crashes dropped (counted and listed). Each slice prints one summary line: how
many cases matched an Alembic run in order, how many only as hash-order variants, how
many were dropped.
"""

import atexit
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
import uuid
from concurrent.futures import ThreadPoolExecutor

from normalise import (block_order_ok, describe_diff, multiset, normalise,  # noqa: F401
                       sort_current, sql_blocks)

HERE = os.path.dirname(os.path.abspath(__file__))
REF_PY = os.environ.get("RETORT_REFERENCE_PYTHON", "/usr/bin/python3")
RETORT_BIN = os.environ.get("RETORT_BIN", "")
JOBS = int(os.environ.get("RETORT_CONFORMANCE_JOBS", "0")) or min(8, 2 * (os.cpu_count() or 2))
KEEP = bool(os.environ.get("RETORT_CONFORMANCE_KEEP"))
TIMEOUT = 120

FORBID_SKIPS = os.environ.get("RETORT_FORBID_SKIPS") == "1"

_pool = ThreadPoolExecutor(max_workers=JOBS)
_batch_pool = ThreadPoolExecutor(max_workers=4)


# --------------------------------------------------------------------------------------
# skip policy
# --------------------------------------------------------------------------------------

def _forbid_skips():
    """RETORT_FORBID_SKIPS=1 (CI, where the servers are started): every skip -- SkipTest
    in setUpClass, self.skipTest(), @skip decorators -- is reported as a failure instead.
    Patched on the result classes so that it holds for every test module importing this
    one, whatever raised the skip. The message avoids the words ctest's
    SKIP_REGULAR_EXPRESSION looks for."""

    def add_skip(result, test, reason):
        try:
            raise AssertionError("skip not allowed (RETORT_FORBID_SKIPS=1): " + reason) from None
        except AssertionError:
            result.addFailure(test, sys.exc_info())

    unittest.TestResult.addSkip = add_skip
    unittest.TextTestResult.addSkip = add_skip


if FORBID_SKIPS:
    _forbid_skips()


# --------------------------------------------------------------------------------------
# running commands
# --------------------------------------------------------------------------------------

class Result:

    def __init__(self, stdout, stderr, rc):
        self.stdout, self.stderr, self.rc = stdout, stderr, rc

    def __repr__(self):
        return "Result(rc=%r, stdout=%r, stderr=%r)" % (self.rc, self.stdout, self.stderr)


def _run(argv, cwd, env_extra=None):
    env = dict(os.environ)
    env.pop("PYTHONHASHSEED", None)
    env["LC_ALL"] = "C.UTF-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if env_extra:
        env.update(env_extra)
    try:
        p = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        return Result((e.stdout or b"").decode("utf-8", "replace"),
                      (e.stderr or b"").decode("utf-8", "replace") + "\n<TIMEOUT>", -999)
    return Result(p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
                  p.returncode)


def run_alembic(args, cwd, hashseed=None):
    extra = {"PYTHONHASHSEED": str(hashseed)} if hashseed is not None else None
    return _run([REF_PY, "-m", "alembic"] + list(args), cwd, extra)


def run_retort(args, cwd):
    return _run([RETORT_BIN] + list(args), cwd)


def parallel(fn, items):
    """Map fn over items on the shared pool, preserving order."""
    return list(_pool.map(fn, items))


# --------------------------------------------------------------------------------------
# normalisation and comparison
# --------------------------------------------------------------------------------------

HASH_SEEDS = (0, 1, 2, 3, 4)
# normalise(), sort_current(), multiset(), sql_blocks(), block_order_ok(), describe_diff():
# in normalise.py, imported above.


def run_reference_batch(jobs, hashseed=0, chunks=1):
    """jobs: [{"cwd", "args", ["rows_url"]}] -> [Result] (with .rows when asked)."""
    if not jobs:
        return []
    n = max(1, min(chunks, len(jobs)))
    parts = [jobs[i::n] for i in range(n)]

    def go(part):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(part, f)
            path = f.name
        outp = path + ".out"
        try:
            r = _run([REF_PY, os.path.join(HERE, "alembic_batch.py"), path, outp], HERE,
                     {"PYTHONHASHSEED": str(hashseed)})
            if r.rc != 0:
                raise RuntimeError("reference batch failed: %s" % r.stderr[-2000:])
            with open(outp) as f:
                return json.load(f)
        finally:
            os.unlink(path)
            if os.path.exists(outp):
                os.unlink(outp)

    # own threads: this runs inside the shared pool, which must not wait on itself
    with ThreadPoolExecutor(max_workers=n) as ex:
        outs = list(ex.map(go, parts))
    res = [None] * len(jobs)
    for i, part in enumerate(outs):
        for k, d in enumerate(part):
            x = Result(d["stdout"], d["stderr"], d["rc"])
            x.rows = d.get("rows")
            x.schema = d.get("schema")
            res[i + k * n] = x
    return res


# --------------------------------------------------------------------------------------
# project generation
# --------------------------------------------------------------------------------------

WORDS = ("add users table create index on email rename column drop legacy audit log "
         "orders invoices payments refunds tags search vector archive cleanup backfill "
         "customer address shipping tax rates coupons inventory warehouse").split()
LABELS = ["core", "billing", "reports", "auth", "search", "shipping", "analytics", "ops"]

_init_lock = threading.Lock()
_init_cache = {}


def alembic_init_template():
    """`alembic init` output (alembic.ini, env.py, script.py.mako, README), made once."""
    with _init_lock:
        if "dir" not in _init_cache:
            d = tempfile.mkdtemp(prefix="retort-conf-init-")
            r = run_alembic(["init", "migrations"], d)
            if r.rc != 0:
                raise RuntimeError("alembic init failed: %r" % (r,))
            _init_cache["dir"] = d
            if not KEEP:
                atexit.register(shutil.rmtree, d, True)
        return _init_cache["dir"]


class Rev:
    def __init__(self, rid, down, labels=(), depends=(), message=""):
        self.id = rid
        self.down = tuple(down)
        self.labels = tuple(labels)
        self.depends = tuple(depends)
        self.message = message
        self.body_up = "pass"
        self.body_down = "pass"
        self.filename = None
        self.raw = None  # literal file text override (bad-input projects)


def _hexid(rng):
    return "%012x" % rng.getrandbits(48)


def generate_graph(seed, n=None):
    """A tangled but valid revision graph, reproducible from the seed.

    Several bases, forks, merges (incl. 3-way), branch labels on bases and on branch
    starts, depends_on across branches (by id or by label), and one pair of ids that
    share a 6-character prefix (for ambiguous partial-id tests).
    """
    rng = random.Random(seed)
    n = n or rng.randint(14, 22)
    revs = []
    by_id = {}
    heads = []
    children = {}
    labels_left = LABELS[:]
    rng.shuffle(labels_left)
    nbases = rng.randint(2, 3)

    def ancestors(rid):
        seen, stack = set(), [rid]
        while stack:
            r = by_id[stack.pop()]
            for d in r.down + r.depends:
                if d in by_id and d not in seen:
                    seen.add(d)
                    stack.append(d)
        return seen

    def new_id():
        while True:
            rid = _hexid(rng)
            if rid not in by_id and rid[0] not in "0":
                return rid

    def add(rev):
        rev.message = " ".join(rng.sample(WORDS, rng.randint(2, 4)))
        revs.append(rev)
        by_id[rev.id] = rev
        for d in rev.down:
            children.setdefault(d, []).append(rev.id)
            if d in heads:
                heads.remove(d)
        heads.append(rev.id)

    for i in range(n):
        labels = ()
        if i < nbases:
            if labels_left and rng.random() < 0.8:
                labels = (labels_left.pop(),)
            add(Rev(new_id(), (), labels))
            continue
        roll = rng.random()
        if roll < 0.18 and len(heads) >= 2:
            k = 3 if (len(heads) >= 3 and rng.random() < 0.25) else 2
            parents = rng.sample(heads, k)
            add(Rev(new_id(), parents))
        elif roll < 0.38:
            # fork from a non-head revision
            cands = [r.id for r in revs if r.id not in heads]
            if not cands:
                cands = [r.id for r in revs]
            parent = rng.choice(cands)
            if labels_left and rng.random() < 0.5:
                labels = (labels_left.pop(),)
            add(Rev(new_id(), (parent,), labels))
        elif roll < 0.42 and sum(1 for r in revs if not r.down) < 4:
            add(Rev(new_id(), (), ()))
        else:
            add(Rev(new_id(), (rng.choice(heads),)))
        cur = revs[-1]
        if rng.random() < 0.15:
            anc = ancestors(cur.id)
            cands = [r for r in revs[:-1] if r.id not in anc and r.id != cur.id]
            if cands:
                dep = rng.choice(cands)
                if dep.labels and rng.random() < 0.4:
                    cur.depends = (dep.labels[0],)
                else:
                    cur.depends = (dep.id,)

    # an ambiguous pair: make two revisions share a 6-char prefix
    if len(revs) >= 4:
        a, b = rng.sample(revs[1:], 2)
        old = b.id
        newid = a.id[:6] + _hexid(rng)[6:]
        _rename(revs, old, newid)
    give_bodies(revs, seed)
    return revs


def give_bodies(revs, seed):
    """Real operations, so that upgrade/downgrade (online and --sql) run SQL valid on
    SQLite, PostgreSQL and MariaDB. A revision either creates its own table t_<id>
    (sometimes with an index), or adds a column c_<id> to, or inserts a row into, the
    table of its nearest down_revision ancestor that has one -- an ancestor is always
    applied before and reverted after it, whatever order independent branches take.
    Separate random stream: the graph of a seed is unchanged."""
    rng = random.Random("bodies-%s" % seed)
    by_id = {r.id: r for r in revs}
    owner = {}  # revision id -> table it created

    def nearest_table(rev):
        seen, queue = set(), list(rev.down)
        while queue:
            rid = queue.pop(0)
            if rid in owner:
                return owner[rid]
            if rid not in seen and rid in by_id:
                seen.add(rid)
                queue.extend(by_id[rid].down)
        return None

    # parents before children: revs is in creation order (down revisions come first)
    for i, r in enumerate(revs):
        target = nearest_table(r)
        roll = rng.random()
        if target is None or roll < 0.5:
            t = "t_" + r.id
            owner[r.id] = t
            up = ['op.create_table("%s",' % t,
                  '    sa.Column("id", sa.Integer(), nullable=False),',
                  '    sa.Column("name", sa.String(length=40), nullable=True),',
                  '    sa.PrimaryKeyConstraint("id"))']
            down = ['op.drop_table("%s")' % t]
            if rng.random() < 0.4:
                ix = "ix_%s_name" % t
                up.append('op.create_index("%s", "%s", ["name"])' % (ix, t))
                down.insert(0, 'op.drop_index("%s", table_name="%s")' % (ix, t))
        elif roll < 0.8:
            c = "c_" + r.id
            up = ['op.add_column("%s", sa.Column("%s", sa.Integer(), nullable=True))' % (target, c)]
            down = ['op.drop_column("%s", "%s")' % (target, c)]
        else:
            up = ["op.execute(\"INSERT INTO %s (id, name) VALUES (%d, 'from %s')\")" % (target, i + 1, r.id)]
            down = ['op.execute("DELETE FROM %s WHERE id = %d")' % (target, i + 1)]
        r.body_up = "\n    ".join(up)
        r.body_down = "\n    ".join(down)


def _rename(revs, old, new):
    for r in revs:
        if r.id == old:
            r.id = new
        r.down = tuple(new if d == old else d for d in r.down)
        r.depends = tuple(new if d == old else d for d in r.depends)


def _repr_tuple(t):
    if not t:
        return "None"
    if len(t) == 1:
        return repr(t[0])
    return repr(tuple(t))


def render_revision(rev):
    if rev.raw is not None:
        return rev.raw
    down = _repr_tuple(rev.down)
    revises = ", ".join(rev.down)
    labels = repr(tuple(rev.labels)) if rev.labels else "None"
    depends = _repr_tuple(rev.depends)
    return ('"""%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: 2026-01-01 00:00:00.000000\n\n"""\n'
            "from alembic import op\nimport sqlalchemy as sa\n\n\n"
            "# revision identifiers, used by Alembic.\n"
            "revision = %r\ndown_revision = %s\nbranch_labels = %s\ndepends_on = %s\n\n\n"
            "def upgrade() -> None:\n    %s\n\n\ndef downgrade() -> None:\n    %s\n"
            % (rev.message, rev.id, revises, rev.id, down, labels, depends,
               rev.body_up, rev.body_down))


def slug(msg):
    return re.sub(r"\W+", "_", msg).strip("_").lower()[:40]


class Project:
    """An Alembic project on disk: `alembic init` files + generated versions."""

    def __init__(self, revs, url=None, root=None):
        self.revs = revs
        self.dir = root or tempfile.mkdtemp(prefix="retort-conf-")
        tmpl = alembic_init_template()
        for name in ("alembic.ini",):
            shutil.copy(os.path.join(tmpl, name), self.dir)
        shutil.copytree(os.path.join(tmpl, "migrations"), os.path.join(self.dir, "migrations"),
                        dirs_exist_ok=True)
        self.set_url(url or "sqlite:///%(here)s/test.db")
        vdir = os.path.join(self.dir, "migrations", "versions")
        for r in revs:
            r.filename = r.filename or "%s_%s.py" % (r.id, slug(r.message or "rev"))
            with open(os.path.join(vdir, r.filename), "w") as f:
                f.write(render_revision(r))

    @property
    def ini(self):
        return os.path.join(self.dir, "alembic.ini")

    def set_url(self, url):
        with open(self.ini) as f:
            text = f.read()
        text = re.sub(r"^sqlalchemy\.url = .*$", lambda m: "sqlalchemy.url = " + url.replace("\\", "\\\\"),
                      text, flags=re.M)
        with open(self.ini, "w") as f:
            f.write(text)

    def copy(self, url=None):
        d = tempfile.mkdtemp(prefix="retort-conf-")
        shutil.copytree(self.dir, d, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.db", "__pycache__"))
        p = Project.__new__(Project)
        p.revs, p.dir = self.revs, d
        if url:
            p.set_url(url)
        return p

    def cleanup(self):
        if KEEP:
            print("kept project:", self.dir, file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------------------
# graph queries used to pick interesting targets (pure Python, independent of alembic)
# --------------------------------------------------------------------------------------

class Graph:
    def __init__(self, revs):
        self.revs = revs
        self.by_id = {r.id: r for r in revs}
        self.children = {r.id: [] for r in revs}
        for r in revs:
            for d in r.down:
                self.children[d].append(r.id)
        self.heads = [r.id for r in revs if not self.children[r.id]]
        self.bases = [r.id for r in revs if not r.down]
        self.merges = [r.id for r in revs if len(r.down) > 1]
        self.branchpoints = [r.id for r in revs if len(self.children[r.id]) > 1]
        self.labels = [l for r in revs for l in r.labels]

    def unique_prefix(self, rid, minlen=4):
        for n in range(minlen, len(rid) + 1):
            p = rid[:n]
            if sum(1 for o in self.by_id if o.startswith(p)) == 1:
                return p
        return rid

    def ambiguous_prefixes(self):
        out = set()
        ids = sorted(self.by_id)
        for a, b in zip(ids, ids[1:]):
            n = 0
            while n < len(a) and a[n] == b[n]:
                n += 1
            if n >= 4:
                out.add(a[:4])
                out.add(a[:n])
        return sorted(out)


# --------------------------------------------------------------------------------------
# databases
# --------------------------------------------------------------------------------------

class Database:
    """A throwaway database for one side of one test (sqlite file or server db)."""

    def __init__(self, kind, server_url=None):
        self.kind = kind
        self.server_url = server_url
        self.name = "rc_%s" % uuid.uuid4().hex[:12]
        self.url = None

    def create(self, project_dir):
        if self.kind == "sqlite":
            self.path = os.path.join(project_dir, "test.db")
            self.url = "sqlite:///%(here)s/test.db"
            return self.url
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url
        u = make_url(self.server_url)
        admin = sa.create_engine(u, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with admin.connect() as c:
            c.exec_driver_sql("CREATE DATABASE %s" % self.name)
        admin.dispose()
        self.url = u.set(database=self.name).render_as_string(hide_password=False)
        return self.url.replace("%", "%%")

    def engine(self):
        import sqlalchemy as sa
        if self.kind == "sqlite":
            return sa.create_engine("sqlite:///" + self.path, poolclass=sa.pool.NullPool)
        return sa.create_engine(self.url, poolclass=sa.pool.NullPool)

    def version_rows(self, table="alembic_version"):
        """Sorted version_num values, or None when the table does not exist."""
        import sqlalchemy as sa
        eng = self.engine()
        try:
            with eng.connect() as c:
                if not sa.inspect(c).has_table(table):
                    return None
                return sorted(r[0] for r in c.exec_driver_sql("SELECT version_num FROM %s" % table))
        finally:
            eng.dispose()

    def url_for_state(self):
        return ("sqlite:///" + self.path) if self.kind == "sqlite" else self.url

    def schema_state(self):
        from alembic_batch import schema_state
        return schema_state(self.url_for_state())

    def tables(self):
        import sqlalchemy as sa
        eng = self.engine()
        try:
            with eng.connect() as c:
                # Retort's record of applied scripts is not schema the revisions built.
                return sorted(t for t in sa.inspect(c).get_table_names() if t != "retort_script_checksums")
        finally:
            eng.dispose()

    def drop(self):
        if self.kind == "sqlite" or self.url is None:
            return
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url
        admin = sa.create_engine(make_url(self.server_url), isolation_level="AUTOCOMMIT",
                                 poolclass=sa.pool.NullPool)
        try:
            with admin.connect() as c:
                if self.kind == "postgresql":
                    c.exec_driver_sql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.name)
                else:
                    c.exec_driver_sql("DROP DATABASE IF EXISTS %s" % self.name)
        except Exception as e:  # best effort
            print("warning: could not drop %s: %s" % (self.name, e), file=sys.stderr)
        finally:
            admin.dispose()


def server_url(kind):
    return {"postgresql": os.environ.get("RETORT_TEST_PG_URL"),
            "mysql": os.environ.get("RETORT_TEST_MYSQL_URL")}.get(kind)


# --------------------------------------------------------------------------------------
# base test case
# --------------------------------------------------------------------------------------

class ConformanceCase(unittest.TestCase):
    """Base of the side-by-side tests. Every case compared is tallied by how it matched;
    tearDownClass prints one summary line per slice, dropped cases included."""
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.tally = {"in order": 0, "hash-order variant, as line multiset": [],
                     "hash-order variant, as migration blocks": [], "failed": 0}
        cls.dropped = []
        if not RETORT_BIN:
            raise unittest.SkipTest("RETORT_BIN not set")
        if not os.access(RETORT_BIN, os.X_OK):
            raise unittest.SkipTest("RETORT_BIN=%s is not executable" % RETORT_BIN)

    def compare_many(self, project, cases, labels=(), prog=False):
        """cases: list of (label, args), all run in project.dir. Alembic runs batched under
        each of HASH_SEEDS; Retort must match one of those outputs exactly, or, only when
        they differ from each other (Alembic's output shown to depend on the hash seed),
        match one of them as a multiset of lines (--sql: by sql_blocks() and
        block_order_ok() instead)."""
        jobs = [{"cwd": project.dir, "args": list(args)} for _, args in cases]
        ref_futs = [_batch_pool.submit(run_reference_batch, jobs, hs, 2) for hs in HASH_SEEDS]
        mine = parallel(lambda c: run_retort(c[1], project.dir), cases)
        refs = [f.result() for f in ref_futs]
        for i, (label, args) in enumerate(cases):
            variants = [normalise(r[i], labels=labels, prog=prog) for r in refs]
            got = normalise(mine[i], labels=labels, prog=prog)
            case = "%s [%s]" % (label, " ".join(args))
            if any("Traceback" in v[2] for v in variants):
                # Alembic itself crashed: there is no reference output to compare with.
                self.dropped.append(case)
                continue
            how = None
            if got in variants:
                how = "in order"
            elif len(set(variants)) > 1:
                if "--sql" not in args and multiset(got) in {multiset(v) for v in variants}:
                    how = "hash-order variant, as line multiset"
                elif "--sql" in args and sql_blocks(got) in {sql_blocks(v) for v in variants}:
                    order_error = block_order_ok(got[1], project.revs)
                    if order_error is None:
                        how = "hash-order variant, as migration blocks"
                    else:
                        how = None
                        got = (got[0], got[1] + "\n<harness: migrations out of order: %s>" % order_error, got[2])
            self.count(how, case)
            with self.subTest(case=label):
                if how is None:
                    self.fail(describe_diff("%s  [%s]%s" % (
                        label, " ".join(args),
                        " (hash-order dependent in Alembic)" if len(set(variants)) > 1 else ""),
                        variants[0], got))
        return refs[0], mine

    @classmethod
    def count(cls, how, case):
        """Record how one case matched (None: it did not)."""
        if how is None:
            cls.tally["failed"] += 1
        elif how == "in order":
            cls.tally[how] += 1
        else:
            cls.tally[how].append(case)

    @classmethod
    def tearDownClass(cls):
        t = cls.tally
        loose = [(k, v) for k, v in t.items() if isinstance(v, list) and v]
        n = t["in order"] + t["failed"] + sum(len(v) for _, v in loose)
        parts = ["%d compared: %d equal to an Alembic run, in order" % (n, t["in order"])]
        parts += ["%d as %s" % (len(v), k) for k, v in loose]
        if t["failed"]:
            parts.append("%d did not match" % t["failed"])
        if n == 0 and not cls.dropped:
            return  # compares no Alembic output (BadInput)
        print("\nconformance %s: %s; dropped %d cases where Alembic itself failed%s"
              % (cls.__name__, ", ".join(parts), len(cls.dropped),
                 ":" if cls.dropped else ""), file=sys.stderr)
        for case in cls.dropped:
            print("  dropped: " + case, file=sys.stderr)
        for k, v in loose:
            for case in v:
                print("  %s: %s" % (k, case), file=sys.stderr)


def _matches(args, pattern):
    """pattern is a callable(args)->bool or a command name."""
    if callable(pattern):
        return pattern(args)
    return pattern in args


# --------------------------------------------------------------------------------------
# case builders (shared by the tests and explore_hashseed.py)
# --------------------------------------------------------------------------------------

SEEDS = (11, 23, 37)


def graph_cases(g):
    cases = [("heads", ["heads"]), ("heads-v", ["heads", "--verbose"]),
             ("branches", ["branches"]), ("branches-v", ["branches", "--verbose"]),
             ("history", ["history"]), ("history-v", ["history", "--verbose"])]
    lin = [r for r in g.revs if r.down]
    rng = random.Random(len(g.revs))
    for r in rng.sample(lin, min(4, len(lin))):
        p = g.unique_prefix(r.id)
        cases.append(("history-r-from-" + p, ["history", "-r", p + ":"]))
        cases.append(("history-r-to-" + p, ["history", "-r", ":" + p, "--verbose"]))
        cases.append(("history-r-range-" + p, ["history", "-r", "%s:%s" % (r.down[0], r.id)]))
    for h in g.heads[:3]:
        cases.append(("history-r-base-" + h, ["history", "-r", "base:" + h]))
    for l in g.labels[:3]:
        cases.append(("history-r-label-" + l, ["history", "-r", "%s@base:%s@head" % (l, l)]))
    # show
    targets = set(g.heads) | set(g.bases) | set(g.merges) | set(g.branchpoints)
    for t in sorted(targets):
        cases.append(("show-" + t, ["show", t]))
    for r in rng.sample(g.revs, min(5, len(g.revs))):
        cases.append(("show-partial-" + g.unique_prefix(r.id), ["show", g.unique_prefix(r.id)]))
    for l in g.labels:
        cases.append(("show-label-head-" + l, ["show", l + "@head"]))
        cases.append(("show-label-" + l, ["show", l]))
    for sym in ("heads", "head", "base", "bases"):
        cases.append(("show-" + sym, ["show", sym]))
    return cases


def error_cases(g):
    """Handled errors: FAILED: <message> + exit 255; argument errors: exit 2."""
    amb = g.ambiguous_prefixes()
    cases = [
        ("show-unknown", ["show", "zzzzzzzzzz"]),
        ("show-unknown-hex", ["show", "abcdef987654"]),
        ("show-too-short", ["show", g.revs[0].id[:3]]),
        ("upgrade-head-multiple-heads-sql", ["upgrade", "head", "--sql"]),
        ("upgrade-unknown-sql", ["upgrade", "deadbeef0000", "--sql"]),
        ("downgrade-no-range-sql", ["downgrade", "base", "--sql"]),
        ("history-r-unknown", ["history", "-r", "nothere:"]),
        ("show-label-unknown", ["show", "nolabel@head"]),
        ("arg-no-command", []),
        ("arg-bogus-option", ["heads", "--bogus"]),
        ("arg-unknown-command", ["frobnicate"]),
        ("arg-upgrade-missing-rev", ["upgrade"]),
        ("arg-show-missing-rev", ["show"]),
        ("arg-x-missing-value", ["-x"]),
    ]
    for p in amb:
        cases.append(("show-ambiguous-" + p, ["show", p]))
        cases.append(("upgrade-ambiguous-sql-" + p, ["upgrade", p, "--sql"]))
    return cases


def offline_cases(g):
    rng = random.Random(len(g.revs) * 7)
    cases = [("upgrade-heads-sql", ["upgrade", "heads", "--sql"]),
             ("stamp-heads-sql", ["stamp", "heads", "--sql"]),
             ("ensure-version-sql", ["ensure_version", "--sql"])]
    for l in g.labels[:3]:
        cases.append(("upgrade-label-sql-" + l, ["upgrade", l + "@head", "--sql"]))
    for h in g.heads[:3]:
        cases.append(("upgrade-to-head-sql-" + h, ["upgrade", h, "--sql"]))
        cases.append(("downgrade-range-sql-" + h, ["downgrade", "%s:base" % h, "--sql"]))
    lin = [r for r in g.revs if r.down]
    for r in rng.sample(lin, min(4, len(lin))):
        a = g.unique_prefix(r.down[0])
        b = g.unique_prefix(r.id)
        cases.append(("upgrade-range-sql-%s-%s" % (a, b), ["upgrade", "%s:%s" % (a, b), "--sql"]))
        cases.append(("downgrade-range-sql-%s-%s" % (b, a), ["downgrade", "%s:%s" % (b, a), "--sql"]))
        cases.append(("stamp-sql-" + b, ["stamp", b, "--sql"]))
    for m in g.merges[:2]:
        cases.append(("upgrade-merge-sql-" + m, ["upgrade", m, "--sql"]))
    return cases


def online_sequence(g):
    """Commands run in order against one database; version rows compared after each."""
    rng = random.Random(len(g.revs) * 13)
    seq = [["upgrade", g.bases[0]], ["upgrade", "+1"]]
    if g.labels:
        seq.append(["upgrade", g.labels[0] + "@head"])
    seq += [["upgrade", "heads"], ["downgrade", "-1"]]
    mid = rng.choice([r for r in g.revs if r.down])
    seq += [["downgrade", g.unique_prefix(mid.id)], ["upgrade", "heads"]]
    if g.labels:
        seq.append(["downgrade", g.labels[-1] + "@base"])
    seq += [["downgrade", "base"], ["upgrade", "head"]]  # multiple heads: FAILED
    # Stamps only while the schema is empty and ending at base: the revisions run real
    # DDL (give_bodies), so the version table must keep naming what is in the database.
    seq += [["stamp", g.heads[0]], ["stamp", g.bases[-1]], ["stamp", "--purge", mid.id],
            ["stamp", "base"]]
    seq += [["upgrade", mid.id], ["upgrade", "+2"], ["upgrade", "heads"]]
    for m in g.merges[:1]:
        seq.append(["downgrade", m])
    seq += [["downgrade", "base"], ["upgrade", g.heads[-1]], ["downgrade", "base"]]
    return seq
