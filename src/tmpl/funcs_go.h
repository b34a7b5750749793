#pragma once

// Go's predefined template functions: and, or, not, len, index, slice, print, printf, println,
// eq, ne, lt, le, gt, ge, html, js, urlquery, call. Every TemplateSet has them; `and` and `or`
// are listed here so that templates may name them, but the executor evaluates them itself
// because they evaluate their arguments lazily.
//
// Comparisons follow Go: eq compares its first argument with each of the others; numbers of
// different kinds (an int and a float) do not compare ("incompatible types for comparison").

#include "tmpl/value.h"

namespace argus::tmpl {

FuncMap GoBuiltinFuncs();

// Go's template.HTMLEscapeString, JSEscapeString and url.QueryEscape, for function libraries.
std::string HtmlEscape(std::string_view s);
std::string JsEscape(std::string_view s);
std::string QueryEscape(std::string_view s);

// Checks that a function got `want` arguments: "wrong number of args for NAME: want N got M".
Status CheckArgCount(std::string_view name, std::span<const Value> args, size_t want);
// The string of argument `i`, or an error naming the function and the argument's type.
Result<std::string> StringArg(std::string_view name, std::span<const Value> args, size_t i);

}  // namespace argus::tmpl
