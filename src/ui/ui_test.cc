#include "ui/ui.h"

#include <gtest/gtest.h>

#include <string>

namespace argus::ui {
namespace {

constexpr EmbeddedFile kFiles[] = {
    {"index.html", "<!doctype html><title>Argus</title>"},
    {"assets/main-ABC123.js", "console.log(1)"},
    {"assets/main-ABC123.css", "body{}"},
};

class UiTest : public ::testing::Test {
 protected:
  UiTest() {
    router_.Handle("GET", "/api/v1/query",
                   [](const http::Request&, http::Response* r) { r->body = "api"; });
    AddRoutes(kFiles, &router_);
  }

  http::Response Get(std::string path, std::string method = "GET",
                     std::map<std::string, std::string> headers = {}) {
    http::Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.headers = std::move(headers);
    bool allowed = true;
    const http::Handler* handler = router_.Find(req.method, req.path, &allowed);
    http::Response r;
    if (handler == nullptr) {
      r.status = allowed ? 404 : 405;
      r.body = "(no handler)";
      return r;
    }
    (*handler)(req, &r);
    return r;
  }

  http::Router router_;
};

TEST_F(UiTest, ServesEachFileWithItsTypeAndCaching) {
  struct Case {
    std::string path;
    std::string body;
    std::string content_type;
    std::string cache_control;
  };
  const Case cases[] = {
      {"/", "<!doctype html><title>Argus</title>", "text/html; charset=utf-8", "no-cache"},
      {"/index.html", "<!doctype html><title>Argus</title>", "text/html; charset=utf-8",
       "no-cache"},
      {"/assets/main-ABC123.js", "console.log(1)", "text/javascript; charset=utf-8",
       "public, max-age=31536000, immutable"},
      {"/assets/main-ABC123.css", "body{}", "text/css; charset=utf-8",
       "public, max-age=31536000, immutable"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    http::Response r = Get(c.path);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, c.body);
    EXPECT_EQ(r.content_type, c.content_type);
    EXPECT_EQ(r.headers["Cache-Control"], c.cache_control);
    EXPECT_EQ(r.headers["Vary"], "Accept-Encoding");
  }
}

TEST_F(UiTest, UnknownUiPathsGetIndexHtmlOthersKeepTheir404) {
  for (std::string path : {"/explore", "/explore/deeper", "/targets", "/apis", "/metricsx/"}) {
    SCOPED_TRACE(path);
    http::Response r = Get(path);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "<!doctype html><title>Argus</title>");
    EXPECT_EQ(r.headers["Cache-Control"], "no-cache");
  }
  for (std::string path : {"/api", "/api/v2/nothing", "/-/nothing", "/metrics/x", "/federate/x",
                           "/assets/main-OLD.js", "/-"}) {
    SCOPED_TRACE(path);
    http::Response r = Get(path);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, "Not Found\n");
  }
}

TEST_F(UiTest, OtherRoutesStayTheirs) {
  EXPECT_EQ(Get("/api/v1/query").body, "api");
  EXPECT_EQ(Get("/api/v1/query", "DELETE").status, 405);  // The route's method check, not ours.
}

TEST_F(UiTest, OnlyGetAndHeadAreServed) {
  EXPECT_EQ(Get("/explore", "HEAD").status, 200);
  EXPECT_EQ(Get("/explore", "POST").status, 405);
  EXPECT_EQ(Get("/index.html", "DELETE").status, 405);
}

TEST_F(UiTest, AMatchingETagGets304WithoutABody) {
  http::Response first = Get("/assets/main-ABC123.js");
  std::string etag = first.headers["ETag"];
  ASSERT_EQ(etag.size(), 18u);  // 16 hexadecimal digits, quoted.
  EXPECT_NE(Get("/assets/main-ABC123.css").headers["ETag"], etag);

  http::Response again = Get("/assets/main-ABC123.js", "GET", {{"if-none-match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.headers["ETag"], etag);

  http::Response stale = Get("/assets/main-ABC123.js", "GET", {{"if-none-match", "\"0\""}});
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.body, "console.log(1)");
}

TEST(UiNoIndexTest, WithoutAnIndexUnknownPathsAre404) {
  http::Router router;
  AddRoutes({}, &router);
  bool allowed = true;
  const http::Handler* handler = router.Find("GET", "/explore", &allowed);
  ASSERT_NE(handler, nullptr);
  http::Request req;
  req.method = "GET";
  req.path = "/explore";
  http::Response r;
  (*handler)(req, &r);
  EXPECT_EQ(r.status, 404);
}

TEST(EmbeddedUiTest, HasAnIndexThatLoadsItsHashedBundles) {
  bool index = false;
  int bundles = 0;
  for (const EmbeddedFile& f : EmbeddedUi()) {
    if (f.name == "index.html") {
      index = true;
      EXPECT_NE(f.content.find("/assets/main-"), std::string_view::npos) << f.content;
    }
    if (f.name.starts_with("assets/main-")) ++bundles;
  }
  EXPECT_TRUE(index);
  EXPECT_EQ(bundles, 2);  // The script and its style sheet.
}

}  // namespace
}  // namespace argus::ui
