#include "textparse/openmetrics_validator.h"

#include <fmt/ranges.h>

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "textparse/lex.h"
#include "textparse/text_parser.h"

namespace argus::textparse {
namespace {

using model::MetricType;

// The sample name suffixes each type allows ("" is the family name itself).
std::vector<std::string_view> Suffixes(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return {"_total", "_created"};
    case MetricType::kHistogram:
      return {"_bucket", "_count", "_sum", "_created"};
    case MetricType::kGaugeHistogram:
      return {"_bucket", "_gcount", "_gsum"};
    case MetricType::kSummary:
      return {"", "_count", "_sum", "_created"};
    case MetricType::kInfo:
      return {"_info"};
    default:
      return {""};
  }
}

bool IsHistogram(MetricType t) {
  return t == MetricType::kHistogram || t == MetricType::kGaugeHistogram;
}

// What one label group (the labels without le/quantile) of a histogram has shown so far.
struct HistogramGroup {
  std::optional<double> last_le;
  double last_bucket = 0;
  std::optional<double> inf_bucket;
  bool negative_bucket = false;
  bool past_buckets = false;
  std::optional<double> count;
  std::optional<double> sum;
  bool any = false;
};

struct Family {
  std::string name;
  MetricType type = MetricType::kUnknown;
  bool has_type = false, has_help = false, has_unit = false, has_samples = false;
  std::string unit;
  std::string group;  // The current label group.
  std::set<std::string> closed_groups;
  HistogramGroup histogram;
  std::map<std::string, std::optional<int64_t>> series_timestamps;
};

class Validator {
 public:
  explicit Validator(std::string_view document)
      : document_(document), parser_(Format::kOpenMetrics, document, true) {}

  Status Run() {
    for (Entry e; (e = parser_.Next()) != Entry::kEof;) {
      if (e == Entry::kError) return parser_.Err();
      Status s = e == Entry::kSeries ? Sample() : e == Entry::kComment ? Status::Ok() : Metadata(e);
      if (!s.ok()) return s.Wrap(fmt::format("{}:1", parser_.Line()));
    }
    Position end = PositionOf(document_, document_.size());
    return CloseFamily().Wrap(fmt::format("{}:{}", end.line, end.column));
  }

 private:
  Status Fail(std::string message) {
    return Status::Error(std::move(message), Status::Code::kInvalidInput);
  }

  Status StartFamily(std::string_view name, MetricType type) {
    ARGUS_RETURN_IF_ERROR(CloseFamily());
    if (used_names_.count(std::string(name)) > 0) {
      return Fail(
          fmt::format("metric family \"{}\" clashes with an earlier family or appears "
                      "twice",
                      name));
    }
    family_.emplace();
    family_->name = std::string(name);
    family_->type = type;
    return Status::Ok();
  }

  Status Metadata(Entry e) {
    std::string_view name = parser_.FamilyName();
    if (!family_ || family_->name != name)
      ARGUS_RETURN_IF_ERROR(StartFamily(name, MetricType::kUnknown));
    Family& f = *family_;
    const char* kind = e == Entry::kType ? "TYPE" : e == Entry::kHelp ? "HELP" : "UNIT";
    if (f.has_samples) return Fail(fmt::format("{} for \"{}\" after its samples", kind, name));
    bool* seen = e == Entry::kType ? &f.has_type : e == Entry::kHelp ? &f.has_help : &f.has_unit;
    if (*seen) return Fail(fmt::format("repeated {} for \"{}\"", kind, name));
    *seen = true;
    if (e == Entry::kType) {
      f.type = parser_.Type();
      for (std::string_view suffix : Suffixes(f.type)) {
        if (used_names_.count(f.name + std::string(suffix)) > 0) {
          return Fail(fmt::format("metric family \"{}\" clashes with an earlier family", name));
        }
      }
    } else if (e == Entry::kUnit) {
      f.unit = std::string(parser_.Text());
    }
    if (f.has_unit && !f.unit.empty() && !f.name.ends_with("_" + f.unit)) {
      return Fail(
          fmt::format("metric family \"{}\" does not end in its unit \"_{}\"", name, f.unit));
    }
    if (f.has_unit && (f.type == MetricType::kInfo || f.type == MetricType::kStateset)) {
      return Fail(fmt::format("{} metric family \"{}\" cannot have a unit",
                              model::MetricTypeName(f.type), name));
    }
    return Status::Ok();
  }

