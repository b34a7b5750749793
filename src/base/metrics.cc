#include "base/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "base/check.h"

namespace argus {
namespace {

void AppendHelpText(std::string* out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') {
      *out += "\\\\";
    } else if (c == '\n') {
      *out += "\\n";
    } else {
      *out += c;
    }
  }
}

void AppendLabelValue(std::string* out, std::string_view value) {
  for (char c : value) {
    if (c == '\\' || c == '"') {
      *out += '\\';
      *out += c;
    } else if (c == '\n') {
      *out += "\\n";
    } else {
      *out += c;
    }
  }
}

}  // namespace

void AppendFloat(std::string* out, double v) {
  if (std::isnan(v)) {
    *out += "NaN";
  } else if (std::isinf(v)) {
    *out += v > 0 ? "+Inf" : "-Inf";
  } else {
    fmt::format_to(std::back_inserter(*out), "{}", v);
  }
}

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)), counts_(upper_bounds_.size() + 1) {
  CHECK(std::adjacent_find(upper_bounds_.begin(), upper_bounds_.end(),
                           [](double a, double b) { return a >= b; }) == upper_bounds_.end());
  CHECK(std::all_of(upper_bounds_.begin(), upper_bounds_.end(),
                    [](double b) { return std::isfinite(b); }));
}

void Histogram::Observe(double v) {
  // The first bucket whose bound is at or above v; past the bounds (NaN too): +Inf's.
  size_t bucket = std::partition_point(upper_bounds_.begin(), upper_bounds_.end(),
                                       [v](double bound) { return !(bound >= v); }) -
                  upper_bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> cumulative;
  cumulative.reserve(counts_.size());
  uint64_t total = 0;
  for (const std::atomic<uint64_t>& count : counts_) {
    total += count.load(std::memory_order_relaxed);
    cumulative.push_back(total);
  }
  return cumulative;
}

template <typename Metric>
Metric& MetricFamily<Metric>::WithLabels(const std::vector<std::string>& values) {
  CHECK(values.size() == label_names_.size());
  absl::MutexLock lock(&mu_);
  auto& child = children_[values];
  if (!child) {
    if constexpr (std::is_default_constructible_v<Metric>) {
      child = make_ ? make_() : std::make_unique<Metric>();
    } else {
      child = make_();
    }
  }
  return *child;
}

template <typename Metric>
void MetricFamily<Metric>::Remove(const std::vector<std::string>& values) {
  absl::MutexLock lock(&mu_);
  children_.erase(values);
}

template <typename Metric>
void MetricFamily<Metric>::ForEachChild(
    const std::function<void(const std::vector<std::string>&, const Metric&)>& f) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [values, metric] : children_) f(values, *metric);
}

template <typename Metric>
void MetricFamily<Metric>::ForEach(
    const std::function<void(const std::vector<std::string>&, double)>& f) const {
  ForEachChild(
      [&f](const std::vector<std::string>& values, const Metric& m) { f(values, m.Value()); });
}

template class MetricFamily<Counter>;
template class MetricFamily<Gauge>;
// A histogram has no single value: all but ForEach.
template Histogram& MetricFamily<Histogram>::WithLabels(const std::vector<std::string>&);
template void MetricFamily<Histogram>::Remove(const std::vector<std::string>&);
template void MetricFamily<Histogram>::ForEachChild(
    const std::function<void(const std::vector<std::string>&, const Histogram&)>&) const;

namespace {

// One sample `<name><suffix>{<names>="<values>"[,le="<le>"]} <v>`; no braces without labels.
void AppendLabelledSample(std::string* out, std::string_view name, std::string_view suffix,
                          const std::vector<std::string>& names,
                          const std::vector<std::string>& values, double v,
                          const std::string* le = nullptr) {
  *out += name;
  *out += suffix;
  if (!names.empty() || le != nullptr) {
    *out += '{';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) *out += ',';
      *out += names[i];
      *out += "=\"";
      AppendLabelValue(out, values[i]);
      *out += '"';
    }
    if (le != nullptr) {
      if (!values.empty()) *out += ',';
      *out += "le=\"";
      *out += *le;
      *out += '"';
    }
    *out += '}';
  }
  *out += ' ';
  AppendFloat(out, v);
  *out += '\n';
}

void AppendSample(std::string* out, std::string_view name, double v, std::string_view suffix = "") {
  AppendLabelledSample(out, name, suffix, {}, {}, v);
}

template <typename Metric>
void AppendFamily(std::string* out, std::string_view name, const MetricFamily<Metric>& family) {
  family.ForEach([&](const std::vector<std::string>& values, double v) {
    AppendLabelledSample(out, name, "", family.label_names(), values, v);
  });
}

void AppendHistograms(std::string* out, std::string_view name, const HistogramFamily& family) {
  const std::vector<std::string>& names = family.label_names();
  family.ForEachChild([&](const std::vector<std::string>& values, const Histogram& h) {
    std::vector<uint64_t> counts = h.CumulativeCounts();
    std::string le;
    for (size_t i = 0; i < counts.size(); ++i) {
      le.clear();
      if (i < h.upper_bounds().size()) {
        AppendFloat(&le, h.upper_bounds()[i]);
      } else {
        le = "+Inf";
      }
      AppendLabelledSample(out, name, "_bucket", names, values, static_cast<double>(counts[i]),
                           &le);
    }
    AppendLabelledSample(out, name, "_sum", names, values, h.Sum());
    AppendLabelledSample(out, name, "_count", names, values, static_cast<double>(counts.back()));
  });
}

}  // namespace

