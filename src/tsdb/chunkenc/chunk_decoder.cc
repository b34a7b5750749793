// DecodeChunk and ChunkIterator: the sealed format's decoder. Layout in docs/format/chunks.md.
// Every field is checked before use; the output arrays double as scratch space.

#include <algorithm>

#include "tsdb/chunkenc/chunk.h"
#include "tsdb/chunkenc/chunk_layout.h"
#include "tsdb/chunkenc/residual_stream.h"
#include "tsdb/chunkenc/value_mapping.h"

namespace argus::tsdb {
namespace {

Status DecodeTimestamps(ByteReader* in, std::span<int64_t> t) {
  int64_t first;
  if (!in->ReadZvarint(&first)) return Corruption(*in, "truncated or malformed first timestamp");
  t[0] = first;
  if (t.size() == 1) return Status::Ok();
  ARGUS_RETURN_IF_ERROR(ReadStream(in, t.subspan(1)));
  // The deltas become timestamps; each must be positive and must not pass the int64 range.
  auto previous = static_cast<uint64_t>(first);
  bool increasing = true;
  for (size_t i = 1; i < t.size(); ++i) {
    auto delta = static_cast<uint64_t>(t[i]);
    increasing &= delta != 0 && delta <= static_cast<uint64_t>(INT64_MAX) - previous;
    previous += delta;
    t[i] = static_cast<int64_t>(previous);
  }
  if (!increasing) {
    return Status::Error("timestamps that do not strictly increase", Status::Code::kCorruption);
  }
  return Status::Ok();
}

// Rebuilds the integers of a transform of `order` in place (v holds their bits, x0 and the first
// delta d1 come from the header) and converts them with `to_value`.
template <typename ToValue>
void Reconstruct(int order, int64_t x0, int64_t d1, std::span<double> v, ToValue to_value) {
  auto bits = [](double d) { return std::bit_cast<uint64_t>(d); };
  if (order == 0) {
    for (double& slot : v) slot = to_value(bits(slot));
    return;
  }
  auto x = static_cast<uint64_t>(x0);
  v[0] = to_value(x);
  if (order == 1) {
    for (size_t i = 1; i < v.size(); ++i) {
      x += bits(v[i]);
      v[i] = to_value(x);
    }
    return;
  }
  auto d = static_cast<uint64_t>(d1);
  x += d;
  v[1] = to_value(x);
  for (size_t i = 2; i < v.size(); ++i) {
    d += bits(v[i]);
    x += d;
    v[i] = to_value(x);
  }
}

Status ReadExceptions(ByteReader* in, std::span<double> v) {
  uint64_t count;
  if (!in->ReadUvarint(&count)) return Corruption(*in, "truncated or malformed exception count");
  if (count >= v.size()) return Corruption(*in, "more exceptions than values");
  uint64_t next = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t gap;
    uint64_t raw;
    if (!in->ReadUvarint(&gap) || !in->ReadFixed64(&raw)) {
      return Corruption(*in, "truncated or malformed exception");
    }
    if (gap >= v.size() - next) return Corruption(*in, "exception index out of range");
    next += gap;
    v[next++] = std::bit_cast<double>(raw);
  }
  return Status::Ok();
}

Status DecodeValues(ByteReader* in, std::span<double> v) {
  uint8_t header;
  if (!in->ReadByte(&header)) return Corruption(*in, "truncated values header");
  auto kind = static_cast<ValueKind>(header & 3);
  int order = (header >> 2) & 3;
  if ((header >> 4) != 0 || (header & 3) == 3 || order == 3 ||
      (kind == ValueKind::kConstant && order != 0)) {
    return Corruption(*in, fmt::format("unknown values header 0x{:02x}", header));
  }
  if (kind == ValueKind::kConstant) {
    uint64_t raw;
    if (!in->ReadFixed64(&raw)) return Corruption(*in, "truncated constant value");
    std::fill(v.begin(), v.end(), std::bit_cast<double>(raw));
    return Status::Ok();
  }
  uint8_t scale = 0;
  if (kind == ValueKind::kDecimal) {
    if (!in->ReadByte(&scale)) return Corruption(*in, "truncated decimal scale");
    if (scale > kMaxDecimalScale) return Corruption(*in, fmt::format("decimal scale {}", scale));
  }
  if (static_cast<size_t>(order) >= v.size()) {
    return Corruption(*in, fmt::format("order {} for {} values", order, v.size()));
  }
  int64_t x0 = 0;
  int64_t d1 = 0;
  if ((order >= 1 && !in->ReadZvarint(&x0)) || (order == 2 && !in->ReadZvarint(&d1))) {
    return Corruption(*in, "truncated or malformed first values");
  }
  ARGUS_RETURN_IF_ERROR(ReadStream(in, v.subspan(order)));
  if (kind == ValueKind::kFloatBits) {
    Reconstruct(order, x0, d1, v,
                [](uint64_t x) { return OrderedToFloat(static_cast<int64_t>(x)); });
    return Status::Ok();
  }
  if (scale == 0) {
    Reconstruct(order, x0, d1, v,
                [](uint64_t x) { return static_cast<double>(static_cast<int64_t>(x)); });
  } else {
    double divisor = kPowersOfTen[scale];
    Reconstruct(order, x0, d1, v, [divisor](uint64_t x) {
      return static_cast<double>(static_cast<int64_t>(x)) / divisor;
    });
  }
  return ReadExceptions(in, v);
}

}  // namespace

