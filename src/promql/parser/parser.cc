#include "promql/parser/parser.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "model/duration.h"
#include "promql/parser/functions.h"
#include "promql/parser/lexer.h"

namespace argus::promql {
namespace {

using model::Matcher;

// Binding strength of binary operators; higher binds tighter. `^` is right-associative.
int Precedence(Token t) {
  switch (t) {
    case Token::kOr:
      return 1;
    case Token::kAnd:
    case Token::kUnless:
      return 2;
    case Token::kEql:
    case Token::kNeq:
    case Token::kLss:
    case Token::kLte:
    case Token::kGtr:
    case Token::kGte:
      return 3;
    case Token::kAdd:
    case Token::kSub:
      return 4;
    case Token::kMul:
    case Token::kDiv:
    case Token::kMod:
    case Token::kAtan2:
      return 5;
    case Token::kPow:
      return 6;
    default:
      return 0;
  }
}
constexpr int kPowPrecedence = 6;

// The largest duration or `@` time, in milliseconds: sums of a few of them stay within int64.
constexpr double kMaxMillis = static_cast<double>(int64_t{1} << 61);

BinaryOp ToBinaryOp(Token t) {
  switch (t) {
    case Token::kAdd:
      return BinaryOp::kAdd;
    case Token::kSub:
      return BinaryOp::kSub;
    case Token::kMul:
      return BinaryOp::kMul;
    case Token::kDiv:
      return BinaryOp::kDiv;
    case Token::kMod:
      return BinaryOp::kMod;
    case Token::kPow:
      return BinaryOp::kPow;
    case Token::kAtan2:
      return BinaryOp::kAtan2;
    case Token::kEql:
      return BinaryOp::kEql;
    case Token::kNeq:
      return BinaryOp::kNeq;
    case Token::kGtr:
      return BinaryOp::kGtr;
    case Token::kLss:
      return BinaryOp::kLss;
    case Token::kGte:
      return BinaryOp::kGte;
    case Token::kLte:
      return BinaryOp::kLte;
    case Token::kAnd:
      return BinaryOp::kAnd;
    case Token::kOr:
      return BinaryOp::kOr;
    default:
      return BinaryOp::kUnless;
  }
}

bool ToAggregateOp(std::string_view word, AggregateOp* op) {
  static constexpr AggregateOp kAll[] = {
      AggregateOp::kSum,     AggregateOp::kAvg,        AggregateOp::kCount,
      AggregateOp::kMin,     AggregateOp::kMax,        AggregateOp::kGroup,
      AggregateOp::kStddev,  AggregateOp::kStdvar,     AggregateOp::kTopk,
      AggregateOp::kBottomk, AggregateOp::kQuantile,   AggregateOp::kCountValues,
      AggregateOp::kLimitk,  AggregateOp::kLimitRatio,
  };
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (AggregateOp a : kAll) {
    if (lower == AggregateOpName(a)) {
      *op = a;
      return true;
    }
  }
  return false;
}

// Words that may stand as label names in groupings and matchers: identifiers and keywords.
bool IsLabelWord(Token t) { return t == Token::kIdentifier || IsWordKeyword(t); }

// Go's strconv.ParseInt(s, 0, 64) then ParseFloat, as Prometheus parses number literals.
bool ParseNumber(std::string_view text, double* out) {
  std::string s(text);
  char* end = nullptr;
  errno = 0;
  long long i = std::strtoll(s.c_str(), &end, 0);
  if (errno == 0 && end == s.c_str() + s.size()) {
    *out = static_cast<double>(i);
    return true;
  }
  errno = 0;
  double f = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return false;
  *out = f;
  return true;
}

class Parser {
 public:
  explicit Parser(std::string_view query) : query_(query), lexemes_(Lex(query)) {}

  Result<ExprPtr> ParseQuery() {
    ExprPtr expr = ParseBinary(1);
    if (!failed_ && Peek().token != Token::kEof) Unexpected(Peek(), "");
    if (failed_) return error_;
    return expr;
  }

