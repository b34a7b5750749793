#include "tsdb/index/block_meta.h"

#include <simdjson.h>

namespace argus::tsdb {
namespace {

Status Malformed(std::string_view field, std::string_view why) {
  return Status::Errorf(Status::Code::kCorruption, "meta.json: field \"{}\" {}", field, why);
}

Result<int64_t> GetInt(simdjson::dom::object object, std::string_view field) {
  int64_t value;
  if (object[field].get(value) != simdjson::SUCCESS) {
    return Malformed(field, "is missing or not an integer");
  }
  return value;
}

Result<Ulid> GetUlid(simdjson::dom::object object, std::string_view field) {
  std::string_view text;
  if (object[field].get(text) != simdjson::SUCCESS) {
    return Malformed(field, "is missing or not a string");
  }
  auto ulid = Ulid::Parse(text);
  if (!ulid.ok()) return Malformed(field, "is not a ULID");
  return ulid;
}

// Reads the counters and compaction history, the parts of meta.json below the top level.
Status DecodeNested(simdjson::dom::object root, BlockMeta& meta) {
  simdjson::dom::object stats;
  if (root["stats"].get(stats) != simdjson::SUCCESS) return Malformed("stats", "is missing");
  for (auto [field, out] :
       {std::pair{"numSamples", &meta.num_samples}, std::pair{"numSeries", &meta.num_series},
        std::pair{"numChunks", &meta.num_chunks}}) {
    // Prometheus leaves out counters that are zero.
    if (stats[field].error() == simdjson::NO_SUCH_FIELD) continue;
    if (stats[field].get(*out) != simdjson::SUCCESS) {
      return Malformed(field, "is not an unsigned integer");
    }
  }
  simdjson::dom::object compaction;
  if (root["compaction"].get(compaction) != simdjson::SUCCESS) {
    return Malformed("compaction", "is missing");
  }
  auto level = GetInt(compaction, "level");
  if (!level.ok()) return level.status();
  meta.compaction_level = static_cast<int>(*level);
  simdjson::dom::array list;
  if (compaction["sources"].get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element e : list) {
      std::string_view text;
      if (e.get(text) != simdjson::SUCCESS) return Malformed("sources", "holds a non-string");
      auto ulid = Ulid::Parse(text);
      if (!ulid.ok()) return Malformed("sources", "holds something not a ULID");
      meta.compaction_sources.push_back(*ulid);
    }
  }
  if (compaction["parents"].get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element e : list) {
      simdjson::dom::object parent;
      if (e.get(parent) != simdjson::SUCCESS) return Malformed("parents", "holds a non-object");
      auto ulid = GetUlid(parent, "ulid");
      auto min_time = GetInt(parent, "minTime");
      auto max_time = GetInt(parent, "maxTime");
      if (!ulid.ok() || !min_time.ok() || !max_time.ok()) {
        return Malformed("parents", "holds an incomplete parent");
      }
      meta.compaction_parents.push_back({*ulid, *min_time, *max_time});
    }
  }
  return Status::Ok();
}

}  // namespace

std::string EncodeBlockMeta(const BlockMeta& meta) {
  // The fields are numbers and ULIDs (base32 letters and digits), so nothing needs escaping and a
  // formatter writes exactly what a JSON library would.
  std::string out = fmt::format(
      R"({{"ulid":"{}","minTime":{},"maxTime":{},"stats":{{"numSamples":{},"numSeries":{},)"
      R"("numChunks":{}}},"compaction":{{"level":{},"sources":[)",
      meta.ulid.ToString(), meta.min_time, meta.max_time, meta.num_samples, meta.num_series,
      meta.num_chunks, meta.compaction_level);
  for (size_t i = 0; i < meta.compaction_sources.size(); ++i) {
    out += fmt::format(R"({}"{}")", i ? "," : "", meta.compaction_sources[i].ToString());
  }
  out += ']';
  if (!meta.compaction_parents.empty()) {
    out += R"(,"parents":[)";
    for (size_t i = 0; i < meta.compaction_parents.size(); ++i) {
      const auto& parent = meta.compaction_parents[i];
      out += fmt::format(R"({}{{"ulid":"{}","minTime":{},"maxTime":{}}})", i ? "," : "",
                         parent.ulid.ToString(), parent.min_time, parent.max_time);
    }
    out += ']';
  }
  out += fmt::format(R"(}},"version":{}}})", meta.version);
  out += '\n';
  return out;
}

Result<BlockMeta> DecodeBlockMeta(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (auto error = parser.parse(simdjson::padded_string(json)).get(root); error) {
    return Status::Errorf(Status::Code::kCorruption, "meta.json: not a JSON object: {}",
                          simdjson::error_message(error));
  }
  BlockMeta meta;
  auto ulid = GetUlid(root, "ulid");
  if (!ulid.ok()) return ulid.status();
  meta.ulid = *ulid;
  auto min_time = GetInt(root, "minTime");
  if (!min_time.ok()) return min_time.status();
  auto max_time = GetInt(root, "maxTime");
  if (!max_time.ok()) return max_time.status();
  meta.min_time = *min_time;
  meta.max_time = *max_time;
  auto version = GetInt(root, "version");
  if (!version.ok()) return version.status();
  if (*version != 1) return Malformed("version", fmt::format("is {}, not 1", *version));
  meta.version = 1;
  ARGUS_RETURN_IF_ERROR(DecodeNested(root, meta));
  return meta;
}

}  // namespace argus::tsdb
