#pragma once

#include <span>
#include <string_view>

#include "promql/parser/ast.h"

namespace argus::promql {

// A PromQL function's signature, as in Prometheus' function table.
struct Function {
  std::string_view name;
  std::span<const ValueType> arg_types;
  // 0: exactly arg_types. n > 0: the last argument type is optional and may repeat up to n times.
  // -1: the last argument type may repeat without limit (zero times too).
  int variadic = 0;
  ValueType return_type = ValueType::kVector;
  bool experimental = false;
};

// The function called `name`, or nullptr. The table is static: pointers stay valid forever.
const Function* FindFunction(std::string_view name);

}  // namespace argus::promql
