"""upgrade / downgrade / stamp --sql (offline SQL generation) for three dialects.

Offline mode never connects, so the PostgreSQL and MySQL dialects are covered without
servers; the whole generated SQL text is compared."""
import unittest

import conformance as C

DIALECT_URLS = {
    "sqlite": "sqlite:///%(here)s/offline.db",
    "postgresql": "postgresql://retort@127.0.0.1:9/offline",
    "mysql": "mysql+pymysql://retort:pw@127.0.0.1:9/offline",
}


class _OfflineBase(C.ConformanceCase):
    seed = None
    dialect = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revs = C.generate_graph(cls.seed)
        cls.g = C.Graph(cls.revs)
        cls.project = C.Project(cls.revs, url=DIALECT_URLS[cls.dialect])

    @classmethod
    def tearDownClass(cls):
        cls.project.cleanup()
        super().tearDownClass()

    def test_offline_sql(self):
        self.compare_many(self.project, C.offline_cases(self.g), labels=set(self.g.labels))


# seed 23 (used by the graph tests) makes Alembic 1.8.1 itself crash in
# update_to_step (KeyError) for several --sql upgrades, so offline uses 67 instead.
OFFLINE_SEEDS = (11, 37, 67)

for _seed in OFFLINE_SEEDS:
    for _d in DIALECT_URLS:
        _n = "Offline_%s_%d" % (_d, _seed)
        globals()[_n] = type(_n, (_OfflineBase,), {"seed": _seed, "dialect": _d})
del _seed, _d, _n

del _OfflineBase  # only the concrete subclasses are tests

if __name__ == "__main__":
    unittest.main(verbosity=2)
