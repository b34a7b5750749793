#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "notify/render_data.h"
#include "tmpl/template.h"

namespace argus::notify {

// Notification templates, as Alertmanager expands the text fields of a receiver's config (a
// slack_config's `title`, "{{ template \"slack.default.title\" . }}").
//
// A set holds Argus' own definitions of the names Alertmanager's default templates define
// (slack.default.title, __subject, ...; they give the same text), then the user's template files,
// whose definitions replace them. Immutable once loaded; Expand may run on many threads at once.
class NotificationTemplates {
 public:
  // Argus' definitions, then the files matching each pattern of `template_files` (the notify
  // section's `templates`, globs in the last component; one may match nothing, as in
  // Alertmanager). Fails with the file, line and reason of a template that does not parse.
  // The templates' `now` and `since` read `clock`, which must outlive the set.
  static Result<std::shared_ptr<const NotificationTemplates>> Load(
      const std::vector<std::string>& template_files, const Clock& clock);
  // Argus' definitions alone (which never read the clock).
  static std::shared_ptr<const NotificationTemplates> Defaults();

  // Expands `text` with `data` (from TemplateData) as dot, as Alertmanager's ExecuteTextString:
  // text without an action comes back as it is. Errors say which template failed and why.
  Result<std::string> Expand(std::string_view text, const tmpl::Value& data) const;

 private:
  explicit NotificationTemplates(const Clock& clock);
  // render_default.tmpl, embedded at build time.
  static std::string_view DefaultText();

  tmpl::TemplateSet set_;
};

// The data a notification template sees: Alertmanager's template.Data, with its fields
// (.Receiver, .Status, .Alerts, .GroupLabels, .CommonLabels, .CommonAnnotations, .ExternalURL)
// and methods (.Alerts.Firing, .Alerts.Resolved; on label sets .SortedPairs, .Names, .Values,
// .Remove; on pairs .Names, .Values). Each alert has .Status, .Labels, .Annotations, .StartsAt,
// .EndsAt (Go's zero time while it fires), .GeneratorURL and .Fingerprint.
tmpl::Value TemplateData(const RenderData& data);

}  // namespace argus::notify
