#include "tmpl/funcs_go.h"

#include "base/utf8.h"
#include "tmpl/printf.h"

namespace argus::tmpl {
namespace {

// Go's basic kinds for comparison; kOther is not comparable by eq/lt.
enum class BasicKind { kNil, kBool, kInt, kFloat, kString, kOther };

BasicKind KindOf(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNil:
      return BasicKind::kNil;
    case Value::Kind::kBool:
      return BasicKind::kBool;
    case Value::Kind::kInt:
    case Value::Kind::kDuration:
      return BasicKind::kInt;
    case Value::Kind::kFloat:
      return BasicKind::kFloat;
    case Value::Kind::kString:
      return BasicKind::kString;
    default:
      return BasicKind::kOther;
  }
}

int64_t IntOf(const Value& v) {
  return v.kind() == Value::Kind::kInt ? v.as_int() : absl::ToInt64Nanoseconds(v.as_duration());
}

Result<bool> Equal(const Value& a, const Value& b) {
  BasicKind ka = KindOf(a);
  BasicKind kb = KindOf(b);
  if (ka != kb) {
    if (ka == BasicKind::kNil || kb == BasicKind::kNil) return false;
    return Status::Error("incompatible types for comparison");
  }
  switch (ka) {
    case BasicKind::kNil:
      return true;
    case BasicKind::kBool:
      return a.as_bool() == b.as_bool();
    case BasicKind::kInt:
      return IntOf(a) == IntOf(b);
    case BasicKind::kFloat:
      return a.as_float() == b.as_float();
    case BasicKind::kString:
      return a.as_string() == b.as_string();
    case BasicKind::kOther:
      if (a.kind() == Value::Kind::kTime && b.kind() == Value::Kind::kTime) {
        return a.as_time() == b.as_time();
      }
      return Status::Errorf("non-comparable type {}", a.TypeName());
  }
  return false;
}

Result<bool> Less(const Value& a, const Value& b) {
  BasicKind ka = KindOf(a);
  BasicKind kb = KindOf(b);
  if (ka == BasicKind::kNil || kb == BasicKind::kNil || ka == BasicKind::kOther ||
      kb == BasicKind::kOther) {
    return Status::Error("invalid type for comparison");
  }
  if (ka != kb) return Status::Error("incompatible types for comparison");
  switch (ka) {
    case BasicKind::kInt:
      return IntOf(a) < IntOf(b);
    case BasicKind::kFloat:
      return a.as_float() < b.as_float();
    case BasicKind::kString:
      return a.as_string() < b.as_string();
    default:
      return Status::Error("invalid type for comparison");
  }
}

Result<Value> Eq(std::span<const Value> args) {
  if (args.size() < 2) return Status::Error("missing argument for comparison");
  for (size_t i = 1; i < args.size(); ++i) {
    ARGUS_ASSIGN_OR_RETURN(bool equal, Equal(args[0], args[i]));
    if (equal) return Value(true);
  }
  return Value(false);
}

// lt, le, gt, ge from Less and Equal.
Function Compare(std::string name, bool want_less, bool or_equal) {
  return [name, want_less, or_equal](std::span<const Value> args) -> Result<Value> {
    ARGUS_RETURN_IF_ERROR(CheckArgCount(name, args, 2));
    ARGUS_ASSIGN_OR_RETURN(bool less, Less(args[0], args[1]));
    if (want_less) {
      if (less || !or_equal) return Value(less);
      ARGUS_ASSIGN_OR_RETURN(bool equal, Equal(args[0], args[1]));
      return Value(equal);
    }
    if (less) return Value(false);
    ARGUS_ASSIGN_OR_RETURN(bool equal, Equal(args[0], args[1]));
    return Value(or_equal || !equal);
  };
}

// Go's indexArg: an int within [0, cap].
Result<int64_t> IndexArg(const Value& index, size_t cap) {
  if (index.kind() != Value::Kind::kInt) {
    return Status::Errorf("cannot index slice/array with type {}", index.TypeName());
  }
  int64_t x = index.as_int();
  if (x < 0 || static_cast<uint64_t>(x) > cap) return Status::Errorf("index out of range: {}", x);
  return x;
}

Result<Value> Index(std::span<const Value> args) {
  if (args.empty()) return Status::Error("wrong number of args for index: want at least 1 got 0");
  Value item = args[0];
  if (item.is_nil()) return Status::Error("index of untyped nil");
  for (const Value& index : args.subspan(1)) {
    switch (item.kind()) {
      case Value::Kind::kList: {
        const List& list = item.as_list();
        ARGUS_ASSIGN_OR_RETURN(int64_t x, IndexArg(index, list.size()));
        if (static_cast<size_t>(x) == list.size()) {
          return Status::Errorf("index out of range: {}", x);
        }
        item = list[static_cast<size_t>(x)];
        break;
      }
      case Value::Kind::kString: {
        const std::string& s = item.as_string();
        ARGUS_ASSIGN_OR_RETURN(int64_t x, IndexArg(index, s.size()));
        if (static_cast<size_t>(x) == s.size()) return Status::Errorf("index out of range: {}", x);
        item = Value(static_cast<int64_t>(static_cast<unsigned char>(s[static_cast<size_t>(x)])));
        break;
      }
      case Value::Kind::kMap: {
        if (index.kind() != Value::Kind::kString) {
          return Status::Errorf("value has type {}; should be string", index.TypeName());
        }
        const Map& map = item.as_map();
        auto it = map.find(index.as_string());
        item = it == map.end() ? item.missing_value() : it->second;
        break;
      }
      default:
        return Status::Errorf("can't index item of type {}", item.TypeName());
    }
  }
  return item;
}

Result<Value> Slice(std::span<const Value> args) {
  if (args.empty()) return Status::Error("wrong number of args for slice: want at least 1 got 0");
  const Value& item = args[0];
  if (item.is_nil()) return Status::Error("slice of untyped nil");
  if (args.size() > 4) return Status::Errorf("too many slice indexes: {}", args.size() - 1);
  size_t len = 0;
  if (item.kind() == Value::Kind::kString) {
    if (args.size() == 4) return Status::Error("cannot 3-index slice a string");
    len = item.as_string().size();
  } else if (item.kind() == Value::Kind::kList) {
    len = item.as_list().size();
  } else {
    return Status::Errorf("can't slice item of type {}", item.TypeName());
  }
  int64_t idx[3] = {0, static_cast<int64_t>(len), static_cast<int64_t>(len)};
  for (size_t i = 1; i < args.size(); ++i) {
    ARGUS_ASSIGN_OR_RETURN(idx[i - 1], IndexArg(args[i], len));
  }
  if (idx[0] > idx[1]) return Status::Errorf("invalid slice index: {} > {}", idx[0], idx[1]);
  if (args.size() == 4 && idx[1] > idx[2]) {
    return Status::Errorf("invalid slice index: {} > {}", idx[1], idx[2]);
  }
  size_t from = static_cast<size_t>(idx[0]);
  size_t to = static_cast<size_t>(idx[1]);
  if (item.kind() == Value::Kind::kString) return Value(item.as_string().substr(from, to - from));
  const List& list = item.as_list();
  return Value::FromList(
      List(list.begin() + static_cast<ptrdiff_t>(from), list.begin() + static_cast<ptrdiff_t>(to)));
}

Result<Value> Len(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("len", args, 1));
  const Value& v = args[0];
  switch (v.kind()) {
    case Value::Kind::kString:
      return Value(static_cast<int64_t>(v.as_string().size()));
    case Value::Kind::kList:
      return Value(static_cast<int64_t>(v.as_list().size()));
    case Value::Kind::kMap:
      return Value(static_cast<int64_t>(v.as_map().size()));
    case Value::Kind::kNil:
      return Status::Error("len of nil pointer");
    default:
      return Status::Errorf("len of type {}", v.TypeName());
  }
}

