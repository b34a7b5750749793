#include "tmpl/funcs_alertmanager.h"

#include <gtest/gtest.h>

#include <chrono>

#include "tmpl/alertmanager_data.h"
#include "tmpl/template.h"

namespace argus::tmpl {
namespace {

// From Alertmanager's template/template_test.go (TestTemplateExpansion, TestTemplateFuncs), the
// cases of text templates; expected errors are checked in full where the table gives them.
struct Case {
  std::string title;
  std::string text;
  Value data = Value();
  std::string want = "";  // Output, or the whole error when want_error.
  bool want_error = false;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.text; }

// Starts at 2023-11-14 22:13:20 UTC and never moves.
const ManualClock& TestClock() {
  static const ManualClock clock;
  return clock;
}

Value KV(const model::Labels& labels) { return AlertmanagerKV(labels); }

Value DataWithGroupLabels(const model::Labels& labels) {
  AlertmanagerData data;
  data.group_labels = labels;
  return AlertmanagerDataValue(data);
}

Value At(int year, int month, int day, int hour, int minute, int second) {
  return Value::Time(absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                                     absl::UTCTimeZone()));
}

List Floats(std::vector<double> values) { return List(values.begin(), values.end()); }

class AlertmanagerFuncsTest : public testing::TestWithParam<Case> {};

TEST_P(AlertmanagerFuncsTest, MatchesAlertmanager) {
  const Case& c = GetParam();
  TemplateSet set(AlertmanagerFuncs(TestClock()));
  Result<std::string> out = set.ExecuteText(c.text, c.data);
  if (c.want_error) {
    ASSERT_FALSE(out.ok()) << *out;
    if (!c.want.empty()) EXPECT_EQ(out.status().message(), c.want);
    return;
  }
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, c.want);
}

