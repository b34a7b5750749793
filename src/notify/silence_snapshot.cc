#include "notify/silence_snapshot.h"

#include "base/crc32c.h"
#include "base/encoding.h"

namespace argus::notify {
namespace {

namespace enc = encoding;

constexpr std::string_view kMagic = "ARGUSSIL";
constexpr uint8_t kVersion = 1;
// A silence's record is a few hundred bytes; a longer length is a corrupt one.
constexpr uint64_t kMaxRecordLength = 1 << 24;

void PutString(std::string& out, std::string_view s) {
  enc::PutUvarint(out, s.size());
  out.append(s);
}

std::string ReadString(enc::Decoder& d) {
  const uint64_t n = d.Uvarint();
  auto bytes = d.Bytes(n);
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

int64_t ReadTime(enc::Decoder& d) {
  const uint64_t low = d.Fixed32();
  const uint64_t high = d.Fixed32();
  return static_cast<int64_t>(low | high << 32);
}

Status Corrupt(size_t offset, std::string_view what) {
  return Status::Errorf(Status::Code::kCorruption, "silences file: byte {}: {}", offset, what);
}

Result<Silence> DecodeRecord(std::string_view payload) {
  enc::Decoder d(payload);
  Silence s;
  s.id = ReadString(d);
  s.created_by = ReadString(d);
  s.comment = ReadString(d);
  s.starts_at_ms = ReadTime(d);
  s.ends_at_ms = ReadTime(d);
  s.updated_at_ms = ReadTime(d);
  const uint64_t n = d.Uvarint();
  for (uint64_t i = 0; i < n && !d.failed(); ++i) {
    auto type = d.Bytes(1);
    std::string name = ReadString(d);
    std::string value = ReadString(d);
    if (d.failed()) break;
    if (type[0] > static_cast<uint8_t>(model::Matcher::Type::kRegexNoMatch)) {
      return Status::Error("unknown matcher type");
    }
    auto m = model::Matcher::Make(static_cast<model::Matcher::Type>(type[0]), std::move(name),
                                  std::move(value));
    if (!m.ok()) return m.status();
    s.matchers.push_back(std::move(*m));
  }
  if (d.failed()) return Status::Error("record ends early");
  if (d.remaining() != 0) return Status::Error("bytes left after the record");
  return s;
}

}  // namespace

void EncodeSilences(const std::vector<Silence>& silences, std::string* out) {
  out->append(kMagic);
  out->push_back(static_cast<char>(kVersion));
  std::string payload;
  for (const Silence& s : silences) {
    payload.clear();
    PutString(payload, s.id);
    PutString(payload, s.created_by);
    PutString(payload, s.comment);
    enc::PutFixed64(payload, static_cast<uint64_t>(s.starts_at_ms));
    enc::PutFixed64(payload, static_cast<uint64_t>(s.ends_at_ms));
    enc::PutFixed64(payload, static_cast<uint64_t>(s.updated_at_ms));
    enc::PutUvarint(payload, s.matchers.size());
    for (const model::Matcher& m : s.matchers) {
      payload.push_back(static_cast<char>(m.type()));
      PutString(payload, m.name());
      PutString(payload, m.value());
    }
    enc::PutUvarint(*out, payload.size());
    out->append(payload);
    enc::PutFixed32(*out, Crc32c(payload));
  }
}

Result<std::vector<Silence>> DecodeSilences(std::string_view bytes) {
  if (bytes.size() < kMagic.size() + 1 || bytes.substr(0, kMagic.size()) != kMagic) {
    return Corrupt(0, "not a silences file (bad magic)");
  }
  if (static_cast<uint8_t>(bytes[kMagic.size()]) != kVersion) {
    return Corrupt(kMagic.size(),
                   fmt::format("unknown version {}", static_cast<uint8_t>(bytes[kMagic.size()])));
  }
  std::vector<Silence> out;
  enc::Decoder d(bytes.substr(kMagic.size() + 1));
  while (d.remaining() > 0) {
    const size_t record_offset = bytes.size() - d.remaining();
    const uint64_t length = d.Uvarint();
    if (d.failed() || length > kMaxRecordLength) return Corrupt(record_offset, "bad length");
    auto payload = d.Bytes(length);
    const uint32_t crc = d.Fixed32();
    if (d.failed()) return Corrupt(record_offset, "record cut short");
    std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
    if (Crc32c(text) != crc) return Corrupt(record_offset, "checksum mismatch");
    auto silence = DecodeRecord(text);
    if (!silence.ok()) return Corrupt(record_offset, silence.status().message());
    out.push_back(std::move(*silence));
  }
  return out;
}

}  // namespace argus::notify
