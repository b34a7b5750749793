// libFuzzer target for the notifier's silences file (docs/format/silences.md): whatever decodes
// must encode to bytes that decode to the same silences. Seeds: fuzz/silences/.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "notify/silence_snapshot.h"

namespace {

using namespace argus::notify;

bool Same(const Silence& a, const Silence& b) {
  return a.id == b.id && a.created_by == b.created_by && a.comment == b.comment &&
         a.starts_at_ms == b.starts_at_ms && a.ends_at_ms == b.ends_at_ms &&
         a.updated_at_ms == b.updated_at_ms && SameMatchers(a.matchers, b.matchers);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto silences = DecodeSilences(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!silences.ok()) return 0;
  std::string again;
  EncodeSilences(*silences, &again);
  auto decoded = DecodeSilences(again);
  if (!decoded.ok() || decoded->size() != silences->size()) std::abort();
  for (size_t i = 0; i < silences->size(); ++i) {
    if (!Same((*silences)[i], (*decoded)[i])) std::abort();
  }
  return 0;
}
