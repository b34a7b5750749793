#include "cmd/api_inputs.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "config/secrets.h"
#include "http/url.h"
#include "model/duration.h"

namespace argus::cmd {

Result<std::shared_ptr<const api::LoadedConfig>> LoadConfig(const ServerFlags& flags) {
  auto loaded = std::make_shared<api::LoadedConfig>();
  std::string source =
      flags.config_file.empty() ? std::string(config::kEmbeddedSource) : flags.config_file;
  if (flags.config_file.empty()) {
    loaded->yaml = config::EmbeddedDefault();
  } else {
    std::ifstream in(flags.config_file, std::ios::binary);
    if (!in) {
      return Status::Errorf(Status::Code::kIOError, "cannot read config file \"{}\": {}",
                            flags.config_file, std::strerror(errno));
    }
    loaded->yaml.assign(std::istreambuf_iterator<char>(in), {});
  }
  ARGUS_ASSIGN_OR_RETURN(loaded->config, config::Parse(loaded->yaml, source));
  loaded->yaml = config::ShownConfig(loaded->yaml);
  return std::shared_ptr<const api::LoadedConfig>(std::move(loaded));
}

api::GlobalUrlOptions GlobalUrl(const ServerFlags& flags) {
  api::GlobalUrlOptions options;
  options.listen_address = flags.listen_address;
  if (auto url = http::ParseUrl(flags.external_url)) {
    options.scheme = url->scheme;
    size_t authority = flags.external_url.find("://") + 3;
    options.host =
        flags.external_url.substr(authority, flags.external_url.find('/', authority) - authority);
    return options;
  }
  char hostname[256] = "localhost";
  gethostname(hostname, sizeof(hostname) - 1);
  size_t colon = flags.listen_address.rfind(':');
  options.host = hostname;
  if (colon != std::string::npos) options.host += flags.listen_address.substr(colon);
  return options;
}

std::string ExternalUrl(const ServerFlags& flags) {
  if (!flags.external_url.empty()) {
    std::string url = flags.external_url;
    while (url.ends_with('/')) url.pop_back();
    return url;
  }
  api::GlobalUrlOptions global = GlobalUrl(flags);
  return global.scheme + "://" + global.host;
}

Result<QueryFlags> ParseQueryFlags(const ServerFlags& flags) {
  auto lookback = model::ParseDuration(flags.query_lookback_delta);
  if (!lookback.ok()) return lookback.status().Wrap("--query.lookback-delta");
  auto timeout = model::ParseDuration(flags.query_timeout);
  if (!timeout.ok()) return timeout.status().Wrap("--query.timeout");
  return QueryFlags{lookback->count(), *timeout};
}

namespace {

// `a` and `b` in job order, each keeping its order within a job.
template <typename T>
std::vector<T> MergeByJob(std::vector<T> a, std::vector<T> b) {
  std::ranges::move(b, std::back_inserter(a));
  std::ranges::stable_sort(a, {}, &T::job);
  return a;
}

}  // namespace

std::vector<scrape::JobTargets> AllTargets(const scrape::ScrapeManager& scraper,
                                           const collect::CollectManager& collector) {
  return MergeByJob(scraper.Targets(), collector.Targets());
}

std::vector<scrape::TargetMetadata> AllMetadata(const scrape::ScrapeManager& scraper,
                                                const collect::CollectManager& collector) {
  return MergeByJob(scraper.Metadata(), collector.Metadata());
}

api::TsdbStatsFunc HeadStats(const tsdb::Head& head) {
  return [&head](size_t limit) -> Result<api::TsdbStats> {
    api::TsdbStats stats;
    stats.head.num_series = head.NumSeries();
    stats.head.chunk_count = head.NumChunks();
    stats.head.min_time = head.MinTime();
    stats.head.max_time = head.MaxTime();
    const tsdb::IndexReader& index = head.index();
    ARGUS_ASSIGN_OR_RETURN(auto names, index.LabelNames());
    api::LabelPairCounts pairs;
    for (const std::string& name : names) {
      ARGUS_ASSIGN_OR_RETURN(auto values, tsdb::LabelValues(index, name));
      auto& counts = pairs[name];
      for (const std::string& value : values) {
        auto postings = index.PostingsFor(name, value);
        uint64_t n = 0;
        while (postings->Next()) ++n;
        counts[value] = n;
      }
    }
    api::FillCardinality(pairs, limit, &stats);
    return stats;
  };
}

}  // namespace argus::cmd
