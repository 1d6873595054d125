#!/usr/bin/python3
"""feidi report — regenerates results/README.md: the validation table (S1–S6), the
calibration (results/calibration.h5, from `./feidi calibrate`) and PNG plots of the main
scenarios, so a reader of the repository sees what the model says without running it.

usage: ./feidi report [--replicates N] [--bands N] [--out results]

Runs `feidi-sim validate` (N replicates), the scenarios (baseline, plan_2022, no_enclaves,
turnover with government-led and PPP enclaves, qingyuan_eco, land_constrained,
jinpan_1995) into OUT/traces/ (ignored by git), the 26 counties' ratio for baseline,
no_enclaves and plan_2022 over --bands seeds (ensemble bands) and over the prior range
of the convergence rate, then draws OUT/fig_*.png and writes OUT/README.md. About ten
minutes on 2 cores.
"""
import argparse
import datetime
import glob
import json
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "sim", "python"))
import feidi_analysis as fa  # noqa: E402

SIM = os.path.join(ROOT, "build", "bin", "feidi-sim")
plt.rcParams["font.sans-serif"] = ["WenQuanYi Micro Hei", "DejaVu Sans"]
plt.rcParams["axes.unicode_minus"] = False

# name → (config, extra flags)
RUNS = {
    "baseline": ("baseline", []),
    "plan_2022": ("plan_2022", []),
    "no_enclaves": ("no_enclaves", []),
    "turnover_government": ("turnover", []),
    "turnover_ppp": ("turnover", ["--set", "enclaves.mode_override=ppp"]),
    "qingyuan_eco": ("qingyuan_eco", []),
    "land_constrained": ("land_constrained", []),
    "jinpan_1995": ("jinpan_1995", []),
}
COLORS = {"baseline": "tab:blue", "plan_2022": "tab:green", "no_enclaves": "tab:gray",
          "turnover_government": "tab:red", "turnover_ppp": "tab:purple"}
LABELS = {"baseline": "baseline (16 enclaves, current policy)", "plan_2022": "plan 2022 (40 enclaves, seed's levers)",
          "no_enclaves": "no enclaves (counterfactual)", "turnover_government": "turnover, government-led",
          "turnover_ppp": "turnover, PPP-operated"}


def say(msg):
    if sys.stderr.isatty():
        print(f"\r\033[K  {msg}", end="", file=sys.stderr, flush=True)


def run_scenarios(traces):
    os.makedirs(traces, exist_ok=True)
    paths = {}
    for i, (name, (config, extra)) in enumerate(RUNS.items(), 1):
        say(f"running {name} ({i}/{len(RUNS)})")
        out = os.path.join(traces, name + ".h5")
        cmd = [SIM, "run", os.path.join(ROOT, "configs", config + ".toml"), "-o", out, "--quiet", *extra]
        p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            sys.exit(f"report: {' '.join(cmd)} failed:\n{p.stderr}")
        paths[name] = out
    return paths


def ratio_26(path):
    """Monthly ratio of the 26 counties' attributed GDP per capita to the province's."""
    import h5py
    with h5py.File(path, "r") as f:
        return f["province/gdp_per_capita_ratio_26"][:], f["province/time"][:]


def run_bands(traces, seeds):
    """The 26 counties' ratio for three scenarios over `seeds` seeds, and the baseline over the
    prior range of the convergence rate (the parameter no fact of the seed informs)."""
    os.makedirs(traces, exist_ok=True)
    out = {}
    jobs = [(name, s, []) for name in ("no_enclaves", "baseline", "plan_2022") for s in range(seeds)]
    jobs += [("baseline", 0, ["--set", f"growth.convergence_rate_per_year={lam}"]) for lam in (0.0, 0.02)]
    for i, (name, s, extra) in enumerate(jobs, 1):
        say(f"ensemble run {i}/{len(jobs)}")
        tag = name + (f"_lambda{extra[1].split('=')[1]}" if extra else f"_seed{s}")
        path = os.path.join(traces, f"band_{tag}.h5")
        cmd = [SIM, "run", os.path.join(ROOT, "configs", name + ".toml"), "-o", path, "--quiet",
               "--seed", str(20180101 + 1000 * s), "--set", "trace.person_events=false",
               "--set", "trace.panel_persons=0", "--set", "trace.panel_firms=0", *extra]
        p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            sys.exit(f"report: {' '.join(cmd)} failed:\n{p.stderr}")
        out[tag] = ratio_26(path)
    return out


