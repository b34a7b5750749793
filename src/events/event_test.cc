#include "events/event.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace argus::events {
namespace {

using ::testing::HasSubstr;

Event Deploy() {
  return {1'700'000'000'000,
          "deploy",
          {{"service", "api"}, {"version", "1.4.2"}},
          "rolled out",
          "https://ci.example.com/runs/1"};
}

TEST(EventTest, KindsAreLowerCaseIdentifiers) {
  for (std::string_view kind :
       {"deploy", "oom_kill", "probe_failed", "rollout_failed", "a", "x9"}) {
    EXPECT_TRUE(IsValidKind(kind)) << kind;
  }
  for (std::string_view kind :
       {"", "Deploy", "9lives", "_deploy", "oom-kill", "probe failed", "déploiement"}) {
    EXPECT_FALSE(IsValidKind(kind)) << kind;
  }
  EXPECT_TRUE(IsValidKind(std::string(kMaxKindBytes, 'k')));
  EXPECT_FALSE(IsValidKind(std::string(kMaxKindBytes + 1, 'k')));
}

TEST(EventTest, ValidateAcceptsACompleteEventAndTheBareMinimum) {
  EXPECT_TRUE(Validate(Deploy()).ok());
  EXPECT_TRUE(Validate(Event{0, "restart", {}, "", ""}).ok());
}

TEST(EventTest, ValidateNamesTheFieldThatIsWrong) {
  struct Case {
    std::string name;
    std::function<void(Event&)> change;
    std::string error;
  };
  const Case cases[] = {
      {"no kind", [](Event& e) { e.kind.clear(); }, "kind is missing"},
      {"bad kind", [](Event& e) { e.kind = "Deploy!"; },
       "kind \"Deploy!\" is not valid: use up to 64 lower-case letters, digits and '_', starting "
       "with a letter"},
      {"bad label name",
       [](Event& e) {
         e.labels = model::Labels{{"1service", "api"}};
       },
       "label name \"1service\" is not valid"},
      {"reserved label name",
       [](Event& e) {
         e.labels = model::Labels{{"__name__", "x"}};
       },
       "label name \"__name__\" is reserved"},
      {"long text", [](Event& e) { e.text.assign(kMaxTextBytes + 1, 'x'); },
       "text is 16385 bytes long, more than the 16384 allowed"},
      {"long link", [](Event& e) { e.link = "https://x/" + std::string(kMaxLinkBytes, 'x'); },
       "link is 2058 bytes long, more than the 2048 allowed"},
      {"relative link", [](Event& e) { e.link = "/runs/1"; },
       "link \"/runs/1\" is not an absolute http or https URL"},
      {"other scheme", [](Event& e) { e.link = "ftp://ci/runs/1"; }, "not an absolute http"},
      {"no host", [](Event& e) { e.link = "https://"; }, "not an absolute http"},
      {"space in link", [](Event& e) { e.link = "https://ci/run 1"; }, "not an absolute http"},
  };
  for (const Case& c : cases) {
    Event e = Deploy();
    c.change(e);
    Status s = Validate(e);
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << c.name;
    EXPECT_THAT(s.message(), HasSubstr(c.error)) << c.name;
  }
}

}  // namespace
}  // namespace argus::events
