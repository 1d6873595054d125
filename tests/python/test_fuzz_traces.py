"""Corrupted traces (issue 11): a fuzz corpus of damaged traces — structural damage (wrong
step counters, wrong shapes and types, missing or out-of-range variables) and byte damage
(zeroed blocks, bit flips, truncation) — fed to `info`, `run --interventions`, `resume` and the
viewer's headless mode. Each must end with exit 0 or exit 2 and a one-line error naming the
file: never a signal, an abort, an internal error (exit 1) or a hang.

The corpus is generated from one smoke trace with a fixed seed (deterministic), so every run
of the test feeds the same damaged files."""
import os
import random
import re
import shutil
import struct
import subprocess
import unittest

import h5py
import numpy as np

import feidi_test as ft

VIZ = os.path.join(os.path.dirname(ft.SIM), "feidi-viz")


def structural(f):
    """(name, edit) pairs: each edit damages an open h5py File."""
    def replace(path, data):
        def edit(h):
            del h[path]
            h[path] = data
        return edit

    def set_value(path, value):
        def edit(h):
            h[path][...] = value
        return edit

    def delete(path):
        def edit(h):
            del h[path]
        return edit

    def set_attr(name, value):
        def edit(h):
            h.attrs[name] = value
        return edit

    return [
        ("steps_written -1", set_value("steps_written", -1)),
        ("steps_written 2^40", set_value("steps_written", 2**40)),
        ("steps_written 2^62", set_value("steps_written", 2**62)),
        ("steps_written float NaN", replace("steps_written", np.float64("nan"))),
        ("steps_written a string", replace("steps_written", "three")),
        ("steps_written an array", replace("steps_written", np.arange(3))),
        ("events/step 2-D", replace("events/step", np.zeros((4, 4), dtype=np.int32))),
        ("events/kind -1", set_value("events/kind", -1)),
        ("events/kind 99", set_value("events/kind", 99)),
        ("events/step negative", set_value("events/step", -5)),
        ("interventions/step 2-D", replace("interventions/step", np.zeros((3, 3), dtype=np.int32))),
        ("interventions/lever 2-D", replace("interventions/lever", np.zeros((2, 2), dtype=np.int16))),
        ("county/name numbers", replace("county/name", np.arange(90))),
        ("county/name short", replace("county/name", np.array([b"a", b"b"], dtype=h5py.string_dtype()))),
        ("county/lon short", replace("county/lon", np.zeros(3))),
        ("county/lon NaN", set_value("county/lon", np.nan)),
        ("county/county empty", replace("county/county", np.zeros(0, dtype=np.int32))),
        ("county/accelerated 2-D", replace("county/accelerated", np.zeros((90, 2), dtype=np.int8))),
        ("county/gdp_attributed 1-D", replace("county/gdp_attributed", np.zeros(3))),
        ("county/gdp_attributed strings", replace("county/gdp_attributed", np.array([b"x"] * 3, dtype=h5py.string_dtype()))),
        ("county/population one column", replace("county/population", np.zeros((3, 1)))),
        ("enclave/source unknown code", set_value("enclave/source", 123)),
        ("enclave/host short", replace("enclave/host", np.zeros(2, dtype=np.int32))),
        ("enclave/mode 9", set_value("enclave/mode", 9)),
        ("enclave/kind -3", set_value("enclave/kind", -3)),
        ("province/enclaves_eco short", replace("province/enclaves_eco", np.zeros(1))),
        ("no county group", delete("county")),
        ("no province/time", delete("province/time")),
        ("no events group", delete("events")),
        ("no interventions group", delete("interventions")),
        ("no checkpoint group", delete("checkpoint")),
        ("checkpoint/checkpoint 2-D", replace("checkpoint/checkpoint", np.zeros((2, 2), dtype=np.int32))),
        ("checkpoint/length short", replace("checkpoint/length", np.zeros((1, 3), dtype=np.int64))),
        ("checkpoint/persons_county shorter", replace("checkpoint/persons_county", np.zeros((2, 10), dtype=np.uint16))),
        ("checkpoint/firms_demand a float32", replace("checkpoint/firms_demand", np.zeros((2, 10), dtype=np.float32))),
        ("checkpoint/column numbers", replace("checkpoint/column", np.arange(5))),
        ("config attribute a number", set_attr("config", 42)),
        ("config attribute not TOML", set_attr("config", "[run\nname = ")),
        ("config attribute bad key", set_attr("config", "[run]\nbogus = 1\n")),
        ("start attribute a number", set_attr("start", 7)),
        ("steps_total a string", set_attr("steps_total", "many")),
        ("seed a string", set_attr("seed", "x")),
    ]


