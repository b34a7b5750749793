#include "scrape/manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace argus::scrape {
namespace {

using ::testing::HasSubstr;

class ScrapeManagerCheckTest : public ::testing::Test {
 protected:
  ScrapeManagerCheckTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("argus-scrape-manager-" + std::to_string(getpid()))) {
    std::filesystem::create_directories(dir_);
    for (const char* name : {"ca.pem", "cert.pem", "key.pem"}) std::ofstream(dir_ / name) << "x\n";
  }
  ~ScrapeManagerCheckTest() override { std::filesystem::remove_all(dir_); }

  config::ScrapeConfig& AddJob(const std::string& name) {
    config_.scrape_configs.emplace_back().job_name = name;
    return config_.scrape_configs.back();
  }
  std::string File(const char* name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
  config::Config config_;
};

TEST_F(ScrapeManagerCheckTest, AcceptsJobsWithoutTlsFilesOrWithReadableOnes) {
  AddJob("plain");
  config::TlsConfig& tls = AddJob("tls").http_client.tls_config;
  tls.ca_file = File("ca.pem");
  tls.cert_file = File("cert.pem");
  tls.key_file = File("key.pem");
  EXPECT_TRUE(ScrapeManager::CheckConfig(config_).ok());
}

TEST_F(ScrapeManagerCheckTest, NamesTheJobTheKeyAndTheFileThatCannotBeRead) {
  AddJob("plain").http_client.tls_config.ca_file = File("ca.pem");
  config::TlsConfig& tls = AddJob("mtls").http_client.tls_config;
  tls.cert_file = File("cert.pem");
  tls.key_file = File("missing.pem");
  Status status = ScrapeManager::CheckConfig(config_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kIOError);
  EXPECT_THAT(status.message(), HasSubstr("job \"mtls\": tls_config: cannot read key_file \"" +
                                          File("missing.pem") + "\""));
}

}  // namespace
}  // namespace argus::scrape
