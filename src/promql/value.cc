#include "promql/value.h"

namespace argus::promql {

const char* ValueTypeName(const Value& value) {
  static constexpr const char* kNames[] = {"scalar", "string", "vector", "matrix"};
  return kNames[value.index()];
}

}  // namespace argus::promql
