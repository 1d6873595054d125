#include "trace/data.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/error.hpp"
#include "engine/hash.hpp"

#include "trace/reader.hpp"
#include "trace/schema.hpp"
#include "trace/writer.hpp"
#include "model/model.hpp"

namespace feidi {

int SeriesTable::find(const std::string& name) const {
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return static_cast<int>(k);
  return -1;
}

int TraceData::county_index(std::int32_t code) const {
  for (std::size_t c = 0; c < county_code.size(); ++c)
    if (county_code[c] == code) return static_cast<int>(c);
  return -1;
}

namespace {

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream is(s);
  for (std::string w; is >> w;) out.push_back(w);
  return out;
}

void describe(SeriesTable& t, const std::vector<TraceVar>& vars, std::size_t width) {
  t.width = width;
  t.names.clear();
  t.units.clear();
  t.long_names.clear();
  for (const auto& v : vars) {
    t.names.emplace_back(v.name);
    t.units.emplace_back(v.units);
    t.long_names.emplace_back(v.long_name);
  }
  t.data.assign(vars.size(), {});
}

// Rows [from, steps_written) of every variable of a group, appended to its columns. Returns
// the rows every variable has (a growing file may lag in one variable: the caller keeps only
// the rows all of them have).
std::size_t read_rows(const TraceReader& r, const char* group, SeriesTable& t, std::size_t from) {
  std::size_t common = static_cast<std::size_t>(-1);
  for (std::size_t k = 0; k < t.names.size(); ++k) {
    std::size_t w = 0;
    auto v = r.series(group, t.names[k], w, from);
    if (w != t.width && !(t.width == 1 && w == 1))
      throw PathError(r.path() + ": damaged trace: /" + group + "/" + t.names[k] + " has " + std::to_string(w) +
                      " columns, expected " + std::to_string(t.width));
    if (t.width > 0) common = std::min(common, v.size() / t.width);  // a group of no slots has every row
    t.data[k].insert(t.data[k].end(), v.begin(), v.end());
  }
  return common;  // SIZE_MAX when the group has no columns: the caller takes the minimum
}

std::vector<std::int32_t> to_index(const TraceData& d, const std::vector<double>& codes) {
  std::vector<std::int32_t> out;
  for (double c : codes) out.push_back(d.county_index(static_cast<std::int32_t>(c)));
  return out;
}

// Appends what the file holds after position `from` (steps, event rows, intervention rows; the
// file's event and intervention rows are in step order) up to step `written`: series rows,
// events and lever changes. `into`'s columns get the same number of rows each: the steps
// every variable has (a growing file may lag in one). Returns that number.
int read_new_rows(const TraceReader& r, TraceData& into, int written, const TracePosition& from) {
  const auto first = static_cast<std::size_t>(from.steps);
  std::size_t before[3];
  SeriesTable* tables[3] = {&into.county, &into.enclave, &into.province};
  const char* groups[3] = {"county", "enclave", "province"};
  std::size_t rows = static_cast<std::size_t>(std::max(0, written - from.steps));
  for (int g = 0; g < 3; ++g) {
    before[g] = tables[g]->data.empty() ? 0 : tables[g]->data[0].size();
    rows = std::min(rows, read_rows(r, groups[g], *tables[g], first));
  }
  for (int g = 0; g < 3; ++g)
    for (auto& v : tables[g]->data) v.resize(std::min(v.size(), before[g] + rows * tables[g]->width));
  const int end = from.steps + static_cast<int>(rows);
  const auto need = [&](bool ok, const std::string& what) {
    if (!ok) throw PathError(r.path() + ": damaged trace: " + what);
  };
  const std::size_t e0 = from.events;
  const auto es = r.static_numbers("events", "step", e0), ek = r.static_numbers("events", "kind", e0),
             esub = r.static_numbers("events", "subject", e0), ef = r.static_numbers("events", "from_county", e0),
             et = r.static_numbers("events", "to_county", e0), ev = r.static_numbers("events", "value", e0);
  const std::size_t erows = std::min({es.size(), ek.size(), esub.size(), ef.size(), et.size(), ev.size()});
  for (std::size_t i = 0; i < erows && es[i] < end; ++i) {
    need(es[i] >= from.steps && ek[i] >= 0 && ek[i] < kEventKinds,
         "event " + std::to_string(e0 + i) + " has step " + std::to_string(es[i]) + " and kind " + std::to_string(ek[i]));
    into.events.push_back({static_cast<std::int32_t>(es[i]), static_cast<std::int8_t>(ek[i]),
                           static_cast<std::int32_t>(esub[i]), into.county_index(static_cast<std::int32_t>(ef[i])),
                           into.county_index(static_cast<std::int32_t>(et[i])), ev[i]});
  }
  const std::size_t i0 = from.interventions;
  const auto is = r.static_numbers("interventions", "step", i0), il = r.static_numbers("interventions", "lever", i0),
             io = r.static_numbers("interventions", "old_value", i0),
             in = r.static_numbers("interventions", "new_value", i0);
  const std::size_t irows = std::min({is.size(), il.size(), io.size(), in.size()});
  for (std::size_t i = 0; i < irows && is[i] < end; ++i) {
    need(is[i] >= from.steps && il[i] >= 0 && il[i] < static_cast<double>(into.levers.size()),
         "intervention " + std::to_string(i0 + i) + " has step " + std::to_string(is[i]) + " and lever " +
             std::to_string(il[i]));
    into.interventions.push_back({static_cast<std::int32_t>(is[i]), static_cast<std::int16_t>(il[i]), io[i], in[i]});
  }
  return static_cast<int>(rows);
}

}  // namespace

