// /api/v1/query_exemplars: the exemplars of the series that a query's selectors match.

#include "api/handlers.h"
#include "api/params.h"
#include "api/response.h"

namespace argus::api {

// Validates as Prometheus does, in its order: start, end, their order, then the query, whose
// parse error is reported as it is rather than as a bad parameter. Argus stores no exemplars, so
// a query with selectors gets an empty list; one without any (`1+1`) gets Prometheus' 204.
void QueryExemplars(const Sources&, const http::Request& req, http::Response* r) {
  auto start = ParseTimeParam("start", req.Param("start"), kMinTime);
  if (!start.ok()) return RespondBadData(r, start.status());
  auto end = ParseTimeParam("end", req.Param("end"), kMaxTime);
  if (!end.ok()) return RespondBadData(r, end.status());
  if (*end < *start) {
    return RespondError(r, ErrorType::kBadData, "end timestamp must not be before start timestamp");
  }
  auto selectors = promql::ExtractSelectors(req.Param("query"));
  if (!selectors.ok()) return RespondBadData(r, selectors.status());
  if (selectors->empty()) {
    r->status = 204;
    r->body.clear();
    return;
  }
  SuccessResponse out(r);
  out.writer().BeginArray();
  out.writer().EndArray();
  out.Finish();
}

}  // namespace argus::api
