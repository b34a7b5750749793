// Parsing speed on a real kubelet /metrics/cadvisor payload (1.35, 1.4 MB), in bytes per second.

#include <benchmark/benchmark.h>

#include <fstream>
#include <iterator>

#include "textparse/parser.h"

namespace argus::textparse {
namespace {

std::string LoadKubeletPayload() {
  std::ifstream in(
      std::string(ARGUS_SHARED_DIR) + "/conformance/exposition/kubelet-1.35/metrics/cadvisor",
      std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Parse(benchmark::State& state, bool decode_labels) {
  std::string body = LoadKubeletPayload();
  if (body.empty()) {
    state.SkipWithError("the shared conformance data is not available");
    return;
  }
  model::LabelsBuilder labels;
  for (auto _ : state) {
    auto parser = NewParser(Format::kPrometheusText, body);
    double sum = 0;
    for (Entry e; (e = parser->Next()) != Entry::kEof;) {
      if (e != Entry::kSeries) continue;
      if (decode_labels) {
        labels.Reset();
        parser->Labels(&labels);
      }
      sum += parser->Value() + static_cast<double>(parser->TimestampMs().value_or(0));
    }
    benchmark::DoNotOptimize(sum);
    benchmark::DoNotOptimize(labels);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}

void BM_ParseKubeletCadvisorWithLabels(benchmark::State& state) { Parse(state, true); }
void BM_ParseKubeletCadvisorWithoutLabels(benchmark::State& state) { Parse(state, false); }

BENCHMARK(BM_ParseKubeletCadvisorWithLabels);
BENCHMARK(BM_ParseKubeletCadvisorWithoutLabels);

}  // namespace
}  // namespace argus::textparse

BENCHMARK_MAIN();
