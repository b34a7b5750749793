#include "rules/template.h"

namespace argus::rules {

std::string ExpandAlertTemplate(std::string_view, std::string_view text, const AlertTemplateData&,
                                int64_t) {
  return std::string(text);
}

Status CheckAlertTemplate(std::string_view, std::string_view) { return Status::Ok(); }

}  // namespace argus::rules