  // The suffix of `name` within the current family, or nullopt if it is not one of its samples.
  std::optional<std::string_view> SuffixOf(std::string_view name) const {
    if (!family_ || !name.starts_with(family_->name)) return std::nullopt;
    std::string_view suffix = name.substr(family_->name.size());
    for (std::string_view s : Suffixes(family_->type)) {
      if (s == suffix) return suffix;
    }
    return std::nullopt;
  }

  Status Sample() {
    std::string_view name = parser_.MetricName();
    auto suffix = SuffixOf(name);
    if (!suffix && family_ && name == family_->name) return MisnamedSample(name);
    if (!suffix) {
      ARGUS_RETURN_IF_ERROR(StartFamily(name, MetricType::kUnknown));
      suffix = "";
    }
    Family& f = *family_;
    f.has_samples = true;
    labels_.Reset();
    parser_.Labels(&labels_);
    std::map<std::string, std::string> labels;
    for (size_t i = 1; i < labels_.size(); ++i) {  // 0 is __name__.
      if (!labels.emplace(labels_[i].name, labels_[i].value).second) {
        return Fail(fmt::format("label \"{}\" appears twice", labels_[i].name));
      }
    }
    double v = parser_.Value();
    bool exemplar_allowed = (f.type == MetricType::kCounter && *suffix == "_total") ||
                            (IsHistogram(f.type) && *suffix == "_bucket");
    if (parser_.HasExemplar() && !exemplar_allowed) {
      return Fail(fmt::format("exemplars are not allowed on \"{}\"", name));
    }
    ARGUS_RETURN_IF_ERROR(CheckTimestamp(f, std::string(parser_.Series())));
    ARGUS_RETURN_IF_ERROR(EnterGroup(f, labels));
    return CheckValue(f, *suffix, labels, v);
  }

  // A sample named as its family, whose type gives its samples suffixes: a family declared with
  // its samples' name ("# TYPE a_total counter" for samples "a_total") is the usual cause.
  Status MisnamedSample(std::string_view name) {
    std::vector<std::string> names;
    for (std::string_view s : Suffixes(family_->type)) {
      names.push_back(fmt::format("\"{}{}\"", name, s));
    }
    std::string_view type = model::MetricTypeName(family_->type);
    std::string message = fmt::format("the samples of {} family \"{}\" are named {}, not \"{}\"",
                                      type, name, fmt::join(names, " or "), name);
    for (std::string_view s : Suffixes(family_->type)) {
      if (s.empty() || !name.ends_with(s) || name.size() == s.size()) continue;
      message += fmt::format(
          "; for samples named \"{}\", name the family without \"{}\": \"# TYPE {} {}\"", name, s,
          name.substr(0, name.size() - s.size()), type);
      break;
    }
    return Fail(std::move(message));
  }

  Status CheckTimestamp(Family& f, const std::string& series) {
    auto ts = parser_.TimestampMs();
    auto [it, first] = f.series_timestamps.try_emplace(series, ts);
    if (first) return Status::Ok();
    if (!it->second || !ts) {
      return Fail("a series repeated without timestamps on every sample");
    }
    if (*ts < *it->second) return Fail("timestamps of a series must not go backwards");
    it->second = ts;
    return Status::Ok();
  }

  Status EnterGroup(Family& f, std::map<std::string, std::string> labels) {
    labels.erase(IsHistogram(f.type) ? "le" : f.type == MetricType::kSummary ? "quantile" : "");
    std::string key;
    for (const auto& [n, v] : labels) key += n + "=" + v + ",";
    if (key == f.group) return Status::Ok();
    ARGUS_RETURN_IF_ERROR(CloseGroup(f));
    if (!f.closed_groups.insert(key).second) {
      return Fail(
          fmt::format("the samples of \"{}\" with labels {{{}}} are not together", f.name, key));
    }
    f.group = key;
    f.histogram = {};
    return Status::Ok();
  }

  static bool Negative(double v) { return std::isnan(v) || v < 0; }

