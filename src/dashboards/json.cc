// The dashboard as JSON, with the file's keys.
// RapidJSON 1.1's stack does arithmetic on its null start pointer, which is harmless but trips
// UBSan's pointer-overflow check.
#pragma clang attribute push(__attribute__((no_sanitize("pointer-overflow"))), apply_to = function)
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#pragma clang attribute pop

#include "dashboards/dashboard.h"

namespace argus::dashboards {
namespace {

class Writer {
 public:
  explicit Writer(rapidjson::StringBuffer& buffer) : w_(buffer) {}

  void Field(std::string_view key, std::string_view value) {
    Key(key);
    w_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  void Field(std::string_view key, bool value) {
    Key(key);
    w_.Bool(value);
  }
  void Field(std::string_view key, int64_t value) {
    Key(key);
    w_.Int64(value);
  }
  void Field(std::string_view key, double value) {
    Key(key);
    w_.Double(value);
  }
  template <typename T>
  void Field(std::string_view key, const std::optional<T>& value) {
    if (value) Field(key, *value);
  }
  void Field(std::string_view key, const std::vector<std::string>& values) {
    List(key, values, [this](const std::string& s) {
      w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    });
  }
  // An array of `values`, each written by `write`.
  template <typename T, typename Fn>
  void List(std::string_view key, const std::vector<T>& values, Fn write) {
    Key(key);
    w_.StartArray();
    for (const T& value : values) write(value);
    w_.EndArray();
  }
  // An object whose fields `write` writes.
  template <typename Fn>
  void Object(Fn write) {
    w_.StartObject();
    write();
    w_.EndObject();
  }
  void Key(std::string_view key) {
    w_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  }

 private:
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

void WriteVariable(Writer& w, const Variable& v) {
  w.Object([&] {
    w.Field("name", v.name);
    w.Field("label", v.label);
    w.Field("type", v.type);
    w.Field("query", v.query);
    w.Field("regex", v.regex);
    w.Field("multi", v.multi);
    w.Field("include_all", v.include_all);
    w.Field("all_value", v.all_value);
    w.Field("values", v.values);
    w.Field("default", v.default_value);
  });
}

void WritePanel(Writer& w, const Panel& p) {
  w.Object([&] {
    w.Field("title", p.title);
    w.Field("description", p.description);
    w.Field("type", p.type);
    w.Field("width", p.width);
    w.Field("height", p.height);
    w.Field("unit", p.unit);
    w.Field("decimals", p.decimals);
    w.Field("min", p.min);
    w.Field("max", p.max);
    w.Field("stack", p.stack);
    w.List("thresholds", p.thresholds, [&](const Threshold& t) {
      w.Object([&] {
        w.Field("value", t.value);
        w.Field("color", t.color);
      });
    });
    w.List("links", p.links, [&](const Link& l) {
      w.Object([&] {
        w.Field("title", l.title);
        w.Field("url", l.url);
      });
    });
    w.List("queries", p.queries, [&](const Query& q) {
      w.Object([&] {
        w.Field("expr", q.expr);
        w.Field("legend", q.legend);
        w.Field("instant", q.instant);
      });
    });
    w.Field("text", p.text);
  });
}

}  // namespace

std::string ToJson(const Dashboard& d) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.Object([&] {
    w.Field("title", d.title);
    w.Field("uid", d.uid);
    w.Field("description", d.description);
    w.Field("tags", d.tags);
    w.Field("refresh", d.refresh);
    w.Key("time");
    w.Object([&] {
      w.Field("from", d.time_from);
      w.Field("to", d.time_to);
    });
    w.List("variables", d.variables, [&](const Variable& v) { WriteVariable(w, v); });
    w.List("rows", d.rows, [&](const Row& row) {
      w.Object([&] {
        w.Field("title", row.title);
        w.Field("collapsed", row.collapsed);
        w.List("panels", row.panels, [&](const Panel& p) { WritePanel(w, p); });
      });
    });
  });
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace argus::dashboards
