#include "notify/render_template.h"

#include <absl/time/time.h>
#include <glob.h>

#include <algorithm>

#include "base/clock.h"
#include "tmpl/alertmanager_data.h"
#include "tmpl/funcs_alertmanager.h"

namespace argus::notify {
namespace {

bool MatchesAFile(const std::string& pattern) {
  glob_t matches;
  bool found = ::glob(pattern.c_str(), 0, nullptr, &matches) == 0 && matches.gl_pathc > 0;
  ::globfree(&matches);
  return found;
}

}  // namespace

NotificationTemplates::NotificationTemplates(const Clock& clock)
    : set_(tmpl::AlertmanagerFuncs(clock)) {
  Status parsed = set_.Parse("default.tmpl", DefaultText());
  CHECK(parsed.ok());
}

Result<std::shared_ptr<const NotificationTemplates>> NotificationTemplates::Load(
    const std::vector<std::string>& template_files, const Clock& clock) {
  std::shared_ptr<NotificationTemplates> templates(new NotificationTemplates(clock));
  for (const std::string& pattern : template_files) {
    // As in Alertmanager, a pattern may match nothing yet: files may come later.
    if (!MatchesAFile(pattern)) continue;
    ARGUS_RETURN_IF_ERROR(templates->set_.ParseGlob(pattern));
  }
  return std::shared_ptr<const NotificationTemplates>(std::move(templates));
}

std::shared_ptr<const NotificationTemplates> NotificationTemplates::Defaults() {
  static const std::shared_ptr<const NotificationTemplates> defaults(
      new NotificationTemplates(SystemClock::Instance()));
  return defaults;
}

Result<std::string> NotificationTemplates::Expand(std::string_view text,
                                                  const tmpl::Value& data) const {
  return set_.ExecuteText(text, data);
}

tmpl::Value TemplateData(const RenderData& data) {
  auto time = [](int64_t t_ms) {
    return t_ms == 0 ? absl::InfinitePast() : absl::FromUnixMillis(t_ms);
  };
  tmpl::AlertmanagerData out{.receiver = data.receiver,
                             .status = std::string(AlertStatusName(data.status)),
                             .group_labels = data.group_labels,
                             .common_labels = data.common_labels,
                             .common_annotations = data.common_annotations,
                             .external_url = data.external_url};
  for (const RenderAlert& a : data.alerts) {
    const model::Alert& alert = *a.alert;
    out.alerts.push_back({.status = std::string(AlertStatusName(a.status)),
                          .labels = alert.labels,
                          .annotations = alert.annotations,
                          .starts_at = time(alert.starts_at_ms),
                          // Go's zero time while it fires, as Alertmanager shows it.
                          .ends_at = a.status == AlertStatus::kFiring ? absl::InfinitePast()
                                                                      : time(alert.ends_at_ms),
                          .generator_url = alert.generator_url,
                          .fingerprint = FormatFingerprint(a.fingerprint)});
  }
  return tmpl::AlertmanagerDataValue(out);
}

}  // namespace argus::notify
