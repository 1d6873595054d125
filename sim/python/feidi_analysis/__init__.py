"""feidi_analysis — read a Feidi trace as xarray Datasets and pandas DataFrames.

A Feidi trace is one HDF5 file in netCDF-4/CF layout (see ``sim/docs/trace_schema.md``)
with the groups ``county``, ``enclave``, ``province`` (time series), ``events`` and
``interventions`` (one row per record), and where the run asked for them ``panel``
(sampled agents every month), ``snapshot`` (every agent at some months) and
``checkpoint``. This module opens them lazily, trims them to the steps that are
completely written, decodes the coded variables (``flag_meanings``) to strings, makes
county and enclave names coordinates (``fa.by_name(t.county, "磐安县")``) and offers the
few aggregations analysts need most.

It needs only Debian's packages (numpy, h5py, h5netcdf, xarray, pandas): run it with
``/usr/bin/python3`` and put ``sim/python`` on the path::

    import sys; sys.path.insert(0, "sim/python")       # or PYTHONPATH=sim/python
    import feidi_analysis as fa

    with fa.open_trace("results/baseline.h5") as t:
        print(t.config["run"]["name"], t.steps_written, t.complete)
        t.county.gdp_per_capita_ratio.sel(county=330727).plot()    # 磐安县, lazy xarray
        fa.by_name(t.county.gdp_per_capita_ratio, "磐安县")         # the same, by name
        fa.by_name(t.enclave.output, "金磐开发区")                    # a park by name; .kind per park
        df = t.county_frame(["gdp", "population"])                 # (time, county) rows
        ratio = t.mountain_vs_rest()                               # 26 counties vs the rest
        yearly_tax = t.annual(t.enclave.tax_to_source.sum("enclave"), how="flow_total")
        kinds = t.events_frame().kind.value_counts()

    runs = {"baseline": fa.open_trace("results/baseline.h5"),
            "same city": fa.open_trace("results/same_city.h5")}
    fa.compare(runs, "gdp_per_capita_ratio_26").plot()
    fa.compare(runs, ["gdp_per_capita_ratio_26", "tax_to_source"], relative_to="baseline")

Units: flows in the trace are **annualised** monthly values (the month's flow × 12; their
``units`` read ``yuan/year (annualised monthly flow)``); stocks are end-of-month values.
See :func:`annual` for yearly figures.

Years: every yearly figure here is labelled by 1 January of its year — the label of
``pandas``/``xarray`` resampling with :data:`YEAR_FREQ` (``"YS"``), so
``ds.resample(time=fa.YEAR_FREQ)`` lines up with :func:`annual`.

Traces being written: the simulator writes with SWMR and increments the root dataset
``steps_written`` only after a step's data are flushed. :func:`open_trace` reads
``steps_written`` once and cuts every group to those steps, so a file that is still
growing (or was killed; no ``h5clear`` needed to read it) shows a consistent prefix;
:meth:`Trace.refresh` re-reads it.

Damaged traces: a trace that cannot be read raises :class:`TraceError` (a ``ValueError``)
with one message that starts with the file's path and says what is wrong — when the file
is opened (root, config, step counter), when a group is first used, and when data are
loaded (``.values``, ``.load()``, ``.compute()``, a frame, a plot). Data that cannot be read
(say, a chunk index whose checksum fails) name the variable, e.g. ``results/x.h5: damaged
trace: the data of 'county/gdp' are unreadable, checksum failed (OSError: ...)``, where
h5py alone raises a bare ``OSError`` naming neither file nor variable.
"""
from __future__ import annotations

import os
import tomllib
import warnings
from typing import Callable, Iterable, Mapping

import h5netcdf
import h5py
import numpy as np
import pandas as pd
import xarray as xr
from xarray.backends import H5NetCDFStore
from xarray.backends.h5netcdf_ import H5NetCDFArrayWrapper
from xarray.core.indexing import LazilyIndexedArray

__all__ = [
    "GROUPS",
    "TraceError",
    "YEAR_FREQ",
    "Trace",
    "open_trace",
    "compare",
    "annual",
    "decode_flags",
    "by_name",
    "MOUNTAIN",
    "OTHER",
]

class TraceError(ValueError):
    """A file that is not a readable Feidi trace, or a damaged one: the message names the file
    and what is wrong (a ``ValueError``, so ``except ValueError`` still catches it)."""


#: The groups a trace can hold, in schema order (the last three only when the run wrote them).
GROUPS = ("county", "enclave", "province", "events", "interventions", "panel", "snapshot", "checkpoint")
_OPTIONAL = {"panel": "run with trace.panel_persons or trace.panel_firms > 0",
             "snapshot": "run with trace.snapshot_interval_months > 0",
             "checkpoint": "run with --checkpoint-every N"}
#: Column names of :meth:`Trace.mountain_vs_rest`.
MOUNTAIN = "26 counties"
OTHER = "other counties"

