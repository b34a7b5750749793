#pragma once

// The tokenizer of the template language (internal to src/tmpl): splits a template's text into
// text runs and the tokens of its actions, as Go's text/template/parse lexer does, with the
// delimiters "{{" and "}}", trim markers ("{{- " and " -}}") applied to the neighbouring text and
// comments dropped.

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace argus::tmpl::internal {

enum class TokenKind {
  kText,
  kLeftDelim,
  kRightDelim,
  kSpace,
  kIdentifier,  // a function name
  kKeyword,     // block break continue define else end if nil range template with
  kBool,
  kField,     // .Name
  kVariable,  // $ or $name
  kDot,
  kDeclare,  // :=
  kAssign,   // =
  kPipe,
  kLeftParen,
  kRightParen,
  kComma,
  kString,  // already unquoted
  kChar,    // a rune constant; `text` holds its code point in decimal
  kNumber,
  kEOF,
};

struct Token {
  TokenKind kind;
  std::string text;  // The source text, or the unquoted string for kString.
  int line;          // 1-based.
  int col;           // 0-based byte offset in the line, for execution errors.
};

// Tokenizes `input`. Errors carry Go's wording and the line: "3: unclosed action".
Result<std::vector<Token>> Lex(std::string_view input);

}  // namespace argus::tmpl::internal
