"""The viewer under Xvfb: screenshots of replay, live following and steering with the
JSON line describing them; image checks (size, not blank, map and plots drawn, Chinese
glyphs); a steered run replayed by feidi-sim gives identical data; bad input."""
import json
import os
import shutil
import signal
import subprocess
import time
import unittest

import h5py
import numpy as np
from PIL import Image

import feidi_test as ft

VIZ = os.path.join(os.path.dirname(ft.SIM), "feidi-viz")
XVFB = shutil.which("xvfb-run")
SMALL = ["--set", "scale.persons_per_agent=1000", "--set", "scale.firms_per_agent=100"]


def read_png(path):
    """The PNG as an (h, w, 3) uint8 array (Pillow comes with Debian's matplotlib)."""
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def viz(*args, check=True, timeout=300):
    cmd = [XVFB, "-a", "-s", "-screen 0 1600x1000x24", VIZ, *map(str, args)]
    p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"feidi-viz {' '.join(map(str, args))} failed ({p.returncode}):\n{p.stderr}")
    return p


def shot(testcase, *args):
    out = os.path.join(testcase.dir, f"shot{len(os.listdir(testcase.dir))}.png")
    p = viz(*args, "--screenshot", out)
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    testcase.assertEqual(len(lines), 1, p.stdout)
    return json.loads(lines[0]), read_png(out)


def distinct_colours(region):
    return len(np.unique(region.reshape(-1, 3), axis=0))


