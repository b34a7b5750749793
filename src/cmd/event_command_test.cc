#include "cmd/event_command.h"

#include <gtest/gtest.h>

namespace argus::cmd {
namespace {

TEST(EventCommandTest, TheDeployIsAJsonEventPostedToTheEventsEndpoint) {
  DeployEventFlags flags{"http://argus:9090/", "api", "1.4.2", "by \"ci\"", "https://ci/runs/7"};
  auto request = DeployEventRequest(flags);
  ASSERT_TRUE(request.ok()) << request.status().message();
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->url, "http://argus:9090/api/v1/events");
  EXPECT_EQ(request->headers.at("Content-Type"), "application/json");
  EXPECT_EQ(request->body, R"({"kind":"deploy","labels":{"service":"api","version":"1.4.2"},)"
                           R"("text":"by \"ci\"","link":"https://ci/runs/7"})");

  // Behind a path prefix; without text or link.
  auto prefixed = DeployEventRequest({"https://example.com/argus", "web", "2", "", ""});
  ASSERT_TRUE(prefixed.ok());
  EXPECT_EQ(prefixed->url, "https://example.com/argus/api/v1/events");
  EXPECT_EQ(prefixed->body, R"({"kind":"deploy","labels":{"service":"web","version":"2"}})");
}

TEST(EventCommandTest, AUrlThatIsNotHttpIsAFlagError) {
  for (const char* url : {"", "argus:9090", "ftp://argus/"}) {
    auto request = DeployEventRequest({url, "api", "1", "", ""});
    EXPECT_EQ(request.status().code(), Status::Code::kInvalidInput) << url;
    EXPECT_EQ(request.status().message(),
              fmt::format("--url: \"{}\" is not an absolute http or https URL", url));
  }
}

TEST(EventCommandTest, FailuresSayWhatTheServerAnsweredOrWhyItWasNotReached) {
  auto answered = [](int status, std::string body) {
    http::ClientResponse r;
    r.status = status;
    r.body = std::move(body);
    return CheckEventResponse(Result<http::ClientResponse>(r));
  };
  EXPECT_TRUE(answered(200, R"({"status":"success","data":{}})").ok());
  EXPECT_EQ(answered(400, R"({"status":"error","errorType":"bad_data","error":"invalid event: )"
                          R"(label name \"1x\" is not valid"})")
                .message(),
            "the server answered 400: invalid event: label name \"1x\" is not valid");
  EXPECT_EQ(answered(404, "Not Found\nmore\n").message(), "the server answered 404: Not Found");
  EXPECT_EQ(answered(502, "").message(), "the server answered 502: ");
  Status refused = CheckEventResponse(Result<http::ClientResponse>(
      Status::Error("connect 127.0.0.1:1: Connection refused", Status::Code::kIOError)));
  EXPECT_EQ(refused.message(), "cannot reach the server: connect 127.0.0.1:1: Connection refused");
}

}  // namespace
}  // namespace argus::cmd
