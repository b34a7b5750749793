#include "tmpl/template.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace argus::tmpl {
namespace {

// Data shaped like the structs of Go's own text/template tests.
Value TestData() {
  auto methods = std::make_shared<MethodTable>();
  (*methods)["Method0"] = [](const Value&, std::span<const Value>) -> Result<Value> {
    return Value("M0");
  };
  (*methods)["Method1"] = [](const Value&, std::span<const Value> args) -> Result<Value> {
    if (args.size() != 1) return Status::Error("want 1 arg");
    return Value(fmt::format("M1({})", args[0].is_nil() ? "nil" : args[0].as_string()));
  };
  (*methods)["Fails"] = [](const Value&, std::span<const Value>) -> Result<Value> {
    return Status::Error("it failed");
  };
  Map inner{{"X", "inner-x"}};
  Map fields{
      {"True", true},
      {"False", false},
      {"I", 17},
      {"F", 1.5},
      {"S", "xyz"},
      {"Empty", ""},
      {"List", Value::FromList({1, 2, 3})},
      {"Strings", Value::FromStrings({"a", "b", "c"})},
      {"EmptyList", Value::FromList({})},
      {"Map", Value::FromMap({{"one", 1}, {"two", 2}, {"three", 3}})},
      {"Labels", Value::FromLabels(model::Labels{{"instance", "host:9100"}, {"job", "node"}})},
      {"Inner", Value::Object("Inner", inner)},
      {"Nil", Value()},
      {"Func", Value::Func([](std::span<const Value> args) -> Result<Value> {
         return Value(fmt::format("called with {}", args.size()));
       })},
  };
  return Value::Object("T", std::move(fields), methods);
}

struct ExecCase {
  std::string name;
  std::string text;
  std::string want;  // Ignored when want_error is set.
  bool want_error = false;
};

void PrintTo(const ExecCase& c, std::ostream* os) { *os << c.text; }

class ExecTest : public testing::TestWithParam<ExecCase> {};

TEST_P(ExecTest, MatchesGo) {
  const ExecCase& c = GetParam();
  TemplateSet set;
  Status parsed = set.Parse("test", c.text);
  ASSERT_TRUE(parsed.ok()) << parsed.message();
  Result<std::string> out = set.Execute("test", TestData());
  if (c.want_error) {
    EXPECT_FALSE(out.ok()) << "got " << (out.ok() ? *out : "");
    return;
  }
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, c.want);
}

