#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "auth/internal.hpp"
#include "auth/roles.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "storage/storage.hpp"
#include "test_database.hpp"

namespace ik::auth {
namespace {

constexpr std::int64_t kStart = 1'790'000'000;
constexpr std::string_view kPassword = "richtig-langes-Passwort";
constexpr std::string_view kOtherPassword = "ein-ganz-anderes-Passwort";

// The changeable part of a user, as update_user takes it.
NewUser profile(std::string display_name, std::vector<RoleGrant> grants = {}) {
  return {.username = "", .display_name = std::move(display_name), .email = "",
          .grants = std::move(grants), .password = std::nullopt};
}

using ik::testing::postgres_url;
using ik::testing::ScratchDatabase;

// Every service test runs on SQLite (a temporary file) and, when IK_TEST_POSTGRES_URL names a
// server (scripts/with-postgres.sh), on PostgreSQL in a schema of its own.
class AuthTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == storage::Backend::postgres && postgres_url() == nullptr)
      GTEST_SKIP() << "IK_TEST_POSTGRES_URL is not set";
    auto database = ScratchDatabase::create(GetParam(), "auth");
    ASSERT_TRUE(database) << database.error().detail;
    database_ = std::move(*database);
    storage_ = &database_->storage();
    bochum_ = insert_city("bochum", "Bochum");
    dortmund_ = insert_city("dortmund", "Dortmund");
    service_ = std::make_unique<AuthService>(*storage_, clock_, sessions_, throttle_);
  }

  void TearDown() override {
    service_.reset();
    database_.reset();
  }

  CityId insert_city(const std::string& slug, const std::string& name) {
    std::int64_t id = 0;
    auto status = storage_->write([&](storage::Transaction& transaction) -> Status {
      auto row = transaction.query_one("INSERT INTO city (slug, name) VALUES ($1, $2) RETURNING id",
                                       {slug, name});
      if (!row) return row.take_error();
      id = (*row)->integer(0);
      return {};
    });
    EXPECT_TRUE(status.ok());
    return id;
  }

  storage::Rows rows(std::string_view sql, const storage::Params& params = {}) {
    storage::Rows result;
    auto status = storage_->read([&](storage::Transaction& transaction) -> Status {
      auto found = transaction.query(sql, params);
      if (!found) return found.take_error();
      result = std::move(found).value();
      return {};
    });
    EXPECT_TRUE(status.ok()) << status.error().detail;
    return result;
  }

  std::int64_t count(std::string_view table) {
    return rows("SELECT COUNT(*) FROM " + std::string(table))[0].integer(0);
  }

  // Newest first. Read directly rather than through audit::list, so these tests check what
  // auth wrote and nothing else.
  std::vector<audit::Entry> audit_entries(const std::string& action_prefix) {
    std::vector<audit::Entry> entries;
    for (const auto& row : rows(R"sql(
          SELECT action, actor_user_id, actor_name, entity_id, before_json, after_json
          FROM audit_log
          WHERE substr(action, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT)
          ORDER BY id DESC)sql",
                                {action_prefix})) {
      audit::Entry entry;
      entry.action = row.text(0);
      entry.actor_user_id = row.optional_integer(1);
      entry.actor_name = row.text(2);
      entry.entity_id = row.text(3);
      entry.before_json = row.optional_text(4).value_or("");
      entry.after_json = row.optional_text(5).value_or("");
      entries.push_back(std::move(entry));
    }
    return entries;
  }

  std::int64_t create(const std::string& username, std::vector<RoleGrant> grants = {},
                      std::optional<std::string> password = std::string(kPassword)) {
    auto id = service_->create_user({.username = username,
                                     .display_name = "Name " + username,
                                     .email = username + "@example.org",
                                     .grants = std::move(grants),
                                     .password = std::move(password)},
                                    context_);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message_key);
    return id.ok() ? *id : 0;
  }

  bool any_admin() {
    auto exists = service_->any_admin_exists();
    return exists.ok() && *exists;
  }

  RequestContext from(const std::string& address) const {
    return {.client_address = address, .request_id = "test", .actor = nullptr};
  }

  std::unique_ptr<ScratchDatabase> database_;
  storage::Storage* storage_ = nullptr;
  ManualClock clock_{kStart};
  SessionPolicy sessions_{};
  ThrottlePolicy throttle_{};
  std::unique_ptr<AuthService> service_;
  RequestContext context_{.client_address = "192.0.2.1", .request_id = "test", .actor = nullptr};
  CityId bochum_ = 0;
  CityId dortmund_ = 0;
};

// --- passwords

