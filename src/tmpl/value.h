#pragma once

// The dynamic values that templates read and produce.
//
// A Value is what Go's text/template sees through reflection: nil, a bool, an int64, a float64,
// a string, a list, a map with string keys, an object with named fields, a point in time, a
// duration, or a function (for `call`). Lists, maps and objects may carry methods implemented
// in C++, so that `.Alerts.Firing` or `.CommonLabels.SortedPairs` can be modelled:
//
//   auto methods = std::make_shared<tmpl::MethodTable>();
//   (*methods)["Firing"] = [](const Value& self, std::span<const Value>) -> Result<Value> {...};
//   Value alerts = Value::FromList(std::move(items), methods);
//
// Values are immutable and cheap to copy (lists, maps and objects share their contents), so the
// same data can be executed by several templates, on several threads, at once.

#include <absl/time/time.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/check.h"
#include "base/status.h"
#include "model/labels.h"

namespace argus::tmpl {

class Value;
using List = std::vector<Value>;
using Map = std::map<std::string, Value, std::less<>>;

// A method of a list, map or object: gets the value it was called on and the call's arguments.
using Method = std::function<Result<Value>(const Value& self, std::span<const Value> args)>;
using MethodTable = std::map<std::string, Method, std::less<>>;
// A function value, called by the template function `call`.
using Function = std::function<Result<Value>(std::span<const Value> args)>;
// Template functions by the name templates call them with.
using FuncMap = std::map<std::string, Function, std::less<>>;

class Value {
 public:
  enum class Kind {
    kNil,
    kBool,
    kInt,
    kFloat,
    kString,
    kList,
    kMap,
    kObject,
    kTime,
    kDuration,
    kFunction
  };

  Value() = default;                   // nil
  Value(bool b) : data_(b) {}          // NOLINT: implicit by design.
  Value(int i) : data_(int64_t{i}) {}  // NOLINT
  Value(int64_t i) : data_(i) {}       // NOLINT
  // A size or count: an int, or a float beyond int64's range (Go's uint prints alike).
  Value(uint64_t u)  // NOLINT
      : data_(u <= static_cast<uint64_t>(INT64_MAX) ? Data(static_cast<int64_t>(u))
                                                    : Data(static_cast<double>(u))) {}
  Value(double d) : data_(d) {}                         // NOLINT
  Value(std::string s) : data_(std::move(s)) {}         // NOLINT
  Value(std::string_view s) : data_(std::string(s)) {}  // NOLINT
  Value(const char* s) : data_(std::string(s)) {}       // NOLINT

  // A list; `methods` (optional) are callable as `.Name` on it.
  static Value FromList(List items, std::shared_ptr<const MethodTable> methods = nullptr);
  static Value FromStrings(const std::vector<std::string>& items);
  // A map with string keys, ranged over in key order. `missing` is what a missing key yields:
  // nil for a Go map[string]interface{} (printed "<no value>"), "" for a map[string]string.
  static Value FromMap(Map entries, Value missing = Value(),
                       std::shared_ptr<const MethodTable> methods = nullptr);
  // Go's map[string]string of label names to values: a missing label reads as "".
  static Value FromLabels(const model::Labels& labels,
                          std::shared_ptr<const MethodTable> methods = nullptr);
  // An object (a Go struct) named `type_name` in error messages, with fields and methods.
  static Value Object(std::string type_name, Map fields,
                      std::shared_ptr<const MethodTable> methods = nullptr);
  // A point in time shown in `zone` (Go's time.Time).
  static Value Time(absl::Time t, absl::TimeZone zone = absl::UTCTimeZone());
  // Go's time.Duration.
  static Value Duration(absl::Duration d);
  static Value Func(Function f);

  Kind kind() const;
  bool is_nil() const { return kind() == Kind::kNil; }

  // Accessors; each requires the matching kind (a mismatch is a bug: CHECK fails).
  bool as_bool() const { return Get<bool>(); }
  int64_t as_int() const { return Get<int64_t>(); }
  double as_float() const { return Get<double>(); }
  const std::string& as_string() const { return Get<std::string>(); }
  const List& as_list() const;
  const Map& as_map() const;  // A map's entries or an object's fields.
  absl::Time as_time() const { return Get<TimeData>().time; }
  absl::TimeZone time_zone() const { return Get<TimeData>().zone; }
  absl::Duration as_duration() const { return Get<absl::Duration>(); }
  const Function& as_function() const { return *Get<std::shared_ptr<const Function>>(); }

  // What a missing key of this map yields.
  const Value& missing_value() const;
  // The method `name` of this value, or null.
  const Method* FindMethod(std::string_view name) const;
  // Go's type name for messages: "string", "int", "float64", "[]interface {}", the object's.
  std::string TypeName() const;

  // Go's truth: false, 0, nil and empty strings, lists and maps are false.
  bool Truthy() const;

 private:
  struct TimeData {
    absl::Time time;
    absl::TimeZone zone;
  };
  struct Composite {
    Kind kind;
    List list;
    Map map;
    std::shared_ptr<const Value> missing;
    std::string type_name;
    std::shared_ptr<const MethodTable> methods;
  };
  template <typename T>
  const T& Get() const {
    const T* value = std::get_if<T>(&data_);
    CHECK(value != nullptr);
    return *value;
  }

  using Data = std::variant<std::monostate, bool, int64_t, double, std::string,
                            std::shared_ptr<const Composite>, TimeData, absl::Duration,
                            std::shared_ptr<const Function>>;
  Data data_;
};

// A number as Prometheus' template functions take one (prometheus/common's ConvertToFloat): an
// int, a float, a duration (in seconds) or a string that strconv.ParseFloat reads. Errors read as
// Go's ("strconv.ParseFloat: parsing \"x\": invalid syntax", "can't convert bool to float").
Result<double> ToFloat(const Value& v);

}  // namespace argus::tmpl
