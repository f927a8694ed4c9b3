// The web application: every route with the access it declares, and the one dispatcher that
// authenticates, checks CSRF and permission, calls the handler and maps errors to pages.
// Independent of the HTTP server: tests call Site::handle directly.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/page_cache.hpp"
#include "auth/roles.hpp"
#include "http/http.hpp"
#include "web/messages.hpp"

namespace ik { class Clock; struct Error; }
namespace ik::storage { class Storage; }
namespace ik::auth { class AuthService; }
namespace ik::cooperation { class Cooperation; }
namespace ik::monitoring { class Monitoring; }
namespace ik::portal { class Portal; }
namespace ik::search { class SearchIndex; }
namespace ik::web { class Assets; }

namespace ik::app {

class Metrics;
class Mailer;

struct Services {
  storage::Storage& storage;
  auth::AuthService& auth;
  cooperation::Cooperation& cooperation;
  monitoring::Monitoring& monitoring;
  portal::Portal& portal;
  search::SearchIndex& search;
  const web::Assets& assets;
  Metrics& metrics;
  Mailer& mailer;
  const Clock& clock;
  std::string public_url;
  std::vector<std::string> metrics_clients;
};

// One request after routing and authentication, as handlers see it.
struct Call {
  http::Request& request;
  web::Language language = web::Language::de;
  std::string path;  // the German path, without "/en"
  std::map<std::string, std::string> params;  // from the route pattern
  const auth::Principal* principal = nullptr;  // nullptr: anonymous
  std::optional<auth::CityId> city;            // the {city} of the path, resolved
  std::string session_id;                      // the cookie value, when signed in by session
  std::string csrf_token;   // from the ik_csrf cookie; empty until csrf() issues one
  bool issue_csrf_cookie = false;
  bool csrf_used = false;   // the page holds a form with the visitor's token: never shared
  std::map<std::string, std::string> form;     // the parsed body of a form POST
  std::string route_name;
  bool api = false;  // JSON answers, also for errors

  // Form value or "" when absent.
  const std::string& field(const std::string& name) const;
  std::string_view text(std::string_view key) const { return web::message(language, key); }
  // The token a form on this page must carry; issues a new one (and its cookie) when the
  // visitor has none yet, so that pages without forms set no cookie.
  const std::string& csrf();
};

using Handler = std::function<http::Response(Call&, const Services&)>;

enum class RouteKind { page, api, operations };

struct Route {
  http::Method method;
  std::string pattern;  // "/verwaltung/benutzer/{id}"; {city} names a city slug
  std::string name;     // stable name for metrics and tests ("admin.user.edit")
  auth::Access access;
  RouteKind kind;
  Handler handler;
  bool localized = true;  // also served under /en/
  // Upload forms take bodies up to the server's limit (server.max_body_bytes); every other
  // route refuses more than kFormBodyLimit with 413 before anything reads the body.
  bool accepts_files = false;
};

inline constexpr std::size_t kFormBodyLimit = 1024 * 1024;

// The whole route table; defined in routes.cpp.
std::vector<Route> make_routes();

class Site {
 public:
  explicit Site(Services services);
  ~Site();

  http::Response handle(http::Request& request);
  // The page for errors the server detects before a handler runs (400, 408, 413 …).
  http::Response error_page(int status, const http::Request& request) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  // Who is asking, as far as the request tells.
  struct Identity {
    std::optional<auth::Principal> principal;
    bool by_token = false;      // a personal API token: no cookies, so no CSRF check
    bool session_lost = false;  // a session cookie that is no longer valid
  };

  http::Response dispatch(http::Request& request, std::string& route_name);
  http::Response serve_asset(const http::Request& request);
  // Each step answers (returns a response) when the request stops there.
  std::optional<http::Response> identify(Call& call, Identity& identity);
  std::optional<http::Response> check_forgery(Call& call, const Identity& identity);
  std::optional<http::Response> authorize(Call& call, const Route& route, const Identity& identity);
  std::optional<auth::CityId> city_id(const std::string& slug);

  Services services_;
  std::vector<Route> routes_;
  PageCache cache_{std::chrono::seconds(5)};
  std::map<std::string, auth::CityId> city_ids_;
  std::mutex city_ids_mutex_;
  // Gzip variants of the assets, made on first request (assets never change while running).
  std::map<std::string, http::Response, std::less<>> compressed_assets_;
  std::mutex compressed_assets_mutex_;
};

// Responses shared by handlers.
http::Response html_page(int status, std::string body);
http::Response json_error(int status, std::string_view code, std::string_view message);
http::Response error_response(const Call& call, const Services& services, int status,
                              std::string_view message_key = {});
// Maps a failed capability call to the right status page (404, 409 as 400, 503, 500) and logs
// internals.
http::Response failure(const Call& call, const Services& services, const Error& error);

}  // namespace ik::app
