#include "tmpl/printf.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/utf8.h"
#include "tmpl/go_time.h"
#include "tmpl/literal.h"

namespace argus::tmpl {
namespace {

struct Spec {
  bool plus = false;
  bool minus = false;
  bool sharp = false;
  bool space = false;
  bool zero = false;
  int width = -1;
  int precision = -1;
};

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    size_t len = Utf8SequenceLength(s.substr(i));
    i += len == 0 ? 1 : len;
  }
  return n;
}

// Pads `s` to the spec's width; `zero_ok` says whether zeros may pad (after any sign).
void Pad(std::string* out, std::string_view s, const Spec& spec, bool zero_ok = true) {
  size_t runes = spec.width < 0 ? 0 : RuneCount(s);
  if (spec.width < 0 || runes >= static_cast<size_t>(spec.width)) {
    out->append(s);
    return;
  }
  size_t fill = static_cast<size_t>(spec.width) - runes;
  if (spec.minus) {
    out->append(s);
    out->append(fill, ' ');
  } else if (spec.zero && zero_ok) {
    size_t sign = !s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ') ? 1 : 0;
    out->append(s.substr(0, sign));
    out->append(fill, '0');
    out->append(s.substr(sign));
  } else {
    out->append(fill, ' ');
    out->append(s);
  }
}

std::string FormatInt(int64_t v, char verb, const Spec& spec) {
  uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  int base = verb == 'x' || verb == 'X'   ? 16
             : verb == 'o' || verb == 'O' ? 8
             : verb == 'b'                ? 2
                                          : 10;
  const char* digits = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string body;
  do {
    body.insert(body.begin(), digits[magnitude % static_cast<uint64_t>(base)]);
    magnitude /= static_cast<uint64_t>(base);
  } while (magnitude != 0);
  if (spec.precision >= 0 && body.size() < static_cast<size_t>(spec.precision)) {
    body.insert(0, static_cast<size_t>(spec.precision) - body.size(), '0');
  }
  if (spec.precision == 0 && v == 0) body.clear();
  std::string prefix;
  if (verb == 'O') prefix = "0o";
  if (spec.sharp) {
    if (verb == 'x') prefix = "0x";
    if (verb == 'X') prefix = "0X";
    if (verb == 'o' && body[0] != '0') prefix = "0";
    if (verb == 'b') prefix = "0b";
  }
  std::string sign = v < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  return sign + prefix + body;
}

void FormatNumberInto(std::string* out, std::string text, const Spec& spec, bool finite) {
  if (finite && text[0] != '-') {
    if (spec.plus) {
      text.insert(0, "+");
    } else if (spec.space) {
      text.insert(0, " ");
    }
  }
  if (!finite && text == "NaN" && (spec.plus || spec.space)) text.insert(0, spec.plus ? "+" : " ");
  Pad(out, text, spec, finite);
}

std::string TypeAndValue(const Value& v);
void FormatOne(std::string* out, const Value& v, char verb, const Spec& spec);

void BadVerb(std::string* out, const Value& v, char verb) {
  out->append("%!");
  out->push_back(verb);
  out->append("(");
  out->append(v.is_nil() ? "<nil>" : TypeAndValue(v));
  out->append(")");
}

// The text of a Stringer: an object's String method, a time's or a duration's String form.
bool StringerText(const Value& v, std::string* text) {
  switch (v.kind()) {
    case Value::Kind::kTime:
      *text = internal::GoTimeString(v.as_time(), v.time_zone());
      return true;
    case Value::Kind::kDuration:
      *text = internal::GoDurationString(v.as_duration());
      return true;
    case Value::Kind::kObject:
    case Value::Kind::kList:
    case Value::Kind::kMap: {
      const Method* method = v.FindMethod("String");
      if (method == nullptr) return false;
      Result<Value> result = (*method)(v, {});
      *text = result.ok() && result->kind() == Value::Kind::kString
                  ? result->as_string()
                  : "%!v(PANIC=String method: " + result.status().message() + ")";
      return true;
    }
    default:
      return false;
  }
}

