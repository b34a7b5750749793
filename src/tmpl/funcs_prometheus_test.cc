#include "tmpl/funcs_prometheus.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tmpl/alert_template.h"
#include "tmpl/template.h"

namespace argus::tmpl {
namespace {

// The cases of Prometheus' template/template_test.go (TestTemplateExpansion), text mode.
struct Case {
  std::string text;
  std::string want;  // The output, or the error after "error executing template test: ".
  Value input = Value();
  std::vector<QuerySample> query_result = {};
  bool want_error = false;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.text; }

Value Floats(std::vector<double> values) {
  List list(values.begin(), values.end());
  return Value::FromList(std::move(list));
}

Value Ints(std::vector<int64_t> values) {
  List list(values.begin(), values.end());
  return Value::FromList(std::move(list));
}

const model::Labels kMetricA = {{"__name__", "metric"}, {"instance", "a"}};
const model::Labels kMetricB = {{"__name__", "metric"}, {"instance", "b"}};
const double kInf = std::numeric_limits<double>::infinity();

class PrometheusFuncsTest : public testing::TestWithParam<Case> {};

TEST_P(PrometheusFuncsTest, MatchesPrometheus) {
  const Case& c = GetParam();
  PrometheusTemplateEnv env;
  env.query = [&c](std::string_view) -> Result<std::vector<QuerySample>> { return c.query_result; };
  env.eval_time = absl::FromUnixMillis(1353755652000);
  env.external_url = "http://testhost:9090/path/prefix";
  TemplateSet set(PrometheusFuncs(env));
  Status parsed = set.Parse("test", c.text);
  ASSERT_TRUE(parsed.ok()) << parsed.message();
  Result<std::string> out = set.Execute("test", c.input);
  if (c.want_error) {
    ASSERT_FALSE(out.ok()) << *out;
    EXPECT_EQ(out.status().message(), c.want);
    return;
  }
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, c.want);
}

INSTANTIATE_TEST_SUITE_P(
    Prometheus, PrometheusFuncsTest,
    testing::Values(
        Case{"plain text", "plain text"}, Case{"{{ 1 }}", "1"}, Case{"{{ \"<b>\" }}", "<b>"},
        Case{"{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}", "1 2"},
        Case{"{{ query \"1.5\" | first | value }}", "1.5", {}, {{{}, 1.5}}},
        Case{"{{ query \"metric{instance='a'}\" | first | value }}", "11", {}, {{kMetricA, 11}}},
        Case{"{{ query \"metric{instance='a'}\" | first | label \"instance\" }}",
             "a",
             {},
             {{kMetricA, 11}}},
        Case{"{{ query \"metric{__value__='a'}\" | first | strvalue }}",
             "a",
             {},
             {{{{"__name__", "metric"}, {"__value__", "a"}}, 11}}},
        Case{"{{ query \"metric{instance='a'}\" | first | label \"foo\" }}",
             "",
             {},
             {{kMetricA, 11}}},
        Case{"{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}", "", {}, {{kMetricA, 11}}},
        Case{"{{ range query \"metric\" | sortByLabel \"instance\" }}{{.Labels.instance}}:"
             "{{.Value}}: {{end}}",
             "a:11: b:21: ",
             {},
             {{kMetricB, 21}, {kMetricA, 11}}},
        Case{"{{ \"foo.example.com\" | stripPort }}", "foo.example.com"},
        Case{"{{ \"foo.example.com:12345\" | stripPort }}", "foo.example.com"},
        Case{"{{ \"192.0.2.1\" | stripPort }}", "192.0.2.1"},
        Case{"{{ \"192.0.2.1:12345\" | stripPort }}", "192.0.2.1"},
        Case{"{{ \"2001:0DB8::1\" | stripPort }}", "2001:0DB8::1"},
        Case{"{{ \"[2001:0DB8::1]:12345\" | stripPort }}", "2001:0DB8::1"},
        Case{"{{ \"[2001:0DB8::1]::12345\" | stripPort }}", "[2001:0DB8::1]::12345"},
        Case{"{{ .Foo }}", "<no value>"},
        Case{"{{ query \"missing\" | first }}",
             "template: test:1:21: executing \"test\" at <first>: error calling first: first() "
             "called on vector with no elements",
             {},
             {},
             true},
        Case{"{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}", "xa"},
        Case{"{{ range . }}{{ humanize . }}:{{ end }}",
             "0:1:1.235M:120m:", Floats({0.0, 1.0, 1234567.0, .12})},
        Case{"{{ range . }}{{ humanize . }}:{{ end }}",
             "0:1:1.235M:120m:", Value::FromStrings({"0.0", "1.0", "1234567.0", ".12"})},
        Case{"{{ humanize \"one\" }}",
             "template: test:1:3: executing \"test\" at <humanize \"one\">: error calling "
             "humanize: strconv.ParseFloat: parsing \"one\": invalid syntax",
             {},
             {},
             true},
        Case{"{{ range . }}{{ humanize . }}:{{ end }}", "0:-1:1:1.235M:9.223E:",
             Ints({0, -1, 1, 1234567, std::numeric_limits<int64_t>::max()})},
        Case{"{{ range . }}{{ humanize1024 . }}:{{ end }}",
             "0:1:1Mi:0.12:", Floats({0.0, 1.0, 1048576.0, .12})},
        Case{"{{ range . }}{{ humanize1024 . }}:{{ end }}",
             "0:-1:1:1.177Mi:8Ei:", Ints({0, -1, 1, 1234567, std::numeric_limits<int64_t>::max()})},
        Case{"{{ range . }}{{ humanizeDuration . }}:{{ end }}",
             "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:",
             Floats({0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5),
                     899.99})},
        Case{"{{ range . }}{{ humanizeDuration . }}:{{ end }}",
             "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:",
             Floats({.1, .0001, .12345, 60.1, 60.5, 1.2345, 12.345})},
        Case{"{{ range . }}{{ humanizeDuration . }}:{{ end }}",
             "0s:-1s:1s:14d 6h 56m 7s:", Ints({0, -1, 1, 1234567})},
        Case{"{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:"
             "{{humanizeTimestamp .}}:{{ end }}",
             "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:",
             Floats({kInf, -kInf, std::nan("")})},
        Case{"{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:"
             "{{humanizeTimestamp .}}:{{ end }}",
             "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:",
             Value::FromStrings({"+Inf", "-Inf", "NaN"})},
        Case{"{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | "
             "humanizePercentage }}:{{ 1.23456 | humanizePercentage }}",
             "-22.22%:0%:12.35%:123.5%"},
        Case{"{{ range . }}{{ humanizePercentage . }}:{{ end }}",
             "0%:-100%:100%:1.235e+08%:9.223e+20%:",
             Ints({0, -1, 1, 1234567, std::numeric_limits<int64_t>::max()})},
        Case{"{{ \"one\" | humanizePercentage }}",
             "template: test:1:11: executing \"test\" at <humanizePercentage>: error calling "
             "humanizePercentage: strconv.ParseFloat: parsing \"one\": invalid syntax",
             {},
             {},
             true},
        Case{"{{ range . }}{{ humanizeTimestamp . }}:{{ end }}",
             "1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 "
             "+0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:",
             Ints({0, -1, 1, 1234567, 9223372036})},
        Case{"{{ range . }}{{ humanizeTimestamp . }}:{{ end }}",
             "template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling "
             "humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds "
             "timestamp since it overflows int64",
             Ints({std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}),
             {},
             true},
        Case{"{{ 1435065584.128 | humanizeTimestamp }}", "2015-06-23 13:19:44.128 +0000 UTC"},
        Case{"{{ \"1435065584.128\" | humanizeTimestamp }}", "2015-06-23 13:19:44.128 +0000 UTC"},
        Case{"{{ (1435065584.128 | toTime).Format \"2006\" }}", "2015"},
        Case{"{{ (\"1435065584.128\" | toTime).Format \"2006\" }}", "2015"},
        Case{"{{ (1800 | toDuration).String }}", "30m0s"}, Case{"{{ now }}", "1.353755652e+09"},
        Case{"{{ (now | toTime).Format \"Mon Jan 2 15:04:05 2006\" }}", "Sat Nov 24 11:14:12 2012"},
        Case{"{{ (\"-30m\" | parseDuration | toDuration | (now | toTime).Add).UnixMilli }}",
             "1353753852000"},
        Case{"{{ \"aa bb CC\" | title }}", "Aa Bb CC"},
        Case{"{{ \"aa bb CC\" | toUpper }}", "AA BB CC"},
        Case{"{{ \"aA bB CC\" | toLower }}", "aa bb cc"},
        Case{"{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}", "true false"},
        Case{"{{ graphLink \"up\" }}", "/graph?g0.expr=up&g0.tab=0"},
        Case{"{{ tableLink \"up\" }}", "/graph?g0.expr=up&g0.tab=1"},
        Case{"{{ pathPrefix }}", "/path/prefix"},
        Case{"{{ externalURL }}", "http://testhost:9090/path/prefix"},
        Case{"{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}", "3720.01"},
        Case{"{{ printf \"%0.2f\" (parseDuration \"-1h2m10ms\") }}", "-3720.01"},
        Case{"{{ \"foo.example.com\" | stripDomain }}", "foo"},
        Case{"{{ \"foo.example.com:12345\" | stripDomain }}", "foo:12345"},
        Case{"{{ \"192.0.2.1\" | stripDomain }}", "192.0.2.1"},
        Case{"{{ \"192.0.2.1:12345\" | stripDomain }}", "192.0.2.1:12345"},
        Case{"{{ \"2001:0DB8::1\" | stripDomain }}", "2001:0DB8::1"},
        Case{"{{ \"[2001:0DB8::1]:12345\" | stripDomain }}", "[2001:0DB8::1]:12345"},
        Case{"{{ \"[2001:0DB8::1]::12345\" | stripDomain }}", "[2001:0DB8::1]::12345"},
        // Beyond Prometheus' table: reReplaceAll's Go semantics.
        Case{"{{ reReplaceAll \"a*\" \"-\" \"baaac\" }}", "-b-c-"},
        Case{"{{ reReplaceAll \"(?P<word>\\\\w+)\" \"<${word}>\" \"hi there\" }}", "<hi> <there>"},
        Case{"{{ reReplaceAll \"(\" \"x\" \"y\" }}",
             "template: test:1:3: executing \"test\" at <reReplaceAll \"(\" \"x\" \"y\">: error "
             "calling reReplaceAll: error parsing regexp: missing closing ): `(`",
             {},
             {},
             true}));

