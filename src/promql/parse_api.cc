// The parser's entry points that the HTTP API calls directly.
#include "promql/engine.h"
#include "promql/parser/parser.h"

namespace argus::promql {

Result<std::vector<model::Matcher>> ParseMetricSelector(std::string_view selector) {
  return ParseSeriesSelector(selector);
}

namespace {

void AppendSelectors(const Expr& e, std::vector<std::vector<model::Matcher>>* out) {
  if (const auto* vs = e.As<VectorSelector>()) {
    out->push_back(vs->matchers);
  } else if (const auto* ms = e.As<MatrixSelector>()) {
    out->push_back(ms->selector.matchers);
  } else {
    ForEachChild(e, [out](const Expr& child) { AppendSelectors(child, out); });
  }
}

}  // namespace

Result<std::vector<std::vector<model::Matcher>>> ExtractSelectors(std::string_view query) {
  ARGUS_ASSIGN_OR_RETURN(auto expr, ParseExpr(query));
  std::vector<std::vector<model::Matcher>> selectors;
  AppendSelectors(*expr, &selectors);
  return selectors;
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
