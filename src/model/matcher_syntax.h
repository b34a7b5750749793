#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/matcher.h"

namespace argus::model {

// Alertmanager's matcher syntax, as its configuration (`matchers:`, `source_matchers:`, ...),
// its API and amtool write it: a comma-separated list of `name op value`, optionally in braces,
// e.g. `{severity="critical", team=~"db|web"}` or `job!=api`. `op` is one of = != =~ !~; the
// value may be double-quoted (then \" \n \\ are escapes) or bare, and whitespace around each part
// is dropped. A trailing comma is allowed. Commas inside quotes do not split.

// Parses a list of matchers. Fails with kInvalidInput and Alertmanager's words ("bad matcher
// format: foo", "matcher value contains unescaped double quote: ...") or the regex's error.
Result<std::vector<Matcher>> ParseMatchers(std::string_view text);

// Parses exactly one matcher, as ParseMatchers does each of its parts.
Result<Matcher> ParseMatcher(std::string_view text);

}  // namespace argus::model
