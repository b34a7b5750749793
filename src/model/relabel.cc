#include "model/relabel.h"

#include <openssl/evp.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "model/matcher.h"
#include "model/regex_expand.h"

namespace argus::model {
namespace {

constexpr std::array<std::pair<std::string_view, RelabelAction>, 11> kActions = {{
    {"replace", RelabelAction::kReplace},
    {"keep", RelabelAction::kKeep},
    {"drop", RelabelAction::kDrop},
    {"keepequal", RelabelAction::kKeepEqual},
    {"dropequal", RelabelAction::kDropEqual},
    {"hashmod", RelabelAction::kHashMod},
    {"labelmap", RelabelAction::kLabelMap},
    {"labeldrop", RelabelAction::kLabelDrop},
    {"labelkeep", RelabelAction::kLabelKeep},
    {"lowercase", RelabelAction::kLowercase},
    {"uppercase", RelabelAction::kUppercase},
}};

std::string_view ActionName(RelabelAction action) {
  for (const auto& [name, a] : kActions) {
    if (a == action) return name;
  }
  return "unknown";
}

// Runs the anchored regex on `value`; fills `groups` (0 is the whole match) when it matches.
bool Match(const re2::RE2& re, std::string_view value, std::vector<re2::StringPiece>* groups) {
  groups->assign(re.NumberOfCapturingGroups() + 1, re2::StringPiece());
  return re.Match(re2::StringPiece(value.data(), value.size()), 0, value.size(),
                  re2::RE2::UNANCHORED, groups->data(), static_cast<int>(groups->size()));
}

uint64_t HashMod(std::string_view value, uint64_t modulus) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(value.data(), value.size(), digest, &length, EVP_md5(), nullptr);
  // The last 8 of md5's 16 bytes, big-endian, as Prometheus takes them.
  uint64_t sum = 0;
  for (int i = 8; i < 16; ++i) sum = (sum << 8) | digest[i];
  return sum % modulus;
}

// A target_label for replace may hold $references: letters, _, digits after the first, and $x /
// ${x} anywhere.
bool IsValidReplaceTarget(std::string_view t) {
  static const re2::RE2 kTarget(R"(^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$)");
  return re2::RE2::FullMatch(re2::StringPiece(t.data(), t.size()), kTarget);
}

bool StepKeeps(const RelabelConfig& c, LabelsBuilder* lb, std::vector<re2::StringPiece>* groups,
               std::string* scratch) {
  std::string& value = scratch[0];
  value.clear();
  for (size_t i = 0; i < c.source_labels.size(); ++i) {
    if (i > 0) value += c.separator;
    value += lb->Get(c.source_labels[i]);
  }
  switch (c.action) {
    case RelabelAction::kDrop:
      return !Match(*c.regex, value, groups);
    case RelabelAction::kKeep:
      return Match(*c.regex, value, groups);
    case RelabelAction::kDropEqual:
      return lb->Get(c.target_label) != value;
    case RelabelAction::kKeepEqual:
      return lb->Get(c.target_label) == value;
    case RelabelAction::kReplace: {
      if (!Match(*c.regex, value, groups)) return true;
      std::string& target = scratch[1];
      std::string& result = scratch[2];
      target.clear();
      result.clear();
      ExpandRegexTemplate(*c.regex, c.target_label, *groups, &target);
      if (!IsValidLabelName(target)) {
        lb->Del(c.target_label);
        return true;
      }
      ExpandRegexTemplate(*c.regex, c.replacement, *groups, &result);
      if (result.empty()) {
        lb->Del(target);
      } else {
        lb->Set(target, result);
      }
      return true;
    }
    case RelabelAction::kLowercase:
    case RelabelAction::kUppercase: {
      bool lower = c.action == RelabelAction::kLowercase;
      for (char& ch : value) {
        ch = static_cast<char>(lower ? std::tolower(static_cast<unsigned char>(ch))
                                     : std::toupper(static_cast<unsigned char>(ch)));
      }
      lb->Set(c.target_label, value);
      return true;
    }
    case RelabelAction::kHashMod:
      lb->Set(c.target_label, std::to_string(HashMod(value, c.modulus)));
      return true;
    case RelabelAction::kLabelMap:
    case RelabelAction::kLabelDrop:
    case RelabelAction::kLabelKeep: {
      // Reads the labels as they were before this step, as Prometheus does.
      Labels before = lb->Build();
      for (const Label& l : before) {
        bool matches = Match(*c.regex, l.name, groups);
        if (c.action == RelabelAction::kLabelMap && matches) {
          std::string& name = scratch[1];
          name.clear();
          ExpandRegexTemplate(*c.regex, c.replacement, *groups, &name);
          lb->Set(name, l.value);
        } else if (c.action == RelabelAction::kLabelDrop && matches) {
          lb->Del(l.name);
        } else if (c.action == RelabelAction::kLabelKeep && !matches) {
          lb->Del(l.name);
        }
      }
      return true;
    }
  }
  return true;
}

}  // namespace

bool ParseRelabelAction(std::string_view text, RelabelAction* action) {
  for (const auto& [name, a] : kActions) {
    if (name == text) {
      *action = a;
      return true;
    }
  }
  return false;
}

Status RelabelConfig::Validate() {
  ARGUS_ASSIGN_OR_RETURN(regex, CompileAnchored(regex_text));
  auto fail = [](std::string message) {
    return Status::Error(std::move(message), Status::Code::kInvalidInput);
  };
  std::string_view name = ActionName(action);
  if (action == RelabelAction::kHashMod && modulus == 0) {
    return fail("relabel configuration for hashmod requires non-zero modulus");
  }
  bool needs_target = action == RelabelAction::kReplace || action == RelabelAction::kHashMod ||
                      action == RelabelAction::kLowercase || action == RelabelAction::kUppercase ||
                      action == RelabelAction::kKeepEqual || action == RelabelAction::kDropEqual;
  if (needs_target && target_label.empty()) {
    return fail(
        fmt::format("relabel configuration for {} action requires 'target_label' value", name));
  }
  bool templated = action == RelabelAction::kReplace;
  if (needs_target &&
      !(templated ? IsValidReplaceTarget(target_label) : IsValidLabelName(target_label))) {
    return fail(fmt::format("\"{}\" is invalid 'target_label' for {} action", target_label, name));
  }
  if ((action == RelabelAction::kKeepEqual || action == RelabelAction::kDropEqual) &&
      (regex_text != "(.*)" || modulus != 0 || separator != ";" || replacement != "$1")) {
    return fail(fmt::format(
        "{} action requires only 'source_labels' and `target_label`, and no other fields", name));
  }
  if ((action == RelabelAction::kLabelDrop || action == RelabelAction::kLabelKeep) &&
      (!source_labels.empty() || !target_label.empty() || modulus != 0 || separator != ";" ||
       replacement != "$1")) {
    return fail(fmt::format("{} action requires only 'regex', and no other fields", name));
  }
  for (const auto& l : source_labels) {
    if (!IsValidLabelName(l)) return fail(fmt::format("\"{}\" is not a valid label name", l));
  }
  return Status::Ok();
}

bool Relabel(std::span<const RelabelConfig> configs, LabelsBuilder* labels) {
  std::vector<re2::StringPiece> groups;
  std::string scratch[3];
  for (const auto& c : configs) {
    if (!StepKeeps(c, labels, &groups, scratch)) return false;
  }
  return true;
}

}  // namespace argus::model
