#include "tsdb/chunkenc/synthetic_series.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "tsdb/chunkenc/value_mapping.h"

namespace argus::tsdb {
namespace {

// SplitMix64: small, fast and the same on every platform, unlike the std distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9e3779b97f4a7c15 + 0x632be59bd9b4e019) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1p-53; }  // [0, 1)
  bool Chance(double p) { return Uniform() < p; }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  double LogUniform(double lo, double hi) {
    return std::exp(std::log(lo) + Uniform() * (std::log(hi) - std::log(lo)));
  }
  double Normal() {  // Box-Muller.
    double u = 1 - Uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * Uniform());
  }
  int64_t Poisson(double mean) {
    if (mean > 30) return std::max<int64_t>(0, std::llround(mean + std::sqrt(mean) * Normal()));
    double limit = std::exp(-mean);
    int64_t k = 0;
    for (double p = Uniform(); p > limit; p *= Uniform()) ++k;
    return k;
  }

 private:
  uint64_t state_;
};

const double kStaleNaN = std::bit_cast<double>(uint64_t{0x7ff0000000000002});

std::vector<int64_t> ScrapeTimes(Rng& rng, int samples, Timestamps mode) {
  constexpr int64_t kSteps[] = {10'000, 15'000, 30'000, 30'000};
  constexpr int64_t kTolerance = 2;
  int64_t step = kSteps[rng.Below(4)];
  int64_t grid = 1'700'000'000'000 + rng.Below(step);
  std::vector<int64_t> t(samples);
  for (int i = 0; i < samples; ++i) {
    grid += step;
    if (rng.Chance(0.001)) grid += step;  // A missed scrape.
    double delay = -0.3 * std::log(1 - rng.Uniform());
    if (rng.Chance(0.005)) delay += 2 + 28 * rng.Uniform();  // A busy moment.
    int64_t actual = grid + std::llround(delay);
    bool snap =
        mode == Timestamps::kAligned && i > 0 && std::abs(actual - (t[i - 1] + step)) <= kTolerance;
    t[i] = snap ? t[i - 1] + step : std::max(actual, i > 0 ? t[i - 1] + 1 : actual);
  }
  return t;
}

// The seconds between two samples, as the increase of a counter scales with them.
double Seconds(const std::vector<int64_t>& t, int i) {
  return i == 0 ? 0 : static_cast<double>(t[i] - t[i - 1]) / 1000;
}

