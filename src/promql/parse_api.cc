// The parser's entry points that the HTTP API calls directly.
#include "promql/engine.h"
#include "promql/parser/parser.h"

namespace argus::promql {

Result<std::vector<model::Matcher>> ParseMetricSelector(std::string_view selector) {
  return ParseSeriesSelector(selector);
}

Result<std::string> FormatQuery(std::string_view query) {
  ARGUS_ASSIGN_OR_RETURN(auto expr, ParseExpr(query));
  return Prettify(*expr);
}

Result<std::string> ParseQueryToJson(std::string_view query) {
  ARGUS_ASSIGN_OR_RETURN(auto expr, ParseExpr(query));
  return ToJson(*expr);
}

}  // namespace argus::promql
