"""A trace can be read while it grows (SWMR), and a `kill -9` of a running
`feidi-sim run` leaves a file that h5py reads up to the last flushed step
(after `h5clear -s`), identical to the same steps of a complete run."""
import os
import signal
import subprocess
import time
import unittest

import h5py
import numpy as np
import xarray as xr

import feidi_test as ft


def steps_written(path):
    try:
        with h5py.File(path, "r", libver="latest", swmr=True) as f:
            return int(f["steps_written"][()])
    except (OSError, KeyError):
        return -1


class Crash(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.ref = os.path.join(cls.dir, "reference.h5")
        ft.sim("run", ft.BASELINE, "-o", cls.ref, "--quiet", "--threads", "2")

    def wait_for_steps(self, path, proc, k):
        """Waits until the running trace at `path` has k steps; fails if the run ends first."""
        deadline = time.time() + 120
        while steps_written(path) < k and time.time() < deadline and proc.poll() is None:
            time.sleep(0.01)
        self.assertIsNone(proc.poll(), "the run ended before it could be stopped")

    def start(self, path):
        return subprocess.Popen([ft.SIM, "run", ft.BASELINE, "-o", path, "--quiet", "--threads", "2"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def test_reader_follows_a_growing_file(self):
        path = os.path.join(self.dir, "live.h5")
        proc = self.start(path)
        try:
            deadline = time.time() + 120
            while steps_written(path) < 1 and time.time() < deadline:
                time.sleep(0.02)
            seen = []
            with h5py.File(path, "r", libver="latest", swmr=True) as f:
                counter, gdp = f["steps_written"], f["county/gdp"]
                for _ in range(200):
                    counter.refresh()
                    gdp.refresh()
                    n = int(counter[()])
                    self.assertGreaterEqual(gdp.shape[0], n)  # data first, counter last
                    if n > 0:
                        self.assertTrue(np.all(gdp[n - 1] > 0))
                    seen.append(n)
                    if n >= 216:
                        break
                    time.sleep(0.02)
            self.assertGreater(len(set(seen)), 2, "the reader saw the file grow")
        finally:
            proc.wait(timeout=300)
        self.assertEqual(proc.returncode, 0)

    def test_kill_9_leaves_readable_prefix(self):
        path = os.path.join(self.dir, "killed.h5")
        proc = self.start(path)
        self.wait_for_steps(path, proc, 20)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        self.assertEqual(proc.returncode, -signal.SIGKILL)
        subprocess.run(["h5clear", "-s", path], check=True, capture_output=True)
        with h5py.File(path, "r") as f:
            n = int(f["steps_written"][()])
            self.assertGreaterEqual(n, 20)
            self.assertLess(n, 216)
            self.assertEqual(int(f.attrs["run_completed"]), 0)
        with h5py.File(path, "r") as f, h5py.File(self.ref, "r") as r:
            for g in ["county", "enclave", "province"]:
                for name, ds in f[g].items():
                    if ds.ndim == 0 or ds.shape[0] != f[f"{g}/time"].shape[0] or ds.maxshape[0] is not None:
                        continue  # static variables
                    self.assertTrue(np.array_equal(ds[:n], r[g][name][:n]), f"{g}/{name}")
            # Events of the written steps are all there.
            k = int(np.searchsorted(r["events/step"][:], n))
            self.assertTrue(np.array_equal(f["events/subject"][:k], r["events/subject"][:k]))
        county = xr.open_dataset(path, engine="h5netcdf", group="county")
        self.assertGreaterEqual(county.sizes["time"], n)
        info = ft.sim("info", path)
        self.assertIn("INCOMPLETE", info.stdout)
        self.assertNotIn("nan s", info.stdout)
        self.assertIn("no timing", info.stdout)

    def test_sigint_stops_cleanly(self):
        path = os.path.join(self.dir, "interrupted.h5")
        proc = self.start(path)
        self.wait_for_steps(path, proc, 10)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 130)
        self.assertIn("interrupted after", err.decode())
        with h5py.File(path, "r") as f:  # closed properly: no h5clear needed
            n = int(f["steps_written"][()])
            self.assertGreaterEqual(n, 10)
            self.assertEqual(f["county/gdp"].shape[0], n)


if __name__ == "__main__":
    unittest.main()
