#include "tsdb/wal/record.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace argus::tsdb::wal {
namespace {

// Integral values in [-2^48, 2^48) are written as a zigzag varint of at most 7 bytes, never more
// than the 8 raw bytes they would take otherwise.
constexpr double kIntegralLimit = static_cast<double>(int64_t{1} << 48);
constexpr uint64_t kMaxZigzagIntegral = uint64_t{1} << 49;
constexpr size_t kMaxVarintSize = 10;
// A sample is three varints at most (the value 8 bytes, or a varint in a damaged record).
constexpr size_t kMaxSampleSize = 3 * kMaxVarintSize;

uint64_t Zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t Unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

// The encoders write through a pointer into space reserved at the end of the record and return
// where they stopped.
char* PutUvarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

// A 64-bit value and a flag in one varint: the first byte holds the flag in bit 0 and six bits of
// the value, the following bytes seven bits each, as in a plain varint. At most 10 bytes.
char* PutFlaggedUvarint(char* p, uint64_t v, bool flag) {
  uint8_t first = static_cast<uint8_t>(((v & 0x3f) << 1) | (flag ? 1 : 0));
  v >>= 6;
  if (v == 0) {
    *p++ = static_cast<char>(first);
    return p;
  }
  *p++ = static_cast<char>(first | 0x80);
  return PutUvarint(p, v);
}

char* PutDouble(char* p, double v) {
  uint64_t bits = std::bit_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(bits >> (8 * i));
  return p + 8;
}

void AppendUvarint(std::string* out, uint64_t v) {
  char buf[kMaxVarintSize];
  out->append(buf, PutUvarint(buf, v) - buf);
}

// One series of a series record; `labels` is a model::Labels or a span of LabelView.
template <typename LabelRange>
void AppendSeries(std::string* out, uint64_t ref_delta, const LabelRange& labels) {
  AppendUvarint(out, Zigzag(static_cast<int64_t>(ref_delta)));
  AppendUvarint(out, labels.size());
  for (const auto& l : labels) {
    AppendUvarint(out, l.name.size());
    out->append(l.name);
    AppendUvarint(out, l.value.size());
    out->append(l.value);
  }
}

void AppendBytes(std::string* out, std::string_view bytes) {
  AppendUvarint(out, bytes.size());
  out->append(bytes);
}

constexpr const char* kPastEnd = "runs past the end of the record";
constexpr const char* kOverflow = "overflows 64 bits";

// What was wrong with a record: the field, the problem and where the field starts.
struct Problem {
  const char* what = nullptr;
  const char* problem = nullptr;
  const char* at = nullptr;

