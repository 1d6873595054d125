"""feidi-sim calibrate: waves of parameter sets through the scenarios of S1–S6, a record that
opens in xarray (dim `sample`) with the fit of every set, acceptance only of plausible sets, a
calibrated config that scenarios can include, the same record on 1 and 2 MPI ranks, and bad
input named by file, line and key."""
import os
import unittest

import h5py
import numpy as np
import xarray as xr

import feidi_test as ft

CALIBRATION = """
[design]
samples_per_wave = 4
waves = 2
accept = 2
seed = 7
configs = "{configs}"

[fixed]
"scale.persons_per_agent" = 5000
"scale.firms_per_agent" = 500

[parameters]
"enclaves.scitech_projects_per_year" = [20, 150]
"persons.enclave_hiring_priority" = [0.3, 1.0]
"""


class Calibrate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.cal = os.path.join(cls.dir, "cal.toml")
        with open(cls.cal, "w") as f:
            f.write(CALIBRATION.format(configs=os.path.join(ft.SOURCE, "configs")))
        cls.targets = os.path.join(ft.SOURCE, "configs", "calibration", "targets.toml")
        cls.out = os.path.join(cls.dir, "cal.h5")
        cls.cfg = os.path.join(cls.dir, "calibrated.toml")
        cls.proc = ft.sim("calibrate", cls.cal, "--targets", cls.targets, "-o", cls.out, "--write-config", cls.cfg)

    def test_record_opens_in_xarray_with_every_set(self):
        with xr.open_dataset(self.out, engine="h5netcdf") as ds:
            self.assertEqual(ds.sizes["sample"], 8)
            for v in ["enclaves.scitech_projects_per_year", "measured_S5", "z_S5", "implausibility", "distance",
                      "wave", "plausible", "accepted"]:
                self.assertIn(v, ds.variables, v)
            self.assertEqual(sorted(set(ds["wave"].values.tolist())), [0, 1])
            acc, plaus = ds["accepted"].values, ds["plausible"].values
            self.assertLessEqual(int(acc.sum()), 2)
            self.assertTrue(np.all(plaus[acc == 1] == 1), "only plausible sets are accepted")
            self.assertTrue(np.all(ds["implausibility"].values[plaus == 1] <= 3.0))
            x = ds["enclaves.scitech_projects_per_year"].values
            self.assertTrue(np.all((x >= 20) & (x <= 150)))
            self.assertEqual(ds["measured_S5"].attrs["informs"], "enclaves.scitech_projects_per_year")

    def test_table_and_calibrated_config(self):
        self.assertIn("Targets (observed", self.proc.stdout)
        self.assertIn("enclaves.scitech_projects_per_year", self.proc.stdout)
        with open(self.cfg) as f:
            text = f.read()
        self.assertIn("[enclaves]", text)
        self.assertIn("scitech_projects_per_year = ", text)
        # A scenario that includes it runs with the calibrated value.
        scenario = os.path.join(self.dir, "uses.toml")
        with open(scenario, "w") as f:
            f.write('include = "calibrated.toml"\n[run]\nend = "2018-03"\n[scale]\npersons_per_agent = 5000\n'
                    'firms_per_agent = 500\n')
        trace = os.path.join(self.dir, "uses.h5")
        ft.sim("run", scenario, "-o", trace)
        value = [l for l in text.splitlines() if l.startswith("scitech_projects_per_year")][0].split("=")[1].strip()
        with h5py.File(trace, "r") as f:
            config = f.attrs["config"]
            config = config.decode() if isinstance(config, bytes) else config
        self.assertIn("scitech_projects_per_year = " + value, config)

    def test_same_record_on_two_ranks(self):
        out2 = os.path.join(self.dir, "cal2.h5")
        p = ft.mpirun(2, "calibrate", self.cal, "--targets", self.targets, "-o", out2, "-q")
        self.assertEqual(p.returncode, 0, p.stderr)
        a, b = ft.datasets(self.out), ft.datasets(out2)
        self.assertEqual(sorted(a), sorted(b))
        for k in a:
            np.testing.assert_array_equal(a[k], b[k], k)

    def test_bad_input(self):
        bad = os.path.join(self.dir, "bad.toml")
        with open(bad, "w") as f:
            f.write('[parameters]\n"enclaves.no_such_key" = [0, 1]\n')
        p = ft.sim("calibrate", bad, "--targets", self.targets, "-o", os.path.join(self.dir, "x.h5"), check=False)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr.strip(), f"error: {bad}:2:26: key 'parameters.enclaves.no_such_key': unknown config key")
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x.h5")))
        p = ft.sim("calibrate", self.cal, "-o", os.path.join(self.dir, "x.h5"), check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--targets", p.stderr)


if __name__ == "__main__":
    unittest.main()
