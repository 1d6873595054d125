"""Generated documents are up to date and the README starts with the two commands."""
import os
import unittest

import feidi_test as ft


def read(*parts):
    with open(os.path.join(ft.SOURCE, *parts), encoding="utf-8") as f:
        return f.read()


class Docs(unittest.TestCase):
    def test_config_reference_is_current(self):
        self.assertEqual(read("configs", "README.md"), ft.sim("config-doc").stdout,
                         "regenerate with: ./feidi config-doc > configs/README.md")

    def test_trace_schema_is_current(self):
        self.assertEqual(read("sim", "docs", "trace_schema.md"), ft.sim("schema-doc").stdout,
                         "regenerate with: ./feidi schema-doc > sim/docs/trace_schema.md")

    def test_readme_starts_with_the_two_commands(self):
        text = read("README.md")
        head = text[:1500]
        self.assertIn("./feidi run", head)
        self.assertIn("./feidi test", head)
        self.assertLess(head.index("./feidi run"), head.index("./feidi test"))

    def test_odd_names_every_registry_key(self):
        # Every config key appears in the ODD+D description, linked to its section of the
        # config reference, so the model description cannot silently lose a parameter.
        odd = read("sim", "docs", "odd.md")
        keys = []
        section = None
        for line in ft.sim("config-doc").stdout.splitlines():
            if line.startswith("## ["):
                section = line[4:line.index("]")]
            elif line.startswith("| `") and section:
                keys.append(section + "." + line.split("`")[1])
        self.assertGreater(len(keys), 100)
        missing = [k for k in keys
                   if f"[`{k}`](../../configs/README.md#{k.split('.')[0]})" not in odd]
        self.assertEqual(missing, [], "document these keys in sim/docs/odd.md (linked to configs/README.md)")

    def test_readme_summary_is_what_a_baseline_run_prints(self):
        # The summary block in the README's tour is the one `feidi-sim run configs/baseline.toml` prints.
        text = read("README.md")
        i = text.index("Summary: baseline")
        block = text[i:text.index("```", i)].rstrip("\n")
        out = os.path.join(ft.tmpdir(), "baseline.h5")
        printed = ft.sim("run", ft.BASELINE, "-o", out).stdout
        j = printed.index("Summary: baseline")
        k = printed.index("\n", printed.index("Enclave tax", j))
        self.assertEqual(block, printed[j:k], "update the summary block in README.md")

    def test_model_md_quotes_the_calibrated_values(self):
        # The calibration table of sim/docs/model.md §6 gives the values configs/calibrated.toml holds.
        import tomllib
        with open(os.path.join(ft.SOURCE, "configs", "calibrated.toml"), "rb") as f:
            cal = tomllib.load(f)
        model = read("sim", "docs", "model.md")
        for section, keys in cal.items():
            for key, value in keys.items():
                rows = [l for l in model.splitlines() if l.startswith(f"| `{section}.{key}` |")]
                self.assertEqual(len(rows), 1, f"{section}.{key} missing from the calibration table of model.md")
                quoted = rows[0].rstrip(" |").split("|")[-1].strip().replace("−", "-")
                scale = 1e6 if quoted.endswith(" M") else 1.0
                self.assertAlmostEqual(float(quoted.rstrip(" M")) * scale, value, delta=abs(value) * 0.01 + 1e-9,
                                       msg=f"{section}.{key}: model.md says {quoted}, calibrated.toml {value}")

    def test_config_comments_state_the_agent_counts_a_run_has(self):
        # smoke.toml and full_scale.toml state their agent counts at the start in their opening
        # comment; the first month of a smoke run (1:1000 persons, 1:100 firms) gives both
        # (full scale = smoke counts scaled).
        import re
        out = os.path.join(ft.tmpdir(), "counts.h5")
        line = ft.sim("run", ft.SMOKE, "-o", out, "--set", "run.end=2018-01").stdout.strip().splitlines()[-1]
        m = re.search(r"(\d+) persons, (\d+) firms, (\d+) villages as agents", line)
        persons, firms, villages = (int(x) for x in m.groups())
        smoke, full = read("configs", "smoke.toml"), read("configs", "full_scale.toml")
        self.assertIn(f"{persons / 1e3:.0f} k person agents, {firms / 1e3:.0f} k firm agents of 100 firms each at the\n# start", smoke)
        self.assertIn(f"all {villages / 1e3:.1f} k real villages", smoke)
        self.assertIn(f"About {persons * 1000 / 1e6:.1f} M person agents, {firms * 100 / 1e6:.1f} M firm agents at the "
                      f"start (entrants add slots) and all\n# {villages / 1e3:.1f} k villages", full)
        self.assertNotRegex(full + smoke, r"\d+(\.\d+)? GiB|\d+\s*(–|-)\s*\d+ minutes")  # no timings in comments

    def test_model_md_maps_every_rule_header(self):
        # The code map in model.md §3 names every header in sim/model/rules/ and no other.
        import re
        text = read("sim", "docs", "model.md")
        mapped = set(re.findall(r"^\| `([a-z_]+\.hpp)` \|", text, re.M))
        present = {f for f in os.listdir(os.path.join(ft.SOURCE, "sim", "model", "rules")) if f.endswith(".hpp")}
        self.assertEqual(mapped, present, "update the code map in sim/docs/model.md §3")

    def test_docs_point_only_inside_the_repository(self):
        import glob
        files = ["README.md"] + glob.glob(os.path.join(ft.SOURCE, "sim", "docs", "*.md")) + \
            glob.glob(os.path.join(ft.SOURCE, "configs", "**", "*.toml"), recursive=True) + \
            glob.glob(os.path.join(ft.SOURCE, "results", "*.md"))
        for f in files:
            text = read(f) if os.path.isabs(f) else read(f)
            for bad in ("../shared", "/work/", "/home/", "/tmp/"):
                self.assertNotIn(bad, text, f"{f} points outside the repository ({bad})")

    def test_readme_performance_figures_are_the_stored_bench_record(self):
        import json
        import sys
        sys.path.insert(0, os.path.join(ft.SOURCE, "sim", "tools"))
        import bench_report
        with open(os.path.join(ft.SOURCE, "results", "bench.json"), encoding="utf-8") as f:
            record = json.load(f)
        block = bench_report.current_block(read("README.md"))
        self.assertIsNotNone(block, "README.md lacks the bench block")
        self.assertEqual(block, bench_report.render(record), "regenerate with: ./feidi bench --readme")

    def test_ci_calls_feidi_test(self):
        self.assertIn("./feidi test", read(".ci", "run"))


if __name__ == "__main__":
    unittest.main()
