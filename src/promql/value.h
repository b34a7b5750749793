#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/labels.h"
#include "storage/querier.h"

namespace argus::promql {

// The four types a PromQL expression evaluates to, as the Prometheus HTTP API returns them.
// Times are milliseconds since the epoch.

struct Scalar {
  int64_t t = 0;
  double v = 0;
};

struct String {
  int64_t t = 0;
  std::string v;
};

// One element of an instant vector.
struct Sample {
  model::Labels metric;
  int64_t t = 0;
  double v = 0;
};
using Vector = std::vector<Sample>;

// A float sample: the storage's own type, so that selectors read samples straight into it.
using FPoint = storage::SamplePoint;

// One series of a range vector or of a range query's result, points in time order.
struct Series {
  model::Labels metric;
  std::vector<FPoint> points;
};
using Matrix = std::vector<Series>;

using Value = std::variant<Scalar, String, Vector, Matrix>;

// "scalar", "string", "vector" or "matrix": the resultType of the HTTP API.
const char* ValueTypeName(const Value& value);

}  // namespace argus::promql
