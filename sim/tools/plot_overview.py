#!/usr/bin/python3
"""Draws an overview PNG of a Feidi trace: a map of counties coloured by GDP per capita
relative to the province with enclave links, and three time series.

usage: ./feidi plot TRACE.h5 OUT.png   (or /usr/bin/python3 sim/tools/plot_overview.py ...)
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import h5py  # noqa: E402
import xarray as xr  # noqa: E402


def main(path, out):
    c = xr.open_dataset(path, engine="h5netcdf", group="county")
    e = xr.open_dataset(path, engine="h5netcdf", group="enclave")
    p = xr.open_dataset(path, engine="h5netcdf", group="province")
    acc = c.accelerated.values == 1
    t = c.time.values
    fig, ax = plt.subplots(2, 2, figsize=(12, 8.5))
    # Map: label points coloured by the last month's GDP per capita ratio; enclave links.
    m = ax[0, 0]
    ratio = c.gdp_per_capita_ratio.isel(time=-1).values
    code_index = {int(k): i for i, k in enumerate(c.county.values)}
    kinds = {0: ("eco", "tab:green"), 1: ("sci-tech", "tab:purple"), 2: ("poverty", "tab:orange")}
    active = e.status.isel(time=-1).values > 0
    for k in range(e.sizes["enclave"]):
        if not active[k]:
            continue
        s, h = code_index[int(e.source.values[k])], code_index[int(e.host.values[k])]
        name, col = kinds[int(e.kind.values[-1, k])]
        m.annotate("", xy=(c.lon.values[h], c.lat.values[h]), xytext=(c.lon.values[s], c.lat.values[s]),
                   arrowprops=dict(arrowstyle="->", color=col, lw=1.2, alpha=0.8, connectionstyle="arc3,rad=0.2"))
    sc = m.scatter(c.lon.values, c.lat.values, c=ratio, cmap="RdYlGn", vmin=0.3, vmax=2.0,
                   s=np.where(acc, 70, 35), edgecolors=np.where(acc, "k", "none"), zorder=3)
    fig.colorbar(sc, ax=m, label="GDP per capita / province (%s)" % str(t[-1])[:7])
    for k, (name, col) in kinds.items():
        m.plot([], [], color=col, label=f"{name} enclave (source → host)")
    m.scatter([], [], s=70, edgecolors="k", facecolors="none", label="26 mountain counties")
    m.legend(loc="upper left", bbox_to_anchor=(0.0, -0.12), ncol=2, fontsize=8, frameon=False)
    m.set_title("Counties and enclave links")
    m.set_xlabel("longitude")
    m.set_ylabel("latitude")
    m.set_aspect(1.15)
    # GDP per capita ratio, 26 vs rest.
    g, pop = c.gdp_attributed.values, c.population.values
    prov = g.sum(1) / pop.sum(1)
    a = ax[0, 1]
    a.plot(t, g[:, acc].sum(1) / pop[:, acc].sum(1) / prov, label="26 mountain counties")
    a.plot(t, g[:, ~acc].sum(1) / pop[:, ~acc].sum(1) / prov, label="other counties")
    a.axhline(1, color="grey", lw=0.5)
    a.set_title("GDP per capita relative to the province")
    a.legend()
    # Weak villages.
    w = c.weak_villages.values
    b = ax[1, 0]
    b.plot(t, w[:, acc].sum(1), label="26 mountain counties")
    b.plot(t, w[:, ~acc].sum(1), label="other counties")
    b.set_title("Weak-collective-economy villages")
    b.legend()
    # Enclave tax flowing to source counties and enclave employment.
    d = ax[1, 1]
    d.plot(t, p.tax_to_source.values / 1e8, color="tab:red", label="tax to source counties")
    d.set_ylabel("1e8 yuan / year", color="tab:red")
    d2 = d.twinx()
    d2.plot(t, e.employment.values.sum(1) / 1e3, color="tab:blue", label="enclave employment")
    d2.plot(t, e.employment_from_source.values.sum(1) / 1e3, color="tab:blue", ls="--",
            label="... from source counties")
    d2.set_ylabel("thousand workers", color="tab:blue")
    d2.legend(loc="lower right", fontsize=8)
    d.set_title("Enclave tax to source counties; enclave jobs")
    with h5py.File(path, "r") as f:
        title = f.attrs.get("title", "")
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(out, dpi=90)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
