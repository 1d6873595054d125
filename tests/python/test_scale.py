"""Large-run trace options: the sampled panel, full agent snapshots, person events off,
runs without a trace. The snapshot and the panel must agree with each other and with
the per-step aggregates."""
import os
import unittest

import h5py
import numpy as np
import xarray as xr

import feidi_test as ft


class Scale(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.trace = os.path.join(cls.dir, "snap.h5")
        ft.sim("run", ft.SMOKE, "-o", cls.trace, "--quiet", "--set", "run.end=2019-12",
               "--set", "trace.snapshot_interval_months=7", "--set", "trace.panel_persons=500",
               "--set", "trace.panel_firms=100")

    def test_snapshot_steps_and_xarray_layout(self):
        s = xr.open_dataset(self.trace, engine="h5netcdf", group="snapshot")
        # Every 7 months (steps 6, 13, 20) and the last step (23).
        self.assertEqual(s.snapshot.values.tolist(), [6, 13, 20, 23])
        self.assertEqual(str(s.time.values[0])[:7], "2018-07")
        self.assertEqual(s.sizes["person"], s.person_home.size)
        self.assertGreater(s.sizes["firm"], 1000)
        self.assertIn("time", s.coords)

    def test_snapshot_agrees_with_aggregates(self):
        s = xr.open_dataset(self.trace, engine="h5netcdf", group="snapshot")
        c = xr.open_dataset(self.trace, engine="h5netcdf", group="county")
        with h5py.File(self.trace, "r") as f:
            P = int(f.attrs["persons_per_agent"])
        n = c.sizes["county"]
        for k, step in enumerate(s.snapshot.values):
            county = s.person_county.values[k]
            residents = np.bincount(county, minlength=n) * P
            np.testing.assert_array_equal(residents, c.population.values[step])
            emp = s.person_employer.values[k]
            employed = np.bincount(county[emp >= 0], minlength=n) * P
            np.testing.assert_array_equal(employed, c.employment.values[step])
            # Workers counted by firms = persons with an employer; jobs by workplace county.
            alive = s.firm_alive.values[k] == 1
            workers = s.firm_workers.values[k]
            self.assertEqual(int(workers[alive].sum()), int((emp >= 0).sum()))
            self.assertEqual(int(workers[~alive].sum()), 0)
            jobs = np.bincount(s.firm_county.values[k][alive], weights=workers[alive], minlength=n) * P
            np.testing.assert_allclose(jobs, c.jobs.values[step])
            # Every employer is a live firm.
            self.assertTrue(np.all(alive[emp[emp >= 0]]))

    def test_panel_matches_snapshot(self):
        p = xr.open_dataset(self.trace, engine="h5netcdf", group="panel")
        s = xr.open_dataset(self.trace, engine="h5netcdf", group="snapshot")
        c = xr.open_dataset(self.trace, engine="h5netcdf", group="county")
        self.assertEqual(p.sizes["person"], 500)
        self.assertEqual(p.sizes["firm"], 100)
        self.assertEqual(p.sizes["time"], 24)
        ids = p.person.values
        self.assertTrue(np.all(np.diff(ids) > 0))
        codes = c.county.values
        for k, step in enumerate(s.snapshot.values):
            np.testing.assert_array_equal(p.county.values[step], codes[s.person_county.values[k][ids]])
            np.testing.assert_array_equal(p.employer.values[step], s.person_employer.values[k][ids])
            fid = p.firm.values
            np.testing.assert_array_equal(p.firm_workers.values[step], s.firm_workers.values[k][fid])
            np.testing.assert_array_equal(p.firm_va.values[step], s.firm_va.values[k][fid])
        np.testing.assert_array_equal(p.home.values, codes[s.person_home.values[ids]])
        # The sample is spread over the province (stratified by start county).
        self.assertGreater(len(set(p.home.values.tolist())), 60)

    def test_person_events_off_keeps_counts(self):
        out = os.path.join(self.dir, "noev.h5")
        ft.sim("run", ft.SMOKE, "-o", out, "--quiet", "--set", "run.end=2018-12", "--set", "trace.person_events=false",
               "--set", "trace.panel_persons=0", "--set", "trace.panel_firms=0")
        e = xr.open_dataset(out, engine="h5netcdf", group="events")
        self.assertNotIn(6, set(e.kind.values.tolist()))  # person_migration
        self.assertGreater(len(e.kind), 0)
        c = xr.open_dataset(out, engine="h5netcdf", group="county")
        self.assertGreater(float(c.migrants_out.sum()), 0)
        with h5py.File(out, "r") as f:
            self.assertNotIn("panel", f)
            self.assertNotIn("snapshot", f)

    def test_no_trace(self):
        stats = os.path.join(self.dir, "stats.json")
        p = ft.sim("run", ft.SMOKE, "--no-trace", "--stats-json", stats, "--set", "run.end=2018-06", cwd=self.dir)
        self.assertIn("ran without a trace", p.stdout)
        self.assertEqual([f for f in os.listdir(self.dir) if f.startswith("smoke")], [])
        import json
        with open(stats) as f:
            js = json.load(f)
        self.assertFalse(js["traced"])
        self.assertEqual(js["steps"], 6)
        bad = ft.sim("run", ft.SMOKE, "--no-trace", "-o", os.path.join(self.dir, "x.h5"), check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("--no-trace and --output", bad.stderr)


if __name__ == "__main__":
    unittest.main()
