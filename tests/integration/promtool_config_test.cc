// Configuration files of real Prometheus setups, checked by Prometheus 2.42's promtool and by Argus
// (`argus check config` and a running server) on the same files: Argus accepts what promtool
// accepts, with a warning for each part it does not act on yet, and rejects what the server cannot
// use with Prometheus' message.

#include <gtest/gtest.h>
#include <signal.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <set>

#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kPromtool = "/usr/bin/promtool";

struct Outcome {
  int code = -1;
  std::string output;  // Standard output and error.
};

Outcome RunProcess(const TempDir& dir, const std::vector<std::string>& argv) {
  auto p = ChildProcess::Start(argv, dir.path() / "run.log");
  EXPECT_TRUE(p.has_value()) << argv[0];
  if (!p) return {};
  auto code = p->Wait(seconds(60));
  return {code.value_or(-1), p->Log()};
}

std::filesystem::path Emit(const TempDir& dir, const std::string& name, const YAML::Node& root) {
  YAML::Emitter out;
  out << root;
  return dir.Write(name, std::string(out.c_str()) + "\n");
}

// Makes every file `node` refers to (credentials, TLS files, rule files without a glob) exist in
// `dir`, moving absolute references there, since promtool checks that they exist and the server
// reads TLS files before it starts.
void MakeReferencedFiles(const TempDir& dir, YAML::Node node) {
  auto relocate = [&dir](YAML::Node value) {
    std::filesystem::path path = value.Scalar();
    if (!path.is_absolute()) return dir.path() / path;
    path = dir.path() / path.relative_path();
    value = path.string();
    return path;
  };
  auto create = [](const std::filesystem::path& path, const std::string& content) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << content;
  };
  if (node.IsSequence()) {
    for (YAML::Node item : node) MakeReferencedFiles(dir, item);
    return;
  }
  if (!node.IsMap()) return;
  for (auto entry : node) {
    std::string key = entry.first.Scalar();
    if (key.ends_with("_file") && entry.second.IsScalar() && key != "query_log_file") {
      create(relocate(entry.second), "secret\n");
    } else if (key == "rule_files") {
      for (YAML::Node rule_file : entry.second) {
        auto path = relocate(rule_file);
        if (rule_file.Scalar().find('*') == std::string::npos) create(path, "groups: []\n");
      }
    } else {
      MakeReferencedFiles(dir, entry.second);
    }
  }
}

// The service discovery kinds that promtool's build lacks, as it names them when it fails on
// nothing else ("line 38: field kubernetes_sd_configs not found in type config.ScrapeConfig");
// Debian's leaves out a few (Kubernetes among them) for want of their Go dependencies. Empty when
// promtool failed for another reason, or did not fail.
std::set<std::string> SdKindsPromtoolLacks(const std::string& output) {
  std::set<std::string> kinds;
  size_t pos = 0;
  while ((pos = output.find("\n  line ", pos)) != std::string::npos) {
    size_t end = output.find('\n', pos + 1);
    std::string line = output.substr(pos + 1, end == std::string::npos ? end : end - pos - 1);
    size_t field = line.find(": field ");
    size_t not_found = line.find("_sd_configs not found in type");
    if (field == std::string::npos || not_found == std::string::npos) return {};
    kinds.insert(line.substr(field + 8, not_found + 11 - field - 8));
    pos = end == std::string::npos ? output.size() : end;
  }
  return kinds;
}

void RemoveKeys(YAML::Node node, const std::set<std::string>& keys) {
  if (node.IsSequence()) {
    for (YAML::Node item : node) RemoveKeys(item, keys);
  } else if (node.IsMap()) {
    for (const std::string& key : keys) node.remove(key);
    for (auto entry : node) RemoveKeys(entry.second, keys);
  }
}

class PromtoolConfigTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kPromtool)) {
      GTEST_SKIP() << "promtool (Debian's prometheus package) is not installed";
    }
  }
  TempDir dir_;
};

