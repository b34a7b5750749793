#pragma once

// Internal to src/http: the names the Beast-based server and client share. Include only from .cc
// files of this folder; Beast stays out of every public header.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <string>
#include <string_view>

namespace argus::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Boost 1.74's string_view is its own type; the rest of Argus speaks std::string_view.
inline std::string_view ToStd(beast::string_view s) { return {s.data(), s.size()}; }

// A header name in lower case, the form Request and ClientResponse use.
inline std::string LowerCase(beast::string_view name) {
  std::string out(name.data(), name.size());
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace argus::http