TEST(PasswordTest, HashVerifiesOnlyTheRightPassword) {
  const auto hash = hash_password(kPassword);
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password(kPassword, hash));
  EXPECT_FALSE(verify_password(kOtherPassword, hash));
  EXPECT_FALSE(verify_password(kPassword, "not a hash"));
  EXPECT_NE(hash_password(kPassword), hash) << "every hash has its own salt";
}

TEST(PasswordTest, RulesNameTheFieldAndTheReason) {
  EXPECT_TRUE(check_password_rules("123456789012", "passwort").ok());
  EXPECT_TRUE(check_password_rules("ääääääääääää", "passwort").ok()) << "12 code points, 24 bytes";
  EXPECT_TRUE(check_password_rules(std::string(256, 'x'), "passwort").ok());

  const auto too_short = check_password_rules("12345678901", "passwort_neu");
  ASSERT_FALSE(too_short.ok());
  EXPECT_EQ(too_short.error().message_key, "auth.password_too_short");
  EXPECT_EQ(too_short.error().field, "passwort_neu");
  EXPECT_EQ(check_password_rules(std::string(257, 'x'), "passwort").error().message_key,
            "auth.password_too_long");
  EXPECT_EQ(check_password_rules(std::string(12, ' '), "passwort").error().message_key,
            "auth.password_blank");
  EXPECT_EQ(check_password_rules("abcdefghijk\xff", "passwort").error().message_key,
            "auth.password_invalid");
}

TEST(ThrottleDelayTest, DoublesAfterTheFreeFailuresUpToTheCap) {
  const ThrottlePolicy policy{};
  EXPECT_EQ(internal::block_delay(1, policy), 0);
  EXPECT_EQ(internal::block_delay(3, policy), 0);
  EXPECT_EQ(internal::block_delay(4, policy), 4);
  EXPECT_EQ(internal::block_delay(5, policy), 8);
  EXPECT_EQ(internal::block_delay(11, policy), 512);
  EXPECT_EQ(internal::block_delay(12, policy), 900);
  EXPECT_EQ(internal::block_delay(1'000'000, policy), 900);
}

// --- authorisation

constexpr CityId kBochum = 1;
constexpr CityId kDortmund = 2;

struct PermitCase {
  std::string who;
  std::optional<RoleGrant> grant;  // nullopt: anonymous visitor
  // Expected for a request about Bochum, about Dortmund, and without a city ('+' admits).
  std::string city_entry_or_approval;  // Access::city({city_entry, city_approval})
  std::string steering_for_city;       // Access::city({steering_group})
  std::string any_city_entry;          // Access::roles({city_entry})
  std::string signed_in;               // Access::signed_in()
};

TEST(AccessTest, PermitsTableForEveryRoleAndCity) {
  const std::vector<PermitCase> cases = {
      {"anonymous", std::nullopt, "---", "---", "---", "---"},
      {"city_entry Bochum", RoleGrant{Role::city_entry, kBochum}, "+--", "---", "+++", "+++"},
      {"city_approval Bochum", RoleGrant{Role::city_approval, kBochum}, "+--", "---", "---", "+++"},
      {"steering_group Bochum", RoleGrant{Role::steering_group, kBochum}, "---", "+--", "---", "+++"},
      {"steering_group cooperation", RoleGrant{Role::steering_group, std::nullopt}, "---", "---", "---", "+++"},
      {"project_group Bochum", RoleGrant{Role::project_group, kBochum}, "---", "---", "---", "+++"},
      {"project_group cooperation", RoleGrant{Role::project_group, std::nullopt}, "---", "---", "---", "+++"},
      {"office", RoleGrant{Role::office, std::nullopt}, "+++", "+++", "---", "+++"},
      {"admin", RoleGrant{Role::admin, std::nullopt}, "+++", "+++", "---", "+++"},
  };
  const std::vector<std::optional<CityId>> cities = {kBochum, kDortmund, std::nullopt};
  const auto city_access = Access::city({Role::city_entry, Role::city_approval});
  const auto steering_access = Access::city({Role::steering_group});
  const auto city_entry_access = Access::roles({Role::city_entry});
  const auto signed_in_access = Access::signed_in();
  for (const auto& test_case : cases) {
    Principal principal{.user_id = 1, .username = "x", .display_name = "X", .grants = {}};
    if (test_case.grant) principal.grants.push_back(*test_case.grant);
    const Principal* who = test_case.grant ? &principal : nullptr;
    for (std::size_t city_index = 0; city_index < cities.size(); ++city_index) {
      const auto city = cities[city_index];
      const auto where = test_case.who + " / city " + std::to_string(city_index);
      EXPECT_EQ(city_access.permits(who, city), test_case.city_entry_or_approval[city_index] == '+') << where;
      EXPECT_EQ(steering_access.permits(who, city), test_case.steering_for_city[city_index] == '+') << where;
      EXPECT_EQ(city_entry_access.permits(who, city), test_case.any_city_entry[city_index] == '+') << where;
      EXPECT_EQ(signed_in_access.permits(who, city), test_case.signed_in[city_index] == '+') << where;
      EXPECT_TRUE(Access::anyone().permits(who, city)) << where;
      EXPECT_FALSE(Access::roles({}).permits(who, city)) << where;
    }
  }
}

