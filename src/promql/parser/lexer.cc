#include "promql/parser/lexer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <utility>

#include "base/utf8.h"
#include "promql/parser/printer_util.h"

namespace argus::promql {
namespace {

constexpr std::pair<std::string_view, Token> kKeywords[] = {
    {"and", Token::kAnd},
    {"or", Token::kOr},
    {"unless", Token::kUnless},
    {"atan2", Token::kAtan2},
    {"bool", Token::kBool},
    {"by", Token::kBy},
    {"without", Token::kWithout},
    {"on", Token::kOn},
    {"ignoring", Token::kIgnoring},
    {"group_left", Token::kGroupLeft},
    {"group_right", Token::kGroupRight},
    {"offset", Token::kOffset},
    {"start", Token::kStart},
    {"end", Token::kEnd},
    {"sum", Token::kAggregator},
    {"avg", Token::kAggregator},
    {"count", Token::kAggregator},
    {"min", Token::kAggregator},
    {"max", Token::kAggregator},
    {"group", Token::kAggregator},
    {"stddev", Token::kAggregator},
    {"stdvar", Token::kAggregator},
    {"topk", Token::kAggregator},
    {"bottomk", Token::kAggregator},
    {"quantile", Token::kAggregator},
    {"count_values", Token::kAggregator},
    {"limitk", Token::kAggregator},
    {"limit_ratio", Token::kAggregator},
    {"inf", Token::kNumber},
    {"nan", Token::kNumber},
};

bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Token KeywordToken(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [name, token] : kKeywords) {
    if (name == lower) return token;
  }
  return Token::kIdentifier;
}

}  // namespace

bool IsKeyword(std::string_view word) { return KeywordToken(word) != Token::kIdentifier; }

bool IsWordKeyword(Token t) {
  return t != Token::kNumber &&
         std::any_of(std::begin(kKeywords), std::end(kKeywords),
                     [t](const auto& keyword) { return keyword.second == t; });
}

namespace {

class Lexer {
 public:
  explicit Lexer(std::string_view input) : in_(input) {}

  std::vector<Lexeme> Run() {
    while (true) {
      SkipSpaceAndComments();
      if (pos_ >= in_.size()) {
        if (paren_depth_ > 0) return Fail(static_cast<int32_t>(pos_), "unclosed left parenthesis");
        if (in_braces_)
          return Fail(static_cast<int32_t>(pos_), "unexpected end of input inside braces");
        if (in_brackets_) return Fail(static_cast<int32_t>(pos_), "unclosed left bracket");
        Emit(Token::kEof, pos_, pos_);
        return std::move(out_);
      }
      if (!Step()) return std::move(out_);
    }
  }