def byte_damage(size, rng):
    """(name, offset, kind) byte-level damages spread over the file."""
    out = []
    for k in range(40):  # 1 KiB zeroed at offsets over the whole file
        off = int(size * k / 40) // 512 * 512
        out.append((f"1 KiB zeroed at {off}", off, "zero"))
    for k in range(30):  # single bit flips at random offsets
        off = rng.randrange(0, size)
        out.append((f"bit flip at {off}", off, "flip"))
    for k in range(20):  # truncated
        cut = int(size * (k + 1) / 21)
        out.append((f"truncated to {cut} bytes", cut, "truncate"))
    return out


def chunk_index_damage(path, every=16):
    """(name, offset) pairs: for every `every`-th chunked dataset outside the checkpoint group,
    the 8 bytes of its chunk index that hold its first chunk's file offset (zeroed, the index
    block's checksum fails when the data are read; data are stored raw, without checksums)."""
    chunked = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and obj.chunks and obj.id.get_num_chunks() and not name.startswith("checkpoint/"):
            chunked.append((name, obj.id.get_chunk_info(0).byte_offset))

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    with open(path, "rb") as fh:
        raw = fh.read()
    out = []
    for name, address in sorted(chunked)[::every]:
        hits = [m.start() for m in re.finditer(re.escape(struct.pack("<Q", address)), raw)
                if re.search(rb"(EAIB|EADB|FADB|BTLF)", raw[max(0, m.start() - 64):m.start()])]
        if len(hits) == 1:
            out.append((f"chunk index of {name} zeroed", hits[0]))
    return out