INSTANTIATE_TEST_SUITE_P(
    Go, ExecTest,
    testing::Values(
        ExecCase{"empty", "", ""}, ExecCase{"text", "some text", "some text"},
        ExecCase{"dot_field", "{{.S}}", "xyz"}, ExecCase{"nested_field", "{{.Inner.X}}", "inner-x"},
        ExecCase{"int", "{{.I}}", "17"}, ExecCase{"float", "{{.F}}", "1.5"},
        ExecCase{"bool", "{{.True}}", "true"},
        ExecCase{"nil_prints_no_value", "{{.Nil}}", "<no value>"},
        ExecCase{"list", "{{.List}}", "[1 2 3]"},
        ExecCase{"map", "{{.Map}}", "map[one:1 three:3 two:2]"},
        ExecCase{"map_key", "{{.Map.two}}", "2"},
        ExecCase{"missing_key_any", "{{.Map.nope}}", "<no value>"},
        ExecCase{"label_key", "{{.Labels.instance}}", "host:9100"},
        ExecCase{"missing_label_empty", "[{{.Labels.nope}}]", "[]"},
        ExecCase{"method0", "{{.Method0}}", "M0"},
        ExecCase{"method1", "{{.Method1 \"a\"}}", "M1(a)"},
        ExecCase{"method1_piped", "{{\"b\" | .Method1}}", "M1(b)"},
        ExecCase{"method_error", "{{.Fails}}", "", true},
        ExecCase{"missing_field", "{{.Nope}}", "", true},
        ExecCase{"field_with_args", "{{.S 1}}", "", true},
        ExecCase{"nil_field_chain", "{{.Nil.X}}", "<no value>"},
        ExecCase{"dollar", "{{$.S}}", "xyz"}, ExecCase{"variable", "{{$x := .I}}{{$x}}", "17"},
        ExecCase{"assign", "{{$x := 1}}{{$x = 2}}{{$x}}", "2"},
        ExecCase{"variable_field", "{{$x := .Inner}}{{$x.X}}", "inner-x"},
        ExecCase{"variable_scope", "{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}", "21"},
        ExecCase{"assign_in_range", "{{$n := 0}}{{range .List}}{{$n = .}}{{end}}{{$n}}", "3"},
        ExecCase{"raw_string", "{{`a\\nb`}}", "a\\nb"},
        ExecCase{"string_escapes", "{{\"a\\tb\"}}", "a\tb"}, ExecCase{"char", "{{'a'}}", "97"},
        ExecCase{"hex", "{{0x1F}}", "31"}, ExecCase{"float_literal", "{{1.0}}", "1"},
        ExecCase{"exp_literal", "{{1e6}}", "1e+06"},
        ExecCase{"nil_arg", "{{.Method1 nil}}", "M1(nil)"},
        ExecCase{"comment", "a{{/* c */}}b", "ab"}, ExecCase{"trim", "a  {{- 1 -}}  b", "a1b"},
        ExecCase{"trim_comment", "a \n{{- /* c */ -}}\n b", "ab"},
        ExecCase{"minus_number_no_trim", "{{-3}}", "-3"},
        ExecCase{"if_true", "{{if .True}}y{{else}}n{{end}}", "y"},
        ExecCase{"if_false", "{{if .False}}y{{else}}n{{end}}", "n"},
        ExecCase{"if_empty_string", "{{if .Empty}}y{{else}}n{{end}}", "n"},
        ExecCase{"if_empty_list", "{{if .EmptyList}}y{{else}}n{{end}}", "n"},
        ExecCase{"if_zero", "{{if 0}}y{{else}}n{{end}}", "n"},
        ExecCase{"if_nil", "{{if .Nil}}y{{else}}n{{end}}", "n"},
        ExecCase{"if_object", "{{if .Inner}}y{{end}}", "y"},
        ExecCase{"else_if", "{{if .False}}a{{else if .True}}b{{else}}c{{end}}", "b"},
        ExecCase{"else_if_else", "{{if .False}}a{{else if .False}}b{{else}}c{{end}}", "c"},
        ExecCase{"if_decl", "{{if $x := .S}}{{$x}}{{end}}", "xyz"},
        ExecCase{"with", "{{with .Inner}}{{.X}}{{end}}", "inner-x"},
        ExecCase{"with_else", "{{with .Empty}}x{{else}}empty{{end}}", "empty"},
        ExecCase{"else_with", "{{with .Empty}}x{{else with .S}}{{.}}{{end}}", "xyz"},
        ExecCase{"range_list", "{{range .List}}<{{.}}>{{end}}", "<1><2><3>"},
        ExecCase{"range_index", "{{range $i, $e := .Strings}}{{$i}}={{$e}} {{end}}",
                 "0=a 1=b 2=c "},
        ExecCase{"range_one_var", "{{range $e := .Strings}}{{$e}}{{end}}", "abc"},
        ExecCase{"range_map_sorted", "{{range $k, $v := .Map}}{{$k}}={{$v}};{{end}}",
                 "one=1;three=3;two=2;"},
        ExecCase{"range_else", "{{range .EmptyList}}x{{else}}none{{end}}", "none"},
        ExecCase{"range_nil", "{{range .Nil}}x{{else}}none{{end}}", "none"},
        ExecCase{"range_int", "{{range 3}}{{.}}{{end}}", "012"},
        ExecCase{"range_break", "{{range .List}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}}", "1"},
        ExecCase{"range_continue", "{{range .List}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}",
                 "13"},
        ExecCase{"range_dollar", "{{range .List}}{{$.S}}{{end}}", "xyzxyzxyz"},
        ExecCase{"range_string_fails", "{{range .S}}{{end}}", "", true},
        ExecCase{"pipeline", "{{.S | printf \"%s!\"}}", "xyz!"},
        ExecCase{"pipeline_chain", "{{1 | printf \"%d\" | printf \"<%s>\"}}", "<1>"},
        ExecCase{"parens", "{{printf \"%d-%d\" (len .List) (index .List 0)}}", "3-1"},
        ExecCase{"parens_field", "{{(.Inner).X}}", "inner-x"},
        ExecCase{"and", "{{and 1 0 2}}", "0"}, ExecCase{"and_all", "{{and 1 2}}", "2"},
        ExecCase{"or", "{{or 0 \"\" \"x\"}}", "x"},
        ExecCase{"and_short_circuit", "{{and .False .Fails}}", "false"},
        ExecCase{"or_short_circuit", "{{or .True .Fails}}", "true"},
        ExecCase{"not", "{{not .True}}", "false"},
        ExecCase{"len", "{{len .S}} {{len .List}} {{len .Map}}", "3 3 3"},
        ExecCase{"len_int_fails", "{{len 3}}", "", true},
        ExecCase{"index_list", "{{index .List 1}}", "2"},
        ExecCase{"index_map", "{{index .Map \"three\"}}", "3"},
        ExecCase{"index_labels_missing", "[{{index .Labels \"nope\"}}]", "[]"},
        ExecCase{"index_out_of_range", "{{index .List 3}}", "", true},
        ExecCase{"slice_string", "{{slice .S 1 2}}", "y"},
        ExecCase{"slice_list", "{{slice .List 1}}", "[2 3]"},
        ExecCase{"print", "{{print 1 2 \"a\" \"b\" 3}}", "1 2ab3"},
        ExecCase{"println", "{{println 1 \"a\"}}", "1 a\n"},
        ExecCase{"eq", "{{eq 1 1}} {{eq \"a\" \"b\"}} {{eq 3 1 2 3}}", "true false true"},
        ExecCase{"eq_mixed_kinds_fails", "{{eq 1 1.0}}", "", true},
        ExecCase{"ne", "{{ne 1 2}}", "true"},
        ExecCase{"lt_le_gt_ge", "{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 2 2}}",
                 "true true false true"},
        ExecCase{"lt_strings", "{{lt \"a\" \"b\"}}", "true"},
        ExecCase{"gt_float_int_fails", "{{gt 1.5 0}}", "", true},
        ExecCase{"html", "{{html \"<a href='x'>&\\\"\"}}", "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"},
        ExecCase{"js", "{{js \"a'b\\\"<c>=\"}}", "a\\'b\\\"\\u003Cc\\u003E\\u003D"},
        ExecCase{"urlquery", "{{urlquery \"a b&c=d/é\"}}", "a+b%26c%3Dd%2F%C3%A9"},
        ExecCase{"call", "{{call .Func 1 2}}", "called with 2"},
        ExecCase{"call_non_function", "{{call .S}}", "", true},
        ExecCase{"define_template", "{{define \"x\"}}[{{.}}]{{end}}{{template \"x\" .I}}", "[17]"},
        ExecCase{"template_no_data", "{{define \"x\"}}{{.}}{{end}}{{template \"x\"}}",
                 "<no value>"},
        ExecCase{"template_own_dollar", "{{define \"x\"}}{{$}}{{end}}{{template \"x\" 5}}", "5"},
        ExecCase{"block", "{{block \"b\" .S}}<{{.}}>{{end}}", "<xyz>"},
        ExecCase{"missing_template", "{{template \"nope\"}}", "", true},
        ExecCase{"newline_in_action", "{{printf \"%d\"\n  5}}", "5"},
        ExecCase{"constant_with_args_fails", "{{1 2}}", "", true},
        ExecCase{"nil_command_fails", "{{nil}}", "", true}),
    [](const testing::TestParamInfo<ExecCase>& info) { return info.param.name; });

