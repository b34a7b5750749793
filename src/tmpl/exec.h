#pragma once

// The executor (internal to src/tmpl): walks a parse tree with Go's text/template semantics.

#include <map>
#include <memory>
#include <string>

#include "base/status.h"
#include "tmpl/template.h"
#include "tmpl/tree.h"
#include "tmpl/value.h"

namespace argus::tmpl::internal {

using TreeMap = std::map<std::string, std::shared_ptr<const Tree>, std::less<>>;

// Executes `tree` with `data` as dot and `$`; {{template}} calls resolve in `trees`, function
// calls in `overrides` first, then in `funcs`. All references are borrowed for the call.
Result<std::string> Execute(const Tree& tree, const TreeMap& trees, const FuncMap& funcs,
                            const FuncMap& overrides, const ExecLimits& limits, const Value& data);

}  // namespace argus::tmpl::internal
