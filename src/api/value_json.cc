#include "api/value_json.h"

#include <string_view>
#include <utility>
#include <variant>

namespace argus::api {
namespace {

struct ValueWriter {
  JsonWriter& w;

  void operator()(const promql::Scalar& s) const { w.Point(s.t, s.v); }
  void operator()(const promql::String& s) const {
    w.BeginArray();
    w.Timestamp(s.t);
    w.String(s.v);
    w.EndArray();
  }
  void operator()(const promql::Vector& vector) const {
    w.BeginArray();
    for (const auto& sample : vector) {
      w.BeginObject();
      w.Key("metric");
      w.Labels(sample.metric);
      w.Key("value");
      w.Point(sample.t, sample.v);
      w.EndObject();
    }
    w.EndArray();
  }
  void operator()(const promql::Matrix& matrix) const {
    w.BeginArray();
    for (const auto& series : matrix) {
      w.BeginObject();
      w.Key("metric");
      w.Labels(series.metric);
      w.Key("values");
      w.BeginArray();
      for (const auto& p : series.points) w.Point(p.t, p.v);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  }
};

void WriteStats(JsonWriter& w, const promql::QueryStats& stats) {
  w.BeginObject();
  w.Key("timings");
  w.BeginObject();
  const std::pair<std::string_view, double> timings[] = {
      {"evalTotalTime", stats.eval_total_seconds},
      {"resultSortTime", stats.result_sort_seconds},
      {"queryPreparationTime", stats.query_preparation_seconds},
      {"innerEvalTime", stats.inner_eval_seconds},
      {"execQueueTime", stats.exec_queue_seconds},
      {"execTotalTime", stats.exec_total_seconds}};
  for (const auto& [name, seconds] : timings) {
    w.Key(name);
    w.Double(seconds);
  }
  w.EndObject();
  w.Key("samples");
  w.BeginObject();
  if (!stats.samples_per_step.empty()) {
    w.Key("totalQueryableSamplesPerStep");
    w.BeginArray();
    for (size_t i = 0; i < stats.samples_per_step.size(); ++i) {
      // The step's time in seconds as a JSON number, not the string of a sample's time.
      w.BeginArray();
      w.Double(static_cast<double>(stats.start_ms + static_cast<int64_t>(i) * stats.step_ms) /
               1000);
      w.Int(stats.samples_per_step[i]);
      w.EndArray();
    }
    w.EndArray();
  }
  w.Key("totalQueryableSamples");
  w.Int(stats.total_queryable_samples);
  w.Key("peakSamples");
  w.Int(stats.peak_samples);
  w.EndObject();
  w.EndObject();
}

}  // namespace

void WriteQueryData(JsonWriter& w, const promql::Value& value, const promql::QueryStats* stats) {
  w.BeginObject();
  w.Key("resultType");
  w.String(promql::ValueTypeName(value));
  w.Key("result");
  std::visit(ValueWriter{w}, value);
  if (stats != nullptr) {
    w.Key("stats");
    WriteStats(w, *stats);
  }
  w.EndObject();
}

}  // namespace argus::api
