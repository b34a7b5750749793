#pragma once

// Go's fmt and strconv formatting of template Values, for printf/print/println, for printing the
// result of an action, and for the template functions that format numbers.
//
// Supported verbs: %v %s %d %f %F %e %E %g %G %q %x %X %o %b %c %t %U %%, with the flags
// + - # space 0, widths and precisions (also as `*`). A verb that does not fit its argument, a
// missing or an extra argument print as Go prints them ("%!d(string=x)", "%!s(MISSING)",
// "%!(EXTRA int=1)").

#include <span>
#include <string>
#include <string_view>

#include "tmpl/strconv.h"
#include "tmpl/value.h"

namespace argus::tmpl {

// Formatting a list or map stops once the text passes this size, so that a list holding itself
// many times over (which costs little memory, as lists share their elements) cannot make the
// formatter run for ever; the executor then rejects the oversized string (ExecLimits: just over
// its default max_output_bytes).
inline constexpr size_t kMaxFormattedBytes = (4u << 20) + 1;

// fmt.Sprintf.
std::string Sprintf(std::string_view format, std::span<const Value> args);
// fmt.Sprint: operands printed with %v, a space between two operands when neither is a string.
std::string Sprint(std::span<const Value> args);
// fmt.Sprintln: operands printed with %v, separated by spaces, and a newline.
std::string Sprintln(std::span<const Value> args);

// Appends what an action {{ value }} prints: fmt's %v, but "<no value>" for nil.
void AppendPrinted(std::string* out, const Value& value);

}  // namespace argus::tmpl
