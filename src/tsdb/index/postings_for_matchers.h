#pragma once

#include <memory>
#include <span>

#include "model/matcher.h"
#include "tsdb/index/index_reader.h"
#include "tsdb/index/postings.h"

namespace argus::tsdb {

// The series of `index` whose labels satisfy every one of `matchers`, with Prometheus' semantics:
// a missing label has the value "", so a matcher that matches "" (l="", l!="x", l=~"x|", l!~".+")
// also selects the series without label l; != and !~ are subtracted from the rest. With no
// matcher, or only matchers that match "", the result starts from all series. The PromQL layer
// rejects selectors whose every matcher matches ""; this function is correct for them anyway.
//
// Regex matchers avoid running the regex per value where they can: a literal alternation
// (a|b|c) looks its values up directly, .* and .+ match without a regex, and any other regex
// only visits the values within the range of strings it can match (so foo.* visits foo...).
//
// The returned list reads `index` and must not outlive it; errors of the index come out as its
// Err. Thread-safe as far as `index` is.
std::unique_ptr<Postings> PostingsForMatchers(const IndexReader& index,
                                              std::span<const model::Matcher> matchers);

}  // namespace argus::tsdb