  bool Set(const char* w, const char* p, const char* a) {
    what = w;
    problem = p;
    at = a;
    return false;
  }
  Status ToStatus(const char* kind, std::string_view record) const {
    return Status::Errorf(Status::Code::kCorruption, "{} record: {} {} at byte {}", kind, what,
                          problem, at - record.data());
  }
};

// The readers advance `p` over one field and return true, or describe the problem in `*err`
// and return false. With kChecked every byte read is checked against `end`; the unchecked ones
// are for where kMaxSampleSize bytes are known to remain, and read at most that many.
template <bool kChecked>
bool GetUvarint(const char*& p, const char* end, const char* what, uint64_t* v, Problem* err) {
  const char* start = p;
  // Most fields (ref and timestamp deltas, small values, lengths) are one byte.
  if ((!kChecked || p != end) && static_cast<uint8_t>(*p) < 0x80) {
    *v = static_cast<uint8_t>(*p++);
    return true;
  }
  uint64_t result = 0;
  for (int shift = 0;; shift += 7) {
    if (kChecked && p == end) return err->Set(what, kPastEnd, start);
    uint8_t b = static_cast<uint8_t>(*p++);
    if (shift == 63 && b > 1) return err->Set(what, kOverflow, start);
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (b < 0x80) {
      *v = result;
      return true;
    }
  }
}

template <bool kChecked>
bool GetFlaggedUvarint(const char*& p, const char* end, const char* what, uint64_t* v, bool* flag,
                       Problem* err) {
  const char* start = p;
  if (kChecked && p == end) return err->Set(what, kPastEnd, start);
  uint8_t first = static_cast<uint8_t>(*p++);
  *flag = first & 1;
  *v = (first >> 1) & 0x3f;
  if (first < 0x80) return true;
  uint64_t high;
  if (!GetUvarint<kChecked>(p, end, what, &high, err)) return false;
  if (high >> 58 != 0) return err->Set(what, kOverflow, start);
  *v |= high << 6;
  return true;
}

template <bool kChecked>
bool GetDouble(const char*& p, const char* end, const char* what, double* v, Problem* err) {
  if (kChecked && end - p < 8) return err->Set(what, kPastEnd, p);
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= uint64_t{static_cast<uint8_t>(p[i])} << (8 * i);
  p += 8;
  *v = std::bit_cast<double>(bits);
  return true;
}

bool GetString(const char*& p, const char* end, const char* what, std::string_view* s,
               Problem* err) {
  const char* start = p;
  uint64_t n;
  if (!GetUvarint<true>(p, end, what, &n, err)) return false;
  if (n > static_cast<uint64_t>(end - p)) {
    return err->Set(what, "is longer than the rest of the record", start);
  }
  *s = std::string_view(p, n);
  p += n;
  return true;
}

// Decodes the sample at `p` as deltas from *ref and *t.
template <bool kChecked>
bool GetSample(const char*& p, const char* end, uint64_t* ref, uint64_t* t, double* v,
               Problem* err) {
  uint64_t dref, dt;
  bool integral;
  if (!GetUvarint<kChecked>(p, end, "sample ref", &dref, err) ||
      !GetFlaggedUvarint<kChecked>(p, end, "sample timestamp", &dt, &integral, err)) {
    return false;
  }
  *ref += static_cast<uint64_t>(Unzigzag(dref));
  *t += static_cast<uint64_t>(Unzigzag(dt));
  if (!integral) return GetDouble<kChecked>(p, end, "sample value", v, err);
  const char* start = p;
  uint64_t z;
  if (!GetUvarint<kChecked>(p, end, "sample value", &z, err)) return false;
  if (z >= kMaxZigzagIntegral) return err->Set("sample value", "is an integer out of range", start);
  *v = static_cast<double>(Unzigzag(z));
  return true;
}

// Decodes the start of one series in a series or chunks record: its ref, as a delta from *ref,
// and how many items (labels, chunks) follow, each at least `min_item_bytes` long; a count the
// rest of the record cannot hold is garbage, not a reason to reserve memory.
bool GetSeriesStart(const char*& p, const char* end, const char* count_what,
                    uint64_t min_item_bytes, uint64_t* ref, uint64_t* count, Problem* err) {
  uint64_t ref_delta;
  if (!GetUvarint<true>(p, end, "series ref", &ref_delta, err)) return false;
  const char* count_at = p;
  if (!GetUvarint<true>(p, end, count_what, count, err)) return false;
  if (*count > static_cast<uint64_t>(end - p) / min_item_bytes) {
    return err->Set(count_what, "is larger than the record can hold", count_at);
  }
  *ref += static_cast<uint64_t>(Unzigzag(ref_delta));
  return true;
}

// Points each series' span at its items, items[first[i]] up to the next series' first; made
// once decoding is done, since `items` may move while it grows.
template <typename Series, typename Item>
void SetSpans(std::vector<Series>& series, const std::vector<Item>& items,
              const std::vector<uint32_t>& first, std::span<const Item> Series::*span) {
  for (size_t i = 0; i < series.size(); ++i) {
    size_t last = i + 1 < series.size() ? first[i + 1] : items.size();
    series[i].*span = std::span<const Item>(items.data() + first[i], last - first[i]);
  }
}

Status CheckType(std::string_view record, RecordType want, const char* kind) {
  if (TypeOf(record) == want) return Status::Ok();
  if (record.empty()) return Status::Errorf(Status::Code::kCorruption, "{} record is empty", kind);
  return Status::Errorf(Status::Code::kCorruption, "{} record has type {}, expected {}", kind,
                        static_cast<int>(record[0]), static_cast<int>(want));
}

}  // namespace