// The text an escaper works on: a single string as it is, anything else as fmt.Sprint.
std::string EscaperInput(std::span<const Value> args) {
  if (args.size() == 1 && args[0].kind() == Value::Kind::kString) return args[0].as_string();
  return Sprint(args);
}

Result<Value> Call(std::span<const Value> args) {
  if (args.empty()) return Status::Error("wrong number of args for call: want at least 1 got 0");
  if (args[0].is_nil()) return Status::Error("call of nil");
  if (args[0].kind() != Value::Kind::kFunction) {
    return Status::Errorf("non-function of type {}", args[0].TypeName());
  }
  return args[0].as_function()(args.subspan(1));
}

}  // namespace

Status CheckArgCount(std::string_view name, std::span<const Value> args, size_t want) {
  if (args.size() == want) return Status::Ok();
  return Status::Errorf("wrong number of args for {}: want {} got {}", name, want, args.size());
}

Result<std::string> StringArg(std::string_view name, std::span<const Value> args, size_t i) {
  if (i >= args.size()) return Status::Errorf("{}: missing argument {}", name, i + 1);
  if (args[i].kind() != Value::Kind::kString) {
    return Status::Errorf("wrong type for value; expected string; got {}", args[i].TypeName());
  }
  return args[i].as_string();
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\0':
        out += "\uFFFD";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string JsEscape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t len = Utf8SequenceLength(s.substr(i));
      if (len == 0) len = 1;
      out.append(s.substr(i, len));
      i += len;
      continue;
    }
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '"':
        out += "\\\"";
        break;
      case '<':
        out += "\\u003C";
        break;
      case '>':
        out += "\\u003E";
        break;
      case '&':
        out += "\\u0026";
        break;
      case '=':
        out += "\\u003D";
        break;
      default:
        if (c < ' ') {
          out += fmt::format("\\u{:04X}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  return out;
}

std::string QueryEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

FuncMap GoBuiltinFuncs() {
  FuncMap funcs;
  // Placeholders: the executor evaluates and/or lazily and never calls these.
  funcs["and"] = [](std::span<const Value> args) { return args.empty() ? Value() : args.back(); };
  funcs["or"] = funcs["and"];
  funcs["not"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_RETURN_IF_ERROR(CheckArgCount("not", args, 1));
    return Value(!args[0].Truthy());
  };
  funcs["len"] = Len;
  funcs["index"] = Index;
  funcs["slice"] = Slice;
  funcs["print"] = [](std::span<const Value> args) -> Result<Value> { return Value(Sprint(args)); };
  funcs["println"] = [](std::span<const Value> args) -> Result<Value> {
    return Value(Sprintln(args));
  };
  funcs["printf"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(std::string format, StringArg("printf", args, 0));
    return Value(Sprintf(format, args.subspan(1)));
  };
  funcs["eq"] = Eq;
  funcs["ne"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_RETURN_IF_ERROR(CheckArgCount("ne", args, 2));
    ARGUS_ASSIGN_OR_RETURN(bool equal, Equal(args[0], args[1]));
    return Value(!equal);
  };
  funcs["lt"] = Compare("lt", true, false);
  funcs["le"] = Compare("le", true, true);
  funcs["gt"] = Compare("gt", false, false);
  funcs["ge"] = Compare("ge", false, true);
  funcs["html"] = [](std::span<const Value> args) -> Result<Value> {
    return Value(HtmlEscape(EscaperInput(args)));
  };
  funcs["js"] = [](std::span<const Value> args) -> Result<Value> {
    return Value(JsEscape(EscaperInput(args)));
  };
  funcs["urlquery"] = [](std::span<const Value> args) -> Result<Value> {
    return Value(QueryEscape(EscaperInput(args)));
  };
  funcs["call"] = Call;
  return funcs;
}

}  // namespace argus::tmpl
