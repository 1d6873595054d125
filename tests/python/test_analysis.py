"""feidi_analysis (sim/python): a smoke trace opened as xarray Datasets and pandas frames,
decoded codes, the 26-vs-rest ratio, yearly aggregation, scenario comparison, a trace
cut to `steps_written` as a growing (SWMR) file is, and a trace whose data are damaged."""
import os
import re
import shutil
import struct
import sys
import unittest
import warnings

import h5py
import numpy as np
import pandas as pd
import xarray as xr

import feidi_test as ft

sys.path.insert(0, os.path.join(ft.SOURCE, "sim", "python"))
import feidi_analysis as fa  # noqa: E402

STEPS = 36          # smoke: 2018-01 .. 2020-12
PARTIAL = 20        # steps_written of the edited copy (2018-01 .. 2019-08)


def lever_code(key):
    """Code of a lever in interventions/lever: its position among the keys marked *lever* in the
    config reference (the order of the registry)."""
    levers, section = [], None
    for line in ft.sim("config-doc").stdout.splitlines():
        if line.startswith("## ["):
            section = line[4:line.index("]")]
        elif line.startswith("| `") and "*lever*" in line:
            levers.append(section + "." + line.split("`")[1])
    return levers.index(key)


SAME_CITY = lever_code("enclaves.same_city")  # code of lever `enclaves.same_city` in interventions/lever


def summary_row(stdout, label):
    """The two numbers of a row of the summary feidi-sim prints (first and last month)."""
    m = re.search(re.escape(label) + r"[^\n]*?\s+([-\d.,]+)\s+([-\d.,]+)\s*$", stdout, re.M)
    if not m:
        raise AssertionError(f"summary row {label!r} not found in:\n{stdout}")
    return [float(x.replace(",", "")) for x in m.groups()]


def edit_copy(src, dst):
    """A copy of `src` that looks like a trace caught while being written: steps_written =
    PARTIAL, run_completed = 0, county/gdp one row longer than time (h5netcdf pads the
    rest), three events of the step in progress (only `step` and `subject` written), and
    two interventions: one at step 12 (kept) and one at step PARTIAL (not yet written)."""
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        f["steps_written"][()] = PARTIAL
        f.attrs["run_completed"] = np.int64(0)
        gdp = f["county/gdp"]
        gdp.resize((gdp.shape[0] + 1, gdp.shape[1]))
        gdp[-1] = 1.0
        n = f["events/step"].shape[0]
        for name in ["step", "subject"]:
            f["events/" + name].resize((n + 3,))
        f["events/step"][n:] = STEPS
        iv = f["interventions"]
        rows = {"intervention": [0, 1], "step": [12, PARTIAL], "time": [365, 365 + 243],
                "lever": [SAME_CITY, 0], "old_value": [0.5, 6.0], "new_value": [1.0, 3.0]}
        for name, values in rows.items():
            iv[name].resize((2,))
            iv[name][:] = values


def damage_chunk_index(src, dst, variable):
    """A copy of `src` whose `variable` (a chunked dataset) cannot be read, though the file and
    its group open: the trace stores data raw (no filter, no checksum), so zeroing data bytes
    only changes values; instead the 8 bytes of the chunk index that hold the file offset of
    the first chunk (``get_chunk_info(0).byte_offset``) are zeroed, and the index block's
    checksum fails when the data are read. Returns `dst`."""
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r") as f:
        address = f[variable].id.get_chunk_info(0).byte_offset
    with open(dst, "rb") as f:
        raw = f.read()
    entry = struct.pack("<Q", address)
    # The entry inside an index block (extensible/fixed array, v2 B-tree): a block signature
    # shortly before it (the same 8 bytes may also occur in some integer data).
    hits = [m.start() for m in re.finditer(re.escape(entry), raw)
            if re.search(rb"(EAIB|EADB|FADB|BTLF)", raw[max(0, m.start() - 64):m.start()])]
    if len(hits) != 1:
        raise AssertionError(f"{variable}: chunk address {address} found in {len(hits)} index blocks")
    with open(dst, "r+b") as f:
        f.seek(hits[0])
        f.write(b"\0" * 8)
    return dst