void FormatString(std::string* out, std::string_view s, char verb, const Spec& spec) {
  switch (verb) {
    case 'v':
    case 's': {
      if (spec.precision >= 0) {
        size_t end = 0;
        for (int n = 0; n < spec.precision && end < s.size(); ++n) {
          size_t len = Utf8SequenceLength(s.substr(end));
          end += len == 0 ? 1 : len;
        }
        s = s.substr(0, end);
      }
      Pad(out, s, spec);
      return;
    }
    case 'q':
      Pad(out, Quote(s), spec);
      return;
    case 'x':
    case 'X': {
      const char* digits = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
      std::string hex;
      for (unsigned char c : s) {
        hex.push_back(digits[c >> 4]);
        hex.push_back(digits[c & 15]);
      }
      Pad(out, hex, spec);
      return;
    }
    default:
      BadVerb(out, Value(s), verb);
  }
}

void FormatOne(std::string* out, const Value& v, char verb, const Spec& spec) {
  // The common case, %v of a string or an int without flags, takes no detour.
  bool plain = verb == 'v' && spec.width < 0 && spec.precision < 0 && !spec.plus && !spec.space;
  if (plain && v.kind() == Value::Kind::kString) {
    out->append(v.as_string());
    return;
  }
  if (plain && v.kind() == Value::Kind::kInt) {
    char buf[24];
    out->append(buf, std::to_chars(buf, buf + sizeof buf, v.as_int()).ptr);
    return;
  }
  std::string stringer;
  if ((verb == 'v' || verb == 's' || verb == 'q') && StringerText(v, &stringer)) {
    FormatString(out, stringer, verb, spec);
    return;
  }
  switch (v.kind()) {
    case Value::Kind::kNil:
      if (verb == 'v') {
        Pad(out, "<nil>", spec, false);
      } else {
        BadVerb(out, v, verb);
      }
      return;
    case Value::Kind::kBool:
      if (verb == 'v' || verb == 't') {
        Pad(out, v.as_bool() ? "true" : "false", spec, false);
      } else {
        BadVerb(out, v, verb);
      }
      return;
    case Value::Kind::kInt:
    case Value::Kind::kDuration: {
      int64_t i =
          v.kind() == Value::Kind::kInt ? v.as_int() : absl::ToInt64Nanoseconds(v.as_duration());
      switch (verb) {
        case 'v':
        case 'd':
        case 'x':
        case 'X':
        case 'o':
        case 'O':
        case 'b':
          // Go ignores the 0 flag when a precision gives the number of digits.
          Pad(out, FormatInt(i, verb == 'v' ? 'd' : verb, spec), spec, spec.precision < 0);
          return;
        case 'c': {
          std::string rune;
          internal::AppendUtf8(&rune, static_cast<uint32_t>(i));
          Pad(out, rune, spec);
          return;
        }
        case 'q': {
          std::string rune;
          internal::AppendUtf8(&rune, static_cast<uint32_t>(i));
          std::string quoted = Quote(rune);
          quoted.front() = '\'';
          quoted.back() = '\'';
          Pad(out, quoted, spec);
          return;
        }
        case 'U':
          Pad(out, fmt::format("U+{:04X}", i), spec);
          return;
        default:
          BadVerb(out, v, verb);
          return;
      }
    }
    case Value::Kind::kFloat: {
      double d = v.as_float();
      char format;
      int precision = spec.precision;
      switch (verb) {
        case 'v':
        case 'g':
        case 'G':
          format = 'g';
          break;
        case 'e':
        case 'E':
          format = 'e';
          if (precision < 0) precision = 6;
          break;
        case 'f':
        case 'F':
          format = 'f';
          if (precision < 0) precision = 6;
          break;
        default:
          BadVerb(out, v, verb);
          return;
      }
      std::string text = FormatFloat(d, format, precision);
      if (verb == 'G' || verb == 'E') {
        for (char& c : text) c = static_cast<char>(c == 'e' ? 'E' : c);
      }
      if (std::isinf(d) && d > 0 && text[0] != '+') text.insert(0, "+");
      FormatNumberInto(out, text, spec, std::isfinite(d));
      return;
    }
    case Value::Kind::kString:
      FormatString(out, v.as_string(), verb, spec);
      return;
    case Value::Kind::kList: {
      out->push_back('[');
      bool first = true;
      for (const Value& item : v.as_list()) {
        if (out->size() > kMaxFormattedBytes) break;
        if (!first) out->push_back(' ');
        first = false;
        FormatOne(out, item, verb, spec);
      }
      out->push_back(']');
      return;
    }
    case Value::Kind::kMap:
    case Value::Kind::kObject: {
      bool is_map = v.kind() == Value::Kind::kMap;
      out->append(is_map ? "map[" : "{");
      bool first = true;
      for (const auto& [key, item] : v.as_map()) {
        if (out->size() > kMaxFormattedBytes) break;
        if (!first) out->push_back(' ');
        first = false;
        if (is_map) {
          FormatOne(out, Value(key), verb, spec);
          out->push_back(':');
        }
        FormatOne(out, item, verb, spec);
      }
      out->append(is_map ? "]" : "}");
      return;
    }
    case Value::Kind::kTime:
    case Value::Kind::kFunction:
      BadVerb(out, v, verb);
      return;
  }
}

