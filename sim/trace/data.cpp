#include "trace/data.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/error.hpp"

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

void read_series(const TraceReader& r, const char* group, SeriesTable& t, const std::vector<TraceVar>& vars,
                 std::size_t width, int steps) {
  describe(t, vars, width);
  for (std::size_t k = 0; k < vars.size(); ++k) {
    std::size_t w = 0;
    auto v = r.series(group, vars[k].name, w);
    if (w != width && !(width == 1 && w == 1))
      throw PathError(r.path() + ": damaged trace: /" + group + "/" + vars[k].name + " has " + std::to_string(w) +
                      " columns, expected " + std::to_string(width));
    v.resize(static_cast<std::size_t>(steps) * width, 0.0);  // a growing file may lag in one variable
    t.data[k] = std::move(v);
  }
}

std::vector<std::int32_t> to_index(const TraceData& d, const std::vector<double>& codes) {
  std::vector<std::int32_t> out;
  for (double c : codes) out.push_back(d.county_index(static_cast<std::int32_t>(c)));
  return out;
}

}  // namespace

TraceData load_trace_data(const std::string& path) {
  TraceReader r(path);
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
  read_series(r, "county", d.county, county_vars(), n, d.steps);
  read_series(r, "enclave", d.enclave, enclave_vars(), ne, d.steps);
  read_series(r, "province", d.province, province_vars(), 1, d.steps);
  const int kind = d.enclave.find("kind");
  for (std::size_t e = 0; e < ne; ++e) {
    const double k = d.steps > 0 && kind >= 0 ? d.enclave.at(kind, 0, e) : 0.0;
    need(k >= 0 && k < kEnclaveKinds, "enclave " + std::to_string(e) + " has kind " + std::to_string(k));
    d.enclave_kind.push_back(static_cast<std::uint8_t>(k));
  }
  // Events and interventions of complete steps only.
  const auto es = r.static_numbers("events", "step"), ek = r.static_numbers("events", "kind"),
             esub = r.static_numbers("events", "subject"), ef = r.static_numbers("events", "from_county"),
             et = r.static_numbers("events", "to_county"), ev = r.static_numbers("events", "value");
  const std::size_t rows = std::min({es.size(), ek.size(), esub.size(), ef.size(), et.size(), ev.size()});
  for (std::size_t i = 0; i < rows && es[i] < d.steps; ++i) {
    need(es[i] >= 0 && ek[i] >= 0 && ek[i] < kEventKinds,
         "event " + std::to_string(i) + " has step " + std::to_string(es[i]) + " and kind " + std::to_string(ek[i]));
    d.events.push_back({static_cast<std::int32_t>(es[i]), static_cast<std::int8_t>(ek[i]),
                        static_cast<std::int32_t>(esub[i]), d.county_index(static_cast<std::int32_t>(ef[i])),
                        d.county_index(static_cast<std::int32_t>(et[i])), ev[i]});
  }
  const auto is = r.static_numbers("interventions", "step"), il = r.static_numbers("interventions", "lever"),
             io = r.static_numbers("interventions", "old_value"), in = r.static_numbers("interventions", "new_value");
  const std::size_t irows = std::min({is.size(), il.size(), io.size(), in.size()});
  d.event_kinds = split_words(event_flag_meanings());
  d.levers = lever_keys();
  for (std::size_t i = 0; i < irows && is[i] < d.steps; ++i) {
    need(is[i] >= 0 && il[i] >= 0 && il[i] < static_cast<double>(d.levers.size()),
         "intervention " + std::to_string(i) + " has step " + std::to_string(is[i]) + " and lever " + std::to_string(il[i]));
    d.interventions.push_back({static_cast<std::int32_t>(is[i]), static_cast<std::int16_t>(il[i]), io[i], in[i]});
  }
  d.checkpoint_steps = r.checkpoint_steps();
  d.parent_month = r.attr_string("parent_month").value_or("");
  return d;
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
