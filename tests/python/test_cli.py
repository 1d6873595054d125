"""The command line: exit codes, one-line errors naming file:line:column and key for bad
configs (and no output file, an existing one left untouched), bad flags and paths,
help texts, and the progress line only on a terminal."""
import os
import shlex
import subprocess
import unittest

import feidi_test as ft

BAD_CONFIGS = [
    # (name, text, expected message after "error: <path>")
    ("syntax", '[run]\nstart = "2018-01\n', ":2:17: TOML syntax error:"),
    ("unknown_section", "[runn]\nseed = 1\n", ":1:1: key 'runn': unknown section or key"),
    ("unknown_key", "[scale]\npersons_per_agnet = 10\n",
     ":2:21: key 'scale.persons_per_agnet': unknown key (did you mean 'scale.persons_per_agent'?)"),
    ("wrong_type", '[scale]\npersons_per_agent = "ten"\n',
     ":2:21: key 'scale.persons_per_agent': expected an integer, got a string"),
    ("float_for_int", "[scale]\nfirms_per_agent = 2.5\n",
     ":2:19: key 'scale.firms_per_agent': expected an integer, got a float"),
    ("negative", "[scale]\npersons_per_agent = -3\n",
     ":2:21: key 'scale.persons_per_agent': value -3 is out of range [1, 10000000] persons"),
    ("fraction", "[enclaves]\nsame_city = 1.5\n", ":2:13: key 'enclaves.same_city': value 1.5 is out of range [0.0, 1.0]"),
    ("bad_month", '[run]\nend = "2035-13"\n',
     ":2:7: key 'run.end': '2035-13' is not a month \"YYYY-MM\" between 1900 and 2200"),
    ("end_before_start", '[run]\nstart = "2020-01"\nend = "2019-01"\n',
     ":3:7: key 'run.end': end 2019-01 is before start 2020-01"),
    ("bad_choice", '[tax_split]\nmode = "half"\n', ":2:8: key 'tax_split.mode': 'half' is not one of \"nash\", \"fixed\""),
    ("not_a_table", "economy = 1\n", ":1:11: key 'economy': expected a table [economy], got an integer"),
    ("bool_for_number", "[land]\nprovincial_award_mu_per_year = true\n",
     ":2:32: key 'land.provincial_award_mu_per_year': expected a number, got a boolean"),
]


