#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace argus::http {

// Decodes %XX escapes, and '+' as a space when `plus_is_space` (form and query encoding).
// Returns nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);

// Adds the parameters of a query string or form body ("a=1&b=2&a=3") to `out`. Returns false on a
// malformed escape.
bool ParseQuery(std::string_view query, std::multimap<std::string, std::string>* out);

// Escapes everything but unreserved characters, for building query strings.
std::string QueryEscape(std::string_view in);

// The parts of an http(s) URL that a client needs.
struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // Without brackets for IPv6.
  uint16_t port = 0;   // The scheme's default when absent.
  std::string target;  // Path and query, at least "/".
};

// Parses an absolute http or https URL; nullopt if it is not one.
std::optional<Url> ParseUrl(std::string_view url);

}  // namespace argus::http