INSTANTIATE_TEST_SUITE_P(
    Alertmanager, AlertmanagerFuncsTest,
    testing::Values(
        Case{"no_action", "abc", {}, "abc"}, Case{"simple_action", "{{ \"abc\" }}", {}, "abc"},
        Case{"invalid_syntax", "{{ ", {}, "", true},
        Case{"to_upper", "{{ \"abc\" | toUpper }}", {}, "ABC"},
        Case{"to_lower", "{{ \"ABC\" | toLower }}", {}, "abc"},
        Case{"title", "{{ \"abc\" | title }}", {}, "Abc"},
        Case{"title_lowers_the_rest", "{{ \"aa bb CC\" | title }}", {}, "Aa Bb Cc"},
        Case{"trim_space", "{{ \" a b c \" | trimSpace }}", {}, "a b c"},
        Case{"positive_match", "{{ if match \"^a\" \"abc\"}}abc{{ end }}", {}, "abc"},
        Case{"negative_match", "{{ if match \"abcd\" \"abc\" }}abc{{ end }}", {}, ""},
        Case{"join", "{{ . | join \",\" }}", Value::FromStrings({"a", "b", "c"}), "a,b,c"},
        Case{"no_escaping", "{{ \"<b>\" }}", {}, "<b>"},
        Case{"re_replace_all", "{{ reReplaceAll \"ab\" \"AB\" \"abcdabcda\"}}", {}, "ABcdABcda"},
        Case{
            "url_unescape", "{{ \"search?q=test%20foo\" | urlUnescape }}", {}, "search?q=test foo"},
        Case{"url_unescape_bad", "{{ \"%zz\" | urlUnescape }}", {}, "", true},
        Case{"string_slice",
             "{{ with .GroupLabels }}{{ with .Remove (stringSlice \"key1\" \"key3\") }}"
             "{{ .SortedPairs.Values }}{{ end }}{{ end }}",
             DataWithGroupLabels(
                 {{"key1", "key1"}, {"key2", "key2"}, {"key3", "key3"}, {"key4", "key4"}}),
             "[key2 key4]"},
        Case{"base64encode", "{{ \"test\" | base64encode }}", {}, "dGVzdA=="},
        Case{"base64encode_url_safe", "{{ \"flush>>\" | base64encode }}", {}, "Zmx1c2g-Pg=="},
        Case{"base64decode", "{{ \"dGVzdA==\" | base64decode }}", {}, "test"},
        Case{"base64decode_invalid", "{{ \"not-valid-base64!\" | base64decode }}", {}, "", true},
        Case{"empty_dict", "{{- $test := dict -}}{{ $test }}", {}, "map[]"},
        Case{"dict",
             "{{- $test := dict \"a\" 1 \"b\" 2 \"c\" 3 -}}{{ $test }}",
             {},
             "map[a:1 b:2 c:3]"},
        Case{"dict_odd", "{{ dict \"a\" }}", {}, "", true},
        Case{"dict_non_string_key", "{{ dict 1 \"value\" }}", {}, "", true},
        Case{"empty_list", "{{- $test := list -}}{{ $test }}", {}, "[]"},
        Case{"list", "{{- $test := list \"a\" \"b\" \"c\" -}}{{ $test }}", {}, "[a b c]"},
        Case{"append",
             "{{- $test := list \"a\" \"b\" -}}{{ $test = append $test \"c\" \"d\" -}}{{ $test }}",
             {},
             "[a b c d]"},
        Case{"match", "{{ match \"[a-z]+\" \"abc\" }}", {}, "true"},
        Case{"date", "{{ . | date \"2006-01-02\" }}", At(2024, 1, 1, 8, 15, 30), "2024-01-01"},
        Case{"tz", "{{ . | tz \"Europe/Paris\" }}", At(2024, 1, 1, 8, 15, 30),
             "2024-01-01 09:15:30 +0100 CET"},
        Case{"invalid_tz", "{{ . | tz \"Invalid/Timezone\" }}", At(2024, 1, 1, 8, 15, 30),
             "template: :1:7: executing \"\" at <tz \"Invalid/Timezone\">: error calling tz: "
             "unknown time zone Invalid/Timezone",
             true},
        Case{"humanize_duration_floats", "{{ range . }}{{ humanizeDuration . }}:{{ end }}",
             Value::FromList(Floats({0, 1, 60, 3600, 86400, 86400 + 3600,
                                     -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99})),
             "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:"},
        Case{"humanize_duration_strings", "{{ range . }}{{ humanizeDuration . }}:{{ end }}",
             Value::FromStrings({".1", ".0001", ".12345", "60.1", "60.5", "1.2345", "12.345"}),
             "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:"},
        Case{"humanize_duration_error",
             "{{ humanizeDuration \"one\" }}",
             {},
             "template: :1:3: executing \"\" at <humanizeDuration \"one\">: error calling "
             "humanizeDuration: strconv.ParseFloat: parsing \"one\": invalid syntax",
             true},
        Case{"since", "{{ . | since | humanizeDuration }}",
             Value::Time(absl::FromChrono(TestClock().Now()) - absl::Hours(1)), "1h 0m 0s"},
        Case{
            "now", "{{ now | date \"2006-01-02T15:04:05-0700\" }}", {}, "2023-11-14T22:13:20+0000"},
        Case{"time_format_method", "{{ .Format \"Mon, 02 Jan 2006 15:04:05 MST\" }}",
             At(2024, 3, 5, 7, 8, 9), "Tue, 05 Mar 2024 07:08:09 UTC"},
        Case{"kv_prints_as_string", "{{ . }}", KV({{"b", "2"}, {"alertname", "A"}}),
             "alertname=A, b=2"},
        Case{"kv_missing_label_is_empty", "[{{ .nope }}]", KV({{"a", "1"}}), "[]"},
        Case{"pairs_names_join", "{{ .SortedPairs.Names.Join \"+\" }}",
             KV({{"d", "1"}, {"alertname", "A"}, {"a", "2"}}), "alertname+a+d"}),
    [](const testing::TestParamInfo<Case>& info) { return info.param.title; });

TEST(AlertmanagerFuncsLimitsTest, ListHoldingItselfManyTimesOverFailsToPrint) {
  TemplateSet set(AlertmanagerFuncs(TestClock()));
  Result<std::string> out = set.ExecuteText(
      "{{$l := list 1}}{{range 60}}{{$l = list $l $l}}{{end}}{{print $l}}", Value());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kLimitExceeded);
}