_TIME_GROUPS = ("county", "enclave", "province")
_TRIM_TIME = ("county", "enclave", "province", "panel")
_ROW_DIMS = {"events": "event", "interventions": "intervention"}
_HOW = ("mean", "last", "flow_total")
#: Calendar years, labelled by their first day (1 January): the frequency :func:`annual` uses.
YEAR_FREQ = "YS"
_FREQ = YEAR_FREQ


def decode_flags(da: xr.DataArray) -> np.ndarray:
    """Decodes a coded variable to strings via its ``flag_values``/``flag_meanings`` attributes.

    ``da`` is a DataArray (or Variable) whose attributes hold CF ``flag_meanings`` (a
    space-separated list) and, optionally, ``flag_values`` (the codes; ``0, 1, 2, ...``
    when absent). Returns a numpy object array of the same shape with the meaning of each
    code as ``str`` (``None`` for a code that has no meaning). Raises ``ValueError`` if the
    variable has no ``flag_meanings``.

    >>> decode_flags(trace.enclave.kind.isel(time=0))   # array(['eco', 'eco', ...], dtype=object)
    """
    meanings = da.attrs.get("flag_meanings")
    if meanings is None:
        raise ValueError(f"variable {getattr(da, 'name', '')!r} has no flag_meanings attribute")
    meanings = _to_str(meanings).split()
    codes = np.asarray(da.attrs.get("flag_values", np.arange(len(meanings)))).ravel().tolist()
    lookup = dict(zip(codes, meanings))
    values = np.asarray(da.values)
    out = np.empty(values.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(values.reshape(-1).tolist()):
        flat[i] = lookup.get(v)
    return out


def open_trace(path: str | os.PathLike) -> "Trace":
    """Opens a Feidi trace (``.h5``) and returns a :class:`Trace`.

    Reads the root attributes, the resolved config and ``steps_written`` at once; the
    groups are opened lazily on first use. A file still being written by ``feidi-sim``
    (or left by a killed run) is opened in SWMR mode automatically. Raises
    ``FileNotFoundError`` for a missing file and :class:`TraceError` (a ``ValueError``) for a
    file that is not a readable Feidi trace or is damaged; a damaged group raises it when
    first used, damaged data when they are loaded. The message names the file and what is
    wrong (and the variable whose data cannot be read). Use it as a context manager or call
    :meth:`Trace.close`.
    """
    return Trace(path)


class Trace:
    """One Feidi trace, opened by :func:`open_trace`.

    Attributes
    ----------
    path : str
        The file.
    attrs : dict
        Root attributes with strings decoded to ``str`` and numpy scalars to Python
        scalars (``scenario``, ``seed``, ``start``, ``end``, ``steps_total``, ``run_*``...).
    config : dict
        The resolved config (root attribute ``config``) parsed with ``tomllib``.
    steps_written : int
        Steps completely written when the trace was opened (or last refreshed); every
        group is cut to these steps.
    complete : bool
        ``True`` when the run ended normally (root attribute ``run_completed == 1``).
    swmr : bool
        ``True`` when the file was open for writing and had to be read in SWMR mode.
    county, enclave, province, events, interventions : xarray.Dataset
        The groups, opened lazily (data are read when used) with CF time decoded.
        ``county``/``enclave``/``province`` have the first ``steps_written`` months;
        ``events``/``interventions`` the rows of those months.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        if not os.path.exists(self.path):
            raise FileNotFoundError(f"{self.path}: no such trace")
        self._datasets: dict[str, xr.Dataset] = {}
        self._handles: list[xr.Dataset] = []  # every dataset opened, closed by close()
        self._closed = False
        self._read_root()

    # -- opening, refreshing, closing ------------------------------------------------

    def _read_root(self) -> None:
        try:
            f, self.swmr = h5py.File(self.path, "r"), False
        except OSError as plain_error:  # open for writing by a running (or killed) feidi-sim
            # Only a file flagged as open for writing is retried in SWMR mode: on damaged
            # metadata, HDF5's SWMR reader retries every checksum for minutes (h5py cannot
            # lower its attempts).
            if "open for write" not in str(plain_error) and "lock" not in str(plain_error):
                raise TraceError(f"{self.path}: not a readable HDF5 file ({plain_error})") from None
            try:
                f, self.swmr = h5py.File(self.path, "r", libver="latest", swmr=True), True
            except OSError:
                raise TraceError(f"{self.path}: not a readable HDF5 file ({plain_error})") from None
        try:
            with f:
                if "steps_written" not in f or not isinstance(f["steps_written"], h5py.Dataset):
                    raise TraceError(f"{self.path}: not a Feidi trace (no steps_written dataset)")
                sw = f["steps_written"]
                if sw.dtype.kind not in "iu" or sw.shape != ():
                    raise TraceError(f"{self.path}: damaged trace: steps_written is not one integer")
                self.attrs = {k: _to_python(f.attrs[k]) for k in f.attrs}
                self.steps_written = int(sw[()])
                #: The groups this file holds (a subset of GROUPS, in schema order).
                self.groups = tuple(g for g in GROUPS if g in f and isinstance(f[g], h5py.Group))
                months = [f[g]["time"].shape[0] for g in ("county", "province")
                          if g in self.groups and isinstance(f[g].get("time"), h5py.Dataset)]
        except TraceError:
            raise
        except (OSError, KeyError, ValueError, TypeError, AttributeError, RuntimeError) as e:
            raise TraceError(f"{self.path}: damaged trace: cannot read its root ({type(e).__name__}: {e})") from None
        if self.steps_written < 0 or any(self.steps_written > m for m in months):
            raise TraceError(f"{self.path}: damaged trace: steps_written is {self.steps_written} but the trace "
                             f"holds {min(months) if months else 0} months")
        config = self.attrs.get("config", "")
        if not isinstance(config, str):
            raise TraceError(f"{self.path}: damaged trace: the config attribute is not text")
        try:
            self.config = tomllib.loads(config) if config else {}
        except tomllib.TOMLDecodeError as e:
            raise TraceError(f"{self.path}: damaged trace: the config attribute is not valid TOML ({e})") from None
        self.complete = _to_python(self.attrs.get("run_completed", 0)) == 1

    def refresh(self) -> "Trace":
        """Re-reads ``steps_written`` and the root attributes of a growing trace.

        Closes the file handles (HDF5 shares one view of a file among all its handles in a
        process, so a handle kept open would keep the old lengths): Datasets obtained
        before can no longer load data; take them again from the trace. Groups accessed
        afterwards are reopened and cut to the new ``steps_written``. In one process, keep
        one open :class:`Trace` per growing file. Returns the trace itself.
        """
        self._check_open()
        self._close_handles()
        self._read_root()
        return self

    def _close_handles(self) -> None:
        for ds in self._handles:
            ds.close()
        self._handles.clear()
        self._datasets.clear()

    def close(self) -> None:
        """Closes every file handle the trace opened; its Datasets can no longer load data."""
        self._close_handles()
        self._closed = True

    def __enter__(self) -> "Trace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "complete" if self.complete else "INCOMPLETE"
        return (f"<feidi_analysis.Trace {self.attrs.get('scenario', '?')!s} "
                f"{self.attrs.get('start', '?')}..{self.attrs.get('end', '?')}, "
                f"{self.steps_written} of {self.attrs.get('steps_total', '?')} steps, {state}: {self.path}>")

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"{self.path}: trace is closed")

    def dataset(self, group: str) -> xr.Dataset:
        """The group ``group`` (one of :data:`GROUPS`) as a lazy xarray Dataset.

        Opened with ``xr.open_dataset(path, engine="h5netcdf", group=group)`` (through an
        SWMR-mode h5netcdf file when the trace is being written) and cut to the first
        ``steps_written`` time steps (``events``/``interventions``: to the rows of those
        steps). Cached until :meth:`refresh` or :meth:`close`.
        """
        self._check_open()
        if group not in GROUPS:
            raise KeyError(f"{self.path}: unknown group {group!r}; a trace can have {', '.join(GROUPS)}")
        if group not in self.groups:
            raise KeyError(f"{self.path}: this trace has no {group!r} group ({_OPTIONAL.get(group, 'damaged file?')}); "
                           f"it has {', '.join(self.groups)}")
        if group not in self._datasets:
            try:
                raw = self._open_group(group)
            except TraceError as e:  # an index coordinate (time, county...) whose data are unreadable;
                msg = str(e)         # xarray prefixes "Failed to decode variable 'time': " to some
                raise TraceError(msg[msg.find(self.path + ": "):] if self.path + ": " in msg else msg) from None
            except (OSError, KeyError, ValueError, TypeError, AttributeError, IndexError, RuntimeError) as e:
                raise TraceError(f"{self.path}: damaged trace: cannot open its {group!r} group "
                                 f"({type(e).__name__}: {e})") from None
            self._handles.append(raw)
            try:
                self._datasets[group] = self._label(group, self._trim(group, raw))
            except TraceError:
                raise
            except (KeyError, ValueError, TypeError, AttributeError, IndexError) as e:
                raise TraceError(f"{self.path}: damaged trace: its {group!r} group is not as the schema says "
                                 f"({type(e).__name__}: {e})") from None
        return self._datasets[group]

    def _label(self, group: str, ds: xr.Dataset) -> xr.Dataset:
        """Names become coordinates (select with :func:`by_name`; not indexes, which would break
        arithmetic between two selections in xarray 2023.01); an enclave's kind is one decoded
        value per park."""
        if group == "county" and "name" in ds.variables:
            names = [v for v in ("name", "name_en") if v in ds.variables]
            ds = ds.set_coords(names)
        elif group == "enclave" and "name" in ds.variables:
            if "kind" in ds.variables and "flag_meanings" in ds["kind"].attrs and "time" in ds["kind"].dims:
                kinds = ds["kind"]
                last = kinds.isel(time=-1) if kinds.sizes["time"] else kinds.isel(time=slice(0, 0))
                decoded = decode_flags(last) if kinds.sizes["time"] else np.array([""] * ds.sizes["enclave"], dtype=object)
                ds = ds.drop_vars("kind").assign_coords(kind=("enclave", decoded))
                ds["kind"].attrs = {"long_name": "enclave kind (eco, scitech, poverty)"}
            ds = ds.set_coords([v for v in ("name", "source", "host") if v in ds.variables])
        return ds

    def _open_group(self, group: str) -> xr.Dataset:
        # What xr.open_dataset(path, engine="h5netcdf", group=group) does, through a store
        # whose variables read via _CheckedArray (errors reading data name file and variable).
        if not self.swmr:
            store = _CheckedStore.open(os.path.abspath(self.path), group=group)
        else:
            h = h5netcdf.File(self.path, "r", libver="latest", swmr=True, decode_vlen_strings=True)
            try:
                store = _CheckedStore(h, group=group)
            except Exception:
                h.close()
                raise
        store.trace_path = self.path
        try:
            ds = xr.open_dataset(store)
        except Exception:
            store.close()
            raise
        ds.encoding.setdefault("source", os.path.abspath(self.path))
        return ds

    def _trim(self, group: str, ds: xr.Dataset) -> xr.Dataset:
        n = self.steps_written
        if group == "snapshot":
            # Snapshots of months not yet completely written are dropped.
            if "time" not in ds or not ds.sizes.get("snapshot", 0):
                return ds
            start = pd.Timestamp(str(self.attrs.get("start", "1970-01")) + "-01")
            last = start + pd.DateOffset(months=n - 1) if n > 0 else start - pd.DateOffset(days=1)
            keep = int((pd.DatetimeIndex(ds["time"].values) <= last).sum())
            return ds.isel(snapshot=slice(0, keep)) if keep != ds.sizes["snapshot"] else ds
        if group == "checkpoint":
            return ds
        if group in _TRIM_TIME:
            if ds.sizes.get("time", 0) < n:
                raise TraceError(f"{self.path}: damaged trace: steps_written is {n} but its {group!r} group "
                                 f"holds {ds.sizes.get('time', 0)} months")
            # A growing file may hold rows beyond steps_written (partly written; h5netcdf
            # pads variables that are still shorter than the longest one).
            return ds.isel(time=slice(0, n)) if ds.sizes.get("time", 0) != n else ds
        if group not in _ROW_DIMS:
            return ds
        dim = _ROW_DIMS[group]
        step = np.asarray(ds["step"].values)
        # Rows are in step order; keep the non-decreasing prefix of rows with step < n
        # (padding of a partly written row reads as step 0 and breaks the order).
        bad = (step >= n) | np.concatenate([[False], np.diff(step) < 0])
        k = int(np.argmax(bad)) if bad.any() else step.size
        return ds.isel({dim: slice(0, k)}) if k != ds.sizes[dim] else ds

    @property
    def county(self) -> xr.Dataset:
        """The ``county`` group: dims ``(time, county)``; coordinates: ``county`` (GB/T 2260
        code), ``name`` and ``name_en`` (select with ``fa.by_name(ds, "磐安县")``)."""
        return self.dataset("county")

    @property
    def enclave(self) -> xr.Dataset:
        """The ``enclave`` group: dims ``(time, enclave)``; coordinates: ``enclave`` (slot
        index), ``name`` (select with ``fa.by_name``), ``source``/``host`` (county codes)
        and ``kind`` (one decoded string per park: ``"eco"``, ``"scitech"``, ``"poverty"``)."""
        return self.dataset("enclave")

    @property
    def province(self) -> xr.Dataset:
        """The ``province`` group: dim ``time``."""
        return self.dataset("province")

    @property
    def events(self) -> xr.Dataset:
        """The ``events`` group: dim ``event``, one row per event in the engine's order."""
        return self.dataset("events")

    @property
    def interventions(self) -> xr.Dataset:
        """The ``interventions`` group: dim ``intervention`` (empty for plain runs)."""
        return self.dataset("interventions")

    @property
    def panel(self) -> xr.Dataset:
        """The ``panel`` group: sampled persons and firms every month, dims ``(time, person)``
        and ``(time, firm)``. ``KeyError`` when the run wrote no panel."""
        return self.dataset("panel")

    @property
    def snapshot(self) -> xr.Dataset:
        """The ``snapshot`` group: every agent at some months, dims ``(snapshot, person)`` and
        ``(snapshot, firm)`` with ``time`` per snapshot. ``KeyError`` when there is none."""
        return self.dataset("snapshot")

    @property
    def checkpoint(self) -> xr.Dataset:
        """The ``checkpoint`` group (the complete state at some months), when the run wrote one."""
        return self.dataset("checkpoint")

    # -- pandas frames -------------------------------------------------------------------

    def county_frame(self, variables: str | Iterable[str] | None = None) -> pd.DataFrame:
        """A tidy DataFrame of county variables, indexed by ``(time, county)``.

        ``variables``: names of ``county`` variables (default: every ``(time, county)``
        variable). Columns: ``name``, ``name_en`` (str), ``accelerated`` (bool: one of the
        26 mountain counties), then the requested variables in the order given; static
        variables (e.g. ``prefecture``, ``gdp_2018``) may be requested too and are repeated
        for every month. Raises ``KeyError`` for an unknown name.
        """
        return _tidy(self.county, "county", variables, static=("name", "name_en", "accelerated"),
                     booleans=("accelerated",))

    def enclave_frame(self, variables: str | Iterable[str] | None = None) -> pd.DataFrame:
        """A tidy DataFrame of enclave variables, indexed by ``(time, enclave)``.

        ``variables``: names of ``enclave`` variables (default: every ``(time, enclave)``
        variable). Columns: ``name``, ``source``, ``host`` (county codes), ``kind``
        (``"eco"``, ``"scitech"`` or ``"poverty"``), then the requested variables. Coded
        variables are decoded to strings via ``flag_meanings`` (``status``: ``"vacant"``,
        ``"building"``, ``"operating"``, ``"stalled"``, ``"closed"``; ``mode``).
        Raises ``KeyError`` for an unknown name.
        """
        return _tidy(self.enclave, "enclave", variables, static=("name", "source", "host", "kind"))

    def events_frame(self) -> pd.DataFrame:
        """The events as a DataFrame indexed by ``event``.

        Columns: ``step`` (int, 0 = first month), ``time`` (datetime64, first day of the
        month), ``kind`` (str, e.g. ``"person_migration"``), ``subject``, ``from_county``,
        ``to_county`` (GB/T 2260 codes or -1) and ``value`` (kind-specific, see the schema).
        """
        ds = self.events
        df = pd.DataFrame({
            "step": ds["step"].values.astype(np.int64),
            "time": ds["time"].values,
            "kind": decode_flags(ds["kind"]),
            "subject": ds["subject"].values,
            "from_county": ds["from_county"].values,
            "to_county": ds["to_county"].values,
            "value": ds["value"].values,
        }, index=pd.Index(ds["event"].values, name="event"))
        return df

    def interventions_frame(self) -> pd.DataFrame:
        """The mid-run policy changes as a DataFrame indexed by ``intervention``.

        Columns: ``step`` (the change applies from this step on), ``time`` (datetime64),
        ``lever`` (the config key as str, e.g. ``"tax_split.fixed_source_share"``),
        ``old_value``, ``new_value``. Empty (with these columns) for plain runs.
        """
        ds = self.interventions
        return pd.DataFrame({
            "step": ds["step"].values.astype(np.int64),
            "time": ds["time"].values,
            "lever": decode_flags(ds["lever"]),
            "old_value": ds["old_value"].values,
            "new_value": ds["new_value"].values,
        }, index=pd.Index(ds["intervention"].values, name="intervention"))

    # -- aggregations -------------------------------------------------------------------

    def mountain_vs_rest(self, variable: str = "gdp_attributed", per_capita: bool = True) -> pd.DataFrame:
        """The 26 mountain counties against the other 64, month by month.

        Returns a DataFrame indexed by ``time`` with the columns ``"26 counties"`` and
        ``"other counties"``. ``variable`` is a ``(time, county)`` total (an extensive
        variable such as ``gdp_attributed``, ``fiscal_revenue``, ``firms``).

        - ``per_capita=True``: each group's ``sum(variable) / sum(population)`` relative
          to the province's (all 90 counties) ``sum(variable) / sum(population)``, so 1 =
          provincial average. With the default variable, the first column equals
          ``province.gdp_per_capita_ratio_26``.
        - ``per_capita=False``: the plain sums over each group (the two add up to the
          provincial total), in the variable's unit.
        """
        ds = self.county
        if variable not in ds or ds[variable].dims != ("time", "county"):
            raise KeyError(f"{variable!r} is not a (time, county) variable of the county group")
        acc = ds["accelerated"].values.astype(bool)
        x = ds[variable]
        s26, srest = x.isel(county=acc).sum("county"), x.isel(county=~acc).sum("county")
        if per_capita:
            pop = ds["population"]
            p26, prest = pop.isel(county=acc).sum("county"), pop.isel(county=~acc).sum("county")
            prov = x.sum("county") / pop.sum("county")
            s26, srest = s26 / p26 / prov, srest / prest / prov
        df = pd.DataFrame({MOUNTAIN: s26.values, OTHER: srest.values},
                          index=pd.DatetimeIndex(ds["time"].values, name="time"))
        df.attrs.update(variable=variable, per_capita=per_capita)
        return df

    @staticmethod
    def annual(obj, how: str = "mean"):
        """Resamples monthly data to calendar years: the same as :func:`feidi_analysis.annual`.

        ``how`` is ``"mean"``, ``"last"`` or ``"flow_total"`` (the yearly total of an
        annualised flow = the mean of its monthly values, assuming a full year).
        """
        return annual(obj, how)


def annual(obj, how: str = "mean"):
    """Resamples monthly data to calendar years, labelled by 1 January of each year.

    ``obj``: an xarray Dataset or DataArray with a ``time`` dimension, or a pandas
    Series/DataFrame indexed by time (a ``DatetimeIndex``, or a MultiIndex with a ``time``
    level, such as :meth:`Trace.county_frame` returns). Returns the same kind of object
    with one entry per year (and per other index level / dimension).

    ``how``:

    - ``"mean"``: the mean over the year's months (stocks such as ``population``,
      ratios, prices).
    - ``"last"``: the year's last (non-missing) monthly value (end-of-year stocks,
      cumulative counters such as ``cumulative_output`` or ``land_granted_mu``).
    - ``"flow_total"``: the year's total of a flow. Flows in the trace are *annualised*
      monthly values (the month's flow × 12, unit ``.../year``), so the total over a full
      year is the sum of the twelve monthly flows = the sum of the annualised values / 12
      = their **mean**; ``flow_total`` therefore computes the same number as ``"mean"``.
      It **assumes a full year**: for a year with fewer than 12 months in the data (a run
      that starts or ends mid-year, a trace still being written) the value is the
      annualised rate of the months present, not the partial sum, and a ``UserWarning``
      names those years (the partial sum is ``value * months / 12``).

    Variables without a time dimension (names, codes) are kept as they are; coded
    variables (those with ``flag_meanings``) and non-numeric columns always take the
    year's last value. Attributes (``units``, ``long_name``) are kept.
    """
    if how not in _HOW:
        raise ValueError(f"how must be one of {', '.join(_HOW)}, not {how!r}")
    if isinstance(obj, (pd.Series, pd.DataFrame)):
        return _annual_pandas(obj, how)
    if isinstance(obj, xr.DataArray):
        if "time" not in obj.dims:
            raise ValueError("annual() needs a 'time' dimension")
        if how == "flow_total":
            _warn_partial_years(obj["time"].values)
        r = obj.resample(time=_FREQ)
        categorical = "flag_meanings" in obj.attrs or obj.dtype.kind not in "iuf"
        return r.last(keep_attrs=True) if how == "last" or categorical else r.mean(keep_attrs=True)
    if isinstance(obj, xr.Dataset):
        if "time" not in obj.dims:
            raise ValueError("annual() needs a 'time' dimension")
        if how == "flow_total":
            _warn_partial_years(obj["time"].values)
        timed = [v for v in obj.data_vars if "time" in obj[v].dims]
        numeric = [v for v in timed
                   if obj[v].dtype.kind in "iuf" and "flag_meanings" not in obj[v].attrs and how != "last"]
        rest = [v for v in timed if v not in numeric]
        parts = []
        if numeric:
            parts.append(obj[numeric].resample(time=_FREQ).mean(keep_attrs=True))
        if rest:
            parts.append(obj[rest].resample(time=_FREQ).last(keep_attrs=True))
        if not parts:  # no time series: only the resampled time axis
            out = obj[[]].resample(time=_FREQ).mean()
        else:
            out = parts[0]
            for p in parts[1:]:
                for v in p.data_vars:
                    out[v] = p[v]
        for v in obj.data_vars:
            if v not in timed:
                out[v] = obj[v]
        out = out[list(obj.data_vars)]
        out.attrs = dict(obj.attrs)
        return out
    raise TypeError(f"annual() takes an xarray Dataset/DataArray or a pandas Series/DataFrame, "
                    f"not {type(obj).__name__}")


def by_name(obj, name):
    """Selects counties or parks by name from a county or enclave Dataset/DataArray.

    ``name``: one name (Chinese ``name`` or, for counties, ``name_en``) — the dimension is
    dropped, as with ``.sel(county=code)`` — or a list of names. Raises ``KeyError`` naming
    the unknown names.
    """
    dim = next((d for d in ("county", "enclave") if d in obj.dims), None)
    if dim is None or "name" not in obj.coords:
        raise ValueError("by_name() needs a county or enclave Dataset/DataArray with a 'name' coordinate")
    names = [name] if isinstance(name, str) else list(name)
    labels = []
    columns = [np.asarray(obj.coords[c].values).astype(str) for c in ("name", "name_en") if c in obj.coords]
    for n in names:
        hit = next((np.flatnonzero(col == n) for col in columns if (col == n).any()), None)
        if hit is None:
            raise KeyError(f"no {dim} named {n!r}")
        labels.append(obj[dim].values[hit[0]])
    return obj.sel({dim: labels[0] if isinstance(name, str) else labels})


def compare(traces: Mapping[str, "Trace | str | os.PathLike"], variable: str | Iterable[str], group: str = "province",
            reduce: str | Callable[[xr.DataArray], xr.DataArray] = "sum",
            relative_to: str | None = None) -> pd.DataFrame:
    """Variables across scenarios, aligned by date: a DataFrame indexed by ``time``.

    ``traces`` maps a column label to a :class:`Trace` (or a path, which is opened and
    closed here). ``variable`` is one variable of ``group`` (``"province"`` by default;
    ``"county"`` or ``"enclave"`` work too) — then one column per scenario — or several,
    then the columns are a MultiIndex ``(variable, scenario)``. A variable with more
    dimensions than ``time`` is reduced over them with ``reduce``: ``"sum"`` (default;
    right for totals), ``"mean"``, ``"max"``, ``"min"``, or a callable DataArray ->
    DataArray over ``time`` (e.g. ``lambda da: da.sel(name="磐安县")``). Scenarios with
    different periods are aligned on the date (NaN where a scenario has no data).

    ``relative_to``: the label of one scenario; the result is then every *other*
    scenario minus that one (same units), per variable.
    """
    if group not in _TIME_GROUPS:
        raise ValueError(f"compare() needs a time-series group ({', '.join(_TIME_GROUPS)}), not {group!r}")
    single = isinstance(variable, str)
    variables = [variable] if single else list(variable)
    if not variables:
        raise ValueError("compare() needs at least one variable")
    if relative_to is not None and relative_to not in traces:
        raise KeyError(f"relative_to={relative_to!r} is not one of the scenarios {', '.join(map(repr, traces))}")
    columns = {}
    for label, t in traces.items():
        owned = not isinstance(t, Trace)
        trace = open_trace(t) if owned else t
        try:
            ds = trace.dataset(group)
            for var in variables:
                if var not in ds:
                    raise KeyError(f"{var!r} is not a variable of group {group!r} ({trace.path})")
                da = ds[var]
                if callable(reduce):
                    da = reduce(da)
                else:
                    extra = [d for d in da.dims if d != "time"]
                    if extra:
                        da = getattr(da, reduce)(extra)
                if da.dims != ("time",):
                    raise ValueError(f"{var!r}: reduced to dims {da.dims}, expected ('time',)")
                columns[(var, label)] = pd.Series(da.values, index=pd.DatetimeIndex(da["time"].values, name="time"))
        finally:
            if owned:
                trace.close()
    order = [(v, label) for v in variables for label in traces]
    df = pd.DataFrame({k: columns[k] for k in order})
    df.columns = pd.MultiIndex.from_tuples(order, names=["variable", "scenario"])
    if relative_to is not None:
        parts = {}
        for var in variables:
            base = df[(var, relative_to)]
            for label in traces:
                if label != relative_to:
                    parts[(var, label)] = df[(var, label)] - base
        df = pd.DataFrame(parts)
        df.columns = pd.MultiIndex.from_tuples(list(parts), names=["variable", "scenario"])
    df.index.name = "time"
    if single:
        df = df[variable]
        df.columns.name = "scenario"
    df.attrs.update(variable=variable if single else variables, group=group,
                    relative_to=relative_to or "")
    return df


# -- helpers ---------------------------------------------------------------------------------

class _CheckedArray(H5NetCDFArrayWrapper):
    """The lazily indexed backend array of one variable: reads as xarray's h5netcdf backend
    does, but an error while reading its data (a failed checksum of its chunk index,
    undecodable strings...) becomes a :class:`TraceError` naming the file and the variable;
    xarray's own wrapper lets a bare h5py ``OSError`` through, from deep inside
    ``.values``/``.load()``. Errors after the trace was closed are not damage: a
    ``ValueError`` saying so."""
    __slots__ = ()

    def __init__(self, variable_name, datastore, shape, dtype):
        # As xarray's wrapper, with the shape and dtype its wrapper found (no second lookup).
        self.datastore, self.variable_name, self.shape, self.dtype = datastore, variable_name, shape, dtype

    def _getitem(self, key):
        try:
            return super()._getitem(key)
        except (OSError, ValueError, RuntimeError, KeyError) as e:
            store = self.datastore
            path = getattr(store, "trace_path", None) or store._filename
            name = f"{(store._group or '').strip('/')}/{self.variable_name}".lstrip("/")
            if store.closed_by_trace:
                raise ValueError(f"{path}: trace is closed (reading {name!r})") from None
            what = "checksum failed" if "checksum" in str(e).lower() else "read failed"
            raise TraceError(f"{path}: damaged trace: the data of {name!r} are unreadable, {what} "
                             f"({type(e).__name__}: {e})") from None


class _CheckedStore(H5NetCDFStore):
    """xarray's h5netcdf store whose variables read through :class:`_CheckedArray`."""
    trace_path = None        # the path as the user gave it (set by Trace._open_group)
    closed_by_trace = False  # set by close(): errors reading afterwards are not damage

    def open_store_variable(self, name, var):
        v = super().open_store_variable(name, var)
        return xr.Variable(v.dims, LazilyIndexedArray(_CheckedArray(name, self, v.shape, v.dtype)),
                           v.attrs, v.encoding)

    def close(self, **kwargs):
        self.closed_by_trace = True
        super().close(**kwargs)


def _to_str(v) -> str:
    return v.decode("utf-8") if isinstance(v, (bytes, np.bytes_)) else str(v)


def _to_python(v):
    """Root attribute value -> str / int / float / list (numpy and bytes decoded)."""
    if isinstance(v, (bytes, np.bytes_)):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray):
        if v.ndim == 0 or v.size == 1:
            return _to_python(v.reshape(-1)[0])
        return [_to_python(x) for x in v.tolist()]
    if isinstance(v, np.generic):
        return v.item()
    return v


