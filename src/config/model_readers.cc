#include "config/model_readers.h"

#include <cctype>

namespace argus::config {

void ReadLabels(MapReader& r, const char* key, model::Labels* out) {
  YAML::Node node = r.Child(key);
  if (!Present(node)) return;
  std::string path = r.ChildPath(key);
  if (!node.IsMap()) return r.Fail(node, path, "expected a mapping of label names to values");
  std::vector<model::Label> labels;
  bool all_read = true;
  for (const auto& entry : node) {
    std::string name = entry.first.Scalar();
    if (!model::IsValidLabelName(name)) {
      r.Fail(entry.first, path, fmt::format("\"{}\" is not a valid label name", name));
      all_read = false;
    } else if (!entry.second.IsScalar()) {
      r.Fail(entry.second, path + "." + name, "expected a value");
      all_read = false;
    } else {
      labels.push_back({name, entry.second.Scalar()});
    }
  }
  if (all_read) *out = model::Labels::FromUnsorted(std::move(labels));
}

void ReadRelabelConfigs(MapReader& r, const char* key, std::vector<model::RelabelConfig>* out) {
  YAML::Node list = r.Child(key);
  if (!Present(list)) return;
  if (!list.IsSequence()) return r.Fail(list, r.ChildPath(key), "expected a list");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string path = r.ChildPath(key, i);
    MapReader c(list[i], path, r.diagnostics());
    model::RelabelConfig rc;
    c.Read("source_labels", &rc.source_labels);
    c.Read("separator", &rc.separator);
    c.Read("regex", &rc.regex_text);
    c.Read("modulus", &rc.modulus);
    c.Read("target_label", &rc.target_label);
    c.Read("replacement", &rc.replacement);
    std::string action = "replace";
    c.Read("action", &action);
    c.Finish();
    if (!c.ok()) continue;
    std::string lowered = action;
    for (char& ch : lowered) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!model::ParseRelabelAction(lowered, &rc.action)) {
      c.Fail(list[i]["action"], path + ".action",
             fmt::format("unknown relabel action \"{}\"", action));
      continue;
    }
    Status valid = rc.Validate();
    if (!valid.ok()) {
      c.Fail(list[i], path, valid.message());
      continue;
    }
    out->push_back(std::move(rc));
  }
}

}  // namespace argus::config
