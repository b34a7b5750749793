#pragma once

#include "api/json_writer.h"
#include "promql/engine.h"
#include "promql/value.h"

namespace argus::api {

// Writes the "data" of a query response as Prometheus' /api/v1/query and /api/v1/query_range do:
// {"resultType":"...","result":...}, the result of a vector as [{"metric":{...},"value":
// [t,"v"]},...], of a matrix as [{"metric":{...},"values":[[t,"v"],...]},...], of a scalar as
// [t,"v"] and of a string as [t,"s"]. With `stats`, the object ends with Prometheus' "stats":
// {"timings":{...},"samples":{...}}, the samples of each step as [[t,n],...] when it has them.
void WriteQueryData(JsonWriter& w, const promql::Value& value,
                    const promql::QueryStats* stats = nullptr);

}  // namespace argus::api