struct ParseErrorCase {
  std::string name;
  std::string text;
  std::string want;  // The whole message.
};

void PrintTo(const ParseErrorCase& c, std::ostream* os) { *os << c.text; }

class ParseErrorTest : public testing::TestWithParam<ParseErrorCase> {};

TEST_P(ParseErrorTest, NamesTemplateAndLine) {
  const ParseErrorCase& c = GetParam();
  TemplateSet set;
  Status status = set.Parse("test", c.text);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(status.message(), c.want);
  EXPECT_FALSE(set.Has("test")) << "a failed parse must leave the set unchanged";
}

INSTANTIATE_TEST_SUITE_P(
    Go, ParseErrorTest,
    testing::Values(
        ParseErrorCase{"undefined_variable", "{{$this_is_wrong}}",
                       "template: test:1: undefined variable \"$this_is_wrong\""},
        ParseErrorCase{"undefined_function", "a\nb {{nope 1}}",
                       "template: test:2: function \"nope\" not defined"},
        ParseErrorCase{"unclosed_action", "{{.X", "template: test:1: unclosed action"},
        ParseErrorCase{"unexpected_end", "{{end}}", "template: test:1: unexpected {{end}}"},
        ParseErrorCase{"missing_end", "{{if 1}}x", "template: test:1: unexpected EOF"},
        ParseErrorCase{"empty_pipeline", "{{if}}{{end}}", "template: test:1: missing value for if"},
        ParseErrorCase{"unclosed_comment", "{{/* x", "template: test:1: unclosed comment"},
        ParseErrorCase{"bad_operand", "{{.X )}}", "template: test:1: unexpected right paren"},
        ParseErrorCase{"break_outside_range", "{{break}}",
                       "template: test:1: {{break}} outside {{range}}"},
        ParseErrorCase{"variable_out_of_scope", "{{if 1}}{{$x := 1}}{{end}}{{$x}}",
                       "template: test:1: undefined variable \"$x\""},
        ParseErrorCase{"unterminated_string", "{{\"abc}}",
                       "template: test:1: unterminated quoted string"}),
    [](const testing::TestParamInfo<ParseErrorCase>& info) { return info.param.name; });

