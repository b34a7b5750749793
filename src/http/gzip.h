#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace argus::http {

// Decodes a gzip or zlib ("deflate") body into `out`, stopping with kBodyTooLarge as soon as the
// output would pass `limit` bytes (0: no limit), so that a small bomb cannot fill the memory.
// Malformed input is kInvalidInput.
Status Inflate(std::string_view compressed, uint64_t limit, std::string* out);

// `data` compressed in the gzip format.
std::string Gzip(std::string_view data);

}  // namespace argus::http