Status DecodeChunk(std::string_view chunk, std::vector<int64_t>* t, std::vector<double>* v) {
  auto* begin = reinterpret_cast<const uint8_t*>(chunk.data());
  ByteReader in(begin, begin + chunk.size());
  uint8_t encoding;
  if (!in.ReadByte(&encoding)) return Corruption(in, "empty chunk");
  if (encoding != static_cast<uint8_t>(ChunkEncoding::kRice)) {
    return Status::Errorf(Status::Code::kCorruption, "unknown chunk encoding 0x{:02x}", encoding);
  }
  uint64_t n;
  if (!in.ReadUvarint(&n)) return Corruption(in, "truncated or malformed sample count");
  if (n == 0 || n > kMaxChunkSamples) {
    return Corruption(in, fmt::format("sample count {} out of range", n));
  }
  t->resize(n);
  v->resize(n);
  Status status = DecodeTimestamps(&in, *t);
  if (!status.ok()) return status.Wrap("chunk timestamps");
  status = DecodeValues(&in, *v);
  if (!status.ok()) return status.Wrap("chunk values");
  if (!in.at_end()) {
    return Corruption(in, fmt::format("{} trailing bytes", chunk.size() - in.offset()));
  }
  return Status::Ok();
}

Status CheckChunkHeader(std::string_view chunk, int num_samples, int64_t min_time) {
  auto* begin = reinterpret_cast<const uint8_t*>(chunk.data());
  ByteReader in(begin, begin + chunk.size());
  uint8_t encoding;
  uint64_t n;
  int64_t t0;
  if (!in.ReadByte(&encoding) || encoding != static_cast<uint8_t>(ChunkEncoding::kRice)) {
    return Corruption(in, "missing or unknown chunk encoding");
  }
  if (!in.ReadUvarint(&n) || n != static_cast<uint64_t>(num_samples)) {
    return Corruption(in, fmt::format("sample count is not the {} expected", num_samples));
  }
  if (!in.ReadZvarint(&t0) || t0 != min_time) {
    return Corruption(in, fmt::format("first timestamp is not the {} expected", min_time));
  }
  return Status::Ok();
}

void ChunkIterator::Reset(std::string_view chunk) {
  chunk_ = chunk;
  decoded_ = false;
  started_ = false;
  pos_ = 0;
  err_ = Status::Ok();
}

bool ChunkIterator::EnsureDecoded() {
  if (!decoded_) {
    decoded_ = true;
    err_ = DecodeChunk(chunk_, &t_, &v_);
    if (!err_.ok()) {
      t_.clear();
      v_.clear();
    }
  }
  return err_.ok();
}

bool ChunkIterator::Next() {
  if (!EnsureDecoded()) return false;
  if (!started_) {
    started_ = true;
  } else if (pos_ < t_.size()) {
    ++pos_;
  }
  return pos_ < t_.size();
}

bool ChunkIterator::Seek(int64_t t) {
  if (!EnsureDecoded()) return false;
  started_ = true;
  if (pos_ >= t_.size()) return false;
  if (t_[pos_] >= t) return true;
  pos_ = std::lower_bound(t_.begin() + pos_, t_.end(), t) - t_.begin();
  return pos_ < t_.size();
}

}  // namespace argus::tsdb
