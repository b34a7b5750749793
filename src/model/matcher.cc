#include "model/matcher.h"

#include <re2/re2.h>

#include "model/labels.h"

namespace argus::model {

Result<std::shared_ptr<const re2::RE2>> CompileAnchored(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_dot_nl(true);  // Prometheus' regexes use (?s): "." matches a newline too.
  auto re = std::make_shared<const re2::RE2>("^(?:" + std::string(pattern) + ")$", options);
  if (!re->ok()) {
    return Status::Errorf(Status::Code::kInvalidInput, "invalid regular expression \"{}\": {}",
                          pattern, re->error());
  }
  return std::shared_ptr<const re2::RE2>(std::move(re));
}

Result<Matcher> Matcher::Make(Type type, std::string name, std::string value) {
  std::shared_ptr<const re2::RE2> re;
  if (type == Type::kRegexMatch || type == Type::kRegexNoMatch) {
    ARGUS_ASSIGN_OR_RETURN(re, CompileAnchored(value));
  }
  return Matcher(type, std::move(name), std::move(value), std::move(re));
}

bool Matcher::Matches(std::string_view value) const {
  switch (type_) {
    case Type::kEqual:
      return value == value_;
    case Type::kNotEqual:
      return value != value_;
    case Type::kRegexMatch:
      return re2::RE2::FullMatch(value, *re_);
    case Type::kRegexNoMatch:
      return !re2::RE2::FullMatch(value, *re_);
  }
  return false;
}

std::string Matcher::ToString() const {
  static constexpr std::string_view kOps[] = {"=", "!=", "=~", "!~"};
  std::string out = name_;
  out += kOps[static_cast<int>(type_)];
  out += '"';
  AppendEscapedLabelValue(&out, value_);
  out += '"';
  return out;
}

}  // namespace argus::model
