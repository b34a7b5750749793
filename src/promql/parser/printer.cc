// The canonical text of a tree (Prometheus' String()) and its pretty-printed form (Prettify).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "base/utf8.h"
#include "model/duration.h"
#include "promql/parser/ast.h"
#include "promql/parser/functions.h"
#include "promql/parser/lexer.h"
#include "promql/parser/printer_util.h"

namespace argus::promql {
namespace {

constexpr size_t kMaxLineLength = 100;

std::string FormatSignedDuration(int64_t ms) {
  if (ms < 0) return "-" + model::FormatDuration(model::Duration(-ms));
  return model::FormatDuration(model::Duration(ms));
}

std::string TimeModifiersSuffix(const TimeModifiers& m) {
  std::string out;
  switch (m.at) {
    case AtKind::kTimestamp:
      out += fmt::format(" @ {:.3f}", static_cast<double>(m.at_ms) / 1000.0);
      break;
    case AtKind::kStart:
      out += " @ start()";
      break;
    case AtKind::kEnd:
      out += " @ end()";
      break;
    case AtKind::kNone:
      break;
  }
  if (m.offset_ms > 0) out += " offset " + model::FormatDuration(model::Duration(m.offset_ms));
  if (m.offset_ms < 0) out += " offset -" + model::FormatDuration(model::Duration(-m.offset_ms));
  return out;
}

std::string SelectorText(const VectorSelector& vs) {
  std::vector<std::string> parts;
  for (const auto& m : vs.matchers) {
    if (m.name() == model::kMetricName && m.type() == model::Matcher::Type::kEqual &&
        m.value() == vs.name && !vs.name.empty()) {
      continue;
    }
    parts.push_back(MatcherText(m));
  }
  std::sort(parts.begin(), parts.end());
  // A name that reads as a keyword (`{"group"}`) stays quoted in braces, so that it parses back.
  bool legacy_name = vs.name.empty() || (model::IsValidMetricName(vs.name) && !IsKeyword(vs.name));
  std::string out;
  if (legacy_name) {
    out = vs.name;
    if (!parts.empty()) out += "{" + fmt::format("{}", fmt::join(parts, ",")) + "}";
  } else {
    parts.insert(parts.begin(), GoQuote(vs.name));
    out = "{" + fmt::format("{}", fmt::join(parts, ",")) + "}";
  }
  return out;
}

std::string LabelList(const std::vector<std::string>& labels) {
  std::vector<std::string> quoted;
  for (const auto& l : labels) quoted.push_back(model::IsValidLabelName(l) ? l : GoQuote(l));
  return fmt::format("{}", fmt::join(quoted, ", "));
}

std::string AggregatePrefix(const Aggregate& a) {
  std::string out = AggregateOpName(a.op);
  if (a.without) {
    out += fmt::format(" without ({}) ", LabelList(a.grouping));
  } else if (!a.grouping.empty()) {
    out += fmt::format(" by ({}) ", LabelList(a.grouping));
  }
  return out;
}

std::string MatchingText(const Binary& b) {
  if (!b.matching) return "";
  const VectorMatching& m = *b.matching;
  if (m.labels.empty() && !m.on) return "";
  std::string out = fmt::format(" {} ({})", m.on ? "on" : "ignoring", LabelList(m.labels));
  if (m.card == Cardinality::kManyToOne || m.card == Cardinality::kOneToMany) {
    out += fmt::format(" group_{} ({})", m.card == Cardinality::kManyToOne ? "left" : "right",
                       LabelList(m.include));
  }
  return out;
}

std::string OperatorText(const Binary& b) {
  return fmt::format("{}{}{}", BinaryOpName(b.op), b.return_bool ? " bool" : "", MatchingText(b));
}

std::string SubquerySuffix(const Subquery& s) {
  return fmt::format("[{}:{}]{}", model::FormatDuration(model::Duration(s.range_ms)),
                     s.step_ms == 0 ? "" : model::FormatDuration(model::Duration(s.step_ms)),
                     TimeModifiersSuffix(s.modifiers));
}

std::string Indent(int level) { return std::string(2 * level, ' '); }

std::string Pretty(const Expr& e, int level);

std::string PrettyArgs(const std::vector<ExprPtr>& args, int level) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ",\n";
    out += Pretty(*args[i], level);
  }
  return out;
}