TraceData load_trace_data(const std::string& path) { return load_trace_data(TraceReader(path)); }

TraceData load_trace_data(const TraceReader& r) {
  const std::string& path = r.path();
  TraceData d;
  d.path = path;
  d.scenario = r.attr_string("scenario").value_or("?");
  d.title = r.attr_string("title").value_or(d.scenario);
  d.start = YearMonth::parse(r.attr_string("start").value_or("2018-01")).value_or(YearMonth{});
  d.steps = static_cast<int>(r.steps_written());
  d.steps_total = static_cast<int>(r.attr_int("steps_total").value_or(d.steps));
  d.complete = r.attr_int("run_completed").value_or(0) == 1;
  d.config = r.attr_string("config").value_or("");
  for (double c : r.static_numbers("county", "county")) d.county_code.push_back(static_cast<std::int32_t>(c));
  d.county_name = r.static_strings("county", "name");
  d.county_name_en = r.static_strings("county", "name_en");
  d.prefecture = r.static_strings("county", "prefecture");
  d.lon = r.static_numbers("county", "lon");
  d.lat = r.static_numbers("county", "lat");
  for (double x : r.static_numbers("county", "accelerated")) d.accelerated.push_back(x != 0);
  for (double x : r.static_numbers("county", "eco_function")) d.eco_function.push_back(x != 0);
  d.enclave_name = r.static_strings("enclave", "name");
  d.enclave_founded = r.static_strings("enclave", "founded");
  d.enclave_source = to_index(d, r.static_numbers("enclave", "source"));
  d.enclave_host = to_index(d, r.static_numbers("enclave", "host"));
  for (double x : r.static_numbers("enclave", "mode")) d.enclave_mode.push_back(static_cast<std::uint8_t>(x));
  d.enclave_planned_mu = r.static_numbers("enclave", "land_planned_mu");
  const std::size_t n = d.county_code.size(), ne = d.enclave_name.size();
  // Every static variable checked for length and range before the viewer indexes with it.
  const auto need = [&](bool ok, const std::string& what) {
    if (!ok) throw PathError(path + ": damaged trace: " + what);
  };
  need(n > 0, "/county/county is empty");
  need(d.county_name.size() == n && d.county_name_en.size() == n && d.prefecture.size() == n && d.lon.size() == n &&
           d.lat.size() == n && d.accelerated.size() == n && d.eco_function.size() == n,
       "the /county variables differ in length from /county/county");
  for (std::size_t c = 0; c < n; ++c)
    need(std::isfinite(d.lon[c]) && std::isfinite(d.lat[c]) && std::abs(d.lon[c]) <= 180 && std::abs(d.lat[c]) <= 90,
         "county " + std::to_string(d.county_code[c]) + " has no valid lon/lat");
  need(d.enclave_founded.size() == ne && d.enclave_source.size() == ne && d.enclave_host.size() == ne &&
           d.enclave_mode.size() == ne && d.enclave_planned_mu.size() == ne,
       "the /enclave variables differ in length from /enclave/name");
  for (std::size_t e = 0; e < ne; ++e) {
    need(d.enclave_source[e] >= 0 && d.enclave_host[e] >= 0,
         "enclave " + std::to_string(e) + "'s source or host is not a county code of /county/county");
    need(d.enclave_mode[e] < 3, "enclave " + std::to_string(e) + " has mode " + std::to_string(d.enclave_mode[e]));
  }
  describe(d.county, county_vars(), n);
  describe(d.enclave, enclave_vars(), ne);
  describe(d.province, province_vars(), 1);
  d.event_kinds = split_words(event_flag_meanings());
  d.levers = lever_keys();
  d.steps = read_new_rows(r, d, d.steps, TracePosition{});  // the steps every variable has
  const int kind = d.enclave.find("kind");
  for (std::size_t e = 0; e < ne; ++e) {
    const double k = d.steps > 0 && kind >= 0 ? d.enclave.at(kind, 0, e) : 0.0;
    need(k >= 0 && k < kEnclaveKinds, "enclave " + std::to_string(e) + " has kind " + std::to_string(k));
    d.enclave_kind.push_back(static_cast<std::uint8_t>(k));
  }
  d.checkpoint_steps = r.checkpoint_steps();
  d.parent_month = r.attr_string("parent_month").value_or("");
  return d;
}

