#include "notify/render_test_util.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

namespace argus::notify::testing {
namespace {

constexpr size_t kMaxFields = 10;
constexpr size_t kMaxFieldRunes = 2000;
constexpr size_t kMaxHeaderRunes = 150;

size_t Runes(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Checks a text object {"type": "mrkdwn"|"plain_text", "text": ...}.
void CheckText(const rapidjson::Value& text, size_t max_runes, const std::string& where,
               std::vector<std::string>* problems) {
  if (!text.IsObject() || !text.HasMember("type") || !text.HasMember("text") ||
      !text["text"].IsString()) {
    problems->push_back(where + ": not a text object");
    return;
  }
  std::string_view type = text["type"].GetString();
  if (type != "mrkdwn" && type != "plain_text") problems->push_back(where + ": text type");
  size_t runes = Runes(text["text"].GetString());
  if (runes == 0) problems->push_back(where + ": empty text");
  if (runes > max_runes) problems->push_back(fmt::format("{}: {} characters", where, runes));
}

void CheckBlocks(const rapidjson::Value& blocks, const std::string& where,
                 std::vector<std::string>* problems) {
  if (!blocks.IsArray()) {
    problems->push_back(where + ": not an array");
    return;
  }
  if (blocks.Size() > 50) problems->push_back(fmt::format("{}: {} blocks", where, blocks.Size()));
  for (rapidjson::SizeType i = 0; i < blocks.Size(); ++i) {
    const rapidjson::Value& block = blocks[i];
    std::string at = fmt::format("{}[{}]", where, i);
    if (!block.IsObject() || !block.HasMember("type")) {
      problems->push_back(at + ": no type");
      continue;
    }
    std::string_view type = block["type"].GetString();
    if (type == "section") {
      if (!block.HasMember("text") && !block.HasMember("fields")) {
        problems->push_back(at + ": section without text or fields");
      }
      if (block.HasMember("text")) CheckText(block["text"], 3000, at + ".text", problems);
      if (block.HasMember("fields")) {
        const rapidjson::Value& fields = block["fields"];
        if (fields.Size() > kMaxFields) problems->push_back(at + ": too many fields");
        for (rapidjson::SizeType f = 0; f < fields.Size(); ++f) {
          CheckText(fields[f], kMaxFieldRunes, fmt::format("{}.fields[{}]", at, f), problems);
        }
      }
    } else if (type == "context") {
      const rapidjson::Value& elements = block["elements"];
      if (elements.Size() == 0 || elements.Size() > 10) {
        problems->push_back(at + ": context elements");
      }
      for (rapidjson::SizeType e = 0; e < elements.Size(); ++e) {
        if (std::string_view(elements[e]["type"].GetString()) == "image") continue;
        CheckText(elements[e], 3000, fmt::format("{}.elements[{}]", at, e), problems);
      }
    } else if (type == "header") {
      CheckText(block["text"], kMaxHeaderRunes, at + ".text", problems);
    } else if (type != "divider" && type != "image" && type != "actions") {
      problems->push_back(at + ": unknown block type " + std::string(type));
    }
  }
}

}  // namespace

std::optional<std::string> ReadSlackConformanceFile(std::string_view path) {
  const char* shared = std::getenv("ARGUS_SHARED_DIR");
  if (shared == nullptr) return std::nullopt;
  std::ifstream in(std::filesystem::path(shared) / "conformance/slack" / path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

rapidjson::Document ParseJson(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  EXPECT_FALSE(document.HasParseError()) << "not JSON: " << json;
  return document;
}

std::string JsonDifference(const rapidjson::Value& want, const rapidjson::Value& got,
                           const std::string& path) {
  if (want.GetType() != got.GetType()) return path + ": types differ";
  if (want.IsObject()) {
    if (want.MemberCount() != got.MemberCount()) {
      return fmt::format("{}: {} keys, want {}", path, got.MemberCount(), want.MemberCount());
    }
    for (auto w = want.MemberBegin(), g = got.MemberBegin(); w != want.MemberEnd(); ++w, ++g) {
      std::string key = w->name.GetString();
      if (key != g->name.GetString()) {
        return fmt::format("{}: key {}, want {}", path, g->name.GetString(), key);
      }
      std::string difference = JsonDifference(w->value, g->value, path + "." + key);
      if (!difference.empty()) return difference;
    }
    return "";
  }
  if (want.IsArray()) {
    if (want.Size() != got.Size()) return path + ": lengths differ";
    for (rapidjson::SizeType i = 0; i < want.Size(); ++i) {
      std::string difference = JsonDifference(want[i], got[i], fmt::format("{}[{}]", path, i));
      if (!difference.empty()) return difference;
    }
    return "";
  }
  if (want.IsString() && std::string_view(want.GetString()) != got.GetString()) {
    return fmt::format("{}: \"{}\", want \"{}\"", path, got.GetString(), want.GetString());
  }
  if (!want.IsString() && want != got) return path + ": values differ";
  return "";
}

std::vector<std::string> BlockKitProblems(const rapidjson::Value& body) {
  std::vector<std::string> problems;
  if (!body.IsObject()) return {"not an object"};
  static const std::set<std::string_view> kKeys = {
      "text",       "blocks",   "attachments", "channel",   "username",
      "icon_emoji", "icon_url", "link_names",  "thread_ts", "mrkdwn"};
  for (auto m = body.MemberBegin(); m != body.MemberEnd(); ++m) {
    if (!kKeys.contains(m->name.GetString())) {
      problems.push_back(fmt::format("unknown key {}", m->name.GetString()));
    }
  }
  if (!body.HasMember("text") || !body["text"].IsString() || Runes(body["text"].GetString()) == 0 ||
      Runes(body["text"].GetString()) > 40000) {
    problems.push_back("no fallback text of 1 to 40,000 characters");
  }
  if (body.HasMember("blocks")) CheckBlocks(body["blocks"], "blocks", &problems);
  if (body.HasMember("attachments")) {
    const rapidjson::Value& attachments = body["attachments"];
    for (rapidjson::SizeType i = 0; i < attachments.Size(); ++i) {
      if (attachments[i].HasMember("blocks")) {
        CheckBlocks(attachments[i]["blocks"], fmt::format("attachments[{}].blocks", i), &problems);
      }
    }
  }
  return problems;
}

GroupNotification InstanceDownGroup() {
  GroupNotification group{
      .receiver = "slack-notifications",
      .group_key = R"({}:{alertname="InstanceDown"})",
      .group_labels = {{"alertname", "InstanceDown"}},
      .now_ms = kFixtureStartMs + 10 * 60 * 1000,
  };
  for (std::string_view instance : {"10.0.0.1:9100", "10.0.0.2:9100"}) {
    group.alerts.push_back(model::Alert{
        .labels = {{"alertname", "InstanceDown"},
                   {"instance", instance},
                   {"job", "node"},
                   {"severity", "page"}},
        .annotations = {{"description",
                         fmt::format("{} of job node has been down for more than 5 minutes.",
                                     instance)},
                        {"summary", fmt::format("Instance {} down", instance)}},
        .starts_at_ms = kFixtureStartMs,
        .ends_at_ms = kFixtureStartMs + 15 * 60 * 1000,  // Kept alive by its sender.
        .generator_url = "http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1",
    });
  }
  return group;
}

}  // namespace argus::notify::testing
