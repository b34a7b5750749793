#pragma once

#include "api/json_writer.h"
#include "promql/value.h"

namespace argus::api {

// Writes a query's value as the "result" of Prometheus' /api/v1/query and /api/v1/query_range:
// a vector as [{"metric":{...},"value":[t,"v"]},...], a matrix as [{"metric":{...},"values":
// [[t,"v"],...]},...], a scalar as [t,"v"] and a string as [t,"s"].
void WriteValue(JsonWriter& w, const promql::Value& value);

// Writes the "data" of a query response: {"resultType":"...","result":...}.
void WriteQueryData(JsonWriter& w, const promql::Value& value);

}  // namespace argus::api
