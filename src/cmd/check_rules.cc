#include <algorithm>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "cmd/check.h"
#include "rules/rule_file.h"

namespace argus::cmd {
namespace {

// promtool's duplicate-rules lint: rules of one file with the same name and the same labels,
// each reported once.
std::string DuplicateRules(const std::vector<rules::RuleGroupSpec>& groups) {
  std::vector<std::pair<std::string, model::Labels>> rules;
  for (const rules::RuleGroupSpec& group : groups) {
    for (const rules::RuleSpec& rule : group.rules) {
      rules.emplace_back(rule.alert.empty() ? rule.record : rule.alert, rule.labels);
    }
  }
  std::sort(rules.begin(), rules.end());
  std::vector<const std::pair<std::string, model::Labels>*> duplicates;
  for (size_t i = 1; i < rules.size(); ++i) {
    if (rules[i] == rules[i - 1] && (duplicates.empty() || *duplicates.back() != rules[i])) {
      duplicates.push_back(&rules[i]);
    }
  }
  if (duplicates.empty()) return "";
  std::string message = fmt::format("lint error {} duplicate rule(s) found.\n", duplicates.size());
  for (const auto* duplicate : duplicates) {
    message += fmt::format("Metric: {}\nLabel(s):\n", duplicate->first);
    for (const model::Label& label : duplicate->second) {
      message += fmt::format("\t{}: {}\n", label.name, label.value);
    }
  }
  return message + "Might cause inconsistency while recording expressions";
}

}  // namespace

int CheckRules(const std::vector<std::string>& paths, const RulesLint& lint) {
  bool errors = false, lint_problems = false;
  for (const std::string& path : paths) {
    std::printf("Checking %s\n", path.c_str());
    std::fflush(stdout);
    auto groups = rules::LoadRuleFile(path);
    std::string failure;
    if (!groups.ok()) {
      failure = groups.status().message();
      errors = true;
    } else if (lint.duplicates) {
      failure = DuplicateRules(*groups);
      lint_problems = lint_problems || !failure.empty();
    }
    if (!failure.empty()) {
      std::fprintf(stderr, "  FAILED:\n%s\n", failure.c_str());
      std::fflush(stderr);
    } else {
      size_t count = 0;
      for (const rules::RuleGroupSpec& group : *groups) count += group.rules.size();
      std::printf("  SUCCESS: %zu rules found\n", count);
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  if (errors) return 1;
  return lint_problems && lint.fatal ? 3 : 0;
}

}  // namespace argus::cmd
