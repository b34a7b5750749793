#include "notify/webhook_message.h"

#include "base/rfc3339.h"
#include "notify/render_json.h"

namespace argus::notify {
namespace {

// Go's zero time.Time, which Alertmanager writes for an unset time.
constexpr std::string_view kGoZeroTime = "0001-01-01T00:00:00Z";

std::string WebhookTime(int64_t t_ms) {
  return t_ms == 0 ? std::string(kGoZeroTime) : FormatRfc3339(t_ms);
}

void WriteAlert(JsonWriter& w, const RenderAlert& a) {
  const model::Alert& alert = *a.alert;
  w.StartObject();
  WriteJsonField(w, "status", AlertStatusName(a.status));
  w.Key("labels");
  WriteJsonLabels(w, alert.labels);
  w.Key("annotations");
  WriteJsonLabels(w, alert.annotations);
  WriteJsonField(w, "startsAt", WebhookTime(alert.starts_at_ms));
  WriteJsonField(w, "endsAt",
                 WebhookTime(a.status == AlertStatus::kResolved ? alert.ends_at_ms : 0));
  WriteJsonField(w, "generatorURL", alert.generator_url);
  WriteJsonField(w, "fingerprint", FormatFingerprint(a.fingerprint));
  w.EndObject();
}

}  // namespace

std::string RenderWebhookBody(const RenderData& data) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteJsonField(w, "receiver", data.receiver);
  WriteJsonField(w, "status", AlertStatusName(data.status));
  w.Key("alerts");
  w.StartArray();
  for (const RenderAlert& a : data.alerts) WriteAlert(w, a);
  w.EndArray();
  w.Key("groupLabels");
  WriteJsonLabels(w, data.group_labels);
  w.Key("commonLabels");
  WriteJsonLabels(w, data.common_labels);
  w.Key("commonAnnotations");
  WriteJsonLabels(w, data.common_annotations);
  WriteJsonField(w, "externalURL", data.external_url);
  WriteJsonField(w, "version", "4");
  WriteJsonField(w, "groupKey", data.group_key);
  w.Key("truncatedAlerts");
  w.Uint64(data.truncated_alerts);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace argus::notify
