#include "tsdb/index/postings_for_matchers.h"

#include <absl/container/flat_hash_set.h>
#include <re2/re2.h>

#include <cctype>
#include <optional>
#include <string>
#include <vector>

namespace argus::tsdb {
namespace {

using model::Matcher;

bool IsRegex(const Matcher& m) {
  return m.type() == Matcher::Type::kRegexMatch || m.type() == Matcher::Type::kRegexNoMatch;
}

// True when the values wanted are those the matcher's pattern (or literal) matches, false when
// they are the ones it does not match.
bool WantsPatternMatches(const Matcher& m, bool want_match) {
  bool negated = m.type() == Matcher::Type::kNotEqual || m.type() == Matcher::Type::kRegexNoMatch;
  return want_match != negated;
}

// The alternatives of a regex made of literals only (a|b|c, with \. style escapes), or nullopt.
std::optional<std::vector<std::string>> LiteralAlternatives(std::string_view pattern) {
  static constexpr std::string_view kSpecial = "\\.+*?()[]{}^$";
  std::vector<std::string> out(1);
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '|') {
      out.emplace_back();
    } else if (c == '\\') {
      if (++i == pattern.size()) return std::nullopt;
      unsigned char escaped = static_cast<unsigned char>(pattern[i]);
      if (std::isalnum(escaped) || escaped >= 0x80) return std::nullopt;  // \d, \pL, ...
      out.back() += pattern[i];
    } else if (kSpecial.find(c) != std::string_view::npos) {
      return std::nullopt;
    } else {
      out.back() += c;
    }
  }
  return out;
}

// The values of m's label for which m.Matches(value) == want_match, when they can be named
// without looking at the index: a literal, a literal alternation, or none at all.
std::optional<std::vector<std::string>> KnownValues(const Matcher& m, bool want_match) {
  bool pattern_side = WantsPatternMatches(m, want_match);
  if (!IsRegex(m)) {
    if (pattern_side) return std::vector<std::string>{m.value()};
    return std::nullopt;
  }
  bool matches_every_value = m.value() == ".*" || m.value() == ".+";  // Values are never empty.
  if (matches_every_value) {
    if (!pattern_side) return std::vector<std::string>{};
    return std::nullopt;
  }
  if (pattern_side) return LiteralAlternatives(m.value());
  return std::nullopt;
}

std::unique_ptr<Postings> PostingsForValues(const IndexReader& index, const std::string& name,
                                            const std::vector<std::string>& values) {
  std::vector<std::unique_ptr<Postings>> lists;
  for (const std::string& v : values) {
    if (!v.empty()) lists.push_back(index.PostingsFor(name, v));
  }
  return Merge(std::move(lists));
}

// The series whose value of m's label is one for which m.Matches(value) == want_match (so never
// the series without the label).
std::unique_ptr<Postings> PostingsForMatchingValues(const IndexReader& index, const Matcher& m,
                                                    bool want_match) {
  if (auto known = KnownValues(m, want_match)) return PostingsForValues(index, m.name(), *known);
  ValueRange range;
  std::string min, max;
  bool test_each = true;
  if (IsRegex(m) && WantsPatternMatches(m, want_match)) {
    if (m.value() == ".*" || m.value() == ".+") {
      test_each = false;
    } else if (auto re = model::CompileAnchored(m.value());
               re.ok() && (*re)->PossibleMatchRange(&min, &max, 64)) {
      range.min = min;
      range.max = max;
    }
  }
  std::vector<std::string> values;
  Status status = index.VisitLabelValues(m.name(), range, [&](std::string_view v) {
    if (!test_each || m.Matches(v) == want_match) values.emplace_back(v);
    return true;
  });
  if (!status.ok()) return ErrorPostings(std::move(status));
  return PostingsForValues(index, m.name(), values);
}

}  // namespace

std::unique_ptr<Postings> PostingsForMatchers(const IndexReader& index,
                                              std::span<const model::Matcher> matchers) {
  // A label that some matcher requires to be set lets the others on it intersect rather than
  // subtract ({l=~".+", l!="x"}: subtract l="x" from l's series).
  absl::flat_hash_set<std::string_view> must_be_set;
  for (const Matcher& m : matchers) {
    if (!m.Matches("")) must_be_set.insert(m.name());
  }
  std::vector<std::unique_ptr<Postings>> intersect, subtract;
  for (const Matcher& m : matchers) {
    bool negated = m.type() == Matcher::Type::kNotEqual || m.type() == Matcher::Type::kRegexNoMatch;
    if (m.Matches("") && (negated || !must_be_set.contains(m.name()))) {
      // Every series passes except those with a value m rejects, including series without the
      // label.
      subtract.push_back(PostingsForMatchingValues(index, m, false));
    } else {
      intersect.push_back(PostingsForMatchingValues(index, m, true));
    }
  }
  if (intersect.empty()) intersect.push_back(index.AllPostings());
  auto result = Intersect(std::move(intersect));
  if (subtract.empty()) return result;
  return Without(std::move(result), Merge(std::move(subtract)));
}

}  // namespace argus::tsdb