 private:
  void SkipSpaceAndComments() {
    while (pos_ < in_.size()) {
      if (IsSpace(in_[pos_])) {
        ++pos_;
      } else if (in_[pos_] == '#') {
        while (pos_ < in_.size() && in_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  void Emit(Token token, size_t start, size_t end) {
    out_.push_back({token, static_cast<int32_t>(start), in_.substr(start, end - start), {}});
  }

  std::vector<Lexeme> Fail(int32_t pos, std::string error) {
    FailStep(pos, std::move(error));
    return std::move(out_);
  }
  bool FailStep(size_t pos, std::string error) {
    out_.push_back(
        {Token::kError, static_cast<int32_t>(pos), in_.substr(pos, 0), std::move(error)});
    return false;
  }

  char Peek(size_t ahead = 0) const { return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0'; }

  // Lexes one lexeme at pos_; false after an error.
  bool Step() {
    size_t start = pos_;
    char c = in_[pos_];
    if (c == '"' || c == '\'' || c == '`') return LexString();
    if (in_braces_) return StepInBraces();
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return LexNumberOrDuration();
    if (IsAlpha(c)) return LexIdentifier();
    auto op = [&](Token token, size_t len) {
      pos_ += len;
      Emit(token, start, pos_);
      return true;
    };
    switch (c) {
      case '(':
        ++paren_depth_;
        return op(Token::kLeftParen, 1);
      case ')':
        if (paren_depth_ == 0) return FailStep(start, "unexpected right parenthesis ')'");
        --paren_depth_;
        return op(Token::kRightParen, 1);
      case '{':
        in_braces_ = true;
        return op(Token::kLeftBrace, 1);
      case '}':
        return FailStep(start, "unexpected right brace '}'");
      case '[':
        if (in_brackets_) return FailStep(start, "unexpected left bracket '['");
        in_brackets_ = true;
        return op(Token::kLeftBracket, 1);
      case ']':
        if (!in_brackets_) return FailStep(start, "unexpected right bracket ']'");
        in_brackets_ = false;
        return op(Token::kRightBracket, 1);
      case ',':
        return op(Token::kComma, 1);
      case ':':
        return op(Token::kColon, 1);
      case '@':
        return op(Token::kAt, 1);
      case '+':
        return op(Token::kAdd, 1);
      case '-':
        return op(Token::kSub, 1);
      case '*':
        return op(Token::kMul, 1);
      case '/':
        return op(Token::kDiv, 1);
      case '%':
        return op(Token::kMod, 1);
      case '^':
        return op(Token::kPow, 1);
      case '=':
        if (Peek(1) == '=') return op(Token::kEql, 2);
        if (Peek(1) == '~') return FailStep(start, "unexpected character after '=': '~'");
        return op(Token::kAssign, 1);
      case '!':
        if (Peek(1) == '=') return op(Token::kNeq, 2);
        return FailStep(start, fmt::format("unexpected character after '!': {}", Quote(1)));
      case '<':
        if (Peek(1) == '=') return op(Token::kLte, 2);
        return op(Token::kLss, 1);
      case '>':
        if (Peek(1) == '=') return op(Token::kGte, 2);
        return op(Token::kGtr, 1);
      default:
        return FailStep(start, fmt::format("unexpected character: {}", Quote(0)));
    }
  }

  std::string Quote(size_t ahead) const {
    if (pos_ + ahead >= in_.size()) return "end of input";
    size_t n = Utf8SequenceLength(in_.substr(pos_ + ahead));
    return fmt::format("'{}'", in_.substr(pos_ + ahead, n == 0 ? 1 : n));
  }

  bool StepInBraces() {
    size_t start = pos_;
    char c = in_[pos_];
    auto op = [&](Token token, size_t len) {
      pos_ += len;
      Emit(token, start, pos_);
      return true;
    };
    if (IsAlpha(c)) {
      while (pos_ < in_.size() && (IsAlnum(in_[pos_]) || in_[pos_] == ':')) ++pos_;
      std::string_view word = in_.substr(start, pos_ - start);
      Emit(word.find(':') == std::string_view::npos ? Token::kIdentifier : Token::kMetricIdentifier,
           start, pos_);
      return true;
    }
    switch (c) {
      case ',':
        return op(Token::kComma, 1);
      case '}':
        in_braces_ = false;
        return op(Token::kRightBrace, 1);
      case '=':
        if (Peek(1) == '~') return op(Token::kEqlRegex, 2);
        if (Peek(1) == '=') return op(Token::kEql, 2);
        return op(Token::kAssign, 1);
      case '!':
        if (Peek(1) == '~') return op(Token::kNeqRegex, 2);
        if (Peek(1) == '=') return op(Token::kNeq, 2);
        return FailStep(start,
                        fmt::format("unexpected character after '!' inside braces: {}", Quote(1)));
      default:
        return FailStep(start, fmt::format("unexpected character inside braces: {}", Quote(0)));
    }
  }

  bool LexIdentifier() {
    size_t start = pos_;
    while (pos_ < in_.size() && (IsAlnum(in_[pos_]) || in_[pos_] == ':')) ++pos_;
    std::string_view word = in_.substr(start, pos_ - start);
    if (word.find(':') != std::string_view::npos) {
      Emit(Token::kMetricIdentifier, start, pos_);
    } else {
      Emit(KeywordToken(word), start, pos_);
    }
    return true;
  }

  // Scans digits of `base` (10 or 16); returns how many.
  size_t ScanDigits(bool hex) {
    size_t n = 0;
    while (pos_ < in_.size() &&
           (IsDigit(in_[pos_]) || (hex && std::isxdigit(static_cast<unsigned char>(in_[pos_]))))) {
      ++pos_;
      ++n;
    }
    return n;
  }

  // A duration is one or more <digits><unit>, units ms, s, m, h, d, w, y.
  bool ScanDurationUnits() {
    while (true) {
      if (in_.substr(pos_, 2) == "ms") {
        pos_ += 2;
      } else if (std::string_view("smhdwy").find(Peek()) != std::string_view::npos &&
                 Peek() != '\0') {
        ++pos_;
      } else {
        return false;
      }
      if (!IsDigit(Peek())) return true;
      ScanDigits(false);
    }
  }

  bool LexNumberOrDuration() {
    size_t start = pos_;
    bool plain_int = true;
    if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      pos_ += 2;
      ScanDigits(true);
      plain_int = false;
    } else {
      ScanDigits(false);
      if (Peek() == '.') {
        ++pos_;
        ScanDigits(false);
        plain_int = false;
      }
      if ((Peek() == 'e' || Peek() == 'E') &&
          (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
        pos_ += 2;
        ScanDigits(false);
        plain_int = false;
      }
    }
    if (plain_int && IsAlpha(Peek())) {
      if (ScanDurationUnits() && !IsAlnum(Peek())) {
        Emit(Token::kDuration, start, pos_);
        return true;
      }
    }
    if (IsAlnum(Peek()) || Peek() == '.') {
      while (pos_ < in_.size() && (IsAlnum(in_[pos_]) || in_[pos_] == '.')) ++pos_;
      return FailStep(start, fmt::format("bad number or duration syntax: \"{}\"",
                                         in_.substr(start, pos_ - start)));
    }
    Emit(Token::kNumber, start, pos_);
    return true;
  }

  bool LexString() {
    size_t start = pos_;
    char quote = in_[pos_++];
    while (true) {
      if (pos_ >= in_.size()) return FailStep(start, "unterminated quoted string");
      char c = in_[pos_];
      if (c == quote) {
        ++pos_;
        break;
      }
      if (quote != '`' && c == '\n') return FailStep(start, "unterminated quoted string");
      if (quote != '`' && c == '\\') {
        if (!CheckEscape(quote, start)) return false;
        continue;
      }
      size_t n = Utf8SequenceLength(in_.substr(pos_));
      if (n == 0) return FailStep(pos_, "invalid UTF-8 rune");
      pos_ += n;
    }
    Emit(Token::kString, start, pos_);
    return true;
  }

  // Checks the escape at pos_ (a backslash) and moves past it; errors point at the string's start.
  bool CheckEscape(char quote, size_t start) {
    ++pos_;
    char c = Peek();
    auto hex_digits = [&](int n) {
      for (int i = 0; i < n; ++i) {
        if (!std::isxdigit(static_cast<unsigned char>(Peek()))) {
          return FailStep(start, "illegal character in escape sequence");
        }
        ++pos_;
      }
      return true;
    };
    switch (c) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case '\\':
        ++pos_;
        return true;
      case 'x':
        ++pos_;
        return hex_digits(2);
      case 'u':
        ++pos_;
        return hex_digits(4);
      case 'U':
        ++pos_;
        return hex_digits(8);
      default:
        if (c == quote) {
          ++pos_;
          return true;
        }
        if (c >= '0' && c <= '7') {
          for (int i = 0; i < 3; ++i) {
            if (Peek() < '0' || Peek() > '7') {
              return FailStep(start, "illegal character in escape sequence");
            }
            ++pos_;
          }
          return true;
        }
        if (c == '\0') return FailStep(start, "escape sequence not terminated");
        return FailStep(start, "unknown escape sequence");
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  int paren_depth_ = 0;
  bool in_braces_ = false;
  bool in_brackets_ = false;
  std::vector<Lexeme> out_;
};

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

}  // namespace

std::vector<Lexeme> Lex(std::string_view input) { return Lexer(input).Run(); }

std::string DescribeLexeme(const Lexeme& l) {
  switch (l.token) {
    case Token::kEof:
      return "end of input";
    case Token::kError:
      return l.error;
    case Token::kIdentifier:
      return fmt::format("identifier \"{}\"", l.text);
    case Token::kMetricIdentifier:
      return fmt::format("metric identifier \"{}\"", l.text);
    case Token::kNumber:
      return fmt::format("number \"{}\"", l.text);
    case Token::kDuration:
      return fmt::format("duration \"{}\"", l.text);
    case Token::kString:
      return fmt::format("string {}", l.text);
    case Token::kAggregator:
      return fmt::format("<aggr:{}>", l.text);
    case Token::kAdd:
    case Token::kSub:
    case Token::kMul:
    case Token::kDiv:
    case Token::kMod:
    case Token::kPow:
    case Token::kEql:
    case Token::kNeq:
    case Token::kLss:
    case Token::kLte:
    case Token::kGtr:
    case Token::kGte:
    case Token::kEqlRegex:
    case Token::kNeqRegex:
    case Token::kAnd:
    case Token::kOr:
    case Token::kUnless:
    case Token::kAtan2:
      return fmt::format("<op:{}>", l.text);
    case Token::kBool:
    case Token::kBy:
    case Token::kWithout:
    case Token::kOn:
    case Token::kIgnoring:
    case Token::kGroupLeft:
    case Token::kGroupRight:
    case Token::kOffset:
    case Token::kStart:
    case Token::kEnd:
      return fmt::format("<{}>", l.text);
    default:
      return fmt::format("\"{}\"", l.text);
  }
}

std::string UnquoteString(std::string_view quoted) {
  std::string out;
  char quote = quoted.front();
  std::string_view body = quoted.substr(1, quoted.size() - 2);
  if (quote == '`') return std::string(body);
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out.push_back(body[i]);
      continue;
    }
    char c = body[++i];
    auto hex = [&](size_t n) {
      uint32_t v = std::stoul(std::string(body.substr(i + 1, n)), nullptr, 16);
      i += n;
      return v;
    };
    switch (c) {
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case 'x':
        out.push_back(static_cast<char>(hex(2)));
        break;
      case 'u':
        AppendUtf8(&out, hex(4));
        break;
      case 'U':
        AppendUtf8(&out, hex(8));
        break;
      default:
        if (c >= '0' && c <= '7') {
          out.push_back(static_cast<char>(std::stoul(std::string(body.substr(i, 3)), nullptr, 8)));
          i += 2;
        } else {
          out.push_back(c);  // \\ and the escaped quote.
        }
    }
  }
  return out;
}

}  // namespace argus::promql