TEST(TemplateSetTest, ExecErrorSaysWhereAsGo) {
  TemplateSet set;
  ASSERT_TRUE(set.Parse("test", "line\n  {{.Nope}}").ok());
  Result<std::string> out = set.Execute("test", TestData());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(
      out.status().message(),
      "template: test:2:4: executing \"test\" at <.Nope>: can't evaluate field Nope in type T");
}

TEST(TemplateSetTest, FunctionErrorNamesTheCall) {
  TemplateSet set;
  ASSERT_TRUE(set.Parse("test", "{{index .List 5}}").ok());
  Result<std::string> out = set.Execute("test", TestData());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "template: test:1:2: executing \"test\" at <index .List 5>: error calling index: "
            "index out of range: 5");
}

TEST(TemplateSetTest, LaterDefinitionReplacesUnlessEmpty) {
  TemplateSet set;
  ASSERT_TRUE(set.Parse("default", "{{define \"t\"}}default{{end}}").ok());
  ASSERT_TRUE(set.Parse("user", "{{define \"t\"}}user{{end}}").ok());
  EXPECT_EQ(*set.Execute("t", Value()), "user");
  ASSERT_TRUE(set.Parse("empty", "{{define \"t\"}}  {{end}}").ok());
  EXPECT_EQ(*set.Execute("t", Value()), "user");
}

TEST(TemplateSetTest, ExecuteTextSeesTheSetButDoesNotChangeIt) {
  TemplateSet set;
  ASSERT_TRUE(set.Parse("lib", "{{define \"greet\"}}hello {{.}}{{end}}").ok());
  Result<std::string> out = set.ExecuteText(
      "{{define \"x\"}}!{{end}}{{template \"greet\" .}}{{template \"x\"}}", Value("bob"));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, "hello bob!");
  EXPECT_FALSE(set.Has("x"));
  EXPECT_EQ(set.Names(), (std::vector<std::string>{"greet", "lib"}));
}

