#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace re2 {
class RE2;
}

namespace argus::model {

// A condition on one label, as in a PromQL selector: name="v", name!="v", name=~"re", name!~"re".
// Regexes use RE2 syntax and are anchored at both ends. A missing label has the value "".
// Immutable and safe to share across threads.
class Matcher {
 public:
  enum class Type { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

  // Fails with kInvalidInput when a regex does not compile.
  static Result<Matcher> Make(Type type, std::string name, std::string value);

  bool Matches(std::string_view value) const;

  Type type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  // PromQL notation, e.g. job=~"api|web".
  std::string ToString() const;

 private:
  Matcher(Type type, std::string name, std::string value, std::shared_ptr<const re2::RE2> re)
      : type_(type), name_(std::move(name)), value_(std::move(value)), re_(std::move(re)) {}
  Type type_;
  std::string name_;
  std::string value_;
  std::shared_ptr<const re2::RE2> re_;  // Set for the two regex types.
};

// Compiles `pattern` anchored at both ends (^(?:pattern)$), as Prometheus does for matchers and
// relabeling. Fails with kInvalidInput and RE2's reason.
Result<std::shared_ptr<const re2::RE2>> CompileAnchored(std::string_view pattern);

}  // namespace argus::model