TEST(AccessTest, AnOfficeGrantTiedToACityDoesNotWidenAccess) {
  const Principal principal{.user_id = 1, .username = "x", .display_name = "X",
                           .grants = {{Role::office, kBochum}}};
  EXPECT_FALSE(principal.sees_all_cities());
  EXPECT_FALSE(Access::city({Role::city_entry}).permits(&principal, kDortmund));
}

TEST(AccessTest, PrincipalHelpers) {
  const Principal principal{.user_id = 1, .username = "x", .display_name = "X",
                           .grants = {{Role::city_entry, kDortmund}, {Role::city_approval, kBochum},
                                      {Role::city_entry, kBochum}, {Role::project_group, std::nullopt}}};
  EXPECT_TRUE(principal.has(Role::city_approval));
  EXPECT_FALSE(principal.has(Role::admin));
  EXPECT_TRUE(principal.has_for_city(Role::city_approval, kBochum));
  EXPECT_FALSE(principal.has_for_city(Role::city_approval, kDortmund));
  EXPECT_EQ(principal.own_cities(), (std::vector<CityId>{kBochum, kDortmund}));
}

TEST(RoleTest, NamesRoundTrip) {
  for (const auto role : all_roles()) EXPECT_EQ(parse_role(role_name(role)), role);
  EXPECT_EQ(all_roles().size(), 6u);
  EXPECT_EQ(parse_role("Admin"), std::nullopt);
  EXPECT_TRUE(is_city_role(Role::city_entry));
  EXPECT_FALSE(is_city_role(Role::steering_group));
}

// --- sign-in and sessions

TEST_P(AuthTest, SignInStartsAFreshSessionAndStoresOnlyItsHash) {
  const auto user_id = create("anna", {{Role::city_entry, bochum_}});
  auto first = service_->sign_in("Anna", kPassword, context_);
  ASSERT_TRUE(first.ok()) << first.error().message_key;
  auto second = service_->sign_in("anna", kPassword, context_);
  ASSERT_TRUE(second.ok());

  EXPECT_NE(first->id, second->id);
  EXPECT_TRUE(internal::is_lower_hex(first->id, 64));
  EXPECT_EQ(first->principal.user_id, user_id);
  EXPECT_EQ(first->principal.grants, (std::vector<RoleGrant>{{Role::city_entry, bochum_}}));
  EXPECT_EQ(rows("SELECT 1 FROM user_session WHERE id_hash = $1", {crypto::sha256_hex(first->id)}).size(), 1u);
  EXPECT_TRUE(rows("SELECT 1 FROM user_session WHERE id_hash = $1", {first->id}).empty());

  auto principal = service_->session(first->id);
  ASSERT_TRUE(principal.ok());
  ASSERT_TRUE(principal->has_value());
  EXPECT_EQ((*principal)->username, "anna");

  const auto signed_in = audit_entries("session.sign_in");
  ASSERT_EQ(signed_in.size(), 2u);
  EXPECT_EQ(signed_in[0].actor_name, "anna");
  EXPECT_EQ(signed_in[0].actor_user_id, user_id);
}

TEST_P(AuthTest, UnknownUserWrongPasswordInactiveAndPasswordlessFailAlike) {
  create("anna");
  create("bernd", {}, std::nullopt);
  const auto carla = create("carla");
  ASSERT_TRUE(service_->update_user(carla, profile("Carla"), false, context_).ok());

  const auto wrong = service_->sign_in("anna", kOtherPassword, from("192.0.2.10"));
  const auto unknown = service_->sign_in("niemand", kPassword, from("192.0.2.11"));
  const auto passwordless = service_->sign_in("bernd", kPassword, from("192.0.2.12"));
  const auto inactive = service_->sign_in("carla", kPassword, from("192.0.2.13"));
  for (const auto* failed : {&wrong, &unknown, &passwordless, &inactive}) {
    ASSERT_FALSE(failed->ok());
    EXPECT_EQ(failed->error().code, ErrorCode::invalid_input);
    EXPECT_EQ(failed->error().message_key, "auth.login_failed");
    EXPECT_EQ(failed->error().field, "benutzername");
    EXPECT_EQ(failed->error().detail, "");
  }
  EXPECT_EQ(count("user_session"), 0);
  EXPECT_TRUE(audit_entries("session.").empty()) << "failed sign-ins go to the log only";
  // The failures were committed although the sign-ins failed: both keys of each attempt count.
  EXPECT_EQ(rows("SELECT failures FROM login_throttle WHERE throttle_key = 'user:niemand'")[0].integer(0), 1);
  EXPECT_EQ(rows("SELECT failures FROM login_throttle WHERE throttle_key = 'addr:192.0.2.11'")[0].integer(0), 1);
}

