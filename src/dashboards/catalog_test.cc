#include "dashboards/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace argus::dashboards {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Catalog, EveryBuiltInDashboardChecks) {
  ASSERT_FALSE(EmbeddedDashboards().empty());
  for (const EmbeddedFile& file : EmbeddedDashboards()) {
    ParsedDashboard parsed = ParseDashboard(file.content, file.name);
    std::string errors;
    for (const FileError& e : parsed.errors) errors += e.ToString() + "\n";
    EXPECT_TRUE(parsed.dashboard.has_value()) << errors;
  }
  Catalog catalog = LoadCatalog({});
  EXPECT_THAT(catalog.errors(), IsEmpty());
  std::vector<std::string> uids;
  for (const CatalogEntry& entry : catalog.dashboards()) {
    EXPECT_EQ(entry.source, kBuiltInSource);
    uids.push_back(entry.dashboard.uid);
  }
  EXPECT_THAT(uids, ElementsAre("argus", "containers", "host"));
}

TEST(Catalog, LeavesOutRepeatedUidsAndBadFilesAndKeepsTheOthers) {
  Catalog catalog;
  catalog.Add("title: A\nuid: a\n", "one.yml", "one.yml");
  catalog.Add("title: B\nuid: a\n", "two.yml", "two.yml");
  catalog.Add("title: [\n", "three.yml", "three.yml");
  catalog.Add("title: C\n", "c.yml", "c.yml");
  ASSERT_EQ(catalog.dashboards().size(), 2u);
  EXPECT_EQ(catalog.Find("a")->dashboard.title, "A");
  EXPECT_EQ(catalog.Find("c")->source, "c.yml");
  EXPECT_EQ(catalog.Find("b"), nullptr);
  ASSERT_EQ(catalog.errors().size(), 2u);
  EXPECT_EQ(catalog.errors()[0].ToString(),
            "two.yml: uid: \"a\" is already the uid of one.yml dashboard \"A\"");
  EXPECT_EQ(catalog.errors()[1].file, "three.yml");
  EXPECT_EQ(catalog.errors()[1].line, 2);
}

TEST(LoadCatalog, ReportsAFileThatCannotBeRead) {
  Catalog catalog = LoadCatalog({"/nonexistent/d.yml"});
  ASSERT_EQ(catalog.errors().size(), 1u);
  EXPECT_EQ(catalog.errors()[0].ToString(),
            "/nonexistent/d.yml: cannot read: No such file or directory");
  EXPECT_EQ(catalog.dashboards().size(), 3u);
}

}  // namespace
}  // namespace argus::dashboards