  Result<std::vector<Matcher>> ParseSelectorOnly() {
    const Lexeme& first = Peek();
    ExprPtr expr;
    if (first.token == Token::kLeftBrace || first.token == Token::kIdentifier ||
        first.token == Token::kMetricIdentifier || IsLabelWord(first.token)) {
      std::string name;
      if (first.token != Token::kLeftBrace) name = std::string(Next().text);
      expr = ParseVectorSelector(std::move(name), first.pos);
    } else {
      Unexpected(first, "", "label matching");
    }
    if (!failed_ && Peek().token != Token::kEof) Unexpected(Peek(), "");
    if (failed_) return error_;
    return std::move(expr->As<VectorSelector>()->matchers);
  }

 private:
  const Lexeme& Peek() const { return lexemes_[pos_]; }
  const Lexeme& Next() {
    const Lexeme& l = lexemes_[pos_];
    if (pos_ + 1 < lexemes_.size()) ++pos_;
    return l;
  }
  int32_t EndOfPrevious() const {
    const Lexeme& l = lexemes_[pos_ == 0 ? 0 : pos_ - 1];
    return l.pos + static_cast<int32_t>(l.text.size());
  }

  // Records the first error; later ones are dropped, as they usually follow from it.
  std::nullptr_t Fail(int32_t pos, std::string message) {
    if (!failed_) {
      failed_ = true;
      error_ =
          Status::Error(fmt::format("{}: parse error: {}", FormatPosition(query_, pos), message),
                        Status::Code::kInvalidInput);
    }
    return nullptr;
  }
  std::nullptr_t Unexpected(const Lexeme& l, std::string_view context,
                            std::string_view expected = "") {
    if (l.token == Token::kError) return Fail(l.pos, l.error);
    std::string message = "unexpected " + DescribeLexeme(l);
    if (!context.empty()) message += fmt::format(" in {}", context);
    if (!expected.empty()) message += fmt::format(", expected {}", expected);
    return Fail(l.pos, message);
  }
  bool Expect(Token t, std::string_view context, std::string_view expected) {
    if (Peek().token == t) {
      Next();
      return true;
    }
    Unexpected(Peek(), context, expected);
    return false;
  }

  ExprPtr Make(Expr::Node node, int32_t start, int32_t end) {
    auto e = std::make_unique<Expr>();
    e->node = std::move(node);
    e->pos = {start, end};
    return e;
  }

  void ExpectType(const Expr& e, ValueType want, std::string_view context) {
    if (e.type() != want) {
      Fail(e.pos.start, fmt::format("expected type {} in {}, got {}", DocumentedType(want), context,
                                    DocumentedType(e.type())));
    }
  }

  ExprPtr ParseBinary(int min_precedence) {
    ExprPtr lhs = ParseUnary();
    while (!failed_) {
      const Lexeme& op = Peek();
      int prec = Precedence(op.token);
      if (prec == 0 || prec < min_precedence) break;
      Next();
      Binary binary;
      binary.op = ToBinaryOp(op.token);
      VectorMatching matching;
      int32_t modifier_pos = op.pos;
      if (Peek().token == Token::kBool) {
        binary.return_bool = true;
        Next();
      }
      if (Peek().token == Token::kOn || Peek().token == Token::kIgnoring) {
        matching.on = Next().token == Token::kOn;
        if (!ParseLabelList(&matching.labels)) return nullptr;
        if (Peek().token == Token::kGroupLeft || Peek().token == Token::kGroupRight) {
          matching.card =
              Next().token == Token::kGroupLeft ? Cardinality::kManyToOne : Cardinality::kOneToMany;
          if (Peek().token == Token::kLeftParen && !ParseLabelList(&matching.include)) {
            return nullptr;
          }
        }
      }
      ExprPtr rhs = ParseBinary(prec == kPowPrecedence ? prec : prec + 1);
      if (failed_) return nullptr;
      binary.lhs = std::move(lhs);
      binary.rhs = std::move(rhs);
      binary.matching = std::move(matching);
      lhs = CheckBinary(std::move(binary), modifier_pos);
    }
    return failed_ ? nullptr : std::move(lhs);
  }