def load_bands(traces, seeds):
    out = {}
    for name in ("no_enclaves", "baseline", "plan_2022"):
        for s in range(seeds):
            out[f"{name}_seed{s}"] = ratio_26(os.path.join(traces, f"band_{name}_seed{s}.h5"))
    for lam in ("0.0", "0.02"):
        out[f"baseline_lambda{lam}"] = ratio_26(os.path.join(traces, f"band_baseline_lambda{lam}.h5"))
    return out


def validate(out, replicates):
    say(f"validating ({replicates} replicates)")
    js = os.path.join(out, "validation.json")
    p = subprocess.run([SIM, "validate", "--replicates", str(replicates), "--json", js, "--quiet"],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode not in (0, 3):
        sys.exit(f"report: validate failed:\n{p.stderr}")
    with open(js) as f:
        return json.load(f)


def save(fig, out, name):
    path = os.path.join(out, name)
    fig.tight_layout()
    fig.savefig(path, dpi=85)
    plt.close(fig)
    return name


def fig_gdp_ratio(t, out, bands):
    fig, ax = plt.subplots(figsize=(8.5, 4.4))
    start = np.datetime64("2018-01", "M")
    summary = {}
    for name in ["no_enclaves", "baseline", "plan_2022"]:
        runs = [v for k, v in bands.items() if k.startswith(name + "_seed")]
        y = np.array([r for r, _ in runs])
        months = start + np.arange(y.shape[1]).astype("timedelta64[M]")
        lo, mid, hi = np.percentile(y, 5, axis=0), np.median(y, axis=0), np.percentile(y, 95, axis=0)
        ax.fill_between(months, lo, hi, color=COLORS[name], alpha=0.25, lw=0)
        ax.plot(months, mid, color=COLORS[name], label=LABELS[name] + f" (median of {len(runs)} seeds, 5–95 %)")
        summary[name] = (mid, lo, hi, months)
    for lam, ls in (("0.0", ":"), ("0.02", "--")):
        r, _ = bands[f"baseline_lambda{lam}"]
        ax.plot(start + np.arange(r.size).astype("timedelta64[M]"), r, color=COLORS["baseline"], ls=ls, lw=1,
                label=f"baseline with convergence rate {lam}/year (prior range)")
    ax.set_title("GDP per capita of the 26 mountain counties relative to the province (attributed GDP)")
    ax.set_ylabel("ratio")
    ax.legend(fontsize=7, loc="upper left")
    return save(fig, out, "fig_gdp_ratio_26.png"), summary


def fig_calibration(out, path):
    """Accepted parameter sets of the calibration against their priors."""
    import h5py
    if not os.path.exists(path):
        return None, []
    rows = []
    with h5py.File(path, "r") as f:
        acc = f["accepted"][:] == 1
        keys = [k for k in f.keys() if "." in k]
        fig, axes = plt.subplots(2, (len(keys) + 1) // 2, figsize=(12, 5))
        for ax, k in zip(axes.flat, keys):
            v = f[k][:]
            lo, hi = float(f[k].attrs["prior_min"]), float(f[k].attrs["prior_max"])
            ax.hist(v, bins=12, range=(lo, hi), color="lightgrey", label="all sets")
            ax.hist(v[acc], bins=12, range=(lo, hi), color="tab:blue", label="accepted")
            ax.set_title(k, fontsize=8)
            ax.tick_params(labelsize=7)
            cal = float(f[k].attrs["calibrated"])
            rows.append((k, lo, hi, np.percentile(v[acc], 5) if acc.any() else float("nan"),
                         np.percentile(v[acc], 95) if acc.any() else float("nan"), cal))
        axes.flat[0].legend(fontsize=7)
        for ax in list(axes.flat)[len(keys):]:
            ax.axis("off")
        fig.suptitle(f"Calibration: {acc.sum()} accepted of {acc.size} parameter sets (history matching + ABC)",
                     fontsize=10)
    return save(fig, out, "fig_calibration.png"), rows


def fig_county_map(t, out):
    """Change 2018 → 2035 of each county's GDP per capita ratio in the baseline (polygons when the
    map data were fetched at set-up, else label points)."""
    import json as js
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Polygon
    c = t["baseline"].county
    ratio = c.gdp_per_capita_ratio
    change = (ratio.isel(time=slice(-12, None)).mean("time") - ratio.isel(time=slice(0, 12)).mean("time"))
    codes = [int(x) for x in c.county.values]
    delta = dict(zip(codes, change.values))
    # A symmetric scale to the 95th percentile of |change|, so a few city districts with large
    # swings do not wash out the rest (beyond it the colours saturate).
    vmax = float(np.nanpercentile(np.abs(change.values), 95))
    cmap, norm = plt.get_cmap("RdBu"), matplotlib.colors.Normalize(-vmax, vmax)
    fig, ax = plt.subplots(figsize=(7.5, 7))
    drawn = set()
    for path in sorted(glob.glob(os.path.join(ROOT, ".deps", "geo", "zhe4_jiang1_*.geojson"))):
        with open(path, encoding="utf-8") as f:
            g = js.load(f)
        for ft in g["features"]:
            code = int(ft["id"])
            if code not in delta:
                continue
            geom = ft["geometry"]
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            patches = [Polygon(np.array(p[0]), closed=True) for p in polys if len(p[0]) > 2]
            pc = PatchCollection(patches, facecolor=cmap(norm(delta[code])), edgecolor="white", lw=0.3)
            ax.add_collection(pc)
            drawn.add(code)
    acc = c.accelerated.values == 1
    for i, code in enumerate(codes):
        x, y = float(c.lon.values[i]), float(c.lat.values[i])
        if code not in drawn:
            ax.scatter([x], [y], color=cmap(norm(delta[code])), s=90, edgecolor="k", lw=0.4, zorder=3)
        if acc[i]:
            ax.plot([x], [y], marker=".", color="k", ms=3, zorder=4)
    ax.set_xlim(118, 123)
    ax.set_ylim(27, 31.3)
    ax.set_aspect(1.15)
    ax.set_xticks([])
    ax.set_yticks([])
    sm = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sm, ax=ax, shrink=0.7, extend="both",
                 label="change of GDP per capita / province, 2018 → 2035 (mean of the first and last year)")
    ax.set_title("Baseline: who catches up and who falls behind (dots: the 26 mountain counties)", fontsize=9)
    return save(fig, out, "fig_county_change.png")


def fig_tax(t, out):
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for name in ["baseline", "plan_2022", "turnover_government", "turnover_ppp"]:
        y = fa.annual(t[name].province.tax_to_source, "flow_total") / 1e8
        ax.plot(y.time.values, y.values, marker="o", ms=3, color=COLORS[name], label=LABELS[name])
    ax.set_title("Enclave local-level tax flowing to source counties")
    ax.set_ylabel("亿元 (1e8 yuan) per year")
    ax.legend()
    return save(fig, out, "fig_tax_to_source.png")


def fig_weak(t, out):
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for name in ["no_enclaves", "baseline", "plan_2022"]:
        p = t[name].province
        ax.step(p.time.values, p.weak_villages_26.values, where="post", color=COLORS[name], label=LABELS[name])
    ax.axvline(np.datetime64("2020-01-01"), color="k", lw=0.6, ls=":")
    ax.text(np.datetime64("2020-02-01"), ax.get_ylim()[1] * 0.9, "seed's target:\nnone after 2019", fontsize=8)
    ax.set_title("Weak-collective-economy villages in the 26 counties (annual assessment)")
    ax.set_ylabel("villages")
    ax.legend()
    return save(fig, out, "fig_weak_villages.png")


def fig_industrialisation(t, out):
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for name in ["baseline", "plan_2022"]:
        p = t[name].province
        ax.plot(p.time.values, p.industrialisation_rate.values, color=COLORS[name], label=LABELS[name])
    ax.axhline(0.5, color="k", lw=0.6, ls=":")
    ax.text(p.time.values[2], 0.51, "plan target ≥ 50 % by 2022", fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_title("Industrialisation rate: sci-tech graduates producing in their source county")
    ax.set_ylabel("share of graduates")
    ax.legend()
    return save(fig, out, "fig_industrialisation.png")


def fig_turnover(t, out):
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    for name in ["turnover_government", "turnover_ppp"]:
        e = t[name].enclave
        st = fa.decode_flags(e.status)
        axes[0].plot(e.time.values, (st == "stalled").sum(axis=1), color=COLORS[name], label=LABELS[name])
        axes[1].plot(e.time.values, e.land_granted_mu.sum("enclave").values, color=COLORS[name])
        axes[2].plot(e.time.values, e.output.sum("enclave").values / 1e8, color=COLORS[name])
    axes[0].set_title("stalled enclaves")
    axes[1].set_title("land granted to enclaves (mu)")
    axes[2].set_title("enclave output (亿元/year)")
    axes[0].legend(fontsize=8)
    fig.suptitle("Leadership turnover every 3 years: government-led vs PPP-operated enclaves", fontsize=10)
    return save(fig, out, "fig_turnover.png")


def fig_jinpan(t, out):
    tr = t["jinpan_1995"]
    e = tr.enclave
    names = list(e.name.values)
    j = names.index("金磐开发区")
    c = tr.county
    panan = c.sel(county=330727)
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    axes[0].plot(e.time.values, e.cumulative_output.isel(enclave=j).values / 1e8, color="tab:blue")
    axes[0].axhline(320, color="k", ls=":", lw=0.8)
    axes[0].text(e.time.values[10], 330, "seed: 320亿 by 2018", fontsize=8)
    axes[0].set_title("金磐开发区 cumulative output (亿元)")
    axes[1].plot(e.time.values, e.employment.isel(enclave=j).values, label="all workers")
    axes[1].plot(e.time.values, e.employment_from_source.isel(enclave=j).values, label="from 磐安")
    axes[1].axhline(20000, color="k", ls=":", lw=0.8)
    axes[1].legend(fontsize=8)
    axes[1].set_title("金磐开发区 employment")
    share = fa.annual(e.tax_to_source.isel(enclave=j), "flow_total") / fa.annual(panan.fiscal_revenue, "flow_total")
    axes[2].bar(share.time.dt.year.values, share.values, color="tab:orange")
    axes[2].axhline(1 / 3, color="k", ls=":", lw=0.8)
    axes[2].set_title("its tax / 磐安's fiscal revenue (seed: ≥ 1/3)")
    fig.suptitle("Back-cast 1995–2018 of 磐安's enclave in 金华 (S2)", fontsize=10)
    return save(fig, out, "fig_jinpan.png")


def fig_qingyuan(t, out, results):
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for name, lab in [("baseline", "baseline (no enclave)"), ("qingyuan_eco", "with a 2 km² eco enclave from 2018")]:
        r = t[name].county.gdp_per_capita_ratio.sel(county=331126)
        ax.plot(r.time.values, r.values, label=lab)
    s3a = next((x for x in results["targets"] if x["id"] == "S3a"), None)
    if s3a:
        ax.scatter([np.datetime64("2022-07-01")], [s3a["mean"]], color="k", zorder=3,
                   label="seed's arithmetic for 2022 (250万 yuan GDP per mu)")
    ax.axhline(1, color="grey", lw=0.6)
    ax.set_title("庆元: GDP per capita relative to the province (S3)")
    ax.legend(fontsize=8)
    return save(fig, out, "fig_qingyuan.png")


def fig_land(t, out):
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for name, lab in [("baseline", "hosts grant as committed"), ("land_constrained", "杭千 keeps its 200 mu")]:
        e = t[name].enclave
        j = list(e.name.values).index("江东杭千开发区")
        ax.plot(e.time.values, e.output.isel(enclave=j).values / 1e8, label=lab)
    ax.set_title("江东杭千开发区 output (亿元/year): 2 km² planned, 200 mu granted (S4)")
    ax.legend()
    return save(fig, out, "fig_land_constrained.png")


def plan_table(t):
    """When the plan scenario meets each 2022 target (first month), from its trace."""
    p = t["plan_2022"].province
    e = t["plan_2022"].enclave
    time = pd.DatetimeIndex(p.time.values)

    def first(mask, label):
        idx = np.flatnonzero(mask)
        return time[idx[0]].strftime("%Y-%m") if idx.size else f"not by {time[-1]:%Y-%m}"

    active = (p.operating_eco + p.operating_scitech + p.operating_poverty).values
    large = ((fa.decode_flags(e.status) != "vacant") & (np.asarray(e.kind.values) == "eco") &
             (e.land_planned_mu.values >= 3000)).sum(axis=1)
    return [
        ("30–40 provincial enclaves operating", first((active >= 30) & (active <= 40), "")),
        ("poverty enclaves in all 26 counties", first(p.poverty_coverage_26.values >= 1, "")),
        ("eco enclaves for all main eco-function counties", first(p.eco_coverage.values >= 1, "")),
        ("5–8 eco enclaves of ≥ 2 km²", first((large >= 5) & (large <= 8), "")),
        ("industrialisation rate ≥ 50 %", first(p.industrialisation_rate.values >= 0.5, "")),
        ("no weak villages in the 26 counties (target: end of 2019)", first(p.weak_villages_26.values <= 0, "")),
    ]


def fmt(x):
    a = abs(x)
    return f"{x:.0f}" if a >= 1000 or float(x).is_integer() else (f"{x:.1f}" if a >= 10 else f"{x:.3f}")


def write_readme(out, results, figs, plan, t, ratio, calib):
    rows = []
    for r in results["targets"]:
        note = f" ({r['note']})" if r["note"] else ""
        rows.append(f"| {r['id']} | {r['fact']} | {r['tolerance']} | {fmt(r['mean'])} [{fmt(r['lo'])}, {fmt(r['hi'])}]"
                    f" {r['unit']}{note} | {'pass' if r['pass'] else '**fail**'} |")
    passed = sum(r["pass"] for r in results["targets"])
    version = t["baseline"].attrs.get("source_version", "?")
    def at(name, year):
        mid, lo, hi, months = ratio[name]
        i = int(np.flatnonzero(months.astype("datetime64[Y]").astype(int) + 1970 == year)[-1])
        return f"{mid[i]:.3f} [{lo[i]:.3f}, {hi[i]:.3f}]"
    # Out of sample (judged, never fitted): the 26 counties' share of provincial GDP in 2022.
    c = t["baseline"].county
    acc = c.accelerated.values == 1
    year = c.time.dt.year.values
    share = {}
    for y in (2018, 2022):
        g = c.gdp.values[year == y].mean(axis=0)
        share[y] = g[acc].sum() / g.sum()
    oos = (f"| the 26 counties' share of provincial GDP, 2018 | 10.4 % (county table: 5796 of 55969亿) | "
           f"{share[2018]:.1%} |\n"
           f"| ... in 2022 | 9.5 % (7404亿, 全面统筹山海协作 推动区域协调发展, 2023; of about 77,900亿: the 2023 "
           f"bulletin's 82,553亿 less its 6.0 % real growth) | {share[2022]:.1%} |")
    ratio_rows = "\n".join(f"| {LABELS[n]} | {at(n, 2018)} | {at(n, 2025)} | {at(n, 2035)} |"
                            for n in ["no_enclaves", "baseline", "plan_2022"])
    calib_rows = "\n".join(f"| `{k}` | {lo:g}–{hi:g} | {a:.3g}–{b:.3g} | {c:.4g} |" for k, lo, hi, a, b, c in calib[1])
    text = f"""<!-- generated by `./feidi report`; do not edit by hand -->
# What the model says

Generated by `./feidi report` on {datetime.date.today():%Y-%m-%d} from Feidi {version}
({results['replicates']} replicate seeds for the validation; one seed for the plots). The traces
behind the figures are in `results/traces/` after running the command (not in git).

## Validation against the seed's facts

{passed} of {len(results['targets'])} targets pass. Measured: mean [5th, 95th percentile] over
replicates; a target passes when the mean is inside its tolerance. A miss stays a miss, with
its cause in [sim/docs/model.md](../sim/docs/model.md#6-calibration-and-validation), which also
gives the reasoning for each tolerance.

| id | fact (seed) | tolerance | measured | |
|---|---|---|---|---|
""" + "\n".join(rows) + f"""

## The seed's plan for 2022: targets met and when

From the `plan_2022` scenario (first month each target holds):

| target | met |
|---|---|
""" + "\n".join(f"| {a} | {b} |" for a, b in plan) + f"""

## Calibration

`./feidi calibrate` (history matching, then ABC rejection; sim/docs/model.md §6) — parameters,
their prior ranges, the range of the accepted sets and the calibrated value (their median), which
`configs/calibrated.toml` holds and every scenario includes:

| parameter | prior | accepted 5–95 % | calibrated |
|---|---|---|---|
""" + calib_rows + f"""

![Calibration](fig_calibration.png)

## The 26 mountain counties: catching up?

Attributed GDP per capita of the 26 relative to the province, December of each year: median
[5 %, 95 %] over seeds.

| scenario | 2018 | 2025 | 2035 |
|---|---|---|---|
""" + ratio_rows + f"""

![GDP per capita ratio](fig_gdp_ratio_26.png)

Most of the catch-up in every scenario comes from technology diffusion, whose rate no fact of the
seed informs: the dashed and dotted lines show the baseline at the ends of its prior range
(0–0.02 a year). The enclaves' own contribution is the gap between the scenarios.

![Change by county](fig_county_change.png)

**Out of sample** (facts published after 2018, neither inputs nor targets; the model is judged on
them, not tuned): in the data the 26 counties' share of the province's GDP fell from 10.4 % to
9.5 % between 2018 and 2022, while the baseline has it """ + ("rise" if share[2022] > share[2018] else "fall") + f""" from
{share[2018]:.1%} to {share[2022]:.1%}""" + (""" — the model's catch-up, which comes mostly from technology
diffusion at a rate no fact of the seed informs, is more optimistic than what happened in
2018–2022""" if share[2022] > 0.095 + 0.005 else "") + """ (population shares moved too: the 2020 census found the
developed counties much larger than the annual estimates).

| fact | data | baseline |
|---|---|---|
""" + oos + f"""

## Scenarios

![Tax to source counties](fig_tax_to_source.png)

![Weak villages](fig_weak_villages.png)

![Industrialisation rate](fig_industrialisation.png)

![Turnover](fig_turnover.png)

![Jinpan back-cast](fig_jinpan.png)

![Qingyuan](fig_qingyuan.png)

![Land constrained](fig_land_constrained.png)

`baseline_overview.png` (the picture in the top-level README) is drawn by
`./feidi plot results/baseline.h5 results/baseline_overview.png`.
"""
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--bands", type=int, default=5, help="seeds per scenario for the ensemble bands")
    ap.add_argument("--reuse", action="store_true",
                    help="redraw from the validation and traces of the last report (OUT/validation.json, OUT/traces)")
    ap.add_argument("--out", default=os.path.join(ROOT, "results"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    traces = os.path.join(a.out, "traces")
    if a.reuse:
        with open(os.path.join(a.out, "validation.json")) as f:
            results = json.load(f)
        paths = {name: os.path.join(traces, name + ".h5") for name in RUNS}
    else:
        results = validate(a.out, a.replicates)
        paths = run_scenarios(traces)
    say("drawing")
    t = {name: fa.open_trace(p) for name, p in paths.items()}
    bands = load_bands(traces, a.bands) if a.reuse else run_bands(traces, a.bands)
    ratio_fig, ratio = fig_gdp_ratio(t, a.out, bands)
    calib = fig_calibration(a.out, os.path.join(a.out, "calibration.h5"))
    figs = [ratio_fig, calib[0], fig_county_map(t, a.out), fig_tax(t, a.out), fig_weak(t, a.out), fig_industrialisation(t, a.out),
            fig_turnover(t, a.out), fig_jinpan(t, a.out), fig_qingyuan(t, a.out, results), fig_land(t, a.out)]
    plan = plan_table(t)
    write_readme(a.out, results, figs, plan, t, ratio, calib)
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr)
    print(f"wrote {os.path.join(a.out, 'README.md')} and {len(figs)} figures")


if __name__ == "__main__":
    main()