// A testdata file passes promtool (with what its build cannot read taken out) and `argus check
// config`, which warns of the parts not acted on; a server starts with it, logs those warnings (and
// again on reload) and serves them with /api/v1/status/config.
TEST_P(PromtoolConfigTest, RealWorldFileIsAcceptedByBoth) {
  auto source =
      std::filesystem::path(std::getenv("ARGUS_SOURCE_DIR")) / "src/config/testdata" / GetParam();
  YAML::Node root = YAML::LoadFile(source.string());
  MakeReferencedFiles(dir_, root);
  auto config = Emit(dir_, "prometheus.yml", root);

  Outcome promtool = RunProcess(dir_, {kPromtool, "check", "config", config.string()});
  if (promtool.code != 0) {
    std::set<std::string> lacking = SdKindsPromtoolLacks(promtool.output);
    ASSERT_FALSE(lacking.empty()) << promtool.output;
    for (const std::string& kind : lacking) {
      std::printf("promtool's build cannot read %s; checking the rest of %s without it\n",
                  kind.c_str(), GetParam().c_str());
    }
    YAML::Node readable = YAML::Clone(root);
    RemoveKeys(readable, lacking);
    promtool = RunProcess(
        dir_, {kPromtool, "check", "config", Emit(dir_, "promtool.yml", readable).string()});
  }
  EXPECT_EQ(promtool.code, 0) << promtool.output;

  Outcome argus =
      RunProcess(dir_, {std::getenv("ARGUS_BINARY"), "check", "config", config.string()});
  EXPECT_EQ(argus.code, 0) << argus.output;
  EXPECT_NE(
      argus.output.find(" SUCCESS: " + config.string() + " is valid prometheus config file syntax"),
      std::string::npos)
      << argus.output;
  EXPECT_NE(argus.output.find("  WARNING: " + config.string() + ":"), std::string::npos)
      << argus.output;

  // The server runs the file without the targets it would scrape, which are not on this machine.
  YAML::Node no_targets = YAML::Clone(root);
  RemoveKeys(no_targets, {"static_configs", "file_sd_configs"});
  auto server_config = Emit(dir_, "server.yml", no_targets);
  uint16_t port = FreePort();
  auto server = StartArgus(dir_, server_config, port);
  ASSERT_TRUE(server.has_value());
  ASSERT_TRUE(BecomesReady(*server, port));
  std::string status = HttpGet(port, "/api/v1/status/config").body;
  EXPECT_NE(status.find("\"warnings\":[\"" + server_config.string() + ":"), std::string::npos)
      << status.substr(status.rfind("\"warnings\""));
  // Each warning is logged at start, and again on every reload.
  auto logged = [&server] {
    std::string log = server->Log();
    size_t n = 0;
    for (size_t at = 0; (at = log.find("does not act on it yet", at)) != std::string::npos; ++at) {
      ++n;
    }
    return n;
  };
  size_t at_start = logged();
  EXPECT_GT(at_start, 0u);
  EXPECT_EQ(HttpPost(port, "/-/reload", "").status, 200);
  EXPECT_EQ(logged(), 2 * at_start) << server->Log();
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(seconds(30)), 0) << server->Log();
}

INSTANTIATE_TEST_SUITE_P(Testdata, PromtoolConfigTest,
                         ::testing::Values("kubernetes.yml", "eks-container-insights.yml",
                                           "every-section.yml"),
                         [](const auto& info) {
                           std::string name = info.param.substr(0, info.param.find('.'));
                           std::erase(name, '-');
                           return name;
                         });

