"""heads / branches / history / show on generated tangled graphs (no database)."""
import unittest

import conformance as C


class _GraphBase(C.ConformanceCase):
    seed = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revs = C.generate_graph(cls.seed)
        cls.g = C.Graph(cls.revs)
        cls.project = C.Project(cls.revs)

    @classmethod
    def tearDownClass(cls):
        cls.project.cleanup()
        super().tearDownClass()

    def test_graph_commands(self):
        self.compare_many(self.project, C.graph_cases(self.g), labels=set(self.g.labels))


for _seed in C.SEEDS:
    globals()["GraphSeed%d" % _seed] = type("GraphSeed%d" % _seed, (_GraphBase,), {"seed": _seed})
del _seed

del _GraphBase  # only the concrete subclasses are tests

if __name__ == "__main__":
    unittest.main(verbosity=2)
