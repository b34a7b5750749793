#include "tmpl/funcs_prometheus.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>

#include "model/duration.h"
#include "tmpl/funcs_go.h"
#include "tmpl/funcs_text.h"
#include "tmpl/printf.h"

namespace argus::tmpl {
namespace {

constexpr std::string_view kSampleType = "*template.sample";

Value SampleValue(const QuerySample& sample) {
  return Value::Object(std::string(kSampleType),
                       Map{{"Labels", Value::FromLabels(sample.labels)}, {"Value", sample.value}});
}

Result<Value> SampleArg(std::span<const Value> args, size_t i) {
  if (i >= args.size()) return Status::Errorf("missing argument {}", i + 1);
  const Value& v = args[i];
  if (v.kind() != Value::Kind::kObject || v.TypeName() != kSampleType) {
    return Status::Errorf("wrong type for value; expected {}; got {}", kSampleType, v.TypeName());
  }
  return v;
}

Result<List> QueryResultArg(std::span<const Value> args, size_t i) {
  if (i >= args.size()) return Status::Errorf("missing argument {}", i + 1);
  if (args[i].kind() != Value::Kind::kList) {
    return Status::Errorf("wrong type for value; expected template.queryResult; got {}",
                          args[i].TypeName());
  }
  return args[i].as_list();
}

std::string LabelOf(const Value& sample, std::string_view name) {
  const Value& labels = sample.as_map().at("Labels");
  if (labels.kind() != Value::Kind::kMap) return "";
  auto it = labels.as_map().find(name);
  return it == labels.as_map().end() || it->second.kind() != Value::Kind::kString
             ? ""
             : it->second.as_string();
}

Result<double> OneNumber(std::string_view name, std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount(name, args, 1));
  return ToFloat(args[0]);
}

// v scaled down by `base` per prefix while it is at least `base`, printed with 4 digits.
std::string Scaled(double v, double base, std::initializer_list<const char*> prefixes) {
  std::string prefix;
  for (const char* p : prefixes) {
    if (std::fabs(v) < base) break;
    prefix = p;
    v /= base;
  }
  return internal::FourDigits(v) + prefix;
}

Result<Value> Humanize(std::span<const Value> args) {
  ARGUS_ASSIGN_OR_RETURN(double v, OneNumber("humanize", args));
  if (v == 0 || std::isnan(v) || std::isinf(v)) return Value(internal::FourDigits(v));
  if (std::fabs(v) >= 1) return Value(Scaled(v, 1000, {"k", "M", "G", "T", "P", "E", "Z", "Y"}));
  std::string prefix;
  for (const char* p : {"m", "u", "n", "p", "f", "a", "z", "y"}) {
    if (std::fabs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return Value(internal::FourDigits(v) + prefix);
}

Result<Value> Humanize1024(std::span<const Value> args) {
  ARGUS_ASSIGN_OR_RETURN(double v, OneNumber("humanize1024", args));
  if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v)) return Value(internal::FourDigits(v));
  return Value(Scaled(v, 1024, {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"}));
}

// Seconds since the epoch as a time, at millisecond precision as Prometheus keeps it.
Result<absl::Time> FloatToTime(double v) {
  if (std::isnan(v) || std::isinf(v)) return Status::Error("value is NaN or Inf");
  double nanos = v * 1e9;
  if (nanos >= 9223372036854775808.0 || nanos < -9223372036854775808.0) {
    std::vector<Value> shown = {Value(v)};
    return Status::Errorf(
        "{} cannot be represented as a nanoseconds timestamp since it overflows int64",
        Sprint(shown));
  }
  return absl::FromUnixMillis(static_cast<int64_t>(nanos) / 1000000);
}

Result<Value> HumanizeTimestamp(std::span<const Value> args) {
  ARGUS_ASSIGN_OR_RETURN(double v, OneNumber("humanizeTimestamp", args));
  if (std::isnan(v) || std::isinf(v)) return Value(internal::FourDigits(v));
  ARGUS_ASSIGN_OR_RETURN(absl::Time t, FloatToTime(v));
  std::vector<Value> shown = {Value::Time(t)};
  return Value(Sprint(shown));
}

struct HostPort {
  std::string host;
  std::string port;
};

// Go's net.SplitHostPort.
Result<HostPort> SplitHostPort(std::string_view s) {
  auto error = [&](std::string_view why) { return Status::Errorf("address {}: {}", s, why); };
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) return error("missing port in address");
  HostPort out;
  size_t j = 0;
  size_t k = 0;
  if (!s.empty() && s[0] == '[') {
    size_t end = s.find(']');
    if (end == std::string_view::npos) return error("missing ']' in address");
    if (end + 1 == s.size()) return error("missing port in address");
    if (end + 1 != colon) {
      return error(s[end + 1] == ':' ? "too many colons in address" : "missing port in address");
    }
    out.host = std::string(s.substr(1, end - 1));
    j = 1;
    k = end + 1;
  } else {
    out.host = std::string(s.substr(0, colon));
    if (out.host.find(':') != std::string::npos) return error("too many colons in address");
  }
  if (s.substr(j).find('[') != std::string_view::npos) return error("unexpected '[' in address");
  if (s.substr(k).find(']') != std::string_view::npos) return error("unexpected ']' in address");
  out.port = std::string(s.substr(colon + 1));
  return out;
}

bool IsIP(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

Result<Value> StripPort(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("stripPort", args, 1));
  ARGUS_ASSIGN_OR_RETURN(std::string host_port, StringArg("stripPort", args, 0));
  Result<HostPort> split = SplitHostPort(host_port);
  return Value(split.ok() ? split->host : host_port);
}

Result<Value> StripDomain(std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount("stripDomain", args, 1));
  ARGUS_ASSIGN_OR_RETURN(std::string host_port, StringArg("stripDomain", args, 0));
  Result<HostPort> split = SplitHostPort(host_port);
  HostPort parts = split.ok() ? *split : HostPort{host_port, ""};
  if (IsIP(parts.host)) return Value(host_port);
  std::string host = parts.host.substr(0, parts.host.find('.'));
  if (parts.port.empty()) return Value(host);
  return Value(host.find(':') != std::string::npos ? "[" + host + "]:" + parts.port
                                                   : host + ":" + parts.port);
}

Function GraphLink(int tab) {
  return [tab](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(std::string expr,
                           StringArg(tab == 0 ? "graphLink" : "tableLink", args, 0));
    return Value(fmt::format("/graph?g0.expr={}&g0.tab={}", QueryEscape(expr), tab));
  };
}

// The path of a URL: what follows scheme://host, up to a query or a fragment.
std::string UrlPath(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (start == std::string_view::npos) return "";
  size_t end = url.find_first_of("?#", start);
  return std::string(url.substr(start, end == std::string_view::npos ? url.npos : end - start));
}

// The functions on query results.
void AddSampleFuncs(FuncMap* funcs) {
  (*funcs)["first"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(List samples, QueryResultArg(args, 0));
    if (samples.empty()) return Status::Error("first() called on vector with no elements");
    return samples[0];
  };
  (*funcs)["label"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(std::string name, StringArg("label", args, 0));
    ARGUS_ASSIGN_OR_RETURN(Value sample, SampleArg(args, 1));
    return Value(LabelOf(sample, name));
  };
  (*funcs)["value"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(Value sample, SampleArg(args, 0));
    return sample.as_map().at("Value");
  };
  (*funcs)["strvalue"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(Value sample, SampleArg(args, 0));
    return Value(LabelOf(sample, "__value__"));
  };
  (*funcs)["sortByLabel"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(std::string name, StringArg("sortByLabel", args, 0));
    ARGUS_ASSIGN_OR_RETURN(List samples, QueryResultArg(args, 1));
    for (const Value& sample : samples) ARGUS_RETURN_IF_ERROR(SampleArg({&sample, 1}, 0).status());
    std::stable_sort(samples.begin(), samples.end(), [&name](const Value& a, const Value& b) {
      return LabelOf(a, name) < LabelOf(b, name);
    });
    return Value::FromList(std::move(samples));
  };
  (*funcs)["args"] = [](std::span<const Value> args) -> Result<Value> {
    Map result;
    for (size_t i = 0; i < args.size(); ++i) result.emplace(fmt::format("arg{}", i), args[i]);
    return Value::FromMap(std::move(result));
  };
}

}  // namespace

FuncMap PrometheusEnvFuncs(const PrometheusTemplateEnv& env) {
  FuncMap funcs;
  funcs["query"] = [query = env.query](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(std::string q, StringArg("query", args, 0));
    if (query == nullptr) return Status::Error("no query function is available here");
    ARGUS_ASSIGN_OR_RETURN(std::vector<QuerySample> samples, query(q));
    List result;
    result.reserve(samples.size());
    for (const QuerySample& sample : samples) result.push_back(SampleValue(sample));
    return Value::FromList(std::move(result));
  };
  double now = static_cast<double>(absl::ToUnixMillis(env.eval_time)) / 1000.0;
  funcs["now"] = [now](std::span<const Value> args) -> Result<Value> {
    ARGUS_RETURN_IF_ERROR(CheckArgCount("now", args, 0));
    return Value(now);
  };
  funcs["externalURL"] = [url = env.external_url](std::span<const Value> args) -> Result<Value> {
    ARGUS_RETURN_IF_ERROR(CheckArgCount("externalURL", args, 0));
    return Value(url);
  };
  funcs["pathPrefix"] =
      [path = UrlPath(env.external_url)](std::span<const Value> args) -> Result<Value> {
    ARGUS_RETURN_IF_ERROR(CheckArgCount("pathPrefix", args, 0));
    return Value(path);
  };
  return funcs;
}

FuncMap PrometheusFuncs(const PrometheusTemplateEnv& env) {
  FuncMap funcs;
  AddSampleFuncs(&funcs);
  funcs["humanize"] = Humanize;
  funcs["humanize1024"] = Humanize1024;
  funcs["humanizeDuration"] = internal::HumanizeDurationFunc;
  funcs["humanizePercentage"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(double v, OneNumber("humanizePercentage", args));
    return Value(internal::FourDigits(v * 100) + "%");
  };
  funcs["humanizeTimestamp"] = HumanizeTimestamp;
  funcs["toTime"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(double v, OneNumber("toTime", args));
    ARGUS_ASSIGN_OR_RETURN(absl::Time t, FloatToTime(v));
    return Value::Time(t);
  };
  funcs["toDuration"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(double v, OneNumber("toDuration", args));
    return Value::Duration(
        absl::Nanoseconds(static_cast<int64_t>(std::clamp(v * 1e9, -9.2e18, 9.2e18))));
  };
  funcs["parseDuration"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(std::string text, StringArg("parseDuration", args, 0));
    bool negative = !text.empty() && text[0] == '-';
    ARGUS_ASSIGN_OR_RETURN(model::Duration d,
                           model::ParseDuration(std::string_view(text).substr(negative ? 1 : 0)));
    double seconds = static_cast<double>(d.count()) / 1000.0;
    return Value(negative ? -seconds : seconds);
  };
  funcs["title"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(std::string text, StringArg("title", args, 0));
    return Value(internal::Title(text, /*lower_rest=*/false));
  };
  funcs["toUpper"] = internal::ToUpperFunc;
  funcs["toLower"] = internal::ToLowerFunc;
  funcs["match"] = internal::MatchFunc;
  funcs["reReplaceAll"] = internal::ReReplaceAllFunc;
  funcs["safeHtml"] = internal::SafeHtmlFunc;
  funcs["urlQueryEscape"] = [](std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(std::string text, StringArg("urlQueryEscape", args, 0));
    return Value(QueryEscape(text));
  };
  funcs["stripPort"] = StripPort;
  funcs["stripDomain"] = StripDomain;
  funcs["graphLink"] = GraphLink(0);
  funcs["tableLink"] = GraphLink(1);
  for (auto& [name, function] : PrometheusEnvFuncs(env)) funcs[name] = std::move(function);
  return funcs;
}

}  // namespace argus::tmpl
