#include "promql/parser/ast.h"

#include <fmt/format.h>

#include "promql/parser/functions.h"

namespace argus::promql {

const char* DocumentedType(ValueType type) {
  switch (type) {
    case ValueType::kScalar:
      return "scalar";
    case ValueType::kVector:
      return "instant vector";
    case ValueType::kMatrix:
      return "range vector";
    case ValueType::kString:
      return "string";
    case ValueType::kNone:
      break;
  }
  return "none";
}

const char* ValueTypeJsonName(ValueType type) {
  switch (type) {
    case ValueType::kScalar:
      return "scalar";
    case ValueType::kVector:
      return "vector";
    case ValueType::kMatrix:
      return "matrix";
    case ValueType::kString:
      return "string";
    case ValueType::kNone:
      break;
  }
  return "none";
}

std::string FormatPosition(std::string_view query, int32_t pos) {
  int line = 1;
  int32_t line_start = 0;
  for (int32_t i = 0; i < pos && i < static_cast<int32_t>(query.size()); ++i) {
    if (query[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return fmt::format("{}:{}", line, pos - line_start + 1);
}

const char* BinaryOpName(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kPow:
      return "^";
    case BinaryOp::kAtan2:
      return "atan2";
    case BinaryOp::kEql:
      return "==";
    case BinaryOp::kNeq:
      return "!=";
    case BinaryOp::kGtr:
      return ">";
    case BinaryOp::kLss:
      return "<";
    case BinaryOp::kGte:
      return ">=";
    case BinaryOp::kLte:
      return "<=";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kOr:
      return "or";
    case BinaryOp::kUnless:
      return "unless";
  }
  return "?";
}

bool IsComparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEql:
    case BinaryOp::kNeq:
    case BinaryOp::kGtr:
    case BinaryOp::kLss:
    case BinaryOp::kGte:
    case BinaryOp::kLte:
      return true;
    default:
      return false;
  }
}

bool IsSetOperator(BinaryOp op) {
  return op == BinaryOp::kAnd || op == BinaryOp::kOr || op == BinaryOp::kUnless;
}

const char* AggregateOpName(AggregateOp op) {
  switch (op) {
    case AggregateOp::kSum:
      return "sum";
    case AggregateOp::kAvg:
      return "avg";
    case AggregateOp::kCount:
      return "count";
    case AggregateOp::kMin:
      return "min";
    case AggregateOp::kMax:
      return "max";
    case AggregateOp::kGroup:
      return "group";
    case AggregateOp::kStddev:
      return "stddev";
    case AggregateOp::kStdvar:
      return "stdvar";
    case AggregateOp::kTopk:
      return "topk";
    case AggregateOp::kBottomk:
      return "bottomk";
    case AggregateOp::kQuantile:
      return "quantile";
    case AggregateOp::kCountValues:
      return "count_values";
    case AggregateOp::kLimitk:
      return "limitk";
    case AggregateOp::kLimitRatio:
      return "limit_ratio";
  }
  return "?";
}

bool TakesParameter(AggregateOp op) {
  switch (op) {
    case AggregateOp::kTopk:
    case AggregateOp::kBottomk:
    case AggregateOp::kQuantile:
    case AggregateOp::kCountValues:
    case AggregateOp::kLimitk:
    case AggregateOp::kLimitRatio:
      return true;
    default:
      return false;
  }
}

const char* CardinalityName(Cardinality card) {
  switch (card) {
    case Cardinality::kOneToOne:
      return "one-to-one";
    case Cardinality::kManyToOne:
      return "many-to-one";
    case Cardinality::kOneToMany:
      return "one-to-many";
    case Cardinality::kManyToMany:
      return "many-to-many";
  }
  return "?";
}

namespace {

template <typename E, typename F>
void VisitChildren(E& e, const F& f) {
  if (auto* c = e.template As<Call>()) {
    for (auto& a : c->args) f(*a);
  } else if (auto* a = e.template As<Aggregate>()) {
    if (a->param) f(*a->param);
    f(*a->expr);
  } else if (auto* b = e.template As<Binary>()) {
    f(*b->lhs);
    f(*b->rhs);
  } else if (auto* u = e.template As<Unary>()) {
    f(*u->expr);
  } else if (auto* p = e.template As<Paren>()) {
    f(*p->expr);
  } else if (auto* s = e.template As<Subquery>()) {
    f(*s->expr);
  }
}

}  // namespace

void ForEachChild(const Expr& expr, const std::function<void(const Expr&)>& f) {
  VisitChildren(expr, f);
}

void ForEachChild(Expr& expr, const std::function<void(Expr&)>& f) { VisitChildren(expr, f); }

ValueType Expr::type() const {
  struct Visitor {
    ValueType operator()(const NumberLiteral&) const { return ValueType::kScalar; }
    ValueType operator()(const StringLiteral&) const { return ValueType::kString; }
    ValueType operator()(const VectorSelector&) const { return ValueType::kVector; }
    ValueType operator()(const MatrixSelector&) const { return ValueType::kMatrix; }
    ValueType operator()(const Subquery&) const { return ValueType::kMatrix; }
    ValueType operator()(const Call& c) const { return c.function->return_type; }
    ValueType operator()(const Aggregate&) const { return ValueType::kVector; }
    ValueType operator()(const Binary& b) const {
      return b.lhs->type() == ValueType::kScalar && b.rhs->type() == ValueType::kScalar
                 ? ValueType::kScalar
                 : ValueType::kVector;
    }
    ValueType operator()(const Unary& u) const { return u.expr->type(); }
    ValueType operator()(const Paren& p) const { return p.expr->type(); }
  };
  return std::visit(Visitor{}, node);
}

}  // namespace argus::promql
