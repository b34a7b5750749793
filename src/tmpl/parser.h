#pragma once

// The parser of the template language (internal to src/tmpl), following Go's text/template/parse:
// the same grammar, the same checks at parse time (functions must exist, variables must be
// declared, {{break}} only inside {{range}}) and the same messages
// ("template: NAME:LINE: function \"x\" not defined").

#include <memory>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tmpl/tree.h"
#include "tmpl/value.h"

namespace argus::tmpl::internal {

struct ParseOutput {
  std::shared_ptr<const Tree> main;                  // The text outside {{define}}s, named `name`.
  std::vector<std::shared_ptr<const Tree>> defined;  // {{define}} and {{block}} bodies.
};

// Parses `text` as template `name`. `funcs` are the functions the text may call.
Result<ParseOutput> Parse(std::string_view name, std::string_view text, const FuncMap& funcs);

// Go's parse.IsEmptyTree: only whitespace text. An empty definition does not replace an
// existing one.
bool IsEmptyTree(const Tree& tree);

}  // namespace argus::tmpl::internal
