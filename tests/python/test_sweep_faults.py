"""Sweeps survive failures (issue 11): a run that fails is recorded with its error (status 1,
NaN outputs) while the others finish; a sweep killed with SIGKILL keeps its finished runs in
the journal, and `sweep --resume` runs only the missing or failed ones, giving the summary of
an uninterrupted sweep."""
import os
import signal
import subprocess
import time
import unittest

import h5py
import numpy as np

import feidi_test as ft


def sweep_file(d, name, points, traces):
    path = os.path.join(d, name)
    values = ", ".join(f"{v:.2f}" for v in points)
    with open(path, "w") as f:
        f.write(f"""[sweep]
scenarios = ["{ft.SMOKE}"]
traces = {"true" if traces else "false"}

[fixed]
run.end = "2019-06"

[[parameters]]
key = "enclaves.guaranteed_return_rate"
values = [{values}]

[outputs]
weak = "province.weak_villages_26@end"
gini = "province.gini@end"
""")
    return path


def summary(path):
    with h5py.File(path, "r") as f:
        return {k: f[k][()] for k in ("weak", "gini", "status", "error")}


class SweepFaults(unittest.TestCase):
    def setUp(self):
        self.dir = ft.tmpdir()

    def test_a_failed_run_is_recorded_and_the_others_finish(self):
        sweep = sweep_file(self.dir, "s.toml", [0.0, 0.1, 0.2], traces=True)
        out = os.path.join(self.dir, "s.h5")
        # Run 1's trace path is taken by a folder: that run fails, the others do not.
        blocker = os.path.join(self.dir, "s_traces", "run_000001.h5")
        os.makedirs(blocker)
        p = ft.sim("sweep", sweep, "-q", "-o", out, check=False, timeout=600)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("1 of 3 runs failed", p.stderr)
        s = summary(out)
        self.assertEqual(list(s["status"]), [0, 1, 0])
        self.assertTrue(s["error"][1])
        self.assertEqual(s["error"][0], b"")
        self.assertTrue(np.isnan(s["weak"][1]) and np.isfinite(s["weak"][0]) and np.isfinite(s["weak"][2]))
        # Once the cause is gone, --resume runs only the failed run.
        os.rmdir(blocker)
        p = ft.sim("sweep", sweep, "-o", out, "--resume", timeout=600)
        self.assertIn("3 runs (1 this time)", p.stdout)
        clean = os.path.join(self.dir, "clean.h5")
        ft.sim("sweep", sweep_file(self.dir, "c.toml", [0.0, 0.1, 0.2], traces=False), "-q", "-o", clean, timeout=600)
        a, b = summary(out), summary(clean)
        self.assertEqual(list(a["status"]), [0, 0, 0])
        for k in ("weak", "gini"):
            self.assertTrue(np.array_equal(a[k], b[k]), k)

    def test_a_killed_sweep_resumes(self):
        points = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25]
        sweep = sweep_file(self.dir, "k.toml", points, traces=False)
        out = os.path.join(self.dir, "k.h5")
        journal = out + ".journal"
        proc = subprocess.Popen([ft.SIM, "sweep", sweep, "-q", "--threads", "1", "-o", out], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        done = 0
        while proc.poll() is None and time.monotonic() < deadline:
            if os.path.exists(journal):
                with open(journal) as f:
                    done = sum(1 for l in f if l.startswith("ok "))
                if done >= 2:
                    break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        self.assertFalse(os.path.exists(out), "the killed sweep wrote its summary")
        self.assertGreaterEqual(done, 2)
        p = ft.sim("sweep", sweep, "-o", out, "--resume", timeout=600)
        with open(journal) as f:
            self.assertGreaterEqual(sum(1 for l in f if l.startswith("ok ")), len(points))
        self.assertRegex(p.stdout, r"6 runs \([1-4] this time\)")
        clean = os.path.join(self.dir, "kc.h5")
        ft.sim("sweep", sweep, "-q", "-o", clean, timeout=600)
        a, b = summary(out), summary(clean)
        for k in ("weak", "gini", "status"):
            self.assertTrue(np.array_equal(a[k], b[k]), k)

    def test_resume_needs_the_same_sweep(self):
        sweep = sweep_file(self.dir, "r.toml", [0.1], traces=False)
        out = os.path.join(self.dir, "r.h5")
        p = ft.sim("sweep", sweep, "-o", out, "--resume", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("no journal to resume from", p.stderr)
        ft.sim("sweep", sweep, "-q", "-o", out)
        other = sweep_file(self.dir, "r.toml", [0.1, 0.2], traces=False)
        p = ft.sim("sweep", other, "-o", out, "--resume", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("the journal belongs to another sweep file or version", p.stderr)


if __name__ == "__main__":
    unittest.main()
