#pragma once

// Helpers for the dispatcher's tests: matchers and route trees written in code, the way the
// configuration reader would produce them (children inherit their parent's options).

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/notify_config.h"
#include "model/matcher.h"

namespace argus::notify::testing {

inline model::Matcher MakeMatcher(model::Matcher::Type type, std::string_view name,
                                  std::string_view value) {
  auto m = model::Matcher::Make(type, std::string(name), std::string(value));
  CHECK(m.ok());
  return std::move(*m);
}
inline model::Matcher Eq(std::string_view n, std::string_view v) {
  return MakeMatcher(model::Matcher::Type::kEqual, n, v);
}
inline model::Matcher Ne(std::string_view n, std::string_view v) {
  return MakeMatcher(model::Matcher::Type::kNotEqual, n, v);
}
inline model::Matcher Re(std::string_view n, std::string_view v) {
  return MakeMatcher(model::Matcher::Type::kRegexMatch, n, v);
}
inline model::Matcher Nre(std::string_view n, std::string_view v) {
  return MakeMatcher(model::Matcher::Type::kRegexNoMatch, n, v);
}

// A child of `parent` with `matchers`, its options inherited, then changed by `edit`.
inline config::Route& AddChild(config::Route& parent, std::vector<model::Matcher> matchers,
                               const std::function<void(config::Route&)>& edit = {}) {
  config::Route child = parent;
  child.routes.clear();
  child.continue_matching = false;
  child.matchers = std::move(matchers);
  if (edit) edit(child);
  parent.routes.push_back(std::move(child));
  return parent.routes.back();
}

}  // namespace argus::notify::testing