class Analysis(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.path = os.path.join(cls.dir, "smoke.h5")
        cls.proc = ft.sim("run", ft.SMOKE, "-o", cls.path, "--threads", "2")
        cls.edited = os.path.join(cls.dir, "edited.h5")
        edit_copy(cls.path, cls.edited)
        cls.t = fa.open_trace(cls.path)
        cls.p = fa.open_trace(cls.edited)

    @classmethod
    def tearDownClass(cls):
        cls.t.close()
        cls.p.close()
        shutil.rmtree(cls.dir, ignore_errors=True)

    # -- open_trace ----------------------------------------------------------------------

    def test_root_metadata_and_config(self):
        t = self.t
        self.assertEqual(t.path, self.path)
        self.assertEqual(t.steps_written, STEPS)
        self.assertIs(t.complete, True)
        self.assertIs(t.swmr, False)
        self.assertEqual(t.attrs["scenario"], "smoke")
        self.assertEqual(t.attrs["Conventions"], "CF-1.8")
        self.assertEqual((t.attrs["start"], t.attrs["end"]), ("2018-01", "2020-12"))
        self.assertIsInstance(t.attrs["seed"], int)
        self.assertEqual(t.attrs["seed"], 7)
        self.assertEqual(t.attrs["steps_total"], STEPS)
        self.assertEqual(t.config["run"]["name"], "smoke")
        self.assertEqual(t.config["scale"]["persons_per_agent"], 1000)
        self.assertIn("36 of 36 steps", repr(t))

    def test_groups_are_lazy_datasets_of_the_right_size(self):
        t = self.t
        self.assertEqual(t.groups, ("county", "enclave", "province", "events", "interventions", "panel"))
        for g in t.groups:
            self.assertIsInstance(getattr(t, g), xr.Dataset, g)
        for g in ("snapshot", "checkpoint"):  # not written by this run: a clear KeyError naming the file
            with self.assertRaisesRegex(KeyError, f"smoke.h5: this trace has no '{g}' group"):
                getattr(t, g)
        self.assertEqual(dict(t.county.sizes), {"time": STEPS, "county": 90})
        self.assertEqual(dict(t.enclave.sizes), {"time": STEPS, "enclave": 16})
        self.assertEqual(dict(t.province.sizes), {"time": STEPS})
        self.assertEqual(t.interventions.sizes["intervention"], 0)
        self.assertEqual(t.events.sizes["event"], int(t.province.events.sum()))
        self.assertEqual(pd.Timestamp(t.county.time.values[0]), pd.Timestamp("2018-01-01"))
        self.assertIs(t.dataset("county"), t.county)
        with self.assertRaises(KeyError):
            t.dataset("villages")

    def test_missing_and_foreign_files_are_refused(self):
        with self.assertRaises(FileNotFoundError):
            fa.open_trace(os.path.join(self.dir, "nope.h5"))
        other = os.path.join(self.dir, "other.h5")
        with h5py.File(other, "w") as f:
            f["x"] = 1
        with self.assertRaisesRegex(ValueError, "not a Feidi trace"):
            fa.open_trace(other)

    def test_context_manager_closes(self):
        with fa.open_trace(self.path) as t:
            gdp = float(t.county.gdp.isel(time=0).sum())
        self.assertGreater(gdp, 0)
        with self.assertRaisesRegex(ValueError, "closed"):
            t.county

    # -- frames -------------------------------------------------------------------------

    def test_county_frame(self):
        df = self.t.county_frame()
        self.assertEqual(len(df), STEPS * 90)
        self.assertEqual(list(df.index.names), ["time", "county"])
        self.assertEqual(list(df.columns[:3]), ["name", "name_en", "accelerated"])
        for v in ["gdp", "gdp_attributed", "population", "weak_villages", "fiscal_revenue"]:
            self.assertIn(v, df.columns)
        first = df.xs(pd.Timestamp("2018-01-01"), level="time")
        self.assertEqual(len(first), 90)
        self.assertEqual(int(first.accelerated.sum()), 26)
        self.assertAlmostEqual(first.population.sum() / 57.37e6, 1.0, places=3)
        panan = first.loc[330727]
        self.assertEqual((panan["name"], panan["name_en"], bool(panan["accelerated"])), ("磐安县", "Pan'an", True))
        # The same numbers as xarray's.
        np.testing.assert_array_equal(
            df.gdp.to_numpy().reshape(STEPS, 90), self.t.county.gdp.transpose("time", "county").values)

    def test_county_frame_selected_variables(self):
        df = self.t.county_frame(["population", "gdp", "prefecture"])
        self.assertEqual(list(df.columns), ["name", "name_en", "accelerated", "population", "gdp", "prefecture"])
        self.assertEqual(df.loc[(pd.Timestamp("2020-12-01"), 330727), "prefecture"], "金华市")
        self.assertEqual(list(self.t.county_frame("wage").columns)[-1], "wage")
        with self.assertRaises(KeyError):
            self.t.county_frame(["gdp", "no_such_variable"])

    def test_enclave_frame_decodes_kind_and_status(self):
        df = self.t.enclave_frame()
        self.assertEqual(len(df), STEPS * 16)
        self.assertEqual(list(df.index.names), ["time", "enclave"])
        self.assertEqual(list(df.columns[:4]), ["name", "source", "host", "kind"])
        first = df.xs(pd.Timestamp("2018-01-01"), level="time")
        self.assertEqual(first.kind.value_counts().to_dict(), {"poverty": 10, "eco": 3, "scitech": 3})
        meanings = {"vacant", "building", "operating", "stalled", "closed"}
        self.assertTrue(set(df.status) <= meanings, set(df.status))
        self.assertIn("operating", set(df.status))
        codes = set(self.t.county.county.values.tolist())
        mountain = set(self.t.county.county.values[self.t.county.accelerated.values == 1].tolist())
        self.assertTrue(set(df.source) <= mountain)   # sources are the 26 counties
        self.assertTrue(set(df.host) <= codes - mountain)
        # Decoded statuses match the codes.
        status = self.t.enclave.status.transpose("time", "enclave").values.reshape(-1)
        names = np.array(self.t.enclave.status.attrs["flag_meanings"].split())
        self.assertEqual(df.status.tolist(), names[status].tolist())
        small = self.t.enclave_frame(["tax_to_source", "mode"])
        self.assertEqual(list(small.columns), ["name", "source", "host", "kind", "tax_to_source", "mode"])
        self.assertTrue(set(small["mode"]) <= {"government", "company", "ppp"})

    def test_events_frame(self):
        ev = self.t.events_frame()
        self.assertEqual(list(ev.columns), ["step", "time", "kind", "subject", "from_county", "to_county", "value"])
        self.assertEqual(ev.index.name, "event")
        self.assertEqual(len(ev), int(self.t.province.events.sum()))
        self.assertTrue(all(isinstance(k, str) for k in ev.kind))
        for k in ["person_migration", "firm_relocation", "leader_turnover", "village_joined_pool"]:
            self.assertIn(k, set(ev.kind))
        self.assertTrue(np.issubdtype(ev.time.dtype, np.datetime64))
        months = (ev.time.dt.year - 2018) * 12 + ev.time.dt.month - 1
        self.assertTrue((months == ev.step).all())
        self.assertTrue(ev.step.between(0, STEPS - 1).all())
        per_step = ev.groupby("step").size().reindex(range(STEPS), fill_value=0)
        np.testing.assert_array_equal(per_step.to_numpy(), self.t.province.events.values)

    def test_interventions_frame(self):
        empty = self.t.interventions_frame()
        self.assertEqual(list(empty.columns), ["step", "time", "lever", "old_value", "new_value"])
        self.assertEqual(len(empty), 0)
        iv = self.p.interventions_frame()  # the edited copy: the step-20 one is not yet written
        self.assertEqual(len(iv), 1)
        row = iv.iloc[0]
        self.assertEqual((row.lever, row.step, row.old_value, row.new_value), ("enclaves.same_city", 12, 0.5, 1.0))
        self.assertEqual(row.time, pd.Timestamp("2019-01-01"))

    def test_decode_flags(self):
        status = fa.decode_flags(self.t.enclave.status)
        self.assertEqual(status.shape, (STEPS, 16))
        self.assertLessEqual(set(status.ravel().tolist()), {"vacant", "building", "operating", "stalled", "closed"})
        # The kind of a park is one decoded value per park (a coordinate).
        kind = self.t.enclave.kind
        self.assertEqual(kind.dims, ("enclave",))
        self.assertEqual(set(kind.values.tolist()), {"eco", "scitech", "poverty"})
        with self.assertRaises(ValueError):
            fa.decode_flags(self.t.county.gdp)

    def test_names_are_coordinates(self):
        c = self.t.county
        self.assertIn("name", c.coords)
        by_name = fa.by_name(c.gdp_per_capita_ratio, "磐安县").values
        np.testing.assert_array_equal(by_name, c.gdp_per_capita_ratio.sel(county=330727).values)
        two = fa.by_name(c, ["磐安县", "Jingning"])  # Chinese or English names
        self.assertEqual(list(two.county.values), [330727, 331127])
        e = self.t.enclave
        first = str(e.name.values[0])
        np.testing.assert_array_equal(fa.by_name(e.output, first).values, e.output.isel(enclave=0).values)
        self.assertEqual(int(fa.by_name(e, first).source), int(e.source.values[0]))
        # Arithmetic between selections still aligns (names are not indexes).
        diff = c.gdp_per_capita_ratio.isel(time=-1) - c.gdp_per_capita_ratio.isel(time=0)
        self.assertEqual(diff.sizes["county"], 90)
        with self.assertRaisesRegex(KeyError, "no county named 'Atlantis'"):
            fa.by_name(c, "Atlantis")

    def test_snapshot_and_panel_groups(self):
        out = os.path.join(ft.tmpdir(), "snap.h5")
        ft.sim("run", ft.SMOKE, "-o", out, "--set", "trace.snapshot_interval_months=12")
        with fa.open_trace(out) as t:
            self.assertIn("snapshot", t.groups)
            s = t.snapshot
            self.assertEqual(s.sizes["snapshot"], 3)
            self.assertEqual([str(x)[:7] for x in s.time.values], ["2018-12", "2019-12", "2020-12"])
            self.assertEqual(s.person_county.dims, ("snapshot", "person"))
            self.assertEqual(t.panel.county.dims, ("time", "person"))
            self.assertEqual(t.panel.sizes["time"], STEPS)

    def test_compare_several_variables_and_differences(self):
        runs = {"base": self.t, "same": self.t}
        df = fa.compare(runs, ["gdp_per_capita_ratio_26", "tax_to_source"])
        self.assertEqual(list(df.columns), [("gdp_per_capita_ratio_26", "base"), ("gdp_per_capita_ratio_26", "same"),
                                            ("tax_to_source", "base"), ("tax_to_source", "same")])
        d = fa.compare(runs, ["gdp_per_capita_ratio_26", "tax_to_source"], relative_to="base")
        self.assertEqual(list(d.columns), [("gdp_per_capita_ratio_26", "same"), ("tax_to_source", "same")])
        self.assertTrue((d.values == 0).all())
        with self.assertRaises(KeyError):
            fa.compare(runs, "gdp", relative_to="nope")
        one = fa.compare(runs, "gdp")
        self.assertEqual(list(one.columns), ["base", "same"])

    def test_year_labels_match_xarray_resample(self):
        pop = self.t.province.population
        np.testing.assert_array_equal(fa.annual(pop)["time"].values,
                                      pop.resample(time=fa.YEAR_FREQ).mean()["time"].values)
        self.assertEqual(str(fa.annual(pop)["time"].values[0])[:10], "2018-01-01")

    def test_flow_units_say_annualised(self):
        self.assertEqual(self.t.province.tax_to_source.attrs["units"], "yuan/year (annualised monthly flow)")
        self.assertEqual(self.t.enclave.tax_per_mu_total.attrs["units"], "yuan/(mu*year) (annualised monthly flow)")

    # -- aggregations ---------------------------------------------------------------------

    def test_mountain_vs_rest_per_capita(self):
        m = self.t.mountain_vs_rest()
        self.assertEqual(list(m.columns), ["26 counties", "other counties"])
        self.assertEqual(len(m), STEPS)
        self.assertIsInstance(m.index, pd.DatetimeIndex)
        # The simulator's own 26-county ratio, and the one its summary prints.
        np.testing.assert_allclose(m["26 counties"].to_numpy(), self.t.province.gdp_per_capita_ratio_26.values,
                                   rtol=1e-9)
        first, last = summary_row(self.proc.stdout, "GDP per capita / province, 26 mountain counties")
        self.assertAlmostEqual(m["26 counties"].iloc[0], first, delta=0.0006)
        self.assertAlmostEqual(m["26 counties"].iloc[-1], last, delta=0.0006)
        self.assertTrue((m["26 counties"] < 1).all() and (m["other counties"] > 1).all())
        # Population-weighted, the two ratios average to the province (1).
        pop = self.t.county.population
        acc = self.t.county.accelerated.values == 1
        p26, prest = pop.isel(county=acc).sum("county").values, pop.isel(county=~acc).sum("county").values
        np.testing.assert_allclose((m["26 counties"] * p26 + m["other counties"] * prest) / (p26 + prest), 1.0,
                                   rtol=1e-12)

    def test_mountain_vs_rest_sums(self):
        m = self.t.mountain_vs_rest("gdp", per_capita=False)
        np.testing.assert_allclose((m["26 counties"] + m["other counties"]).to_numpy(), self.t.province.gdp.values,
                                   rtol=1e-9)
        pop = self.t.mountain_vs_rest("population", per_capita=False)
        self.assertAlmostEqual(pop.iloc[0].sum() / 57.37e6, 1.0, places=3)
        with self.assertRaises(KeyError):
            self.t.mountain_vs_rest("name")

    def test_annual_dataarray(self):
        pop = self.t.county.population
        y = self.t.annual(pop)
        self.assertEqual(y.sizes["time"], 3)
        self.assertEqual(y.time.dt.year.values.tolist(), [2018, 2019, 2020])
        np.testing.assert_allclose(y.isel(time=1).values, pop.isel(time=slice(12, 24)).mean("time").values)
        last = fa.annual(pop, "last")
        np.testing.assert_array_equal(last.isel(time=0).values, pop.isel(time=11).values)
        self.assertEqual(y.attrs["units"], "persons")

    def test_annual_flow_total_matches_the_summary(self):
        tax = self.t.province.tax_to_source
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # full years: no warning
            total = self.t.annual(tax, how="flow_total")
        self.assertEqual(total.sizes["time"], 3)
        monthly = tax.values / 12  # annualised -> the month's own flow
        np.testing.assert_allclose(total.values, monthly.reshape(3, 12).sum(axis=1), rtol=1e-12)
        first, last = summary_row(self.proc.stdout, "Enclave tax to sources, 1e8 yuan, 12 months")
        self.assertAlmostEqual(float(total[0]) / 1e8, first, delta=0.006)
        self.assertAlmostEqual(float(total[-1]) / 1e8, last, delta=0.006)
        # Enclave by enclave, the flows add up to the province's.
        by_enclave = fa.annual(self.t.enclave.tax_to_source.sum("enclave"), "flow_total")
        np.testing.assert_allclose(by_enclave.values, total.values, rtol=1e-9)

    def test_annual_dataset_keeps_static_and_coded_variables(self):
        county = self.t.county[["gdp", "name", "population", "accelerated", "weak_villages"]]
        y = fa.annual(county)
        self.assertEqual(dict(y.sizes), {"time": 3, "county": 90})
        self.assertEqual(list(y.data_vars), list(county.data_vars))
        np.testing.assert_array_equal(y.gdp.values, fa.annual(county.gdp).values)
        self.assertEqual(int(y.accelerated.sum()), 26)
        self.assertEqual(str(y.name.sel(county=330727).values), "磐安县")
        e = fa.annual(self.t.enclave[["status", "kind", "output"]], "mean")
        np.testing.assert_array_equal(e.status.isel(time=2).values, self.t.enclave.status.isel(time=-1).values)
        self.assertEqual(e.kind.dtype, self.t.enclave.kind.dtype)
        with self.assertRaises(ValueError):
            fa.annual(self.t.county, how="sum")
        with self.assertRaises(ValueError):
            fa.annual(self.t.events)

    def test_annual_pandas(self):
        m = fa.annual(self.t.mountain_vs_rest())
        self.assertEqual(len(m), 3)
        self.assertEqual(list(m.columns), ["26 counties", "other counties"])
        df = fa.annual(self.t.county_frame(["gdp", "population"]), "flow_total")
        self.assertEqual(len(df), 3 * 90)
        self.assertEqual(list(df.index.names), ["time", "county"])
        self.assertEqual(list(df.columns), ["name", "name_en", "accelerated", "gdp", "population"])
        x = fa.annual(self.t.county.gdp, "flow_total").sel(county=330727).values
        np.testing.assert_allclose(df.xs(330727, level="county").gdp.to_numpy(), x, rtol=1e-12)
        self.assertEqual(df.loc[(pd.Timestamp("2019-01-01"), 330727), "name"], "磐安县")

    def test_compare(self):
        df = fa.compare({"full": self.t, "partial": self.p, "by path": self.path}, "gdp_per_capita_ratio_26")
        self.assertEqual(list(df.columns), ["full", "partial", "by path"])
        self.assertEqual(len(df), STEPS)
        np.testing.assert_array_equal(df["full"].to_numpy(), self.t.province.gdp_per_capita_ratio_26.values)
        np.testing.assert_array_equal(df["full"].to_numpy(), df["by path"].to_numpy())
        self.assertEqual(int(df["partial"].notna().sum()), PARTIAL)
        pop = fa.compare({"smoke": self.t}, "population", group="county")
        np.testing.assert_allclose(pop["smoke"].to_numpy(), self.t.province.population.values, rtol=1e-12)
        panan = fa.compare({"smoke": self.t}, "gdp", "county", reduce=lambda da: da.sel(county=330727))
        np.testing.assert_array_equal(panan["smoke"].to_numpy(), self.t.county.gdp.sel(county=330727).values)
        with self.assertRaises(ValueError):
            fa.compare({"smoke": self.t}, "kind", group="events")

    # -- a damaged trace ------------------------------------------------------------------

    def assert_unreadable(self, path, variable, load):
        """`load()` raises TraceError (a ValueError), not h5py's bare OSError, with one message
        naming the file, the variable and the failed checksum."""
        with self.assertRaises(fa.TraceError) as cm:
            load()
        msg = str(cm.exception)
        self.assertTrue(msg.startswith(path + ": damaged trace: "), msg)
        self.assertIn(f"'{variable}'", msg)
        self.assertIn("unreadable, checksum failed", msg)
        self.assertNotIn("\n", msg)
        self.assertIsInstance(cm.exception, ValueError)

    def test_unreadable_data_raise_trace_error_naming_file_and_variable(self):
        path = damage_chunk_index(self.path, os.path.join(self.dir, "damaged_gdp.h5"), "county/gdp")
        with fa.open_trace(path) as t:
            ds, prov = t.county, t.province  # opening stays lazy: the damaged data are not read
            self.assertEqual(dict(ds.sizes), {"time": STEPS, "county": 90})
            for v in ("population", "name"):  # the rest reads bitwise as in the undamaged trace
                a, b = ds[v].values, self.t.county[v].values
                self.assertTrue(np.array_equal(a.view(np.uint8) if a.dtype.kind == "f" else a,
                                               b.view(np.uint8) if b.dtype.kind == "f" else b), v)
            np.testing.assert_array_equal(prov.gdp.values, self.t.province.gdp.values)
            loads = {".values": lambda: ds.gdp.values,
                     ".load()": lambda: ds.gdp.load(),
                     ".compute()": lambda: ds.gdp.isel(time=slice(0, 3)).compute(),
                     "a reduction": lambda: float(ds.gdp.sel(county=330727).sum()),
                     "Dataset.load()": lambda: ds.load(),
                     "county_frame": lambda: t.county_frame(["gdp"]),
                     "mountain_vs_rest": lambda: t.mountain_vs_rest("gdp"),
                     "annual": lambda: fa.annual(ds.gdp, "last").values,
                     "compare": lambda: fa.compare({"damaged": t}, "gdp", "county")}
            for label, load in loads.items():
                with self.subTest(label):
                    self.assert_unreadable(path, "county/gdp", load)
            self.assertEqual(float(ds.population.isel(time=0).sum()),
                             float(self.t.county.population.isel(time=0).sum()))  # still usable

    def test_unreadable_data_read_at_open_raise_trace_error(self):
        # Values read to open a group (an index coordinate, the events' steps, the parks'
        # kinds) fail when the group is first used, with the same message.
        cases = {"province/gdp": (lambda t: t.province.gdp.values),
                 "county/time": (lambda t: t.county),
                 "events/step": (lambda t: t.events),
                 "enclave/kind": (lambda t: t.enclave)}
        for i, (variable, load) in enumerate(cases.items()):
            with self.subTest(variable):
                path = damage_chunk_index(self.path, os.path.join(self.dir, f"damaged{i}.h5"), variable)
                with fa.open_trace(path) as t:
                    self.assert_unreadable(path, variable, lambda: load(t))


    # -- a trace caught mid-write ---------------------------------------------------------

    def test_partial_trace_is_cut_to_steps_written(self):
        p = self.p
        self.assertEqual(p.steps_written, PARTIAL)
        self.assertIs(p.complete, False)
        self.assertIn("INCOMPLETE", repr(p))
        for g in ["county", "enclave", "province"]:
            self.assertEqual(getattr(p, g).sizes["time"], PARTIAL, g)
            self.assertEqual(pd.Timestamp(getattr(p, g).time.values[-1]), pd.Timestamp("2019-08-01"), g)
        np.testing.assert_array_equal(p.county.gdp.values, self.t.county.gdp.values[:PARTIAL])
        ev = p.events_frame()
        full = self.t.events_frame()
        self.assertEqual(len(ev), int((full.step < PARTIAL).sum()))
        pd.testing.assert_frame_equal(ev, full[full.step < PARTIAL])
        self.assertEqual(len(p.county_frame()), PARTIAL * 90)

    def test_flow_total_warns_about_partial_years(self):
        with self.assertWarnsRegex(UserWarning, r"2019 \(8 months\)"):
            y = fa.annual(self.p.province.tax_to_source, "flow_total")
        self.assertEqual(y.sizes["time"], 2)
        np.testing.assert_allclose(float(y[1]), float(self.p.province.tax_to_source[12:].mean()), rtol=1e-12)


if __name__ == "__main__":
    unittest.main()