@unittest.skipUnless(XVFB and os.path.exists(VIZ), "needs xvfb-run and feidi-viz")
class Viewer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.trace = os.path.join(cls.dir, "smoke.h5")
        ft.sim("run", ft.SMOKE, "-o", cls.trace, "--quiet")

    def test_replay_screenshot(self):
        info, img = shot(self, self.trace, "--step", "20")
        self.assertEqual(info["mode"], "replay")
        self.assertEqual(info["step"], 20)
        self.assertEqual(info["date"], "2019-09")
        self.assertEqual(info["size"], [1280, 800])
        self.assertEqual(img.shape, (800, 1280, 3))
        self.assertIn("map", info["panels"])
        self.assertIn("plots", info["panels"])
        self.assertGreater(img.std(), 10, "the image is not blank")
        # The map (left) is coloured by county; the plots (top right) hold lines.
        self.assertGreater(distinct_colours(img[150:700, 20:520]), 30)
        self.assertGreater(distinct_colours(img[100:460, 580:1260]), 30)

    def test_chinese_glyphs(self):
        zh, img_zh = shot(self, self.trace, "--lang", "zh")
        en, img_en = shot(self, self.trace, "--lang", "en")
        self.assertTrue(zh["font"])
        self.assertGreater(zh["font_glyphs"], 300)
        self.assertEqual(zh["missing_glyphs"], 0, "every county and enclave name renders")
        # Labels differ between the languages (title bar, panel titles, map labels).
        self.assertGreater(np.abs(img_zh[:90].astype(int) - img_en[:90].astype(int)).sum(), 10000)

    def test_size_and_panels(self):
        info, img = shot(self, self.trace, "--size", "1024x640", "--panel", "enclaves")
        self.assertEqual(img.shape, (640, 1024, 3))
        self.assertEqual(info["panels"], ["controls", "enclaves"])
        for panel in ["county", "events", "plots", "map"]:
            with self.subTest(panel):
                info, img = shot(self, self.trace, "--panel", panel, "--county", "330727")
                self.assertIn(panel, info["panels"])
                self.assertGreater(img.std(), 5)

    def test_compare(self):
        other = os.path.join(self.dir, "other.h5")
        ft.sim("run", ft.SMOKE, "-o", other, "--quiet", "--seed", "99", "--set", "enclaves.same_city=1.0")
        info, img = shot(self, self.trace, "--compare", other, "--panel", "compare")
        self.assertTrue(info["compare"])
        # Without --panel, --compare brings the comparison to the front.
        info, _ = shot(self, self.trace, "--compare", other)
        self.assertIn("compare", info["panels"])
        self.assertGreater(distinct_colours(img[150:780, 20:1260]), 20)

    def test_follow_a_growing_trace(self):
        path = os.path.join(self.dir, "live.h5")
        writer = subprocess.Popen([ft.SIM, "run", ft.BASELINE, "-o", path, "--quiet"], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            info, img = shot(self, "--follow", path)
            self.assertEqual(info["mode"], "follow")
            self.assertEqual(info["missing_glyphs"], 0)
            self.assertGreaterEqual(info["steps"], 1)
            self.assertLessEqual(info["steps"], 216)
            self.assertGreater(img.std(), 10)
        finally:
            writer.wait(timeout=600)
        self.assertEqual(writer.returncode, 0, "the followed writer was never blocked")

    def test_follow_reads_only_new_rows(self):
        """--follow reads the file whole once, then only the rows it adds; what it holds at
        the end equals a replay of the finished file, value for value."""
        path = os.path.join(self.dir, "growing.h5")
        writer = subprocess.Popen([ft.SIM, "run", ft.BASELINE, "-o", path, "--quiet"], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # Pause the writer once it has published a few months, let the viewer read that
            # much whole, then let the run go on to its end while the viewer waits for it.
            deadline = time.time() + 120
            while time.time() < deadline:
                try:
                    with h5py.File(path, "r", swmr=True) as f:
                        if int(f["steps_written"][()]) >= 3:
                            break
                except (OSError, KeyError):
                    pass
                time.sleep(0.05)
            writer.send_signal(signal.SIGSTOP)
            out = os.path.join(self.dir, "follow_end.png")
            viewer = subprocess.Popen([XVFB, "-a", VIZ, "--follow", path, "--step", "215", "--screenshot", out],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(5)
            writer.send_signal(signal.SIGCONT)
            stdout, stderr = viewer.communicate(timeout=600)
            self.assertEqual(viewer.returncode, 0, stderr)
        finally:
            writer.send_signal(signal.SIGCONT)
            writer.wait(timeout=600)
        followed = json.loads([l for l in stdout.splitlines() if l.startswith("{")][0])
        self.assertEqual(followed["steps"], 216)
        self.assertEqual(followed["follow"]["full_reads"], 1)
        self.assertGreaterEqual(followed["follow"]["row_reads"], 1, "the rows the run added were read on their own")
        replayed, _ = shot(self, path, "--step", "215")
        self.assertNotIn("follow", replayed)
        self.assertEqual(followed["data_hash"], replayed["data_hash"], "followed data differ from the finished file")
        # Every series of the trace has a label in both languages.
        self.assertEqual(replayed["untranslated"], [])

    def test_steered_run_replays_identically(self):
        steered = os.path.join(self.dir, "steered.h5")
        end = ["--set", "run.end=2019-12"]
        info, img = shot(self, "--run", ft.SMOKE, *end, "--out", steered, "--step", "23",
                         "--set-at", "5:enclaves.same_city=1.0", "--set-at", "12:tax_split.mode=fixed",
                         "--set-at", "12:tax_split.fixed_source_share=0.9", "--set-at", "12:province.special_fund_yuan_per_year=2e9",
                         "--panel", "levers")
        self.assertEqual(info["mode"], "steer")
        self.assertEqual(info["step"], 23)
        self.assertEqual(info["interventions"], 4)
        replayed = os.path.join(self.dir, "replayed.h5")
        ft.sim("run", ft.SMOKE, *end, "--interventions", steered, "-o", replayed, "--quiet")
        ft.assert_same_data(self, steered, replayed)
        # Without the interventions the data differ.
        plain = os.path.join(self.dir, "plain.h5")
        ft.sim("run", ft.SMOKE, *end, "-o", plain, "--quiet")
        with self.assertRaises(AssertionError):
            ft.assert_same_data(self, steered, plain)

    def test_fork_here(self):
        """Fork here (--fork, as the button): a fork with no lever change is its parent, bitwise;
        a fork at a checkpoint month with changes is `feidi-sim branch` with those changes; the
        comparison shows the parent on the fork's time axis."""
        parent = os.path.join(self.dir, "parent.h5")
        ft.sim("run", ft.SMOKE, "-o", parent, "--quiet", "--checkpoint-every", "6")
        ignore = ft.RUN_METADATA | {"parent_trace", "parent_content_hash", "parent_step", "parent_month", "parent_kind"}
        # Between checkpoints (2019-04, from the one at 2019-01), no change: the parent's data.
        same = os.path.join(self.dir, "fork_same.h5")
        info, img = shot(self, parent, "--step", "15", "--fork", "--out", same, "--panel", "compare", "--lang", "en")
        self.assertEqual(info["mode"], "steer")
        self.assertEqual(info["fork"], {"step": 15, "month": "2019-04", "trace": same, "parent_month": "2019-04"})
        self.assertTrue(info["compare"])
        self.assertEqual(info["compare_axis"]["start"], "2018-01")
        self.assertEqual((info["compare_axis"]["offset_a"], info["compare_axis"]["offset_b"]), (0, 0))
        self.assertEqual(info["steps"], 36)
        self.assertGreater(img.std(), 10)
        ft.assert_same_data(self, parent, same, ignore_attrs=ignore)
        with h5py.File(same, "r") as f:
            self.assertEqual(f.attrs["parent_kind"], "branch")
            self.assertEqual(int(f.attrs["parent_step"]), 12)
            self.assertEqual(f.attrs["parent_trace"], os.path.abspath(parent))
        # At a checkpoint month with lever changes: bitwise the CLI branch.
        levers = ["tax_split.mode=fixed", "tax_split.fixed_source_share=0.9", "enclaves.same_city=1.0"]
        fork = os.path.join(self.dir, "fork.h5")
        info, _ = shot(self, parent, "--step", "12", "--fork", "--out", fork, "--panel", "compare",
                       *[a for lv in levers for a in ("--set-at", f"12:{lv}")])
        self.assertEqual(info["interventions"], 3)
        branch = os.path.join(self.dir, "branch.h5")
        ft.sim("branch", parent, "--at", "2019-01", *[a for lv in levers for a in ("--set", lv)], "-o", branch, "--quiet")
        ft.assert_same_data(self, fork, branch, ignore_attrs=ignore)
        with self.assertRaises(AssertionError):
            ft.assert_same_data(self, fork, parent, ignore_attrs=ignore)
        # Without a checkpoint at or before the month, or without checkpoints: a clear error.
        for args, expected in [([parent, "--step", "3", "--fork"], "no checkpoint at or before 2018-04"),
                               ([self.trace, "--step", "20", "--fork"], "no complete checkpoint"),
                               ([parent, "--fork"], "--fork needs"),
                               ([parent, "--step", "99", "--fork"], "beyond the trace's last step")]:
            with self.subTest(args):
                p = viz(*args, "--screenshot", os.path.join(self.dir, "x.png"), check=False)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(expected, p.stderr)

    def test_fork_a_steered_run(self):
        """Fork here while steering: the fork re-simulates the steered run's months before the
        fork month and takes the changes from it on; the steered run goes on, unsteered, to its
        end as the comparison. Each trace equals a feidi-sim run replaying its interventions."""
        steered = os.path.join(self.dir, "steered_parent.h5")
        info, img = shot(self, "--run", ft.SMOKE, "--out", steered, "--step", "14", "--fork",
                         "--set-at", "5:enclaves.same_city=1.0", "--set-at", "14:tax_split.mode=fixed",
                         "--set-at", "14:tax_split.fixed_source_share=0.9",
                         "--set-at", "20:province.special_fund_yuan_per_year=5e9", "--panel", "compare", "--lang", "en")
        fork = os.path.join(self.dir, "steered_parent_fork_2019-03.h5")
        self.assertEqual(info["fork"], {"step": 14, "month": "2019-03", "trace": fork, "parent_month": "2019-03"})
        self.assertEqual(info["interventions"], 4)  # the parent's one before the fork, then three
        self.assertEqual(info["steps"], 36)
        self.assertTrue(info["compare"])
        self.assertGreater(img.std(), 10)
        ignore = ft.RUN_METADATA | {"parent_trace", "parent_content_hash", "parent_step", "parent_month", "parent_kind"}
        for trace, changes in [(steered, 1), (fork, 4)]:
            with h5py.File(trace, "r") as f:
                self.assertEqual(len(f["interventions/step"]), changes)
                self.assertEqual(int(f.attrs["run_completed"]), 1, "the parent ran on to its end")
            replayed = trace + ".replayed.h5"
            ft.sim("run", ft.SMOKE, "--interventions", trace, "-o", replayed, "--quiet")
            ft.assert_same_data(self, trace, replayed, ignore_attrs=ignore)
        with h5py.File(fork, "r") as f:
            self.assertEqual(f.attrs["parent_kind"], "fork")
            self.assertEqual(int(f.attrs["parent_step"]), 14)
            self.assertEqual(f.attrs["parent_trace"], os.path.abspath(steered))
            self.assertNotIn("checkpoint", f)
        with self.assertRaises(AssertionError):
            ft.assert_same_data(self, fork, steered, ignore_attrs=ignore)

    def test_map_scale_and_legend(self):
        """The map's colour scale is fixed over the whole run by default (the same range in
        every month), per month on request, symmetric for the change since the start; the
        legend carries the variable's units."""
        run10, _ = shot(self, self.trace, "--step", "10", "--panel", "map")
        run30, img = shot(self, self.trace, "--step", "30", "--panel", "map")
        self.assertEqual(run10["map"]["scale"], "run")
        self.assertEqual((run10["map"]["lo"], run10["map"]["hi"]), (run30["map"]["lo"], run30["map"]["hi"]))
        self.assertAlmostEqual(run10["map"]["lo"] * run10["map"]["hi"], 1.0)  # GDP ratio: log scale around 1
        self.assertGreater(distinct_colours(img[150:700, 20:1260]), 30)
        m10, _ = shot(self, self.trace, "--step", "10", "--panel", "map", "--map-scale", "month")
        m30, _ = shot(self, self.trace, "--step", "30", "--panel", "map", "--map-scale", "month")
        self.assertEqual(m10["map"]["scale"], "month")
        self.assertNotEqual(m10["map"]["hi"], m30["map"]["hi"])
        change, _ = shot(self, self.trace, "--step", "30", "--panel", "map", "--map-change")
        self.assertTrue(change["map"]["change"])
        self.assertEqual(change["map"]["lo"], -change["map"]["hi"])
        self.assertLess(change["map"]["hi"], 0.5 * run10["map"]["hi"])  # changes are small beside levels
        gdp, _ = shot(self, self.trace, "--panel", "map", "--indicator", "gdp_per_capita")
        self.assertEqual(gdp["map"]["variable"], "gdp_per_capita")
        self.assertIn("yuan", gdp["map"]["units"])
        self.assertLess(gdp["map"]["lo"], gdp["map"]["hi"])
        # Arcs: every park of a kind shown, filtered by kind; labels do not pile up when zoomed.
        arcs, _ = shot(self, self.trace, "--step", "30", "--panel", "map")
        poverty, _ = shot(self, self.trace, "--step", "30", "--panel", "map", "--map-kinds", "poverty")
        with h5py.File(self.trace, "r") as f:
            status = f["enclave/status"][30]
            kind = f["enclave/kind"][30]
        self.assertEqual(arcs["map"]["arcs"], int((status != 0).sum()))
        self.assertEqual(poverty["map"]["arcs"], int(((status != 0) & (kind == 2)).sum()))
        self.assertGreater(arcs["map"]["labels"], 20)
        zoomed, _ = shot(self, self.trace, "--step", "30", "--panel", "map", "--map-zoom", "4")
        self.assertEqual(zoomed["map"]["zoom"], 4)
        self.assertLess(zoomed["map"]["labels"], arcs["map"]["labels"])  # most points are outside the view
        for args, expected in [(["--indicator", "gdp"], "one of: gdp_per_capita_ratio"),
                               (["--map-kinds", "eco,park"], "unknown kind 'park'"),
                               (["--map-zoom", "0.5"], "--map-zoom must be between 1 and 12"),
                               (["--map-scale", "year"], "--map-scale must be run or month")]:
            with self.subTest(args):
                p = viz(self.trace, *args, "--screenshot", os.path.join(self.dir, "x.png"), check=False)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(expected, p.stderr)

    def test_event_log_groups_and_search(self):
        """The event log shows one row per month, kind and place with its count (the counts
        add up to the events shown), and the search keeps the rows that mention the text."""
        info, img = shot(self, self.trace, "--step", "35", "--panel", "events", "--lang", "en")
        ev = info["events"]
        with h5py.File(self.trace, "r") as f:
            kinds = f["events/kind"][:]
            names = f["events/kind"].attrs["flag_meanings"].split()
        self.assertEqual(ev["indexed"], len(kinds))
        migration = names.index("person_migration")
        self.assertEqual(ev["events"], int((kinds != migration).sum()), "every event but migrations (off) is counted")
        self.assertLess(ev["rows"], ev["events"], "identical events of a month are one row")
        self.assertGreater(img.std(), 10)
        found, _ = shot(self, self.trace, "--step", "35", "--panel", "events", "--lang", "en", "--event-search", "Kaihua")
        self.assertEqual(found["events"]["search"], "kaihua")
        self.assertGreater(found["events"]["rows"], 0)
        self.assertLess(found["events"]["rows"], ev["rows"])
        none, _ = shot(self, self.trace, "--panel", "events", "--event-search", "no such place")
        self.assertEqual(none["events"]["rows"], 0)

    def test_plots_selected_county_ghost_and_range(self):
        """Plots: the selected county is a series of its own in the GDP and weak-village plots,
        the comparison's run is drawn as ghost lines, and the y axis can start at zero."""
        other = os.path.join(self.dir, "ghost_other.h5")
        ft.sim("run", ft.SMOKE, "-o", other, "--quiet", "--set", "enclaves.same_city=1.0")
        plain, img_plain = shot(self, self.trace, "--panel", "plots", "--step", "20")
        whole = {"variable": "", "counties": [], "range": ["2018-01", "2020-12"]}
        self.assertEqual(plain["plots"], {"series": 7, "from_zero": False, "ghost": False, "selected_county": -1, **whole})
        sel, img_sel = shot(self, self.trace, "--panel", "plots", "--step", "20", "--county", "330727")
        self.assertEqual(sel["plots"]["series"], 9)
        self.assertEqual(sel["plots"]["selected_county"], 330727)
        # The selected county's yellow line is drawn (pixels of that colour appear).
        yellow = lambda im: int(((im[..., 0] > 230) & (im[..., 1] > 195) & (im[..., 2] < 110)).sum())
        self.assertGreater(yellow(img_sel), yellow(img_plain) + 200)
        ghost, _ = shot(self, self.trace, "--panel", "plots", "--compare", other, "--y-from-zero")
        self.assertEqual(ghost["plots"], {"series": 11, "from_zero": True, "ghost": True, "selected_county": -1, **whole})

    def test_keys_exports_and_settings(self):
        """Shortcut keys move the cursor and switch panels, P and C export the view and the
        plotted series, and the settings file carries choices to the next session."""
        cwd = os.path.join(self.dir, "keys")
        os.makedirs(cwd, exist_ok=True)
        out = os.path.join(cwd, "k.png")
        p = subprocess.run([XVFB, "-a", "-s", "-screen 0 1600x1000x24", VIZ, self.trace, "--keys",
                            "right,right,shift+right,5,p,c", "--screenshot", out, "--lang", "en"],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300, cwd=cwd)
        self.assertEqual(p.returncode, 0, p.stderr)
        info = json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][0])
        self.assertEqual(info["step"], 14)  # 0 + 1 + 1 + 12
        self.assertIn("events", info["panels"])  # key 5
        self.assertEqual(read_png(os.path.join(cwd, "feidi_view_2019-03.png")).shape, (800, 1280, 3))
        with open(os.path.join(cwd, "feidi_series_2019-03.csv")) as f:
            rows = f.read().splitlines()
        self.assertEqual(rows[0], "plot,series,month,value")
        self.assertEqual(len(rows) - 1, 7 * 36)  # seven series of the four plots, every month
        self.assertIn('"26 mountain counties",2018-01,', rows[1])
        p = viz(self.trace, "--keys", "bogus", "--screenshot", out, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown key 'bogus'", p.stderr)
        # Settings: written on exit, read by the next session (flags still win).
        settings = os.path.join(self.dir, "settings", "viewer.ini")
        shot(self, self.trace, "--settings", settings, "--indicator", "wage", "--lang", "en", "--county", "330727",
             "--y-from-zero", "--panel", "map")
        with open(settings) as f:
            text = f.read()
        self.assertIn("language = en", text)
        self.assertIn("county = 330727", text)
        again, _ = shot(self, self.trace, "--settings", settings, "--panel", "plots")
        self.assertEqual(again["language"], "en")
        self.assertEqual(again["plots"]["selected_county"], 330727)
        self.assertTrue(again["plots"]["from_zero"])
        flag, _ = shot(self, self.trace, "--settings", settings, "--panel", "map", "--indicator", "population")
        self.assertEqual(flag["map"]["variable"], "population")

    def test_map_difference_and_park_drill_down(self):
        """The map colours A − B against the comparison on a scale around zero; selecting a
        park shows its own four plots under the table."""
        other = os.path.join(self.dir, "diff_other.h5")
        ft.sim("run", ft.SMOKE, "-o", other, "--quiet", "--set", "tax_split.mode=fixed",
               "--set", "tax_split.fixed_source_share=0.9")
        diff, img = shot(self, self.trace, "--compare", other, "--panel", "map", "--map-diff", "--step", "30",
                         "--indicator", "fiscal_revenue")
        self.assertTrue(diff["map"]["diff"])
        self.assertEqual(diff["map"]["lo"], -diff["map"]["hi"])
        self.assertGreater(diff["map"]["hi"], 0)
        alone, _ = shot(self, self.trace, "--panel", "map", "--map-diff")
        self.assertFalse(alone["map"]["diff"], "no comparison: no difference")
        park, img = shot(self, self.trace, "--panel", "enclaves", "--enclave", "3", "--lang", "en")
        self.assertEqual((park["selected_enclave"], park["enclave_plots"]), (3, 4))
        self.assertGreater(distinct_colours(img[450:790, 10:1270]), 20, "the park's plots are drawn")
        table, _ = shot(self, self.trace, "--panel", "enclaves")
        self.assertEqual(table["enclave_plots"], 0)
        p = viz(self.trace, "--enclave", "99", "--screenshot", os.path.join(self.dir, "x.png"), check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--enclave 99 is not an enclave slot of the trace: 0 … 15", p.stderr)

    def test_compare_aligns_by_date(self):
        """Two runs that start in different years line up by month on the comparison's axis."""
        early = os.path.join(self.dir, "jinpan.h5")
        ft.sim("run", os.path.join(ft.SOURCE, "configs", "jinpan_1995.toml"), *SMALL, "-o", early, "--quiet")
        info, img = shot(self, self.trace, "--compare", early, "--panel", "compare")
        ax = info["compare_axis"]
        self.assertEqual(ax["start"], "1995-01")
        self.assertEqual(ax["offset_a"], (2018 - 1995) * 12)  # the replayed smoke run starts in 2018-01
        self.assertEqual(ax["offset_b"], 0)
        self.assertEqual(ax["steps"], (2020 - 1995 + 1) * 12)
        self.assertGreater(distinct_colours(img[150:780, 20:1260]), 20)

    def test_plot_a_chosen_variable_and_time_window(self):
        """Plots: one county variable for chosen counties (with the selected one, and the means
        of the 26 and the others), on a window of months; the overview keeps the window."""
        info, img = shot(self, self.trace, "--panel", "plots", "--plot-var", "wage", "--plot-counties", "330522,331127",
                         "--county", "330825", "--time-range", "2019-03:2020-02", "--lang", "en")
        plots = info["plots"]
        self.assertEqual(plots["variable"], "wage")
        self.assertEqual(plots["counties"], [330522, 331127, 330825])
        self.assertEqual(plots["series"], 5, "two means, two chosen counties, the selected one")
        self.assertEqual(plots["range"], ["2019-03", "2020-02"])
        # The selected county's yellow line is drawn.
        yellow = (img[..., 0] > 230) & (img[..., 1] > 195) & (img[..., 2] < 110)
        self.assertGreater(int(yellow.sum()), 200)
        overview, _ = shot(self, self.trace, "--panel", "plots", "--time-range", "2019-03:2020-02")
        self.assertEqual(overview["plots"]["variable"], "")
        self.assertEqual(overview["plots"]["range"], ["2019-03", "2020-02"])
        whole, _ = shot(self, self.trace, "--panel", "plots")
        self.assertEqual(whole["plots"]["range"], ["2018-01", "2020-12"])
        # The choice is kept between sessions.
        ini = os.path.join(self.dir, "plots.ini")
        shot(self, self.trace, "--settings", ini, "--plot-var", "population", "--plot-counties", "330522")
        again, _ = shot(self, self.trace, "--settings", ini, "--panel", "plots")
        self.assertEqual(again["plots"]["variable"], "population")
        self.assertEqual(again["plots"]["counties"][:1], [330522])

    def test_county_filters_the_enclave_table(self):
        """A selected county keeps only its parks (as source or host) in the enclave table."""
        every, _ = shot(self, self.trace, "--panel", "enclaves", "--step", "20")
        with h5py.File(self.trace, "r") as f:
            sources, hosts = f["enclave/source"][:], f["enclave/host"][:]
        self.assertEqual(every["enclave_rows"], len(sources))
        code = int(sources[0])
        mine = int(((sources == code) | (hosts == code)).sum())
        self.assertLess(mine, len(sources))
        one, _ = shot(self, self.trace, "--panel", "enclaves", "--step", "20", "--county", str(code))
        self.assertEqual(one["enclave_rows"], mine)

    def test_unsteered_run_as_comparison(self):
        """While steering, the same config run without the lever changes becomes the
        comparison: ghost lines in the plots, written beside the steered trace, and equal to
        a plain run of the config."""
        steered = os.path.join(self.dir, "u_steered.h5")
        end = ["--set", "run.end=2019-06"]
        info, _ = shot(self, "--run", ft.SMOKE, *end, "--out", steered, "--step", "17", "--set-at",
                       "3:enclaves.same_city=1.0", "--unsteered", "--panel", "plots")
        self.assertTrue(info["compare"])
        self.assertTrue(info["plots"]["ghost"])
        self.assertEqual(info["plots"]["series"], 11)
        twin = os.path.join(self.dir, "u_steered_unsteered.h5")
        self.assertTrue(os.path.exists(twin))
        plain = os.path.join(self.dir, "u_plain.h5")
        ft.sim("run", ft.SMOKE, *end, "-o", plain, "--quiet")
        ft.assert_same_data(self, twin, plain)
        p = viz(self.trace, "--unsteered", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--unsteered needs --run", p.stderr)

    def test_splitters_resize_the_panels(self):
        """The borders between map, plots and tabs are dragged with the mouse (a scripted
        drag), stay within limits, and are kept between sessions; --layout sets them."""
        info, before = shot(self, self.trace, "--step", "10")
        self.assertAlmostEqual(info["layout"][0], 0.44, places=5)
        x, y = info["borders"]
        self.assertEqual(x, 563)  # 0.44 of 1280
        ini = os.path.join(self.dir, "layout.ini")
        dragged, img = shot(self, self.trace, "--step", "10", "--drag", f"{x},{y + 100}:{x + 128},{y + 100}", "--settings", ini)
        self.assertAlmostEqual(dragged["layout"][0], 0.44 + 128 / 1280, places=2)
        self.assertEqual(dragged["borders"][0], x + 128)
        # The panels moved: the strip right of the old border (the plots' frame and axes) is now the map's.
        strip = np.s_[150:700, x - 5:x + 120]
        self.assertGreater(np.abs(img[strip].astype(int) - before[strip].astype(int)).mean(), 10, "the panels did not move")
        up, _ = shot(self, self.trace, "--step", "10", "--drag", f"{x + 300},{y}:{x + 300},{y - 150}")
        self.assertLess(up["layout"][1], info["layout"][1] - 0.15)
        self.assertEqual(up["borders"][1], y - 150)
        # Dragged far, a panel keeps 15 % of the window.
        far, _ = shot(self, self.trace, "--step", "10", "--drag", f"{x},{y + 100}:5,{y + 100}")
        self.assertAlmostEqual(far["layout"][0], 0.15, places=5)
        # Kept between sessions, and set from the command line.
        again, _ = shot(self, self.trace, "--step", "10", "--settings", ini)
        self.assertAlmostEqual(again["layout"][0], dragged["layout"][0], places=3)
        given, _ = shot(self, self.trace, "--layout", "0.6,0.3", "--panel", "map,plots")
        self.assertAlmostEqual(given["layout"][0], 0.6, places=5)
        self.assertEqual(given["borders"][0], 768)
        p = viz(self.trace, "--layout", "0.9,0.5", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--layout must be X,Y with each between 0.15 and 0.85", p.stderr)

    def test_bad_input(self):
        cases = [
            ([os.path.join(self.dir, "missing.h5")], "no such trace file"),
            ([self.trace, "--size", "10x10"], "--size"),
            ([self.trace, "--panel", "bogus"], "unknown panel 'bogus'; one of: map, plots, enclaves"),
            ([self.trace, "--step", "999", "--screenshot", os.path.join(self.dir, "x.png")],
             "--step 999 is beyond the trace: steps 0 … 35 (2018-01 … 2020-12)"),
            ([self.trace, "--county", "123", "--screenshot", os.path.join(self.dir, "x.png")],
             "--county 123 is not a county code of the trace; one of: 330102"),
            (["--run", ft.SMOKE, "--step", "99", "--screenshot", os.path.join(self.dir, "x.png")],
             "--step 99 is beyond the run: steps 0 … 35"),
            ([self.trace, "--run", ft.SMOKE], "exactly one of"),
            (["--run", os.path.join(self.dir, "none.toml")], "config file not found"),
            (["--run", ft.SMOKE, "--set-at", "3:run.seed=4"], "not a policy lever"),
            ([self.trace, "--plot-var", "wages"], "--plot-var 'wages' is not a county variable of the trace; one of: gdp, gdp_attributed, population,"),
            ([self.trace, "--plot-var", "wage", "--plot-counties", "330102,9"], "--plot-counties: '9' is not a county code"),
            ([self.trace, "--time-range", "2017-01:2019-01"], "is not within the run's months 2018-01:2020-12"),
            ([self.trace, "--time-range", "2019"], "--time-range must be YYYY-MM:YYYY-MM, e.g. 2018-01:2020-12"),
        ]
        for args, expected in cases:
            with self.subTest(args):
                p = viz(*args, check=False)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(expected, p.stderr)
        self.assertFalse(os.path.exists("smoke_steered.h5"), "bad input started a steered run and its trace")
        # No display (not under Xvfb, DISPLAY unset): one clear line, exit 2.
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        p = subprocess.run([VIZ, self.trace], capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env, timeout=120)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("no display to open a window on (DISPLAY is not set)", p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)


if __name__ == "__main__":
    unittest.main()
