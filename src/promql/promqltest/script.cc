#include "promql/promqltest/script.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <variant>

#include "model/duration.h"
#include "promql/parser/lexer.h"
#include "promql/parser/parser.h"
#include "storage/querier.h"

namespace argus::promql::promqltest {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

// Splits off the next whitespace-separated word.
std::string_view NextWord(std::string_view* s) {
  *s = Trim(*s);
  size_t end = 0;
  while (end < s->size() && !std::isspace(static_cast<unsigned char>((*s)[end]))) ++end;
  std::string_view word = s->substr(0, end);
  *s = Trim(s->substr(end));
  return word;
}

Result<int64_t> ParseTime(std::string_view text) {
  auto d = model::ParseDuration(text);
  if (d.ok()) return static_cast<int64_t>(d->count());
  std::string s(text);
  char* end = nullptr;
  double seconds = std::strtod(s.c_str(), &end);
  if (end == s.c_str() + s.size() && !s.empty())
    return static_cast<int64_t>(std::llround(seconds * 1000));
  return Status::Errorf(Status::Code::kInvalidInput, "invalid time {:?}", text);
}

bool ParseFloat(std::string_view text, double* out) {
  std::string s(text);
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// Expands one value token of the notation into `out`.
Status ExpandToken(std::string_view token, std::vector<std::optional<double>>* out) {
  if (token == "_") {
    out->push_back(std::nullopt);
    return Status::Ok();
  }
  if (token == "stale") {
    out->push_back(storage::StaleNaN());
    return Status::Ok();
  }
  size_t x = token.rfind('x');
  std::string_view count_text = x == std::string_view::npos ? "" : token.substr(x + 1);
  bool repeated = !count_text.empty() &&
                  std::all_of(count_text.begin(), count_text.end(),
                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (!repeated) {
    double v;
    if (!ParseFloat(token, &v))
      return Status::Errorf(Status::Code::kInvalidInput, "bad value {:?}", token);
    out->push_back(v);
    return Status::Ok();
  }
  int64_t count = std::stoll(std::string(count_text));
  std::string_view head = token.substr(0, x);
  if (head == "_") {
    for (int64_t i = 0; i < count; ++i) out->push_back(std::nullopt);
    return Status::Ok();
  }
  // a+b or a-b: the sign that is neither first nor after an exponent marker.
  size_t op = std::string_view::npos;
  for (size_t i = 1; i < head.size(); ++i) {
    if ((head[i] == '+' || head[i] == '-') && head[i - 1] != 'e' && head[i - 1] != 'E') {
      op = i;
      break;
    }
  }
  double start, delta = 0;
  if (op == std::string_view::npos) {
    if (!ParseFloat(head, &start))
      return Status::Errorf(Status::Code::kInvalidInput, "bad value {:?}", token);
  } else {
    if (!ParseFloat(head.substr(0, op), &start) || !ParseFloat(head.substr(op + 1), &delta)) {
      return Status::Errorf(Status::Code::kInvalidInput, "bad value {:?}", token);
    }
    if (head[op] == '-') delta = -delta;
  }
  // Repeated additions, as the Go harness computes them.
  double v = start;
  for (int64_t i = 0; i <= count; ++i) {
    out->push_back(v);
    v += delta;
  }
  return Status::Ok();
}

// The end of the selector part of a series line: after the closing brace, or the first space.
size_t SelectorEnd(std::string_view line) {
  size_t brace = line.find('{');
  size_t space = line.find_first_of(" \t");
  if (brace == std::string_view::npos || (space != std::string_view::npos && space < brace)) {
    return space == std::string_view::npos ? line.size() : space;
  }
  char quote = 0;
  for (size_t i = brace; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'' || c == '`') {
      quote = c;
    } else if (c == '}') {
      return i + 1;
    }
  }
  return line.size();
}

Result<Expectation> ParseExpectation(std::string_view rest) {
  Expectation e;
  std::string_view kind = NextWord(&rest);
  if (kind.ends_with(":")) kind.remove_suffix(1);
  if (kind == "fail")
    e.kind = Expectation::Kind::kFail;
  else if (kind == "warn")
    e.kind = Expectation::Kind::kWarn;
  else if (kind == "info")
    e.kind = Expectation::Kind::kInfo;
  else if (kind == "no_warn")
    e.kind = Expectation::Kind::kNoWarn;
  else if (kind == "no_info")
    e.kind = Expectation::Kind::kNoInfo;
  else if (kind == "ordered")
    e.kind = Expectation::Kind::kOrdered;
  else
    return Status::Errorf(Status::Code::kInvalidInput, "unknown expectation {:?}", kind);
  rest = Trim(rest);
  if (rest.empty()) return e;
  if (ConsumePrefix(&rest, "msg:")) {
    e.match = Expectation::Match::kExact;
  } else if (ConsumePrefix(&rest, "regex:")) {
    e.match = Expectation::Match::kRegex;
  } else {
    return Status::Errorf(Status::Code::kInvalidInput, "bad expectation {:?}", rest);
  }
  e.text = std::string(Trim(rest));
  return e;
}

Result<EvalCommand> ParseEvalHeader(std::string_view line) {
  EvalCommand eval;
  std::string_view word = NextWord(&line);
  if (word == "eval_fail")
    eval.expectations.push_back({Expectation::Kind::kFail, Expectation::Match::kAny, ""});
  if (word == "eval_warn")
    eval.expectations.push_back({Expectation::Kind::kWarn, Expectation::Match::kAny, ""});
  if (word == "eval_info")
    eval.expectations.push_back({Expectation::Kind::kInfo, Expectation::Match::kAny, ""});
  if (word == "eval_ordered")
    eval.expectations.push_back({Expectation::Kind::kOrdered, Expectation::Match::kAny, ""});
  std::string_view mode = NextWord(&line);
  if (mode == "instant") {
    if (NextWord(&line) != "at")
      return Status::Error("expected \"at\"", Status::Code::kInvalidInput);
    ARGUS_ASSIGN_OR_RETURN(eval.start, ParseTime(NextWord(&line)));
    eval.end = eval.start;
  } else if (mode == "range") {
    if (NextWord(&line) != "from")
      return Status::Error("expected \"from\"", Status::Code::kInvalidInput);
    ARGUS_ASSIGN_OR_RETURN(eval.start, ParseTime(NextWord(&line)));
    if (NextWord(&line) != "to")
      return Status::Error("expected \"to\"", Status::Code::kInvalidInput);
    ARGUS_ASSIGN_OR_RETURN(eval.end, ParseTime(NextWord(&line)));
    if (NextWord(&line) != "step")
      return Status::Error("expected \"step\"", Status::Code::kInvalidInput);
    ARGUS_ASSIGN_OR_RETURN(eval.step, ParseTime(NextWord(&line)));
    if (eval.end < eval.start)
      return Status::Error("end before start", Status::Code::kInvalidInput);
    eval.range = true;
  } else {
    return Status::Errorf(Status::Code::kInvalidInput, "unknown eval mode {:?}", mode);
  }
  eval.query = std::string(Trim(line));
  return eval;
}

Status ParseEvalBodyLine(std::string_view line, EvalCommand* eval) {
  std::string_view rest = line;
  if (ConsumePrefix(&rest, "expect ")) {
    rest = Trim(rest);
    if (ConsumePrefix(&rest, "string")) {
      std::string_view quoted = Trim(rest);
      if (quoted.size() < 2) return Status::Error("bad expect string", Status::Code::kInvalidInput);
      eval->string = UnquoteString(quoted);
      return Status::Ok();
    }
    if (ConsumePrefix(&rest, "range vector")) {
      std::string_view words = rest;
      if (NextWord(&words) != "from")
        return Status::Error("expected from", Status::Code::kInvalidInput);
      auto a = ParseTime(NextWord(&words));
      NextWord(&words);
      auto b = ParseTime(NextWord(&words));
      NextWord(&words);
      auto s = ParseTime(NextWord(&words));
      if (!a.ok() || !b.ok() || !s.ok())
        return Status::Error("bad range vector", Status::Code::kInvalidInput);
      eval->rv_start = *a;
      eval->rv_end = *b;
      eval->rv_step = *s;
      return Status::Ok();
    }
    ARGUS_ASSIGN_OR_RETURN(Expectation e, ParseExpectation(rest));
    eval->expectations.push_back(std::move(e));
    return Status::Ok();
  }
  if (ConsumePrefix(&rest, "expected_fail_message ")) {
    eval->expectations = {
        {Expectation::Kind::kFail, Expectation::Match::kExact, std::string(Trim(rest))}};
    return Status::Ok();
  }
  if (ConsumePrefix(&rest, "expected_fail_regexp ")) {
    eval->expectations = {
        {Expectation::Kind::kFail, Expectation::Match::kRegex, std::string(Trim(rest))}};
    return Status::Ok();
  }
  double v;
  if (ParseFloat(line, &v)) {
    eval->scalar = v;
    return Status::Ok();
  }
  ARGUS_ASSIGN_OR_RETURN(SeriesLine series, ParseSeriesLine(line));
  eval->native = eval->native || series.native;
  eval->series.push_back(std::move(series));
  return Status::Ok();
}

}  // namespace

Result<SeriesLine> ParseSeriesLine(std::string_view line) {
  line = Trim(line);
  size_t end = SelectorEnd(line);
  SeriesLine out;
  ARGUS_ASSIGN_OR_RETURN(std::vector<model::Matcher> matchers,
                         ParseSeriesSelector(line.substr(0, end)));
  std::vector<model::Label> labels;
  for (const auto& m : matchers) labels.push_back({m.name(), m.value()});
  out.labels = model::Labels::FromUnsorted(std::move(labels));
  std::string_view values = Trim(line.substr(end));
  if (values.find("{{") != std::string_view::npos) {
    out.native = true;
    return out;
  }
  while (!values.empty()) {
    std::string_view token = NextWord(&values);
    ARGUS_RETURN_IF_ERROR(ExpandToken(token, &out.values));
  }
  return out;
}

Result<std::vector<Command>> ParseScript(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view l = Trim(text.substr(start, nl - start));
    if (!l.empty() && l[0] == '#') l = "";
    lines.push_back(l);
    start = nl + 1;
  }
  std::vector<Command> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    if (l.empty()) continue;
    int line_no = static_cast<int>(i + 1);
    auto fail = [&](const Status& st) {
      return Status::Errorf(Status::Code::kInvalidInput, "line {}: {}", line_no, st.message());
    };
    std::string_view rest = l;
    std::string_view word = NextWord(&rest);
    std::string lower(word);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "clear") {
      out.push_back({ClearCommand{}});
    } else if (lower.starts_with("load")) {
      LoadCommand load;
      load.line = line_no;
      load.with_nhcb = lower == "load_with_nhcb";
      auto interval = ParseTime(NextWord(&rest));
      if (!interval.ok()) return fail(interval.status());
      load.interval = *interval;
      while (i + 1 < lines.size() && !lines[i + 1].empty()) {
        auto series = ParseSeriesLine(lines[++i]);
        if (!series.ok()) return fail(series.status());
        load.series.push_back(std::move(*series));
      }
      out.push_back({std::move(load)});
    } else if (lower.starts_with("eval")) {
      auto eval = ParseEvalHeader(l);
      if (!eval.ok()) return fail(eval.status());
      eval->line = line_no;
      while (i + 1 < lines.size() && !lines[i + 1].empty()) {
        Status st = ParseEvalBodyLine(lines[++i], &*eval);
        if (!st.ok()) return fail(st);
      }
      out.push_back({std::move(*eval)});
    } else {
      return fail(Status::Errorf(Status::Code::kInvalidInput, "unknown command {:?}", word));
    }
  }
  return out;
}

bool AlmostEqual(double a, double b) {
  bool stale_a = storage::IsStaleNaN(a), stale_b = storage::IsStaleNaN(b);
  if (stale_a || stale_b) return stale_a && stale_b;
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  constexpr double kMinNormal = 2.2250738585072014e-308;
  constexpr double kEpsilon = 1e-6;
  double abs_sum = std::abs(a) + std::abs(b);
  double diff = std::abs(a - b);
  if (a == 0 || b == 0 || abs_sum < kMinNormal) return diff < kEpsilon * kMinNormal;
  return diff / std::min(abs_sum, std::numeric_limits<double>::max()) < kEpsilon;
}

}  // namespace argus::promql::promqltest
