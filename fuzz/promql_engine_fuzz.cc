// Evaluates arbitrary queries, instant and over a range, against a few series: a query may fail
// with an error but must never crash the engine or trip the sanitizers.
#include <cstdint>
#include <string_view>

#include "promql/engine.h"
#include "storage/memory_storage.h"

namespace {

argus::storage::Storage& Data() {
  static auto storage = [] {
    auto s = argus::storage::NewMemoryStorage();
    auto app = s->NewAppender();
    const char* names[] = {"a_total", "b", "h_bucket"};
    const char* les[] = {"0.1", "1", "+Inf"};
    for (int m = 0; m < 3; ++m) {
      for (int i = 0; i < 3; ++i) {
        argus::model::Labels labels{{"__name__", names[m]},
                                    {"job", i % 2 ? "x" : "y"},
                                    {"le", m == 2 ? les[i] : ""},
                                    {"i", std::to_string(i)}};
        for (int k = 0; k < 40; ++k) {
          double v = k == 20 && i == 1 ? argus::storage::StaleNaN() : (m + 1) * k * (i + 1.5);
          (void)app->Append(0, labels, k * 15'000 + i * 1'000, v);
        }
      }
    }
    (void)app->Commit();
    return s;
  }();
  return *storage;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view query(reinterpret_cast<const char*>(data), size);
  argus::promql::EngineOptions options;
  options.max_samples = 20'000;
  argus::promql::Engine engine(options);
  (void)engine.InstantQuery(Data(), query, 300'000);
  (void)engine.RangeQuery(Data(), query, 0, 600'000, 30'000);
  return 0;
}