AlertTemplateData AlertData() {
  AlertTemplateData data;
  data.labels = {{"alertname", "HighLatency"}, {"instance", "web-1:9090"}, {"job", "web"}};
  data.external_labels = {{"cluster", "eu-1"}};
  data.external_url = "http://argus.example.com";
  data.value = 0.5;
  return data;
}

TEST(AlertTemplateTest, ExpandsWithPrometheusVariables) {
  Result<std::string> out = ExpandAlertTemplate(
      "HighLatency",
      "{{ $labels.instance }} of {{ $labels.job }} in {{ $externalLabels.cluster }}: "
      "{{ $value | humanizePercentage }} ({{ $value }}) see {{ $externalURL }}{{ $labels.nope }}",
      AlertData(), {});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, "web-1:9090 of web in eu-1: 50% (0.5) see http://argus.example.com");
}

TEST(AlertTemplateTest, ExecutionErrorReadsAsPrometheusAnnotation) {
  Result<std::string> out = ExpandAlertTemplate("X", "{{ .Nope }}", AlertData(), {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "<error expanding template: error executing template __alert_X: template: "
            "__alert_X:1:115: executing \"__alert_X\" at <.Nope>: can't evaluate field Nope in "
            "type struct { Labels map[string]string; ExternalLabels map[string]string; "
            "ExternalURL string; Value interface {} }>");
}

TEST(AlertTemplateTest, QueryGoesThroughTheCallback) {
  PrometheusTemplateEnv env;
  env.query = [](std::string_view q) -> Result<std::vector<QuerySample>> {
    if (q != "up{job=\"web\"}") return Status::Error("unexpected query");
    return std::vector<QuerySample>{{{{"job", "web"}}, 1}};
  };
  Result<std::string> out = ExpandAlertTemplate(
      "X", "{{ with printf \"up{job=%q}\" $labels.job | query }}{{ . | first | value }}{{ end }}",
      AlertData(), env);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, "1");
}

TEST(AlertTemplateTest, CheckRejectsWhatPrometheusRejects) {
  EXPECT_TRUE(CheckAlertTemplate("X", "{{ $labels.instance }} {{ humanize $value }}").ok());
  Status status = CheckAlertTemplate("X", "{{$this_is_wrong}}");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "template: __alert_X:1: undefined variable \"$this_is_wrong\"");
  EXPECT_FALSE(CheckAlertTemplate("X", "{{ nosuchfunc }}").ok());
  EXPECT_FALSE(CheckAlertTemplate("X", "{{ if }}").ok());
}

}  // namespace
}  // namespace argus::tmpl
