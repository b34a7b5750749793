#include "tsdb/index/ulid.h"

#include <algorithm>

namespace argus::tsdb {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kTextSize = 26;

using U128 = unsigned __int128;

U128 ToNumber(const std::array<uint8_t, 16>& bytes) {
  U128 n = 0;
  for (uint8_t b : bytes) n = (n << 8) | b;
  return n;
}

std::array<uint8_t, 16> FromNumber(U128 n) {
  std::array<uint8_t, 16> bytes;
  for (int i = 15; i >= 0; --i, n >>= 8) bytes[i] = static_cast<uint8_t>(n);
  return bytes;
}

int DigitValue(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  size_t pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

Ulid Ulid::FromParts(uint64_t millis, std::array<uint8_t, 10> random) {
  Ulid u;
  for (int i = 5; i >= 0; --i, millis >>= 8) u.bytes_[i] = static_cast<uint8_t>(millis);
  std::copy(random.begin(), random.end(), u.bytes_.begin() + 6);
  return u;
}

Result<Ulid> Ulid::Parse(std::string_view text) {
  // 26 digits of 5 bits hold 130 bits, so the first digit may only carry 3.
  if (text.size() != kTextSize || DigitValue(text[0]) > 7) {
    return Status::Errorf(Status::Code::kInvalidInput, "\"{}\" is not a ULID", text);
  }
  U128 n = 0;
  for (char c : text) {
    int d = DigitValue(c);
    if (d < 0) return Status::Errorf(Status::Code::kInvalidInput, "\"{}\" is not a ULID", text);
    n = (n << 5) | static_cast<U128>(d);
  }
  Ulid u;
  u.bytes_ = FromNumber(n);
  return u;
}

std::string Ulid::ToString() const {
  U128 n = ToNumber(bytes_);
  std::string text(kTextSize, '0');
  for (size_t i = kTextSize; i-- > 0; n >>= 5) text[i] = kAlphabet[static_cast<size_t>(n & 31)];
  return text;
}

uint64_t Ulid::TimeMillis() const {
  uint64_t millis = 0;
  for (int i = 0; i < 6; ++i) millis = (millis << 8) | bytes_[i];
  return millis;
}

UlidGenerator::UlidGenerator(const Clock& clock, std::function<uint64_t()> random)
    : clock_(clock), random_(std::move(random)) {}

Ulid UlidGenerator::Next() {
  uint64_t now = static_cast<uint64_t>(std::max<int64_t>(clock_.NowMillis(), 0));
  absl::MutexLock lock(&mu_);
  if (last_ != Ulid() && now <= last_.TimeMillis()) {
    // Same millisecond (or the clock went back): one more than the last keeps the order; the
    // time part grows only if 80 random bits overflow.
    last_.bytes_ = FromNumber(ToNumber(last_.bytes_) + 1);
    return last_;
  }
  std::array<uint8_t, 10> random;
  uint64_t high = random_(), low = random_();
  for (int i = 0; i < 8; ++i) random[i] = static_cast<uint8_t>(high >> (56 - 8 * i));
  random[8] = static_cast<uint8_t>(low >> 8);
  random[9] = static_cast<uint8_t>(low);
  last_ = Ulid::FromParts(now, random);
  return last_;
}

}  // namespace argus::tsdb