class FuzzTraces(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = ft.tmpdir()
        cls.base = os.path.join(cls.dir, "base.h5")
        ft.sim("run", ft.SMOKE, "-q", "--set", "run.end=2018-03", "--checkpoint-every", "1", "-o", cls.base)
        cls.outcomes = {}

    def check(self, trace, name, commands):
        for label, args, timeout in commands:
            try:
                p = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=timeout,
                                   env=dict(os.environ, FEIDI_READ_TIMEOUT_S="20"))
            except subprocess.TimeoutExpired:
                self.fail(f"{label} on '{name}' hung (> {timeout} s)")
            self.assertIn(p.returncode, (0, 2), f"{label} on '{name}': exit {p.returncode}\n{p.stderr[-2000:]}")
            if p.returncode == 2:
                lines = [l for l in p.stderr.strip().splitlines() if l.strip()]
                self.assertTrue(lines and lines[-1].startswith("error: ") and trace in lines[-1],
                                f"{label} on '{name}': {p.stderr[-2000:]}")
            self.outcomes[(label, p.returncode)] = self.outcomes.get((label, p.returncode), 0) + 1

    def commands(self, trace, viewer):
        x = os.path.join(self.dir, "out.h5")
        cmds = [("info", [ft.SIM, "info", trace], 60),
                ("run --interventions", [ft.SIM, "run", ft.SMOKE, "-q", "--no-trace", "--set", "run.end=2018-02",
                                         "--interventions", trace], 60),
                ("resume", [ft.SIM, "resume", trace, "-q", "-o", x], 60)]
        if viewer:
            cmds.append(("viewer", ["xvfb-run", "-a", VIZ, trace, "--screenshot", os.path.join(self.dir, "shot.png"),
                                    "--size", "640x400"], 90))
        return cmds

    def test_structural_damage(self):
        viewer = os.path.exists(VIZ) and shutil.which("xvfb-run") is not None
        cases = structural(None)
        for i, (name, edit) in enumerate(cases):
            trace = os.path.join(self.dir, f"s{i:03d}.h5")
            shutil.copy(self.base, trace)
            with h5py.File(trace, "r+") as h:
                edit(h)
            with self.subTest(name):
                self.check(trace, name, self.commands(trace, viewer))
            os.remove(trace)
        self.assertGreaterEqual(len(cases), 40)

    def test_byte_damage(self):
        size = os.path.getsize(self.base)
        cases = byte_damage(size, random.Random(2035))
        for i, (name, off, kind) in enumerate(cases):
            trace = os.path.join(self.dir, f"b{i:03d}.h5")
            shutil.copy(self.base, trace)
            with open(trace, "r+b") as f:
                if kind == "zero":
                    f.seek(off)
                    f.write(b"\0" * min(1024, size - off))
                elif kind == "flip":
                    f.seek(off)
                    b = f.read(1)
                    f.seek(off)
                    f.write(bytes([b[0] ^ 0x10]))
                else:
                    f.truncate(off)
            with self.subTest(name):
                self.check(trace, name, self.commands(trace, viewer=False))
            os.remove(trace)
        self.assertGreaterEqual(len(cases), 90)

    def test_a_read_that_never_ends_is_cut_off(self):
        # 1 KiB zeroed at offset 8192 of a 3-month smoke trace damages the global heap that
        # holds the string attributes: libhdf5 then loops forever inside H5Aread (h5dump too).
        # The read deadline ends it: exit 2 naming the file.
        trace = os.path.join(self.dir, "heap.h5")
        ft.sim("run", ft.SMOKE, "-q", "--set", "run.end=2018-03", "-o", trace)
        with open(trace, "r+b") as f:
            f.seek(8192)
            f.write(b"\0" * 1024)
        p = subprocess.run([ft.SIM, "info", trace], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
                           env=dict(os.environ, FEIDI_READ_TIMEOUT_S="5"))
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stderr.strip(), f"error: {trace}: damaged trace (reading it did not finish within 5 s)")

    def analysis(self, traces, names):
        """feidi_analysis on each trace (one Python process, a deadline for the batch): opens it and
        every group (their metadata and the values it reads to label and cut them) and loads
        their data (read lazily, when the user loads them); only TraceError naming the file may
        come out. Returns the output line of each trace: "ok|error PATH [message]"."""
        script = (
            "import sys\n"
            f"sys.path.insert(0, {os.path.join(ft.SOURCE, 'sim', 'python')!r})\n"
            "import feidi_analysis as fa\n"
            "for path in sys.argv[1:]:\n"
            "    try:\n"
            "        with fa.open_trace(path) as t:\n"
            "            for g in t.groups:\n"
            "                if g != 'checkpoint' or path.endswith('_cp.h5'):\n"
            "                    t.dataset(g).load()\n"
            "        print('ok', path, flush=True)\n"
            "    except fa.TraceError as e:\n"
            "        print('error' if str(e).startswith(path + ': ') else 'unnamed', path,\n"
            "              str(e)[len(path) + 2:][:200].replace(chr(10), ' '), flush=True)\n"
            "    except Exception as e:\n"
            "        print('raw', path, type(e).__name__, str(e)[:200].replace(chr(10), ' '), flush=True)\n")
        p = subprocess.run(["/usr/bin/python3", "-c", script, *traces], capture_output=True, text=True, timeout=600,
                           stdin=subprocess.DEVNULL)
        lines = p.stdout.splitlines()
        self.assertEqual(len(lines), len(traces), f"feidi_analysis stopped after {len(lines)} traces:\n{p.stderr[-2000:]}")
        for line, name in zip(lines, names):
            self.assertIn(line.split()[0], ("ok", "error"), f"feidi_analysis on '{name}': {line}")
            key = ("feidi_analysis", 0 if line.startswith("ok") else 2)
            self.outcomes[key] = self.outcomes.get(key, 0) + 1
        return lines

    def test_analysis_on_damaged_traces(self):
        traces, names = [], []
        for i, (name, edit) in enumerate(structural(None)):
            # The checkpoint group (377 variables) is opened only where the damage is.
            trace = os.path.join(self.dir, f"a{i:03d}" + ("_cp.h5" if "checkpoint" in name else ".h5"))
            shutil.copy(self.base, trace)
            with h5py.File(trace, "r+") as h:
                edit(h)
            traces.append(trace)
            names.append(name)
        size = os.path.getsize(self.base)
        for i, (name, off, kind) in enumerate(byte_damage(size, random.Random(2035))):
            if kind != "zero" or i % 4:  # every fourth zeroed block
                continue
            trace = os.path.join(self.dir, f"ab{i:03d}.h5")
            shutil.copy(self.base, trace)
            with open(trace, "r+b") as f:
                f.seek(off)
                f.write(b"\0" * min(1024, size - off))
            traces.append(trace)
            names.append(name)
        index = chunk_index_damage(self.base)
        self.assertGreaterEqual(len(index), 6)
        for i, (name, off) in enumerate(index):
            trace = os.path.join(self.dir, f"ai{i:03d}.h5")
            shutil.copy(self.base, trace)
            with open(trace, "r+b") as f:
                f.seek(off)
                f.write(b"\0" * 8)
            traces.append(trace)
            names.append(name)
        lines = self.analysis(traces, names)
        # Each damaged chunk index fails when that variable is loaded (or its group opened),
        # the message naming the variable.
        for line, (name, _) in zip(lines[-len(index):], index):
            variable = name.split()[3]
            self.assertIn(f"the data of '{variable}' are unreadable, checksum failed", line, name)

    @classmethod
    def tearDownClass(cls):
        # The outcomes by command, for the record (unittest -v shows them).
        for (label, rc), n in sorted(cls.outcomes.items()):
            print(f"  {label}: exit {rc} x {n}")


if __name__ == "__main__":
    unittest.main()
