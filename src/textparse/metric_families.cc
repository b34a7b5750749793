#include "textparse/metric_families.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "textparse/lex.h"
#include "textparse/parser.h"
#include "textparse/text_parser.h"

namespace argus::textparse {
namespace {

using model::MetricType;

// A family while it is being read: promtool's parser fixes the type at the first sample
// (untyped when no TYPE came before), after which a TYPE line is an error.
struct FamilyInProgress {
  MetricFamily family;
  bool typed = false;
  // The label sets (without le or quantile) of a histogram's or summary's metrics so far.
  std::set<std::string> groups;
};

std::string_view WithoutSuffix(std::string_view name, std::string_view suffix) {
  return name.size() > suffix.size() && name.ends_with(suffix)
             ? name.substr(0, name.size() - suffix.size())
             : std::string_view();
}

class FamilyReader {
 public:
  explicit FamilyReader(std::string_view document)
      : document_(document), parser_(Format::kPrometheusText, document, /*strict=*/false) {}

  Result<std::vector<MetricFamily>> Run() {
    for (Entry e; (e = parser_.Next()) != Entry::kEof;) {
      switch (e) {
        case Entry::kError:
          return parser_.Err();
        case Entry::kHelp:
          ARGUS_RETURN_IF_ERROR(Help());
          break;
        case Entry::kType:
          ARGUS_RETURN_IF_ERROR(Type());
          break;
        case Entry::kSeries:
          ARGUS_RETURN_IF_ERROR(Sample());
          break;
        default:
          break;
      }
    }
    ARGUS_RETURN_IF_ERROR(CheckLastNewline());
    std::vector<MetricFamily> out;
    for (FamilyInProgress& f : families_) {
      if (!f.family.metrics.empty()) out.push_back(std::move(f.family));
    }
    return out;
  }

 private:
  Status Fail(const char* at, std::string_view message) const {
    Position p = PositionOf(document_, at - document_.data());
    return Status::Errorf(Status::Code::kInvalidInput, "{}:{}: {}", p.line, p.column, message);
  }

  // The family a line names, as promtool finds it: by its name, else a summary or histogram that
  // the name with _sum or _count (or _bucket, for a histogram) cut off names; else a new one.
  FamilyInProgress& FamilyOf(std::string_view name) {
    if (auto it = by_name_.find(name); it != by_name_.end()) return families_[it->second];
    for (std::string_view suffix : {"_count", "_sum", "_bucket"}) {
      std::string_view base = WithoutSuffix(name, suffix);
      auto it = by_name_.find(base);
      if (base.empty() || it == by_name_.end()) continue;
      MetricType type = families_[it->second].family.type;
      if (type == MetricType::kHistogram || (type == MetricType::kSummary && suffix != "_bucket")) {
        return families_[it->second];
      }
    }
    by_name_.emplace(std::string(name), families_.size());
    families_.emplace_back().family.name = std::string(name);
    return families_.back();
  }

  Status Help() {
    // A HELP line without text leaves the family without help, as in promtool.
    if (parser_.Text().empty()) return Status::Ok();
    std::string_view name = parser_.FamilyName();
    ARGUS_RETURN_IF_ERROR(CheckEscapes(RestOfLine(name), "\\n", "the help text"));
    FamilyInProgress& f = FamilyOf(name);
    if (f.family.has_help) {
      return Fail(name.data(), fmt::format("second HELP line for metric family \"{}\"", name));
    }
    f.family.has_help = true;
    return Status::Ok();
  }

  Status Type() {
    std::string_view name = parser_.FamilyName();
    ARGUS_RETURN_IF_ERROR(CheckLineEnd(name.data(), "after the type"));
    FamilyInProgress& f = FamilyOf(name);
    if (f.typed) {
      return Fail(name.data(), fmt::format("second TYPE line for metric family \"{}\", or a TYPE "
                                           "line after its samples",
                                           name));
    }
    f.typed = true;
    f.family.type = parser_.Type();
    return Status::Ok();
  }