TEST_P(AuthTest, ThrottledAccountRefusesEvenTheRightPasswordUntilTheBlockEnds) {
  create("anna");
  for (int attempt = 0; attempt < throttle_.free_failures + 1; ++attempt) {
    auto failed = service_->sign_in("anna", kOtherPassword, from("192.0.2.20"));
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().message_key, "auth.login_failed") << "attempt " << attempt;
  }
  // The fourth failure blocks for base * 2^1 = 4 s; another address does not help.
  auto throttled = service_->sign_in("anna", kPassword, from("192.0.2.21"));
  ASSERT_FALSE(throttled.ok());
  EXPECT_EQ(throttled.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(throttled.error().message_key, "auth.login_throttled");
  EXPECT_EQ(throttled.error().field, "benutzername");

  // A throttled attempt is not even checked, so it does not count either.
  ASSERT_FALSE(service_->sign_in("anna", kOtherPassword, from("192.0.2.21")).ok());
  EXPECT_EQ(rows("SELECT failures, blocked_until FROM login_throttle WHERE throttle_key = 'user:anna'")[0].integer(0), 4);
  EXPECT_EQ(rows("SELECT blocked_until FROM login_throttle WHERE throttle_key = 'user:anna'")[0].integer(0), kStart + 4);

  clock_.advance(3);
  EXPECT_EQ(service_->sign_in("anna", kPassword, from("192.0.2.21")).error().message_key,
            "auth.login_throttled");
  clock_.advance(1);
  auto signed_in = service_->sign_in("anna", kPassword, from("192.0.2.21"));
  ASSERT_TRUE(signed_in.ok()) << signed_in.error().message_key;
  EXPECT_TRUE(rows("SELECT 1 FROM login_throttle WHERE throttle_key = 'user:anna'").empty())
      << "a success clears the account's counter";
  EXPECT_EQ(rows("SELECT failures FROM login_throttle WHERE throttle_key = 'addr:192.0.2.20'")[0].integer(0), 4)
      << "but not the address's";
}

TEST_P(AuthTest, OneAddressGuessingManyNamesIsThrottled) {
  create("anna");
  for (const auto* name : {"bert", "carl", "dora", "emil"}) {
    EXPECT_EQ(service_->sign_in(name, kPassword, from("198.51.100.7")).error().message_key,
              "auth.login_failed");
  }
  EXPECT_EQ(service_->sign_in("anna", kPassword, from("198.51.100.7")).error().message_key,
            "auth.login_throttled");
  EXPECT_TRUE(service_->sign_in("anna", kPassword, from("198.51.100.8")).ok())
      << "the account itself has no failures";
}

TEST_P(AuthTest, SessionEndsAfterIdleTimeout) {
  create("anna");
  auto session = service_->sign_in("anna", kPassword, context_);
  ASSERT_TRUE(session.ok());

  clock_.advance(40 * 60);
  EXPECT_TRUE(service_->session(session->id)->has_value()) << "touches last_seen";
  clock_.advance(40 * 60);
  EXPECT_TRUE(service_->session(session->id)->has_value()) << "80 min old, 40 min idle";
  clock_.advance(sessions_.idle_timeout_seconds);
  EXPECT_FALSE(service_->session(session->id)->has_value());
  EXPECT_EQ(count("user_session"), 0) << "an expired session is deleted";
}

TEST_P(AuthTest, SessionEndsAtAbsoluteTimeoutDespiteActivity) {
  create("anna");
  auto session = service_->sign_in("anna", kPassword, context_);
  ASSERT_TRUE(session.ok());
  for (std::int64_t elapsed = 0; elapsed + 30 * 60 < sessions_.absolute_timeout_seconds;
       elapsed += 30 * 60) {
    clock_.advance(30 * 60);
    ASSERT_TRUE(service_->session(session->id)->has_value()) << "after " << elapsed;
  }
  clock_.advance(30 * 60);
  EXPECT_FALSE(service_->session(session->id)->has_value());
}

TEST_P(AuthTest, MalformedOrUnknownSessionIdsFindNothing) {
  for (const std::string& id : std::vector<std::string>{"", "abc", std::string(64, 'g'),
                                                       std::string(64, 'A'), crypto::random_token(32)}) {
    auto found = service_->session(id);
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(found->has_value()) << id;
  }
}

