// Tests for trace/writer + trace/reader: a round trip through a real HDF5 file.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "engine/error.hpp"
#include "engine/parallel.hpp"
#include "run/summary.hpp"
#include "trace/reader.hpp"
#include "trace/schema.hpp"
#include "trace/writer.hpp"
#include "model_fixture.hpp"

using namespace feidi;
using feidi::testing::smoke_model;

TEST(Trace, RoundTripEveryVariable) {
  ThreadScope scope(2);
  const Model& m = smoke_model();
  State s = make_initial_state(m);
  const std::string path = std::string(FEIDI_TEST_TMP) + "/roundtrip.h5";
  std::vector<StepRecord> kept;
  {
    const RunInfo info = run_info(feidi::testing::smoke_config(), "smoke.toml", "test", 2);
    TraceWriter w(path, m, s, info);
    for (int i = 0; i < 5; ++i) {
      step(m, s);
      auto rec = w.take_record();
      fill_record(m, s, info.trace, *rec);
      if (i == 3) rec->interventions.push_back({3, 1, 0.5, 0.7});
      kept.push_back(*rec);
      w.push(std::move(rec));
    }
    w.finish(1.0);
  }
  TraceReader r(path);
  EXPECT_EQ(r.steps_written(), 5);
  EXPECT_EQ(r.attr_int("run_completed").value_or(0), 1);
  EXPECT_EQ(r.attr_string("Conventions").value_or(""), "CF-1.8");
  EXPECT_EQ(r.attr_int("seed").value_or(-1), static_cast<std::int64_t>(m.params.run.seed));
  const std::size_t n = m.data.n_counties();
  for (std::size_t v = 0; v < county_vars().size(); ++v) {
    std::size_t w = 0;
    const auto data = r.series("county", county_vars()[v].name, w);
    ASSERT_EQ(w, n);
    for (std::size_t t = 0; t < 5; ++t)
      for (std::size_t c = 0; c < n; ++c) ASSERT_EQ(data[t * n + c], kept[t].county[v * n + c]) << county_vars()[v].name;
  }
  for (std::size_t v = 0; v < province_vars().size(); ++v) {
    std::size_t w = 0;
    const auto data = r.series("province", province_vars()[v].name, w);
    for (std::size_t t = 0; t < 5; ++t) ASSERT_EQ(data[t], kept[t].province[v]) << province_vars()[v].name;
  }
  std::size_t total_events = 0;
  for (const auto& k : kept) total_events += k.events.size();
  EXPECT_EQ(r.dimension("events", "event"), static_cast<std::int64_t>(total_events));
  EXPECT_EQ(r.dimension("interventions", "intervention"), 1);
  const auto names = r.static_strings("county", "name");
  ASSERT_EQ(names.size(), n);
  EXPECT_EQ(names[0], m.data.counties[0].name);
  EXPECT_NE(summary_table(r).find("26 mountain counties"), std::string::npos);
}

// The writer writes records in batches; the steps of a run that pauses (a steered run in the
// viewer) are still published within a quarter of a second, with their events in order.
TEST(Trace, APausedRunIsPublishedSoonInOrder) {
  ThreadScope scope(2);
  const Model& m = smoke_model();
  State s = make_initial_state(m);
  const std::string path = std::string(FEIDI_TEST_TMP) + "/paused.h5";
  const RunInfo info = run_info(feidi::testing::smoke_config(), "smoke.toml", "test", 2);
  TraceWriter w(path, m, s, info);
  std::vector<double> event_steps;
  for (int i = 0; i < 4; ++i) {
    step(m, s);
    auto rec = w.take_record();
    fill_record(m, s, info.trace, *rec);
    event_steps.insert(event_steps.end(), rec->events.size(), static_cast<double>(rec->step));
    w.push(std::move(rec));
  }
  ASSERT_FALSE(event_steps.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // the engine pauses
  {
    TraceReader r(path);  // while the writer still holds the file (SWMR)
    EXPECT_EQ(r.steps_written(), 4);
    EXPECT_EQ(r.static_numbers("events", "step"), event_steps);
  }
  w.finish(1.0);
}

TEST(Trace, BadPathsAreInputErrors) {
  const Model& m = smoke_model();
  EXPECT_THROW(TraceWriter("/nonexistent-dir/x.h5", m, make_initial_state(m), RunInfo{}), PathError);
  EXPECT_THROW(TraceReader("/nonexistent-dir/x.h5"), PathError);
  const std::string not_h5 = std::string(FEIDI_SOURCE_DIR) + "/configs/smoke.toml";
  EXPECT_THROW(TraceReader{not_h5}, PathError);
}

TEST(Trace, SchemaDocumentListsEveryVariable) {
  const auto md = trace_schema_markdown();
  for (const auto* vars : {&county_vars(), &enclave_vars(), &province_vars()})
    for (const auto& v : *vars) EXPECT_NE(md.find(std::string("| `") + v.name + "`"), std::string::npos) << v.name;
}
