#include "notify/render_json.h"

#include <string>

#include "notify/render_text.h"

namespace argus::notify {

void WriteJsonString(JsonWriter& writer, std::string_view s) {
  std::string valid = ToValidUtf8(s);
  writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

void WriteJsonField(JsonWriter& writer, std::string_view key, std::string_view value) {
  WriteJsonString(writer, key);
  WriteJsonString(writer, value);
}

void WriteJsonLabels(JsonWriter& writer, const model::Labels& labels) {
  writer.StartObject();
  for (const model::Label& label : labels) WriteJsonField(writer, label.name, label.value);
  writer.EndObject();
}

}  // namespace argus::notify
