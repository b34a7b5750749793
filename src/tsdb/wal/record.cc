#include "tsdb/wal/record.h"

#include <bit>
#include <cmath>

namespace argus::tsdb::wal {
namespace {

// Integral values in [-2^48, 2^48) are written as a zigzag varint of at most 7 bytes, never more
// than the 8 raw bytes they would take otherwise.
constexpr double kIntegralLimit = static_cast<double>(int64_t{1} << 48);
constexpr uint64_t kMaxZigzagIntegral = uint64_t{1} << 49;

uint64_t Zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t Unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

void PutUvarint(std::string* out, uint64_t v) {
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out->append(buf, n);
}

// A 64-bit value and a flag in one varint: the first byte holds the flag in bit 0 and six bits of
// the value, the following bytes seven bits each, as in a plain varint. At most 10 bytes.
void PutFlaggedUvarint(std::string* out, uint64_t v, bool flag) {
  uint8_t first = static_cast<uint8_t>(((v & 0x3f) << 1) | (flag ? 1 : 0));
  v >>= 6;
  if (v == 0) {
    out->push_back(static_cast<char>(first));
    return;
  }
  out->push_back(static_cast<char>(first | 0x80));
  PutUvarint(out, v);
}

void PutDouble(std::string* out, double v) {
  uint64_t bits = std::bit_cast<uint64_t>(v);
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(bits >> (8 * i));
  out->append(buf, 8);
}

void PutString(std::string* out, std::string_view s) {
  PutUvarint(out, s.size());
  out->append(s);
}

// Reads the fields of one record, tracking the position for error messages. Every read checks
// the bounds; after the first failure `error()` says what and where, and reads return zeros.
class Cursor {
 public:
  Cursor(std::string_view record, const char* kind) : data_(record), kind_(kind) {}

  bool done() const { return pos_ == data_.size(); }
  bool failed() const { return !error_.empty(); }
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }

