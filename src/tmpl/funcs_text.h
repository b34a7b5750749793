#pragma once

// Template functions that Prometheus and Alertmanager both offer, with the same semantics
// (internal to src/tmpl; the libraries in funcs_prometheus.h and funcs_alertmanager.h list them):
// toUpper, toLower, match, reReplaceAll, safeHtml, humanizeDuration, and the two flavours of
// title. Regular expressions use RE2, whose syntax is Go's regexp syntax.

#include <span>
#include <string>
#include <string_view>

#include "tmpl/value.h"

namespace argus::tmpl::internal {

Result<Value> ToUpperFunc(std::span<const Value> args);
Result<Value> ToLowerFunc(std::span<const Value> args);
// match PATTERN TEXT: whether the unanchored PATTERN matches TEXT (regexp.MatchString).
Result<Value> MatchFunc(std::span<const Value> args);
// reReplaceAll PATTERN REPLACEMENT TEXT: Go's Regexp.ReplaceAllString, $1/${name} expanded.
Result<Value> ReReplaceAllFunc(std::span<const Value> args);
// safeHtml TEXT: TEXT unchanged (text templates do not escape).
Result<Value> SafeHtmlFunc(std::span<const Value> args);
// humanizeDuration SECONDS: "1d 2h 3m 4s", "1.5s", "100ms" (prometheus/common's HumanizeDuration).
Result<Value> HumanizeDurationFunc(std::span<const Value> args);

// Upper-cases the first letter of each word; `lower_rest` lower-cases the word's other letters
// (Alertmanager's title) or keeps them (Prometheus' title). Case mapping is ASCII only.
std::string Title(std::string_view text, bool lower_rest);

// Go's "%.4g" of `v`, the figure of the humanize functions.
std::string FourDigits(double v);

}  // namespace argus::tmpl::internal