  ExprPtr CheckBinary(Binary b, int32_t op_pos) {
    int32_t start = b.lhs->pos.start;
    int32_t end = b.rhs->pos.end;
    ValueType lt = b.lhs->type();
    ValueType rt = b.rhs->type();
    if (b.return_bool && !IsComparison(b.op)) {
      return Fail(op_pos, "bool modifier can only be used on comparison operators");
    }
    if (IsComparison(b.op) && !b.return_bool && lt == ValueType::kScalar &&
        rt == ValueType::kScalar) {
      return Fail(op_pos, "comparisons between scalars must use BOOL modifier");
    }
    VectorMatching& m = *b.matching;
    if (IsSetOperator(b.op) && m.card == Cardinality::kOneToOne) m.card = Cardinality::kManyToMany;
    if (m.on) {
      for (const auto& l : m.labels) {
        for (const auto& i : m.include) {
          if (l == i) {
            return Fail(
                op_pos,
                fmt::format("label \"{}\" must not occur in ON and GROUP clause at once", l));
          }
        }
      }
    }
    if (lt != ValueType::kScalar && lt != ValueType::kVector) {
      return Fail(b.lhs->pos.start,
                  "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType::kScalar && rt != ValueType::kVector) {
      return Fail(b.rhs->pos.start,
                  "binary expression must contain only scalar and instant vector types");
    }
    if (lt != ValueType::kVector || rt != ValueType::kVector) {
      if (!m.labels.empty())
        return Fail(start, "vector matching only allowed between instant vectors");
      b.matching.reset();
    } else if (IsSetOperator(b.op)) {
      if (m.card == Cardinality::kOneToMany || m.card == Cardinality::kManyToOne) {
        return Fail(start,
                    fmt::format("no grouping allowed for \"{}\" operation", BinaryOpName(b.op)));
      }
    }
    if ((lt == ValueType::kScalar || rt == ValueType::kScalar) && IsSetOperator(b.op)) {
      return Fail(start, fmt::format("set operator \"{}\" not allowed in binary scalar expression",
                                     BinaryOpName(b.op)));
    }
    return Make(std::move(b), start, end);
  }

  ExprPtr ParseUnary() {
    const Lexeme& l = Peek();
    if (l.token != Token::kAdd && l.token != Token::kSub) return ParsePostfix(ParsePrimary());
    Next();
    bool negate = l.token == Token::kSub;
    ExprPtr operand = ParseBinary(kPowPrecedence);
    if (failed_) return nullptr;
    if (auto* n = operand->As<NumberLiteral>()) {
      if (negate) n->value = -n->value;
      if (n->duration_ms && negate) n->duration_ms = -*n->duration_ms;
      operand->pos.start = l.pos;
      return operand;
    }
    ValueType t = operand->type();
    if (t != ValueType::kScalar && t != ValueType::kVector) {
      return Fail(l.pos, fmt::format("unary expression only allowed on expressions of type scalar "
                                     "or instant vector, got \"{}\"",
                                     DocumentedType(t)));
    }
    int32_t end = operand->pos.end;
    return Make(Unary{negate, std::move(operand)}, l.pos, end);
  }

  ExprPtr ParsePrimary() {
    const Lexeme& l = Peek();
    switch (l.token) {
      case Token::kNumber: {
        Next();
        double v;
        if (!ParseNumber(l.text, &v))
          return Fail(l.pos, fmt::format("error parsing number: {}", l.text));
        return Make(NumberLiteral{v, std::nullopt}, l.pos, EndOfPrevious());
      }
      case Token::kDuration: {
        Next();
        auto d = model::ParseDuration(l.text);
        if (!d.ok()) return Fail(l.pos, d.status().message());
        return Make(NumberLiteral{static_cast<double>(d->count()) / 1000.0, d->count()}, l.pos,
                    EndOfPrevious());
      }
      case Token::kString:
        Next();
        return Make(StringLiteral{UnquoteString(l.text)}, l.pos, EndOfPrevious());
      case Token::kLeftParen: {
        Next();
        ExprPtr inner = ParseBinary(1);
        if (failed_ || !Expect(Token::kRightParen, "paren expression", "\")\"")) return nullptr;
        return Make(Paren{std::move(inner)}, l.pos, EndOfPrevious());
      }
      case Token::kLeftBrace:
        return ParseVectorSelector("", l.pos);
      case Token::kAggregator:
        return ParseAggregate();
      case Token::kIdentifier:
        Next();
        if (Peek().token == Token::kLeftParen) return ParseCall(l);
        return ParseVectorSelector(std::string(l.text), l.pos);
      case Token::kMetricIdentifier:
        Next();
        return ParseVectorSelector(std::string(l.text), l.pos);
      case Token::kStart:
      case Token::kEnd:
        // start() and end() are functions where they are not `@` modifiers.
        if (lexemes_[pos_ + 1].token == Token::kLeftParen) {
          Next();
          return ParseCall(l);
        }
        return Unexpected(l, "");
      default:
        return Unexpected(l, "");
    }
  }

  // Parses `( label, ... )` with an optional trailing comma.
  bool ParseLabelList(std::vector<std::string>* out) {
    if (!Expect(Token::kLeftParen, "grouping opts", "\"(\"")) return false;
    while (Peek().token != Token::kRightParen) {
      const Lexeme& l = Next();
      if (IsLabelWord(l.token)) {
        out->emplace_back(l.text);
      } else if (l.token == Token::kString) {
        out->push_back(UnquoteString(l.text));
      } else {
        Unexpected(l, "grouping opts", "label");
        return false;
      }
      if (Peek().token == Token::kComma) {
        Next();
      } else if (Peek().token != Token::kRightParen) {
        Unexpected(Peek(), "grouping opts", "\",\" or \")\"");
        return false;
      }
    }
    Next();
    return true;
  }

  bool ParseArgs(std::vector<ExprPtr>* args, std::string_view context) {
    if (!Expect(Token::kLeftParen, context, "\"(\"")) return false;
    while (Peek().token != Token::kRightParen) {
      ExprPtr arg = ParseBinary(1);
      if (failed_) return false;
      args->push_back(std::move(arg));
      if (Peek().token == Token::kComma) {
        Next();
      } else if (Peek().token != Token::kRightParen) {
        Unexpected(Peek(), context, "\",\" or \")\"");
        return false;
      }
    }
    Next();
    return true;
  }

  ExprPtr ParseCall(const Lexeme& name) {
    const Function* f = FindFunction(name.text);
    if (f == nullptr)
      return Fail(name.pos, fmt::format("unknown function with name \"{}\"", name.text));
    Call call{f, {}};
    if (!ParseArgs(&call.args, "function call")) return nullptr;
    int32_t end = EndOfPrevious();
    int nargs = static_cast<int>(f->arg_types.size());
    int got = static_cast<int>(call.args.size());
    if (f->variadic == 0) {
      if (nargs != got) {
        return Fail(name.pos, fmt::format("expected {} argument(s) in call to \"{}\", got {}",
                                          nargs, f->name, got));
      }
    } else if (nargs - 1 > got) {
      return Fail(name.pos,
                  fmt::format("expected at least {} argument(s) in call to \"{}\", got {}",
                              nargs - 1, f->name, got));
    } else if (f->variadic > 0 && nargs - 1 + f->variadic < got) {
      return Fail(name.pos, fmt::format("expected at most {} argument(s) in call to \"{}\", got {}",
                                        nargs - 1 + f->variadic, f->name, got));
    }
    for (int i = 0; i < got; ++i) {
      ValueType want = f->arg_types[std::min(i, nargs - 1)];
      ExpectType(*call.args[i], want, fmt::format("call to function \"{}\"", f->name));
      if (failed_) return nullptr;
    }
    return Make(std::move(call), name.pos, end);
  }

  ExprPtr ParseAggregate() {
    const Lexeme& l = Next();
    Aggregate agg;
    ToAggregateOp(l.text, &agg.op);
    bool grouped = false;
    auto parse_grouping = [&]() {
      agg.without = Next().token == Token::kWithout;
      grouped = true;
      return ParseLabelList(&agg.grouping);
    };
    if ((Peek().token == Token::kBy || Peek().token == Token::kWithout) && !parse_grouping()) {
      return nullptr;
    }
    std::vector<ExprPtr> args;
    if (!ParseArgs(&args, "aggregation")) return nullptr;
    if (!grouped && (Peek().token == Token::kBy || Peek().token == Token::kWithout) &&
        !parse_grouping()) {
      return nullptr;
    }
    size_t want = TakesParameter(agg.op) ? 2 : 1;
    if (args.size() != want) {
      return Fail(l.pos, fmt::format("wrong number of arguments for aggregate expression provided, "
                                     "expected {}, got {}",
                                     want, args.size()));
    }
    if (want == 2) agg.param = std::move(args[0]);
    agg.expr = std::move(args.back());
    ExpectType(*agg.expr, ValueType::kVector, "aggregation expression");
    if (agg.param) {
      ExpectType(*agg.param,
                 agg.op == AggregateOp::kCountValues ? ValueType::kString : ValueType::kScalar,
                 "aggregation parameter");
    }
    if (failed_) return nullptr;
    return Make(std::move(agg), l.pos, EndOfPrevious());
  }

  // Parses the optional `{...}` after `name` (which may be empty) and checks the selector.
  ExprPtr ParseVectorSelector(std::string name, int32_t start) {
    VectorSelector vs;
    if (Peek().token == Token::kLeftBrace) {
      Next();
      if (!ParseMatchers(&vs)) return nullptr;
    }
    int32_t end = EndOfPrevious();
    if (!name.empty()) {
      if (!vs.name.empty()) {
        return Fail(start, fmt::format("metric name must not be set twice: \"{}\" or \"{}\"", name,
                                       vs.name));
      }
      for (const auto& m : vs.matchers) {
        if (m.name() == model::kMetricName) {
          return Fail(start, fmt::format("metric name must not be set twice: \"{}\" or \"{}\"",
                                         name, m.value()));
        }
      }
      vs.name = name;
      vs.matchers.push_back(
          *Matcher::Make(Matcher::Type::kEqual, std::string(model::kMetricName), name));
    }
    if (vs.name.empty()) {
      bool non_empty = false;
      for (const auto& m : vs.matchers) non_empty = non_empty || !m.Matches("");
      if (!non_empty && !selector_only_) {
        return Fail(start, "vector selector must contain at least one non-empty matcher");
      }
    }
    return Make(std::move(vs), start, end);
  }

  bool ParseMatchers(VectorSelector* vs) {
    while (Peek().token != Token::kRightBrace) {
      const Lexeme& name = Next();
      std::string label;
      if (name.token == Token::kString) {
        label = UnquoteString(name.text);
        if (Peek().token == Token::kComma || Peek().token == Token::kRightBrace) {
          // A lone quoted string names the metric.
          if (!vs->name.empty()) {
            Fail(name.pos, fmt::format("metric name must not be set twice: \"{}\" or \"{}\"",
                                       vs->name, label));
            return false;
          }
          vs->name = label;
          vs->matchers.push_back(
              *Matcher::Make(Matcher::Type::kEqual, std::string(model::kMetricName), label));
          if (Peek().token == Token::kComma) Next();
          continue;
        }
      } else if (IsLabelWord(name.token) || name.token == Token::kMetricIdentifier) {
        label = std::string(name.text);
      } else {
        Unexpected(name, "label matching", "identifier or \"}\"");
        return false;
      }
      Matcher::Type type;
      switch (Peek().token) {
        case Token::kAssign:
          type = Matcher::Type::kEqual;
          break;
        case Token::kNeq:
          type = Matcher::Type::kNotEqual;
          break;
        case Token::kEqlRegex:
          type = Matcher::Type::kRegexMatch;
          break;
        case Token::kNeqRegex:
          type = Matcher::Type::kRegexNoMatch;
          break;
        default:
          Unexpected(Peek(), "label matching", "label matching operator");
          return false;
      }
      Next();
      const Lexeme& value = Next();
      if (value.token != Token::kString) {
        Unexpected(value, "label matching", "string");
        return false;
      }
      auto m = Matcher::Make(type, label, UnquoteString(value.text));
      if (!m.ok()) {
        Fail(value.pos, m.status().message());
        return false;
      }
      vs->matchers.push_back(std::move(*m));
      if (Peek().token == Token::kComma) {
        Next();
      } else if (Peek().token != Token::kRightBrace) {
        Unexpected(Peek(), "label matching", "\",\" or \"}\"");
        return false;
      }
    }
    Next();
    return true;
  }

  // Parses a duration or a number of seconds (signed when `allow_sign`), in milliseconds.
  bool ParseDurationValue(int64_t* ms, bool allow_sign, std::string_view context) {
    bool negative = false;
    if (allow_sign && (Peek().token == Token::kSub || Peek().token == Token::kAdd)) {
      negative = Next().token == Token::kSub;
    }
    const Lexeme& l = Next();
    if (l.token == Token::kDuration) {
      auto d = model::ParseDuration(l.text);
      if (!d.ok() || static_cast<double>(d->count()) > kMaxMillis) {
        Fail(l.pos,
             d.ok() ? fmt::format("duration out of range: {}", l.text) : d.status().message());
        return false;
      }
      *ms = d->count();
    } else if (l.token == Token::kNumber) {
      double seconds;
      if (!ParseNumber(l.text, &seconds) || !std::isfinite(seconds) ||
          std::abs(seconds) * 1000 > kMaxMillis) {
        Fail(l.pos, fmt::format("invalid duration \"{}\"", l.text));
        return false;
      }
      *ms = std::llround(seconds * 1000);
    } else {
      Unexpected(l, context, "duration");
      return false;
    }
    if (negative) *ms = -*ms;
    return true;
  }

  // Applies `[range]`, `[range:step]`, `offset` and `@` after a primary expression.
  ExprPtr ParsePostfix(ExprPtr expr) {
    while (!failed_ && expr) {
      const Lexeme& l = Peek();
      if (l.token == Token::kLeftBracket) {
        expr = ParseRange(std::move(expr));
      } else if (l.token == Token::kOffset) {
        Next();
        int64_t offset;
        if (!ParseDurationValue(&offset, true, "offset")) return nullptr;
        TimeModifiers* mods = ModifiersOf(*expr, "offset");
        if (mods == nullptr) return nullptr;
        if (mods->offset_ms != 0) return Fail(l.pos, "offset may not be set multiple times");
        mods->offset_ms = offset;
        expr->pos.end = EndOfPrevious();
      } else if (l.token == Token::kAt) {
        Next();
        TimeModifiers* mods = ModifiersOf(*expr, "@");
        if (mods == nullptr) return nullptr;
        if (mods->at != AtKind::kNone)
          return Fail(l.pos, "@ <timestamp> may not be set multiple times");
        if (!ParseAt(mods)) return nullptr;
        expr->pos.end = EndOfPrevious();
      } else {
        break;
      }
    }
    return expr;
  }

  bool ParseAt(TimeModifiers* mods) {
    const Lexeme& l = Peek();
    if (l.token == Token::kStart || l.token == Token::kEnd) {
      Next();
      mods->at = l.token == Token::kStart ? AtKind::kStart : AtKind::kEnd;
      return Expect(Token::kLeftParen, "@", "\"(\"") && Expect(Token::kRightParen, "@", "\")\"");
    }
    bool negative = false;
    if (l.token == Token::kSub || l.token == Token::kAdd) negative = Next().token == Token::kSub;
    const Lexeme& n = Next();
    double seconds;
    if (n.token == Token::kDuration) {
      auto d = model::ParseDuration(n.text);
      if (!d.ok()) {
        Fail(n.pos, d.status().message());
        return false;
      }
      seconds = static_cast<double>(d->count()) / 1000.0;  // Bounded below.
    } else if (n.token != Token::kNumber || !ParseNumber(n.text, &seconds)) {
      Unexpected(n, "@", "timestamp");
      return false;
    }
    if (negative) seconds = -seconds;
    if (!std::isfinite(seconds) || std::abs(seconds) * 1000 > kMaxMillis) {
      Fail(n.pos, fmt::format("timestamp out of bounds for @ modifier: {}", seconds));
      return false;
    }
    mods->at = AtKind::kTimestamp;
    mods->at_ms = std::llround(seconds * 1000);
    return true;
  }

  TimeModifiers* ModifiersOf(Expr& e, std::string_view what) {
    if (auto* vs = e.As<VectorSelector>()) return &vs->modifiers;
    if (auto* ms = e.As<MatrixSelector>()) return &ms->selector.modifiers;
    if (auto* sq = e.As<Subquery>()) return &sq->modifiers;
    Fail(e.pos.start, fmt::format("{} modifier must be preceded by an instant vector selector or "
                                  "range vector selector or a subquery",
                                  what));
    return nullptr;
  }

  ExprPtr ParseRange(ExprPtr expr) {
    const Lexeme& open = Next();
    int64_t range;
    if (!ParseDurationValue(&range, false, "range")) return nullptr;
    if (Peek().token == Token::kColon) {
      Next();
      int64_t step = 0;
      if (Peek().token != Token::kRightBracket &&
          !ParseDurationValue(&step, false, "subquery step")) {
        return nullptr;
      }
      if (!Expect(Token::kRightBracket, "subquery", "\"]\"")) return nullptr;
      if (expr->type() != ValueType::kVector) {
        return Fail(expr->pos.start, fmt::format("subquery is only allowed on instant vector, got "
                                                 "{} instead",
                                                 DocumentedType(expr->type())));
      }
      if (range <= 0) return Fail(open.pos, "duration must be greater than 0");
      int32_t start = expr->pos.start;
      return Make(Subquery{std::move(expr), range, step, {}}, start, EndOfPrevious());
    }
    if (!Expect(Token::kRightBracket, "range", "\"]\"")) return nullptr;
    auto* vs = expr->As<VectorSelector>();
    if (vs == nullptr) return Fail(expr->pos.start, "ranges only allowed for vector selectors");
    if (vs->modifiers.offset_ms != 0 || vs->modifiers.at != AtKind::kNone) {
      return Fail(open.pos, "no offset modifiers allowed before range");
    }
    if (range <= 0) return Fail(open.pos, "duration must be greater than 0");
    int32_t start = expr->pos.start;
    return Make(MatrixSelector{std::move(*vs), range}, start, EndOfPrevious());
  }

 public:
  bool selector_only_ = false;

 private:
  std::string_view query_;
  std::vector<Lexeme> lexemes_;
  size_t pos_ = 0;
  bool failed_ = false;
  Status error_;
};

}  // namespace

Result<ExprPtr> ParseExpr(std::string_view query) { return Parser(query).ParseQuery(); }

Result<std::vector<model::Matcher>> ParseSeriesSelector(std::string_view selector) {
  Parser p(selector);
  p.selector_only_ = true;
  return p.ParseSelectorOnly();
}

}  // namespace argus::promql
