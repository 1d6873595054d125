"""Same config and seed give identical trace data for 1, 2 and 4 threads (every dataset,
bitwise); a different seed gives different data."""
import os
import unittest

import feidi_test as ft


class Determinism(unittest.TestCase):
    def test_threads_1_2_4_identical(self):
        d = ft.tmpdir()
        paths = []
        for t in (1, 2, 4):
            p = os.path.join(d, f"t{t}.h5")
            # With snapshots and the panel, so every agent column is compared too.
            ft.sim("run", ft.SMOKE, "-o", p, "--threads", t, "--quiet", "--set", "run.end=2021-12",
                   "--set", "trace.snapshot_interval_months=12")
            paths.append(p)
        for p in paths[1:]:
            ft.assert_same_data(self, paths[0], p)

    def test_seed_changes_results(self):
        d = ft.tmpdir()
        a, b = os.path.join(d, "a.h5"), os.path.join(d, "b.h5")
        ft.sim("run", ft.SMOKE, "-o", a, "--quiet", "--set", "run.end=2018-12")
        ft.sim("run", ft.SMOKE, "-o", b, "--quiet", "--set", "run.end=2018-12", "--seed", "8")
        with self.assertRaises(AssertionError):
            ft.assert_same_data(self, a, b)


if __name__ == "__main__":
    unittest.main()