// A URL for a target address: promtool, `argus check config` and the server all refuse the file,
// Argus with Prometheus' words.
TEST(PromtoolAgreementTest, AUrlForATargetIsRejectedByAllThree) {
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << "promtool is not installed";
  TempDir dir;
  auto config = dir.Write("prometheus.yml",
                          "scrape_configs:\n  - job_name: self\n    static_configs:\n"
                          "      - targets: ['http://127.0.0.1:9090/metrics']\n");
  const std::string message = "\"http://127.0.0.1:9090/metrics\" is not a valid hostname";
  Outcome promtool = RunProcess(dir, {kPromtool, "check", "config", config.string()});
  EXPECT_EQ(promtool.code, 1);
  EXPECT_NE(promtool.output.find(message), std::string::npos) << promtool.output;
  Outcome check =
      RunProcess(dir, {std::getenv("ARGUS_BINARY"), "check", "config", config.string()});
  EXPECT_EQ(check.code, 1);
  EXPECT_NE(check.output.find("  FAILED: " + config.string() +
                              ":4:19: scrape_configs[0].static_configs[0].targets[0]: " + message),
            std::string::npos)
      << check.output;
  Outcome server =
      RunProcess(dir, {std::getenv("ARGUS_BINARY"), "--config.file=" + config.string(),
                       "--storage.tsdb.path=" + (dir.path() / "data").string(),
                       "--web.listen-address=127.0.0.1:" + std::to_string(FreePort())});
  EXPECT_EQ(server.code, 1);
  // The server's log holds the message as a logfmt value, its quotes escaped.
  const std::string logged = "\\\"http://127.0.0.1:9090/metrics\\\" is not a valid hostname";
  EXPECT_NE(server.output.find(logged), std::string::npos) << server.output;
}

// Targets in file_sd files, which parsing cannot see: promtool and `argus check config` both read
// the files that exist and refuse a URL for an address in them; a missing file is only a warning.
TEST(PromtoolAgreementTest, FileSdTargetsAreCheckedWhereTheFilesExist) {
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << "promtool is not installed";
  TempDir dir;
  auto config = dir.Write("prometheus.yml",
                          "scrape_configs:\n  - job_name: files\n    file_sd_configs:\n"
                          "      - files: [targets/*.yml]\n");
  const std::vector<std::string> promtool = {kPromtool, "check", "config", config.string()};
  const std::vector<std::string> argus = {std::getenv("ARGUS_BINARY"), "check", "config",
                                          config.string()};
  const std::string missing = "  WARNING: file \"" + (dir.path() / "targets/*.yml").string() +
                              "\" for file_sd in scrape job \"files\" does not exist\n";
  for (const auto& argv : {promtool, argus}) {
    Outcome outcome = RunProcess(dir, argv);
    EXPECT_EQ(outcome.code, 0) << argv[0] << ": " << outcome.output;
    EXPECT_NE(outcome.output.find(missing), std::string::npos) << argv[0] << ": " << outcome.output;
  }
  std::filesystem::create_directories(dir.path() / "targets");
  dir.Write("targets/a.yml", "- targets: ['127.0.0.1:9100', 'http://127.0.0.1:9100/metrics']\n");
  const std::string message = "\"http://127.0.0.1:9100/metrics\" is not a valid hostname";
  for (const auto& argv : {promtool, argus}) {
    Outcome outcome = RunProcess(dir, argv);
    EXPECT_EQ(outcome.code, 1) << argv[0] << ": " << outcome.output;
    EXPECT_NE(outcome.output.find(message), std::string::npos) << argv[0] << ": " << outcome.output;
  }
}

// promtool stops at the first error; `argus check config` lists them all, and exits as promtool.
TEST(PromtoolAgreementTest, CheckConfigListsEveryError) {
  TempDir dir;
  auto config = dir.Write("prometheus.yml",
                          "global:\n  scrape_intervl: 15s\nremote_write:\n  - url: http://w\n"
                          "    queue_config: {max_shard: 1}\n");
  Outcome check =
      RunProcess(dir, {std::getenv("ARGUS_BINARY"), "check", "config", config.string()});
  EXPECT_EQ(check.code, 1);
  EXPECT_NE(
      check.output.find("  FAILED:\n    " + config.string() +
                        ":2:3: global.scrape_intervl: unknown field \"scrape_intervl\"\n    " +
                        config.string() +
                        ":5:20: remote_write[0].queue_config.max_shard: unknown field "
                        "\"max_shard\"\n"),
      std::string::npos)
      << check.output;
  if (std::filesystem::exists(kPromtool)) {
    EXPECT_EQ(RunProcess(dir, {kPromtool, "check", "config", config.string()}).code, 1);
  }
  Outcome missing = RunProcess(
      dir, {std::getenv("ARGUS_BINARY"), "check", "config", (dir.path() / "nope.yml").string()});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.output.find("No such file or directory"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace argus::testing
