#include "tmpl/funcs_text.h"

#include <absl/strings/ascii.h>
#include <re2/re2.h>

#include <cmath>
#include <vector>

#include "base/utf8.h"
#include "model/regex_expand.h"
#include "tmpl/funcs_go.h"
#include "tmpl/printf.h"

namespace argus::tmpl::internal {
namespace {

re2::StringPiece Piece(std::string_view s) { return re2::StringPiece(s.data(), s.size()); }

// Go's regexp/syntax wording of an RE2 error.
std::string_view GoRegexpError(re2::RE2::ErrorCode code) {
  switch (code) {
    case re2::RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case re2::RE2::ErrorBadCharClass:
      return "invalid character class";
    case re2::RE2::ErrorBadCharRange:
      return "invalid character class range";
    case re2::RE2::ErrorMissingBracket:
      return "missing closing ]";
    case re2::RE2::ErrorMissingParen:
      return "missing closing )";
    case re2::RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case re2::RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case re2::RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case re2::RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case re2::RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case re2::RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case re2::RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case re2::RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case re2::RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "regexp/syntax: internal error";
  }
}

// Compiles `pattern` with Go's regexp semantics; the error reads as Go's.
Result<std::unique_ptr<re2::RE2>> Compile(const std::string& pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<re2::RE2>(Piece(pattern), options);
  if (!re->ok()) {
    return Status::Errorf("error parsing regexp: {}: `{}`", GoRegexpError(re->error_code()),
                          re->error_arg());
  }
  return re;
}

bool IsWordRune(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  return absl::ascii_isalnum(c) || c == '_' || c >= 0x80 ||
         (c == '\'' && i > 0 && i + 1 < s.size() && absl::ascii_isalpha(s[i - 1]) &&
          absl::ascii_isalpha(s[i + 1]));
}

}  // namespace

Result<Value> ToUpperFunc(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("toUpper", args, 1));
  ARGUS_ASSIGN_OR_RETURN(std::string s, StringArg("toUpper", args, 0));
  absl::AsciiStrToUpper(&s);
  return Value(std::move(s));
}

Result<Value> ToLowerFunc(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("toLower", args, 1));
  ARGUS_ASSIGN_OR_RETURN(std::string s, StringArg("toLower", args, 0));
  absl::AsciiStrToLower(&s);
  return Value(std::move(s));
}

Result<Value> MatchFunc(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("match", args, 2));
  ARGUS_ASSIGN_OR_RETURN(std::string pattern, StringArg("match", args, 0));
  ARGUS_ASSIGN_OR_RETURN(std::string text, StringArg("match", args, 1));
  ARGUS_ASSIGN_OR_RETURN(auto re, Compile(pattern));
  return Value(re2::RE2::PartialMatch(Piece(text), *re));
}

Result<Value> ReReplaceAllFunc(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("reReplaceAll", args, 3));
  ARGUS_ASSIGN_OR_RETURN(std::string pattern, StringArg("reReplaceAll", args, 0));
  ARGUS_ASSIGN_OR_RETURN(std::string replacement, StringArg("reReplaceAll", args, 1));
  ARGUS_ASSIGN_OR_RETURN(std::string text, StringArg("reReplaceAll", args, 2));
  ARGUS_ASSIGN_OR_RETURN(auto re, Compile(pattern));
  std::vector<re2::StringPiece> groups(static_cast<size_t>(re->NumberOfCapturingGroups()) + 1);
  std::string out;
  size_t search = 0;
  size_t last_match_end = 0;
  // Go's ReplaceAllString: successive non-overlapping matches; an empty match right after the
  // previous match is not replaced; the search always advances at least one character.
  while (search <= text.size()) {
    if (!re->Match(Piece(text), search, text.size(), re2::RE2::UNANCHORED, groups.data(),
                   static_cast<int>(groups.size()))) {
      break;
    }
    size_t start = static_cast<size_t>(groups[0].data() - text.data());
    size_t end = start + groups[0].size();
    out.append(text, last_match_end, start - last_match_end);
    if (end > last_match_end || start == 0) {
      model::ExpandRegexTemplate(*re, replacement, groups, &out);
    }
    last_match_end = end;
    size_t width =
        search < text.size() ? Utf8SequenceLength(std::string_view(text).substr(search)) : 0;
    if (width == 0) width = 1;
    search = search + width > end ? search + width : end;
  }
  out.append(text, last_match_end, std::string::npos);
  return Value(std::move(out));
}

Result<Value> SafeHtmlFunc(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("safeHtml", args, 1));
  ARGUS_ASSIGN_OR_RETURN(std::string s, StringArg("safeHtml", args, 0));
  return Value(std::move(s));
}

std::string FourDigits(double v) {
  std::vector<Value> args = {Value(v)};
  return Sprintf("%.4g", args);
}

Result<Value> HumanizeDurationFunc(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("humanizeDuration", args, 1));
  ARGUS_ASSIGN_OR_RETURN(double v, ToFloat(args[0]));
  if (std::isnan(v) || std::isinf(v)) return Value(FourDigits(v));
  if (v == 0) return Value(FourDigits(v) + "s");
  if (std::fabs(v) >= 1) {
    std::string sign = v < 0 ? "-" : "";
    v = std::fabs(v);
    int64_t duration = static_cast<int64_t>(std::min(v, 9.2e18));
    int64_t seconds = duration % 60;
    int64_t minutes = duration / 60 % 60;
    int64_t hours = duration / 3600 % 24;
    int64_t days = duration / 86400;
    if (days != 0)
      return Value(fmt::format("{}{}d {}h {}m {}s", sign, days, hours, minutes, seconds));
    if (hours != 0) return Value(fmt::format("{}{}h {}m {}s", sign, hours, minutes, seconds));
    if (minutes != 0) return Value(fmt::format("{}{}m {}s", sign, minutes, seconds));
    return Value(sign + FourDigits(v) + "s");
  }
  std::string prefix;
  for (const char* p : {"m", "u", "n", "p", "f", "a", "z", "y"}) {
    if (std::fabs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return Value(FourDigits(v) + prefix + "s");
}

std::string Title(std::string_view text, bool lower_rest) {
  std::string out(text);
  bool in_word = false;
  for (size_t i = 0; i < out.size(); ++i) {
    if (!IsWordRune(text, i)) {
      in_word = false;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(out[i]);
    if (!in_word) {
      out[i] = static_cast<char>(absl::ascii_toupper(c));
    } else if (lower_rest) {
      out[i] = static_cast<char>(absl::ascii_tolower(c));
    }
    in_word = true;
  }
  return out;
}

}  // namespace argus::tmpl::internal
