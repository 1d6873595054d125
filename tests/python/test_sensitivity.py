"""feidi-sim sensitivity: Morris elementary effects rank a lever without effect on an
output below one with a clear effect (and the ranking swaps with the output), the
HDF5 result opens in xarray, and 2 MPI ranks give the same result."""
import os
import unittest

import numpy as np
import xarray as xr

import feidi_test as ft

TINY = ["--set", "scale.persons_per_agent=5000", "--set", "scale.firms_per_agent=100", "--set", "run.end=2019-12",
        "--set", "tax_split.mode=fixed", "--set", "growth.public_investment_share=0"]
# The source's tax share moves the tax flowing to source counties but not the GDP statistics;
# the share of enclave GDP attributed to the source moves the statistics but not the tax —
# with no public investment out of fiscal revenue (growth.public_investment_share = 0), which
# would otherwise turn tax (and quota proceeds, priced at the host's attributed GDP) into
# capital and so into output.
TAX, GDP_STAT = "tax_split.fixed_source_share", "tax_split.gdp_attribution_source_share"
LEVERS = ["--levers", f"{TAX},{GDP_STAT}", "-r", "4", "-p", "4", "--design-seed", "3"]


def sensitivity(out, output, *extra):
    return ft.sim("sensitivity", ft.SMOKE, "--indicator", output, "-o", out, *TINY, *LEVERS, *extra)


class Morris(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.tax = os.path.join(cls.dir, "tax.h5")
        cls.stat = os.path.join(cls.dir, "stat.h5")
        cls.tax_out = sensitivity(cls.tax, "province.tax_to_source@mean").stdout
        cls.stat_out = sensitivity(cls.stat, "province.gdp_per_capita_ratio_26@mean", "-q").stdout

    def result(self, path):
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            return ds.load()

    def test_the_lever_without_effect_ranks_last(self):
        for path, strong, none in ((self.tax, TAX, GDP_STAT), (self.stat, GDP_STAT, TAX)):
            ds = self.result(path)
            keys = [str(k) for k in ds["key"].values]
            s, n = keys.index(strong), keys.index(none)
            self.assertGreater(ds["mu_star"].values[s], 0.0, path)
            self.assertEqual(ds["mu_star"].values[n], 0.0, path)  # exactly no effect: same outputs with CRN
            self.assertEqual(ds["sigma"].values[n], 0.0, path)
            self.assertEqual(int(ds["rank"].values[s]), 1)
            self.assertEqual(int(ds["rank"].values[n]), 2)
        # Higher source share: more tax to the sources, every time.
        ds = self.result(self.tax)
        ee = ds["elementary_effects"].values[[str(k) for k in ds["key"].values].index(TAX)]
        self.assertTrue(np.all(ee > 0), ee)

    def test_printed_table_is_ranked(self):
        lines = [l for l in self.tax_out.splitlines() if len(l.split()) > 1 and l.split()[1] in (TAX, GDP_STAT)]
        self.assertEqual(len(lines), 2, self.tax_out)
        self.assertEqual(lines[0].split()[:2], ["1", TAX])
        self.assertEqual(lines[1].split()[:2], ["2", GDP_STAT])
        self.assertIn("mu*", self.tax_out)
        self.assertEqual(self.stat_out, "")  # -q
        # The lever without effect is listed under the table with a reason.
        tail = self.tax_out.split("mu* = 0:", 1)
        self.assertEqual(len(tail), 2, self.tax_out)
        self.assertIn(GDP_STAT, tail[1])
        self.assertNotIn(TAX, tail[1])

    def test_old_flag_is_refused_with_a_hint(self):
        # --output is the result file, as for run and sweep; the indicator is --indicator.
        p = ft.sim("sensitivity", ft.SMOKE, "--output", "province.theil@end", "-o", "x.h5", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)

    def test_result_file_layout(self):
        ds = self.result(self.tax)
        self.assertEqual(dict(ds.sizes), {"lever": 2, "point": 12, "trajectory": 4, "replicate": 1})
        for v, dims in (("mu", ("lever",)), ("mu_star", ("lever",)), ("sigma", ("lever",)),
                        ("design_unit", ("point", "lever")), ("design_value", ("point", "lever")),
                        ("output", ("point",)), ("output_replicates", ("point", "replicate")),
                        ("elementary_effects", ("lever", "trajectory"))):
            self.assertEqual(ds[v].dims, dims, v)
        u = ds["design_unit"].values
        self.assertTrue(np.all(np.isin(np.round(u * 3, 12), [0, 1, 2, 3])))  # p = 4 levels
        self.assertAlmostEqual(float(ds.attrs["delta"]), 2 / 3)
        self.assertEqual(ds.attrs["indicator"], "province.tax_to_source@mean")
        # The lever dimension's coordinate values are the lever keys.
        self.assertEqual([str(k) for k in ds["lever"].values], [str(k) for k in ds["key"].values])
        self.assertEqual(float(ds["mu_star"].sel(lever=TAX)), float(ds["mu_star"].values[list(ds["key"].values).index(TAX)]))
        # mu* is the mean absolute elementary effect.
        np.testing.assert_allclose(ds["mu_star"].values, np.abs(ds["elementary_effects"].values).mean(axis=1))

    def test_two_ranks_give_the_same_result(self):
        out = os.path.join(self.dir, "tax_np2.h5")
        p = ft.mpirun(2, "sensitivity", ft.SMOKE, "--indicator", "province.tax_to_source@mean", "-o", out, *TINY, *LEVERS, "-q")
        self.assertEqual(p.returncode, 0, p.stderr)
        ft.assert_same_data(self, self.tax, out, ignore_attrs=set(ft.root_attrs(out)["execution_metadata"].split()))

    def test_not_a_lever(self):
        out = os.path.join(self.dir, "bad.h5")
        p = ft.sim("sensitivity", ft.SMOKE, "--indicator", "province.theil@end", "-o", out, "--levers", "scale.persons_per_agent",
                   check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("'scale.persons_per_agent' is not a lever", p.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