TEST(AlertmanagerKVTest, SortedPairsPutAlertnameFirst) {
  TemplateSet set(AlertmanagerFuncs(TestClock()));
  Value kv =
      KV({{"d", "dVal"}, {"b", "bVal"}, {"c", "cVal"}, {"alertname", "alert"}, {"a", "aVal"}});
  EXPECT_EQ(*set.ExecuteText("{{ range .SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}", kv),
            "alertname=alert;a=aVal;b=bVal;c=cVal;d=dVal;");
  EXPECT_EQ(*set.ExecuteText("{{ .Remove (stringSlice \"b\" \"d\") | len }} {{ .Values }}", kv),
            "3 [alert aVal bVal cVal dVal]");
}

// Alertmanager's TestData: fingerprints, status, common labels and annotations.
TEST(AlertmanagerDataTest, BuildsDataAsAlertmanager) {
  const int64_t start_ms = 1000;
  std::vector<model::Alert> alerts(2);
  alerts[0].labels = {{"severity", "warning"}, {"job", "foo"}};
  alerts[0].annotations = {{"description", "something happened"}, {"runbook", "foo"}};
  alerts[0].starts_at_ms = start_ms;
  alerts[1].labels = {{"severity", "critical"}, {"job", "foo"}};
  alerts[1].annotations = {{"description", "something else happened"}, {"runbook", "foo"}};
  alerts[1].starts_at_ms = start_ms;
  alerts[1].ends_at_ms = 2000;
  AlertmanagerData data =
      MakeAlertmanagerData("webhook", {{"job", "foo"}}, alerts, 5000, "http://example.com/");
  EXPECT_EQ(data.receiver, "webhook");
  EXPECT_EQ(data.status, "firing");
  ASSERT_EQ(data.alerts.size(), 2u);
  EXPECT_EQ(data.alerts[0].status, "firing");
  EXPECT_EQ(data.alerts[0].fingerprint, "9266ef3da838ad95");
  EXPECT_EQ(data.alerts[1].status, "resolved");
  EXPECT_EQ(data.alerts[1].fingerprint, "3b15fd163d36582e");
  EXPECT_EQ(data.common_labels, (model::Labels{{"job", "foo"}}));
  EXPECT_EQ(data.common_annotations, (model::Labels{{"runbook", "foo"}}));
  EXPECT_EQ(LabelsFingerprint({{"severity", "critical"}, {"job", "bar"}}), "c7e68cb08e3e67f9");

  AlertmanagerData empty = MakeAlertmanagerData("a.b", {}, {}, 5000, "");
  EXPECT_EQ(empty.status, "resolved");
  EXPECT_EQ(empty.receiver, "a\\.b");
}

TEST(AlertmanagerDataTest, AlertFieldsAndMethods) {
  std::vector<model::Alert> alerts(3);
  alerts[0].labels = {{"alertname", "A"}, {"i", "1"}};
  alerts[1].labels = {{"alertname", "A"}, {"i", "2"}};
  alerts[1].ends_at_ms = 1000;
  alerts[2].labels = {{"alertname", "A"}, {"i", "3"}};
  alerts[2].starts_at_ms = 1'700'000'000'000;
  alerts[2].generator_url = "http://prom/graph";
  Value data = AlertmanagerDataValue(MakeAlertmanagerData("r", {}, alerts, 5000, ""));
  TemplateSet set(AlertmanagerFuncs(TestClock()));
  EXPECT_EQ(*set.ExecuteText("{{ len .Alerts.Firing }}/{{ len .Alerts.Resolved }}/"
                             "{{ range .Alerts.Resolved }}{{ .Labels.i }}{{ end }}",
                             data),
            "2/1/2");
  EXPECT_EQ(*set.ExecuteText("{{ with index .Alerts 2 }}{{ .StartsAt }}|{{ .EndsAt }}|"
                             "{{ .GeneratorURL }}|{{ .Fingerprint | len }}{{ end }}",
                             data),
            "2023-11-14 22:13:20 +0000 UTC|0001-01-01 00:00:00 +0000 UTC|http://prom/graph|16");
}

}  // namespace
}  // namespace argus::tmpl