RecordType TypeOf(std::string_view record) {
  return record.empty() ? RecordType::kInvalid : static_cast<RecordType>(record[0]);
}

bool RefSample::operator==(const RefSample& o) const {
  return ref == o.ref && t == o.t && std::bit_cast<uint64_t>(v) == std::bit_cast<uint64_t>(o.v);
}

SeriesEncoder::SeriesEncoder(std::string* out) : out_(out) {
  out_->push_back(static_cast<char>(RecordType::kSeries));
}

void SeriesEncoder::Add(uint64_t ref, const model::Labels& labels) {
  AppendSeries(out_, ref - prev_ref_, labels);
  prev_ref_ = ref;
}

void SeriesEncoder::Add(uint64_t ref, std::span<const LabelView> labels) {
  AppendSeries(out_, ref - prev_ref_, labels);
  prev_ref_ = ref;
}

SamplesEncoder::SamplesEncoder(std::string* out, RecordType type) : out_(out) {
  out_->push_back(static_cast<char>(type));
}

char* SamplesEncoder::Put(char* p, uint64_t ref, int64_t t, double v) {
  p = PutUvarint(p, Zigzag(static_cast<int64_t>(ref - prev_ref_)));
  uint64_t dt =
      Zigzag(static_cast<int64_t>(static_cast<uint64_t>(t) - static_cast<uint64_t>(prev_t_)));
  // -0.0 compares equal to 0 but is not the integer 0; NaN fails the range check.
  bool integral = v >= -kIntegralLimit && v < kIntegralLimit &&
                  static_cast<double>(static_cast<int64_t>(v)) == v && !(v == 0 && std::signbit(v));
  p = PutFlaggedUvarint(p, dt, integral);
  prev_ref_ = ref;
  prev_t_ = t;
  return integral ? PutUvarint(p, Zigzag(static_cast<int64_t>(v))) : PutDouble(p, v);
}

// Room for the worst case is made first and what is left over cut after.
void SamplesEncoder::Add(uint64_t ref, int64_t t, double v) {
  size_t start = out_->size();
  out_->resize(start + kMaxSampleSize);
  char* p = Put(out_->data() + start, ref, t, v);
  out_->resize(static_cast<size_t>(p - out_->data()));
}

void SamplesEncoder::Add(std::span<const RefSample> samples) {
  size_t start = out_->size();
  out_->resize(start + kMaxSampleSize * samples.size());
  char* p = out_->data() + start;
  for (const RefSample& s : samples) p = Put(p, s.ref, s.t, s.v);
  out_->resize(static_cast<size_t>(p - out_->data()));
}

Status DecodeSeries(std::string_view record, DecodedSeries* out) {
  out->series_.clear();
  out->labels_.clear();
  out->first_label_.clear();
  ARGUS_RETURN_IF_ERROR(CheckType(record, RecordType::kSeries, "series"));
  const char* p = record.data() + 1;
  const char* end = record.data() + record.size();
  Problem err;
  uint64_t ref = 0;
  while (p != end && err.what == nullptr) {
    uint64_t count;
    // Every label takes at least two bytes.
    if (!GetSeriesStart(p, end, "label count", 2, &ref, &count, &err)) break;
    out->first_label_.push_back(static_cast<uint32_t>(out->labels_.size()));
    out->series_.push_back({ref, {}});
    for (uint64_t i = 0; i < count; ++i) {
      LabelView l;
      if (!GetString(p, end, "label name", &l.name, &err) ||
          !GetString(p, end, "label value", &l.value, &err)) {
        break;
      }
      out->labels_.push_back(l);
    }
  }
  if (err.what != nullptr) {
    out->series_.clear();
    out->labels_.clear();
    return err.ToStatus("series", record);
  }
  SetSpans(out->series_, out->labels_, out->first_label_, &DecodedSeries::Series::labels);
  return Status::Ok();
}

