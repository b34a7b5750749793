// Encoding query results as the API's JSON: the matrix of a dashboard-sized range query (1,428
// series x 1,441 points: a day at 60s) and a vector of 100,000 samples. JsonWriter is compared
// with RapidJSON's Writer doing the same work (RapidJSON lays out the structure and escapes the
// strings; the values and timestamps need Prometheus' own formats either way).

#include <benchmark/benchmark.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <random>

#include "api/json_writer.h"
#include "api/value_json.h"

namespace argus::api {
namespace {

constexpr int kSeries = 1428, kPoints = 1441, kVectorSamples = 100'000;
constexpr int64_t kStart = 1'700'000'000'000, kStep = 60'000;

model::Labels SeriesLabels(int i) {
  return model::Labels{{"__name__", "node_cpu_seconds_total"},
                       {"cpu", std::to_string(i % 64)},
                       {"instance", "node-" + std::to_string(i / 64) + ".example.internal:9100"},
                       {"job", "node"},
                       {"mode", i % 2 ? "user" : "system"}};
}

// Counter-like values with fractions, as rate() and friends return them.
const promql::Matrix& Matrix() {
  static const promql::Matrix m = [] {
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> step(0, 3);
    promql::Matrix m;
    for (int i = 0; i < kSeries; ++i) {
      promql::Series s{SeriesLabels(i), {}};
      double v = 1000 * i;
      for (int p = 0; p < kPoints; ++p) s.points.push_back({kStart + p * kStep, v += step(rng)});
      m.push_back(std::move(s));
    }
    return m;
  }();
  return m;
}

const promql::Vector& Vector() {
  static const promql::Vector v = [] {
    std::mt19937_64 rng(2);
    std::uniform_real_distribution<double> value(0, 1);
    promql::Vector v;
    for (int i = 0; i < kVectorSamples; ++i) v.push_back({SeriesLabels(i), kStart, value(rng)});
    return v;
  }();
  return v;
}

void Report(benchmark::State& state, int64_t points, size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  state.SetItemsProcessed(points * state.iterations());
  state.counters["ns_per_point"] = benchmark::Counter(
      static_cast<double>(points) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_MatrixJsonWriter(benchmark::State& state) {
  const promql::Value value = Matrix();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out;
    out.reserve(64 << 20);
    JsonWriter w(&out);
    WriteQueryData(w, value);
    w.Flush();
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  Report(state, int64_t{kSeries} * kPoints, bytes);
}
BENCHMARK(BM_MatrixJsonWriter)->Unit(benchmark::kMillisecond);

template <typename Writer>
void RapidLabels(Writer& w, const model::Labels& labels) {
  w.StartObject();
  for (const auto& l : labels) {
    w.Key(l.name.data(), static_cast<rapidjson::SizeType>(l.name.size()));
    w.String(l.value.data(), static_cast<rapidjson::SizeType>(l.value.size()));
  }
  w.EndObject();
}

template <typename Writer>
void RapidPoint(Writer& w, int64_t t, double v, std::string* scratch) {
  w.StartArray();
  scratch->clear();
  AppendTimestamp(scratch, t);
  w.RawValue(scratch->data(), scratch->size(), rapidjson::kNumberType);
  scratch->clear();
  AppendSampleValue(scratch, v);
  w.String(scratch->data(), static_cast<rapidjson::SizeType>(scratch->size()));
  w.EndArray();
}

void BM_MatrixRapidJson(benchmark::State& state) {
  const promql::Matrix& m = Matrix();
  size_t bytes = 0;
  std::string scratch;
  for (auto _ : state) {
    rapidjson::StringBuffer buffer(nullptr, 64 << 20);
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("resultType");
    w.String("matrix");
    w.Key("result");
    w.StartArray();
    for (const auto& s : m) {
      w.StartObject();
      w.Key("metric");
      RapidLabels(w, s.metric);
      w.Key("values");
      w.StartArray();
      for (const auto& p : s.points) RapidPoint(w, p.t, p.v, &scratch);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    bytes = buffer.GetSize();
    benchmark::DoNotOptimize(buffer.GetString());
  }
  Report(state, int64_t{kSeries} * kPoints, bytes);
}
BENCHMARK(BM_MatrixRapidJson)->Unit(benchmark::kMillisecond);

void BM_VectorJsonWriter(benchmark::State& state) {
  const promql::Value value = Vector();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out;
    out.reserve(32 << 20);
    JsonWriter w(&out);
    WriteQueryData(w, value);
    w.Flush();
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  Report(state, kVectorSamples, bytes);
}
BENCHMARK(BM_VectorJsonWriter)->Unit(benchmark::kMillisecond);

void BM_VectorRapidJson(benchmark::State& state) {
  const promql::Vector& v = Vector();
  size_t bytes = 0;
  std::string scratch;
  for (auto _ : state) {
    rapidjson::StringBuffer buffer(nullptr, 32 << 20);
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("resultType");
    w.String("vector");
    w.Key("result");
    w.StartArray();
    for (const auto& s : v) {
      w.StartObject();
      w.Key("metric");
      RapidLabels(w, s.metric);
      w.Key("value");
      RapidPoint(w, s.t, s.v, &scratch);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    bytes = buffer.GetSize();
    benchmark::DoNotOptimize(buffer.GetString());
  }
  Report(state, kVectorSamples, bytes);
}
BENCHMARK(BM_VectorRapidJson)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace argus::api

BENCHMARK_MAIN();
