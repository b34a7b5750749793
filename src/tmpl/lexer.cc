#include "tmpl/lexer.h"

#include <absl/strings/ascii.h>

#include <array>
#include <cstdint>

#include "tmpl/literal.h"

namespace argus::tmpl::internal {
namespace {

constexpr std::string_view kLeftDelim = "{{";
constexpr std::string_view kRightDelim = "}}";
constexpr std::array<std::string_view, 11> kKeywords = {"block", "break",    "continue", "define",
                                                        "else",  "end",      "if",       "nil",
                                                        "range", "template", "with"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view TrimLeftSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view TrimRightSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}
bool IsAlnum(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

class Lexer {
 public:
  explicit Lexer(std::string_view input) : input_(input) {}

  Result<std::vector<Token>> Run() {
    while (pos_ < input_.size()) {
      ARGUS_RETURN_IF_ERROR(LexText());
    }
    Emit(TokenKind::kEOF, "", pos_);
    return std::move(tokens_);
  }

 private:
  Status Error(std::string_view message) const {
    return Status::Errorf(Status::Code::kInvalidInput, "{}: {}", line_, message);
  }

  void Emit(TokenKind kind, std::string text, size_t start) {
    int col = start >= line_start_ ? static_cast<int>(start - line_start_) : 0;
    tokens_.push_back(Token{kind, std::move(text), start_line_, col});
  }

  // Advances over input_[pos_, end), counting lines.
  void Advance(size_t end) {
    for (; pos_ < end; ++pos_) {
      if (input_[pos_] == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      }
    }
  }

  static bool StartsWithRightTrim(std::string_view s) {
    return s.size() >= 2 + kRightDelim.size() && IsSpace(s[0]) && s[1] == '-' &&
           s.substr(2, kRightDelim.size()) == kRightDelim;
  }

  // Text up to the next action, then the action.
  Status LexText() {
    size_t delim = input_.find(kLeftDelim, pos_);
    size_t text_end = delim == std::string_view::npos ? input_.size() : delim;
    bool trim_left = false;
    if (delim != std::string_view::npos) {
      std::string_view after = input_.substr(delim + kLeftDelim.size());
      trim_left = after.size() >= 2 && after[0] == '-' && IsSpace(after[1]);
    }
    std::string_view text = input_.substr(pos_, text_end - pos_);
    if (trim_left) text = TrimRightSpace(text);
    if (trim_next_text_) text = TrimLeftSpace(text);
    trim_next_text_ = false;
    start_line_ = line_;
    if (!text.empty()) Emit(TokenKind::kText, std::string(text), pos_);
    Advance(text_end);
    if (delim == std::string_view::npos) return Status::Ok();
    return LexAction(trim_left);
  }

  Status LexAction(bool trim_left) {
    start_line_ = line_;
    size_t start = pos_;
    Advance(pos_ + kLeftDelim.size() + (trim_left ? 2 : 0));
    std::string_view rest = input_.substr(pos_);
    if (rest.substr(0, 2) == "/*") return LexComment();
    Emit(TokenKind::kLeftDelim, std::string(kLeftDelim), start);
    int paren_depth = 0;
    while (true) {
      start_line_ = line_;
      rest = input_.substr(pos_);
      if (StartsWithRightTrim(rest) || rest.substr(0, kRightDelim.size()) == kRightDelim) {
        if (paren_depth > 0) return Error("unclosed left paren");
        bool trim = rest[0] != kRightDelim[0];
        Emit(TokenKind::kRightDelim, std::string(kRightDelim), pos_);
        Advance(pos_ + kRightDelim.size() + (trim ? 2 : 0));
        trim_next_text_ = trim;
        return Status::Ok();
      }
      if (rest.empty()) return Error("unclosed action");
      char c = rest[0];
      size_t at = pos_;
      if (IsSpace(c)) {
        size_t end = pos_;
        while (end < input_.size() && IsSpace(input_[end]) &&
               !StartsWithRightTrim(input_.substr(end))) {
          ++end;
        }
        if (end == pos_) end = pos_ + 1;
        Advance(end);
        Emit(TokenKind::kSpace, " ", at);
      } else if (c == '=') {
        Advance(pos_ + 1);
        Emit(TokenKind::kAssign, "=", at);
      } else if (c == ':') {
        if (rest.substr(0, 2) != ":=") return Error("expected :=");
        Advance(pos_ + 2);
        Emit(TokenKind::kDeclare, ":=", at);
      } else if (c == '|') {
        Advance(pos_ + 1);
        Emit(TokenKind::kPipe, "|", at);
      } else if (c == ',') {
        Advance(pos_ + 1);
        Emit(TokenKind::kComma, ",", at);
      } else if (c == '(') {
        ++paren_depth;
        Advance(pos_ + 1);
        Emit(TokenKind::kLeftParen, "(", at);
      } else if (c == ')') {
        if (--paren_depth < 0) return Error("unexpected right paren");
        Advance(pos_ + 1);
        Emit(TokenKind::kRightParen, ")", at);
      } else if (c == '"' || c == '\'') {
        ARGUS_RETURN_IF_ERROR(LexQuote(c));
      } else if (c == '`') {
        size_t end = input_.find('`', pos_ + 1);
        if (end == std::string_view::npos) return Error("unterminated raw quoted string");
        std::string text(input_.substr(pos_ + 1, end - pos_ - 1));
        Advance(end + 1);
        Emit(TokenKind::kString, std::move(text), at);
      } else if (c == '$') {
        ARGUS_RETURN_IF_ERROR(LexWord(TokenKind::kVariable, 1));
      } else if (c == '.' && rest.size() > 1 && absl::ascii_isdigit(rest[1])) {
        ARGUS_RETURN_IF_ERROR(LexNumber());
      } else if (c == '.') {
        if (rest.size() > 1 && IsAlnum(rest[1])) {
          ARGUS_RETURN_IF_ERROR(LexWord(TokenKind::kField, 1));
        } else {
          Advance(pos_ + 1);
          Emit(TokenKind::kDot, ".", at);
        }
      } else if (c == '+' || c == '-' || absl::ascii_isdigit(c)) {
        ARGUS_RETURN_IF_ERROR(LexNumber());
      } else if (IsAlnum(c)) {
        ARGUS_RETURN_IF_ERROR(LexWord(TokenKind::kIdentifier, 0));
      } else {
        return Error(fmt::format("unrecognized character in action: U+{:04X}",
                                 static_cast<unsigned char>(c)));
      }
    }
  }

  Status LexComment() {
    size_t end = input_.find("*/", pos_ + 2);
    if (end == std::string_view::npos) return Error("unclosed comment");
    Advance(end + 2);
    std::string_view rest = input_.substr(pos_);
    bool trim = StartsWithRightTrim(rest);
    if (!trim && rest.substr(0, kRightDelim.size()) != kRightDelim) {
      return Error("comment ends before closing delimiter");
    }
    Advance(pos_ + kRightDelim.size() + (trim ? 2 : 0));
    trim_next_text_ = trim;
    return Status::Ok();
  }

  // A word: a field, a variable, an identifier, a keyword or a bool.
  Status LexWord(TokenKind kind, size_t prefix) {
    size_t at = pos_;
    size_t end = pos_ + prefix;
    while (end < input_.size() && IsAlnum(input_[end])) ++end;
    std::string word(input_.substr(pos_, end - pos_));
    Advance(end);
    ARGUS_RETURN_IF_ERROR(CheckTerminator(word));
    if (kind == TokenKind::kIdentifier) {
      if (word == "true" || word == "false") {
        kind = TokenKind::kBool;
      } else {
        for (std::string_view keyword : kKeywords) {
          if (word == keyword) kind = TokenKind::kKeyword;
        }
      }
    }
    Emit(kind, std::move(word), at);
    return Status::Ok();
  }

  Status CheckTerminator(std::string_view word) const {
    std::string_view rest = input_.substr(pos_);
    if (rest.empty() || IsSpace(rest[0]) || rest.substr(0, kRightDelim.size()) == kRightDelim) {
      return Status::Ok();
    }
    switch (rest[0]) {
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
      case '=':
        return Status::Ok();
      default:
        return Error(fmt::format("bad character U+{:04X} '{}' after {}",
                                 static_cast<unsigned char>(rest[0]), rest[0], word));
    }
  }

  Status LexQuote(char quote) {
    size_t at = pos_;
    size_t end = pos_ + 1;
    while (true) {
      if (end >= input_.size() || input_[end] == '\n') {
        return Error(quote == '"' ? "unterminated quoted string"
                                  : "unterminated character constant");
      }
      if (input_[end] == '\\') {
        end += 2;
        continue;
      }
      if (input_[end] == quote) break;
      ++end;
    }
    std::string_view quoted = input_.substr(pos_, end + 1 - pos_);
    Result<std::string> text = UnquoteGo(quoted);
    if (!text.ok()) return Error(text.status().message());
    Advance(end + 1);
    if (quote == '"') {
      Emit(TokenKind::kString, std::move(*text), at);
      return Status::Ok();
    }
    // A rune constant: decode the single UTF-8 sequence.
    const std::string& s = *text;
    uint32_t r = static_cast<unsigned char>(s[0]);
    if (r >= 0x80) {
      int extra = r >= 0xF0 ? 3 : r >= 0xE0 ? 2 : 1;
      r &= (0x3F >> extra);
      for (int i = 1; i <= extra && i < static_cast<int>(s.size()); ++i) {
        r = (r << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
      }
    }
    Emit(TokenKind::kChar, std::to_string(r), at);
    return Status::Ok();
  }

  Status LexNumber() {
    size_t at = pos_;
    size_t end = pos_;
    if (input_[end] == '+' || input_[end] == '-') ++end;
    while (end < input_.size()) {
      char c = input_[end];
      bool exponent_sign = (c == '+' || c == '-') && end > pos_ &&
                           (input_[end - 1] == 'e' || input_[end - 1] == 'E' ||
                            input_[end - 1] == 'p' || input_[end - 1] == 'P');
      if (IsAlnum(c) || c == '.' || exponent_sign) {
        ++end;
      } else {
        break;
      }
    }
    std::string text(input_.substr(pos_, end - pos_));
    Advance(end);
    if (text == "+" || text == "-") return Error(fmt::format("bad number syntax: \"{}\"", text));
    Emit(TokenKind::kNumber, std::move(text), at);
    return Status::Ok();
  }

  std::string_view input_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  int start_line_ = 1;  // Line of the token being lexed.
  bool trim_next_text_ = false;
  std::vector<Token> tokens_;
};

}  // namespace

Result<std::vector<Token>> Lex(std::string_view input) { return Lexer(input).Run(); }

}  // namespace argus::tmpl::internal
