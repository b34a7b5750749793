// The chunk encodings on synthetic series shaped like container monitoring (synthetic_series.h),
// one benchmark per shape and for the realistic mix: samples per second encoded and decoded,
// bytes per sample of sealed and open chunks, and the open chunk's append time and memory, side
// by side with Prometheus' XOR chunk on the same samples.
//
// Arguments: 0-5 one shape (kAllShapes), 6 the mix, 7 the mix with unaligned timestamps, 8 the
// values of a real kubelet /metrics/cadvisor scrape, each continued for a chunk as a series of
// its kind does (ContinueScrapedValue).

#include <benchmark/benchmark.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "textparse/parser.h"
#include "tsdb/chunkenc/chunk.h"
#include "tsdb/chunkenc/open_chunk.h"
#include "tsdb/chunkenc/synthetic_series.h"
#include "tsdb/chunkenc/xor_reference.h"

namespace argus::tsdb {
namespace {

constexpr int kMixed = 6;
constexpr int kMixedJittered = 7;
constexpr int kCadvisor = 8;
constexpr int kSeriesPerShape = 200;
constexpr int kSeriesInMix = 2000;

struct Corpus {
  std::string name;
  std::vector<SyntheticSeries> series;
  int64_t samples = 0;
};

ScrapedKind KindOf(std::string_view name, model::MetricType type) {
  auto has = [&](std::string_view part) { return name.find(part) != std::string_view::npos; };
  if (has("last_seen")) return ScrapedKind::kClock;
  if (has("spec_") || has("start_time") || has("ulimits") || has("_max")) {
    return ScrapedKind::kConstant;
  }
  if (type == model::MetricType::kCounter || name.ends_with("_total")) return ScrapedKind::kCounter;
  return ScrapedKind::kGauge;
}

// One series per sample line of the real payload; empty when the shared data is absent.
Corpus CadvisorCorpus() {
  Corpus c;
  c.name = "kubelet_cadvisor";
  std::ifstream in(
      std::string(ARGUS_SHARED_DIR) + "/conformance/exposition/kubelet-1.35/metrics/cadvisor",
      std::ios::binary);
  std::string body(std::istreambuf_iterator<char>(in), {});
  auto parser = textparse::NewParser(textparse::Format::kPrometheusText, body);
  model::MetricType type = model::MetricType::kUnknown;
  for (textparse::Entry e; (e = parser->Next()) != textparse::Entry::kEof;) {
    if (e == textparse::Entry::kError) break;
    if (e == textparse::Entry::kType) type = parser->Type();
    if (e != textparse::Entry::kSeries) continue;
    std::string_view series = parser->Series();
    std::string_view name = series.substr(0, series.find('{'));
    c.series.push_back(ContinueScrapedValue(parser->Value(), KindOf(name, type),
                                            kTargetChunkSamples, c.series.size()));
    c.samples += kTargetChunkSamples;
  }
  return c;
}

const Corpus& GetCorpus(int which) {
  static std::vector<Corpus> corpora = [] {
    std::vector<Corpus> all(8);
    all.push_back(CadvisorCorpus());
    for (int i = 0; i < 8; ++i) {
      Corpus& c = all[i];
      bool mixed = i >= kMixed;
      c.name =
          mixed ? (i == kMixed ? "mix" : "mix_jittered") : std::string(ShapeName(kAllShapes[i]));
      int count = mixed ? kSeriesInMix : kSeriesPerShape;
      for (int s = 0; s < count; ++s) {
        SeriesShape shape = mixed ? MixShape(s) : kAllShapes[i];
        c.series.push_back(
            GenerateSeries(shape, kTargetChunkSamples, s,
                           i == kMixedJittered ? Timestamps::kJittered : Timestamps::kAligned));
        c.samples += kTargetChunkSamples;
      }
    }
    return all;
  }();
  return corpora[which];
}

// False, with the benchmark skipped, when the corpus is empty (the shared data is absent).
bool Available(benchmark::State& state, const Corpus& c) {
  if (!c.series.empty()) return true;
  state.SkipWithError("the shared conformance data is not available");
  return false;
}

void Report(benchmark::State& state, const Corpus& c, double bytes) {
  state.SetLabel(c.name);
  state.SetItemsProcessed(state.iterations() * c.samples);
  state.counters["bytes_per_sample"] = bytes / static_cast<double>(c.samples);
}

template <typename Encode>
std::vector<std::string> EncodeAll(const Corpus& c, Encode encode) {
  std::vector<std::string> chunks;
  for (const SyntheticSeries& s : c.series) encode(s, &chunks.emplace_back());
  return chunks;
}

void EncodeSealed(const SyntheticSeries& s, std::string* out) {
  Status status = EncodeChunk(s.t, s.v, out);
  if (!status.ok()) std::abort();
}
void EncodeXor(const SyntheticSeries& s, std::string* out) { EncodeXorChunk(s.t, s.v, out); }

double TotalBytes(const std::vector<std::string>& chunks) {
  double bytes = 0;
  for (const std::string& chunk : chunks) bytes += static_cast<double>(chunk.size());
  return bytes;
}

template <typename Encode>
void BenchEncode(benchmark::State& state, Encode encode) {
  const Corpus& c = GetCorpus(static_cast<int>(state.range(0)));
  if (!Available(state, c)) return;
  std::string out;
  for (auto _ : state) {
    for (const SyntheticSeries& s : c.series) {
      out.clear();
      encode(s, &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  Report(state, c, TotalBytes(EncodeAll(c, encode)));
}

template <typename Encode, typename Decode>
void BenchDecode(benchmark::State& state, Encode encode, Decode decode) {
  const Corpus& c = GetCorpus(static_cast<int>(state.range(0)));
  if (!Available(state, c)) return;
  std::vector<std::string> chunks = EncodeAll(c, encode);
  std::vector<int64_t> t;
  std::vector<double> v;
  for (auto _ : state) {
    for (const std::string& chunk : chunks) {
      decode(chunk, &t, &v);
      benchmark::DoNotOptimize(v.data());
    }
  }
  Report(state, c, TotalBytes(chunks));
}

void BM_Encode(benchmark::State& state) { BenchEncode(state, EncodeSealed); }
void BM_XorEncode(benchmark::State& state) { BenchEncode(state, EncodeXor); }

void BM_Decode(benchmark::State& state) {
  BenchDecode(state, EncodeSealed, [](const std::string& chunk, auto* t, auto* v) {
    if (!DecodeChunk(chunk, t, v).ok()) std::abort();
  });
}
void BM_XorDecode(benchmark::State& state) { BenchDecode(state, EncodeXor, DecodeXorChunk); }

// Walks every sample through the iterator, as a query does.
void BM_Iterate(benchmark::State& state) {
  const Corpus& c = GetCorpus(static_cast<int>(state.range(0)));
  if (!Available(state, c)) return;
  std::vector<std::string> chunks = EncodeAll(c, EncodeSealed);
  ChunkIterator it;
  for (auto _ : state) {
    double sum = 0;
    for (const std::string& chunk : chunks) {
      it.Reset(chunk);
      while (it.Next()) sum += it.v();
    }
    benchmark::DoNotOptimize(sum);
  }
  Report(state, c, TotalBytes(chunks));
}

// Appends every sample to open chunks, one per series; reports the open chunks' memory (object
// and buffer) per sample at 480 samples, and per chunk at 60 and 480.
void BM_OpenAppend(benchmark::State& state) {
  const Corpus& c = GetCorpus(static_cast<int>(state.range(0)));
  if (!Available(state, c)) return;
  for (auto _ : state) {
    for (const SyntheticSeries& s : c.series) {
      OpenChunk chunk;
      for (size_t i = 0; i < s.t.size(); ++i) chunk.Append(s.t[i], s.v[i]);
      benchmark::DoNotOptimize(chunk);
    }
  }
  double bytes_60 = 0;
  double bytes_480 = 0;
  for (const SyntheticSeries& s : c.series) {
    OpenChunk chunk;
    for (size_t i = 0; i < s.t.size(); ++i) {
      chunk.Append(s.t[i], s.v[i]);
      if (i + 1 == 60) bytes_60 += static_cast<double>(chunk.MemoryBytes());
    }
    bytes_480 += static_cast<double>(chunk.MemoryBytes());
  }
  double chunks = static_cast<double>(c.series.size());
  Report(state, c, bytes_480);
  state.counters["chunk_bytes_60"] = bytes_60 / chunks;
  state.counters["chunk_bytes_480"] = bytes_480 / chunks;
  state.counters["ns_per_append"] = benchmark::Counter(
      static_cast<double>(c.samples) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Turns full open chunks into sealed ones, as the head does when it cuts a chunk.
void BM_Seal(benchmark::State& state) {
  const Corpus& c = GetCorpus(static_cast<int>(state.range(0)));
  if (!Available(state, c)) return;
  std::vector<OpenChunk> open(c.series.size());
  for (size_t i = 0; i < c.series.size(); ++i) {
    for (size_t j = 0; j < c.series[i].t.size(); ++j)
      open[i].Append(c.series[i].t[j], c.series[i].v[j]);
  }
  std::string out;
  for (auto _ : state) {
    for (const OpenChunk& chunk : open) {
      out.clear();
      chunk.Seal(&out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  Report(state, c, TotalBytes(EncodeAll(c, EncodeSealed)));
}

BENCHMARK(BM_Encode)->DenseRange(0, kCadvisor);
BENCHMARK(BM_XorEncode)->DenseRange(0, kCadvisor);
BENCHMARK(BM_Decode)->DenseRange(0, kCadvisor);
BENCHMARK(BM_XorDecode)->DenseRange(0, kCadvisor);
BENCHMARK(BM_Iterate)->Arg(kMixed);
BENCHMARK(BM_OpenAppend)->DenseRange(0, kCadvisor);
BENCHMARK(BM_Seal)->Arg(kMixed);

}  // namespace
}  // namespace argus::tsdb

BENCHMARK_MAIN();