void MetricsRegistry::Add(std::string name, Entry entry) {
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = entries_.try_emplace(std::move(name), std::move(entry));
  CHECK(inserted);  // Two stages registering one name is a bug.
}

Counter& MetricsRegistry::AddCounter(std::string name, std::string help) {
  auto counter = std::make_unique<Counter>();
  Counter& added = *counter;
  Add(std::move(name),
      {.kind = Kind::kCounter, .help = std::move(help), .counter = std::move(counter)});
  return added;
}

Gauge& MetricsRegistry::AddGauge(std::string name, std::string help) {
  auto gauge = std::make_unique<Gauge>();
  Gauge& added = *gauge;
  Add(std::move(name), {.kind = Kind::kGauge, .help = std::move(help), .gauge = std::move(gauge)});
  return added;
}

Summary& MetricsRegistry::AddSummary(std::string name, std::string help) {
  auto summary = std::make_unique<Summary>();
  Summary& added = *summary;
  Add(std::move(name),
      {.kind = Kind::kSummary, .help = std::move(help), .summary = std::move(summary)});
  return added;
}

CounterFamily& MetricsRegistry::AddCounterFamily(std::string name, std::string help,
                                                 std::vector<std::string> label_names) {
  auto family = std::make_unique<CounterFamily>(std::move(label_names));
  CounterFamily& added = *family;
  Add(std::move(name),
      {.kind = Kind::kCounterFamily, .help = std::move(help), .family = std::move(family)});
  return added;
}

GaugeFamily& MetricsRegistry::AddGaugeFamily(std::string name, std::string help,
                                             std::vector<std::string> label_names) {
  auto family = std::make_unique<GaugeFamily>(std::move(label_names));
  GaugeFamily& added = *family;
  Add(std::move(name),
      {.kind = Kind::kGaugeFamily, .help = std::move(help), .gauge_family = std::move(family)});
  return added;
}

HistogramFamily& MetricsRegistry::AddHistogramFamily(std::string name, std::string help,
                                                     std::vector<std::string> label_names,
                                                     std::vector<double> upper_bounds) {
  auto family = std::make_unique<HistogramFamily>(
      std::move(label_names), [upper_bounds] { return std::make_unique<Histogram>(upper_bounds); });
  HistogramFamily& added = *family;
  Add(std::move(name), {.kind = Kind::kHistogramFamily,
                        .help = std::move(help),
                        .histogram_family = std::move(family)});
  return added;
}

void MetricsRegistry::AddGaugeFunc(std::string name, std::string help,
                                   std::function<double()> read) {
  Add(std::move(name),
      {.kind = Kind::kGaugeFunc, .help = std::move(help), .read = std::move(read)});
}

void MetricsRegistry::AddCounterFunc(std::string name, std::string help,
                                     std::function<double()> read) {
  Add(std::move(name),
      {.kind = Kind::kCounterFunc, .help = std::move(help), .read = std::move(read)});
}

void MetricsRegistry::AddGaugeFamilyFunc(std::string name, std::string help,
                                         std::vector<std::string> label_names,
                                         std::function<std::vector<LabelledValue>()> read) {
  Add(std::move(name), {.kind = Kind::kGaugeFamilyFunc,
                        .help = std::move(help),
                        .label_names = std::move(label_names),
                        .read_family = std::move(read)});
}

void MetricsRegistry::AddInfo(std::string name, std::string help,
                              std::vector<std::string> label_names,
                              std::vector<std::string> label_values) {
  auto family = std::make_unique<CounterFamily>(std::move(label_names));
  family->WithLabels(label_values).Inc();
  Add(std::move(name), {.kind = Kind::kInfo, .help = std::move(help), .family = std::move(family)});
}

void MetricsRegistry::Render(std::string* out) const {
  absl::MutexLock lock(&mu_);
  for (const auto& entry : entries_) {
    const std::string& name = entry.first;  // Not a structured binding: lambdas capture it.
    const Entry& e = entry.second;
    std::string_view type = "gauge";
    if (e.kind == Kind::kCounter || e.kind == Kind::kCounterFamily ||
        e.kind == Kind::kCounterFunc) {
      type = "counter";
    } else if (e.kind == Kind::kSummary) {
      type = "summary";
    } else if (e.kind == Kind::kHistogramFamily) {
      type = "histogram";
    }
    *out += "# HELP ";
    *out += name;
    *out += ' ';
    AppendHelpText(out, e.help);
    *out += "\n# TYPE ";
    *out += name;
    *out += ' ';
    *out += type;
    *out += '\n';
    switch (e.kind) {
      case Kind::kCounter:
        AppendSample(out, name, e.counter->Value());
        break;
      case Kind::kGauge:
        AppendSample(out, name, e.gauge->Value());
        break;
      case Kind::kSummary:
        AppendSample(out, name, e.summary->Sum(), "_sum");
        AppendSample(out, name, static_cast<double>(e.summary->Count()), "_count");
        break;
      case Kind::kGaugeFunc:
      case Kind::kCounterFunc:
        AppendSample(out, name, e.read());
        break;
      case Kind::kCounterFamily:
      case Kind::kInfo:
        AppendFamily(out, name, *e.family);
        break;
      case Kind::kGaugeFamily:
        AppendFamily(out, name, *e.gauge_family);
        break;
      case Kind::kHistogramFamily:
        AppendHistograms(out, name, *e.histogram_family);
        break;
      case Kind::kGaugeFamilyFunc:
        for (const LabelledValue& child : e.read_family()) {
          CHECK(child.label_values.size() == e.label_names.size());
          AppendLabelledSample(out, name, "", e.label_names, child.label_values, child.value);
        }
        break;
    }
  }
}

}  // namespace argus