  Status Sample() {
    std::string_view series = parser_.Series();
    ARGUS_RETURN_IF_ERROR(CheckLineEnd(series.data(), "after the sample"));
    // Backslashes and newlines in a series' text can only be inside its label values.
    ARGUS_RETURN_IF_ERROR(CheckEscapes(series, "\"\\n", "a label value"));
    if (size_t nl = series.find('\n'); nl != std::string_view::npos) {
      return Fail(series.data() + nl, "a label value holds a newline; write it as \\n");
    }
    FamilyInProgress& f = FamilyOf(parser_.MetricName());
    f.typed = true;
    labels_.Reset();
    parser_.Labels(&labels_);
    for (size_t i = 1; i < labels_.size(); ++i) {  // 0 is the metric name.
      if (labels_[i].name == model::kMetricName) {
        return Fail(series.data(), fmt::format("label name \"{}\" is reserved for the metric name",
                                               model::kMetricName));
      }
    }
    Status valid = CheckSeriesLabels(labels_);
    if (!valid.ok()) return Fail(series.data(), valid.message());

    std::string_view grouped_by = f.family.type == MetricType::kHistogram ? "le"
                                  : f.family.type == MetricType::kSummary ? "quantile"
                                                                          : "";
    std::vector<std::string> names;
    std::vector<std::string> group;
    for (size_t i = 1; i < labels_.size(); ++i) {
      if (labels_[i].name == grouped_by) {
        if (ParseGoFloat(labels_[i].value)) continue;
        return Fail(series.data(), fmt::format("expected a number as the value of label \"{}\", "
                                               "got \"{}\"",
                                               grouped_by, labels_[i].value));
      }
      names.emplace_back(labels_[i].name);
      group.push_back(fmt::format("{}\xff{}", labels_[i].name, labels_[i].value));
    }
    if (!grouped_by.empty()) {
      std::sort(group.begin(), group.end());
      std::string key;
      for (const std::string& g : group) key += g + '\xfe';
      if (!f.groups.insert(std::move(key)).second) return Status::Ok();  // A known metric.
    }
    f.family.metrics.push_back(std::move(names));
    return Status::Ok();
  }

  // The rest of the line after `token`, which lies in the document.
  std::string_view RestOfLine(std::string_view token) const {
    size_t from = token.data() + token.size() - document_.data();
    size_t end = document_.find('\n', from);
    return document_.substr(from, (end == std::string_view::npos ? document_.size() : end) - from);
  }

  // promtool knows only the escapes \\ and \n (and \" in label values); the scrape parser keeps
  // any other backslash as it is.
  Status CheckEscapes(std::string_view raw, std::string_view escapable,
                      std::string_view where) const {
    for (size_t i = raw.find('\\'); i != std::string_view::npos; i = raw.find('\\', i + 2)) {
      if (i + 1 < raw.size() && escapable.find(raw[i + 1]) != std::string_view::npos) continue;
      return Fail(raw.data() + i, fmt::format("invalid escape sequence {} in {}",
                                              Describe(raw.substr(0, i + 2), i), where));
    }
    return Status::Ok();
  }

  // promtool takes blanks at the end of a sample or TYPE line as part of a token that must not be
  // there; the scrape parser skips them.
  Status CheckLineEnd(const char* in_line, std::string_view what) const {
    size_t from = in_line - document_.data();
    size_t end = document_.find('\n', from);
    if (end == std::string_view::npos) end = document_.size();
    size_t last = end;
    while (last > from && (document_[last - 1] == ' ' || document_[last - 1] == '\t')) --last;
    if (last == end) return Status::Ok();
    return Fail(document_.data() + last,
                fmt::format("expected the end of the line {}, got trailing blanks", what));
  }

  // promtool needs every line, the last one too, to end in a newline.
  Status CheckLastNewline() const {
    size_t start = document_.rfind('\n');
    start = start == std::string_view::npos ? 0 : start + 1;
    std::string_view last = document_.substr(start);
    if (last.find_first_not_of(" \t") == std::string_view::npos) return Status::Ok();
    return Fail(document_.data() + document_.size(),
                "expected a newline at the end of the last line, got the end of the input");
  }

  std::string_view document_;
  TextParser parser_;
  model::LabelsBuilder labels_;
  std::vector<FamilyInProgress> families_;
  std::map<std::string, size_t, std::less<>> by_name_;
};

}  // namespace

Result<std::vector<MetricFamily>> ReadMetricFamilies(std::string_view document) {
  return FamilyReader(document).Run();
}

}  // namespace argus::textparse
