#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/matcher.h"
#include "promql/parser/ast.h"

namespace argus::promql {

// Parses and type-checks a PromQL expression as Prometheus 3.x does. On failure returns
// kInvalidInput with Prometheus' message, position first: `1:5: parse error: unexpected ...`.
// The tree does not refer to `query` after the call.
Result<ExprPtr> ParseExpr(std::string_view query);

// Parses a lone series selector such as `up{job="api"}` or `{"my.metric", a="b"}` (no offset,
// `@` or range) into its matchers, the metric name's one included. An empty selector `{}` is
// accepted: whoever needs a non-empty matcher checks that. Errors as for ParseExpr.
Result<std::vector<model::Matcher>> ParseSeriesSelector(std::string_view selector);

}  // namespace argus::promql
