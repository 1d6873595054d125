"""Shared helpers for the end-to-end tests: paths, running feidi-sim, comparing traces."""
import atexit
import os
import shutil
import subprocess
import tempfile

import h5py
import numpy as np

SOURCE = os.environ.get("FEIDI_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
SIM = os.environ.get("FEIDI_SIM", os.path.join(SOURCE, "build", "bin", "feidi-sim"))
SMOKE = os.path.join(SOURCE, "configs", "smoke.toml")
BASELINE = os.path.join(SOURCE, "configs", "baseline.toml")
RUN_METADATA = {"run_threads", "run_host", "run_started_utc", "run_wall_time_s", "run_completed",
                "run_steps_per_second", "run_command", "run_config_path", "run_overrides"}


def tmpdir():
    """A fresh folder for a test's files, removed when the test process ends (traces with
    checkpoints run to gigabytes; FEIDI_KEEP_TMP=1 keeps them for a look)."""
    base = os.environ.get("FEIDI_TMP")
    if base:
        os.makedirs(base, exist_ok=True)
    d = tempfile.mkdtemp(prefix="feidi-", dir=base)
    if not os.environ.get("FEIDI_KEEP_TMP"):
        atexit.register(shutil.rmtree, d, True)
    return d


def sim(*args, check=True, **kw):
    """Runs feidi-sim with arguments; returns the CompletedProcess (text mode)."""
    p = subprocess.run([SIM, *map(str, args)], capture_output=True, text=True, stdin=subprocess.DEVNULL, **kw)
    if check and p.returncode != 0:
        raise AssertionError(f"feidi-sim {' '.join(map(str, args))} failed ({p.returncode}):\n{p.stderr}")
    return p


def mpirun(nprocs, *args):
    """Runs feidi-sim under `mpirun -np N` (as root too, more ranks than cores allowed)."""
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    cmd = ["mpirun", "--oversubscribe", "-np", str(nprocs), SIM, *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env)


def steps_written(path):
    """The step counter of a trace that may still be written (0 while it cannot be read)."""
    try:
        with h5py.File(path, "r", swmr=True) as f:
            return int(f["steps_written"][()])
    except (OSError, KeyError):
        return 0


def datasets(path):
    """{name: numpy array} of every dataset in an HDF5 file."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def root_attrs(path):
    with h5py.File(path, "r") as f:
        return {k: f.attrs[k] for k in f.attrs}


def assert_same_data(testcase, a, b, ignore_attrs=RUN_METADATA):
    """Every dataset identical (bitwise, NaN-aware) and root attributes equal except run metadata."""
    da, db = datasets(a), datasets(b)
    testcase.assertEqual(sorted(da), sorted(db))
    for name in da:
        x, y = da[name], db[name]
        testcase.assertEqual(x.shape, y.shape, name)
        if x.dtype.kind in "fc":
            testcase.assertTrue(np.array_equal(x.view(np.uint8), y.view(np.uint8)), f"{name} differs")
        else:
            testcase.assertTrue(np.array_equal(x, y), f"{name} differs")
    aa, ab = root_attrs(a), root_attrs(b)
    keys = (set(aa) | set(ab)) - set(ignore_attrs)
    for k in sorted(keys):
        testcase.assertIn(k, aa)
        testcase.assertIn(k, ab)
        testcase.assertEqual(str(aa[k]), str(ab[k]), k)