TracePosition position(const TraceData& d) { return {d.steps, d.events.size(), d.interventions.size()}; }

TraceData rows_layout(const TraceData& d) {
  TraceData l;
  l.path = d.path;
  l.steps_total = d.steps_total;
  l.county_code = d.county_code;  // for the events' county indices
  l.levers = d.levers;
  for (auto [to, of] : {std::pair{&l.county, &d.county}, std::pair{&l.enclave, &d.enclave},
                        std::pair{&l.province, &d.province}}) {
    to->names = of->names;
    to->width = of->width;
    to->data.assign(of->names.size(), {});
  }
  return l;
}

TraceData read_rows_after(const TraceReader& r, const TraceData& statics, const TracePosition& from) {
  const int written = static_cast<int>(r.steps_written());
  if (written < from.steps)
    throw PathError(statics.path + ": the trace has fewer steps (" + std::to_string(written) + ") than were read (" +
                    std::to_string(from.steps) + "): it was replaced; open it again");
  TraceData rows = rows_layout(statics);
  rows.steps = written > from.steps ? read_new_rows(r, rows, written, from) : 0;
  rows.steps_total = static_cast<int>(r.attr_int("steps_total").value_or(statics.steps_total));
  rows.complete = from.steps + rows.steps == written && r.attr_int("run_completed").value_or(0) == 1;
  rows.checkpoint_steps = r.checkpoint_steps();
  return rows;
}

void append_rows(TraceData& d, TraceData&& rows) {
  for (auto [to, of] : {std::pair{&d.county, &rows.county}, std::pair{&d.enclave, &rows.enclave},
                        std::pair{&d.province, &rows.province}})
    for (std::size_t k = 0; k < to->data.size() && k < of->data.size(); ++k)
      to->data[k].insert(to->data[k].end(), of->data[k].begin(), of->data[k].end());
  d.events.insert(d.events.end(), rows.events.begin(), rows.events.end());
  d.interventions.insert(d.interventions.end(), rows.interventions.begin(), rows.interventions.end());
  d.steps += rows.steps;
  d.steps_total = rows.steps_total;
  d.complete = rows.complete;
  d.checkpoint_steps = std::move(rows.checkpoint_steps);
}

