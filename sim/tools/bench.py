#!/usr/bin/python3
"""feidi bench — speed and memory of the simulator (a benchmark, not a test).

For each config (smoke and baseline by default) and each thread count (1 and 2) it
runs `feidi-sim run` several times under /usr/bin/time -v and prints medians of
steps/s, agent updates/s and peak RSS, plus the 2-thread speed-up measured within
this one invocation. Machines are shared and noisy: trust the medians and ratios.

With feidi-viz and xvfb-run present it also measures the viewer on the software
renderer: frame time while replaying the baseline trace, frame time while steering
the baseline (1:100) with the engine running flat out, and the engine's slowdown
(steps/s while the viewer draws vs feidi-sim alone).

usage: ./feidi bench [--configs smoke,baseline] [--threads 1,2] [--reps N] [--json OUT] [--no-viz]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SIM = os.path.join(ROOT, "build", "bin", "feidi-sim")
VIZ = os.path.join(ROOT, "build", "bin", "feidi-viz")


def viz_json(args):
    cmd = [shutil.which("xvfb-run"), "-a", "-s", "-screen 0 1280x800x24", VIZ, *args]
    p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{p.stderr}")
    return json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])


def bench_viz(tmp, threads, frames=300):
    """Viewer figures: replay and steering frame times, the engine's slowdown."""
    config = os.path.join(ROOT, "configs", "baseline.toml")
    trace = os.path.join(tmp, "viz_baseline.h5")
    alone = one_run(config, threads, tmp)  # also writes the trace replayed below
    os.replace(os.path.join(tmp, "bench.h5"), trace)
    replay = viz_json([trace, "--bench-frames", str(frames)])
    steer = viz_json(["--run", config, "--out", os.path.join(tmp, "steer.h5"), "--threads", str(threads),
                      "--bench-frames", str(frames), "--max-fps", "30"])
    steer_free = viz_json(["--run", config, "--out", os.path.join(tmp, "steer2.h5"), "--threads", str(threads),
                           "--bench-frames", str(frames)])
    return alone, replay, steer, steer_free


def one_run(config, threads, tmp):
    out = os.path.join(tmp, "bench.h5")
    stats = os.path.join(tmp, "stats.json")
    cmd = ["/usr/bin/time", "-v", SIM, "run", config, "-o", out, "--quiet", "--threads", str(threads),
           "--stats-json", stats]
    p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{p.stderr}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    with open(stats) as f:
        s = json.load(f)
    s["peak_rss_mib"] = rss_kb / 1024
    s["trace_mib"] = os.path.getsize(out) / 2**20
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configs", default="smoke,baseline")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--reps", type=int, default=0, help="runs per cell (default: 5 for smoke, 3 otherwise)")
    ap.add_argument("--json", help="also write the medians as JSON")
    ap.add_argument("--no-viz", action="store_true", help="skip the viewer figures")
    a = ap.parse_args()
    threads = [int(t) for t in a.threads.split(",")]
    tty = sys.stderr.isatty()
    results = {}
    viz = None
    with tempfile.TemporaryDirectory() as tmp:
        if not a.no_viz and os.path.exists(VIZ) and shutil.which("xvfb-run"):
            if tty:
                print("\r\033[K  viewer (replay, steering)", end="", file=sys.stderr, flush=True)
            viz = bench_viz(tmp, threads[-1])
        for name in a.configs.split(","):
            config = name if name.endswith(".toml") else os.path.join(ROOT, "configs", name + ".toml")
            reps = a.reps or (5 if "smoke" in name else 3)
            for t in threads:
                runs = []
                for r in range(reps):
                    if tty:
                        print(f"\r\033[K  {name}: {t} thread(s), run {r + 1}/{reps}", end="", file=sys.stderr, flush=True)
                    runs.append(one_run(config, t, tmp))
                med = {k: statistics.median(x[k] for x in runs)
                       for k in ("steps_per_s", "agent_updates_per_s", "peak_rss_mib", "sim_s", "init_s", "trace_mib")}
                med.update({k: runs[0][k] for k in ("steps", "persons", "firms", "villages")})
                med["reps"] = reps
                med["phases"] = {k: statistics.median(x["phases"][k] for x in runs) for k in runs[0]["phases"]}
                results[(name, t)] = med
    if tty:
        print("\r\033[K", end="", file=sys.stderr)
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except OSError:
        pass
    print(f"feidi bench — medians; machine: {os.cpu_count()} cores, {cpu}")
    print(f"{'config':<10} {'thr':>3} {'agents (persons/firms/villages)':>32} {'steps':>5} {'steps/s':>9} "
          f"{'agent upd/s':>12} {'peak RSS':>10} {'trace':>8} {'reps':>4}")
    for (name, t), m in results.items():
        agents = f"{m['persons']}/{m['firms']}/{m['villages']}"
        print(f"{name:<10} {t:>3} {agents:>32} {m['steps']:>5} {m['steps_per_s']:>9.1f} "
              f"{m['agent_updates_per_s']:>12.3g} {m['peak_rss_mib']:>7.0f} MiB {m['trace_mib']:>5.1f} MiB {m['reps']:>4}")
    names = dict.fromkeys(n for n, _ in results)
    if len(threads) > 1:
        for name in names:
            base = results.get((name, threads[0]))
            for t in threads[1:]:
                m = results.get((name, t))
                if base and m:
                    print(f"speed-up {name}: {t} vs {threads[0]} threads = "
                          f"{m['steps_per_s'] / base['steps_per_s']:.2f}x")
    for name in names:
        m = results[(name, threads[-1])]
        total = sum(m["phases"].values()) or 1
        parts = ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in m["phases"].items())
        print(f"phases {name} ({threads[-1]} threads): {parts}")
    if viz:
        alone, replay, steer, free = viz
        print(f"viewer (Mesa llvmpipe under Xvfb, 1280x800, {threads[-1]} threads; frame = UI + render + swap):")
        print(f"  replay of the baseline trace: frame {replay['frame_ms_median']:.2f} ms median, "
              f"{replay['frame_ms_p95']:.2f} ms p95 ({replay['frames']} frames, UI thread {replay['ui_ms_median']:.2f} ms)")
        for label, st in (("at 30 fps", steer), ("unthrottled", free)):
            print(f"  steering the baseline (1:100), {label}: frame {st['frame_ms_median']:.2f} ms median, "
                  f"{st['frame_ms_p95']:.2f} ms p95; engine {st['engine_steps_per_s']:.1f} steps/s while drawing, "
                  f"slowdown {alone['steps_per_s'] / max(1e-9, st['engine_steps_per_s']):.2f}x")
        print(f"  engine alone (feidi-sim run): {alone['steps_per_s']:.1f} steps/s")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({f"{n}/{t}": m for (n, t), m in results.items()}, f, indent=1)


if __name__ == "__main__":
    main()
