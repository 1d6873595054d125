"""Faults around the output (issue 11): a full disk (a small tmpfs, where the machine lets us
mount one), no space at all, the output folder removed during a run, two runs aimed at one
path, and kill -9 while the trace is being created. Each ends with a clear message and a
non-zero exit, and what was written stays readable."""
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import h5py

import feidi_test as ft

BASE = ["--set", "scale.persons_per_agent=1000"]


def start(args):
    return subprocess.Popen([ft.SIM, *map(str, args)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def wait_steps(path, n, proc, limit=120):
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline and ft.steps_written(path) < n:
        time.sleep(0.01)


class Tmpfs:
    """A small tmpfs mounted for the test (None when mounting is not allowed)."""

    def __init__(self, size):
        self.dir = tempfile.mkdtemp(prefix="feidi-tmpfs-")
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", self.dir], capture_output=True)
        self.ok = p.returncode == 0

    def close(self):
        if self.ok:
            subprocess.run(["umount", self.dir], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class Faults(unittest.TestCase):
    def setUp(self):
        self.dir = ft.tmpdir()

    def test_disk_full_during_the_run(self):
        fs = Tmpfs("4m")
        try:
            if not fs.ok:
                self.skipTest("cannot mount a tmpfs here")
            out = os.path.join(fs.dir, "full.h5")
            p = ft.sim("run", ft.SMOKE, "-q", "--checkpoint-every", "6", "-o", out, check=False, timeout=300)
            self.assertEqual(p.returncode, 2, p.stderr)
            lines = p.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, p.stderr)
            self.assertRegex(lines[0], rf"^error: {out}: the disk is full; the trace keeps the \d+ steps written before")
            info = ft.sim("info", out, check=False)
            self.assertEqual(info.returncode, 0, info.stderr)
            self.assertIn("INCOMPLETE", info.stdout)
        finally:
            fs.close()

    def test_no_space_at_all(self):
        fs = Tmpfs("1m")
        try:
            if not fs.ok:
                self.skipTest("cannot mount a tmpfs here")
            with open(os.path.join(fs.dir, "filler"), "wb") as f:
                try:
                    f.write(b"\0" * (2 << 20))
                except OSError:
                    pass
            out = os.path.join(fs.dir, "none.h5")
            p = ft.sim("run", ft.SMOKE, "-q", "-o", out, check=False, timeout=300)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertEqual(p.stderr.strip().splitlines()[-1], f"error: {out}: the disk is full; no trace written")
            self.assertFalse(os.path.exists(out), "a file was left behind")
        finally:
            fs.close()

    def test_output_folder_removed_during_the_run(self):
        folder = os.path.join(self.dir, "gone")
        os.makedirs(folder)
        out = os.path.join(folder, "t.h5")
        proc = start(["run", ft.BASELINE, *BASE, "-q", "-o", out])
        wait_steps(out, 5, proc)
        shutil.rmtree(folder)
        _, err = proc.communicate(timeout=300)
        self.assertEqual(proc.returncode, 2, err)
        self.assertRegex(err.strip(), rf"^error: {out}: the trace file was removed \(or its folder\) during the run")

    def test_two_runs_on_one_path(self):
        out = os.path.join(self.dir, "one.h5")
        first = start(["run", ft.BASELINE, *BASE, "-q", "-o", out])
        wait_steps(out, 5, first)
        second = ft.sim("run", ft.SMOKE, "-q", "-o", out, check=False, timeout=120)
        self.assertEqual(second.returncode, 2, second.stderr)
        self.assertEqual(second.stderr.strip(),
                         f"error: {out}: another run is writing this trace (give another -o, or wait for it to end)")
        _, err = first.communicate(timeout=300)
        self.assertEqual(first.returncode, 0, err)
        with h5py.File(out, "r") as f:
            self.assertEqual(int(f["steps_written"][()]), 216)
            self.assertEqual(int(f.attrs["run_completed"]), 1)
        # A resume in place of a run that is still writing is refused the same way.
        again = start(["run", ft.BASELINE, *BASE, "-q", "--checkpoint-every", "12", "-o", out])
        deadline = time.monotonic() + 120  # until the new run has replaced the old trace
        while again.poll() is None and time.monotonic() < deadline and not 30 <= ft.steps_written(out) < 216:
            time.sleep(0.01)
        p = ft.sim("resume", out, check=False, timeout=120)
        again.communicate(timeout=300)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("another run is writing this trace", p.stderr)

    def test_kill_while_the_trace_is_created(self):
        out = os.path.join(self.dir, "k.h5")
        ft.sim("run", ft.SMOKE, "-q", "--set", "run.end=2018-06", "-o", out)
        for delay in (0.01, 0.05, 0.1, 0.2, 0.3, 0.5):
            with self.subTest(delay=delay):
                proc = start(["run", ft.BASELINE, *BASE, "-q", "-o", out])
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                proc.communicate()
                # The path holds the old trace or the new one, readable either way.
                p = ft.sim("info", out, check=False, timeout=120)
                self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
