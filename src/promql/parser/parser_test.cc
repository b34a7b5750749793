#include "promql/parser/parser.h"

#include <gtest/gtest.h>

#include "promql/parser/functions.h"

namespace argus::promql {
namespace {

std::string Canonical(std::string_view query) {
  auto expr = ParseExpr(query);
  if (!expr.ok()) return "ERROR: " + expr.status().message();
  return ToString(**expr);
}

std::string ErrorOf(std::string_view query) {
  auto expr = ParseExpr(query);
  if (expr.ok()) return "parsed: " + ToString(**expr);
  EXPECT_EQ(expr.status().code(), Status::Code::kInvalidInput);
  return expr.status().message();
}

TEST(ParserTest, NumberLiterals) {
  EXPECT_EQ(Canonical("1"), "1");
  EXPECT_EQ(Canonical("12.34e6"), "12340000");
  EXPECT_EQ(Canonical(".2"), "0.2");
  EXPECT_EQ(Canonical("2."), "2");
  EXPECT_EQ(Canonical("0x1F"), "31");
  EXPECT_EQ(Canonical("010"), "8");  // Go's base prefix rules: a leading 0 is octal.
  EXPECT_EQ(Canonical("inF"), "+Inf");
  EXPECT_EQ(Canonical("-inf"), "-Inf");
  EXPECT_EQ(Canonical("NaN"), "NaN");
  EXPECT_EQ(Canonical("-0.2e-6"), "-0.0000002");
  EXPECT_EQ(Canonical("1 - -1"), "1 - -1");
  EXPECT_EQ(Canonical("5m"), "5m");  // A duration where a number may stand.
}

TEST(ParserTest, StringLiterals) {
  EXPECT_EQ(Canonical(R"("a\"b\n")"), R"("a\"b\n")");
  EXPECT_EQ(Canonical(R"('it\'s')"), R"("it's")");
  EXPECT_EQ(Canonical(R"(`raw\n`)"), R"("raw\\n")");
  EXPECT_EQ(Canonical(R"("\u00e9\x41\101")"), "\"\u00e9AA\"");
  EXPECT_EQ(ErrorOf(R"("\q")"), "1:1: parse error: unknown escape sequence");
  EXPECT_EQ(ErrorOf("\"open"), "1:1: parse error: unterminated quoted string");
}

TEST(ParserTest, Selectors) {
  EXPECT_EQ(Canonical("foo"), "foo");
  EXPECT_EQ(Canonical("foo{b='x', a=~\"y.*\",}"), R"(foo{a=~"y.*",b="x"})");
  EXPECT_EQ(Canonical(R"({__name__="foo", on="x"})"), R"({__name__="foo",on="x"})");
  EXPECT_EQ(Canonical(R"({"my.metric", "a.b"="c"})"), R"({"my.metric","a.b"="c"})");
  // Names that read as keywords stay quoted, so that the text parses back.
  EXPECT_EQ(Canonical(R"({"group"})"), R"({"group"})");
  EXPECT_EQ(Canonical(R"({"Sum", job="a"})"), R"({"Sum",job="a"})");
  EXPECT_EQ(Canonical("foo:bar offset 5m"), "foo:bar offset 5m");
  EXPECT_EQ(Canonical("foo offset -1h30m"), "foo offset -1h30m");
  EXPECT_EQ(Canonical("foo @ 100"), "foo @ 100.000");
  EXPECT_EQ(Canonical("foo offset 1m @ start()"), "foo @ start() offset 1m");
  EXPECT_EQ(Canonical("foo[5m] @ end()"), "foo[5m] @ end()");
  EXPECT_EQ(Canonical("foo[90] offset 1d"), "foo[1m30s] offset 1d");
  EXPECT_EQ(Canonical("rate(foo[5m])[1h:]"), "rate(foo[5m])[1h:]");
  EXPECT_EQ(Canonical("foo[1h:5m] offset 10m"), "foo[1h:5m] offset 10m");
  EXPECT_EQ(Canonical("foo # a comment\n + bar"), "foo + bar");
}

TEST(ParserTest, SelectorErrors) {
  EXPECT_EQ(ErrorOf("{}"),
            "1:1: parse error: vector selector must contain at least one non-empty matcher");
  EXPECT_EQ(ErrorOf(R"({a=~".*"})"),
            "1:1: parse error: vector selector must contain at least one non-empty matcher");
  EXPECT_EQ(ErrorOf(R"(foo{__name__="bar"})"),
            R"(1:1: parse error: metric name must not be set twice: "foo" or "bar")");
  EXPECT_EQ(ErrorOf("foo offset 1m offset 2m"),
            "1:15: parse error: offset may not be set multiple times");
  EXPECT_EQ(ErrorOf("(foo)[5m]"), "1:1: parse error: ranges only allowed for vector selectors");
  EXPECT_EQ(ErrorOf("sum(foo) offset 5m"),
            "1:1: parse error: offset modifier must be preceded by an instant vector selector or "
            "range vector selector or a subquery");
  EXPECT_EQ(ErrorOf(R"(foo{a="b")"), "1:10: parse error: unexpected end of input inside braces");
  EXPECT_EQ(
      ErrorOf(R"(foo{a})"),
      R"(1:6: parse error: unexpected "}" in label matching, expected label matching operator)");
  EXPECT_EQ(ErrorOf(R"(foo{a=~"(")"),
            R"(1:8: parse error: invalid regular expression "(": missing ): ^(?:()$)");
}

TEST(ParserTest, PrecedenceAndAssociativity) {
  auto expr = ParseExpr("1 + 2 * 3 ^ 2 ^ 2");
  ASSERT_TRUE(expr.ok());
  const auto* add = (*expr)->As<Binary>();
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->op, BinaryOp::kAdd);
  const auto* mul = add->rhs->As<Binary>();
  ASSERT_NE(mul, nullptr);
  const auto* pow = mul->rhs->As<Binary>();
  ASSERT_NE(pow, nullptr);
  EXPECT_NE(pow->rhs->As<Binary>(), nullptr);  // 3 ^ (2 ^ 2): right-associative.
  EXPECT_NE(pow->lhs->As<NumberLiteral>(), nullptr);

  auto minus = ParseExpr("-a ^ b");
  ASSERT_TRUE(minus.ok());
  ASSERT_NE((*minus)->As<Unary>(), nullptr);  // -(a ^ b)
  auto sub = ParseExpr("a - b - c");
  ASSERT_TRUE(sub.ok());
  EXPECT_NE((*sub)->As<Binary>()->lhs->As<Binary>(), nullptr);  // (a - b) - c
  auto set = ParseExpr("a or b and c unless d");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ((*set)->As<Binary>()->op, BinaryOp::kOr);
}

TEST(ParserTest, BinaryModifiers) {
  EXPECT_EQ(Canonical("a > bool b"), "a > bool b");
  EXPECT_EQ(Canonical("a * on(x, y) group_left(z) b"), "a * on (x, y) group_left (z) b");
  EXPECT_EQ(Canonical("a / ignoring(x) group_right b"), "a / ignoring (x) group_right () b");
  EXPECT_EQ(Canonical("a and on() b"), "a and on () b");
  EXPECT_EQ(Canonical("a atan2 b"), "a atan2 b");
  EXPECT_EQ(ErrorOf("1 > 2"),
            "1:3: parse error: comparisons between scalars must use BOOL modifier");
  EXPECT_EQ(ErrorOf("a + bool b"),
            "1:3: parse error: bool modifier can only be used on comparison operators");
  EXPECT_EQ(ErrorOf("a and 1"),
            R"(1:1: parse error: set operator "and" not allowed in binary scalar expression)");
  EXPECT_EQ(ErrorOf("a and on(x) group_left b"),
            R"(1:1: parse error: no grouping allowed for "and" operation)");
  EXPECT_EQ(ErrorOf("a + on(x) group_left(x) b"),
            R"(1:3: parse error: label "x" must not occur in ON and GROUP clause at once)");
  EXPECT_EQ(
      ErrorOf("a[5m] + 1"),
      "1:1: parse error: binary expression must contain only scalar and instant vector types");
}

TEST(ParserTest, Aggregations) {
  EXPECT_EQ(Canonical("sum by (job) (x)"), "sum by (job) (x)");
  EXPECT_EQ(Canonical("sum(x) without (a, b)"), "sum without (a, b) (x)");
  EXPECT_EQ(Canonical("topk(5, x)"), "topk(5, x)");
  EXPECT_EQ(Canonical("count_values by (a) (\"v\", x)"), R"(count_values by (a) ("v", x))");
  EXPECT_EQ(Canonical("sum by () (x)"), "sum(x)");
  EXPECT_EQ(Canonical(R"(max by ("a.b", on) (x))"), R"(max by ("a.b", on) (x))");
  EXPECT_EQ(Canonical("limit_ratio(0.5, x)"), "limit_ratio(0.5, x)");
  EXPECT_EQ(ErrorOf("topk(x)"),
            "1:1: parse error: wrong number of arguments for aggregate expression provided, "
            "expected 2, got 1");
  EXPECT_EQ(ErrorOf(R"(topk("a", x))"),
            "1:6: parse error: expected type scalar in aggregation parameter, got string");
  EXPECT_EQ(ErrorOf("sum(x[5m])"),
            "1:5: parse error: expected type instant vector in aggregation expression, got range "
            "vector");
}

TEST(ParserTest, Functions) {
  EXPECT_EQ(Canonical("rate(x[5m])"), "rate(x[5m])");
  EXPECT_EQ(Canonical("round(x, 5,)"), "round(x, 5)");
  EXPECT_EQ(Canonical("label_join(x, \"d\", \",\", \"a\", \"b\")"),
            R"(label_join(x, "d", ",", "a", "b"))");
  EXPECT_EQ(Canonical("time()"), "time()");
  EXPECT_EQ(
      ErrorOf("rate(x)"),
      R"(1:6: parse error: expected type range vector in call to function "rate", got instant vector)");
  EXPECT_EQ(
      ErrorOf("abs(1)"),
      R"(1:5: parse error: expected type instant vector in call to function "abs", got scalar)");
  EXPECT_EQ(ErrorOf("rate(x[5m], 1)"),
            R"(1:1: parse error: expected 1 argument(s) in call to "rate", got 2)");
  EXPECT_EQ(ErrorOf("round()"),
            R"(1:1: parse error: expected at least 1 argument(s) in call to "round", got 0)");
  EXPECT_EQ(ErrorOf("round(x, 1, 2)"),
            R"(1:1: parse error: expected at most 2 argument(s) in call to "round", got 3)");
  EXPECT_EQ(ErrorOf("nope(x)"), R"(1:1: parse error: unknown function with name "nope")");
  EXPECT_EQ(ErrorOf("x[5m:1m][1h]"), "1:1: parse error: ranges only allowed for vector selectors");
  EXPECT_EQ(ErrorOf("-x[5m]"),
            "1:1: parse error: unary expression only allowed on expressions of type scalar or "
            "instant vector, got \"range vector\"");
  EXPECT_EQ(
      ErrorOf("x[5m][1h:]"),
      "1:1: parse error: subquery is only allowed on instant vector, got range vector instead");
}

TEST(ParserTest, SyntaxErrorsCarryPositions) {
  EXPECT_EQ(ErrorOf("foo +"), "1:6: parse error: unexpected end of input");
  EXPECT_EQ(ErrorOf("foo bar"), R"(1:5: parse error: unexpected identifier "bar")");
  EXPECT_EQ(ErrorOf("sum(\nfoo)) "), "2:5: parse error: unexpected right parenthesis ')'");
  EXPECT_EQ(ErrorOf("foo $"), "1:5: parse error: unexpected character: '$'");
  EXPECT_EQ(ErrorOf("1.5m"), R"(1:1: parse error: bad number or duration syntax: "1.5m")");
  EXPECT_EQ(ErrorOf("(foo"), "1:5: parse error: unclosed left parenthesis");
  EXPECT_EQ(ErrorOf("foo offset 99999999y"), "1:12: parse error: duration out of range: 99999999y");
  EXPECT_EQ(ErrorOf("foo @ 1e300"),
            "1:7: parse error: timestamp out of bounds for @ modifier: 1e+300");
}

TEST(ParserTest, CanonicalTextParsesToItself) {
  for (std::string_view q : {
           "sum by (job) (rate(http_requests_total{job=~\"a|b\"}[5m] offset 1m))",
           "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))",
           "a * on (x) group_left (y) b + -c ^ 2",
           "max_over_time((a > bool 1)[10m:30s] @ 100.500)",
           "(1 + 2) * 3",
           "-(foo)",
       }) {
    std::string once = Canonical(q);
    EXPECT_EQ(Canonical(once), once) << q;
  }
}

TEST(ParserTest, Prettify) {
  auto short_expr = ParseExpr("sum(rate(x[5m]))");
  ASSERT_TRUE(short_expr.ok());
  EXPECT_EQ(Prettify(**short_expr), "sum(rate(x[5m]))");
  auto expr = ParseExpr(
      "sum by (job) (rate(http_requests_total{job=\"apiserver\", handler=\"/api/comments/all\", "
      "code=~\"5..\"}[5m])) / on (job) sum by (job) "
      "(rate(http_requests_total{job=\"apiserver\"}[5m]))");
  ASSERT_TRUE(expr.ok());
  EXPECT_EQ(Prettify(**expr),
            "  sum by (job) (\n"
            "    "
            "rate(http_requests_total{code=~\"5..\",handler=\"/api/comments/"
            "all\",job=\"apiserver\"}[5m])\n"
            "  )\n"
            "/ on (job)\n"
            "  sum by (job) (rate(http_requests_total{job=\"apiserver\"}[5m]))");
}

TEST(ParserTest, Json) {
  auto expr = ParseExpr("sum by (job) (rate(foo{a=\"b\"}[5m] @ 10)) > bool 1");
  ASSERT_TRUE(expr.ok());
  EXPECT_EQ(
      ToJson(**expr),
      R"({"type":"binaryExpr","op":">","lhs":{"type":"aggregation","op":"sum","expr":{"type":"call",)"
      R"("func":{"name":"rate","argTypes":["matrix"],"variadic":0,"returnType":"vector"},"args":[)"
      R"({"type":"matrixSelector","range":300000,"name":"foo","offset":0,"matchers":[{"name":"a",)"
      R"("value":"b","type":"="},{"name":"__name__","value":"foo","type":"="}],"timestamp":10000,)"
      R"("startOrEnd":null}]},"param":null,"grouping":["job"],"without":false},"rhs":{"type":)"
      R"("numberLiteral","val":"1"},"matching":null,"bool":true})");
}

TEST(ParserTest, SeriesSelector) {
  auto m = ParseSeriesSelector(R"(up{job="api", instance!~"x.*"})");
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->size(), 3u);
  EXPECT_EQ((*m)[2].name(), "__name__");
  EXPECT_EQ((*m)[2].value(), "up");
  EXPECT_TRUE(ParseSeriesSelector("{}").ok());
  EXPECT_FALSE(ParseSeriesSelector("up offset 5m").ok());
  EXPECT_FALSE(ParseSeriesSelector("rate(x[5m])").ok());
  EXPECT_FALSE(ParseSeriesSelector("").ok());
}

TEST(FunctionsTest, TableIsSortedAndComplete) {
  EXPECT_NE(FindFunction("abs"), nullptr);
  EXPECT_NE(FindFunction("year"), nullptr);
  EXPECT_NE(FindFunction("histogram_quantile"), nullptr);
  EXPECT_EQ(FindFunction("holt_winters"), nullptr);  // Renamed in Prometheus 3.
  EXPECT_EQ(FindFunction("nope"), nullptr);
}

}  // namespace
}  // namespace argus::promql
