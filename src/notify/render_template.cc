#include "notify/render_template.h"

namespace argus::notify {

Result<std::string> ExpandNotificationTemplate(std::string_view text, const RenderData&) {
  if (text.find("{{") == std::string_view::npos) return std::string(text);
  return Status::Errorf(Status::Code::kInvalidInput,
                        "notification templates are not supported yet: \"{}\"", text);
}

}  // namespace argus::notify