TEST_P(AuthTest, SignOutEndsTheSession) {
  const auto user_id = create("anna");
  auto session = service_->sign_in("anna", kPassword, context_);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(service_->sign_out(session->id, context_).ok());
  EXPECT_FALSE(service_->session(session->id)->has_value());
  EXPECT_EQ(count("user_session"), 0);
  const auto signed_out = audit_entries("session.sign_out");
  ASSERT_EQ(signed_out.size(), 1u);
  EXPECT_EQ(signed_out[0].actor_user_id, user_id);
  EXPECT_TRUE(service_->sign_out(session->id, context_).ok()) << "twice is harmless";
  EXPECT_EQ(audit_entries("session.sign_out").size(), 1u);
}

TEST_P(AuthTest, DeactivatedUserLosesSessionsAndTokens) {
  const auto user_id = create("anna");
  auto session = service_->sign_in("anna", kPassword, context_);
  ASSERT_TRUE(session.ok());
  auto token = service_->create_api_token(user_id, "Skript", context_);
  ASSERT_TRUE(token.ok());

  ASSERT_TRUE(service_->update_user(user_id, profile("Anna"), false, context_).ok());
  EXPECT_EQ(count("user_session"), 0);
  EXPECT_FALSE(service_->session(session->id)->has_value());
  EXPECT_FALSE(service_->principal_for_api_token(*token)->has_value());
  EXPECT_EQ(service_->sign_in("anna", kPassword, context_).error().message_key, "auth.login_failed");
}

// --- sessions answered from memory

TEST_P(AuthTest, ValidatedSessionIsAnsweredFromMemoryUntilTheCacheRunsOut) {
  create("anna");
  storage::FaultInjectingStorage counting(*storage_, 1'000'000);  // counts, never fails
  AuthService service(counting, clock_, sessions_, throttle_);
  auto session = service.sign_in("anna", kPassword, context_);
  ASSERT_TRUE(session.ok());

  ASSERT_TRUE(service.session(session->id)->has_value());
  const auto after_first = counting.statements_seen();
  ASSERT_TRUE(service.session(session->id)->has_value());
  EXPECT_EQ(counting.statements_seen(), after_first) << "the second lookup needs no database";

  clock_.advance(sessions_.cache_seconds);
  ASSERT_TRUE(service.session(session->id)->has_value());
  EXPECT_GT(counting.statements_seen(), after_first) << "an entry is trusted for cache_seconds only";
}

TEST_P(AuthTest, SignOutRoleChangeAndPasswordChangeApplyAtOnceDespiteTheCache) {
  const auto user_id = create("anna", {{Role::city_entry, bochum_}});
  auto first = service_->sign_in("anna", kPassword, context_);
  auto second = service_->sign_in("anna", kPassword, context_);
  auto third = service_->sign_in("anna", kPassword, context_);
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  for (const auto* session : {&*first, &*second, &*third}) {
    ASSERT_TRUE(service_->session(session->id)->has_value());
  }

  auto promoted = profile("Anna");
  promoted.grants = {{Role::city_approval, dortmund_}};
  ASSERT_TRUE(service_->update_user(user_id, promoted, true, context_).ok());
  const auto changed = service_->session(first->id);
  ASSERT_TRUE(changed.ok() && changed->has_value());
  EXPECT_FALSE((*changed)->has_for_city(Role::city_entry, bochum_));
  EXPECT_TRUE((*changed)->has_for_city(Role::city_approval, dortmund_));

  ASSERT_TRUE(service_->sign_out(first->id, context_).ok());
  EXPECT_FALSE(service_->session(first->id)->has_value());

  ASSERT_TRUE(service_->change_password(user_id, kPassword, kOtherPassword, second->id, context_).ok());
  EXPECT_TRUE(service_->session(second->id)->has_value()) << "the caller's own session stays";
  EXPECT_FALSE(service_->session(third->id)->has_value()) << "every other session ends at once";
}

TEST_P(AuthTest, AnotherInstancesSignOutReachesThisOneWithinTheCacheTime) {
  create("anna");
  AuthService other_instance(*storage_, clock_, sessions_, throttle_);
  auto session = service_->sign_in("anna", kPassword, context_);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(service_->session(session->id)->has_value());

  ASSERT_TRUE(other_instance.sign_out(session->id, context_).ok());
  clock_.advance(sessions_.cache_seconds);
  EXPECT_FALSE(service_->session(session->id)->has_value());
}

// --- invitations and password changes

