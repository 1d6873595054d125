#!/usr/bin/python3
"""feidi bench — speed, memory and scaling of the simulator (a benchmark, not a test).

Runs the full-scale scenario (configs/full_scale.toml: the baseline policy with the
panel and snapshot trace settings) at 1:1000, 1:100, 1:10 and 1:1 scale (1 agent =
S persons and S firms), each with 1 and 2 threads, under /usr/bin/time -v, and prints
medians of: steps/s, agent decisions/s (persons visited + firms deciding + villages),
peak RSS, trace bytes/s, the engine's effective memory traffic (agent-state bytes its
loops read and write, estimated per column) against a STREAM-style triad measured in
the same invocation, the 2-thread speed-up, how time per step grows with scale, and
the share of wall time that writing the trace adds (the same run with --no-trace).

With feidi-viz and xvfb-run present it also measures the viewer on the software
renderer (replay and steering frame times, the engine's slowdown while drawing).

Machines are shared and noisy: trust medians and ratios within one invocation.
The default set takes about 20 minutes on 2 cores (the 1:1 runs dominate).

usage: ./feidi bench [--scales 1000,100,10,1] [--threads 1,2] [--reps N] [--config C]
                     [--json OUT] [--no-viz] [--quick] [--readme]

--readme stores the record (results/bench.json, results/bench.txt) and regenerates the
Performance figures of README.md from it (sim/tools/bench_report.py).
"""
import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_report  # noqa: E402  (the README block and the checkpoint count)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SIM = os.path.join(ROOT, "build", "bin", "feidi-sim")
VIZ = os.path.join(ROOT, "build", "bin", "feidi-viz")
STREAM = os.path.join(ROOT, "build", "bin", "feidi-stream")
TTY = sys.stderr.isatty()


def status(msg):
    if TTY:
        print(f"\r\033[K  {msg}", end="", file=sys.stderr, flush=True)


def viz_json(args):
    cmd = [shutil.which("xvfb-run"), "-a", "-s", "-screen 0 1280x800x24", VIZ, *args]
    p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{p.stderr}")
    return json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])


def one_run(config, threads, tmp, sets=(), trace=True, keep=None):
    out = os.path.join(tmp, "bench.h5")
    stats = os.path.join(tmp, "stats.json")
    if os.path.exists(out):
        os.remove(out)
    # Write back the previous run's trace first, so the kernel's flushing of it is not
    # billed to this run (traced and untraced runs follow each other).
    os.sync()
    cmd = ["/usr/bin/time", "-v", SIM, "run", config, "--quiet", "--threads", str(threads), "--stats-json", stats]
    cmd += ["-o", out] if trace else ["--no-trace"]
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{p.stderr}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    with open(stats) as f:
        s = json.load(f)
    s["peak_rss_mib"] = rss_kb / 1024
    s["trace_mib"] = os.path.getsize(out) / 2**20 if trace else 0.0
    if trace and keep:
        os.replace(out, keep)  # kept for the viewer's replay of the largest trace
    elif trace:
        os.remove(out)
    return s


