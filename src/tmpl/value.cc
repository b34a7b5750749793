#include "tmpl/value.h"

#include <absl/strings/ascii.h>
#include <absl/strings/numbers.h>

#include "tmpl/go_time.h"
#include "tmpl/printf.h"

namespace argus::tmpl {
namespace {

const Value kNil;

}  // namespace

Value Value::FromList(List items, std::shared_ptr<const MethodTable> methods) {
  Value v;
  v.data_ = std::make_shared<const Composite>(
      Composite{Kind::kList, std::move(items), {}, nullptr, "", std::move(methods)});
  return v;
}

Value Value::FromStrings(const std::vector<std::string>& items) {
  List list(items.begin(), items.end());
  return FromList(std::move(list));
}

Value Value::FromMap(Map entries, Value missing, std::shared_ptr<const MethodTable> methods) {
  Value v;
  v.data_ =
      std::make_shared<const Composite>(Composite{Kind::kMap,
                                                  {},
                                                  std::move(entries),
                                                  std::make_shared<const Value>(std::move(missing)),
                                                  "",
                                                  std::move(methods)});
  return v;
}

Value Value::FromLabels(const model::Labels& labels, std::shared_ptr<const MethodTable> methods) {
  Map entries;
  for (const model::Label& label : labels) entries.emplace(label.name, label.value);
  return FromMap(std::move(entries), Value(""), std::move(methods));
}

Value Value::Object(std::string type_name, Map fields, std::shared_ptr<const MethodTable> methods) {
  Value v;
  v.data_ = std::make_shared<const Composite>(Composite{
      Kind::kObject, {}, std::move(fields), nullptr, std::move(type_name), std::move(methods)});
  return v;
}

Value Value::Time(absl::Time t, absl::TimeZone zone) {
  Value v;
  v.data_ = TimeData{t, zone};
  return v;
}

Value Value::Duration(absl::Duration d) {
  Value v;
  v.data_ = d;
  return v;
}

Value Value::Func(Function f) {
  Value v;
  v.data_ = std::make_shared<const Function>(std::move(f));
  return v;
}

Value::Kind Value::kind() const {
  switch (data_.index()) {
    case 0:
      return Kind::kNil;
    case 1:
      return Kind::kBool;
    case 2:
      return Kind::kInt;
    case 3:
      return Kind::kFloat;
    case 4:
      return Kind::kString;
    case 5:
      return Get<std::shared_ptr<const Composite>>()->kind;
    case 6:
      return Kind::kTime;
    case 7:
      return Kind::kDuration;
    default:
      return Kind::kFunction;
  }
}

const List& Value::as_list() const {
  CHECK(kind() == Kind::kList);
  return Get<std::shared_ptr<const Composite>>()->list;
}

const Map& Value::as_map() const {
  CHECK(kind() == Kind::kMap || kind() == Kind::kObject);
  return Get<std::shared_ptr<const Composite>>()->map;
}

const Value& Value::missing_value() const {
  const auto* composite = std::get_if<std::shared_ptr<const Composite>>(&data_);
  if (composite == nullptr || (*composite)->missing == nullptr) return kNil;
  return *(*composite)->missing;
}

const Method* Value::FindMethod(std::string_view name) const {
  const MethodTable* methods = nullptr;
  if (const auto* composite = std::get_if<std::shared_ptr<const Composite>>(&data_)) {
    methods = (*composite)->methods.get();
  } else if (kind() == Kind::kTime) {
    methods = internal::TimeMethods();
  } else if (kind() == Kind::kDuration) {
    methods = internal::DurationMethods();
  }
  if (methods == nullptr) return nullptr;
  auto it = methods->find(name);
  return it == methods->end() ? nullptr : &it->second;
}

std::string Value::TypeName() const {
  switch (kind()) {
    case Kind::kNil:
      return "<nil>";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float64";
    case Kind::kString:
      return "string";
    case Kind::kList:
      return "[]interface {}";
    case Kind::kMap:
      return missing_value().kind() == Kind::kString ? "map[string]string"
                                                     : "map[string]interface {}";
    case Kind::kObject:
      return Get<std::shared_ptr<const Composite>>()->type_name;
    case Kind::kTime:
      return "time.Time";
    case Kind::kDuration:
      return "time.Duration";
    case Kind::kFunction:
      return "func";
  }
  return "?";
}

bool Value::Truthy() const {
  switch (kind()) {
    case Kind::kNil:
      return false;
    case Kind::kBool:
      return as_bool();
    case Kind::kInt:
      return as_int() != 0;
    case Kind::kFloat:
      return as_float() != 0;
    case Kind::kString:
      return !as_string().empty();
    case Kind::kList:
      return !as_list().empty();
    case Kind::kMap:
      return !as_map().empty();
    case Kind::kDuration:
      return as_duration() != absl::ZeroDuration();
    case Kind::kObject:
    case Kind::kTime:
    case Kind::kFunction:
      return true;
  }
  return false;
}

Result<double> ToFloat(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kInt:
      return static_cast<double>(v.as_int());
    case Value::Kind::kFloat:
      return v.as_float();
    case Value::Kind::kDuration:
      return absl::ToDoubleSeconds(v.as_duration());
    case Value::Kind::kString: {
      const std::string& s = v.as_string();
      double d = 0;
      bool spaces = !s.empty() && (absl::ascii_isspace(s.front()) || absl::ascii_isspace(s.back()));
      if (!spaces && absl::SimpleAtod(s, &d)) return d;
      return Status::Errorf("strconv.ParseFloat: parsing {}: invalid syntax", Quote(s));
    }
    default:
      return Status::Errorf("can't convert {} to float", v.TypeName());
  }
}

}  // namespace argus::tmpl
