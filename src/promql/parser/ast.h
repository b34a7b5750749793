#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/labels.h"
#include "model/matcher.h"

namespace argus::promql {

// The static type of an expression, as Prometheus' parser computes it.
enum class ValueType { kNone, kScalar, kVector, kMatrix, kString };

// The name Prometheus' messages use: "scalar", "instant vector", "range vector", "string".
const char* DocumentedType(ValueType type);
// The name the parse_query JSON uses: "scalar", "vector", "matrix", "string".
const char* ValueTypeJsonName(ValueType type);

// Byte offsets [start, end) into the query text.
struct PosRange {
  int32_t start = 0;
  int32_t end = 0;
};

// "line:column" of byte offset `pos` in `query`, both 1-based, as Prometheus prints positions.
std::string FormatPosition(std::string_view query, int32_t pos);

enum class BinaryOp {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kAtan2,
  kEql,
  kNeq,
  kGtr,
  kLss,
  kGte,
  kLte,
  kAnd,
  kOr,
  kUnless,
};
const char* BinaryOpName(BinaryOp op);
bool IsComparison(BinaryOp op);
bool IsSetOperator(BinaryOp op);

enum class AggregateOp {
  kSum,
  kAvg,
  kCount,
  kMin,
  kMax,
  kGroup,
  kStddev,
  kStdvar,
  kTopk,
  kBottomk,
  kQuantile,
  kCountValues,
  kLimitk,
  kLimitRatio,
};
const char* AggregateOpName(AggregateOp op);
// topk, bottomk, quantile, count_values, limitk and limit_ratio take a first parameter.
bool TakesParameter(AggregateOp op);

// `@ <timestamp>`, `@ start()` or `@ end()` on a selector or subquery.
enum class AtKind { kNone, kTimestamp, kStart, kEnd };

// The time modifiers of a selector or subquery: `offset` (negative allowed) and `@`.
struct TimeModifiers {
  int64_t offset_ms = 0;
  AtKind at = AtKind::kNone;
  int64_t at_ms = 0;  // For kTimestamp.
};

struct Function;  // functions.h
struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct NumberLiteral {
  double value = 0;
  // Set when the literal was written as a duration (`5m` as 300); printed as written.
  std::optional<int64_t> duration_ms;
};

struct StringLiteral {
  std::string value;
};

struct VectorSelector {
  std::string name;  // Empty when the selector names no metric.
  // Every matcher, the metric name's one included (last when written outside the braces).
  std::vector<model::Matcher> matchers;
  TimeModifiers modifiers;
};

struct MatrixSelector {
  VectorSelector selector;
  int64_t range_ms = 0;
};

struct Subquery {
  ExprPtr expr;
  int64_t range_ms = 0;
  int64_t step_ms = 0;  // 0: the engine's default resolution.
  TimeModifiers modifiers;
};

struct Call {
  const Function* function = nullptr;  // Points into the static function table.
  std::vector<ExprPtr> args;
};

struct Aggregate {
  AggregateOp op = AggregateOp::kSum;
  ExprPtr expr;
  ExprPtr param;  // Set exactly when TakesParameter(op).
  std::vector<std::string> grouping;
  bool without = false;
};

enum class Cardinality { kOneToOne, kManyToOne, kOneToMany, kManyToMany };
const char* CardinalityName(Cardinality card);

// How the two sides of a binary operation between instant vectors are matched.
struct VectorMatching {
  Cardinality card = Cardinality::kOneToOne;
  std::vector<std::string> labels;  // The on(...) or ignoring(...) list.
  bool on = false;
  std::vector<std::string> include;  // The group_left(...) or group_right(...) list.
};

struct Binary {
  BinaryOp op = BinaryOp::kAdd;
  ExprPtr lhs;
  ExprPtr rhs;
  bool return_bool = false;
  // Set only when both sides are instant vectors.
  std::optional<VectorMatching> matching;
};

struct Unary {
  bool negate = false;  // `-x`; otherwise `+x`.
  ExprPtr expr;
};

struct Paren {
  ExprPtr expr;
};

// A node of the syntax tree. The tree owns its children; a parsed tree is immutable and may be
// shared by threads.
struct Expr {
  using Node = std::variant<NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, Subquery,
                            Call, Aggregate, Binary, Unary, Paren>;
  Node node;
  PosRange pos;

  ValueType type() const;
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&node);
  }
  template <typename T>
  T* As() {
    return std::get_if<T>(&node);
  }
};

// Calls `f` on each direct child of `expr`, in order (a subquery's expression included).
void ForEachChild(const Expr& expr, const std::function<void(const Expr&)>& f);
void ForEachChild(Expr& expr, const std::function<void(Expr&)>& f);

// The canonical text of `expr`, as Prometheus' String() prints it; parsing it again gives the
// same tree.
std::string ToString(const Expr& expr);
// `expr` pretty-printed over several lines as Prometheus' Prettify does (lines of at most 100
// characters where the tree allows).
std::string Prettify(const Expr& expr);
// `expr` as the JSON tree that Prometheus' /api/v1/parse_query returns in "data".
std::string ToJson(const Expr& expr);

}  // namespace argus::promql
