#include "textparse/lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace argus::textparse {
namespace {

using model::MetricType;

struct Unit {
  std::string_view name;
  std::string_view base;
};

// The units promlint knows, each with its base unit.
constexpr Unit kUnits[] = {
    {"amperes", "amperes"},    {"bytes", "bytes"},     {"celsius", "celsius"},
    {"grams", "grams"},        {"joules", "joules"},   {"kelvin", "kelvin"},
    {"meters", "meters"},      {"metres", "metres"},   {"seconds", "seconds"},
    {"volts", "volts"},        {"minutes", "seconds"}, {"hours", "seconds"},
    {"days", "seconds"},       {"weeks", "seconds"},   {"kelvins", "kelvin"},
    {"fahrenheit", "celsius"}, {"rankine", "celsius"}, {"inches", "meters"},
    {"yards", "meters"},       {"miles", "meters"},    {"bits", "bytes"},
    {"calories", "joules"},    {"pounds", "grams"},    {"ounces", "grams"},
};

constexpr std::string_view kUnitPrefixes[] = {
    "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo",
    "kibi", "mega", "mibi",  "giga",  "gibi",  "tera", "tebi", "peta",  "pebi",
};

constexpr std::string_view kUnitAbbreviations[] = {
    "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d",
};

// The type names a metric name should not hold, lower case as promlint compares them.
constexpr std::string_view kTypeNames[] = {"counter", "gauge", "summary", "histogram",
                                           "gauge_histogram"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether `name` holds `word` as one of its underscore-separated parts, or ends with it.
bool HasPart(std::string_view name, std::string_view word) {
  std::string part = fmt::format("_{}", word);
  return name.find(part + "_") != std::string_view::npos || name.ends_with(part);
}

bool IsCamelCase(std::string_view s) {
  for (size_t i = 1; i < s.size(); ++i) {
    if (std::islower(static_cast<unsigned char>(s[i - 1])) &&
        std::isupper(static_cast<unsigned char>(s[i]))) {
      return true;
    }
  }
  return false;
}

// The first part of `name` that is a known unit, with or without a prefix.
std::optional<std::pair<std::string, std::string_view>> UnitOf(std::string_view name) {
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = std::min(name.find('_', start), name.size());
    std::string_view part = name.substr(start, end - start);
    for (const Unit& unit : kUnits) {
      if (!part.ends_with(unit.name)) continue;
      std::string_view prefix = part.substr(0, part.size() - unit.name.size());
      if (prefix.empty() || std::find(std::begin(kUnitPrefixes), std::end(kUnitPrefixes), prefix) !=
                                std::end(kUnitPrefixes)) {
        return std::make_pair(std::string(part), unit.base);
      }
    }
    start = end + 1;
  }
  return std::nullopt;
}

class FamilyLinter {
 public:
  FamilyLinter(const MetricFamily& family, std::vector<LintProblem>* out) : f_(family), out_(out) {}

  void Run() {
    if (!f_.has_help) Add("no help text");
    if (auto unit = UnitOf(f_.name); unit && unit->first != unit->second) {
      Add(fmt::format("use base unit \"{}\" instead of \"{}\"", unit->second, unit->first));
    }
    Counter();
    HistogramSummaryReserved();
    std::string lower = Lower(f_.name);
    for (std::string_view type : kTypeNames) {
      if (HasPart(lower, type)) Add(fmt::format("metric name should not include type '{}'", type));
    }
    if (f_.name.find(':') != std::string::npos) Add("metric names should not contain ':'");
    if (IsCamelCase(f_.name)) Add("metric names should be written in 'snake_case' not 'camelCase'");
    ForEachLabel([&](std::string_view label) {
      if (IsCamelCase(label)) Add("label names should be written in 'snake_case' not 'camelCase'");
    });
    for (std::string_view abbreviation : kUnitAbbreviations) {
      if (HasPart(lower, abbreviation)) Add("metric names should not contain abbreviated units");
    }
  }

 private:
  void Add(std::string text) { out_->push_back({f_.name, std::move(text)}); }

  template <typename F>
  void ForEachLabel(F visit) const {
    for (const auto& metric : f_.metrics) {
      for (const std::string& label : metric) visit(label);
    }
  }

  void Counter() {
    bool total = f_.name.ends_with("_total");
    if (f_.type == MetricType::kCounter && !total) {
      Add("counter metrics should have \"_total\" suffix");
    } else if (f_.type != MetricType::kUnknown && f_.type != MetricType::kCounter && total) {
      Add("non-counter metrics should not have \"_total\" suffix");
    }
  }

  void HistogramSummaryReserved() {
    if (f_.type == MetricType::kUnknown) return;
    bool histogram = f_.type == MetricType::kHistogram;
    bool summary = f_.type == MetricType::kSummary;
    if (!histogram && f_.name.ends_with("_bucket")) {
      Add("non-histogram metrics should not have \"_bucket\" suffix");
    }
    if (!histogram && !summary && f_.name.ends_with("_count")) {
      Add("non-histogram and non-summary metrics should not have \"_count\" suffix");
    }
    if (!histogram && !summary && f_.name.ends_with("_sum")) {
      Add("non-histogram and non-summary metrics should not have \"_sum\" suffix");
    }
    ForEachLabel([&](std::string_view label) {
      if (!histogram && label == "le") Add("non-histogram metrics should not have \"le\" label");
      if (!summary && label == "quantile") {
        Add("non-summary metrics should not have \"quantile\" label");
      }
    });
  }

  const MetricFamily& f_;
  std::vector<LintProblem>* out_;
};

}  // namespace

std::vector<LintProblem> Lint(std::span<const MetricFamily> families) {
  std::vector<LintProblem> problems;
  for (const MetricFamily& family : families) FamilyLinter(family, &problems).Run();
  std::stable_sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) {
    return a.metric != b.metric ? a.metric < b.metric : a.text < b.text;
  });
  return problems;
}

}  // namespace argus::textparse
