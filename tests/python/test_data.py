"""The input tables are cited: every number has a source and a quality, the county table is
complete and sums to the province's own 2018 bulletin, and the approx share does not grow.

The quality counts printed here are the ones the closing notes and sim/docs/model.md §2 quote.
"""
import collections
import csv
import os
import unittest

import feidi_test as ft

DATA = os.path.join(ft.SOURCE, "sim", "data")
REQUIRED = ["population_2018", "gdp_2018", "fiscal_revenue_2018", "secondary_share_2018"]
QUALITIES = {"reported", "derived", "approx"}


def rows(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


class CountyTable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.counties = rows("counties.csv")
        cls.stats = rows("county_stats.csv")
        cls.mountain = {r["code"] for r in cls.counties if r["accelerated"] == "1"}

    def test_every_county_has_every_required_figure_with_source_and_quality(self):
        have = collections.defaultdict(set)
        for r in self.stats:
            self.assertIn(r["quality"], QUALITIES, r)
            self.assertTrue(r["source"].strip(), r)
            self.assertNotIn("/work/", r["source"], "sources are documents, not machine paths")
            if r["quality"] != "reported":
                self.assertTrue(r["method"].strip(), r)
            have[r["code"]].add(r["indicator"])
        self.assertEqual(len(self.counties), 90)
        for c in self.counties:
            self.assertTrue(set(REQUIRED) <= have[c["code"]], (c["code"], c["name"], set(REQUIRED) - have[c["code"]]))

    def test_sums_match_the_provincial_bulletin_within_two_percent(self):
        # 2018年浙江省国民经济和社会发展统计公报 (浙江省统计局, 2019): 5737万 residents, 56197亿 GDP.
        pop = sum(float(r["value"]) for r in self.stats if r["indicator"] == "population_2018")
        gdp = sum(float(r["value"]) for r in self.stats if r["indicator"] == "gdp_2018")
        self.assertAlmostEqual(pop / 5737, 1.0, delta=0.02)
        self.assertAlmostEqual(gdp / 56197, 1.0, delta=0.02)

    def test_quality_counts(self):
        count = collections.Counter()
        for r in self.stats:
            if r["indicator"] in REQUIRED:
                count[(r["indicator"], r["quality"], r["code"] in self.mountain)] += 1
        total = sum(count.values())
        approx = sum(v for (i, q, m), v in count.items() if q == "approx")
        approx26 = sum(v for (i, q, m), v in count.items() if q == "approx" and m)
        print(f"\ncounty_stats.csv: {total} required cells, {approx} approx ({approx / total:.1%}); "
              f"26 counties: {approx26} approx of {4 * len(self.mountain)}")
        for ind in REQUIRED:
            print("  " + ind + ": " + ", ".join(f"{q} {sum(v for (i, qq, m), v in count.items() if i == ind and qq == q)}"
                                                for q in ("reported", "derived", "approx")))
        # Population and GDP are never approx; the approx share may only fall (30.3 % when the
        # researched table landed, 27.8 % after round 4; the target is under 10 %).
        for ind in ("population_2018", "gdp_2018"):
            self.assertEqual(sum(v for (i, q, m), v in count.items() if i == ind and q == "approx"), 0, ind)
        self.assertLessEqual(approx / total, 0.278)
        self.assertLessEqual(approx26, 28)
        # The docs state the share this table has.
        share = f"{100 * approx / total:.0f} %"
        with open(os.path.join(ft.SOURCE, "README.md"), encoding="utf-8") as f:
            self.assertIn(f"{share} of the county cells are still", f.read())
        with open(os.path.join(ft.SOURCE, "sim", "docs", "model.md"), encoding="utf-8") as f:
            self.assertIn(f"but {share} of the required cells", f.read().replace("\n  ", " "))


class OtherTables(unittest.TestCase):
    def test_parks_and_pairings_carry_source_and_quality(self):
        for name in ("enclaves.csv", "plan_2022_enclaves.csv", "qingyuan_eco_enclave.csv", "pairings.csv",
                     "sectors.csv"):
            for r in rows(name):
                with self.subTest(table=name, row=r.get("name") or r.get("key") or r.get("source_code")):
                    self.assertIn(r["quality"], QUALITIES)
                    self.assertTrue(r["source"].strip())

    def test_the_2018_parks_match_the_seeds_count(self):
        kinds = collections.Counter(r["kind"] for r in rows("enclaves.csv"))
        self.assertEqual(kinds, {"eco": 3, "scitech": 3, "poverty": 10})
        # Parks named in a source (the seed or public pages); the rest are slots at documented pairings.
        identified = sum(not r["source"].startswith("slot for") for r in rows("enclaves.csv"))
        print(f"\nenclaves.csv: {identified} of 16 parks identified, "
              f"{sum(r['quality'] != 'approx' for r in rows('enclaves.csv'))} with cited terms")
        self.assertGreaterEqual(identified, 9)

    def test_the_start_state_is_derived(self):
        for r in rows("enclave_start.csv"):
            self.assertEqual(r["quality"], "derived")
            self.assertIn("back-cast", r["method"])


if __name__ == "__main__":
    unittest.main()