def bench_viz(tmp, threads, frames=300):
    """Viewer figures: replay and steering frame times, the engine's slowdown."""
    config = os.path.join(ROOT, "configs", "baseline.toml")
    trace = os.path.join(tmp, "viz_baseline.h5")
    cmd = [SIM, "run", config, "-o", trace, "--quiet", "--threads", str(threads), "--stats-json",
           os.path.join(tmp, "viz_stats.json")]
    subprocess.run(cmd, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    with open(os.path.join(tmp, "viz_stats.json")) as f:
        alone = json.load(f)
    replay = viz_json([trace, "--bench-frames", str(frames)])
    # The largest traced run of the bench (1:1 in a full bench): the UI's cost must not grow
    # with the trace's events.
    large_path = os.path.join(tmp, "viz_large.h5")
    large = None
    if os.path.exists(large_path):
        large = viz_json([large_path, "--bench-frames", str(frames)])
        import h5py  # Debian's python3-h5py (the bench runs under /usr/bin/python3)
        with h5py.File(large_path, "r") as f:
            large["events"] = int(f["events/step"].shape[0])
            large["scale"] = f"1:{int(f.attrs['persons_per_agent'])}"
        large["trace_mib"] = os.path.getsize(large_path) / 2**20
    steer = viz_json(["--run", config, "--out", os.path.join(tmp, "steer.h5"), "--threads", str(threads),
                      "--bench-frames", str(frames), "--max-fps", "30"])
    steer_free = viz_json(["--run", config, "--out", os.path.join(tmp, "steer2.h5"), "--threads", str(threads),
                           "--bench-frames", str(frames)])
    return alone, replay, steer, steer_free, large


def bench_checkpoints(config, S, threads, tmp, reps):
    """A traced run with yearly checkpoints against the same run without: wall times (medians)
    and the bytes the checkpoints add."""
    sets = [f"scale.persons_per_agent={S}", f"scale.firms_per_agent={S}"]
    runs = []
    for r in range(reps):
        status(f"1:{S}, {threads} thread(s), run {r + 1}/{reps} with yearly checkpoints")
        runs.append(one_run(config, threads, tmp, sets + ["trace.checkpoint_interval_months=12"]))
    return median_of(runs, ("wall_s", "sim_s", "trace_mib", "peak_rss_mib", "trace_record_s", "trace_writer_cpu_s",
                            "trace_direct_bytes"))


def bench_branch_sweep(config, S, threads, tmp, points=20, at="2025-01"):
    """A sweep of `points` branches of one run from `at` against the same sweep of full runs:
    wall seconds of each (one process, `threads` threads)."""
    parent = os.path.join(tmp, "parent.h5")
    sets = [f"scale.persons_per_agent={S}", f"scale.firms_per_agent={S}"]
    cmd = [SIM, "run", config, "-q", "--threads", str(threads), "--checkpoint-every", "12", "-o", parent]
    for x in sets:
        cmd += ["--set", x]
    status(f"branch sweep 1:{S}: the parent run")
    subprocess.run(cmd, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    values = ", ".join(f"{0.02 * i:.2f}" for i in range(points))
    body = (f'\n[[parameters]]\nkey = "enclaves.guaranteed_return_rate"\nvalues = [{values}]\n\n'
            '[outputs]\nweak_26 = "province.weak_villages_26@end"\n')
    with open(os.path.join(tmp, "branch.toml"), "w") as f:
        f.write(f'[sweep]\nname = "branches"\nbranch_from = "{parent}@{at}"\n' + body)
    with open(os.path.join(tmp, "full.toml"), "w") as f:
        f.write(f'[sweep]\nname = "full"\nscenarios = ["{config}"]\n\n[fixed]\n'
                + "".join(f"{x.split('=')[0]} = {x.split('=')[1]}\n" for x in sets) + body)
    walls = {}
    for name in ("branch", "full"):
        status(f"branch sweep 1:{S}: {points} {'branches' if name == 'branch' else 'full runs'}")
        t0 = time.monotonic()
        subprocess.run([SIM, "sweep", os.path.join(tmp, f"{name}.toml"), "-q", "--threads", str(threads), "-o",
                        os.path.join(tmp, f"{name}.h5")], check=True, capture_output=True, stdin=subprocess.DEVNULL)
        walls[name] = time.monotonic() - t0
    return walls


def triad(threads):
    p = subprocess.run([STREAM, "--threads", str(threads)], capture_output=True, text=True, check=True,
                       stdin=subprocess.DEVNULL)
    return json.loads(p.stdout)["triad_gb_per_s"]


class Tee:
    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for s in self.streams:
            s.write(text)

    def flush(self):
        for s in self.streams:
            s.flush()


def median_of(runs, keys):
    return {k: statistics.median(r[k] for r in runs) for k in keys}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1000,100,10,1", help="S of 1:S scales (persons and firms per agent)")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--reps", type=int, default=0, help="runs per cell (default: 5, 3, 2, 1 for 1:1000 … 1:1)")
    ap.add_argument("--config", default=os.path.join(ROOT, "configs", "full_scale.toml"))
    ap.add_argument("--json", help="also write every median as JSON")
    ap.add_argument("--no-viz", action="store_true", help="skip the viewer figures")
    ap.add_argument("--readme", action="store_true",
                    help="store results/bench.json and bench.txt and regenerate README.md's Performance figures")
    ap.add_argument("--quick", action="store_true",
                    help="day-to-day check in a few minutes: 1:1000, 1:100 and 1:10, one run per cell, no viewer")
    a = ap.parse_args()
    if a.quick:
        a.scales, a.reps, a.no_viz = "1000,100,10", a.reps or 1, True
    if a.readme:  # the printed output goes to results/bench.txt too
        sys.stdout = Tee(sys.stdout, open(os.path.join(ROOT, "results", "bench.txt"), "w", encoding="utf-8"))
    scales = [int(s) for s in a.scales.split(",")]
    threads = [int(t) for t in a.threads.split(",")]
    tmax = threads[-1]
    keys = ("steps_per_s", "decisions_per_s", "peak_rss_mib", "sim_s", "wall_s", "init_s", "trace_mib",
            "effective_gb_per_s", "agent_updates_per_s", "trace_record_s", "trace_writer_cpu_s")
    results, untraced, tri = {}, {}, {t: [] for t in threads}
    viz = None
    with tempfile.TemporaryDirectory() as tmp:
        for t in threads:
            status(f"STREAM triad, {t} thread(s)")
            tri[t].append(triad(t))
        for S in scales:
            reps = a.reps or (5 if S >= 1000 else 3 if S >= 100 else 2 if S >= 10 else 1)
            sets = [f"scale.persons_per_agent={S}", f"scale.firms_per_agent={S}"]
            for t in threads:
                runs = []
                for r in range(reps):
                    status(f"1:{S}, {t} thread(s), traced run {r + 1}/{reps}")
                    largest = S == min(scales) and t == tmax and r == reps - 1
                    runs.append(one_run(a.config, t, tmp, sets, keep=os.path.join(tmp, "viz_large.h5") if largest else None))
                med = median_of(runs, keys)
                med.update({k: runs[0][k] for k in ("steps", "persons", "firms", "villages", "attention_last_step")})
                med["reps"] = reps
                med["phases"] = {k: statistics.median(x["phases"][k] for x in runs) for k in runs[0]["phases"]}
                results[(S, t)] = med
            runs = []
            for r in range(reps):
                status(f"1:{S}, {tmax} thread(s), run {r + 1}/{reps} without a trace")
                runs.append(one_run(a.config, tmax, tmp, sets, trace=False))
            untraced[S] = median_of(runs, keys)
        for t in threads:
            status(f"STREAM triad, {t} thread(s)")
            tri[t].append(triad(t))
        checkpoints = {}
        for S in scales:
            checkpoints[S] = bench_checkpoints(a.config, S, tmax, tmp, 1 if S < 100 else 3)
        # The same with a core left to the trace writer (the engine on one thread fewer): on
        # a machine with few cores the writer's copying otherwise takes the engine's time.
        own_core, own_core_plain = {}, {}
        if tmax > 1:
            for S in scales:
                own_core[S] = bench_checkpoints(a.config, S, tmax - 1, tmp, 1 if S < 100 else 3)
                if (S, tmax - 1) not in results:
                    sets = [f"scale.persons_per_agent={S}", f"scale.firms_per_agent={S}"]
                    own_core_plain[S] = median_of([one_run(a.config, tmax - 1, tmp, sets)], keys)
        branch_scale = 1000 if a.quick else 100
        branch = bench_branch_sweep(a.config, branch_scale, tmax, tmp)
        if not a.no_viz and os.path.exists(VIZ) and shutil.which("xvfb-run"):
            status("viewer (replay, steering)")
            viz = bench_viz(tmp, tmax)
    if TTY:
        print("\r\033[K", end="", file=sys.stderr)
    triad_gbs = {t: statistics.median(v) for t, v in tri.items()}

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
            mem = f"{kib / 2**20:.0f} GiB"
    except OSError:
        pass
    steps = next(iter(results.values()))["steps"]
    print(f"feidi bench — medians; machine: {os.cpu_count()} cores, {cpu}, {mem}; "
          f"{os.path.relpath(a.config, ROOT)}, {steps} monthly steps")
    print("STREAM triad: " + ", ".join(f"{t} thread(s) {g:.1f} GB/s" for t, g in triad_gbs.items()))
    print(f"{'scale':>6} {'thr':>3} {'persons':>10} {'firms':>9} {'steps/s':>8} {'decisions/s':>12} "
          f"{'peak RSS':>9} {'trace':>9} {'trace/s':>10} {'eff. GB/s':>9} {'/triad':>7} {'init s':>7} "
          f"{'wall s':>7} {'reps':>4}")
    for (S, t), m in results.items():
        trace_rate = m["trace_mib"] / max(1e-9, m["wall_s"])
        print(f"{'1:' + str(S):>6} {t:>3} {m['persons']:>10} {m['firms']:>9} {m['steps_per_s']:>8.2f} "
              f"{m['decisions_per_s']:>12.3g} {m['peak_rss_mib']:>5.0f} MiB {m['trace_mib']:>5.0f} MiB "
              f"{trace_rate:>6.1f} MiB/s {m['effective_gb_per_s']:>9.2f} "
              f"{m['effective_gb_per_s'] / triad_gbs[t]:>6.1%} {m['init_s']:>7.1f} {m['wall_s']:>7.1f} {m['reps']:>4}")
    if len(threads) > 1:
        for S in scales:
            b, m = results.get((S, threads[0])), results.get((S, tmax))
            if b and m:
                print(f"speed-up 1:{S}: {tmax} vs {threads[0]} threads = {m['steps_per_s'] / b['steps_per_s']:.2f}x"
                      f" (target >= 1.7)")
    # Time per step against agents (persons + firms): the log-log slope between
    # neighbouring scales and over the whole range (1 = linear).
    for t in threads:
        pts = [(results[(S, t)]["persons"] + results[(S, t)]["firms"], results[(S, t)]["sim_s"] / steps, S)
               for S in scales if (S, t) in results]
        pts.sort()
        if len(pts) < 2:
            continue
        parts = []
        for (n0, t0, s0), (n1, t1, s1) in zip(pts, pts[1:]):
            parts.append(f"1:{s0}->1:{s1} x{t1 / t0:.1f} time for x{n1 / n0:.1f} agents "
                         f"(slope {math.log(t1 / t0) / math.log(n1 / n0):.2f})")
        slope = math.log(pts[-1][1] / pts[0][1]) / math.log(pts[-1][0] / pts[0][0])
        print(f"time vs scale, {t} thread(s): " + "; ".join(parts) + f"; overall slope {slope:.2f} (1 = linear)")
    for S in scales:
        m, u = results.get((S, tmax)), untraced.get(S)
        if m and u:
            # The direct cost, measured inside the traced run: the engine thread's time handing
            # records over (copies, a full queue) plus the writer thread's CPU shared by the
            # cores; less noisy than the difference of two wall times on a shared machine.
            direct = m["trace_record_s"] + m["trace_writer_cpu_s"] / max(1, os.cpu_count() or 1)
            print(f"trace writing 1:{S} ({tmax} threads): wall {m['wall_s']:.1f} s traced vs {u['wall_s']:.1f} s "
                  f"without = {m['wall_s'] / u['wall_s'] - 1:+.1%}; inside the run: records {m['trace_record_s']:.2f} s "
                  f"+ writer CPU {m['trace_writer_cpu_s']:.2f} s / {os.cpu_count()} cores = "
                  f"{direct / m['wall_s']:.1%} of the wall (target <= 10%); trace {m['trace_mib']:.0f} MiB")
    for S in scales:
        m = results.get((S, tmax))
        if m:
            total = sum(m["phases"].values()) or 1
            parts = ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in m["phases"].items())
            print(f"phases 1:{S} ({tmax} threads): {parts}; persons visited in the last step "
                  f"{m['attention_last_step']} of {m['persons']} ({m['attention_last_step'] / m['persons']:.1%})")
    for S, c in checkpoints.items():
        m = results.get((S, tmax))
        if m:
            n = bench_report.yearly_checkpoints(steps)
            print(f"checkpoints 1:{S} ({tmax} threads), one a year ({n}): wall {c['wall_s']:.1f} s vs {m['wall_s']:.1f} s "
                  f"without = {c['wall_s'] / m['wall_s'] - 1:+.1%} (target <= 5%); they add "
                  f"{c['trace_mib'] - m['trace_mib']:.0f} MiB ({(c['trace_mib'] - m['trace_mib']) / max(1, n):.0f} MiB each), "
                  f"peak RSS {c['peak_rss_mib']:.0f} MiB vs {m['peak_rss_mib']:.0f} MiB; engine's time in records "
                  f"{c['trace_record_s']:.2f} s vs {m['trace_record_s']:.2f} s, writer CPU {c['trace_writer_cpu_s']:.2f} s "
                  f"vs {m['trace_writer_cpu_s']:.2f} s, {c.get('trace_direct_bytes', 0) / 2**30:.1f} GiB by direct I/O")
    for S, c in own_core.items():
        m = results.get((S, tmax - 1)) or own_core_plain.get(S)
        if m:
            print(f"checkpoints 1:{S} ({tmax - 1} engine thread(s), a core left to the writer), one a year: wall "
                  f"{c['wall_s']:.1f} s vs {m['wall_s']:.1f} s without = {c['wall_s'] / m['wall_s'] - 1:+.1%} "
                  f"(target <= 5%); engine's time in records {c['trace_record_s']:.2f} s vs {m['trace_record_s']:.2f} s")
            c["plain_wall_s"] = m["wall_s"]
    months_total = steps
    months_branch = steps - 7 * 12  # from 2025-01 in a run that starts in 2018-01
    print(f"branch sweep 1:{branch_scale} ({tmax} threads): 20 branches from 2025-01 {branch['branch']:.1f} s vs 20 full "
          f"runs {branch['full']:.1f} s = {branch['branch'] / branch['full']:.2f} of the cost "
          f"(months simulated: {months_branch}/{months_total} = {months_branch / months_total:.2f})")
    if viz:
        alone, replay, steer, free, large = viz
        print(f"viewer (Mesa llvmpipe under Xvfb, 1280x800, {tmax} threads; frame = UI + render + swap):")
        print(f"  replay of the baseline trace: frame {replay['frame_ms_median']:.2f} ms median, "
              f"{replay['frame_ms_p95']:.2f} ms p95 ({replay['frames']} frames, UI thread {replay['ui_ms_median']:.2f} ms)")
        for label, st in (("at 30 fps", steer), ("unthrottled", free)):
            print(f"  steering the baseline (1:100), {label}: frame {st['frame_ms_median']:.2f} ms median, "
                  f"{st['frame_ms_p95']:.2f} ms p95; engine {st['engine_steps_per_s']:.1f} steps/s while drawing, "
                  f"slowdown {alone['steps_per_s'] / max(1e-9, st['engine_steps_per_s']):.2f}x")
        print(f"  engine alone (feidi-sim run): {alone['steps_per_s']:.1f} steps/s")
        if large:
            print(f"  replay of the {large['scale']} trace ({large['trace_mib']:.0f} MiB, {large['events']:,} events): frame "
                  f"{large['frame_ms_median']:.2f} ms median, UI thread {large['ui_ms_median']:.2f} ms")
    record = {"machine": {"cores": os.cpu_count(), "cpu": cpu, "mem": mem},
              "config": os.path.relpath(a.config, ROOT), "steps": steps, "triad_gb_per_s": triad_gbs,
              "runs": {f"1:{S}/{t}": m for (S, t), m in results.items()},
              "untraced": {f"1:{S}/{tmax}": m for S, m in untraced.items()},
              "checkpoints": {f"1:{S}/{tmax}": c for S, c in checkpoints.items()},
              "checkpoints_writer_core": {f"1:{S}/{tmax - 1}": c for S, c in own_core.items()},
              "branch_sweep": {"scale": branch_scale, "threads": tmax, "points": 20, "at": "2025-01", **branch}}
    if viz:
        alone, replay, steer, free, large = viz
        record["viz"] = {"replay_ms": replay["frame_ms_median"], "replay_p95_ms": replay["frame_ms_p95"],
                         "steer_ms": free["frame_ms_median"], "steer_steps_per_s": free["engine_steps_per_s"],
                         "alone_steps_per_s": alone["steps_per_s"]}
        if large:
            record["viz"]["large"] = {k: large[k] for k in ("scale", "trace_mib", "events", "frame_ms_median", "ui_ms_median")}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(record, f, indent=1)
    if a.readme:
        with open(os.path.join(ROOT, "results", "bench.json"), "w") as f:
            json.dump(record, f, indent=1)
        readme = os.path.join(ROOT, "README.md")
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        with open(readme, "w", encoding="utf-8") as f:
            f.write(bench_report.replace_block(text, bench_report.render(record)))
        print("wrote results/bench.json and README.md's Performance figures", file=sys.stderr)


if __name__ == "__main__":
    main()
