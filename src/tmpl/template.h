#pragma once

// Go's text/template language, as Prometheus rule annotations and Alertmanager notification
// templates use it.
//
// A TemplateSet holds named templates: each text given to Parse becomes a template of that name,
// and each {{define "x"}} or {{block "x"}} in it adds (or replaces) template "x", as Go's
// (*Template).Parse does on one shared namespace. Execute runs one of them against a Value
// (tmpl/value.h) and returns its output.
//
//   tmpl::TemplateSet set(tmpl::AlertmanagerFuncs(clock));
//   ARGUS_RETURN_IF_ERROR(set.Parse("default.tmpl", text));
//   ARGUS_ASSIGN_OR_RETURN(std::string title, set.Execute("slack.default.title", data));
//
// Semantics follow Go (pkg.go.dev/text/template): actions, trim markers, if/else if/range/with/
// define/template/block/break/continue, variables, pipelines, Go's truth, Go's built-in functions
// (and or not len index slice print printf println eq ne lt le gt ge html js urlquery call) and
// Go's error messages ("template: NAME:LINE: ..." when parsing, "template: NAME:LINE:COL:
// executing \"NAME\" at <...>: ..." when executing). Hostile templates are bounded: nesting at
// parse time, and nesting, steps and sizes at execution time (ExecLimits); exceeding a bound is an
// error, never a crash or a hang.
//
// Where this differs from Go: only text templates (no html/template escaping, so safeHtml and
// friends return their argument); only the "{{" "}}" delimiters; a field of nil data is nil and
// prints "<no value>" (Go's missingkey=zero, which Prometheus and Alertmanager set) where Go
// would sometimes report a nil pointer.
//
// Functions (FuncMap) get their arguments evaluated, a piped value last; an error they return
// fails the execution with "error calling NAME: MESSAGE". They may run on several threads at once
// when a set is shared.
//
// Thread safety: Parse and the other mutators need exclusive access; the const methods may run
// on many threads at once.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tmpl/value.h"

namespace argus::tmpl {

namespace internal {
struct Tree;
}

// Bounds of one execution; passing one is a kLimitExceeded error.
struct ExecLimits {
  // Nesting of {{template}} calls, control structures and parenthesised pipelines, which bounds
  // the stack (Go bounds only {{template}} calls, at 100000).
  int max_depth = 1000;
  // Nodes and commands evaluated, plus the size of what functions return (a string counts one
  // step per 16 bytes, a list or map one per element): bounds the time.
  int64_t max_steps = 2'000'000;
  // The output, and any one string a function returns: bounds the memory.
  size_t max_output_bytes = 4u << 20;
};

class TemplateSet {
 public:
  // `funcs` adds functions to Go's built-in ones (and may replace them); see funcs_*.h.
  explicit TemplateSet(FuncMap funcs = {});
  // Shares one immutable table of functions, made by WithBuiltins, so that making many sets
  // (one per rule annotation, say) does not copy it each time.
  explicit TemplateSet(std::shared_ptr<const FuncMap> funcs);
  // `funcs` and Go's built-in functions, those of `funcs` winning.
  static std::shared_ptr<const FuncMap> WithBuiltins(FuncMap funcs);

  // Parses `text` as template `name`. On success the text's body becomes template `name` and its
  // definitions join the set; a later definition of a name replaces the earlier one unless its
  // body is only whitespace. On a parse error the set is unchanged and the error reads
  // "template: NAME:LINE: MESSAGE" (kInvalidInput).
  Status Parse(std::string_view name, std::string_view text);
  // Parses `text` as Parse would and reports the same errors, but leaves the set unchanged.
  Status Check(std::string_view name, std::string_view text) const;
  // Reads and parses a file as template <base name of path>, as Go's ParseFiles.
  Status ParseFile(const std::string& path);
  // Parses every file matching the shell pattern, in name order, as Go's ParseGlob; a pattern
  // that matches nothing is a kNotFound error (Alertmanager's `templates:` ignores it).
  Status ParseGlob(const std::string& pattern);

  void set_limits(const ExecLimits& limits) { limits_ = limits; }

  bool Has(std::string_view name) const;
  // The names of the templates, sorted.
  std::vector<std::string> Names() const;

  // Executes template `name` with `data` as dot and `$`. Errors: kNotFound when there is no such
  // template, kInvalidInput for an execution error (the message says where and why),
  // kLimitExceeded when a bound of ExecLimits is passed.
  // `overrides` replace functions of the set for this execution only, as Alertmanager replaces
  // routeLabels per notification; templates can only call names the set's functions have.
  Result<std::string> Execute(std::string_view name, const Value& data,
                              const FuncMap& overrides = {}) const;
  // Parses `text` as an anonymous template that sees this set's templates (its own {{define}}s
  // are visible to it alone) and executes it, as Alertmanager's ExecuteTextString does. Parse
  // errors are returned as from Parse, naming the template `name`.
  Result<std::string> ExecuteText(std::string_view text, const Value& data,
                                  std::string_view name = "") const;

 private:
  using Trees = std::map<std::string, std::shared_ptr<const internal::Tree>, std::less<>>;

  std::shared_ptr<const FuncMap> funcs_;
  Trees trees_;
  ExecLimits limits_;
};

}  // namespace argus::tmpl
