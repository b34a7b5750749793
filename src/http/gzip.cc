#include "http/gzip.h"

#include <zlib.h>

namespace argus::http {

Status Inflate(std::string_view compressed, uint64_t limit, std::string* out) {
  z_stream z{};
  // 15 window bits + 32: detect gzip or zlib headers automatically.
  if (inflateInit2(&z, 15 + 32) != Z_OK) return Status::Error("cannot initialise zlib");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  char chunk[64 * 1024];
  int rc = Z_OK;
  Status status;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof(chunk);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      status = Status::Errorf(Status::Code::kInvalidInput, "invalid gzip body: {}",
                              z.msg ? z.msg : "truncated");
      break;
    }
    size_t produced = sizeof(chunk) - z.avail_out;
    if (limit != 0 && out->size() + produced > limit) {
      status =
          Status::Errorf(Status::Code::kLimitExceeded,
                         "body size limit exceeded: more than {} bytes after decompression", limit);
      break;
    }
    out->append(chunk, produced);
    if (rc == Z_OK && produced == 0 && z.avail_in == 0) {
      status = Status::Error("invalid gzip body: truncated", Status::Code::kInvalidInput);
      break;
    }
  }
  inflateEnd(&z);
  return status;
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