  uint64_t Uvarint(const char* what) {
    size_t start = pos_;
    uint64_t v = 0;
    for (int shift = 0; pos_ < data_.size(); shift += 7) {
      uint8_t b = static_cast<uint8_t>(data_[pos_++]);
      if (shift == 63 && b > 1) return Fail(what, "overflows 64 bits", start);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    return Fail(what, "runs past the end of the record", start);
  }

  uint64_t FlaggedUvarint(const char* what, bool* flag) {
    size_t start = pos_;
    if (pos_ == data_.size()) return Fail(what, "runs past the end of the record", start);
    uint8_t first = static_cast<uint8_t>(data_[pos_++]);
    *flag = first & 1;
    uint64_t low = (first >> 1) & 0x3f;
    if (first < 0x80) return low;
    uint64_t high = Uvarint(what);
    if (high >> 58 != 0) return Fail(what, "overflows 64 bits", start);
    return low | (high << 6);
  }

  double Double(const char* what) {
    if (remaining() < 8) return Fail(what, "runs past the end of the record", pos_);
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= uint64_t{static_cast<uint8_t>(data_[pos_ + i])} << (8 * i);
    pos_ += 8;
    return std::bit_cast<double>(bits);
  }

  std::string_view String(const char* what) {
    size_t start = pos_;
    uint64_t n = Uvarint(what);
    if (n > remaining()) {
      Fail(what, "is longer than the rest of the record", start);
      return {};
    }
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }

  // Records the first error, about the field that starts at byte `start`, and ends the record;
  // returns 0 so that callers can `return Fail(...)`.
  uint64_t Fail(const char* what, const char* problem, size_t start) {
    if (error_.empty()) error_ = fmt::format("{} {} at byte {}", what, problem, start);
    pos_ = data_.size();
    return 0;
  }

  Status status() const {
    return Status::Errorf(Status::Code::kCorruption, "{} record: {}", kind_, error_);
  }

 private:
  std::string_view data_;
  const char* kind_;
  size_t pos_ = 1;  // After the type byte.
  std::string error_;
};

// One series of a series record; `labels` is a model::Labels or a span of LabelView.
template <typename LabelRange>
void PutSeries(std::string* out, uint64_t ref_delta, const LabelRange& labels) {
  PutUvarint(out, Zigzag(static_cast<int64_t>(ref_delta)));
  PutUvarint(out, labels.size());
  for (const auto& l : labels) {
    PutString(out, l.name);
    PutString(out, l.value);
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
  PutSeries(out_, ref - prev_ref_, labels);
  prev_ref_ = ref;
}

void SeriesEncoder::Add(uint64_t ref, std::span<const LabelView> labels) {
  PutSeries(out_, ref - prev_ref_, labels);
  prev_ref_ = ref;
}

SamplesEncoder::SamplesEncoder(std::string* out) : out_(out) {
  out_->push_back(static_cast<char>(RecordType::kSamples));
}

void SamplesEncoder::Add(uint64_t ref, int64_t t, double v) {
  PutUvarint(out_, Zigzag(static_cast<int64_t>(ref - prev_ref_)));
  prev_ref_ = ref;
  uint64_t dt =
      Zigzag(static_cast<int64_t>(static_cast<uint64_t>(t) - static_cast<uint64_t>(prev_t_)));
  prev_t_ = t;
  // -0.0 compares equal to 0 but is not the integer 0; NaN fails the range check.
  bool integral = v >= -kIntegralLimit && v < kIntegralLimit &&
                  static_cast<double>(static_cast<int64_t>(v)) == v && !(v == 0 && std::signbit(v));
  PutFlaggedUvarint(out_, dt, integral);
  if (integral) {
    PutUvarint(out_, Zigzag(static_cast<int64_t>(v)));
  } else {
    PutDouble(out_, v);
  }
}

Status DecodeSeries(std::string_view record, DecodedSeries* out) {
  out->series_.clear();
  out->labels_.clear();
  out->first_label_.clear();
  ARGUS_RETURN_IF_ERROR(CheckType(record, RecordType::kSeries, "series"));
  Cursor in(record, "series");
  uint64_t ref = 0;
  while (!in.done()) {
    ref += static_cast<uint64_t>(Unzigzag(in.Uvarint("series ref")));
    size_t count_start = in.pos();
    uint64_t count = in.Uvarint("label count");
    // Every label takes at least two bytes, so a count beyond that is garbage, not a reason to
    // reserve memory.
    if (count > in.remaining() / 2) {
      in.Fail("label count", "is larger than the record can hold", count_start);
    }
    if (in.failed()) break;
    out->first_label_.push_back(static_cast<uint32_t>(out->labels_.size()));
    out->series_.push_back({ref, {}});
    for (uint64_t i = 0; i < count && !in.failed(); ++i) {
      std::string_view name = in.String("label name");
      std::string_view value = in.String("label value");
      out->labels_.push_back({name, value});
    }
  }
  if (in.failed()) {
    out->series_.clear();
    out->labels_.clear();
    return in.status();
  }
  // The spans are made only now: labels_ may have moved while it grew.
  for (size_t i = 0; i < out->series_.size(); ++i) {
    size_t end = i + 1 < out->series_.size() ? out->first_label_[i + 1] : out->labels_.size();
    out->series_[i].labels = std::span<const LabelView>(out->labels_.data() + out->first_label_[i],
                                                        end - out->first_label_[i]);
  }
  return Status::Ok();
}

Status DecodeSamples(std::string_view record, std::vector<RefSample>* out) {
  out->clear();
  ARGUS_RETURN_IF_ERROR(CheckType(record, RecordType::kSamples, "samples"));
  Cursor in(record, "samples");
  uint64_t ref = 0;
  uint64_t t = 0;
  while (!in.done()) {
    ref += static_cast<uint64_t>(Unzigzag(in.Uvarint("sample ref")));
    bool integral = false;
    t += static_cast<uint64_t>(Unzigzag(in.FlaggedUvarint("sample timestamp", &integral)));
    double v;
    if (integral) {
      size_t value_start = in.pos();
      uint64_t z = in.Uvarint("sample value");
      if (z >= kMaxZigzagIntegral)
        in.Fail("sample value", "is an integer out of range", value_start);
      v = static_cast<double>(Unzigzag(z));
    } else {
      v = in.Double("sample value");
    }
    if (in.failed()) break;
    out->push_back({ref, static_cast<int64_t>(t), v});
  }
  if (in.failed()) {
    out->clear();
    return in.status();
  }
  return Status::Ok();
}

}  // namespace argus::tsdb::wal
