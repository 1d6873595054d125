"""feidi-sim sweep: grid and Latin-hypercube designs, the xarray summary, the same
summary on 1, 2 and 4 MPI ranks, per-run traces, and bad sweep files."""
import os
import shutil
import time
import unittest

import h5py
import numpy as np
import xarray as xr

import feidi_test as ft

# Tiny runs: 1:5000 persons, 1:100 firms, two simulated years.
FIXED = """
[fixed]
scale.persons_per_agent = 5000
scale.firms_per_agent = 100
run.end = "2019-12"
tax_split.mode = "fixed"
"""

GRID = """
[sweep]
scenarios = ["configs/smoke.toml"]
replicates = 2
seed = 11
design = "grid"

[[parameters]]
key = "tax_split.fixed_source_share"
values = [0.2, 0.8]

[[parameters]]
key = "enclaves.same_city"
values = [0.0, 1.0]
""" + FIXED + """
[outputs]
tax_mean = "province.tax_to_source@mean"
ratio26_end = "province.gdp_per_capita_ratio_26@end"
gdp_2019_06 = "province.gdp@2019-06"
"""


def workspace(text, name="sweep.toml"):
    """A folder with configs/smoke.toml and the sweep file (scenario paths are relative to it)."""
    d = ft.tmpdir()
    os.makedirs(os.path.join(d, "configs"))
    shutil.copy(ft.SMOKE, os.path.join(d, "configs", "smoke.toml"))
    shutil.copy(os.path.join(os.path.dirname(ft.SMOKE), "calibrated.toml"), os.path.join(d, "configs"))
    path = os.path.join(d, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return d, path


class Sweep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir, cls.sweep = workspace(GRID)
        cls.summary = os.path.join(cls.dir, "grid.h5")
        t0 = time.monotonic()
        ft.sim("sweep", cls.sweep, "-o", cls.summary, "-q")
        cls.wall_1 = time.monotonic() - t0

    def test_grid_summary_opens_in_xarray(self):
        with xr.open_dataset(self.summary, engine="h5netcdf") as ds:
            self.assertEqual(dict(ds.sizes), {"run": 8})  # 1 scenario x 2 x 2 points x 2 replicates
            for v in ("scenario", "scenario_name", "point", "replicate", "seed", "tax_split.fixed_source_share",
                      "enclaves.same_city", "tax_mean", "ratio26_end", "gdp_2019_06"):
                self.assertIn(v, ds.variables)
                self.assertEqual(ds[v].dims, ("run",))
            self.assertEqual(ds.attrs["design"], "grid")
            self.assertIn("fixed_source_share", ds.attrs["sweep_file_text"])
            self.assertEqual(ds["scenario"].attrs["flag_meanings"], "smoke")
            self.assertEqual(ds["tax_mean"].attrs["units"], "yuan/year (annualised monthly flow)")
            # Grid order: first parameter slowest, replicate fastest.
            np.testing.assert_array_equal(ds["tax_split.fixed_source_share"].values, [0.2] * 4 + [0.8] * 4)
            np.testing.assert_array_equal(ds["enclaves.same_city"].values, [0, 0, 1, 1, 0, 0, 1, 1])
            np.testing.assert_array_equal(ds["replicate"].values, [0, 1] * 4)
            np.testing.assert_array_equal(ds["point"].values, [0, 0, 1, 1, 2, 2, 3, 3])
            # Common random numbers: the seed depends on the replicate only.
            seeds = ds["seed"].values
            self.assertEqual(len(set(seeds[0::2])), 1)
            self.assertEqual(len(set(seeds[1::2])), 1)
            self.assertNotEqual(seeds[0], seeds[1])
            # The outputs are real model results: finite, and the source's tax share moves the tax flow.
            for v in ("tax_mean", "ratio26_end", "gdp_2019_06"):
                self.assertTrue(np.all(np.isfinite(ds[v].values)), v)
            tax = ds["tax_mean"].values
            self.assertTrue(np.all(tax[4:] > tax[:4]), tax)
            self.assertGreater(ds["gdp_2019_06"].values.min(), 1e12)  # Zhejiang: trillions of yuan per year

    def assert_same_summary(self, other):
        ft.assert_same_data(self, self.summary, other, ignore_attrs=set(ft.root_attrs(other)["execution_metadata"].split()))

    def test_two_ranks_give_the_same_summary(self):
        out = os.path.join(self.dir, "grid_np2.h5")
        t0 = time.monotonic()
        p = ft.mpirun(2, "sweep", self.sweep, "-o", out)
        wall = time.monotonic() - t0
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(int(ft.root_attrs(out)["exec_ranks"]), 2)
        self.assert_same_summary(out)
        print(f"\n  sweep of 8 runs: 1 process {self.wall_1:.1f} s, mpirun -np 2 {wall:.1f} s")

    def test_four_ranks_give_the_same_summary(self):
        out = os.path.join(self.dir, "grid_np4.h5")
        p = ft.mpirun(4, "sweep", self.sweep, "-o", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(int(ft.root_attrs(out)["exec_ranks"]), 4)
        self.assert_same_summary(out)

    def test_a_changed_seed_changes_the_summary(self):
        # The comparison above can fail: another base seed gives other outputs.
        d, path = workspace(GRID.replace("seed = 11", "seed = 12"))
        out = os.path.join(d, "other.h5")
        ft.sim("sweep", path, "-o", out, "-q")
        a, b = ft.datasets(self.summary), ft.datasets(out)
        self.assertFalse(np.array_equal(a["seed"], b["seed"]))
        self.assertFalse(np.array_equal(a["ratio26_end"], b["ratio26_end"]))


class LatinHypercube(unittest.TestCase):
    LHS = """
[sweep]
scenarios = ["configs/smoke.toml"]
replicates = 1
design = "lhs"
samples = {n}
design_seed = 5

[[parameters]]
key = "tax_split.fixed_source_share"
min = 0.1
max = 0.9

[[parameters]]
key = "enclaves.company_leverage"
""" + FIXED + """
[outputs]
tax_2019_12 = "province.tax_to_source@2019-12"
"""

    def test_stratification_of_a_large_design(self):
        d, path = workspace(self.LHS.format(n=50))
        p = ft.sim("sweep", path, "--dry-run")
        lines = p.stdout.strip().splitlines()
        self.assertIn("50 runs = 1 scenarios x 50 design points (lhs) x 1 replicates", lines[0])
        header = lines[1].split("\t")
        rows = [dict(zip(header, l.split("\t"))) for l in lines[2:]]
        self.assertEqual(len(rows), 50)
        share = np.array([float(r["tax_split.fixed_source_share"]) for r in rows])
        lev = np.array([float(r["enclaves.company_leverage"]) for r in rows])
        # One sample in each of the 50 strata of [min, max); leverage uses the registry range 0..20.
        np.testing.assert_array_equal(np.sort(np.floor((share - 0.1) / 0.8 * 50)), np.arange(50))
        np.testing.assert_array_equal(np.sort(np.floor(lev / 20 * 50)), np.arange(50))
        self.assertFalse(np.array_equal(np.argsort(share), np.argsort(lev)))  # independent permutations

    def test_small_design_runs_and_records_the_values(self):
        d, path = workspace(self.LHS.format(n=4))
        out = os.path.join(d, "lhs.h5")
        ft.sim("sweep", path, "-o", out, "-q")
        with xr.open_dataset(out, engine="h5netcdf") as ds:
            self.assertEqual(ds.sizes["run"], 4)
            share = ds["tax_split.fixed_source_share"].values
            np.testing.assert_array_equal(np.sort(np.floor((share - 0.1) / 0.8 * 4)), np.arange(4))
            self.assertEqual(ds.attrs["design"], "lhs")
            self.assertEqual(int(ds.attrs["samples"]), 4)
            tax = ds["tax_2019_12"].values
            self.assertTrue(np.all(np.isfinite(tax)))
            # All runs share the seed; the tax flow to sources grows with the source's share.
            order = np.argsort(share)
            self.assertTrue(np.all(np.diff(tax[order]) > 0), (share, tax))


class Traces(unittest.TestCase):
    def test_per_run_traces_are_written_and_match_the_summary(self):
        text = GRID.replace("values = [0.0, 1.0]", "values = [0.5]").replace("replicates = 2", "replicates = 1")
        text = text.replace('design = "grid"', 'design = "grid"\ntraces = true\ntrace_dir = "runs"')
        d, path = workspace(text)
        out = os.path.join(d, "with_traces.h5")
        ft.sim("sweep", path, "-o", out, "-q")
        with xr.open_dataset(out, engine="h5netcdf") as ds:
            self.assertEqual(ds.sizes["run"], 2)
            files = [str(x) for x in ds["trace_file"].values]
            self.assertEqual(ds.attrs["trace_dir"], os.path.join(d, "runs"))
            for r, name in enumerate(files):
                trace = os.path.join(d, "runs", name)
                self.assertTrue(os.path.isfile(trace), trace)
                with h5py.File(trace, "r") as f:
                    self.assertEqual(int(f.attrs["run_completed"]), 1)
                    self.assertEqual(int(f.attrs["seed"]), int(ds["seed"].values[r]))
                    ratio = f["province/gdp_per_capita_ratio_26"][()]
                    gdp = f["province/gdp"][()]
                    self.assertEqual(ratio[-1], ds["ratio26_end"].values[r])
                with xr.open_dataset(trace, group="province", engine="h5netcdf") as pv:
                    months = [str(t)[:7] for t in pv["time"].values]
                    self.assertEqual(gdp[months.index("2019-06")], ds["gdp_2019_06"].values[r])


class BadSweepFiles(unittest.TestCase):
    def check_error(self, text, where, key):
        d, path = workspace(text, "bad.toml")
        out = os.path.join(d, "bad.h5")
        p = ft.sim("sweep", path, "-o", out, check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertTrue(lines[0].startswith(f"error: {path}:{where}: key '{key}'"), lines[0])
        self.assertEqual(sorted(os.listdir(d)), ["bad.toml", "configs"])  # nothing written
        return lines[0]

    def test_unknown_parameter_key(self):
        msg = self.check_error(GRID.replace('key = "enclaves.same_city"', 'key = "enclaves.same_cty"'), "13:7",
                               "parameters.key")
        self.assertIn("unknown config key 'enclaves.same_cty'", msg)

    def test_value_out_of_range(self):
        self.check_error(GRID.replace("values = [0.2, 0.8]", "values = [0.2, 1.8]"), "10:16",
                         "tax_split.fixed_source_share")

    def test_output_month_outside_the_runs(self):
        msg = self.check_error(GRID.replace("province.gdp@2019-06", "province.gdp@2021-06"), "25:15", "outputs.gdp_2019_06")
        self.assertIn("2021-06 is not simulated", msg)

    def test_lhs_without_samples(self):
        self.check_error(GRID.replace('design = "grid"', 'design = "lhs"'), "6:10", "sweep.samples")

    def test_bad_file_under_mpirun(self):
        d, path = workspace(GRID.replace("replicates = 2", "replicates = 0"), "bad.toml")
        p = ft.mpirun(2, "sweep", path, "-o", os.path.join(d, "bad.h5"))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(f"{path}:4:14: key 'sweep.replicates': must be between 1 and 100000", p.stderr)
        self.assertEqual(p.stderr.count("error:"), 1, p.stderr)  # reported once, by rank 0
        self.assertEqual(sorted(os.listdir(d)), ["bad.toml", "configs"])


class GridExample(unittest.TestCase):
    def test_the_grid_example_shows_what_its_comment_says(self):
        # configs/sweeps/tax_share_grid.toml: the share moves the tax to the sources by more
        # than 40 % from 0.3 to 0.7; neither lever moves the 2025 ratio beyond the replicates.
        out = os.path.join(ft.tmpdir(), "grid.h5")
        ft.sim("sweep", os.path.join(ft.SOURCE, "configs", "sweeps", "tax_share_grid.toml"), "-o", out, "--quiet")
        with xr.open_dataset(out, engine="h5netcdf") as ds:
            df = ds.to_dataframe()
        g = df.groupby(["tax_split.fixed_source_share", "enclaves.same_city"])
        tax = g["tax_to_source"].mean()
        ratio_mean, ratio_sd = g["ratio26_2025"].mean(), g["ratio26_2025"].std()
        for sc in (0.0, 1.0):
            self.assertGreater(tax[(0.7, sc)], 1.4 * tax[(0.3, sc)])
            self.assertLess(abs(ratio_mean[(0.7, sc)] - ratio_mean[(0.3, sc)]), ratio_sd.min())
        for share in (0.3, 0.5, 0.7):
            self.assertLess(abs(ratio_mean[(share, 1.0)] - ratio_mean[(share, 0.0)]), ratio_sd.min())


if __name__ == "__main__":
    unittest.main()
