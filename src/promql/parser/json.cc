// The parse_query JSON tree, in the shape of Prometheus' translateAST for its UI's tree view.
// RapidJSON 1.1's stack does arithmetic on its null start pointer, which is harmless but trips
// UBSan's pointer-overflow check.
#pragma clang attribute push(__attribute__((no_sanitize("pointer-overflow"))), apply_to = function)
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#pragma clang attribute pop

#include "promql/parser/ast.h"
#include "promql/parser/functions.h"
#include "promql/parser/printer_util.h"

namespace argus::promql {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void Key(JsonWriter& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

void StringList(JsonWriter& w, std::string_view key, const std::vector<std::string>& list) {
  Key(w, key);
  w.StartArray();
  for (const auto& s : list) Str(w, s);
  w.EndArray();
}

void Matchers(JsonWriter& w, const std::vector<model::Matcher>& matchers) {
  static constexpr const char* kOps[] = {"=", "!=", "=~", "!~"};
  Key(w, "matchers");
  w.StartArray();
  for (const auto& m : matchers) {
    w.StartObject();
    Key(w, "name");
    Str(w, m.name());
    Key(w, "value");
    Str(w, m.value());
    Key(w, "type");
    w.String(kOps[static_cast<int>(m.type())]);
    w.EndObject();
  }
  w.EndArray();
}

void Modifiers(JsonWriter& w, const TimeModifiers& m) {
  Key(w, "timestamp");
  if (m.at == AtKind::kTimestamp) {
    w.Int64(m.at_ms);
  } else {
    w.Null();
  }
  Key(w, "startOrEnd");
  if (m.at == AtKind::kStart) {
    w.String("start");
  } else if (m.at == AtKind::kEnd) {
    w.String("end");
  } else {
    w.Null();
  }
}

void Selector(JsonWriter& w, const VectorSelector& vs) {
  Key(w, "name");
  Str(w, vs.name);
  Key(w, "offset");
  w.Int64(vs.modifiers.offset_ms);
  Matchers(w, vs.matchers);
  Modifiers(w, vs.modifiers);
}

void Write(JsonWriter& w, const Expr* e);

struct NodeWriter {
  JsonWriter& w;
  void Type(std::string_view t) const {
    Key(w, "type");
    Str(w, t);
  }
  void Child(std::string_view key, const Expr* e) const {
    Key(w, key);
    Write(w, e);
  }
  void operator()(const NumberLiteral& n) const {
    Type("numberLiteral");
    Key(w, "val");
    Str(w, FormatFloat(n.value));
  }
  void operator()(const StringLiteral& s) const {
    Type("stringLiteral");
    Key(w, "val");
    Str(w, s.value);
  }
  void operator()(const VectorSelector& vs) const {
    Type("vectorSelector");
    Selector(w, vs);
  }
  void operator()(const MatrixSelector& ms) const {
    Type("matrixSelector");
    Key(w, "range");
    w.Int64(ms.range_ms);
    Selector(w, ms.selector);
  }
  void operator()(const Subquery& s) const {
    Type("subquery");
    Child("expr", s.expr.get());
    Key(w, "range");
    w.Int64(s.range_ms);
    Key(w, "offset");
    w.Int64(s.modifiers.offset_ms);
    Key(w, "step");
    w.Int64(s.step_ms);
    Modifiers(w, s.modifiers);
  }
  void operator()(const Call& c) const {
    Type("call");
    Key(w, "func");
    w.StartObject();
    Key(w, "name");
    Str(w, c.function->name);
    Key(w, "argTypes");
    w.StartArray();
    for (ValueType t : c.function->arg_types) w.String(ValueTypeJsonName(t));
    w.EndArray();
    Key(w, "variadic");
    w.Int(c.function->variadic);
    Key(w, "returnType");
    w.String(ValueTypeJsonName(c.function->return_type));
    w.EndObject();
    Key(w, "args");
    w.StartArray();
    for (const auto& a : c.args) Write(w, a.get());
    w.EndArray();
  }
  void operator()(const Aggregate& a) const {
    Type("aggregation");
    Key(w, "op");
    w.String(AggregateOpName(a.op));
    Child("expr", a.expr.get());
    Child("param", a.param.get());
    StringList(w, "grouping", a.grouping);
    Key(w, "without");
    w.Bool(a.without);
  }
  void operator()(const Binary& b) const {
    Type("binaryExpr");
    Key(w, "op");
    w.String(BinaryOpName(b.op));
    Child("lhs", b.lhs.get());
    Child("rhs", b.rhs.get());
    Key(w, "matching");
    if (b.matching) {
      w.StartObject();
      Key(w, "card");
      w.String(CardinalityName(b.matching->card));
      StringList(w, "labels", b.matching->labels);
      Key(w, "on");
      w.Bool(b.matching->on);
      StringList(w, "include", b.matching->include);
      w.EndObject();
    } else {
      w.Null();
    }
    Key(w, "bool");
    w.Bool(b.return_bool);
  }
  void operator()(const Unary& u) const {
    Type("unaryExpr");
    Key(w, "op");
    w.String(u.negate ? "-" : "+");
    Child("expr", u.expr.get());
  }
  void operator()(const Paren& p) const {
    Type("parenExpr");
    Child("expr", p.expr.get());
  }
};

void Write(JsonWriter& w, const Expr* e) {
  if (e == nullptr) {
    w.Null();
    return;
  }
  w.StartObject();
  std::visit(NodeWriter{w}, e->node);
  w.EndObject();
}

}  // namespace

std::string ToJson(const Expr& expr) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  Write(writer, &expr);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace argus::promql
