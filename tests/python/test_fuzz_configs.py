"""Mutated configs (issue 11): a corpus of 600 configs made from configs/smoke.toml by a fixed
seed — lines deleted, duplicated or truncated, values of other types or out of range, garbage
and NUL bytes, unknown keys and sections, nesting 100,000 deep, broken includes, impossible
paths (missing, too long, NUL) — each run with `feidi-sim run CONFIG --no-trace` (to June 2018). Every one
must end with a clean run (exit 0) or one line "error: ..." and exit 2: never a signal, an
abort, an internal error (exit 1) or a hang."""
import concurrent.futures
import os
import random
import shutil
import subprocess
import unittest

import feidi_test as ft

VALUES = ['""', '"x"', "0", "-1", "1", "2", "7", "1e400", "-1e400", "nan", "inf", "1.5", "-0.5", "true", "false",
          "[]", "[1, 2]", '["a"]', "{}", "{ a = 1 }", "1979-05-27", "2018-01-01T00:00:00Z", '"2018-13"', '"1800-01"',
          '"2300-01"', "99999999999999999999", "0x10", '"' + "z" * 5000 + '"', '"\\u0000"', "'''a\nb'''",
          "9223372036854775807", "-9223372036854775808", '"2019-12"', '"2018-01"', "0.0", "1e-300"]


def mutate(lines, rng, k):
    lines = list(lines)
    kind = k % 12
    i = rng.randrange(len(lines))
    if kind == 0:  # a line deleted
        del lines[i]
    elif kind == 1:  # a line duplicated (a key twice)
        lines.insert(i, lines[i])
    elif kind == 2:  # a value of another type or out of range
        keyed = [j for j, l in enumerate(lines) if "=" in l and not l.lstrip().startswith("#")]
        j = rng.choice(keyed)
        lines[j] = lines[j].split("=")[0] + "= " + rng.choice(VALUES)
    elif kind == 3:  # garbage bytes inside a line
        junk = "".join(rng.choice(["\x00", "\x01", "\xff", "\u00e9", "[", "]", "=", '"', "\\", "{", "#", "\n", "'"])
                       for _ in range(rng.randrange(1, 8)))
        pos = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:pos] + junk + lines[i][pos:]
    elif kind == 4:  # the file cut short
        text = "\n".join(lines)
        return text[:rng.randrange(len(text))]
    elif kind == 5:  # an unknown key or section
        lines.insert(i, rng.choice(["bogus = 1", "[bogus]", "[run.sub]", "persons.bogus_rate = 2", "[[run]]", "= 3"]))
    elif kind == 6:  # sections renamed or repeated
        heads = [j for j, l in enumerate(lines) if l.startswith("[")]
        if heads:
            j = rng.choice(heads)
            lines[j] = rng.choice(["[run]", "[scale]", "[trace]", "[data]", "[x.y.z]", "[ run ]", "[run"])
    elif kind == 7:  # deep nesting
        depth = rng.choice([65, 1000, 100000])
        lines.append(rng.choice(["[" + ".".join(["a"] * depth) + "]", "x = " + "[" * depth + "]" * depth,
                                 ".".join(["k"] * depth) + " = 1"]))
    elif kind == 8:  # includes
        lines.insert(0, rng.choice(['include = "missing.toml"', 'include = "self.toml"', "include = 3",
                                    'include = ["a", 1]', 'include = "/"']))
    elif kind == 9:  # data paths
        lines.append("[data]")
        lines.append(rng.choice(['dir = "/nonexistent"', 'dir = "' + "d/" * 3000 + '"', 'dir = "a\\u0000b"',
                                 'enclaves = "../../../etc/passwd"', 'enclaves = "nope.csv"', 'division_dir = "/tmp"',
                                 'enclave_start = "missing.csv"', 'dir = "/proc/self"', 'extra_enclaves = "/"']))
    elif kind == 10:  # the period
        lines.append("[run]")
        lines.append(rng.choice(['end = "2017-12"', 'start = "2035-01"', 'end = "2200-12"', 'start = "x"',
                                 'end = "2018-01"', "seed = -5", "seed = 1e20"]))
    else:  # scale and trace settings
        lines.append(rng.choice(["[scale]", "[trace]"]))
        lines.append(rng.choice(["persons_per_agent = 0", "persons_per_agent = 100000000", "firms_per_agent = -3",
                                 "panel_persons = 100000000", "snapshot_interval_months = -1",
                                 "checkpoint_interval_months = 5000", "checkpoint_deflate = 10"]))
    return "\n".join(lines) + "\n"


def run_one(path):
    try:
        # Six months are enough to run every phase (a mutated run.end is still read and checked).
        p = subprocess.run([ft.SIM, "run", path, "--no-trace", "-q", "--threads", "1", "--set", "run.end=2018-06"],
                           capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=120)
        return path, p.returncode, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return path, "hang", ""


class FuzzConfigs(unittest.TestCase):
    def test_mutated_configs(self):
        d = ft.tmpdir()
        with open(ft.SMOKE, encoding="utf-8") as f:
            base = f.read().splitlines()
        # The smoke config includes calibrated.toml (beside it): the mutants find it beside them.
        shutil.copy(os.path.join(ft.SOURCE, "configs", "calibrated.toml"), d)
        rng = random.Random(20180101)
        paths = []
        for k in range(600):
            text = mutate(base, rng, k)
            path = os.path.join(d, "self.toml" if k == 8 else f"m{k:03d}.toml")
            with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
            paths.append(path)
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
            results = list(ex.map(run_one, paths))
        outcomes = {}
        for path, rc, err in results:
            with self.subTest(config=os.path.basename(path)):
                self.assertNotEqual(rc, "hang", f"{path} hung")
                self.assertIn(rc, (0, 2), f"{path}: exit {rc}\n{err[-1500:]}")
                if rc == 2:
                    lines = [l for l in err.splitlines() if l.strip()]
                    self.assertEqual(len(lines), 1, f"{path}: {err[-1500:]}")
                    self.assertTrue(lines[0].startswith("error: ") and len(lines[0]) > 12, f"{path}: {err[-1500:]}")
            outcomes[rc] = outcomes.get(rc, 0) + 1
        print(f"  600 mutated configs: {outcomes.get(0, 0)} ran, {outcomes.get(2, 0)} refused with exit 2")
        self.assertGreater(outcomes.get(2, 0), 200)
        self.assertGreater(outcomes.get(0, 0), 100)


if __name__ == "__main__":
    unittest.main()
