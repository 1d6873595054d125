#!/usr/bin/env python3
"""backcast_state.py — the parks' 2018 start state as their history implies.

Runs the back-cast (configs/jinpan_1995.toml, 1995-01 → 2018-01) for a few seeds and
writes, for every park operating at 2018-01 in it, what the baseline needs to start from
that history (sim/data/enclave_start.csv): the natives of the source county living in the
host, and the share of the park's workers whose home is the source. Land and the tax
split are data (enclaves.csv: land granted by 2018 is both the back-cast's cap and the
baseline's start). The baseline reads the file (data.enclave_start) when it starts in the
file's month; tests/python/test_history.py checks that the two agree.

Usage: backcast_state.py [--replicates N] [--out PATH]   (./feidi backcast-state)
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIM = os.environ.get("FEIDI_SIM", os.path.join(ROOT, "build", "bin", "feidi-sim"))
CONFIG = os.path.join(ROOT, "configs", "jinpan_1995.toml")
MONTH = "2018-01"   # the start month the state is for
LAST = "2017-12"    # the back-cast's last simulated month (its end state is the start of MONTH)


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def run_backcast(seed, path):
    """One back-cast to MONTH with a snapshot of every agent at its last step."""
    cmd = [SIM, "run", CONFIG, "-o", path, "--seed", str(seed), "--set", f"run.end={LAST}",
           "--set", "trace.snapshot_interval_months=1200", "--set", "trace.person_events=false",
           "--set", "trace.panel_persons=0", "--set", "trace.panel_firms=0"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def park_state(path):
    """Per park operating at the last step: natives in host (persons), from-source share, workers, land."""
    with h5py.File(path, "r") as f:
        P = float(f.attrs["persons_per_agent"])
        codes = list(f["county/county"][:])
        names = [text(n) for n in f["enclave/name"][:]]
        src = [codes.index(c) for c in f["enclave/source"][:]]
        host = [codes.index(c) for c in f["enclave/host"][:]]
        status = f["enclave/status"][-1, :]
        emp = f["enclave/employment"][-1, :]
        from_src = f["enclave/employment_from_source"][-1, :]
        commuters = f["enclave/commuters"][-1, :]
        granted = f["enclave/land_granted_mu"][-1, :]
        home = f["snapshot/person_home"][:]
        county = f["snapshot/person_county"][-1, :]
    out = {}
    for e, name in enumerate(names):
        if status[e] != 2:  # operating
            continue
        natives = float(np.count_nonzero((home == src[e]) & (county == host[e]))) * P
        share = lambda x: float(x) / emp[e] if emp[e] > 0 else 0.0
        out[name] = dict(natives_in_host=natives, from_source_share=share(from_src[e]),
                         commuter_share=share(commuters[e]), workers=float(emp[e]), granted_mu=float(granted[e]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replicates", type=int, default=3, help="back-cast seeds to average (default 3)")
    ap.add_argument("--out", default=os.path.join(ROOT, "sim", "data", "enclave_start.csv"))
    a = ap.parse_args()
    import tomllib
    with open(CONFIG, "rb") as fh:
        seed0 = tomllib.load(fh)["run"]["seed"]
    states = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.replicates):
            if sys.stderr.isatty():
                print(f"\rback-cast {r + 1}/{a.replicates} …", end="", file=sys.stderr, flush=True)
            path = os.path.join(tmp, f"r{r}.h5")
            run_backcast(seed0 + 1000 * r, path)
            states.append(park_state(path))
    if sys.stderr.isatty():
        print(file=sys.stderr)
    parks = [n for n in states[0] if all(n in s for s in states)]
    keys = ["natives_in_host", "from_source_share", "commuter_share", "workers", "granted_mu"]
    with open(a.out, "w", newline="") as fh:
        fh.write("# The parks' state at the start month as their history implies: derived from the back-cast\n"
                 f"# (configs/jinpan_1995.toml, 1995-01 to the end of {LAST}, mean of {a.replicates} seeds) by\n"
                 "# sim/tools/backcast_state.py (./feidi backcast-state). The baseline starts from it (data.enclave_start):\n"
                 "# natives_in_host: natives of the source living in the host, persons; from_source_share: share of the\n"
                 "# park's workers whose home is the source; commuter_share: share of its workers living in the source.\n"
                 "# workers and granted_mu are the back-cast's, for reference.\n"
                 "# Regenerate after any change to the model or its calibration; tests/python/test_history.py checks it.\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["month", "name"] + keys + ["quality", "method"])
        for n in parks:
            vals = [np.mean([s[n][k] for s in states]) for k in keys]
            w.writerow([MONTH, n, f"{vals[0]:.0f}", f"{vals[1]:.4f}", f"{vals[2]:.4f}", f"{vals[3]:.0f}", f"{vals[4]:.1f}",
                        "derived",
                        f"back-cast jinpan_1995 at the end of {LAST}, mean of {a.replicates} seeds"])
    print(f"wrote {a.out}: {len(parks)} parks")


if __name__ == "__main__":
    main()
