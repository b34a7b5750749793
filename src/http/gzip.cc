#include "http/gzip.h"

#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include <algorithm>

namespace argus::http {

Status Inflate(std::string_view compressed, uint64_t limit, std::string* out) {
  // ISA-L's decoder: several times zlib's speed on the scrape path, with the same formats.
  inflate_state state;
  isal_inflate_init(&state);
  bool gzip = compressed.size() >= 2 && static_cast<uint8_t>(compressed[0]) == 0x1f &&
              static_cast<uint8_t>(compressed[1]) == 0x8b;
  state.crc_flag = gzip ? ISAL_GZIP : ISAL_ZLIB;
  state.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(compressed.data()));
  state.avail_in = static_cast<uint32_t>(compressed.size());
  // Decompressed straight into *out, which grows as needed, never past limit + 1 bytes.
  const uint64_t cap = limit == 0 ? UINT32_MAX : std::min<uint64_t>(limit + 1, UINT32_MAX);
  size_t start = out->size();
  size_t produced = 0;
  // A gzip member ends with its decompressed size (mod 2^32): usually the exact room needed.
  uint64_t expected = 8 * compressed.size();
  if (gzip && compressed.size() >= 18) {
    const auto* end = reinterpret_cast<const uint8_t*>(compressed.data() + compressed.size());
    expected = uint64_t{end[-4]} | uint64_t{end[-3]} << 8 | uint64_t{end[-2]} << 16 |
               uint64_t{end[-1]} << 24;
  }
  // Deflate expands at most 1032 times, so a lying trailer cannot make us reserve more.
  expected = std::min<uint64_t>(expected, 1032 * uint64_t{compressed.size()});
  size_t room = std::min<uint64_t>(cap, std::max<uint64_t>(4096, expected + 1));
  for (;;) {
    out->resize(start + room);
    state.next_out = reinterpret_cast<uint8_t*>(out->data() + start + produced);
    state.avail_out = static_cast<uint32_t>(room - produced);
    int rc = isal_inflate(&state);
    produced = room - state.avail_out;
    if (rc < 0) {
      out->resize(start);
      return Status::Errorf(Status::Code::kInvalidInput, "invalid gzip body: {}",
                            rc == ISAL_INCORRECT_CHECKSUM ? "checksum mismatch" : "corrupt data");
    }
    if (limit != 0 && produced > limit) {
      out->resize(start);
      return Status::Errorf(Status::Code::kBodyTooLarge,
                            "body size limit exceeded: more than {} bytes after decompression",
                            limit);
    }
    if (state.block_state == ISAL_BLOCK_FINISH) break;
    if (state.avail_out > 0) {  // Out of input before the end of the stream.
      out->resize(start);
      return Status::Error("invalid gzip body: truncated", Status::Code::kInvalidInput);
    }
    if (room >= cap) {
      out->resize(start);
      return Status::Errorf(Status::Code::kLimitExceeded, "body larger than {} bytes", cap);
    }
    room = std::min<uint64_t>(cap, room * 2);
  }
  out->resize(start + produced);
  return Status::Ok();
}

std::string Gzip(std::string_view data) {
  std::string out;
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  out.resize(deflateBound(&z, data.size()));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace argus::http
