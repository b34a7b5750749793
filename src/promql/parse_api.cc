// The parser's entry points that the HTTP API calls directly.
#include "promql/engine.h"
#include "promql/parser/parser.h"

namespace argus::promql {

Result<std::vector<model::Matcher>> ParseMetricSelector(std::string_view selector) {
  return ParseSeriesSelector(selector);
}

Result<std::string> FormatQuery(std::string_view query) {
  auto expr = ParseExpr(query);
  if (!expr.ok()) return expr.status();
  return Prettify(**expr);
}

Result<std::string> ParseQueryToJson(std::string_view query) {
  auto expr = ParseExpr(query);
  if (!expr.ok()) return expr.status();
  return ToJson(**expr);
}

}  // namespace argus::promql