void CpuSeconds(Rng& rng, const std::vector<int64_t>& t, std::vector<double>* v) {
  double cores = rng.LogUniform(0.001, 4);
  double start = rng.LogUniform(1, 200'000);
  int64_t variant = rng.Below(10);
  // cAdvisor prints nanoseconds / 1e9, the kubelet's summary microseconds; some clients sum
  // float64 seconds, which leaves binary fractions that no power of ten scales.
  double unit = variant < 5 ? 1e9 : variant < 8 ? 1e6 : 0;
  auto ticks = static_cast<int64_t>(start * unit);
  double sum = start;
  for (size_t i = 0; i < t.size(); ++i) {
    double increase =
        cores * Seconds(t, static_cast<int>(i)) * std::max(0.0, 1 + 0.3 * rng.Normal());
    if (unit == 0) {
      sum += increase;
      (*v)[i] = sum;
    } else {
      ticks += std::llround(increase * unit);
      (*v)[i] = static_cast<double>(ticks) / unit;
    }
  }
}

void ByteCounter(Rng& rng, const std::vector<int64_t>& t, std::vector<double>* v) {
  int64_t variant = rng.Below(10);
  // Network bytes, packets or operations, or disk bytes in blocks.
  int64_t unit = variant < 8 ? 1 : variant == 8 ? 4096 : 512;
  double rate = variant < 6 ? rng.LogUniform(10, 1e7) : rng.LogUniform(0.01, 1000) * unit;
  int64_t total = std::llround(rng.LogUniform(1e3, 1e12)) / unit * unit;
  for (size_t i = 0; i < t.size(); ++i) {
    double mean = rate * Seconds(t, static_cast<int>(i)) / unit;
    if (rng.Chance(0.0005)) total = 0;  // The container restarted.
    total +=
        unit * (unit == 1 && mean > 30 ? std::llround(mean * std::max(0.0, 1 + 0.5 * rng.Normal()))
                                       : rng.Poisson(mean));
    (*v)[i] = static_cast<double>(total);
  }
}

void DecimalGauge(Rng& rng, std::vector<double>* v) {
  double spread = rng.LogUniform(0.5, 200);  // In hundredths.
  auto hundredths = std::llround(rng.LogUniform(1, 10'000));
  for (double& x : *v) {
    if (!rng.Chance(0.3))
      hundredths = std::max<int64_t>(0, hundredths + std::llround(spread * rng.Normal()));
    x = static_cast<double>(hundredths) / 100;
  }
}

void MemoryGauge(Rng& rng, std::vector<double>* v) {
  double spread = rng.LogUniform(1, 500);  // In pages.
  auto pages = std::llround(rng.LogUniform(256, 4e6));
  for (double& x : *v) {
    if (!rng.Chance(0.4)) pages = std::max<int64_t>(1, pages + std::llround(spread * rng.Normal()));
    x = static_cast<double>(pages * 4096);
  }
}

void HistogramBucket(Rng& rng, std::vector<double>* v) {
  double per_scrape = rng.LogUniform(0.001, 50);
  auto count = std::llround(rng.LogUniform(1, 1e6));
  for (double& x : *v) {
    count += rng.Poisson(per_scrape);
    x = static_cast<double>(count);
  }
}

void Constant(Rng& rng, std::vector<double>* v) {
  constexpr double kValues[] = {
      0, 0, 0, 0, 1, 1, 1.073741824e9, 2.68435456e8, 100'000, 1024, 1.782468729e9};
  std::fill(v->begin(), v->end(), kValues[rng.Below(std::size(kValues))]);
}

// The step of a scraped value's precision: 4096 for a multiple of pages, else one unit of its
// last decimal; 0 when no decimal scale fits it.
double Precision(double v) {
  if (v != 0 && v == std::floor(v) && std::fmod(v, 4096) == 0) return 4096;
  int64_t unused;
  int scale = MinDecimalScale(v, 0, &unused);
  return scale < 0 ? 0 : 1 / kPowersOfTen[scale];
}

// Rounds x to a multiple of `precision` the way an exporter prints it.
double RoundTo(double x, double precision) {
  if (precision == 0) return x;
  if (precision >= 1) return std::round(x / precision) * precision;
  double inverse = std::round(1 / precision);
  return static_cast<double>(std::llround(x * inverse)) / inverse;
}

}  // namespace

std::string_view ShapeName(SeriesShape shape) {
  switch (shape) {
    case SeriesShape::kCpuSeconds:
      return "cpu_seconds";
    case SeriesShape::kByteCounter:
      return "byte_counter";
    case SeriesShape::kDecimalGauge:
      return "decimal_gauge";
    case SeriesShape::kMemoryGauge:
      return "memory_gauge";
    case SeriesShape::kHistogramBucket:
      return "histogram_bucket";
    case SeriesShape::kConstant:
      return "constant";
  }
  return "unknown";
}

SeriesShape MixShape(uint64_t index) {
  uint64_t percent = Rng(index).Below(100);
  if (percent < 45) return SeriesShape::kConstant;
  if (percent < 60) return SeriesShape::kHistogramBucket;
  if (percent < 75) return SeriesShape::kByteCounter;
  if (percent < 85) return SeriesShape::kMemoryGauge;
  if (percent < 93) return SeriesShape::kCpuSeconds;
  return SeriesShape::kDecimalGauge;
}

SyntheticSeries GenerateSeries(SeriesShape shape, int samples, uint64_t seed,
                               Timestamps timestamps) {
  Rng rng(seed ^ (static_cast<uint64_t>(shape) << 56));
  SyntheticSeries series;
  series.t = ScrapeTimes(rng, samples, timestamps);
  series.v.resize(samples);
  switch (shape) {
    case SeriesShape::kCpuSeconds:
      CpuSeconds(rng, series.t, &series.v);
      break;
    case SeriesShape::kByteCounter:
      ByteCounter(rng, series.t, &series.v);
      break;
    case SeriesShape::kDecimalGauge:
      DecimalGauge(rng, &series.v);
      break;
    case SeriesShape::kMemoryGauge:
      MemoryGauge(rng, &series.v);
      break;
    case SeriesShape::kHistogramBucket:
      HistogramBucket(rng, &series.v);
      break;
    case SeriesShape::kConstant:
      Constant(rng, &series.v);
      break;
  }
  // A target that missed a scrape now and then leaves a staleness marker.
  if (shape != SeriesShape::kConstant) {
    for (double& x : series.v) {
      if (rng.Chance(0.0005)) x = kStaleNaN;
    }
  }
  return series;
}

SyntheticSeries ContinueScrapedValue(double first, ScrapedKind kind, int samples, uint64_t seed) {
  Rng rng(seed);
  SyntheticSeries series;
  series.t = ScrapeTimes(rng, samples, Timestamps::kAligned);
  series.v.resize(samples);
  double precision = Precision(first);
  double rate = first * 1e-4 * rng.LogUniform(0.1, 10);
  double x = first;
  for (int i = 0; i < samples; ++i) {
    switch (kind) {
      case ScrapedKind::kCounter:
        x += RoundTo(rate * std::max(0.0, 1 + 0.5 * rng.Normal()), precision);
        break;
      case ScrapedKind::kGauge:
        if (!rng.Chance(0.4)) x = std::max(0.0, RoundTo(x * (1 + 0.01 * rng.Normal()), precision));
        break;
      case ScrapedKind::kClock:
        x = static_cast<double>(series.t[i] / 1000);
        break;
      case ScrapedKind::kConstant:
        break;
    }
    series.v[i] = x;
  }
  return series;
}

}  // namespace argus::tsdb
