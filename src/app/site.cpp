#include "app/site.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

#include "app/frame.hpp"
#include "app/logging.hpp"
#include "app/metrics.hpp"
#include "auth/auth.hpp"
#include "cooperation/cooperation.hpp"
#include "core/crypto.hpp"
#include "core/result.hpp"
#include "core/text.hpp"
#include "http/compression.hpp"
#include "http/multipart.hpp"
#include "web/assets.hpp"
#include "web/layout.hpp"

namespace ik::app {
namespace {

bool is_state_changing(http::Method method) {
  return method == http::Method::post || method == http::Method::put || method == http::Method::patch ||
         method == http::Method::delete_;
}

// Splits "/a/b" into {"a", "b"}.
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  return parts;
}

std::optional<std::map<std::string, std::string>> match(std::string_view pattern, std::string_view path) {
  const auto wanted = segments(pattern);
  const auto given = segments(path);
  if (wanted.size() != given.size()) return std::nullopt;
  // "/x/" and "/x" are different addresses; only "/" itself ends in a slash.
  if (path.size() > 1 && path.back() == '/') return std::nullopt;
  std::map<std::string, std::string> params;
  for (std::size_t index = 0; index < wanted.size(); ++index) {
    const auto part = wanted[index];
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      params[std::string(part.substr(1, part.size() - 2))] = std::string(given[index]);
    } else if (part != given[index]) {
      return std::nullopt;
    }
  }
  return params;
}

bool is_hex_token(std::string_view value) {
  if (value.size() != 64) return false;
  for (const char character : value) {
    if (!((character >= '0' && character <= '9') || (character >= 'a' && character <= 'f'))) return false;
  }
  return true;
}


// What every anonymous visitor sees alike: a public GET without query, session or token.
bool is_shareable(const http::Request& request, const Route& route) {
  return (request.method == http::Method::get || request.method == http::Method::head) &&
         route.kind != RouteKind::operations && !route.access.needs_sign_in() && request.query.empty() &&
         !request.cookie(kSessionCookie) && !request.header("authorization");
}

// 304 when the client already has this version.
http::Response conditional(http::Response response, const http::Request& request) {
  const auto etag = response.header("etag");
  if (etag && request.header("if-none-match") == etag) {
    http::Response not_modified;
    not_modified.status = 304;
    not_modified.set_header("ETag", std::string(*etag));
    not_modified.set_header("Cache-Control", std::string(response.header("cache-control").value_or("no-cache")));
    if (const auto vary = response.header("vary")) not_modified.set_header("Vary", std::string(*vary));
    return not_modified;
  }
  return response;
}

}  // namespace

const std::string& Call::field(const std::string& name) const {
  static const std::string kEmpty;
  const auto found = form.find(name);
  return found == form.end() ? kEmpty : found->second;
}

const std::string& Call::csrf() {
  csrf_used = true;
  if (csrf_token.empty()) {
    csrf_token = crypto::random_token(32);
    issue_csrf_cookie = true;
  }
  return csrf_token;
}

Site::Site(Services services) : services_(std::move(services)), routes_(make_routes()) {}
Site::~Site() = default;

std::optional<auth::CityId> Site::city_id(const std::string& slug) {
  {
    std::lock_guard lock(city_ids_mutex_);
    if (const auto found = city_ids_.find(slug); found != city_ids_.end()) return found->second;
  }
  auto city = services_.cooperation.city(slug);
  if (!city) return std::nullopt;
  std::lock_guard lock(city_ids_mutex_);
  city_ids_[slug] = city->id;
  return city->id;
}

http::Response Site::error_page(int status, const http::Request& request) const {
  const auto language = request.path.starts_with("/en/") || request.path == "/en" ? web::Language::en
                                                                                  : web::Language::de;
  if (request.path.starts_with("/api/")) {
    return json_error(status, "http_" + std::to_string(status), web::message(language, "error.title_" + std::to_string(status)));
  }
  auto response = html_page(status, web::render_error_page(language, status, request.request_id, services_.assets));
  if (status == 503) response.set_header("Retry-After", "30");
  return response;
}