class Cli(unittest.TestCase):
    def setUp(self):
        self.dir = ft.tmpdir()

    def write(self, name, text):
        p = os.path.join(self.dir, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def test_bad_configs(self):
        for name, text, expected in BAD_CONFIGS:
            with self.subTest(name):
                cfg = self.write(name + ".toml", text)
                out = os.path.join(self.dir, name + ".h5")
                p = ft.sim("run", cfg, "-o", out, check=False)
                self.assertEqual(p.returncode, 2, p.stderr)
                lines = p.stderr.strip().splitlines()
                self.assertEqual(len(lines), 1, p.stderr)
                self.assertTrue(lines[0].startswith("error: " + cfg + expected), lines[0])
                self.assertFalse(os.path.exists(out), "no partial output file")

    def test_bad_config_leaves_existing_output_untouched(self):
        out = os.path.join(self.dir, "existing.h5")
        with open(out, "wb") as f:
            f.write(b"precious")
        cfg = self.write("bad.toml", "[scale]\npersons_per_agent = 0\n")
        p = ft.sim("run", cfg, "-o", out, check=False)
        self.assertEqual(p.returncode, 2)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), b"precious")

    def test_bad_override(self):
        out = os.path.join(self.dir, "o.h5")
        p = ft.sim("run", ft.SMOKE, "-o", out, "--set", "enclaves.same_city=2", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr.strip(), "error: --set enclaves.same_city=2: key 'enclaves.same_city': "
                                           "value 2.0 is out of range [0.0, 1.0]")
        self.assertFalse(os.path.exists(out))

    def test_a_damaged_trace_fails_at_once(self):
        # 1 KiB zeroed at offset 512 (the superblock's metadata): HDF5's SWMR reader used to
        # retry each failed checksum for about a second, so `info` and `run --interventions`
        # hung for many minutes; now they name the file and exit 2 within seconds.
        trace = os.path.join(self.dir, "good.h5")
        ft.sim("run", ft.SMOKE, "-q", "--set", "run.end=2018-03", "-o", trace)
        with open(trace, "r+b") as f:
            f.seek(512)
            f.write(b"\0" * 1024)
        for args in (["info", trace],
                     ["run", ft.SMOKE, "-q", "-o", os.path.join(self.dir, "replay.h5"), "--interventions", trace]):
            with self.subTest(args[0]):
                p = ft.sim(*args, check=False, timeout=60)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertEqual(p.stderr.strip(), f"error: {trace}: damaged trace (its metadata cannot be read)")
        # Damage further on (an attribute's message): the failed read names the file, exit 2,
        # not "internal error: HDF5 failure" with exit 1.
        other = os.path.join(self.dir, "other.h5")
        ft.sim("run", ft.SMOKE, "-q", "--set", "run.end=2018-03", "-o", other)
        with open(other, "r+b") as f:
            f.seek(2048)
            f.write(b"\0" * 1024)
        p = ft.sim("info", other, check=False, timeout=60)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertTrue(p.stderr.strip().startswith(f"error: {other}: damaged or unexpected trace: cannot read "),
                        p.stderr)

    def test_bad_flags_and_paths(self):
        cases = [
            (["run", ft.SMOKE, "-o", os.path.join(self.dir, "x.h5"), "--threads", "-1"], "--threads must be"),
            (["run", ft.SMOKE, "--bogus"], "unrecognised option '--bogus'"),
            (["run"], "missing CONFIG"),
            (["run", os.path.join(self.dir, "none.toml")], "config file not found"),
            (["run", ft.SMOKE, "-o", "/nonexistent-dir/x.h5"], "folder /nonexistent-dir does not exist"),
            (["run", ft.SMOKE, "-o", self.dir], "is a directory"),
            (["run", ft.SMOKE, "-o", os.path.join(self.dir, "x.txt")], "must end in .h5"),
            (["info", os.path.join(self.dir, "missing.h5")], "no such trace file"),
            (["info", ft.SMOKE], "not an HDF5 file"),
            (["frobnicate"], "unknown command 'frobnicate'"),
        ]
        for args, expected in cases:
            with self.subTest(args):
                p = ft.sim(*args, check=False)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(expected, p.stderr)
                self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)

    def test_help(self):
        for args in (["--help"], ["run", "--help"], ["info", "--help"]):
            p = ft.sim(*args)
            self.assertIn("feidi-sim", p.stdout + p.stderr)
        self.assertIn("--set", ft.sim("run", "--help").stdout)
        self.assertEqual(ft.sim(check=False).returncode, 2)
        # Every command's help states its exit codes; the top-level help lists them all.
        for cmd in ("run", "resume", "branch", "info", "validate", "sweep", "sensitivity", "calibrate"):
            self.assertIn("Exit codes: 0 ", ft.sim(cmd, "--help").stdout, cmd)
        top = ft.sim("--help").stdout
        for code in ("0 success", "1 internal failure", "2 bad input", "3 validate", "130 run"):
            self.assertIn(code, top)
        self.assertIn("3 at least one target missed", ft.sim("validate", "--help").stdout)

    def test_default_output_and_info(self):
        # Without -o, `run` writes results/<run.name>.h5 under the working directory.
        p = subprocess.run([ft.SIM, "run", ft.SMOKE, "--quiet", "--seed", "5", "--set", "trace.snapshot_interval_months=12"],
                           cwd=self.dir, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = os.path.join(self.dir, "results", "smoke.h5")
        self.assertTrue(os.path.exists(out))
        info = ft.sim("info", out).stdout
        self.assertIn("overrides       --seed 5, --set trace.snapshot_interval_months=12", info)
        for line in ("county         90 counties", "panel ", "snapshot       3 snapshots", "events ", "interventions "):
            self.assertIn(line, info)
        self.assertNotIn("nan", info)
        plain = os.path.join(self.dir, "plain.h5")
        ft.sim("run", ft.SMOKE, "--quiet", "-o", plain)
        self.assertIn("overrides       none", ft.sim("info", plain).stdout)

    def test_entry_script_exit_codes(self):
        feidi = os.path.join(ft.SOURCE, "feidi")
        usage = subprocess.run([feidi, "plot"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        self.assertEqual(usage.returncode, 2, usage.stderr)
        self.assertIn("usage: ./feidi plot", usage.stderr)
        bad = self.write("bad.toml", "[scale]\npersons_per_agnet = 10\n")
        p = subprocess.run([feidi, "run", bad, "-o", os.path.join(self.dir, "x.h5")], capture_output=True, text=True,
                           stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("persons_per_agnet", p.stderr)

    def test_progress_only_on_a_terminal(self):
        out = os.path.join(self.dir, "p.h5")
        quiet = ft.sim("run", ft.SMOKE, "-o", out)
        self.assertNotIn("steps/s  ETA", quiet.stderr)
        self.assertNotIn("\r", quiet.stderr)
        cmd = " ".join(shlex.quote(a) for a in [ft.SIM, "run", ft.SMOKE, "-o", out, "--set", "run.end=2035-12"])
        tty = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, text=True,
                             stdin=subprocess.DEVNULL)
        self.assertEqual(tty.returncode, 0, tty.stdout)
        self.assertIn("steps/s", tty.stdout)
        self.assertIn("ETA", tty.stdout)
        self.assertIn("step 216/216", tty.stdout)


if __name__ == "__main__":
    unittest.main()
