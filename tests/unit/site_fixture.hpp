// A complete Site on a fresh SQLite database with the cooperation's data and one account per
// role, driven in-process through Site::handle (no network). Shared by the site tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "app/mailer.hpp"
#include "app/metrics.hpp"
#include "app/site.hpp"
#include "auth/auth.hpp"
#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "monitoring/monitoring.hpp"
#include "portal/portal.hpp"
#include "search/search.hpp"
#include "storage/storage.hpp"
#include "web/assets.hpp"

namespace ik::testing {

inline constexpr const char* kPassword = "ein langes Testpasswort";

struct Visitor {
  std::string session;  // empty: anonymous
  std::string csrf = std::string(64, 'a');
};

class SiteFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ik-site-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(directory_ / "assets");
    {
      // Large enough to be worth compressing, like the real stylesheet.
      std::ofstream kern(directory_ / "assets" / "kern.css");
      kern << "body{}";
      for (int rule = 0; rule < 100; ++rule) kern << "\n.kern-rule-" << rule << "{margin:0}";
    }
    std::ofstream(directory_ / "assets" / "site.css") << "main{}";
    auto opened = storage::open({.url = "sqlite:" + (directory_ / "test.db").string()});
    ASSERT_TRUE(opened) << opened.error().detail;
    storage_ = std::move(*opened);
    ASSERT_TRUE(storage::migrate(*storage_, std::string(IK_SOURCE_DIR) + "/migrations"));
    ASSERT_TRUE(cooperation::seed(*storage_));
    ASSERT_TRUE(monitoring::seed(*storage_));
    auth_ = std::make_unique<auth::AuthService>(*storage_, clock_, auth::SessionPolicy{}, auth::ThrottlePolicy{});
    cooperation_ = std::make_unique<cooperation::Cooperation>(*storage_);
    monitoring_ = std::make_unique<monitoring::Monitoring>(*storage_, clock_, *cooperation_);
    portal_ = std::make_unique<portal::Portal>(*storage_, clock_, portal::Options{.upload_directory = directory_ / "uploads"});
    ASSERT_TRUE(portal::seed(*portal_));
    auto assets = web::Assets::load((directory_ / "assets").string());
    ASSERT_TRUE(assets);
    assets_ = std::make_unique<web::Assets>(std::move(*assets));
    site_ = std::make_unique<app::Site>(app::Services{.storage = *storage_,
                                                      .auth = *auth_,
                                                      .cooperation = *cooperation_,
                                                      .monitoring = *monitoring_,
                                                      .portal = *portal_,
                                                      .search = search_,
                                                      .assets = *assets_,
                                                      .metrics = metrics_,
                                                      .mailer = mailer_,
                                                      .clock = clock_,
                                                      .public_url = "http://127.0.0.1:8080",
                                                      .metrics_clients = {"127.0.0.1"}});
    add_user("admin", {{auth::Role::admin, std::nullopt}});
    add_user("office", {{auth::Role::office, std::nullopt}});
    add_user("bochum_entry", {{auth::Role::city_entry, city("bochum")}});
    add_user("dortmund_approval", {{auth::Role::city_approval, city("dortmund")}});
    add_user("steering_bochum", {{auth::Role::steering_group, city("bochum")}});
    add_user("project", {{auth::Role::project_group, std::nullopt}});
  }

  void TearDown() override {
    site_.reset();
    storage_.reset();
    std::filesystem::remove_all(directory_);
  }

  auth::CityId city(const std::string& slug) {
    auto found = cooperation::Cooperation(*storage_).city(slug);
    EXPECT_TRUE(found);
    return found ? found->id : 0;
  }

  void add_user(const std::string& username, std::vector<auth::RoleGrant> grants) {
    auto created = auth_->create_user({.username = username, .display_name = "Test " + username, .email = "",
                                       .grants = std::move(grants), .password = std::string(kPassword)},
                                      {});
    ASSERT_TRUE(created) << created.error().message_key << " " << created.error().detail;
  }

  Visitor sign_in(const std::string& username) {
    auto session = auth_->sign_in(username, kPassword, {.client_address = "10.0.0." + std::to_string(++address_)});
    EXPECT_TRUE(session) << username;
    return Visitor{session ? session->id : std::string()};
  }

  using Headers = std::vector<std::pair<std::string, std::string>>;

  http::Response request(http::Method method, const std::string& target, const Visitor& visitor,
                         const std::string& body = {}, bool with_csrf = true, const Headers& extra_headers = {}) {
    http::Request request;
    request.method = method;
    request.target = target;
    const auto question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) request.query = target.substr(question + 1);
    request.client_address = "127.0.0.1";
    request.request_id = "test";
    std::string cookies = "ik_csrf=" + visitor.csrf;
    if (!visitor.session.empty()) cookies += "; ik_session=" + visitor.session;
    request.headers.emplace_back("cookie", cookies);
    request.headers.insert(request.headers.end(), extra_headers.begin(), extra_headers.end());
    if (method == http::Method::post) {
      request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
      request.body = body;
      if (with_csrf) request.body += (body.empty() ? "" : "&") + std::string("csrf_token=") + visitor.csrf;
    }
    return site_->handle(request);
  }

  http::Response get(const std::string& target, const Visitor& visitor = {}) {
    return request(http::Method::get, target, visitor);
  }
  // GET with further request headers (names in lower case, as the server hands them over).
  http::Response get(const std::string& target, const Headers& headers, const Visitor& visitor = {}) {
    return request(http::Method::get, target, visitor, {}, true, headers);
  }
  http::Response post(const std::string& target, const Visitor& visitor, const std::string& body = {}) {
    return request(http::Method::post, target, visitor, body);
  }

  std::filesystem::path directory_;
  ManualClock clock_{1'800'000'000};
  std::unique_ptr<storage::Storage> storage_;
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<cooperation::Cooperation> cooperation_;
  std::unique_ptr<monitoring::Monitoring> monitoring_;
  std::unique_ptr<portal::Portal> portal_;
  search::SearchIndex search_{2};
  std::unique_ptr<web::Assets> assets_;
  app::Metrics metrics_;
  app::Mailer mailer_{app::MailSettings{}};
  std::unique_ptr<app::Site> site_;
  int address_ = 0;
  static inline int counter_ = 0;
};

inline bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace ik::testing
