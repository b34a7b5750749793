#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace argus {

// Argus' own metrics, served on /metrics in the Prometheus text format. Stages register what they
// count when they are built and update it on their hot paths without locks; the registry renders
// a consistent-enough snapshot on every scrape of /metrics.

class Counter {
 public:
  void Inc(double d = 1) { value_.fetch_add(d, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double d) { value_.fetch_add(d, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A summary without quantiles: how many values it observed and their sum, exposed as the
// `_count` and `_sum` samples of one summary family (rate of the sum over rate of the count is
// the mean). The two are updated one after the other, so a scrape may see one observation in the
// count and not yet in the sum.
class Summary {
 public:
  void Observe(double v) {
    sum_.fetch_add(v, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
  }
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// A histogram with fixed buckets, as Prometheus' client libraries keep one: how many observed
// values fell at or below each upper bound, and their sum. Exposed in the text format as
// cumulative `_bucket{le="<bound>"}` samples ending with le="+Inf", then `_sum` and `_count`.
// Observe takes no lock; the count is the total of the buckets, so `_count` always equals the
// +Inf bucket, while a scrape may see an observation in its bucket before it is in the sum.
class Histogram {
 public:
  // `upper_bounds` must be finite and strictly ascending; the +Inf bucket is implicit.
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double v);
  const std::vector<double>& upper_bounds() const { return upper_bounds_; }
  // How many values are at or below each upper bound, then (last) how many in all.
  std::vector<uint64_t> CumulativeCounts() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t Count() const { return CumulativeCounts().back(); }

 private:
  const std::vector<double> upper_bounds_;
  std::vector<std::atomic<uint64_t>> counts_;  // Per bucket, not cumulative; the last is +Inf's.
  std::atomic<double> sum_{0};
};

// A metric per combination of label values. Thread-safe; WithLabels takes a lock, so callers on
// hot paths keep the returned reference, which lives as long as the family or until Remove of
// its label values.
template <typename Metric>
class MetricFamily {
 public:
  // `make` makes each child; by default, Metric's default constructor.
  explicit MetricFamily(std::vector<std::string> label_names,
                        std::function<std::unique_ptr<Metric>()> make = nullptr)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}
  // `values` must have one entry per label name.
  Metric& WithLabels(const std::vector<std::string>& values) ABSL_LOCKS_EXCLUDED(mu_);
  // Drops the child of `values` (a rule group that is gone), if there is one; references to it
  // must no longer be used.
  void Remove(const std::vector<std::string>& values) ABSL_LOCKS_EXCLUDED(mu_);
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Calls `f` for every child, in label order.
  void ForEachChild(const std::function<void(const std::vector<std::string>&, const Metric&)>& f)
      const ABSL_LOCKS_EXCLUDED(mu_);
  // Calls `f` with every child's value, in label order. For counters and gauges.
  void ForEach(const std::function<void(const std::vector<std::string>&, double)>& f) const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  std::vector<std::string> label_names_;
  const std::function<std::unique_ptr<Metric>()> make_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_ ABSL_GUARDED_BY(mu_);
};
using CounterFamily = MetricFamily<Counter>;
using GaugeFamily = MetricFamily<Gauge>;
using HistogramFamily = MetricFamily<Histogram>;

// A child of a family whose values are read when rendered: its label values (one per label
// name) and its value.
struct LabelledValue {
  std::vector<std::string> label_values;
  double value = 0;
};

// Holds metrics by name. Registration happens at start-up; rendering and updates may run
// concurrently from any thread. Metrics live as long as the registry.
class MetricsRegistry {
 public:
  Counter& AddCounter(std::string name, std::string help);
  Gauge& AddGauge(std::string name, std::string help);
  Summary& AddSummary(std::string name, std::string help);
  CounterFamily& AddCounterFamily(std::string name, std::string help,
                                  std::vector<std::string> label_names);
  GaugeFamily& AddGaugeFamily(std::string name, std::string help,
                              std::vector<std::string> label_names);
  // A histogram per combination of label values, each with buckets at `upper_bounds` (see
  // Histogram).
  HistogramFamily& AddHistogramFamily(std::string name, std::string help,
                                      std::vector<std::string> label_names,
                                      std::vector<double> upper_bounds);
  // A gauge or counter whose value is read when rendered (process RSS, CPU seconds, ...).
  void AddGaugeFunc(std::string name, std::string help, std::function<double()> read);
  void AddCounterFunc(std::string name, std::string help, std::function<double()> read);
  // A gauge family whose children are read when rendered, all at once (alerts by state, ...):
  // `read` returns each child once.
  void AddGaugeFamilyFunc(std::string name, std::string help, std::vector<std::string> label_names,
                          std::function<std::vector<LabelledValue>()> read);
  // A gauge with the value 1 and constant labels, such as argus_build_info{version="..."}.
  void AddInfo(std::string name, std::string help, std::vector<std::string> label_names,
               std::vector<std::string> label_values);
  // Writes every metric, sorted by name, in the Prometheus text format 0.0.4.
  void Render(std::string* out) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  enum class Kind {
    kCounter,
    kGauge,
    kSummary,
    kCounterFamily,
    kGaugeFamily,
    kHistogramFamily,
    kGaugeFunc,
    kGaugeFamilyFunc,
    kCounterFunc,
    kInfo
  };
  struct Entry {
    Kind kind;
    std::string help;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Summary> summary;
    std::unique_ptr<CounterFamily> family;  // For kCounterFamily and kInfo.
    std::unique_ptr<GaugeFamily> gauge_family;
    std::unique_ptr<HistogramFamily> histogram_family;
    std::function<double()> read;
    std::vector<std::string> label_names;  // For kGaugeFamilyFunc.
    std::function<std::vector<LabelledValue>()> read_family;
  };
  // Registers `entry`, complete: Render may read it as soon as it is in.
  void Add(std::string name, Entry entry) ABSL_LOCKS_EXCLUDED(mu_);

  // Held while rendering, so before the families' locks and whatever the read functions take.
  mutable absl::Mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_ ABSL_GUARDED_BY(mu_);
};

// Formats a float the way Prometheus' text format does: shortest round-trip, +Inf, -Inf, NaN.
void AppendFloat(std::string* out, double v);

}  // namespace argus
