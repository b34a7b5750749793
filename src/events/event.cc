#include "events/event.h"

#include <algorithm>

namespace argus::events {
namespace {

using Code = Status::Code;

bool IsLowerOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

Status CheckLink(std::string_view link) {
  if (link.size() > kMaxLinkBytes) {
    return Status::Errorf(Code::kInvalidInput, "link is {} bytes long, more than the {} allowed",
                          link.size(), kMaxLinkBytes);
  }
  std::string_view rest = link;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (rest.starts_with(scheme)) rest.remove_prefix(scheme.size());
  }
  bool has_space = std::any_of(link.begin(), link.end(),
                               [](char c) { return static_cast<unsigned char>(c) <= ' '; });
  if (rest.size() == link.size() || rest.empty() || rest.front() == '/' || has_space) {
    return Status::Errorf(Code::kInvalidInput, "link \"{}\" is not an absolute http or https URL",
                          link);
  }
  return Status::Ok();
}

}  // namespace

bool IsValidKind(std::string_view kind) {
  return !kind.empty() && kind.size() <= kMaxKindBytes && kind.front() >= 'a' &&
         kind.front() <= 'z' && std::all_of(kind.begin(), kind.end(), IsLowerOrDigit);
}

Status Validate(const Event& event) {
  if (event.kind.empty()) return Status::Error("kind is missing", Code::kInvalidInput);
  if (!IsValidKind(event.kind)) {
    return Status::Errorf(Code::kInvalidInput,
                          "kind \"{}\" is not valid: use up to {} lower-case letters, digits and "
                          "'_', starting with a letter",
                          event.kind, kMaxKindBytes);
  }
  for (const model::Label& label : event.labels) {
    if (!model::IsValidLabelName(label.name)) {
      return Status::Errorf(Code::kInvalidInput, "label name \"{}\" is not valid", label.name);
    }
    if (label.name.starts_with("__")) {
      return Status::Errorf(Code::kInvalidInput,
                            "label name \"{}\" is reserved: names starting with \"__\" are for "
                            "internal use",
                            label.name);
    }
  }
  if (event.text.size() > kMaxTextBytes) {
    return Status::Errorf(Code::kInvalidInput, "text is {} bytes long, more than the {} allowed",
                          event.text.size(), kMaxTextBytes);
  }
  if (!event.link.empty()) ARGUS_RETURN_IF_ERROR(CheckLink(event.link));
  return Status::Ok();
}

}  // namespace argus::events
