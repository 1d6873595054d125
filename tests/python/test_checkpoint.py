"""Checkpoints, resume and branch (issue 11): a run killed with SIGKILL at several points and
resumed from its last checkpoint equals the uninterrupted run in every dataset; a branch shares
its parent's history, records its lever changes, and equals a fresh run that replays them."""
import json
import os
import signal
import subprocess
import time
import unittest

import h5py
import numpy as np

import feidi_test as ft

# The baseline at 1:1000 persons and 1:100 firms: 216 monthly steps in a few seconds, yearly
# checkpoints (about 3 MB each; 1:10 firms would make them 25 MB), snapshots every two years.
SCALE = ["--set", "scale.persons_per_agent=1000", "--set", "scale.firms_per_agent=100",
         "--set", "trace.snapshot_interval_months=24"]
PARENT_ATTRS = {"parent_trace", "parent_content_hash", "parent_step", "parent_month", "parent_kind"}


class CheckpointTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.full = os.path.join(cls.dir, "full.h5")
        ft.sim("run", ft.BASELINE, *SCALE, "--checkpoint-every", "12", "-q", "-o", cls.full)

    def assert_same(self, a, b):
        ft.assert_same_data(self, a, b, ignore_attrs=ft.RUN_METADATA | PARENT_ATTRS)

    def killed_run(self, name, at_least):
        """Starts the run, SIGKILLs it once at least `at_least` steps are published; returns
        the trace path and the steps it holds.

        The run goes on in short slices (SIGCONT ... SIGSTOP) and the steps are counted while
        it is stopped. The writer publishes steps every 0.25 s of wall time, so the count
        moves in jumps (about 40 months when sliced, 100 running freely): a run whose last
        look fell just short of the target can reach its end before the next one. Then the
        run is started again with an earlier target (at most four tries)."""
        path = os.path.join(self.dir, name)
        for attempt in range(4):
            if os.path.exists(path):
                os.remove(path)
            target = max(1, at_least - 40 * attempt)
            p = subprocess.Popen([ft.SIM, "run", ft.BASELINE, *SCALE, "--checkpoint-every", "12", "-q", "-o", path],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 120
            while p.poll() is None and time.monotonic() < deadline:
                p.send_signal(signal.SIGSTOP)
                if os.path.exists(path) and ft.steps_written(path) >= target:
                    break
                p.send_signal(signal.SIGCONT)
                time.sleep(0.0003)
            p.send_signal(signal.SIGKILL)
            p.wait()
            if ft.steps_written(path) < 216:
                break
        self.assertLess(ft.steps_written(path), 216, "the run ended before it could be killed, four times")
        return path, ft.steps_written(path)

    def test_resume_after_kill_is_bitwise_the_uninterrupted_run(self):
        for target, threads, in_place in ((30, 2, False), (100, 1, True), (170, 2, False)):
            with self.subTest(target=target):
                trace, held = self.killed_run(f"killed{target}.h5", target)
                self.assertGreaterEqual(held, 12)
                lock = os.path.join(self.dir, f".killed{target}.h5.lock")
                self.assertTrue(os.path.exists(lock), "SIGKILL leaves the writer's lock file")
                if in_place:
                    p = ft.sim("resume", trace, "--threads", threads, "-q")
                    out = trace
                else:
                    out = os.path.join(self.dir, f"resumed{target}.h5")
                    p = ft.sim("resume", trace, "--threads", threads, "-q", "-o", out)
                self.assertEqual(p.returncode, 0)
                self.assert_same(self.full, out)
                with h5py.File(out, "r") as f:
                    self.assertEqual(f.attrs["parent_kind"], "resume")
                    self.assertEqual(f.attrs["parent_step"] % 12, 0)
                    self.assertEqual(int(f.attrs["run_completed"]), 1)
                self.assertFalse([n for n in os.listdir(self.dir) if n.endswith(".resume.h5")])
                self.assertFalse(os.path.exists(lock), "the resume removes the killed run's lock file")
                self.assertFalse(os.path.exists(os.path.join(self.dir, f".resumed{target}.h5.lock")))

    def test_kill_before_the_first_checkpoint(self):
        trace, held = self.killed_run("early.h5", 1)
        if held >= 12:
            self.skipTest("the machine was too slow to kill the run before its first checkpoint")
        p = ft.sim("resume", trace, check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("no complete checkpoint to continue from", p.stderr)

    def test_branch_without_changes_is_the_parent(self):
        out = os.path.join(self.dir, "same.h5")
        ft.sim("branch", self.full, "--at", "2024-01", "-q", "-o", out)
        self.assert_same(self.full, out)
        with h5py.File(out, "r") as f:
            self.assertEqual(f.attrs["parent_month"], "2024-01")
            self.assertEqual(int(f.attrs["parent_step"]), 72)
            self.assertEqual(f.attrs["parent_trace"], os.path.abspath(self.full))
            self.assertEqual(len(f.attrs["parent_content_hash"]), 16)

    def test_direct_writes_equal_buffered_ones(self):
        """At 1:100 a checkpoint's person columns are written in 288 KiB chunks by direct I/O
        (sim/trace/direct_io.hpp): the trace equals one written through the page cache
        (FEIDI_DIRECT_IO=0), and a branch reads its checkpoints back (their hashes match)."""
        args = ["run", ft.BASELINE, "--set", "run.end=2020-12", "--checkpoint-every", "6", "-q"]
        direct, buffered = os.path.join(self.dir, "direct.h5"), os.path.join(self.dir, "buffered.h5")
        ft.sim(*args, "-o", direct, "--stats-json", direct + ".json")
        ft.sim(*args, "-o", buffered, "--stats-json", buffered + ".json",
               env=dict(os.environ, FEIDI_DIRECT_IO="0"))
        with open(direct + ".json") as f:
            self.assertGreater(json.load(f)["trace_direct_bytes"], 100 << 20)
        with open(buffered + ".json") as f:
            self.assertEqual(json.load(f)["trace_direct_bytes"], 0)
        self.assert_same(buffered, direct)
        out = os.path.join(self.dir, "direct_branch.h5")
        ft.sim("branch", direct, "--at", "2020-07", "-q", "-o", out)
        self.assert_same(direct, out)

    def test_branch_with_changed_levers(self):
        out = os.path.join(self.dir, "branch.h5")
        ft.sim("branch", self.full, "--at", "2025-01", "--set", "enclaves.guaranteed_return_rate=0.2",
               "--set", "province.special_fund_yuan_per_year=2e10", "-q", "-o", out)
        with h5py.File(self.full, "r") as a, h5py.File(out, "r") as b:
            k = 84  # 2025-01 is step 84
            self.assertEqual(int(b.attrs["parent_step"]), k)
            self.assertEqual(list(b["interventions/step"][()]), [k, k])
            self.assertEqual(list(b["interventions/new_value"][()]), [0.2, 2e10])
            # One time axis: the branch's history is the parent's, then it departs.
            self.assertTrue(np.array_equal(a["province/time"][()], b["province/time"][()]))
            for v in ("gdp", "weak_villages_26", "special_fund_spent"):
                self.assertTrue(np.array_equal(a["province"][v][:k], b["province"][v][:k]), v)
            self.assertFalse(np.array_equal(a["province/special_fund_spent"][k:], b["province/special_fund_spent"][k:]))
            self.assertTrue(np.array_equal(a["checkpoint/state_hash"][:7], b["checkpoint/state_hash"][:7]))
            self.assertFalse(np.array_equal(a["checkpoint/state_hash"][7:], b["checkpoint/state_hash"][7:]))
        # A fresh run that replays the branch's lever changes is the branch, bitwise.
        replay = os.path.join(self.dir, "replay.h5")
        ft.sim("run", ft.BASELINE, *SCALE, "--checkpoint-every", "12", "-q", "--interventions", out, "-o", replay)
        self.assert_same(replay, out)

    def sweep_file(self, name, body):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(body)
        return path

    def test_branch_sweep_shares_one_history(self):
        sweep = self.sweep_file("branches.toml", f"""
[sweep]
branch_from = "{os.path.basename(self.full)}@2030-01"
traces = true

[[parameters]]
key = "enclaves.guaranteed_return_rate"
values = [0.0, 0.1, 0.2]

[outputs]
weak_26 = "province.weak_villages_26@end"
ratio_26 = "province.gdp_per_capita_ratio_26@mean:2031-01:2035-12"
""")
        summary = os.path.join(self.dir, "branches.h5")
        ft.sim("sweep", sweep, "-q", "-o", summary)
        traces = os.path.join(self.dir, "branches_traces")
        with h5py.File(summary, "r") as s, h5py.File(self.full, "r") as p:
            self.assertEqual(list(s["weak_26"][()])[1], p["province/weak_villages_26"][-1])
            self.assertEqual(len(set(s["seed"][()])), 1)
            self.assertEqual(int(s["seed"][0]), int(p.attrs["seed"]))
            self.assertNotEqual(s["weak_26"][0], s["weak_26"][2])
        # The member at the parent's levers is the parent; another is `feidi-sim branch`.
        self.assert_same(self.full, os.path.join(traces, "run_000001.h5"))
        single = os.path.join(self.dir, "single.h5")
        ft.sim("branch", self.full, "--at", "2030-01", "--set", "enclaves.guaranteed_return_rate=0.2", "-q", "-o", single)
        self.assert_same(single, os.path.join(traces, "run_000002.h5"))

    def test_branch_sweep_errors(self):
        head = f'[sweep]\nbranch_from = "{self.full}@2030-01"\n'
        out = os.path.join(self.dir, "bad.h5")
        cases = [
            (head + '[[parameters]]\nkey = "growth.depreciation_per_year"\nvalues = [0.05]\n'
             '[outputs]\nw = "province.weak_villages_26@end"\n', "changes policy levers only"),
            (head + 'replicates = 2\n[outputs]\nw = "province.weak_villages_26@end"\n', "has one replicate"),
            (head + '[outputs]\nw = "province.weak_villages_26@mean"\n', "a branch simulates from 2030-01 on"),
            (head + '[outputs]\nw = "province.weak_villages_26@2029-12"\n', "is not simulated"),
            ('[sweep]\nbranch_from = "' + self.full + '@2030-02"\n[outputs]\nw = "province.gini@end"\n',
             "has no checkpoint at 2030-02"),
        ]
        for i, (body, message) in enumerate(cases):
            with self.subTest(message=message):
                p = ft.sim("sweep", self.sweep_file(f"bad{i}.toml", body), "-o", out, check=False)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(message, p.stderr)

    def test_bad_requests_are_clear_errors(self):
        plain = os.path.join(self.dir, "plain.h5")
        ft.sim("run", ft.SMOKE, "-q", "-o", plain)
        x = os.path.join(self.dir, "x.h5")
        cases = [
            (["resume", plain, "-o", x], "no complete checkpoint to continue from"),
            (["branch", self.full, "--at", "2024-02", "-o", x], "has no checkpoint at 2024-02; it has: 2019-01, 2020-01"),
            (["branch", self.full, "--at", "2024-01", "--set", "scale.persons_per_agent=10", "-o", x],
             "a branch changes policy levers only"),
            (["branch", self.full, "--at", "2024-01"], "give the branch's trace with -o OUT.h5"),
            (["branch", self.full, "--at", "24-1", "-o", x], "--at must be a month YYYY-MM"),
            (["resume", self.full, "-o", self.full], "the output must be another file than the parent"),
            (["resume", os.path.join(self.dir, "none.h5")], "no such trace file"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                p = ft.sim(*args, check=False, timeout=120)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(message, p.stderr)
                self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertFalse(os.path.exists(x))

    def test_a_damaged_checkpoint_is_refused(self):
        trace = os.path.join(self.dir, "damaged.h5")
        ft.sim("run", ft.SMOKE, "-q", "--checkpoint-every", "6", "-o", trace)
        with h5py.File(trace, "r") as f:
            ds = f["checkpoint/persons_county"]
            last = ds.shape[0] - 1
            info = ds.id.get_chunk_info_by_coord((last, 0))
            offset = info.byte_offset + 100
        with open(trace, "r+b") as f:
            f.seek(offset)
            b = f.read(1)
            f.seek(offset)
            f.write(bytes([b[0] ^ 0x01]))
        p = ft.sim("resume", trace, "-o", os.path.join(self.dir, "from_damaged.h5"), check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("is damaged (its state hash does not match its data)", p.stderr)


if __name__ == "__main__":
    unittest.main()
