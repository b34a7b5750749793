#pragma once

// Go's regexp.Expand, for the places that take Go replacement templates: relabeling's
// `replacement` and `target_label`, and the template function reReplaceAll.

#include <re2/re2.h>

#include <string>
#include <string_view>
#include <vector>

namespace argus::model {

// Appends `tmpl` to `out` with $1, ${1}, $name and ${name} replaced by the groups of a match of
// `re` (`groups[0]` is the whole match), as Go's regexp.Expand does: a name is the longest run of
// word characters; an unknown group or name expands to nothing; $$ is a dollar sign; a `$` that
// starts no valid reference stays as it is.
void ExpandRegexTemplate(const re2::RE2& re, std::string_view tmpl,
                         const std::vector<re2::StringPiece>& groups, std::string* out);

}  // namespace argus::model
