// libFuzzer target for the chunk encodings. The first byte picks what the rest is:
//   odd:  a sealed chunk, decoded by DecodeChunk and walked by ChunkIterator; a success must
//         give strictly increasing timestamps, both must agree, and CheckChunkHeader with them;
//         and an open chunk snapshot, which OpenChunk::Restore must refuse or restore to a chunk
//         that reads, appends and snapshots again without harm;
//   even: samples (see ReadSamples) that go through EncodeChunk, DecodeChunk, an OpenChunk, its
//         Seal and its snapshot, and must come back bit for bit, with Seek finding each sample.
// Seeds: chunk_fuzz_seeds writes chunks and sample lists of every synthetic shape.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "tsdb/chunkenc/chunk.h"
#include "tsdb/chunkenc/open_chunk.h"

namespace {

using argus::tsdb::ChunkIterator;

void Require(bool condition) {
  if (!condition) std::abort();
}

void FuzzDecode(std::string_view bytes) {
  std::vector<int64_t> t;
  std::vector<double> v;
  argus::Status status = argus::tsdb::DecodeChunk(bytes, &t, &v);
  ChunkIterator it(bytes);
  size_t walked = 0;
  while (it.Next()) {
    Require(status.ok() && walked < t.size() && it.t() == t[walked]);
    ++walked;
  }
  Require(it.Err().ok() == status.ok());
  if (!status.ok()) {
    Require(status.code() == argus::Status::Code::kCorruption);
    return;
  }
  Require(walked == t.size() && !t.empty() && t.size() == v.size());
  for (size_t i = 1; i < t.size(); ++i) Require(t[i] > t[i - 1]);
  // A whole chunk's header agrees with it; a wrong count or first timestamp does not.
  Require(argus::tsdb::CheckChunkHeader(bytes, static_cast<int>(t.size()), t[0]).ok());
  Require(!argus::tsdb::CheckChunkHeader(bytes, static_cast<int>(t.size()) + 1, t[0]).ok());
}

// Samples as: a varint timestamp delta (the first is the start), then a kind byte and its
// payload: 0 the 8 bytes of a float64, 1 a signed byte added to the last value, 2 a 16-bit
// integer in hundredths, 3 the last value again.
void ReadSamples(const uint8_t* p, const uint8_t* end, std::vector<int64_t>* t,
                 std::vector<double>* v) {
  int64_t time = 0;
  double last = 0;
  while (p < end && t->size() < static_cast<size_t>(argus::tsdb::kMaxChunkSamples)) {
    uint64_t delta = 0;
    for (int shift = 0; p < end && shift < 64; shift += 7) {
      delta |= uint64_t{*p & 0x7fu} << shift;
      if (*p++ < 0x80) break;
    }
    if (t->empty()) {
      time = static_cast<int64_t>(delta);
    } else {
      if (delta == 0 || delta > static_cast<uint64_t>(INT64_MAX) - static_cast<uint64_t>(time)) {
        return;
      }
      time = static_cast<int64_t>(static_cast<uint64_t>(time) + delta);
    }
    if (p == end) return;
    uint8_t kind = *p++ % 4;
    if (kind == 0) {
      if (end - p < 8) return;
      uint64_t bits;
      std::memcpy(&bits, p, 8);
      p += 8;
      last = std::bit_cast<double>(bits);
    } else if (kind == 1) {
      if (p == end) return;
      last += static_cast<int8_t>(*p++);
    } else if (kind == 2) {
      if (end - p < 2) return;
      last = static_cast<int16_t>(p[0] | p[1] << 8) / 100.0;
      p += 2;
    }
    t->push_back(time);
    v->push_back(last);
  }
}

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void FuzzRestore(std::string_view bytes) {
  auto restored = argus::tsdb::OpenChunk::Restore(bytes);
  if (!restored.ok()) {
    Require(restored.status().code() == argus::Status::Code::kCorruption);
    return;
  }
  std::vector<int64_t> t;
  std::vector<double> v;
  restored->Decode(&t, &v);
  Require(static_cast<int>(t.size()) == restored->num_samples() &&
          t.front() == restored->min_time() && t.back() == restored->max_time());
  for (size_t i = 1; i < t.size(); ++i) Require(t[i] > t[i - 1]);
  std::string again;
  restored->AppendSnapshot(&again);
  auto twice = argus::tsdb::OpenChunk::Restore(again);
  Require(twice.ok());
  std::vector<int64_t> t2;
  std::vector<double> v2;
  twice->Decode(&t2, &v2);
  Require(t2 == t && SameBits(v2, v));
  if (restored->max_time() < INT64_MAX && restored->num_samples() < argus::tsdb::kMaxChunkSamples) {
    restored->Append(restored->max_time() + 1, 0.5);
    std::string sealed;
    restored->Seal(&sealed);
  }
}

void FuzzRoundTrip(const uint8_t* p, const uint8_t* end) {
  std::vector<int64_t> t;
  std::vector<double> v;
  ReadSamples(p, end, &t, &v);
  if (t.empty()) return;
  std::string chunk;
  Require(argus::tsdb::EncodeChunk(t, v, &chunk).ok());
  std::vector<int64_t> decoded_t;
  std::vector<double> decoded_v;
  Require(argus::tsdb::DecodeChunk(chunk, &decoded_t, &decoded_v).ok());
  Require(decoded_t == t && SameBits(decoded_v, v));

  argus::tsdb::OpenChunk open;
  for (size_t i = 0; i < t.size(); ++i) open.Append(t[i], v[i]);
  open.Decode(&decoded_t, &decoded_v);
  Require(decoded_t == t && SameBits(decoded_v, v));
  std::string sealed;
  open.Seal(&sealed);
  Require(sealed == chunk);
  std::string snapshot;
  open.AppendSnapshot(&snapshot);
  auto restored = argus::tsdb::OpenChunk::Restore(snapshot);
  Require(restored.ok());
  restored->Decode(&decoded_t, &decoded_v);
  Require(decoded_t == t && SameBits(decoded_v, v));

  // Seek to every timestamp, again (which stays put), and just past it.
  ChunkIterator it(chunk);
  ChunkIterator past(chunk);
  for (size_t i = 0; i < t.size(); ++i) {
    Require(it.Seek(t[i]) && it.t() == t[i] && it.Seek(t[i]) && it.t() == t[i]);
    if (t[i] == INT64_MAX) continue;
    bool more = i + 1 < t.size();
    Require(past.Seek(t[i] + 1) == more && (!more || past.t() == t[i + 1]));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if (data[0] & 1) {
    FuzzDecode(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
    FuzzRestore(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  } else {
    FuzzRoundTrip(data + 1, data + size);
  }
  return 0;
}
