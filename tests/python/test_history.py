"""The baseline starts where the parks' history leaves them: the back-cast (1995→2018) and the
baseline agree at 2018-01 on every park that operated before 2018 with some history (金磐开发区
since 1995, 江东杭千开发区 since 2003), within stated tolerances:

- land granted: the back-cast's land at the end of 2017 within 5 % of the land the baseline starts
  with (enclaves.csv: the back-cast's historical caps are the same numbers);
- workers: within 25 % for 金磐 (the back-cast fills the park by entry and relocation over 23 years,
  the baseline by moving host firms of the park's kind in at the start), 40 % for 杭千 (200 mu hold
  about 900 workers: four or five firm agents at the baseline's 1:10 firms, so one agent more or
  less moves the count by a fifth);
- share of workers from the source within 0.10 and share commuting from it within 0.15 (this test
  runs one seed of each, the file is the mean of three, and a seed moves the commuting share by about
  ±0.06; the baseline starts from sim/data/enclave_start.csv, which ./feidi backcast-state derives from the back-cast: this
  test fails when the model or its calibration changed and the file was not regenerated);
- the tax split: equal where the park's own agreement fixes it (金磐: all to 磐安, enclaves.csv); a
  negotiated split (杭千) depends on the leaders of the day and is not compared.
"""
import os
import unittest

import csv

import h5py

import feidi_test as ft

PARKS = ["金磐开发区", "江东杭千开发区"]
WORKERS_TOLERANCE = {"金磐开发区": 0.25, "江东杭千开发区": 0.40}


def park_rows(path):
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in f["enclave/name"][:]]
        row = f["enclave/time"].shape[0] - 1
        out = {}
        for name in PARKS:
            land_2017 = float(f["enclave/land_granted_mu"][row - 1, names.index(name)])
            e = names.index(name)
            emp = float(f["enclave/employment"][row, e])
            out[name] = dict(land_2017=land_2017, workers=emp,
                             from_source=float(f["enclave/employment_from_source"][row, e]) / emp,
                             commuting=float(f["enclave/commuters"][row, e]) / emp,
                             share=float(f["enclave/tax_share_source"][row, e]))
        return out


class History(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        tmp = ft.tmpdir()
        cls.back = os.path.join(tmp, "backcast.h5")
        cls.base = os.path.join(tmp, "baseline.h5")
        ft.sim("run", os.path.join(ft.SOURCE, "configs", "jinpan_1995.toml"), "-o", cls.back,
               "--set", "run.end=2018-01", "--set", "trace.person_events=false")
        ft.sim("run", ft.BASELINE, "-o", cls.base, "--set", "run.end=2018-01", "--set", "trace.person_events=false")

    def test_parks_with_a_history_start_as_the_back_cast_ends(self):
        back, base = park_rows(self.back), park_rows(self.base)
        with open(os.path.join(ft.SOURCE, "sim", "data", "enclaves.csv"), encoding="utf-8") as fh:
            table = {r["name"]: r for r in csv.DictReader(l for l in fh if not l.startswith("#"))}
        for name in PARKS:
            b, s = back[name], base[name]
            with self.subTest(park=name):
                self.assertAlmostEqual(b["land_2017"] / float(table[name]["granted_mu"]), 1.0, delta=0.05)
                self.assertAlmostEqual(s["workers"] / b["workers"], 1.0, delta=WORKERS_TOLERANCE[name])
                self.assertAlmostEqual(s["from_source"], b["from_source"], delta=0.10)
                self.assertAlmostEqual(s["commuting"], b["commuting"], delta=0.15)
                if table[name]["fixed_tax_share"]:
                    self.assertEqual(s["share"], b["share"])
                    self.assertEqual(s["share"], float(table[name]["fixed_tax_share"]))

    def test_jinpan_employs_people_from_panan_from_the_start(self):
        # The fault this guards against: 金磐 at 2018-01 with ~95 of its ~20 k workers from 磐安.
        self.assertGreater(park_rows(self.base)["金磐开发区"]["from_source"], 0.3)


if __name__ == "__main__":
    unittest.main()
