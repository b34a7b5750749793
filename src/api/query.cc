// /api/v1/query, /api/v1/query_range, /api/v1/format_query and /api/v1/parse_query.

#include <algorithm>
#include <variant>

#include "api/handlers.h"
#include "api/params.h"
#include "api/response.h"
#include "api/value_json.h"

namespace argus::api {
namespace {

// Prometheus' cap on the points of one series in a range query: a week at 60s, a year at 1h.
constexpr int64_t kMaxPointsPerSeries = 11000;

// The request's timeout: its `timeout` parameter, capped by --query.timeout.
Result<std::chrono::milliseconds> Timeout(const Sources& s, const http::Request& req) {
  std::string_view text = req.Param("timeout");
  if (text.empty()) return s.query_timeout;
  auto ms = ParseDuration(text);
  if (!ms.ok()) return InvalidParam("timeout", ms.status().message());
  return std::min(s.query_timeout, std::chrono::milliseconds(*ms));
}

// Keeps the first `limit` series of a vector or matrix; true if it dropped any.
bool Truncate(promql::Value* value, size_t limit) {
  return std::visit(
      [limit](auto& v) {
        if constexpr (requires { v.resize(0); }) {
          if (limit == 0 || v.size() <= limit) return false;
          v.resize(limit);
          return true;
        } else {
          return false;
        }
      },
      *value);
}

// Roughly the bytes of the JSON of `value`, so that the body grows once.
size_t EstimateSize(const promql::Value& value) {
  constexpr size_t kPerPoint = 24, kPerSeries = 128;
  if (const auto* m = std::get_if<promql::Matrix>(&value)) {
    size_t n = 0;
    for (const auto& series : *m) n += kPerSeries + kPerPoint * series.points.size();
    return n;
  }
  if (const auto* v = std::get_if<promql::Vector>(&value))
    return v->size() * (kPerSeries + kPerPoint);
  return kPerSeries;
}

void RespondResult(Result<promql::QueryResult> result, size_t limit, http::Response* r) {
  if (!result.ok()) {
    const Status& status = result.status();
    ErrorType type = ErrorTypeOf(status);
    // An invalid query is a bad parameter; evaluation errors are reported as they are.
    std::string message = type == ErrorType::kBadData
                              ? InvalidParam("query", status.message()).message()
                              : status.message();
    RespondError(r, type, message);
    return;
  }
  promql::QueryResult& q = *result;
  if (Truncate(&q.value, limit)) q.warnings.push_back("results truncated due to limit");
  SuccessResponse out(r, EstimateSize(q.value));
  WriteQueryData(out.writer(), q.value, q.stats ? &*q.stats : nullptr);
  out.Finish(q.warnings, q.infos);
}

// As Prometheus 2.42 reads `stats`: any value asks for the totals, "all" for each step's too.
promql::StatsLevel StatsParam(const http::Request& req) {
  std::string_view stats = req.Param("stats");
  if (stats.empty()) return promql::StatsLevel::kNone;
  return stats == "all" ? promql::StatsLevel::kPerStep : promql::StatsLevel::kTotals;
}

bool EngineAvailable(bool available, http::Response* r) {
  if (!available) RespondError(r, ErrorType::kUnavailable, "the query engine is not available");
  return available;
}

}  // namespace

void Query(const Sources& s, const http::Request& req, http::Response* r) {
  auto limit = ParseLimitParam(req.Param("limit"));
  if (!limit.ok()) return RespondBadData(r, limit.status());
  auto t = ParseTimeParam("time", req.Param("time"), s.clock->NowMillis());
  if (!t.ok()) return RespondBadData(r, t.status());
  auto timeout = Timeout(s, req);
  if (!timeout.ok()) return RespondBadData(r, timeout.status());
  if (!EngineAvailable(static_cast<bool>(s.instant_query), r)) return;
  RespondResult(s.instant_query(req.Param("query"), *t, *timeout, StatsParam(req)), *limit, r);
}

void QueryRange(const Sources& s, const http::Request& req, http::Response* r) {
  auto limit = ParseLimitParam(req.Param("limit"));
  if (!limit.ok()) return RespondBadData(r, limit.status());
  auto start = ParseTime(req.Param("start"));
  if (!start.ok()) return RespondBadData(r, InvalidParam("start", start.status().message()));
  auto end = ParseTime(req.Param("end"));
  if (!end.ok()) return RespondBadData(r, InvalidParam("end", end.status().message()));
  if (*end < *start) {
    return RespondBadData(r, InvalidParam("end", "end timestamp must not be before start time"));
  }
  auto step = ParseDuration(req.Param("step"));
  if (!step.ok()) return RespondBadData(r, InvalidParam("step", step.status().message()));
  if (*step <= 0) {
    return RespondBadData(r, InvalidParam("step",
                                          "zero or negative query resolution step widths are not "
                                          "accepted. Try a positive integer"));
  }
  if ((*end - *start) / *step > kMaxPointsPerSeries) {
    return RespondError(r, ErrorType::kBadData,
                        "exceeded maximum resolution of 11,000 points per timeseries. Try "
                        "decreasing the query resolution (?step=XX)");
  }
  auto timeout = Timeout(s, req);
  if (!timeout.ok()) return RespondBadData(r, timeout.status());
  if (!EngineAvailable(static_cast<bool>(s.range_query), r)) return;
  RespondResult(s.range_query(req.Param("query"), *start, *end, *step, *timeout, StatsParam(req)),
                *limit, r);
}

void FormatQuery(const Sources&, const http::Request& req, http::Response* r) {
  auto formatted = promql::FormatQuery(req.Param("query"));
  if (!formatted.ok())
    return RespondBadData(r, InvalidParam("query", formatted.status().message()));
  SuccessResponse out(r);
  out.writer().String(*formatted);
  out.Finish();
}

void ParseQuery(const Sources&, const http::Request& req, http::Response* r) {
  auto tree = promql::ParseQueryToJson(req.Param("query"));
  if (!tree.ok()) return RespondBadData(r, InvalidParam("query", tree.status().message()));
  SuccessResponse out(r);
  out.writer().Raw(*tree);
  out.Finish();
}

}  // namespace argus::api
