#pragma once

// Go's strconv formatting that templates show: floats as Go prints them and quoted strings.

#include <string>
#include <string_view>

namespace argus::tmpl {

// strconv.FormatFloat(value, format, precision, 64) for format 'e', 'f' or 'g'; precision -1
// gives the shortest text that reads back as the same double.
std::string FormatFloat(double value, char format, int precision);
// strconv.Quote: a double-quoted Go string literal.
std::string Quote(std::string_view s);

}  // namespace argus::tmpl
