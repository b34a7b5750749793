#include "rules/rule_file.h"

#include <absl/strings/numbers.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include "base/utf8.h"
#include "model/duration.h"
#include "promql/parser/parser.h"
#include "rules/template.h"

namespace argus::rules {
namespace {

// "line:column: " of a node, both 1-based as Prometheus prints them; "" for a node without one.
std::string Position(const YAML::Node& node) {
  if (!node.IsDefined()) return "";
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return "";
  return fmt::format("{}:{}: ", mark.line + 1, mark.column + 1);
}

// The entries of a mapping with YAML merge keys (`<<: *anchor`) resolved: keys written in the
// mapping win over merged ones, as in Go's yaml package.
std::vector<std::pair<YAML::Node, YAML::Node>> Entries(const YAML::Node& mapping) {
  std::vector<std::pair<YAML::Node, YAML::Node>> own, merged;
  std::set<std::string> keys;
  for (const auto& entry : mapping) {
    if (entry.first.IsScalar() && entry.first.Scalar() == "<<" && entry.first.Tag() != "!") {
      std::vector<YAML::Node> sources;
      if (entry.second.IsSequence()) {
        for (const auto& source : entry.second) sources.push_back(source);
      } else {
        sources.push_back(entry.second);
      }
      for (const YAML::Node& source : sources) {
        if (!source.IsMap()) continue;
        for (const auto& inner : Entries(source)) merged.push_back(inner);
      }
      continue;
    }
    own.emplace_back(entry.first, entry.second);
    if (entry.first.IsScalar()) keys.insert(entry.first.Scalar());
  }
  for (auto& entry : merged) {
    if (keys.insert(entry.first.Scalar()).second) own.push_back(std::move(entry));
  }
  return own;
}

// A rule as written, with the nodes that messages point at.
struct RuleNodes {
  RuleSpec spec;
  YAML::Node mapping, record, alert, expr;
  std::vector<std::pair<std::string, YAML::Node>> label_keys, annotation_keys;
};

struct GroupNodes {
  RuleGroupSpec spec;
  YAML::Node mapping;
  std::vector<std::pair<std::string, YAML::Node>> label_keys;
  std::map<std::string, std::string> labels;
  std::vector<RuleNodes> rules;
};

// Reads the YAML into groups, collecting what does not fit the format's shape, as Go's yaml
// decoder does with KnownFields: an unknown key, a value of the wrong type.
class ShapeReader {
 public:
  explicit ShapeReader(const RuleFileOptions& options) : options_(options) {}

  std::vector<GroupNodes> ReadRoot(const YAML::Node& root) {
    std::vector<GroupNodes> groups;
    if (!root.IsDefined() || root.IsNull()) return groups;
    if (!Expect(root, YAML::NodeType::Map, "rulefmt.RuleGroups")) return groups;
    for (const auto& [key, value] : Entries(root)) {
      if (key.Scalar() != "groups") {
        Unknown(key, "rulefmt.RuleGroups");
      } else if (!value.IsNull() &&
                 Expect(value, YAML::NodeType::Sequence, "[]rulefmt.RuleGroup")) {
        for (const YAML::Node& group : value) groups.push_back(ReadGroup(group));
      }
    }
    return groups;
  }

  std::vector<std::string>& errors() { return errors_; }

 private:
  GroupNodes ReadGroup(const YAML::Node& node) {
    GroupNodes group;
    group.mapping = node;
    if (!Expect(node, YAML::NodeType::Map, "rulefmt.RuleGroup")) return group;
    for (const auto& [key, value] : Entries(node)) {
      const std::string& k = key.Scalar();
      if (k == "name") {
        Scalar(value, &group.spec.name);
      } else if (k == "interval") {
        group.spec.interval = Duration(value);
      } else if (k == "query_offset") {
        group.spec.query_offset = Duration(value);
      } else if (k == "limit") {
        std::string text;
        if (Scalar(value, &text) && !text.empty() && !absl::SimpleAtoi(text, &group.spec.limit)) {
          Fail(value, fmt::format("cannot unmarshal !!str `{}` into int", text));
        }
      } else if (k == "labels") {
        group.label_keys = StringMap(value, &group.labels);
      } else if (k == "rules") {
        if (!value.IsNull() && Expect(value, YAML::NodeType::Sequence, "[]rulefmt.Rule")) {
          for (const YAML::Node& rule : value) group.rules.push_back(ReadRule(rule));
        }
      } else {
        Unknown(key, "rulefmt.RuleGroup");
      }
    }
    return group;
  }