std::string Pretty(const Expr& e, int level) {
  std::string flat = ToString(e);
  bool split = flat.size() > kMaxLineLength;
  if (const auto* a = e.As<Aggregate>()) {
    if (!split) return Indent(level) + flat;
    std::string out = Indent(level) + AggregatePrefix(*a) + "(\n";
    if (a->param) out += Pretty(*a->param, level + 1) + ",\n";
    return out + Pretty(*a->expr, level + 1) + "\n" + Indent(level) + ")";
  }
  if (const auto* b = e.As<Binary>()) {
    if (!split) return Indent(level) + flat;
    return Pretty(*b->lhs, level + 1) + "\n" + Indent(level) + OperatorText(*b) + "\n" +
           Pretty(*b->rhs, level + 1);
  }
  if (const auto* c = e.As<Call>()) {
    if (!split) return Indent(level) + flat;
    return Indent(level) + std::string(c->function->name) + "(\n" + PrettyArgs(c->args, level + 1) +
           "\n" + Indent(level) + ")";
  }
  if (const auto* p = e.As<Paren>()) {
    if (!split) return Indent(level) + flat;
    return Indent(level) + "(\n" + Pretty(*p->expr, level + 1) + "\n" + Indent(level) + ")";
  }
  if (const auto* s = e.As<Subquery>()) {
    if (!split) return flat;
    return Pretty(*s->expr, level) + SubquerySuffix(*s);
  }
  if (const auto* u = e.As<Unary>()) {
    std::string child = Pretty(*u->expr, level);
    size_t first = child.find_first_not_of(" \t\n");
    size_t last = child.find_last_not_of(" \t\n");
    child = first == std::string::npos ? "" : child.substr(first, last - first + 1);
    return Indent(level) + (u->negate ? "-" : "+") + child;
  }
  return Indent(level) + flat;
}

}  // namespace

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\a':
        out += "\\a";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      size_t n = Utf8SequenceLength(s.substr(i));
      if (n == 0) {
        out += fmt::format("\\x{:02x}", c);
        continue;
      }
      out.append(s.substr(i, n));
      i += n - 1;
    }
  }
  return out + "\"";
}

std::string FormatFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

std::string MatcherText(const model::Matcher& m) {
  static constexpr const char* kOps[] = {"=", "!=", "=~", "!~"};
  std::string name = model::IsValidLabelName(m.name()) ? m.name() : GoQuote(m.name());
  return name + kOps[static_cast<int>(m.type())] + GoQuote(m.value());
}

std::string ToString(const Expr& e) {
  struct Visitor {
    std::string operator()(const NumberLiteral& n) const {
      if (n.duration_ms) return FormatSignedDuration(*n.duration_ms);
      return FormatFloat(n.value);
    }
    std::string operator()(const StringLiteral& s) const { return GoQuote(s.value); }
    std::string operator()(const VectorSelector& vs) const {
      return SelectorText(vs) + TimeModifiersSuffix(vs.modifiers);
    }
    std::string operator()(const MatrixSelector& ms) const {
      return fmt::format("{}[{}]{}", SelectorText(ms.selector),
                         model::FormatDuration(model::Duration(ms.range_ms)),
                         TimeModifiersSuffix(ms.selector.modifiers));
    }
    std::string operator()(const Subquery& s) const {
      return ToString(*s.expr) + SubquerySuffix(s);
    }
    std::string operator()(const Call& c) const {
      std::vector<std::string> args;
      for (const auto& a : c.args) args.push_back(ToString(*a));
      return fmt::format("{}({})", c.function->name, fmt::join(args, ", "));
    }
    std::string operator()(const Aggregate& a) const {
      std::string out = AggregatePrefix(a) + "(";
      if (a.param) out += ToString(*a.param) + ", ";
      return out + ToString(*a.expr) + ")";
    }
    std::string operator()(const Binary& b) const {
      std::string lhs = ToString(*b.lhs);
      // A signed literal ("+Inf", "-1") before `^` would read back as a unary sign over the
      // power, which binds tighter; the parentheses keep the tree.
      if (b.op == BinaryOp::kPow && b.lhs->As<NumberLiteral>() &&
          (lhs[0] == '+' || lhs[0] == '-')) {
        lhs = "(" + lhs + ")";
      }
      return fmt::format("{} {} {}", lhs, OperatorText(b), ToString(*b.rhs));
    }
    std::string operator()(const Unary& u) const {
      return (u.negate ? "-" : "+") + ToString(*u.expr);
    }
    std::string operator()(const Paren& p) const { return "(" + ToString(*p.expr) + ")"; }
  };
  return std::visit(Visitor{}, e.node);
}

std::string Prettify(const Expr& expr) { return Pretty(expr, 0); }

}  // namespace argus::promql