TEST_P(AuthTest, InvitationSetsThePasswordOnceAndVoidsOlderOnes) {
  const auto user_id = create("anna", {}, std::nullopt);
  auto older = service_->invite(user_id, context_);
  ASSERT_TRUE(older.ok());
  auto invitation = service_->invite(user_id, context_);
  ASSERT_TRUE(invitation.ok());
  EXPECT_EQ(invitation->expires_at, kStart + 7 * 24 * 60 * 60);
  EXPECT_EQ(service_->invitation_user(older->token).error().message_key, "auth.invitation_invalid");
  EXPECT_EQ(rows("SELECT 1 FROM invitation WHERE token_hash = $1", {crypto::sha256_hex(invitation->token)}).size(), 1u);
  EXPECT_TRUE(rows("SELECT 1 FROM invitation WHERE token_hash = $1", {invitation->token}).empty());

  auto invited = service_->invitation_user(invitation->token);
  ASSERT_TRUE(invited.ok());
  EXPECT_EQ(invited->id, user_id);
  EXPECT_EQ(service_->accept_invitation(invitation->token, "kurz", context_).error().field, "passwort");
  ASSERT_TRUE(service_->accept_invitation(invitation->token, kPassword, context_).ok());
  EXPECT_TRUE(service_->sign_in("anna", kPassword, context_).ok());

  const auto again = service_->accept_invitation(invitation->token, kOtherPassword, context_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::not_found);
  EXPECT_EQ(again.error().message_key, "auth.invitation_invalid");
  EXPECT_FALSE(service_->sign_in("anna", kOtherPassword, from("192.0.2.99")).ok());

  const auto set = audit_entries("user.password_set");
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0].actor_name, "anna");
}

TEST_P(AuthTest, InvitationExpiresAfterSevenDays) {
  const auto user_id = create("anna", {}, std::nullopt);
  auto invitation = service_->invite(user_id, context_);
  ASSERT_TRUE(invitation.ok());
  clock_.advance(7 * 24 * 60 * 60 - 1);
  EXPECT_TRUE(service_->invitation_user(invitation->token).ok());
  clock_.advance(1);
  EXPECT_EQ(service_->accept_invitation(invitation->token, kPassword, context_).error().message_key,
            "auth.invitation_invalid");
  EXPECT_EQ(rows("SELECT COUNT(*) FROM app_user WHERE password_hash IS NULL")[0].integer(0), 1);
}

TEST_P(AuthTest, ChangePasswordChecksTheCurrentOneAndEndsOtherSessions) {
  const auto user_id = create("anna");
  auto here = service_->sign_in("anna", kPassword, context_);
  auto elsewhere = service_->sign_in("anna", kPassword, context_);
  ASSERT_TRUE(here.ok() && elsewhere.ok());

  const auto wrong = service_->change_password(user_id, kOtherPassword, kOtherPassword, here->id, context_);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "passwort_aktuell");
  EXPECT_EQ(wrong.error().message_key, "auth.password_wrong");
  EXPECT_EQ(service_->change_password(user_id, kPassword, "kurz", here->id, context_).error().field,
            "passwort_neu");

  ASSERT_TRUE(service_->change_password(user_id, kPassword, kOtherPassword, here->id, context_).ok());
  EXPECT_TRUE(service_->session(here->id)->has_value());
  EXPECT_FALSE(service_->session(elsewhere->id)->has_value());
  EXPECT_EQ(service_->sign_in("anna", kPassword, from("192.0.2.50")).error().message_key,
            "auth.login_failed");
  EXPECT_TRUE(service_->sign_in("anna", kOtherPassword, from("192.0.2.51")).ok());
  EXPECT_EQ(audit_entries("user.password_change").size(), 1u);
}

// --- API tokens

TEST_P(AuthTest, ApiTokenFindsItsOwnerUntilRevoked) {
  const auto user_id = create("anna", {{Role::office, std::nullopt}});
  auto token = service_->create_api_token(user_id, "Import-Skript", context_);
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(token->starts_with("ikt_"));
  EXPECT_TRUE(internal::is_lower_hex(token->substr(4), 64));
  EXPECT_EQ(rows("SELECT 1 FROM api_token WHERE token_hash = $1", {crypto::sha256_hex(*token)}).size(), 1u);
  EXPECT_EQ(service_->create_api_token(user_id, " ", context_).error().field, "bezeichnung");

  auto principal = service_->principal_for_api_token(*token);
  ASSERT_TRUE(principal.ok() && principal->has_value());
  EXPECT_EQ((*principal)->user_id, user_id);
  EXPECT_TRUE((*principal)->sees_all_cities());
  EXPECT_EQ(rows("SELECT last_used_at FROM api_token")[0].integer(0), kStart);
  clock_.advance(30);
  ASSERT_TRUE(service_->principal_for_api_token(*token).ok());
  EXPECT_EQ(rows("SELECT last_used_at FROM api_token")[0].integer(0), kStart) << "at most once a minute";

  EXPECT_FALSE(service_->principal_for_api_token("ikt_" + std::string(64, '0'))->has_value());
  EXPECT_FALSE(service_->principal_for_api_token(token->substr(4))->has_value());

  auto listed = service_->list_api_tokens(user_id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].label, "Import-Skript");
  ASSERT_TRUE(service_->revoke_api_token(user_id, (*listed)[0].id, context_).ok());
  EXPECT_FALSE(service_->principal_for_api_token(*token)->has_value());
  EXPECT_EQ(service_->revoke_api_token(user_id, (*listed)[0].id, context_).error().code,
            ErrorCode::not_found);
}

