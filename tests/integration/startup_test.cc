// The argus binary's start: what it says it is, how it reports bad flags, and that every line it
// logs is valid logfmt (or JSON with --log.format=json).

#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>

#include <regex>
#include <sstream>

#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

std::string Binary() { return std::getenv("ARGUS_BINARY"); }

struct Outcome {
  int code;
  std::string out;
};

Outcome RunProgram(const TempDir& dir, std::vector<std::string> argv) {
  auto p = ChildProcess::Start(argv, dir.path() / "run.log");
  EXPECT_TRUE(p.has_value());
  auto code = p->Wait(seconds(30));
  return {code.value_or(-1), p->Log()};
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Parses one logfmt line strictly: key=value pairs separated by one space; a key is printable
// ASCII without '=', '"' or spaces; a value is bare (no space, '=', '"', '\' or control
// character) or quoted with only \" \\ \n \r \t \uXXXX escapes. Returns the pairs, or an error.
bool ParseLogfmt(const std::string& line, std::vector<std::pair<std::string, std::string>>* pairs,
                 std::string* error) {
  size_t i = 0;
  auto fail = [&](const std::string& why) {
    *error = why + " at byte " + std::to_string(i);
    return false;
  };
  while (i < line.size()) {
    if (!pairs->empty()) {
      if (line[i] != ' ') return fail("expected one space between pairs");
      ++i;
    }
    size_t key_start = i;
    while (i < line.size() && line[i] > ' ' && line[i] < 0x7f && line[i] != '=' && line[i] != '"')
      ++i;
    if (i == key_start) return fail("empty or invalid key");
    std::string key = line.substr(key_start, i - key_start);
    if (i >= line.size() || line[i] != '=') return fail("expected '=' after key " + key);
    ++i;
    std::string value;
    if (i < line.size() && line[i] == '"') {
      ++i;
      for (;;) {
        if (i >= line.size()) return fail("unterminated quoted value of " + key);
        char c = line[i++];
        if (c == '"') break;
        if (static_cast<unsigned char>(c) < 0x20) return fail("raw control character in " + key);
        if (c != '\\') {
          value += c;
          continue;
        }
        if (i >= line.size()) return fail("dangling escape in " + key);
        char e = line[i++];
        if (e == 'u') {
          if (i + 4 > line.size() || !std::all_of(line.begin() + i, line.begin() + i + 4,
                                                  [](char h) { return std::isxdigit(h); }))
            return fail("bad \\u escape in " + key);
          i += 4;
          value += '?';
        } else if (std::string("\"\\nrt").find(e) != std::string::npos) {
          value += e;
        } else {
          return fail(std::string("unknown escape \\") + e + " in " + key);
        }
      }
    } else {
      while (i < line.size() && line[i] != ' ') {
        char c = line[i];
        if (c == '=' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
          return fail("unquoted value of " + key + " holds '" + c + "'");
        value += c;
        ++i;
      }
    }
    pairs->emplace_back(key, value);
  }
  return true;
}

// Starts argus with `flags` on a free port, gives it things to log (a target that refuses
// connections, a configuration that fails to reload, a good reload), stops it, and returns every
// line it wrote.
std::vector<std::string> LinesOfARun(const TempDir& dir, std::vector<std::string> flags) {
  uint16_t port = FreePort();
  uint16_t nobody = FreePort();
  std::string good =
      "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: 'nobody \"home\"'\n"
      "    static_configs:\n      - targets: ['127.0.0.1:" +
      std::to_string(nobody) + "']\n";
  auto config = dir.Write("argus.yml", good);
  auto server = StartArgus(dir, config, port, flags);
  EXPECT_TRUE(server.has_value());
  if (!server) return {};
  EXPECT_TRUE(WaitFor([&] { return HttpGet(port, "/-/ready").status == 200; }, seconds(30)))
      << server->Log();
  dir.Write("argus.yml", "scrape_configs:\n  - job_name: a\n    scrape_interval: \"5 x\"\n");
  EXPECT_EQ(HttpPost(port, "/-/reload", "").status, 500);
  dir.Write("argus.yml", good);
  EXPECT_EQ(HttpPost(port, "/-/reload", "").status, 200);
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(seconds(30)), 0) << server->Log();
  return Lines(server->Log());
}

TEST(StartupTest, EveryLineOfARunIsStrictLogfmt) {
  TempDir dir;
  auto lines = LinesOfARun(dir, {"--log.level=debug"});
  ASSERT_GT(lines.size(), 5u);
  bool reload_error = false;
  for (const std::string& line : lines) {
    std::vector<std::pair<std::string, std::string>> pairs;
    std::string error;
    ASSERT_TRUE(ParseLogfmt(line, &pairs, &error)) << error << "\n" << line;
    ASSERT_GE(pairs.size(), 3u) << line;
    EXPECT_EQ(pairs[0].first, "ts") << line;
    EXPECT_EQ(pairs[1].first, "level") << line;
    EXPECT_EQ(pairs[2].first, "msg") << line;
    EXPECT_TRUE(
        std::regex_match(pairs[0].second, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << line;
    for (const auto& [key, value] : pairs) {
      EXPECT_EQ(value.find("9223372036854775807"), std::string::npos) << line;
    }
    if (line.find("Error reloading config") != std::string::npos) reload_error = true;
  }
  EXPECT_TRUE(reload_error) << "the failed reload was not logged";
  // The first line says what runs and with which flags.
  EXPECT_NE(lines[0].find("msg=\"Starting Argus\""), std::string::npos) << lines[0];
  for (const char* field : {" version=", " revision=", " build_date=", " log.level=debug",
                            " web.listen-address=127.0.0.1:"}) {
    EXPECT_NE(lines[0].find(field), std::string::npos) << field << "\n" << lines[0];
  }
}

TEST(StartupTest, EveryLineOfARunIsAJsonObjectWithJsonFormat) {
  TempDir dir;
  auto lines = LinesOfARun(dir, {"--log.format=json", "--log.level=warning"});
  ASSERT_FALSE(lines.empty());
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    simdjson::dom::object object;
    ASSERT_EQ(parser.parse(line).get(object), simdjson::SUCCESS) << line;
    std::string_view level;
    ASSERT_EQ(object["level"].get(level), simdjson::SUCCESS) << line;
    // --log.level=warning keeps info and debug out.
    EXPECT_TRUE(level == "warn" || level == "error") << line;
    std::string_view msg;
    EXPECT_EQ(object["msg"].get(msg), simdjson::SUCCESS) << line;
  }
}

TEST(StartupTest, VersionIsLaidOutAsPrometheus) {
  TempDir dir;
  Outcome argus = RunProgram(dir, {Binary(), "--version"});
  ASSERT_EQ(argus.code, 0) << argus.out;
  Outcome prometheus = RunProgram(dir, {"prometheus", "--version"});
  ASSERT_EQ(prometheus.code, 0) << prometheus.out;
  auto ours = Lines(argus.out), theirs = Lines(prometheus.out);
  ASSERT_EQ(ours.size(), theirs.size()) << argus.out << "\n" << prometheus.out;
  std::regex first(R"((\w+), version (\S+) \(branch: (\S+), revision: (\S+)\))");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(theirs[0], first)) << theirs[0];
  ASSERT_TRUE(std::regex_match(ours[0], m, first)) << ours[0];
  EXPECT_EQ(m[1], "argus");
  EXPECT_NE(m[4], "") << ours[0];
  // The same labels in the same columns, the toolchain's name aside.
  for (size_t i = 1; i < ours.size(); ++i) {
    size_t column = theirs[i].find_first_not_of(' ', theirs[i].find(':') + 1);
    EXPECT_EQ(ours[i].find_first_not_of(' ', ours[i].find(':') + 1), column) << ours[i];
    if (theirs[i].find("go version") == std::string::npos) {
      EXPECT_EQ(ours[i].substr(0, column), theirs[i].substr(0, column));
    }
    EXPECT_GT(ours[i].size(), column) << "empty: " << ours[i];
  }
  // The API says the same.
  uint16_t port = FreePort();
  auto server = StartArgus(dir, dir.Write("a.yml", ""), port);
  ASSERT_TRUE(server.has_value());
  ASSERT_TRUE(BecomesReady(*server, port));
  auto info = HttpGet(port, "/api/v1/status/buildinfo");
  EXPECT_NE(info.body.find("\"revision\":\"" + m[4].str() + "\""), std::string::npos) << info.body;
  EXPECT_NE(info.body.find("\"branch\":\"" + m[3].str() + "\""), std::string::npos) << info.body;
  EXPECT_EQ(info.body.find("\"buildDate\":\"\""), std::string::npos) << info.body;
}

TEST(StartupTest, BadFlagsFailAtOnceInTheSameWords) {
  TempDir dir;
  auto data = dir.path() / "data";
  const std::string prefix = "Error parsing command line arguments: ";
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {{"--web.listen-address=localhost"}, "--web.listen-address: "},
           {{"--web.listen-address=127.0.0.1:no-such-port"}, "--web.listen-address: "},
           {{"--log.level=verbose"}, "--log.level: \"verbose\""},
           {{"--log.format=text"}, "--log.format: \"text\""},
           {{"--query.timeout=soon"}, "--query.timeout: "},
           {{"--web.external-url=example"}, "--web.external-url: "},
           {{"--storage.tsdb.retention.time=1x"}, "--storage.tsdb.retention.time"},
           {{"--no-such-flag"}, "--no-such-flag"},
           {{"--log.level=info", "--log.level=debug"},
            "flag --log.level given 2 times; it takes one value"},
       }) {
    std::vector<std::string> argv = {Binary(), "--storage.tsdb.path=" + data.string()};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    Outcome run = RunProgram(dir, argv);
    EXPECT_EQ(run.code, 2) << c.args[0] << "\n" << run.out;
    EXPECT_NE(run.out.find(prefix), std::string::npos) << run.out;
    EXPECT_NE(run.out.find(c.says), std::string::npos) << c.says << "\n" << run.out;
    // Nothing was opened: the data directory was not even made.
    EXPECT_FALSE(std::filesystem::exists(data)) << c.args[0];
  }
}

}  // namespace
}  // namespace argus::testing