  RuleNodes ReadRule(const YAML::Node& node) {
    RuleNodes rule;
    rule.mapping = node;
    if (!Expect(node, YAML::NodeType::Map, "rulefmt.Rule")) return rule;
    std::map<std::string, std::string> labels, annotations;
    for (const auto& [key, value] : Entries(node)) {
      const std::string& k = key.Scalar();
      if (k == "record") {
        rule.record = value;
        Scalar(value, &rule.spec.record);
      } else if (k == "alert") {
        rule.alert = value;
        Scalar(value, &rule.spec.alert);
      } else if (k == "expr") {
        rule.expr = value;
        Scalar(value, &rule.spec.expr);
      } else if (k == "for") {
        rule.spec.for_duration = Duration(value).value_or(std::chrono::milliseconds(0));
      } else if (k == "keep_firing_for") {
        rule.spec.keep_firing_for = Duration(value).value_or(std::chrono::milliseconds(0));
      } else if (k == "labels") {
        rule.label_keys = StringMap(value, &labels);
      } else if (k == "annotations") {
        rule.annotation_keys = StringMap(value, &annotations);
      } else {
        Unknown(key, "rulefmt.Rule");
      }
    }
    rule.spec.labels = ToLabels(labels);
    rule.spec.annotations = ToLabels(annotations);
    return rule;
  }

  static model::Labels ToLabels(const std::map<std::string, std::string>& map) {
    std::vector<model::Label> labels;
    for (const auto& [name, value] : map) labels.push_back({name, value});
    return model::Labels::FromUnsorted(std::move(labels));
  }

  // Reads a mapping of strings; returns its keys with their nodes, in the file's order.
  std::vector<std::pair<std::string, YAML::Node>> StringMap(
      const YAML::Node& node, std::map<std::string, std::string>* out) {
    std::vector<std::pair<std::string, YAML::Node>> keys;
    if (node.IsNull() || !Expect(node, YAML::NodeType::Map, "map[string]string")) return keys;
    for (const auto& [key, value] : Entries(node)) {
      std::string k, v;
      if (!Scalar(key, &k) || !Scalar(value, &v)) continue;
      (*out)[k] = v;
      keys.emplace_back(k, key);
    }
    return keys;
  }

  bool Scalar(const YAML::Node& node, std::string* out) {
    if (node.IsNull()) return true;
    if (!node.IsScalar()) {
      Fail(node, fmt::format("cannot unmarshal {} into string", node.IsMap() ? "!!map" : "!!seq"));
      return false;
    }
    *out = node.Scalar();
    return true;
  }

  std::optional<std::chrono::milliseconds> Duration(const YAML::Node& node) {
    std::string text;
    if (!Scalar(node, &text) || node.IsNull()) return std::nullopt;
    auto d = model::ParseDuration(text);
    if (!d.ok()) {
      Fail(node, fmt::format("not a valid duration string: \"{}\"", text));
      return std::nullopt;
    }
    return *d;
  }

  bool Expect(const YAML::Node& node, YAML::NodeType::value type, std::string_view go_type) {
    if (node.Type() == type) return true;
    const char* tag = node.IsMap() ? "!!map" : node.IsSequence() ? "!!seq" : "!!str";
    std::string value = node.IsScalar() ? fmt::format(" `{}`", node.Scalar()) : "";
    Fail(node, fmt::format("cannot unmarshal {}{} into {}", tag, value, go_type));
    return false;
  }

  void Unknown(const YAML::Node& key, std::string_view go_type) {
    if (options_.ignore_unknown_fields) return;
    Fail(key, fmt::format("field {} not found in type {}", key.Scalar(), go_type));
  }

  void Fail(const YAML::Node& node, std::string message) {
    errors_.push_back(Position(node) + message);
  }

  const RuleFileOptions& options_;
  std::vector<std::string> errors_;
};

bool IsUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8SequenceLength(text.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool IsValidName(std::string_view name, NameValidation scheme) {
  if (scheme == NameValidation::kLegacy) return model::IsValidLabelName(name);
  return !name.empty() && IsUtf8(name);
}

bool IsValidMetricName(std::string_view name, NameValidation scheme) {
  if (scheme == NameValidation::kLegacy) return model::IsValidMetricName(name);
  return !name.empty() && IsUtf8(name);
}

}  // namespace

namespace {

// Checks one rule as Prometheus' Rule.Validate does; each error comes with the node it is about.
class RuleValidator {
 public:
  RuleValidator(const RuleFileOptions& options, std::vector<std::string>* errors)
      : options_(options), errors_(errors) {}

