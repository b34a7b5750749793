#pragma once

// The checks of a dashboard's queries: variables replaced by sample values, then the PromQL
// parsed. Used by the dashboard reader.

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "base/status.h"
#include "dashboards/dashboard.h"

namespace argus::dashboards {

// A sample value for each variable a query may use, by name (without the '$').
using SampleValues = std::map<std::string, std::string, std::less<>>;

// The built-ins every query may use: $__interval, $__rate_interval, $__range, $__range_s.
SampleValues BuiltinSamples();

// What stands for `variable` when its users are checked: its default, else its first value,
// else for an interval "1m" and for the others a plain word.
std::string SampleValue(const Variable& variable);

// `text` with every $name and ${name} replaced by its sample; a '$' followed by neither a name
// nor a brace (as "$1" in label_replace) is kept. kInvalidInput "unknown variable $name" when a
// name has no sample.
Result<std::string> Substitute(std::string_view text, const SampleValues& samples);

// Checks a panel's query: it parses as PromQL once substituted.
Status CheckExpr(std::string_view expr, const SampleValues& samples);

// Checks a query variable's query: label_values(SELECTOR, LABEL) or label_values(LABEL), its
// selector parsing once substituted and LABEL a label name.
Status CheckVariableQuery(std::string_view query, const SampleValues& samples);

}  // namespace argus::dashboards
