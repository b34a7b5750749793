#pragma once

#include <memory>

#include "storage/storage.h"

namespace argus::storage {

// A Storage that keeps every sample in memory, uncompressed, until the process exits. It holds
// the Appender and Querier contracts exactly (ordering checks, staleness markers bit-exact,
// atomic commits) and stands in for the TSDB in tests and until the TSDB lands. Thread-safe.
std::unique_ptr<Storage> NewMemoryStorage();

}  // namespace argus::storage