// --- users

TEST_P(AuthTest, CreateUserValidationNamesTheField) {
  struct Case {
    std::function<void(NewUser&)> spoil;
    std::string field;
    std::string key;
  };
  const std::vector<Case> cases = {
      {[](NewUser& user) { user.username = "ab"; }, "benutzername", "auth.username_invalid"},
      {[](NewUser& user) { user.username = std::string(65, 'a'); }, "benutzername", "auth.username_invalid"},
      {[](NewUser& user) { user.username = "anna maria"; }, "benutzername", "auth.username_invalid"},
      {[](NewUser& user) { user.username = "anna@x"; }, "benutzername", "auth.username_invalid"},
      {[](NewUser& user) { user.username = "änna"; }, "benutzername", "auth.username_invalid"},
      {[](NewUser& user) { user.display_name = "   "; }, "anzeigename", "auth.display_name_invalid"},
      {[](NewUser& user) { user.display_name = std::string(201, 'x'); }, "anzeigename", "auth.display_name_invalid"},
      {[](NewUser& user) { user.display_name = "Zeile\nZwei"; }, "anzeigename", "auth.display_name_invalid"},
      {[](NewUser& user) { user.display_name = std::string(2, '\xff'); }, "anzeigename", "auth.display_name_invalid"},
      {[](NewUser& user) { user.email = "ohne-at.de"; }, "email", "auth.email_invalid"},
      {[](NewUser& user) { user.email = "zwei@@example.org"; }, "email", "auth.email_invalid"},
      {[](NewUser& user) { user.email = "@example.org"; }, "email", "auth.email_invalid"},
      {[](NewUser& user) { user.email = "a@localhost"; }, "email", "auth.email_invalid"},
      {[](NewUser& user) { user.email = "a b@example.org"; }, "email", "auth.email_invalid"},
      {[](NewUser& user) { user.email = "a@example.org."; }, "email", "auth.email_invalid"},
      {[](NewUser& user) { user.email = std::string(250, 'a').append("@b.de"); }, "email", "auth.email_invalid"},
      {[](NewUser& user) { user.grants = {{Role::city_entry, std::nullopt}}; }, "rollen", "auth.role_city_required"},
      {[](NewUser& user) { user.grants = {{Role::city_approval, std::nullopt}}; }, "rollen", "auth.role_city_required"},
      {[](NewUser& user) { user.grants = {{Role::admin, 1}}; }, "rollen", "auth.role_city_not_allowed"},
      {[](NewUser& user) { user.grants = {{Role::office, 1}}; }, "rollen", "auth.role_city_not_allowed"},
      {[](NewUser& user) { user.grants = {{Role::city_entry, 999}}; }, "rollen", "auth.role_city_unknown"},
      {[](NewUser& user) { user.password = "zu-kurz"; }, "passwort", "auth.password_too_short"},
  };
  for (const auto& test_case : cases) {
    auto user = profile("Gültig", {{Role::city_entry, bochum_}});
    user.username = "gueltig";
    user.email = "gueltig@example.org";
    test_case.spoil(user);
    auto created = service_->create_user(user, context_);
    ASSERT_FALSE(created.ok()) << test_case.key;
    EXPECT_EQ(created.error().code, ErrorCode::invalid_input);
    EXPECT_EQ(created.error().field, test_case.field) << test_case.key;
    EXPECT_EQ(created.error().message_key, test_case.key);
  }
  EXPECT_EQ(count("app_user"), 0);
}

TEST_P(AuthTest, CreateUserNormalisesAndRefusesDuplicates) {
  auto created = service_->create_user({.username = "  Anna.M-1_ ",
                                        .display_name = " Anna Müller ",
                                        .email = "",
                                        .grants = {{Role::steering_group, bochum_},
                                                   {Role::project_group, std::nullopt},
                                                   {Role::steering_group, bochum_}},
                                        .password = std::nullopt},
                                       context_);
  ASSERT_TRUE(created.ok());
  auto user = service_->user(*created);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->username, "anna.m-1_");
  EXPECT_EQ(user->display_name, "Anna Müller");
  EXPECT_FALSE(user->has_password);
  EXPECT_EQ(user->grants, (std::vector<RoleGrant>{{Role::steering_group, bochum_},
                                                  {Role::project_group, std::nullopt}}));

  auto second = profile("Zweite");
  second.username = "ANNA.M-1_";
  auto duplicate = service_->create_user(second, context_);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::conflict);
  EXPECT_EQ(duplicate.error().message_key, "auth.username_taken");
  EXPECT_EQ(duplicate.error().field, "benutzername");
  EXPECT_EQ(service_->user(4711).error().code, ErrorCode::not_found);
}

