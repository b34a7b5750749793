#include "base/metrics.h"

#include <fmt/format.h>

#include <cmath>

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

void AppendSample(std::string* out, std::string_view name, double v, std::string_view suffix = "") {
  *out += name;
  *out += suffix;
  *out += ' ';
  AppendFloat(out, v);
  *out += '\n';
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

template <typename Metric>
Metric& MetricFamily<Metric>::WithLabels(const std::vector<std::string>& values) {
  CHECK(values.size() == label_names_.size());
  absl::MutexLock lock(&mu_);
  auto& child = children_[values];
  if (!child) child = std::make_unique<Metric>();
  return *child;
}

template <typename Metric>
void MetricFamily<Metric>::Remove(const std::vector<std::string>& values) {
  absl::MutexLock lock(&mu_);
  children_.erase(values);
}

template <typename Metric>
void MetricFamily<Metric>::ForEach(
    const std::function<void(const std::vector<std::string>&, double)>& f) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [values, metric] : children_) f(values, metric->Value());
}

template class MetricFamily<Counter>;
template class MetricFamily<Gauge>;

namespace {

template <typename Metric>
void AppendFamily(std::string* out, std::string_view name, const MetricFamily<Metric>& family) {
  family.ForEach([&](const std::vector<std::string>& values, double v) {
    *out += name;
    *out += '{';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) *out += ',';
      *out += family.label_names()[i];
      *out += "=\"";
      AppendLabelValue(out, values[i]);
      *out += '"';
    }
    *out += "} ";
    AppendFloat(out, v);
    *out += '\n';
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
    }
  }
}

}  // namespace argus
