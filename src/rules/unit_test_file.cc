#include "rules/unit_test_file.h"

#include <absl/strings/numbers.h>
#include <absl/time/time.h>
#include <glob.h>

#include <filesystem>
#include <map>

#include "config/yaml_reader.h"

namespace argus::rules {
namespace {

using config::MapReader;
using config::Present;

// The mappings of the sequence at `key` of `r`, each read by `read` with its own reader.
template <typename T, typename ReadOne>
std::vector<T> ReadList(MapReader& r, const char* key, ReadOne read) {
  std::vector<T> out;
  YAML::Node list = r.Child(key);
  if (!Present(list)) return out;
  if (!list.IsSequence()) {
    r.Fail(list, r.ChildPath(key), "expected a list");
    return out;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    MapReader item(list[i], r.ChildPath(key, i), r.diagnostics());
    out.push_back(read(item));
    item.Finish();
  }
  return out;
}

// A mapping of strings to strings at `key` (labels or annotations, whose names are not checked:
// they are compared, not stored).
model::Labels ReadStringMap(MapReader& r, const char* key) {
  YAML::Node map = r.Child(key);
  if (!Present(map)) return {};
  if (!map.IsMap()) {
    r.Fail(map, r.ChildPath(key), "expected a mapping");
    return {};
  }
  std::vector<model::Label> labels;
  for (const auto& entry : map) {
    if (!entry.second.IsNull() && !entry.second.IsScalar()) {
      r.Fail(entry.second, r.ChildPath(key) + "." + entry.first.Scalar(),
             "expected a single value");
      continue;
    }
    labels.push_back({entry.first.Scalar(), entry.second.IsNull() ? "" : entry.second.Scalar()});
  }
  return model::Labels::FromUnsorted(std::move(labels));
}

// start_timestamp: seconds since the epoch, or an RFC 3339 time.
void ReadStartTimestamp(MapReader& r, int64_t* out_ms) {
  std::string text;
  r.Read("start_timestamp", &text);
  if (text.empty()) return;
  int64_t seconds = 0;
  absl::Time time;
  std::string error;
  if (absl::SimpleAtoi(text, &seconds)) {
    *out_ms = seconds * 1000;
  } else if (absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    *out_ms = absl::ToUnixMillis(time);
  } else {
    r.Fail(r.Child("start_timestamp"), r.ChildPath("start_timestamp"),
           fmt::format("expected seconds since the epoch or an RFC 3339 time, got \"{}\"", text));
  }
}

ExpectedAlert ReadExpectedAlert(MapReader& r) {
  return {.labels = ReadStringMap(r, "exp_labels"),
          .annotations = ReadStringMap(r, "exp_annotations")};
}

AlertTestCase ReadAlertTest(MapReader& r) {
  AlertTestCase test;
  r.Read("eval_time", &test.eval_time);
  r.Read("alertname", &test.alertname);
  test.exp_alerts = ReadList<ExpectedAlert>(r, "exp_alerts", ReadExpectedAlert);
  return test;
}

ExpectedSample ReadExpectedSample(MapReader& r) {
  ExpectedSample sample;
  r.Read("labels", &sample.labels);
  r.Read("value", &sample.value);
  sample.histogram = Present(r.Child("histogram"));
  return sample;
}

ExprTestCase ReadExprTest(MapReader& r) {
  ExprTestCase test;
  r.Read("expr", &test.expr);
  r.Read("eval_time", &test.eval_time);
  test.exp_samples = ReadList<ExpectedSample>(r, "exp_samples", ReadExpectedSample);
  return test;
}

InputSeries ReadInputSeries(MapReader& r) {
  InputSeries series;
  r.Read("series", &series.series);
  r.Read("values", &series.values);
  return series;
}

TestGroup ReadTestGroup(MapReader& r) {
  TestGroup group;
  r.Read("name", &group.name);
  if (Present(r.Child("interval"))) {
    model::Duration interval{0};
    r.Read("interval", &interval);
    if (interval.count() > 0) group.interval = interval;
  }
  ReadStartTimestamp(r, &group.start_ms);
  group.input_series = ReadList<InputSeries>(r, "input_series", ReadInputSeries);
  group.alert_tests = ReadList<AlertTestCase>(r, "alert_rule_test", ReadAlertTest);
  group.expr_tests = ReadList<ExprTestCase>(r, "promql_expr_test", ReadExprTest);
  group.external_labels = ReadStringMap(r, "external_labels");
  r.Read("external_url", &group.external_url);
  return group;
}

}  // namespace

Result<UnitTestFile> ParseUnitTestFile(std::string_view yaml, std::string_view source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Status::Errorf(Status::Code::kInvalidInput, "{}:{}:{}: {}", source, e.mark.line + 1,
                          e.mark.column + 1, e.msg);
  }
  config::Diagnostics diagnostics(source);
  UnitTestFile file;
  MapReader r(root, "", diagnostics);
  r.Read("rule_files", &file.rule_files);
  model::Duration interval{0};
  r.Read("evaluation_interval", &interval);
  if (interval.count() > 0) file.evaluation_interval = interval;
  r.Read("fuzzy_compare", &file.fuzzy_compare);
  r.Read("group_eval_order", &file.group_eval_order);
  file.tests = ReadList<TestGroup>(r, "tests", ReadTestGroup);
  r.Finish();
  if (diagnostics.error_count() == 0) return file;
  std::string message;
  for (const std::string& error : diagnostics.errors()) {
    if (!message.empty()) message += '\n';
    message += error;
  }
  return Status::Error(std::move(message), Status::Code::kInvalidInput);
}

std::vector<std::string> RuleFilesOf(const UnitTestFile& file, const std::string& path,
                                     std::vector<std::string>* unmatched) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::vector<std::string> files;
  for (const std::string& entry : file.rule_files) {
    std::string pattern =
        entry.empty() || entry.front() == '/' ? entry : (dir / entry).lexically_normal().string();
    glob_t matches;
    if (::glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
      for (size_t i = 0; i < matches.gl_pathc; ++i) files.emplace_back(matches.gl_pathv[i]);
    } else {
      unmatched->push_back(pattern);
    }
    ::globfree(&matches);
  }
  return files;
}

}  // namespace argus::rules
