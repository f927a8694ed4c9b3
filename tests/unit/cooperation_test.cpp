#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "test_database.hpp"
#include "cooperation/cooperation.hpp"
#include "storage/storage.hpp"

namespace ik::cooperation {
namespace {

class CooperationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("ik-coop-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    auto opened = storage::open({.url = "sqlite:" + path_.string()});
    ASSERT_TRUE(opened);
    storage_ = std::move(*opened);
    ASSERT_TRUE(storage::migrate(*storage_, std::string(IK_SOURCE_DIR) + "/migrations"));
    auto seeded = seed(*storage_);
    ASSERT_TRUE(seeded);
    first_seed_ = *seeded;
  }
  void TearDown() override {
    storage_.reset();
    for (const auto* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  std::int64_t count(const std::string& table) {
    return ik::testing::query_integer(*storage_, "SELECT COUNT(*) FROM " + table);
  }

  std::filesystem::path path_;
  std::unique_ptr<storage::Storage> storage_;
  int first_seed_ = 0;
};

TEST_F(CooperationTest, SeedLoadsTheCooperationOnceAndKeepsEdits) {
  EXPECT_GT(first_seed_, 40);
  EXPECT_EQ(count("city"), 10);
  EXPECT_EQ(count("theme"), 5);
  EXPECT_EQ(count("action_goal"), 7);
  EXPECT_EQ(count("body"), 2);
  const auto audit_rows = count("audit_log");
  auto again = seed(*storage_);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(count("audit_log"), audit_rows);  // nothing happened, nothing recorded

  Cooperation cooperation(*storage_);
  auto hagen = cooperation.city("hagen");
  ASSERT_TRUE(hagen);
  hagen->memberships[0].source = "korrigiert";
  ASSERT_TRUE(cooperation.update_city("hagen", {.name = "Hagen", .memberships = hagen->memberships}, {.name = "test"}));
  ASSERT_TRUE(seed(*storage_));
  EXPECT_EQ(cooperation.city("hagen")->memberships[0].source, "korrigiert");
}

TEST_F(CooperationTest, MembershipCountsOnlyFullMembersInAYear) {
  Cooperation cooperation(*storage_);
  const auto bottrop = *cooperation.city("bottrop");
  EXPECT_FALSE(bottrop.member_in_year(2014));  // guest only
  EXPECT_TRUE(bottrop.member_in_year(2015));
  EXPECT_EQ(bottrop.current_status(), MembershipStatus::member);
  const auto hagen = *cooperation.city("hagen");
  EXPECT_FALSE(hagen.member_in_year(2022));
  EXPECT_TRUE(hagen.member_in_year(2023));
  // Known only as "by 9 July 2013": a member in 2013, not provably before.
  const auto herne = *cooperation.city("herne");
  EXPECT_TRUE(herne.member_in_year(2013));
  EXPECT_FALSE(herne.member_in_year(2012));
  const auto essen = *cooperation.city("essen");
  EXPECT_FALSE(essen.member_in_year(2009));
  EXPECT_TRUE(essen.member_in_year(2010));
}

TEST_F(CooperationTest, InvalidChangesNameTheFieldAndChangeNothing) {
  Cooperation cooperation(*storage_);
  const auto before = *cooperation.city("essen");
  auto memberships = before.memberships;
  memberships[0].until = parse_iso_date("2009");
  auto result = cooperation.update_city("essen", {.name = "Essen", .memberships = memberships}, {.name = "test"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().field, "mitgliedschaft_0_ende");
  EXPECT_EQ(result.error().message_key, "form.until_before_since");
  result = cooperation.update_city("essen", {.name = " ", .memberships = memberships}, {.name = "test"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().field, "name");
  result = cooperation.update_city("essen", {.name = "Essen", .ki_url = "javascript:alert(1)"}, {.name = "test"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().field, "ki_url");
  EXPECT_EQ(cooperation.city("essen")->memberships, before.memberships);
  EXPECT_EQ(cooperation.update_city("atlantis", {.name = "Atlantis"}, {.name = "test"}).error().code, ErrorCode::not_found);
}

// The Nth statement fails, for every N until the change goes through: each failure must leave
// the city, its history and the audit log exactly as before.
TEST_F(CooperationTest, AFailingUpdateLeavesAllOrNothing) {
  const auto before = *Cooperation(*storage_).city("herne");
  const auto audit_before = count("audit_log");
  CityChanges changes{.name = "Herne", .ki_name = "KI Herne", .ki_contact = "ki@herne.de",
                      .ki_url = "https://www.herne.de", .internal_note = "intern",
                      .memberships = {before.memberships[0], before.memberships[0]}};
  changes.memberships[1].status = MembershipStatus::guest;
  changes.memberships[1].since = *parse_iso_date("2012");
  bool succeeded = false;
  for (int fail_at = 1; fail_at < 50 && !succeeded; ++fail_at) {
    storage::FaultInjectingStorage failing(*storage_, fail_at);
    Cooperation cooperation(failing);
    succeeded = cooperation.update_city("herne", changes, {.name = "test"}).ok();
    const auto after = *Cooperation(*storage_).city("herne");
    if (succeeded) {
      EXPECT_EQ(after.ki_name, "KI Herne");
      EXPECT_EQ(after.memberships.size(), 2u);
      EXPECT_EQ(count("audit_log"), audit_before + 1);
    } else {
      EXPECT_EQ(after.ki_name, before.ki_name) << "fail_at " << fail_at;
      EXPECT_EQ(after.memberships, before.memberships) << "fail_at " << fail_at;
      EXPECT_EQ(count("audit_log"), audit_before) << "fail_at " << fail_at;
    }
  }
  EXPECT_TRUE(succeeded);
}

}  // namespace
}  // namespace ik::cooperation
