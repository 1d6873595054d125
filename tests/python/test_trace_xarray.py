"""The trace as an analyst sees it: every group opens in xarray (h5netcdf), with units,
long names, CF time, county codes and Chinese names, the resolved config and metadata."""
import os
import tomllib
import unittest

import h5py
import numpy as np
import pandas as pd
import xarray as xr

import feidi_test as ft


class TraceInXarray(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.path = os.path.join(cls.dir, "smoke.h5")
        cls.proc = ft.sim("run", ft.SMOKE, "-o", cls.path, "--threads", "2")

    def open(self, group):
        return xr.open_dataset(self.path, engine="h5netcdf", group=group)

    def test_groups_open_with_expected_dims(self):
        county = self.open("county")
        self.assertEqual(dict(county.sizes), {"time": 36, "county": 90})
        enclave = self.open("enclave")
        self.assertEqual(enclave.sizes["enclave"], 16)
        self.assertEqual(enclave.sizes["time"], 36)
        self.assertEqual(dict(self.open("province").sizes), {"time": 36})
        self.assertGreater(self.open("events").sizes["event"], 0)
        self.assertEqual(self.open("interventions").sizes["intervention"], 0)

    def test_required_variables_and_dims(self):
        county = self.open("county")
        for v in ["gdp", "population", "fiscal_revenue", "gdp_per_capita_ratio", "weak_villages"]:
            self.assertEqual(county[v].dims, ("time", "county"), v)
        enclave = self.open("enclave")
        for v in ["output", "employment", "land_used_mu", "tax_local", "tax_to_source", "kind"]:
            self.assertEqual(enclave[v].dims, ("time", "enclave"), v)
        self.assertEqual(sorted(set(enclave.kind.values[0].tolist())), [0, 1, 2])
        self.assertEqual(enclave.kind.attrs["flag_meanings"], "eco scitech poverty")

    def test_every_variable_has_units_and_long_name(self):
        for g in ["county", "enclave", "province", "events", "interventions"]:
            ds = self.open(g)
            for name, var in {**ds.data_vars, **ds.coords}.items():
                if var.dtype.kind in "OSU":
                    continue  # names are strings
                if name == "time" or var.dtype.kind == "M":
                    continue  # decoded CF time keeps its units in encoding
                self.assertIn("units", var.attrs, f"{g}/{name}")
                self.assertIn("long_name", var.attrs, f"{g}/{name}")

    def test_time_is_cf_and_decodes_to_months(self):
        county = self.open("county")
        times = pd.DatetimeIndex(county.time.values)
        self.assertEqual(times[0], pd.Timestamp("2018-01-01"))
        self.assertEqual(times[-1], pd.Timestamp("2020-12-01"))
        self.assertTrue(all(t.day == 1 for t in times))
        with h5py.File(self.path, "r") as f:
            self.assertEqual(f["county/time"].attrs["units"], "days since 2018-01-01")
            self.assertEqual(f["county/time"].attrs["calendar"], "standard")

    def test_counties_are_real(self):
        county = self.open("county")
        codes = county.county.values
        self.assertIn(330727, codes)
        panan = county.sel(county=330727)
        self.assertEqual(str(panan.name.values), "磐安县")
        self.assertEqual(int(panan.accelerated.values), 1)
        self.assertEqual(int(county.accelerated.sum()), 26)
        self.assertAlmostEqual(float(county.population.isel(time=0).sum()) / 57.37e6, 1.0, places=2)
        self.assertAlmostEqual(float(county.gdp.isel(time=0).sum()) / 5.62e12, 1.0, delta=0.02)

    def test_root_attributes(self):
        with h5py.File(self.path, "r") as f:
            a = f.attrs
            self.assertEqual(a["Conventions"], "CF-1.8")
            self.assertEqual(a["feidi_schema_version"], "1.1")
            self.assertEqual(int(a["seed"]), 7)
            self.assertIn("source_version", a)
            cfg = tomllib.loads(a["config"])
            self.assertEqual(cfg["scale"]["persons_per_agent"], 1000)
            self.assertEqual(cfg["run"]["name"], "smoke")
            self.assertEqual(int(a["run_completed"]), 1)
            self.assertEqual(int(a["run_threads"]), 2)
            self.assertEqual(int(f["steps_written"][()]), 36)

    def test_events_reference_real_counties(self):
        ev = self.open("events")
        county = self.open("county")
        codes = set(county.county.values.tolist()) | {-1}
        self.assertTrue(set(np.unique(ev.from_county.values).tolist()) <= codes)
        self.assertTrue(set(np.unique(ev.to_county.values).tolist()) <= codes)
        meanings = ev.kind.attrs["flag_meanings"].split()
        self.assertIn("person_migration", meanings)
        kinds = {meanings[k] for k in np.unique(ev.kind.values)}
        for k in ["person_migration", "firm_relocation", "leader_turnover", "village_joined_pool"]:
            self.assertIn(k, kinds)

    def test_pandas_frame_from_xarray(self):
        df = self.open("county")[["gdp", "population"]].to_dataframe()
        self.assertEqual(len(df), 36 * 90)
        self.assertTrue((df.population > 0).all())

    def test_run_prints_summary_and_info_agrees(self):
        self.assertIn("26 mountain counties", self.proc.stdout)
        info = ft.sim("info", self.path)
        self.assertIn("smoke", info.stdout)
        self.assertIn("36 of 36 steps written, complete", info.stdout)
        # The summary printed after the run is the one info prints.
        summary = self.proc.stdout[self.proc.stdout.index("Summary"):].split("  wrote")[0]
        self.assertIn(summary, info.stdout)


if __name__ == "__main__":
    unittest.main()
