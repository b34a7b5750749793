#include "rules/rule_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace argus::rules {
namespace {

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// Prometheus' rulefmt fixtures with the verdict and first error its tests expect.
struct Fixture {
  const char* file;
  const char* first_error;  // nullptr: the file is valid.
  NameValidation names = NameValidation::kUtf8;
};
const Fixture kFixtures[] = {
    {"test.yaml", nullptr},
    {"test_aliases.yaml", nullptr},
    {"utf-8_lname.good.yaml", nullptr},
    {"utf-8_annotation.good.yaml", nullptr},
    {"legacy_validation_annotation.good.yaml", nullptr, NameValidation::kLegacy},
    {"duplicate_grp.bad.yaml", "groupname: \"yolo\" is repeated in the same file"},
    {"bad_expr.bad.yaml", "parse error"},
    {"record_and_alert.bad.yaml", "only one of 'record' and 'alert' must be set"},
    {"no_rec_alert.bad.yaml", "one of 'record' or 'alert' must be set"},
    {"noexpr.bad.yaml", "field 'expr' must be set in rule"},
    {"invalid_record_name.bad.yaml",
     "braces present in the recording rule name; should it be in expr?: "
     "strawberry{flavor=\"sweet\"}"},
    {"bad_field.bad.yaml", "field annotation not found"},
    {"invalid_label_name.bad.yaml", "invalid label name"},
    {"record_and_for.bad.yaml", "invalid field 'for' in recording rule"},
    {"record_and_keep_firing_for.bad.yaml", "invalid field 'keep_firing_for' in recording rule"},
    {"legacy_validation_annotation.bad.yaml", "invalid annotation name: ins-tance",
     NameValidation::kLegacy},
};

TEST(RuleFileTest, PrometheusFixturesGetPrometheusVerdicts) {
  const char* shared = std::getenv("ARGUS_SHARED_DIR");
  auto dir = std::filesystem::path(shared ? shared : "") / "conformance/rules/rulefmt/testdata";
  if (!shared || !std::filesystem::exists(dir)) {
    GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) is not available";
  }
  size_t checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    const Fixture* fixture = nullptr;
    for (const Fixture& f : kFixtures) {
      if (name == f.file) fixture = &f;
    }
    ASSERT_NE(fixture, nullptr) << "no verdict for fixture " << name;
    auto groups = LoadRuleFile(entry.path().string(), {.names = fixture->names});
    if (fixture->first_error == nullptr) {
      EXPECT_TRUE(groups.ok()) << name << ": " << groups.status().message();
    } else {
      ASSERT_FALSE(groups.ok()) << name;
      EXPECT_EQ(groups.status().code(), Status::Code::kInvalidInput);
      EXPECT_NE(FirstLine(groups.status().message()).find(fixture->first_error), std::string::npos)
          << name << ": " << groups.status().message();
    }
    ++checked;
  }
  EXPECT_EQ(checked, std::size(kFixtures));
}

TEST(RuleFileTest, ReadsEveryField) {
  auto groups = ParseRuleFile(R"(
groups:
  - name: g
    interval: 30s
    query_offset: 1m
    limit: 10
    labels: {team: db, severity: low}
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: Down
        expr: up == 0
        for: 5m
        keep_firing_for: 2m
        labels: {severity: page}
        annotations: {summary: "{{ $labels.instance }} is down"}
)",
                              "r.yml");
  ASSERT_TRUE(groups.ok()) << groups.status().message();
  ASSERT_EQ(groups->size(), 1u);
  const RuleGroupSpec& g = (*groups)[0];
  EXPECT_EQ(g.name, "g");
  EXPECT_EQ(g.file, "r.yml");
  EXPECT_EQ(g.interval, std::chrono::seconds(30));
  EXPECT_EQ(g.query_offset, std::chrono::minutes(1));
  EXPECT_EQ(g.limit, 10);
  ASSERT_EQ(g.rules.size(), 2u);
  EXPECT_EQ(g.rules[0].record, "job:up:sum");
  EXPECT_EQ(g.rules[0].labels, (model::Labels{{"team", "db"}, {"severity", "low"}}));
  EXPECT_EQ(g.rules[1].alert, "Down");
  EXPECT_EQ(g.rules[1].expr, "up == 0");
  EXPECT_EQ(g.rules[1].for_duration, std::chrono::minutes(5));
  EXPECT_EQ(g.rules[1].keep_firing_for, std::chrono::minutes(2));
  EXPECT_EQ(g.rules[1].labels, (model::Labels{{"team", "db"}, {"severity", "page"}}));
  EXPECT_EQ(g.rules[1].annotations.Get("summary"), "{{ $labels.instance }} is down");
}

TEST(RuleFileTest, MergeKeysAndAliasesResolve) {
  auto groups = ParseRuleFile(R"(
groups:
  - name: g
    rules:
      - &base
        alert: A
        expr: up == 0
        labels: {severity: page}
      - <<: *base
        alert: B
)",
                              "r.yml");
  ASSERT_TRUE(groups.ok()) << groups.status().message();
  const auto& rules = (*groups)[0].rules;
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[1].alert, "B");
  EXPECT_EQ(rules[1].expr, "up == 0");
  EXPECT_EQ(rules[1].labels.Get("severity"), "page");
}

