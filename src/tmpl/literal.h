#pragma once

// The literals of the template language (internal to src/tmpl), read as Go reads them: quoted
// strings and rune constants (strconv.Unquote) and numbers (ints in any base Go allows, floats).

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "tmpl/value.h"

namespace argus::tmpl::internal {

// Go's strconv.Unquote for "double-quoted" strings and 'runes' (the quotes included).
Result<std::string> UnquoteGo(std::string_view quoted);

// A number token: an int64 when it has no fraction or exponent and fits, else a double.
// Errors read as Go's: illegal number syntax: "0x".
Result<Value> ParseNumber(const std::string& text);

// Appends code point `r` encoded as UTF-8.
void AppendUtf8(std::string* out, uint32_t r);

}  // namespace argus::tmpl::internal
