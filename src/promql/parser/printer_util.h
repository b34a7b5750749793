#pragma once

#include <string>
#include <string_view>

#include "model/labels.h"
#include "model/matcher.h"

namespace argus::promql {

// `s` as Go's strconv.Quote writes it: double quotes, backslash escapes for control characters
// and invalid UTF-8, printable UTF-8 kept.
std::string GoQuote(std::string_view s);

// `v` as Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest decimal that reads back as `v`,
// never in exponent form; "+Inf", "-Inf", "NaN".
std::string FormatFloat(double v);

// A matcher in PromQL notation, the label name quoted when it is not a legacy name.
std::string MatcherText(const model::Matcher& m);

}  // namespace argus::promql
