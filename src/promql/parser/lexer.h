#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace argus::promql {

enum class Token {
  kEof,
  kError,
  kIdentifier,        // foo, also keywords used as names (see keyword below)
  kMetricIdentifier,  // foo:bar
  kNumber,
  kDuration,
  kString,
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kLeftBracket,
  kRightBracket,
  kComma,
  kColon,
  kAssign,
  kAt,
  // Operators.
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kEql,
  kNeq,
  kLss,
  kLte,
  kGtr,
  kGte,
  kEqlRegex,
  kNeqRegex,
  // Keywords (matched without regard to case outside braces).
  kAnd,
  kOr,
  kUnless,
  kAtan2,
  kBool,
  kBy,
  kWithout,
  kOn,
  kIgnoring,
  kGroupLeft,
  kGroupRight,
  kOffset,
  kStart,
  kEnd,
  kAggregator,  // sum, avg, ... (the text says which)
};

struct Lexeme {
  Token token = Token::kEof;
  int32_t pos = 0;        // Byte offset of the first character.
  std::string_view text;  // As written (quotes included for strings).
  std::string error;      // For kError: what is wrong.
};

// Splits a query into lexemes, as Prometheus' lexer does: keywords are recognised only outside
// braces, durations only where a number is followed by a unit, `#` comments run to the end of
// the line. Stops at the first error, which becomes a kError lexeme. The returned views point
// into `input`, which must outlive them.
std::vector<Lexeme> Lex(std::string_view input);

// Whether `word` (in any case) is a keyword outside braces, such as `sum`, `by` or `inf`.
bool IsKeyword(std::string_view word);

// Whether `t` is the token of a keyword that reads as a word, such as `by`, `and` or `sum`, rather
// than as a number (`inf`, `nan`). Such keywords may still name labels.
bool IsWordKeyword(Token t);

// A human description of a lexeme for "unexpected ..." messages: `identifier "foo"`,
// `end of input`, `"("`.
std::string DescribeLexeme(const Lexeme& lexeme);

// Decodes a string literal in any of the three quote kinds with Go's escapes. The literal was
// accepted by Lex, so it is well formed.
std::string UnquoteString(std::string_view quoted);

}  // namespace argus::promql