void truncate_steps(TraceData& d, int steps) {
  steps = std::clamp(steps, 0, d.steps);
  for (SeriesTable* t : {&d.county, &d.enclave, &d.province})
    for (auto& v : t->data) v.resize(std::min(v.size(), static_cast<std::size_t>(steps) * t->width));
  std::erase_if(d.events, [&](const EventRow& e) { return e.step >= steps; });
  std::erase_if(d.interventions, [&](const InterventionRow& iv) { return iv.step >= steps; });
  std::erase_if(d.checkpoint_steps, [&](std::int32_t k) { return k > steps; });
  d.steps = steps;
  d.complete = false;
}

std::uint64_t content_hash(const TraceData& d) {
  std::uint64_t h = hash_bytes(kHashSeed, &d.steps, sizeof d.steps);
  for (const SeriesTable* t : {&d.county, &d.enclave, &d.province})
    for (const auto& v : t->data) h = hash_bytes(h, v.data(), v.size() * sizeof(double));
  for (const auto& e : d.events) {
    const double row[6] = {static_cast<double>(e.step), static_cast<double>(e.kind), static_cast<double>(e.subject),
                           static_cast<double>(e.from), static_cast<double>(e.to), e.value};
    h = hash_bytes(h, row, sizeof row);
  }
  for (const auto& iv : d.interventions) {
    const double row[4] = {static_cast<double>(iv.step), static_cast<double>(iv.lever), iv.old_value, iv.new_value};
    h = hash_bytes(h, row, sizeof row);
  }
  return h;
}

TraceData trace_data_for(const Model& m) {
  TraceData d;
  const auto& p = m.params;
  d.scenario = p.run.name;
  d.title = p.run.name + (p.run.description.empty() ? "" : " — " + p.run.description);
  d.start = p.run.start;
  d.steps_total = p.steps();
  for (const auto& c : m.data.counties) {
    d.county_code.push_back(c.code);
    d.county_name.push_back(c.name);
    d.county_name_en.push_back(c.name_en);
    d.prefecture.push_back(c.prefecture);
    d.lon.push_back(c.lon);
    d.lat.push_back(c.lat);
    d.accelerated.push_back(c.accelerated);
    d.eco_function.push_back(c.eco_function);
  }
  for (const auto& e : m.data.enclaves) {
    d.enclave_name.push_back(e.name);
    d.enclave_founded.push_back(e.founded.str());
    d.enclave_source.push_back(e.source);
    d.enclave_host.push_back(e.host);
    d.enclave_kind.push_back(static_cast<std::uint8_t>(e.kind));
    d.enclave_mode.push_back(static_cast<std::uint8_t>(mode_of(p, e)));
    d.enclave_planned_mu.push_back(e.planned_mu);
  }
  describe(d.county, county_vars(), m.data.n_counties());
  describe(d.enclave, enclave_vars(), m.data.enclaves.size());
  describe(d.province, province_vars(), 1);
  d.event_kinds = split_words(event_flag_meanings());
  d.levers = lever_keys();
  return d;
}

void append_record(TraceData& d, const StepRecord& rec) {
  auto add = [](SeriesTable& t, const std::vector<double>& flat) {
    for (std::size_t k = 0; k < t.data.size(); ++k)
      t.data[k].insert(t.data[k].end(), flat.begin() + static_cast<std::ptrdiff_t>(k * t.width),
                       flat.begin() + static_cast<std::ptrdiff_t>((k + 1) * t.width));
  };
  add(d.county, rec.county);
  add(d.enclave, rec.enclave);
  add(d.province, rec.province);
  for (const auto& e : rec.events) d.events.push_back({rec.step, static_cast<std::int8_t>(e.kind), e.subject, e.from, e.to, e.value});
  for (const auto& iv : rec.interventions) d.interventions.push_back({iv.step, iv.lever, iv.old_value, iv.new_value});
  d.steps = rec.step + 1;
}

}  // namespace feidi