Status DecodeSamples(std::string_view record, std::vector<RefSample>* out) {
  out->clear();
  if (TypeOf(record) != RecordType::kOutOfOrderSamples) {
    ARGUS_RETURN_IF_ERROR(CheckType(record, RecordType::kSamples, "samples"));
  }
  const char* p = record.data() + 1;
  const char* end = record.data() + record.size();
  Problem err;
  uint64_t ref = 0, t = 0;
  double v = 0;
  while (p != end) {
    // Away from the end no byte read can run past it, so the hot loop checks none.
    bool ok = static_cast<size_t>(end - p) >= kMaxSampleSize
                  ? GetSample<false>(p, end, &ref, &t, &v, &err)
                  : GetSample<true>(p, end, &ref, &t, &v, &err);
    if (!ok) {
      out->clear();
      return err.ToStatus("samples", record);
    }
    out->push_back({ref, static_cast<int64_t>(t), v});
  }
  return Status::Ok();
}

ChunksEncoder::ChunksEncoder(std::string* out) : out_(out) {
  out_->push_back(static_cast<char>(RecordType::kChunks));
}

void ChunksEncoder::Add(uint64_t ref, std::span<const ChunkView> sealed, std::string_view open) {
  AppendUvarint(out_, Zigzag(static_cast<int64_t>(ref - prev_ref_)));
  prev_ref_ = ref;
  AppendUvarint(out_, sealed.size());
  for (const ChunkView& c : sealed) {
    AppendUvarint(out_, Zigzag(c.min_time));
    AppendUvarint(out_, static_cast<uint64_t>(c.max_time) - static_cast<uint64_t>(c.min_time));
    AppendUvarint(out_, c.num_samples);
    AppendBytes(out_, c.bytes);
  }
  AppendBytes(out_, open);
}

namespace {

bool GetChunk(const char*& p, const char* end, ChunkView* c, Problem* err) {
  uint64_t min_time, span, samples;
  const char* at = p;
  if (!GetUvarint<true>(p, end, "chunk min time", &min_time, err) ||
      !GetUvarint<true>(p, end, "chunk time span", &span, err)) {
    return false;
  }
  c->min_time = Unzigzag(min_time);
  // Past INT64_MAX the sum wraps around to below min_time.
  c->max_time = static_cast<int64_t>(static_cast<uint64_t>(c->min_time) + span);
  if (c->max_time < c->min_time) return err->Set("chunk time span", "passes the int64 range", at);
  at = p;
  if (!GetUvarint<true>(p, end, "chunk sample count", &samples, err)) return false;
  if (samples == 0 || samples > UINT32_MAX) {
    return err->Set("chunk sample count", "is 0 or above 2^32", at);
  }
  c->num_samples = static_cast<uint32_t>(samples);
  return GetString(p, end, "chunk bytes", &c->bytes, err);
}

}  // namespace

Status DecodeChunks(std::string_view record, DecodedChunks* out) {
  out->series_.clear();
  out->chunks_.clear();
  out->first_chunk_.clear();
  ARGUS_RETURN_IF_ERROR(CheckType(record, RecordType::kChunks, "chunks"));
  const char* p = record.data() + 1;
  const char* end = record.data() + record.size();
  Problem err;
  uint64_t ref = 0;
  while (p != end && err.what == nullptr) {
    uint64_t count;
    // Every chunk takes at least four bytes.
    if (!GetSeriesStart(p, end, "chunk count", 4, &ref, &count, &err)) break;
    out->first_chunk_.push_back(static_cast<uint32_t>(out->chunks_.size()));
    out->series_.push_back({ref, {}, {}});
    for (uint64_t i = 0; i < count && err.what == nullptr; ++i) {
      ChunkView c;
      if (GetChunk(p, end, &c, &err)) out->chunks_.push_back(c);
    }
    if (err.what == nullptr) GetString(p, end, "open chunk", &out->series_.back().open, &err);
  }
  if (err.what != nullptr) {
    out->series_.clear();
    out->chunks_.clear();
    return err.ToStatus("chunks", record);
  }
  SetSpans(out->series_, out->chunks_, out->first_chunk_, &DecodedChunks::Series::sealed);
  return Status::Ok();
}

}  // namespace argus::tsdb::wal
