#include "api/value_json.h"

#include <variant>

namespace argus::api {
namespace {

struct ValueWriter {
  JsonWriter& w;

  void operator()(const promql::Scalar& s) const { w.Point(s.t, s.v); }
  void operator()(const promql::String& s) const {
    w.BeginArray();
    w.Timestamp(s.t);
    w.String(s.v);
    w.EndArray();
  }
  void operator()(const promql::Vector& vector) const {
    w.BeginArray();
    for (const auto& sample : vector) {
      w.BeginObject();
      w.Key("metric");
      w.Labels(sample.metric);
      w.Key("value");
      w.Point(sample.t, sample.v);
      w.EndObject();
    }
    w.EndArray();
  }
  void operator()(const promql::Matrix& matrix) const {
    w.BeginArray();
    for (const auto& series : matrix) {
      w.BeginObject();
      w.Key("metric");
      w.Labels(series.metric);
      w.Key("values");
      w.BeginArray();
      for (const auto& p : series.points) w.Point(p.t, p.v);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  }
};

}  // namespace

void WriteQueryData(JsonWriter& w, const promql::Value& value) {
  w.BeginObject();
  w.Key("resultType");
  w.String(promql::ValueTypeName(value));
  w.Key("result");
  std::visit(ValueWriter{w}, value);
  w.EndObject();
}

}  // namespace argus::api