std::string TypeAndValue(const Value& v) {
  std::string text = v.TypeName() + "=";
  FormatOne(&text, v, 'v', Spec{});
  return text;
}

// Reads a number at `*i` of `format`; -1 when there is none.
int ReadNumber(std::string_view format, size_t* i) {
  int n = -1;
  while (*i < format.size() && format[*i] >= '0' && format[*i] <= '9') {
    n = (n < 0 ? 0 : n) * 10 + (format[*i] - '0');
    if (n > 1000000) n = 1000000;
    ++*i;
  }
  return n;
}

}  // namespace

std::string Sprintf(std::string_view format, std::span<const Value> args) {
  std::string out;
  size_t arg = 0;
  for (size_t i = 0; i < format.size();) {
    if (format[i] != '%') {
      size_t next = format.find('%', i);
      if (next == std::string_view::npos) next = format.size();
      out.append(format.substr(i, next - i));
      i = next;
      continue;
    }
    ++i;
    Spec spec;
    for (; i < format.size(); ++i) {
      char c = format[i];
      if (c == '+') {
        spec.plus = true;
      } else if (c == '-') {
        spec.minus = true;
        spec.zero = false;
      } else if (c == '#') {
        spec.sharp = true;
      } else if (c == ' ') {
        spec.space = true;
      } else if (c == '0') {
        spec.zero = !spec.minus;
      } else
        break;
    }
    auto star = [&](int* target) {
      if (arg < args.size() && args[arg].kind() == Value::Kind::kInt) {
        *target = static_cast<int>(std::clamp<int64_t>(args[arg].as_int(), -1000000, 1000000));
      } else {
        out += "%!(BADWIDTH)";
      }
      ++arg;
      ++i;
    };
    if (i < format.size() && format[i] == '*') {
      star(&spec.width);
      if (spec.width < 0) {
        spec.minus = true;
        spec.width = -spec.width;
      }
    } else {
      spec.width = ReadNumber(format, &i);
    }
    if (i < format.size() && format[i] == '.') {
      ++i;
      if (i < format.size() && format[i] == '*') {
        star(&spec.precision);
      } else {
        spec.precision = std::max(ReadNumber(format, &i), 0);
      }
    }
    if (i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    char verb = format[i++];
    if (verb == '%') {
      out.push_back('%');
      continue;
    }
    if (arg >= args.size()) {
      out += fmt::format("%!{}(MISSING)", verb);
      continue;
    }
    FormatOne(&out, args[arg++], verb, spec);
  }
  if (arg < args.size()) {
    out += "%!(EXTRA ";
    for (size_t k = arg; k < args.size(); ++k) {
      if (k > arg) out += ", ";
      out += args[k].is_nil() ? "<nil>" : TypeAndValue(args[k]);
    }
    out += ")";
  }
  return out;
}

std::string Sprint(std::span<const Value> args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0 && args[i].kind() != Value::Kind::kString &&
        args[i - 1].kind() != Value::Kind::kString) {
      out.push_back(' ');
    }
    FormatOne(&out, args[i], 'v', Spec{});
  }
  return out;
}

std::string Sprintln(std::span<const Value> args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out.push_back(' ');
    FormatOne(&out, args[i], 'v', Spec{});
  }
  out.push_back('\n');
  return out;
}

void AppendPrinted(std::string* out, const Value& value) {
  if (value.is_nil()) {
    out->append("<no value>");
    return;
  }
  FormatOne(out, value, 'v', Spec{});
}

}  // namespace argus::tmpl