def _tidy(ds: xr.Dataset, dim: str, variables, static: tuple, booleans: tuple = ()) -> pd.DataFrame:
    """(time, dim)-indexed frame: `static` columns first, then `variables`; flags decoded."""
    if variables is None:
        variables = [v for v in ds.data_vars if ds[v].dims == ("time", dim) and v not in static]
    elif isinstance(variables, str):
        variables = [variables]
    else:
        variables = list(variables)
    unknown = [v for v in variables if v not in ds.data_vars]
    if unknown:
        raise KeyError(f"not in the {dim} group: {', '.join(map(repr, unknown))}")
    times, ids = ds["time"].values, ds[dim].values
    nt, nd = times.size, ids.size
    index = pd.MultiIndex.from_arrays([np.repeat(times, nd), np.tile(ids, nt)], names=["time", dim])
    columns = {}
    for v in [*static, *[v for v in variables if v not in static]]:
        da = ds[v]
        if da.dims == (dim,):
            values = decode_flags(da) if "flag_meanings" in da.attrs else da.values
            values = np.tile(values, nt)
        elif set(da.dims) == {"time", dim}:
            da = da.transpose("time", dim)
            values = (decode_flags(da) if "flag_meanings" in da.attrs else da.values).reshape(-1)
        else:
            raise KeyError(f"{v!r} has dims {da.dims}; a {dim} frame takes (time, {dim}) or ({dim},) variables")
        if v in booleans:
            values = values.astype(bool)
        columns[v] = values
    return pd.DataFrame(columns, index=index)