TEST(TemplateSetTest, ParseGlobReadsFilesInNameOrder) {
  std::filesystem::path dir =
      std::filesystem::path(testing::TempDir()) / ("tmpl_glob_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "b.tmpl") << "{{ define \"who\" }}b{{ end }}";
  std::ofstream(dir / "a.tmpl") << "{{ define \"who\" }}a{{ end }}";
  TemplateSet set;
  Status status = set.ParseGlob((dir / "*.tmpl").string());
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(*set.Execute("who", Value()), "b");
  EXPECT_TRUE(set.Has("a.tmpl"));
  EXPECT_EQ(set.ParseGlob((dir / "*.none").string()).code(), Status::Code::kNotFound);
  std::ofstream(dir / "c.tmpl") << "line 1\n{{ end }}";
  EXPECT_EQ(set.ParseFile((dir / "c.tmpl").string()).message(),
            "template: c.tmpl:2: unexpected {{end}}");
  std::filesystem::remove_all(dir);
}

TEST(TemplateSetTest, CheckLeavesTheSetUnchanged) {
  TemplateSet set;
  EXPECT_TRUE(set.Check("t", "{{define \"x\"}}{{end}}").ok());
  EXPECT_FALSE(set.Has("t"));
  EXPECT_FALSE(set.Has("x"));
  EXPECT_FALSE(set.Check("t", "{{nope}}").ok());
}

TEST(TemplateSetTest, MissingTemplateIsNotFound) {
  TemplateSet set;
  EXPECT_EQ(set.Execute("nope", Value()).status().code(), Status::Code::kNotFound);
}

TEST(TemplateSetTest, CustomFunctionsAreCallable) {
  FuncMap funcs;
  funcs["double"] = [](std::span<const Value> args) -> Result<Value> {
    return Value(args[0].as_int() * 2);
  };
  TemplateSet set(funcs);
  ASSERT_TRUE(set.Parse("t", "{{double 21}} {{21 | double}}").ok());
  EXPECT_EQ(*set.Execute("t", Value()), "42 42");
}

TEST(TemplateSetTest, OverridesReplaceFunctionsForOneExecution) {
  FuncMap funcs;
  funcs["who"] = [](std::span<const Value>) -> Result<Value> { return Value("placeholder"); };
  auto shared = TemplateSet::WithBuiltins(std::move(funcs));
  TemplateSet set(shared);
  ASSERT_TRUE(set.Parse("t", "{{ who }} {{ len \"abc\" }}").ok());
  FuncMap overrides;
  overrides["who"] = [](std::span<const Value>) -> Result<Value> { return Value("alice"); };
  EXPECT_EQ(*set.Execute("t", Value(), overrides), "alice 3");
  EXPECT_EQ(*set.Execute("t", Value()), "placeholder 3");
  EXPECT_FALSE(TemplateSet(shared).Has("t")) << "sets sharing functions share no templates";
}

TEST(TemplateSetTest, InfiniteRecursionIsBounded) {
  TemplateSet set;
  ASSERT_TRUE(
      set.Parse("t", "{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .}}").ok());
  Result<std::string> out = set.Execute("t", Value());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kLimitExceeded);
  EXPECT_NE(out.status().message().find("exceeded maximum template depth"), std::string::npos);
}

TEST(TemplateSetTest, ExponentialRecursionIsBoundedBySteps) {
  TemplateSet set;
  set.set_limits(ExecLimits{.max_depth = 100, .max_steps = 100000});
  ASSERT_TRUE(set.Parse("t",
                        "{{define \"r\"}}{{template \"r\" .}}{{template \"r\" .}}{{end}}"
                        "{{template \"r\" .}}")
                  .ok());
  Result<std::string> out = set.Execute("t", Value());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kLimitExceeded);
}

TEST(TemplateSetTest, OutputIsBounded) {
  TemplateSet set;
  set.set_limits(ExecLimits{.max_output_bytes = 1000});
  ASSERT_TRUE(set.Parse("t", "{{range 100000}}xxxxxxxxxx{{end}}").ok());
  Result<std::string> out = set.Execute("t", Value());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kLimitExceeded);
}

TEST(TemplateSetTest, DeepRecursionThroughNestedBlocksStopsBeforeTheStackEnds) {
  std::string body = "{{template \"r\" .}}";
  for (int i = 0; i < 50; ++i) body = "{{if true}}{{with 1}}(" + body + "){{end}}{{end}}";
  TemplateSet set;
  ASSERT_TRUE(set.Parse("t", "{{define \"r\"}}" + body + "{{end}}{{template \"r\" .}}").ok());
  Result<std::string> out = set.Execute("t", Value());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kLimitExceeded);
}

struct HostileCase {
  std::string name;
  std::string text;
};

class HostileTest : public testing::TestWithParam<HostileCase> {};

// Templates that would take unbounded memory or time fail with kLimitExceeded.
TEST_P(HostileTest, FailsWithinTheLimits) {
  TemplateSet set;
  set.set_limits(ExecLimits{.max_steps = 200'000});
  ASSERT_TRUE(set.Parse("t", GetParam().text).ok());
  Result<std::string> out = set.Execute("t", Value());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Status::Code::kLimitExceeded) << out.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Limits, HostileTest,
    testing::Values(
        HostileCase{"doubling_string",
                    "{{$s := \"xx\"}}{{range 100}}{{$s = printf \"%s%s\" $s $s}}{{end}}"},
        HostileCase{"long_loop", "{{range 100000000}}{{end}}"},
        HostileCase{"wide_printf", "{{range 100000}}{{$x := printf \"%*d\" 1000000 1}}{{end}}"}),
    [](const testing::TestParamInfo<HostileCase>& info) { return info.param.name; });

TEST(TemplateSetTest, DeepNestingIsRejectedAtParse) {
  std::string text = "{{" + std::string(5000, '(') + "1" + std::string(5000, ')') + "}}";
  TemplateSet set;
  Status status = set.Parse("t", text);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("max expression depth exceeded"), std::string::npos);
}

}  // namespace
}  // namespace argus::tmpl
