#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "dashboards/dashboard.h"

namespace argus::dashboards {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The errors of `yaml` read as "d.yml", each "line:column: message".
std::vector<std::string> ErrorsOf(std::string_view yaml) {
  std::vector<std::string> out;
  for (const FileError& e : ParseDashboard(yaml, "dir/d.yml").errors) {
    EXPECT_EQ(e.file, "dir/d.yml");
    out.push_back(fmt::format("{}:{}: {}", e.line, e.column, e.message));
  }
  return out;
}

TEST(ParseDashboard, FillsInDefaults) {
  ParsedDashboard parsed = ParseDashboard(R"(
title: T
variables:
  - {name: v, type: custom, values: [a, b]}
rows:
  - panels:
      - title: P
        queries: [{expr: 'up{job="$v"}'}]
)",
                                          "dir/my-board.yml");
  ASSERT_THAT(parsed.errors, IsEmpty());
  const Dashboard& d = *parsed.dashboard;
  EXPECT_EQ(d.uid, "my-board");
  EXPECT_EQ(d.time_from, "now-1h");
  EXPECT_EQ(d.time_to, "now");
  EXPECT_EQ(d.variables[0].label, "v");
  const Panel& p = d.rows[0].panels[0];
  EXPECT_EQ(p.type, "timeseries");
  EXPECT_EQ(p.width, 12);
  EXPECT_EQ(p.height, 8);
  EXPECT_EQ(p.unit, "short");
  EXPECT_FALSE(p.decimals.has_value());
  EXPECT_EQ(ToJson(d),
            R"({"title":"T","uid":"my-board","description":"","tags":[],"refresh":"",)"
            R"("time":{"from":"now-1h","to":"now"},"variables":[{"name":"v","label":"v",)"
            R"("type":"custom","query":"","regex":"","multi":false,"include_all":false,)"
            R"("all_value":"","values":["a","b"],"default":""}],"rows":[{"title":"",)"
            R"("collapsed":false,"panels":[{"title":"P","description":"","type":"timeseries",)"
            R"("width":12,"height":8,"unit":"short","stack":false,"thresholds":[],"links":[],)"
            R"("queries":[{"expr":"up{job=\"$v\"}","legend":"","instant":false}],"text":""}]}]})");
}

TEST(ParseDashboard, ReadsEveryKeyOfTheDocumentedExample) {
  ParsedDashboard parsed = ParseDashboard(R"(
title: Host
uid: host
description: CPU
tags: [host, node-exporter]
refresh: 30s
time: {from: now-1h/h, to: '2026-01-02T03:04:05Z'}
variables:
  - name: job
    type: query
    query: label_values(job)
  - name: instance
    label: Instance
    type: query
    query: label_values(node_uname_info{job="$job"}, instance)
    regex: '(.*):\d+'
    multi: true
    include_all: true
    all_value: '.+'
  - {name: mode, type: custom, values: [user, system], default: user}
  - {name: resolution, type: interval, values: [1m, 5m, 1h]}
rows:
  - title: CPU
    collapsed: true
    panels:
      - title: CPU by mode
        description: d
        type: timeseries
        width: 24
        height: 10
        unit: percentunit
        decimals: 1
        min: 0
        max: 1
        stack: true
        thresholds:
          - {value: 0.8, color: orange}
          - {value: 0.9, color: '#ff0000'}
        links:
          - {title: Explore, url: '/explore?expr=node_load1'}
        queries:
          - expr: sum by (mode) (rate(node_cpu_seconds_total{instance=~"$instance",mode="${mode}"}[$__rate_interval]))
            legend: '{{mode}}'
          - expr: avg_over_time(node_load1[$resolution]) * $__range_s / $__range_s + 0 * count_over_time(up[$__range]) + 0 * count_over_time(up[$__interval])
            instant: true
      - {title: Notes, type: text, text: '# Hi'}
)",
                                          "host.yml");
  ASSERT_THAT(parsed.errors, IsEmpty());
  const Panel& p = parsed.dashboard->rows[0].panels[0];
  EXPECT_EQ(p.decimals, 1);
  EXPECT_EQ(p.max, 1.0);
  EXPECT_EQ(p.thresholds[1].color, "#ff0000");
  EXPECT_EQ(parsed.dashboard->variables[1].all_value, ".+");
  EXPECT_TRUE(parsed.dashboard->rows[0].collapsed);
}

struct BadCase {
  std::string name;
  std::string yaml;
  std::vector<std::string> errors;
};