def _months_per_year(times) -> pd.Series:
    t = pd.DatetimeIndex(times)
    return pd.Series(1, index=t).groupby(t.year).size()


def _warn_partial_years(times) -> None:
    months = _months_per_year(np.unique(np.asarray(times)))
    partial = months[months < 12]
    if len(partial):
        years = ", ".join(f"{y} ({m} months)" for y, m in partial.items())
        warnings.warn(f"flow_total assumes full years; partial: {years} - their value is the annualised "
                      f"rate of the months present (partial sum = value * months / 12)", UserWarning,
                      stacklevel=3)


def _annual_pandas(obj, how: str):
    idx = obj.index
    if isinstance(idx, pd.MultiIndex):
        if "time" not in idx.names:
            raise ValueError("annual() needs a 'time' index level")
        others = [n for n in idx.names if n != "time"]
        grouper = [pd.Grouper(level="time", freq=_FREQ), *others]
        times = idx.get_level_values("time")
    else:
        if not isinstance(idx, pd.DatetimeIndex):
            raise ValueError("annual() needs a DatetimeIndex or a MultiIndex with a 'time' level")
        grouper = pd.Grouper(freq=_FREQ)
        times = idx
    if how == "flow_total":
        _warn_partial_years(times.unique())
    g = obj.groupby(grouper)
    if isinstance(obj, pd.Series):
        numeric = pd.api.types.is_numeric_dtype(obj.dtype) and not pd.api.types.is_bool_dtype(obj.dtype)
        return g.mean() if numeric and how != "last" else g.last()
    numeric = [c for c in obj.columns
               if pd.api.types.is_numeric_dtype(obj[c].dtype) and not pd.api.types.is_bool_dtype(obj[c].dtype)
               and how != "last"]
    rest = [c for c in obj.columns if c not in numeric]
    parts = []
    if numeric:
        parts.append(g[numeric].mean())
    if rest:
        parts.append(g[rest].last())
    out = pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]
    out = out[list(obj.columns)]
    out.attrs = dict(obj.attrs)
    return out