http::Response Site::handle(http::Request& request) {
  const RequestLogScope log_scope(request.request_id);
  const auto started = std::chrono::steady_clock::now();
  std::string route_name = "unmatched";
  http::Response response;
  if (request.path.starts_with("/assets/")) {
    route_name = "asset";
    response = serve_asset(request);
  } else {
    response = dispatch(request, route_name);
    // A state change may show on public pages: drop what was rendered before it.
    if (is_state_changing(request.method) && response.status < 400) cache_.invalidate();
    http::negotiate_encoding(response, request);
  }
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  services_.metrics.record_request(route_name, response.status, elapsed);
  return response;
}

http::Response Site::serve_asset(const http::Request& request) {
  const auto name = std::string_view(request.path).substr(8);
  const auto* asset = services_.assets.find(name);
  if (asset == nullptr) return error_page(404, request);
  if (request.method != http::Method::get && request.method != http::Method::head) {
    return error_page(405, request).set_header("Allow", "GET, HEAD");
  }
  auto response = http::Response::text(200, asset->content, asset->content_type);
  response.set_header("ETag", asset->etag);
  response.set_header("Cache-Control", "public, max-age=31536000, immutable");
  if (http::may_compress(response)) {
    std::lock_guard lock(compressed_assets_mutex_);
    auto found = compressed_assets_.find(name);
    if (found == compressed_assets_.end()) {
      found = compressed_assets_.emplace(std::string(name), http::gzip_variant(response)).first;
    } else {
      response.set_header("Vary", "Accept-Encoding");
    }
    if (http::accepts_gzip(request)) response = found->second;
  }
  return conditional(std::move(response), request);
}