TEST(RuleFileTest, EveryErrorIsReportedWithItsPosition) {
  auto groups = ParseRuleFile(R"(groups:
- name: example
  rules:
  - alert: InstanceDown
    expr: up ===== 0
  - alert: InstanceUp
    expr: up ===== 1
  - record: a
    alert: b
    expr: up
)",
                              "r.yml");
  ASSERT_FALSE(groups.ok());
  const std::string& m = groups.status().message();
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 2) << m;
  EXPECT_EQ(FirstLine(m).rfind(
                "r.yml: 5:11: group \"example\", rule 1, \"InstanceDown\": could not parse "
                "expression: 1:6: parse error",
                0),
            0u)
      << m;
  EXPECT_NE(m.find("r.yml: 7:11: group \"example\", rule 2, \"InstanceUp\""), std::string::npos);
  EXPECT_NE(m.find("r.yml: 8:13: 9:12: group \"example\", rule 3, \"b\": only one of 'record' "
                   "and 'alert' must be set"),
            std::string::npos)
      << m;
}

TEST(RuleFileTest, ShapeErrors) {
  struct Case {
    const char* yaml;
    const char* error;
  };
  const Case cases[] = {
      {"groups:\n- name: g\n  rules:\n  - alert: a\n    expr: up\n    annotation: {}\n",
       "r.yml: 6:5: field annotation not found in type rulefmt.Rule"},
      {"groups:\n- name: g\n  interval: 5x\n", "r.yml: 3:13: not a valid duration string: \"5x\""},
      {"groups:\n- name: g\n  limit: many\n",
       "r.yml: 3:10: cannot unmarshal !!str `many` into int"},
      {"groups: 3\n", "r.yml: 1:9: cannot unmarshal !!str `3` into []rulefmt.RuleGroup"},
      {"rule_files: [a]\n", "r.yml: 1:1: field rule_files not found in type rulefmt.RuleGroups"},
      {"groups: [\n", "r.yml: "},
      {"groups:\n- rules: []\n", "r.yml: 2:3: Groupname must not be empty"},
      {"groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n    annotations: {a: b}\n",
       "r.yml: 4:13: group \"g\", rule 1, \"r\": invalid field 'annotations' in recording rule"},
      {"groups:\n- name: g\n  rules:\n  - record: '1r'\n    expr: up\n",
       ""},  // A UTF-8 metric name: valid under Prometheus 3's names.
  };
  for (const Case& c : cases) {
    auto groups = ParseRuleFile(c.yaml, "r.yml");
    if (std::string(c.error).empty()) {
      EXPECT_TRUE(groups.ok()) << c.yaml << groups.status().message();
      continue;
    }
    ASSERT_FALSE(groups.ok()) << c.yaml;
    EXPECT_EQ(FirstLine(groups.status().message()).rfind(c.error, 0), 0u)
        << c.yaml << "\n"
        << groups.status().message();
  }
  auto legacy = ParseRuleFile("groups:\n- name: g\n  rules:\n  - record: '1r'\n    expr: up\n",
                              "r.yml", {.names = NameValidation::kLegacy});
  EXPECT_FALSE(legacy.ok());
}

// Prometheus' TestTemplateParsing: the templates of alerting rules must parse.
TEST(RuleFileTest, AlertingRuleTemplatesMustParse) {
  struct Case {
    const char* labels;
    const char* annotations;
    const char* error;  // nullptr: valid.
  };
  const Case cases[] = {
      {"{severity: page}", "{summary: 'Instance {{ $labels.instance }} down'}", nullptr},
      {"{severity: page}", "{summary: '{{ $value | humanize }} {{ $externalLabels.x }}'}", nullptr},
      {"{severity: page}", "{summary: 'Instance {{ $label.instance }} down'}",
       "r.yml: group \"g\", rule 1, \"Down\": annotation \"summary\": template: "
       "__alert_Down:1: undefined variable \"$label\""},
      {"{severity: '{{$this_is_wrong}}'}", "{}",
       "r.yml: group \"g\", rule 1, \"Down\": label \"severity\": template: __alert_Down:1: "
       "undefined variable \"$this_is_wrong\""},
      {"{}", "{description: '{{$labels.quantile * 100}}'}", "annotation \"description\": "},
  };
  for (const Case& c : cases) {
    std::string yaml = std::string("groups:\n- name: g\n  labels: {team: t}\n  rules:\n") +
                       "  - alert: Down\n    expr: up == 0\n    labels: " + c.labels +
                       "\n    annotations: " + c.annotations + "\n";
    auto groups = ParseRuleFile(yaml, "r.yml");
    if (c.error == nullptr) {
      EXPECT_TRUE(groups.ok()) << yaml << groups.status().message();
    } else {
      ASSERT_FALSE(groups.ok()) << yaml;
      EXPECT_NE(groups.status().message().find(c.error), std::string::npos)
          << groups.status().message();
    }
  }
  // A recording rule's labels are not templates.
  EXPECT_TRUE(ParseRuleFile("groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n"
                            "    labels: {a: '{{ $x }}'}\n",
                            "r.yml")
                  .ok());
}

TEST(RuleFileTest, UnknownFieldsMayBeIgnored) {
  auto groups = ParseRuleFile("groups:\n- name: g\n  owner: me\n  rules: []\n", "r.yml",
                              {.ignore_unknown_fields = true});
  EXPECT_TRUE(groups.ok()) << groups.status().message();
}

TEST(RuleFileTest, EmptyFileHasNoGroups) {
  auto groups = ParseRuleFile("", "r.yml");
  ASSERT_TRUE(groups.ok());
  EXPECT_TRUE(groups->empty());
}

TEST(RuleFileTest, UnreadableFileIsAnIoError) {
  auto groups = LoadRuleFile("/nonexistent/rules.yml");
  ASSERT_FALSE(groups.ok());
  EXPECT_EQ(groups.status().code(), Status::Code::kIOError);
}

}  // namespace
}  // namespace argus::rules
