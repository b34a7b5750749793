// /api/v1/series, /api/v1/labels and /api/v1/label/<name>/values.

#include <set>

#include "api/handlers.h"
#include "api/params.h"
#include "api/response.h"
#include "promql/parser/printer_util.h"

namespace argus::api {
namespace {

constexpr std::string_view kTruncated = "results truncated due to limit";

// The parameters the three endpoints share.
struct MetadataQuery {
  size_t limit = 0;
  int64_t start = kMinTime;
  int64_t end = kMaxTime;
  std::vector<std::vector<model::Matcher>> matcher_sets;
};

Result<MetadataQuery> ParseMetadataQuery(const http::Request& req) {
  MetadataQuery q;
  ARGUS_ASSIGN_OR_RETURN(q.limit, ParseLimitParam(req.Param("limit")));
  ARGUS_ASSIGN_OR_RETURN(q.start, ParseTimeParam("start", req.Param("start"), kMinTime));
  ARGUS_ASSIGN_OR_RETURN(q.end, ParseTimeParam("end", req.Param("end"), kMaxTime));
  auto sets = ParseMatchers(req.Params("match[]"));
  if (!sets.ok()) return InvalidParam("match[]", sets.status().message());
  q.matcher_sets = std::move(*sets);
  return q;
}

// Runs `list` once per matcher set (once with none when there are no sets) and returns the sorted
// union, truncated to the limit.
template <typename List>
Result<std::vector<std::string>> Union(const MetadataQuery& q, std::vector<std::string>* warnings,
                                       List list) {
  std::vector<std::string> out;
  if (q.matcher_sets.empty()) {
    ARGUS_ASSIGN_OR_RETURN(out, list(std::span<const model::Matcher>()));
  } else {
    std::set<std::string> merged;
    for (const auto& matchers : q.matcher_sets) {
      ARGUS_ASSIGN_OR_RETURN(std::vector<std::string> some,
                             list(std::span<const model::Matcher>(matchers)));
      merged.insert(std::make_move_iterator(some.begin()), std::make_move_iterator(some.end()));
    }
    out.assign(merged.begin(), merged.end());
  }
  if (q.limit > 0 && out.size() > q.limit) {
    out.resize(q.limit);
    warnings->emplace_back(kTruncated);
  }
  return out;
}

void RespondUnion(Result<std::vector<std::string>> values, const std::vector<std::string>& warnings,
                  http::Response* r) {
  if (!values.ok()) return RespondError(r, ErrorType::kExecution, values.status().message());
  RespondStrings(r, *values, warnings);
}

}  // namespace

void Series(const Sources& s, const http::Request& req, http::Response* r) {
  if (req.Params("match[]").empty()) {
    return RespondError(r, ErrorType::kBadData, "no match[] parameter provided");
  }
  auto q = ParseMetadataQuery(req);
  if (!q.ok()) return RespondBadData(r, q.status());
  auto querier = s.storage->NewQuerier(q->start, q->end);
  // Each set's series come sorted; a set of label sets merges and de-duplicates them.
  std::set<model::Labels> series;
  for (const auto& matchers : q->matcher_sets) {
    auto set = querier->Select(matchers);
    while (set->Next()) series.insert(set->At().labels());
    if (!set->Err().ok()) return RespondError(r, ErrorType::kExecution, set->Err().message());
  }
  std::vector<std::string> warnings;
  if (q->limit > 0 && series.size() > q->limit) warnings.emplace_back(kTruncated);
  SuccessResponse out(r);
  out.writer().BeginArray();
  size_t written = 0;
  for (const auto& labels : series) {
    if (q->limit > 0 && written++ == q->limit) break;
    out.writer().Labels(labels);
  }
  out.writer().EndArray();
  out.Finish(warnings);
}

void LabelNames(const Sources& s, const http::Request& req, http::Response* r) {
  auto q = ParseMetadataQuery(req);
  if (!q.ok()) return RespondBadData(r, q.status());
  auto querier = s.storage->NewQuerier(q->start, q->end);
  std::vector<std::string> warnings;
  auto names = Union(*q, &warnings, [&](std::span<const model::Matcher> matchers) {
    return querier->LabelNames(matchers);
  });
  RespondUnion(std::move(names), warnings, r);
}

void LabelValues(const Sources& s, const http::Request& req, http::Response* r) {
  // The route is /api/v1/label/<name>/values; the server decoded the path.
  constexpr std::string_view kPrefix = "/api/v1/label/", kSuffix = "/values";
  std::string_view path = req.path;
  if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix) ||
      path.size() < kPrefix.size() + kSuffix.size()) {
    r->status = 404;
    r->body = "404 page not found\n";
    return;
  }
  std::string name(path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size()));
  if (!model::IsValidLabelName(name)) {
    return RespondError(r, ErrorType::kBadData, "invalid label name: " + promql::GoQuote(name));
  }
  auto q = ParseMetadataQuery(req);
  if (!q.ok()) return RespondBadData(r, q.status());
  auto querier = s.storage->NewQuerier(q->start, q->end);
  std::vector<std::string> warnings;
  auto values = Union(*q, &warnings, [&](std::span<const model::Matcher> matchers) {
    return querier->LabelValues(name, matchers);
  });
  RespondUnion(std::move(values), warnings, r);
}

}  // namespace argus::api