class BadDashboard : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadDashboard, ReportsEachErrorWithItsPlace) {
  EXPECT_EQ(ErrorsOf(GetParam().yaml), GetParam().errors);
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadDashboard,
    ::testing::Values(
        BadCase{"yaml_syntax", "title: [a\n", {"2:1: end of sequence flow not found"}},
        BadCase{"not_a_mapping", "- a\n", {"1:1: <document>: expected a mapping"}},
        BadCase{
            "unknown_key", "title: T\ncolour: red\n", {"2:1: colour: unknown field \"colour\""}},
        BadCase{"no_title", "uid: x\n", {"1:1: title: required"}},
        BadCase{"bad_uid",
                "title: T\nuid: My_Board\n",
                {"2:6: uid: \"My_Board\" is not a uid ([a-z0-9-]+)"}},
        BadCase{"bad_refresh",
                "title: T\nrefresh: often\n",
                {"2:10: refresh: invalid duration \"often\""}},
        BadCase{"bad_time",
                "title: T\ntime: {from: yesterday}\n",
                {"2:14: time.from: \"yesterday\" is neither now[-duration][/unit] nor RFC 3339"}},
        BadCase{"unknown_variable_type",
                "title: T\nvariables: [{name: a, type: list, values: [x]}]\n",
                {"2:29: variables[0].type: unknown variable type \"list\" (query, custom or "
                 "interval)"}},
        BadCase{
            "variable_used_before_defined",
            "title: T\nvariables:\n  - {name: a, type: query, query: 'label_values(up{x=\"$b\"}, "
            "i)'}\n  - {name: b, type: custom, values: [x]}\n",
            {"3:35: variables[0].query: unknown variable $b"}},
        BadCase{"variable_query_shape",
                "title: T\nvariables: [{name: a, type: query, query: 'up'}]\n",
                {"2:43: variables[0].query: expected label_values(SELECTOR, LABEL) or "
                 "label_values(LABEL)"}},
        BadCase{"repeated_variable",
                "title: T\nvariables:\n  - {name: a, type: custom, values: [x]}\n"
                "  - {name: a, type: custom, values: [y]}\n",
                {"4:12: variables[1].name: variable a repeated"}},
        BadCase{"bad_interval",
                "title: T\nvariables: [{name: i, type: interval, values: [soon]}]\n",
                {"2:48: variables[0].values[0]: invalid duration \"soon\""}},
        BadCase{"bad_regex",
                "title: T\nvariables: [{name: a, type: custom, values: [x], regex: '('}]\n",
                {"2:57: variables[0].regex: missing ): ("}},
        BadCase{"unknown_variable_in_query",
                "title: T\nrows: [{panels: [{title: P, queries: [{expr: 'up{a=\"$nope\"}'}]}]}]\n",
                {"2:46: rows[0].panels[0].queries[0].expr: unknown variable $nope"}},
        BadCase{"query_does_not_parse",
                "title: T\nrows: [{panels: [{title: P, queries: [{expr: 'sum(up'}]}]}]\n",
                {"2:46: rows[0].panels[0].queries[0].expr: 1:7: parse error: unclosed left "
                 "parenthesis (as \"sum(up\")"}},
        BadCase{"unknown_unit_and_type",
                "title: T\nrows: [{panels: [{title: P, type: pie, unit: furlongs}]}]\n",
                {"2:35: rows[0].panels[0].type: unknown panel type \"pie\"",
                 "2:46: rows[0].panels[0].unit: unknown unit \"furlongs\""}},
        BadCase{"thresholds_descend",
                "title: T\nrows: [{panels: [{title: P, thresholds: [{value: 2, color: red}, "
                "{value: 1, color: green}]}]}]\n",
                {"2:74: rows[0].panels[0].thresholds[1].value: thresholds must ascend"}},
        BadCase{
            "bad_colour",
            "title: T\nrows: [{panels: [{title: P, thresholds: [{value: 1, color: '#fff'}]}]}]\n",
            {"2:60: rows[0].panels[0].thresholds[0].color: \"#fff\" is not a colour name or "
             "#rrggbb"}},
        BadCase{"width_out_of_range",
                "title: T\nrows: [{panels: [{title: P, width: 25}]}]\n",
                {"2:36: rows[0].panels[0].width: must be from 1 to 24 columns"}},
        BadCase{"panel_unknown_key",
                "title: T\nrows: [{panels: [{kind: x}]}]\n",
                {"2:19: rows[0].panels[0].kind: unknown field \"kind\""}},
        BadCase{"link_without_url",
                "title: T\nrows: [{panels: [{title: P, links: [{title: L}]}]}]\n",
                {"2:37: rows[0].panels[0].links[0].url: required"}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace argus::dashboards
