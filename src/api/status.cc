// /api/v1/status/{buildinfo,config,flags,runtimeinfo,tsdb}.

#include <charconv>
#include <filesystem>
#include <limits>
#include <thread>

#include "api/handlers.h"
#include "api/params.h"
#include "api/response.h"
#include "base/rfc3339.h"

namespace argus::api {
namespace {

bool Available(bool available, std::string_view what, http::Response* r) {
  if (!available) RespondError(r, ErrorType::kUnavailable, std::string(what) + " is not available");
  return available;
}

// The threads of this process: what Prometheus counts as goroutines.
int64_t ThreadCount() {
  std::error_code ec;
  int64_t n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/task", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

void WriteEntries(JsonWriter& w, std::string_view key,
                  const std::vector<TsdbStats::Entry>& entries) {
  w.Key(key);
  w.BeginArray();
  for (const auto& e : entries) {
    w.BeginObject();
    w.Key("name");
    w.String(e.name);
    w.Key("value");
    w.Int(static_cast<int64_t>(e.value));
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

void BuildInfo(const Sources& s, const http::Request&, http::Response* r) {
  SuccessResponse out(r);
  JsonWriter& w = out.writer();
  w.BeginObject();
  // Prometheus' keys; goVersion, its toolchain, is the compiler here.
  for (auto [key, value] : {std::pair{"version", &s.build.version},
                            {"revision", &s.build.revision},
                            {"branch", &s.build.branch},
                            {"buildUser", &s.build.build_user},
                            {"buildDate", &s.build.build_date},
                            {"goVersion", &s.build.toolchain}}) {
    w.Key(key);
    w.String(*value);
  }
  w.EndObject();
  out.Finish();
}

void Config(const Sources& s, const http::Request&, http::Response* r) {
  if (!Available(static_cast<bool>(s.config), "the configuration", r)) return;
  auto config = s.config();
  SuccessResponse out(r);
  out.writer().BeginObject();
  out.writer().Key("yaml");
  out.writer().String(config->yaml);
  out.writer().EndObject();
  out.Finish(config->config.warnings);
}

void Flags(const Sources& s, const http::Request&, http::Response* r) {
  SuccessResponse out(r);
  out.writer().BeginObject();
  for (const auto& [name, value] : s.flags) {
    out.writer().Key(name);
    out.writer().String(value);
  }
  out.writer().EndObject();
  out.Finish();
}

void RuntimeInfoStatus(const Sources& s, const http::Request&, http::Response* r) {
  if (!Available(static_cast<bool>(s.runtime_info), "runtime information", r)) return;
  RuntimeInfo info = s.runtime_info();
  SuccessResponse out(r);
  JsonWriter& w = out.writer();
  w.BeginObject();
  w.Key("startTime");
  w.String(FormatRfc3339(info.start_time_ms));
  w.Key("CWD");
  w.String(info.cwd);
  w.Key("reloadConfigSuccess");
  w.Bool(info.reload_config_success);
  w.Key("lastConfigTime");
  w.String(FormatRfc3339(info.last_config_time_ms));
  w.Key("corruptionCount");
  w.Int(info.corruption_count);
  w.Key("goroutineCount");
  w.Int(ThreadCount());
  w.Key("GOMAXPROCS");
  w.Int(std::thread::hardware_concurrency());
  w.Key("GOMEMLIMIT");
  w.Int(std::numeric_limits<int64_t>::max());
  w.Key("GOGC");
  w.String("");
  w.Key("GODEBUG");
  w.String("");
  w.Key("storageRetention");
  w.String(info.storage_retention);
  w.EndObject();
  out.Finish();
}

void TsdbStatus(const Sources& s, const http::Request& req, http::Response* r) {
  if (!Available(static_cast<bool>(s.tsdb_stats), "TSDB statistics", r)) return;
  int64_t limit = 10;
  if (std::string_view text = req.Param("limit"); !text.empty()) {
    auto p = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (p.ec != std::errc() || p.ptr != text.data() + text.size() || limit < 1) {
      return RespondError(r, ErrorType::kBadData, "limit must be a positive number");
    }
  }
  auto stats = s.tsdb_stats(static_cast<size_t>(limit));
  if (!stats.ok()) return RespondError(r, ErrorType::kInternal, stats.status().message());
  SuccessResponse out(r);
  JsonWriter& w = out.writer();
  w.BeginObject();
  w.Key("headStats");
  w.BeginObject();
  w.Key("numSeries");
  w.Int(static_cast<int64_t>(stats->head.num_series));
  w.Key("numLabelPairs");
  w.Int(static_cast<int64_t>(stats->head.num_label_pairs));
  w.Key("chunkCount");
  w.Int(static_cast<int64_t>(stats->head.chunk_count));
  w.Key("minTime");
  w.Int(stats->head.min_time);
  w.Key("maxTime");
  w.Int(stats->head.max_time);
  w.EndObject();
  WriteEntries(w, "seriesCountByMetricName", stats->series_count_by_metric_name);
  WriteEntries(w, "labelValueCountByLabelName", stats->label_value_count_by_label_name);
  WriteEntries(w, "memoryInBytesByLabelName", stats->memory_in_bytes_by_label_name);
  WriteEntries(w, "seriesCountByLabelValuePair", stats->series_count_by_label_value_pair);
  w.EndObject();
  out.Finish();
}

}  // namespace argus::api
