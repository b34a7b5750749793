#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/labels.h"

namespace re2 {
class RE2;
}

namespace argus::model {

enum class RelabelAction {
  kReplace,
  kKeep,
  kDrop,
  kKeepEqual,
  kDropEqual,
  kHashMod,
  kLabelMap,
  kLabelDrop,
  kLabelKeep,
  kLowercase,
  kUppercase,
};

// One step of relabel_configs / metric_relabel_configs, with Prometheus' defaults. Immutable after
// Validate; safe to share across threads.
struct RelabelConfig {
  std::vector<std::string> source_labels;
  std::string separator = ";";
  std::string regex_text = "(.*)";
  std::shared_ptr<const re2::RE2> regex;  // regex_text compiled anchored; set by Validate.
  uint64_t modulus = 0;
  std::string target_label;
  std::string replacement = "$1";
  RelabelAction action = RelabelAction::kReplace;

  // Equal when every field is; the compiled regex follows from regex_text.
  bool operator==(const RelabelConfig& o) const {
    return source_labels == o.source_labels && separator == o.separator &&
           regex_text == o.regex_text && modulus == o.modulus && target_label == o.target_label &&
           replacement == o.replacement && action == o.action;
  }

  // Compiles the regex and checks the fields each action needs, as Prometheus does ("relabel
  // configuration for hashmod requires non-zero modulus", ...). Fails with kInvalidInput.
  Status Validate();
};

// Parses "replace", "keep", "labelmap", ... (lower case, as in the YAML). False if unknown.
bool ParseRelabelAction(std::string_view text, RelabelAction* action);

// Applies `configs` in order to the labels in `labels`, each step seeing the result of the one
// before. Returns false if a step dropped the series (then `labels` is unspecified).
bool Relabel(std::span<const RelabelConfig> configs, LabelsBuilder* labels);

}  // namespace argus::model
