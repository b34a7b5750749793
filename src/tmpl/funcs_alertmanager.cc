#include "tmpl/funcs_alertmanager.h"

#include <absl/strings/escaping.h>

#include <chrono>

#include "tmpl/funcs_go.h"
#include "tmpl/funcs_text.h"
#include "tmpl/go_time.h"

namespace argus::tmpl {
namespace {

Result<absl::Time> TimeArg(std::span<const Value> args, size_t i) {
  if (i >= args.size()) return Status::Errorf("missing argument {}", i + 1);
  if (args[i].kind() != Value::Kind::kTime) {
    return Status::Errorf("wrong type for value; expected time.Time; got {}", args[i].TypeName());
  }
  return args[i].as_time();
}

absl::Time Now(const Clock& clock) { return absl::FromChrono(clock.Now()); }

Result<Value> TrimSpace(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("trimSpace", args, 1));
  ARGUS_ASSIGN_OR_RETURN(std::string s, StringArg("trimSpace", args, 0));
  size_t start = s.find_first_not_of(" \t\n\v\f\r");
  if (start == std::string::npos) return Value("");
  size_t end = s.find_last_not_of(" \t\n\v\f\r");
  return Value(s.substr(start, end - start + 1));
}

Result<Value> Join(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("join", args, 2));
  ARGUS_ASSIGN_OR_RETURN(std::string sep, StringArg("join", args, 0));
  if (args[1].kind() != Value::Kind::kList) {
    return Status::Errorf("wrong type for value; expected []string; got {}", args[1].TypeName());
  }
  std::string out;
  bool first = true;
  for (const Value& item : args[1].as_list()) {
    if (item.kind() != Value::Kind::kString) {
      return Status::Errorf("wrong type for value; expected []string; got {}", args[1].TypeName());
    }
    if (!first) out += sep;
    first = false;
    out += item.as_string();
  }
  return Value(std::move(out));
}

// Go's url.QueryUnescape.
Result<Value> UrlUnescape(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("urlUnescape", args, 1));
  ARGUS_ASSIGN_OR_RETURN(std::string s, StringArg("urlUnescape", args, 0));
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%') {
      auto hex = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
      };
      if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) {
        return Status::Errorf("invalid URL escape \"{}\"", s.substr(i, 3));
      }
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return Value(std::move(out));
}

Result<Value> StringSlice(std::span<const Value> args) {
  List out;
  for (size_t i = 0; i < args.size(); ++i) {
    ARGUS_ASSIGN_OR_RETURN(std::string s, StringArg("stringSlice", args, i));
    out.push_back(Value(std::move(s)));
  }
  return Value::FromList(std::move(out));
}

Result<Value> Date(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("date", args, 2));
  ARGUS_ASSIGN_OR_RETURN(std::string layout, StringArg("date", args, 0));
  ARGUS_ASSIGN_OR_RETURN(absl::Time t, TimeArg(args, 1));
  return Value(internal::FormatGoTime(t, args[1].time_zone(), layout));
}

Result<Value> Tz(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("tz", args, 2));
  ARGUS_ASSIGN_OR_RETURN(std::string name, StringArg("tz", args, 0));
  ARGUS_ASSIGN_OR_RETURN(absl::Time t, TimeArg(args, 1));
  if (name.empty() || name == "UTC") return Value::Time(t, absl::UTCTimeZone());
  if (name == "Local") return Value::Time(t, absl::LocalTimeZone());
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) return Status::Errorf("unknown time zone {}", name);
  return Value::Time(t, zone);
}

Result<Value> Dict(std::span<const Value> args) {
  if (args.size() % 2 != 0) return Status::Error("dict requires an even number of arguments");
  Map out;
  for (size_t i = 0; i < args.size(); i += 2) {
    if (args[i].kind() != Value::Kind::kString) return Status::Error("dict keys must be strings");
    out[args[i].as_string()] = args[i + 1];
  }
  return Value::FromMap(std::move(out));
}

Result<Value> Append(std::span<const Value> args) {
  if (args.empty() || args[0].kind() != Value::Kind::kList) {
    return Status::Errorf("wrong type for value; expected []interface {{}}; got {}",
                          args.empty() ? "<nil>" : args[0].TypeName());
  }
  List out = args[0].as_list();
  out.insert(out.end(), args.begin() + 1, args.end());
  return Value::FromList(std::move(out));
}

Result<Value> Base64Encode(std::span<const Value> args) {
  ARGUS_ASSIGN_OR_RETURN(std::string text, StringArg("base64encode", args, 0));
  std::string out;
  absl::WebSafeBase64Escape(text, &out);
  while (out.size() % 4 != 0) out.push_back('=');
  return Value(std::move(out));
}

Result<Value> Base64Decode(std::span<const Value> args) {
  ARGUS_ASSIGN_OR_RETURN(std::string text, StringArg("base64decode", args, 0));
  std::string out;
  bool valid = text.size() % 4 == 0 && text.find_first_not_of(
                                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                           "0123456789-_=") == std::string::npos;
  if (!valid || !absl::WebSafeBase64Unescape(text, &out)) {
    return Status::Error("illegal base64 data at input byte 0");
  }
  return Value(std::move(out));
}

}  // namespace

FuncMap AlertmanagerFuncs(const Clock& clock) {
  FuncMap funcs;
  funcs["toUpper"] = internal::ToUpperFunc;
  funcs["toLower"] = internal::ToLowerFunc;
  funcs["title"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(std::string text, StringArg("title", args, 0));
    return Value(internal::Title(text, /*lower_rest=*/true));
  };
  funcs["trimSpace"] = TrimSpace;
  funcs["join"] = Join;
  funcs["match"] = internal::MatchFunc;
  funcs["safeHtml"] = internal::SafeHtmlFunc;
  funcs["safeUrl"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(std::string text, StringArg("safeUrl", args, 0));
    return Value(std::move(text));
  };
  funcs["urlUnescape"] = UrlUnescape;
  funcs["reReplaceAll"] = internal::ReReplaceAllFunc;
  funcs["stringSlice"] = StringSlice;
  funcs["date"] = Date;
  funcs["tz"] = Tz;
  funcs["now"] = [&clock](std::span<const Value> args) -> Result<Value> {
    ARGUS_RETURN_IF_ERROR(CheckArgCount("now", args, 0));
    return Value::Time(Now(clock), absl::UTCTimeZone());
  };
  funcs["since"] = [&clock](std::span<const Value> args) -> Result<Value> {
    ARGUS_RETURN_IF_ERROR(CheckArgCount("since", args, 1));
    ARGUS_ASSIGN_OR_RETURN(absl::Time t, TimeArg(args, 0));
    return Value::Duration(Now(clock) - t);
  };
  funcs["humanizeDuration"] = internal::HumanizeDurationFunc;
  funcs["list"] = [](std::span<const Value> args) -> Result<Value> {
    return Value::FromList(List(args.begin(), args.end()));
  };
  funcs["dict"] = Dict;
  funcs["append"] = Append;
  funcs["base64encode"] = Base64Encode;
  funcs["base64decode"] = Base64Decode;
  return funcs;
}

}  // namespace argus::tmpl