TEST_P(AuthTest, AuditEntriesNeverHoldSecrets) {
  const auto user_id = create("anna", {{Role::admin, std::nullopt}});
  auto session = service_->sign_in("anna", kPassword, context_);
  auto token = service_->create_api_token(user_id, "Skript", context_);
  auto invitation = service_->invite(user_id, context_);
  ASSERT_TRUE(session.ok() && token.ok() && invitation.ok());
  ASSERT_TRUE(service_->change_password(user_id, kPassword, kOtherPassword, session->id, context_).ok());
  const auto stored_hash = rows("SELECT password_hash FROM app_user")[0].text(0);

  const auto entries = audit_entries("");
  ASSERT_GE(entries.size(), 5u);
  for (const auto& entry : entries) {
    for (const auto* json : {&entry.before_json, &entry.after_json}) {
      EXPECT_EQ(json->find("argon2"), std::string::npos) << entry.action;
      EXPECT_EQ(json->find(stored_hash), std::string::npos) << entry.action;
      EXPECT_EQ(json->find(session->id), std::string::npos) << entry.action;
      EXPECT_EQ(json->find(token->substr(4)), std::string::npos) << entry.action;
      EXPECT_EQ(json->find(invitation->token), std::string::npos) << entry.action;
    }
  }
  const auto created = audit_entries("user.create");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].entity_id, std::to_string(user_id));
  EXPECT_NE(created[0].after_json.find("\"has_password\":true"), std::string::npos);
}

TEST_P(AuthTest, UpdateUserRecordsBeforeAndAfterAndKeepsAnAdmin) {
  const auto admin = create("admin", {{Role::admin, std::nullopt}});
  const auto anna = create("anna", {{Role::city_entry, bochum_}});
  ASSERT_TRUE(any_admin());
  auto changes = profile("Anna D.", {{Role::city_approval, dortmund_}});
  changes.email = "anna@dortmund.de";
  ASSERT_TRUE(service_->update_user(anna, changes, true, context_).ok());
  auto user = service_->user(anna);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->display_name, "Anna D.");
  EXPECT_EQ(user->grants, (std::vector<RoleGrant>{{Role::city_approval, dortmund_}}));
  const auto updated = audit_entries("user.update");
  ASSERT_EQ(updated.size(), 1u);
  EXPECT_NE(updated[0].before_json.find("city_entry"), std::string::npos);
  EXPECT_NE(updated[0].after_json.find("city_approval"), std::string::npos);

  const auto last = service_->update_user(admin, profile("Admin"), true, context_);
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().message_key, "auth.last_admin");
  EXPECT_TRUE(any_admin());
}

// --- all or nothing

TEST_P(AuthTest, FailingCreateUserLeavesAllOrNothing) {
  const NewUser user{.username = "anna",
                     .display_name = "Anna",
                     .email = "anna@example.org",
                     .grants = {{Role::city_entry, bochum_},
                                {Role::city_approval, bochum_},
                                {Role::project_group, std::nullopt}},
                     .password = std::nullopt};
  bool completed = false;
  for (int fail_at = 1; !completed; ++fail_at) {
    ASSERT_LT(fail_at, 100) << "create_user never completed";
    storage::FaultInjectingStorage faulty(*storage_, fail_at);
    AuthService service(faulty, clock_, sessions_, throttle_);
    const auto created = service.create_user(user, context_);
    completed = created.ok();
    const auto users = count("app_user");
    const auto grants = count("role_assignment");
    const auto entries = audit_entries("user.create").size();
    if (created.ok()) {
      EXPECT_EQ(users, 1);
      EXPECT_EQ(grants, 3);
      EXPECT_EQ(entries, 1u);
    } else {
      EXPECT_EQ(created.error().code, ErrorCode::unavailable) << "fail_at " << fail_at;
      EXPECT_EQ(users, 0) << "fail_at " << fail_at;
      EXPECT_EQ(grants, 0) << "fail_at " << fail_at;
      EXPECT_EQ(entries, 0u) << "fail_at " << fail_at;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthTest,
                         ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& backend) {
                           return backend.param == storage::Backend::sqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace ik::auth
