"""`feidi-sim validate`: one row per target S1–S6 with fact, tolerance, measured value and
pass/fail, JSON that agrees with the table, exit code 0 only when all pass, and the
calibrated targets holding at the default scale (mean of three replicates, as a target is judged
on its mean)."""
import json
import os
import re
import unittest

import feidi_test as ft

# The targets the calibrated model meets (sim/docs/model.md §6); S2b, S2c, S3a and S6f are
# documented misses, each with its cause, and stay misses here rather than being tuned away.
CALIBRATED = ["S1", "S2a", "S3b", "S4", "S5", "S6a", "S6b", "S6c", "S6d", "S6e"]


class Validate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.json = os.path.join(cls.dir, "validation.json")
        cls.proc = ft.sim("validate", "--replicates", "3", "--json", cls.json, check=False)
        with open(cls.json) as f:
            cls.results = json.load(f)

    def test_every_target_has_a_row(self):
        ids = [t["id"] for t in self.results["targets"]]
        for prefix in ["S1", "S2", "S3", "S4", "S5", "S6"]:
            self.assertTrue(any(i.startswith(prefix) for i in ids), prefix)
        rows = re.findall(r"^(PASS|FAIL) (S\d\w?) ", self.proc.stdout, re.M)
        self.assertEqual([r[1] for r in rows], ids)
        for (verdict, tid), t in zip(rows, self.results["targets"]):
            self.assertEqual(verdict == "PASS", t["pass"], tid)
            self.assertTrue(t["fact"] and t["tolerance"] and t["unit"], tid)
            self.assertLessEqual(t["lo"], t["mean"] + 1e-9)
            self.assertGreaterEqual(t["hi"], t["mean"] - 1e-9)

    def test_exit_code_reflects_failures(self):
        all_pass = all(t["pass"] for t in self.results["targets"])
        self.assertEqual(self.proc.returncode, 0 if all_pass else 3, self.proc.stderr)

    def test_calibrated_targets_hold(self):
        by_id = {t["id"]: t for t in self.results["targets"]}
        for tid in CALIBRATED:
            self.assertTrue(by_id[tid]["pass"], f"{tid}: {by_id[tid]}")

    def test_bad_arguments(self):
        p = ft.sim("validate", "--replicates", "0", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--replicates", p.stderr)


if __name__ == "__main__":
    unittest.main()