http::Response Site::dispatch(http::Request& request, std::string& route_name) {
  // Language from the path prefix; routes are declared with their German path.
  auto language = web::Language::de;
  std::string path = request.path;
  if (path == "/en") return http::Response::redirect("/en/");
  if (path.starts_with("/en/")) {
    language = web::Language::en;
    path = path.substr(3);
  }

  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::string allowed;
  for (const auto& candidate : routes_) {
    if (language == web::Language::en && !candidate.localized) continue;
    auto found = match(candidate.pattern, path);
    if (!found) continue;
    const bool same_method = candidate.method == request.method ||
                             (request.method == http::Method::head && candidate.method == http::Method::get);
    if (!same_method) {
      const std::string name(http::method_name(candidate.method));
      if (allowed.find(name) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + name;
      continue;
    }
    route = &candidate;
    params = std::move(*found);
    break;
  }
  if (route == nullptr) {
    if (!allowed.empty()) return error_page(405, request).set_header("Allow", allowed);
    return error_page(404, request);
  }
  route_name = route->name;

  const bool shareable = is_shareable(request, *route);
  const auto generation = cache_.generation();
  if (shareable) {
    if (auto hit = cache_.find(request.path, http::accepts_gzip(request))) {
      return conditional(std::move(*hit), request);
    }
  }

  Call call{.request = request, .language = language, .path = path, .params = std::move(params)};
  call.route_name = route->name;
  call.api = route->kind == RouteKind::api;

  if (request.body.size() > kFormBodyLimit && !route->accepts_files) return error_response(call, services_, 413);
  Identity identity;
  if (auto answer = identify(call, identity)) return std::move(*answer);
  if (auto answer = check_forgery(call, identity)) return std::move(*answer);
  if (auto answer = authorize(call, *route, identity)) return std::move(*answer);
  const bool session_lost = identity.session_lost;
  const auto& principal = identity.principal;

  auto response = route->handler(call, services_);
  if (call.issue_csrf_cookie) {
    // Forms on this page carry call.csrf_token; the browser must hold the same value.
    response.add_header("Set-Cookie", cookie_for(call, kCsrfCookie, call.csrf_token));
  }
  if (session_lost) response.add_header("Set-Cookie", cookie_for(call, kSessionCookie, "", 0));
  if (!response.header("cache-control")) {
    // Personal pages, pages that set cookies and pages carrying the visitor's CSRF token must not
    // be stored by shared caches (and so are not compressed either, see http::may_compress).
    const bool personal = principal.has_value() || response.header("set-cookie").has_value() || call.csrf_used;
    response.set_header("Cache-Control", personal ? "no-store" : "no-cache");
  }
  if (shareable && response.status == 200 && !call.csrf_used && !response.header("set-cookie")) {
    return conditional(cache_.store(request.path, std::move(response), generation, http::accepts_gzip(request)),
                       request);
  }
  return response;
}

std::optional<http::Response> Site::identify(Call& call, Identity& identity) {
  const auto& request = call.request;
  if (const auto authorization = request.header("authorization"); call.api && authorization) {
    if (!authorization->starts_with("Bearer ")) {
      return json_error(401, "unauthenticated", web::message(call.language, "login.required"));
    }
    auto found = services_.auth.principal_for_api_token(authorization->substr(7));
    if (!found) return failure(call, services_, found.error());
    if (!found->has_value()) return json_error(401, "unauthenticated", web::message(call.language, "login.required"));
    identity.principal = std::move(**found);
    identity.by_token = true;
  } else if (auto session_id = request.cookie(kSessionCookie); session_id && is_hex_token(*session_id)) {
    auto found = services_.auth.session(*session_id);
    if (!found) return failure(call, services_, found.error());
    if (found->has_value()) {
      identity.principal = std::move(**found);
      call.session_id = *session_id;
    } else {
      identity.session_lost = true;
    }
  }
  if (identity.principal) call.principal = &*identity.principal;
  if (const auto token = request.cookie(kCsrfCookie); token && is_hex_token(*token)) call.csrf_token = *token;
  if (call.principal != nullptr) call.csrf();  // every signed-in page has the sign-out form
  return std::nullopt;
}

// Double-submit: every state change made with cookies carries the ik_csrf cookie's value as form
// field or header, and does not come from another site.
std::optional<http::Response> Site::check_forgery(Call& call, const Identity& identity) {
  const auto& request = call.request;
  if (!is_state_changing(request.method)) return std::nullopt;
  if (request.header("content-type").value_or("").starts_with("application/x-www-form-urlencoded")) {
    auto form = text::parse_form(request.body);
    if (!form) return error_page(400, request);
    call.form = std::move(*form);
  }
  // Forms with a file upload: their text fields (with csrf_token) count as the form; the
  // handler reads the file parts from the body itself.
  if (const auto type = request.header("content-type").value_or(""); http::is_multipart_form(type)) {
    auto parts = http::parse_multipart(type, request.body);
    if (!parts) return error_page(400, request);
    for (auto& part : *parts) {
      if (!part.file_name) call.form[part.name] = std::move(part.data);
    }
  }
  if (identity.by_token) return std::nullopt;
  const auto cookie = request.cookie(kCsrfCookie);
  const std::string sent = call.form.contains("csrf_token") ? call.form["csrf_token"]
                                                             : std::string(request.header("x-csrf-token").value_or(""));
  const bool cross_site = request.header("sec-fetch-site").value_or("") == "cross-site";
  if (cookie && is_hex_token(*cookie) && !cross_site && crypto::constant_time_equal(sent, *cookie)) return std::nullopt;
  spdlog::warn(R"("event":"csrf_rejected","route":"{}")", call.route_name);
  return error_response(call, services_, 403, "error.text_403_csrf");
}

// The route's declared Access, decided by Access::permits and nowhere else.
std::optional<http::Response> Site::authorize(Call& call, const Route& route, const Identity& identity) {
  if (route.access.needs_sign_in() && call.principal == nullptr) {
    if (call.api) return json_error(401, "unauthenticated", call.text("login.required"));
    std::string location = link(call, "/anmelden") + "?weiter=" + text::percent_encode(call.request.target);
    if (identity.session_lost) location += "&abgelaufen=1";
    auto response = http::Response::redirect(location);
    if (identity.session_lost) response.add_header("Set-Cookie", cookie_for(call, kSessionCookie, "", 0));
    return response;
  }
  if (route.access.is_city_scoped()) {
    if (const auto slug = call.params.find("city"); slug != call.params.end()) {
      call.city = city_id(slug->second);
      if (!call.city) return error_response(call, services_, 404);
    }
  }
  if (!route.access.permits(call.principal, call.city)) return error_response(call, services_, 403);
  return std::nullopt;
}

}  // namespace ik::app