  Status CheckValue(Family& f, std::string_view suffix,
                    const std::map<std::string, std::string>& labels, double v) {
    auto label = [&](const char* n) -> const std::string* {
      auto it = labels.find(n);
      return it == labels.end() ? nullptr : &it->second;
    };
    switch (f.type) {
      case MetricType::kCounter:
        if (suffix == "_total" && Negative(v)) return Fail("counter values must be >= 0");
        return Status::Ok();
      case MetricType::kInfo:
        if (v != 1) return Fail("info values must be 1");
        return Status::Ok();
      case MetricType::kStateset:
        if (!label(f.name.c_str()))
          return Fail(fmt::format("stateset needs a label \"{}\"", f.name));
        if (v != 0 && v != 1) return Fail("stateset values must be 0 or 1");
        return Status::Ok();
      case MetricType::kSummary:
        if (suffix.empty()) {
          const std::string* q = label("quantile");
          auto qv = q ? ParseGoFloat(*q) : std::nullopt;
          if (!q || !IsOpenMetricsNumber(*q, false) || !qv || *qv < 0 || *qv > 1) {
            return Fail("summary quantiles need a quantile label between 0 and 1");
          }
          if (v < 0) return Fail("summary quantile values must not be negative");
        } else if (Negative(v)) {
          return Fail(fmt::format("summary {} must be >= 0", suffix));
        }
        return Status::Ok();
      case MetricType::kHistogram:
      case MetricType::kGaugeHistogram:
        return CheckHistogram(f, suffix, label("le"), v);
      default:
        return Status::Ok();
    }
  }

  Status CheckHistogram(Family& f, std::string_view suffix, const std::string* le, double v) {
    HistogramGroup& h = f.histogram;
    h.any = true;
    if (suffix == "_bucket") {
      if (h.past_buckets) return Fail("buckets must come before _count and _sum");
      if (le == nullptr) return Fail("histogram buckets need an le label");
      auto bound = ParseGoFloat(*le);
      if (!bound || !(IsOpenMetricsNumber(*le, false) || *le == "+Inf")) {
        return Fail(fmt::format("invalid le \"{}\"", *le));
      }
      if (h.last_le && *bound <= *h.last_le) return Fail("buckets must be in increasing le order");
      if (Negative(v)) return Fail("bucket values must be >= 0");
      if (h.last_le && v < h.last_bucket) return Fail("bucket values must not decrease");
      h.last_le = *bound;
      h.last_bucket = v;
      if (*bound < 0) h.negative_bucket = true;
      if (std::isinf(*bound)) h.inf_bucket = v;
      return Status::Ok();
    }
    if (suffix == "_created") return Status::Ok();
    h.past_buckets = true;
    if (std::isnan(v)) return Fail(fmt::format("histogram {} must not be NaN", suffix));
    if (suffix == "_count" || suffix == "_gcount") {
      if (v < 0) return Fail(fmt::format("histogram {} must be >= 0", suffix));
      h.count = v;
    } else {
      h.sum = v;
    }
    return Status::Ok();
  }

  Status CloseGroup(Family& f) {
    const HistogramGroup& h = f.histogram;
    if (!IsHistogram(f.type) || !h.any) return Status::Ok();
    if (!h.inf_bucket) return Fail(fmt::format("histogram \"{}\" has no +Inf bucket", f.name));
    if (h.count.has_value() != h.sum.has_value()) {
      return Fail(
          fmt::format("histogram \"{}\" needs both or neither of its count and sum", f.name));
    }
    if (h.count && *h.count != *h.inf_bucket) {
      return Fail(fmt::format("histogram \"{}\" count differs from its +Inf bucket", f.name));
    }
    if (h.sum && f.type == MetricType::kHistogram && h.negative_bucket) {
      return Fail(fmt::format("histogram \"{}\" with negative buckets cannot have a sum", f.name));
    }
    if (h.sum && *h.sum < 0 && !h.negative_bucket) {
      return Fail(
          fmt::format("histogram \"{}\" sum must be >= 0 without negative buckets", f.name));
    }
    return Status::Ok();
  }

  Status CloseFamily() {
    if (!family_) return Status::Ok();
    ARGUS_RETURN_IF_ERROR(CloseGroup(*family_));
    used_names_.insert(family_->name);
    for (std::string_view suffix : Suffixes(family_->type)) {
      used_names_.insert(family_->name + std::string(suffix));
    }
    family_.reset();
    return Status::Ok();
  }

  std::string_view document_;
  TextParser parser_;
  model::LabelsBuilder labels_;
  std::optional<Family> family_;
  std::set<std::string> used_names_;  // Names of earlier families and their samples.
};

}  // namespace

Status ValidateOpenMetrics(std::string_view document) { return Validator(document).Run(); }

}  // namespace argus::textparse