  void Validate(const GroupNodes& group, size_t index) {
    const RuleNodes& rule = group.rules[index];
    const RuleSpec& r = rule.spec;
    prefix_ = fmt::format("group \"{}\", rule {}, \"{}\": ", group.spec.name, index + 1,
                          r.alert.empty() ? r.record : r.alert);
    if (!r.record.empty() && !r.alert.empty()) {
      Fail(Position(rule.record) + Position(rule.alert),
           "only one of 'record' and 'alert' must be set");
    }
    if (r.record.empty() && r.alert.empty()) {
      Fail(Where(rule.record, rule), "one of 'record' or 'alert' must be set");
    }
    if (r.expr.empty()) {
      Fail(Where(rule.expr, rule), "field 'expr' must be set in rule");
    } else if (auto parsed = promql::ParseExpr(r.expr); !parsed.ok()) {
      Fail(Where(rule.expr, rule), "could not parse expression: " + parsed.status().message());
    }
    if (!r.record.empty()) {
      std::string at = Position(rule.record);
      if (!r.annotations.empty()) Fail(at, "invalid field 'annotations' in recording rule");
      if (r.for_duration.count() != 0) Fail(at, "invalid field 'for' in recording rule");
      if (r.keep_firing_for.count() != 0) {
        Fail(at, "invalid field 'keep_firing_for' in recording rule");
      }
      if (!IsValidMetricName(r.record, options_.names)) {
        Fail(at, "invalid recording rule name: " + r.record);
      }
      if (r.record.find_first_of("{}") != std::string::npos) {
        Fail(at, "braces present in the recording rule name; should it be in expr?: " + r.record);
      }
    }
    for (const auto& [name, key] : rule.label_keys) {
      if (!IsValidName(name, options_.names) || name == model::kMetricName) {
        Fail(Position(key), "invalid label name: " + name);
      }
      if (!IsUtf8(r.labels.Get(name))) {
        Fail(Position(key), fmt::format("invalid label value: {}", r.labels.Get(name)));
      }
    }
    for (const auto& [name, key] : rule.annotation_keys) {
      if (!IsValidName(name, options_.names)) {
        Fail(Position(key), "invalid annotation name: " + name);
      }
    }
    if (r.alert.empty()) return;
    for (const auto& [kind, labels] :
         {std::pair{"label", &r.labels}, {"annotation", &r.annotations}}) {
      for (const model::Label& label : *labels) {
        if (Status parsed = CheckAlertTemplate(r.alert, label.value); !parsed.ok()) {
          Fail("", fmt::format("{} \"{}\": {}", kind, label.name, parsed.message()));
        }
      }
    }
  }

 private:
  // The node's position, or the rule's when the node is absent.
  static std::string Where(const YAML::Node& node, const RuleNodes& rule) {
    return node.IsDefined() ? Position(node) : Position(rule.mapping);
  }

  void Fail(const std::string& position, std::string_view message) {
    errors_->push_back(position + prefix_ + std::string(message));
  }

  const RuleFileOptions& options_;
  std::vector<std::string>* errors_;
  std::string prefix_;
};

// One error per line, each prefixed with the file, as Prometheus' ParseFile does.
Status Errors(std::string_view source, const std::vector<std::string>& errors) {
  std::string message;
  for (const std::string& error : errors) {
    if (!message.empty()) message += '\n';
    message += fmt::format("{}: {}", source, error);
  }
  return Status::Error(std::move(message), Status::Code::kInvalidInput);
}

}  // namespace

Result<std::vector<RuleGroupSpec>> ParseRuleFile(std::string_view yaml, std::string_view source,
                                                 const RuleFileOptions& options) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Errors(source,
                  {fmt::format("{}:{}: yaml: {}", e.mark.line + 1, e.mark.column + 1, e.msg)});
  }
  ShapeReader reader(options);
  std::vector<GroupNodes> groups;
  try {
    groups = reader.ReadRoot(root);
  } catch (const YAML::Exception& e) {
    reader.errors().push_back(
        fmt::format("{}:{}: yaml: {}", e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  if (!reader.errors().empty()) return Errors(source, reader.errors());

  std::vector<std::string> errors;
  std::set<std::string> names;
  RuleValidator validator(options, &errors);
  std::vector<RuleGroupSpec> specs;
  for (GroupNodes& group : groups) {
    std::string at = Position(group.mapping);
    if (group.spec.name.empty()) errors.push_back(at + "Groupname must not be empty");
    if (!names.insert(group.spec.name).second) {
      errors.push_back(
          fmt::format("{}groupname: \"{}\" is repeated in the same file", at, group.spec.name));
    }
    for (const auto& [name, key] : group.label_keys) {
      if (!IsValidName(name, options.names) || name == model::kMetricName) {
        errors.push_back(Position(key) + "invalid label name: " + name);
      }
      if (!IsUtf8(group.labels[name])) {
        errors.push_back(Position(key) + "invalid label value: " + group.labels[name]);
      }
    }
    for (size_t i = 0; i < group.rules.size(); ++i) validator.Validate(group, i);

    group.spec.file = std::string(source);
    for (RuleNodes& rule : group.rules) {
      model::LabelsBuilder labels;
      for (const auto& [name, value] : group.labels) labels.Set(name, value);
      for (const model::Label& label : rule.spec.labels) labels.Set(label.name, label.value);
      rule.spec.labels = labels.Build();
      group.spec.rules.push_back(std::move(rule.spec));
    }
    specs.push_back(std::move(group.spec));
  }
  if (!errors.empty()) return Errors(source, errors);
  return specs;
}

Result<std::vector<RuleGroupSpec>> LoadRuleFile(const std::string& path,
                                                const RuleFileOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Errorf(Status::Code::kIOError, "{}: {}", path, std::strerror(errno));
  std::string text(std::istreambuf_iterator<char>(in), {});
  return ParseRuleFile(text, path, options);
}

}  // namespace argus::rules
