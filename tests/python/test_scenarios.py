"""Every scenario config runs (briefly, at reduced scale) and its trace shows what the
scenario is about."""
import glob
import os
import tomllib
import unittest

import h5py
import numpy as np
import xarray as xr

import feidi_test as ft

CONFIGS = sorted(glob.glob(os.path.join(ft.SOURCE, "configs", "*.toml")))
FAST = ["--set", "scale.persons_per_agent=2000", "--set", "scale.firms_per_agent=200", "--quiet"]


def short_end(config):
    with open(config, "rb") as f:
        start = tomllib.load(f).get("run", {}).get("start", "2018-01")
    return f"run.end={int(start[:4]) + 1}{start[4:]}"


class Scenarios(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.traces = {}
        for cfg in CONFIGS:
            name = os.path.splitext(os.path.basename(cfg))[0]
            out = os.path.join(cls.dir, name + ".h5")
            ft.sim("run", cfg, "-o", out, *FAST, "--set", short_end(cfg))
            cls.traces[name] = out

    def test_all_shipped_scenarios_exist_and_are_documented(self):
        expected = {"baseline", "smoke", "plan_2022", "jinpan_1995", "qingyuan_eco", "land_constrained", "turnover",
                    "no_enclaves"}
        self.assertTrue(expected <= set(self.traces), sorted(self.traces))
        for cfg in CONFIGS:
            with open(cfg, encoding="utf-8") as f:
                head = f.read().splitlines()[:3]
            self.assertTrue(head[0].startswith("# "), f"{cfg} starts with a comment documenting the scenario")

    def enclave(self, name):
        return xr.open_dataset(self.traces[name], engine="h5netcdf", group="enclave")

    def test_plan_adds_enclaves_to_all_26(self):
        e = self.enclave("plan_2022")
        self.assertEqual(e.sizes["enclave"], 40)
        c = xr.open_dataset(self.traces["plan_2022"], engine="h5netcdf", group="county")
        sources = set(e.source.values.tolist())
        mountain = set(c.county.values[c.accelerated.values == 1].tolist())
        self.assertEqual(mountain & sources, mountain)

    def test_no_enclaves_has_none(self):
        self.assertEqual(self.enclave("no_enclaves").sizes["enclave"], 0)
        p = xr.open_dataset(self.traces["no_enclaves"], engine="h5netcdf", group="province")
        self.assertTrue(np.all(p.tax_to_source.values == 0))

    def test_jinpan_backcast_starts_in_1995(self):
        with h5py.File(self.traces["jinpan_1995"], "r") as f:
            self.assertEqual(f.attrs["start"], "1995-01")
            names = [n.decode() if isinstance(n, bytes) else n for n in f["enclave/name"][()]]
            status = f["enclave/status"][0]
            # 金磐 is founded in 1995-06; parks founded later are vacant slots at the start.
            self.assertEqual(status[names.index("金磐开发区")], 0)
            self.assertEqual(f["enclave/status"][6][names.index("金磐开发区")], 1)  # building from 1995-06
            self.assertEqual(status[names.index("衢州海创园")], 0)

    def test_qingyuan_and_turnover(self):
        e = self.enclave("qingyuan_eco")
        self.assertEqual(str(e.name.values[-1]), "庆元—嘉善生态补偿飞地")
        t = self.enclave("turnover")
        self.assertTrue(np.all(t["mode"].values == 0))  # government-led everywhere

    def test_land_caps(self):
        e = self.enclave("land_constrained")
        names = list(e.name.values)
        self.assertLessEqual(float(e.land_granted_mu.values[-1, names.index("江东杭千开发区")]), 200.0)


if __name__ == "__main__":
    unittest.main()
