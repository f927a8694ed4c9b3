#include "app/frame.hpp"

#include <spdlog/spdlog.h>

#include "app/metrics.hpp"
#include "auth/roles.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "monitoring/figures.hpp"
#include "web/layout.hpp"

namespace ik::app {
namespace {

web::Viewer viewer_for(const Call& call) {
  const auto& principal = *call.principal;
  web::Viewer viewer{.display_name = principal.display_name, .links = {}};
  const auto add = [&](std::string_view key, std::string_view path) {
    viewer.links.push_back({std::string(call.text(key)), link(call, path)});
  };
  add("nav.my_area", "/bereich");
  if (principal.has(auth::Role::admin)) {
    add("nav.admin_users", "/verwaltung/benutzer");
    add("nav.admin_cities", "/verwaltung/staedte");
  }
  if (principal.has(auth::Role::admin) || principal.has(auth::Role::office)) add("nav.audit", "/verwaltung/protokoll");
  add("nav.api_tokens", "/konto/api-schluessel");
  add("nav.password", "/konto/passwort");
  return viewer;
}

}  // namespace

std::string link(const Call& call, std::string_view german_path) { return web::localized(call.language, german_path); }

monitoring::DecimalMark decimal_mark(const Call& call) {
  return call.language == web::Language::en ? monitoring::DecimalMark::point : monitoring::DecimalMark::comma;
}

std::string date_as_entered(const Call& call, std::string_view text) {
  const auto date = parse_entered_date(text);
  return date ? format_numeric_date(*date, web::language_code(call.language)) : std::string(text);
}

const std::string& pick(const Call& call, const std::string& german, const std::string& english) {
  return call.language == web::Language::en && !english.empty() ? english : german;
}

http::Response html_page(int status, std::string body) { return http::Response::html(status, std::move(body)); }

static web::Page frame_for(const Call& call, const Services& services, std::string title, web::Html main) {
  web::Page frame;
  frame.language = call.language;
  frame.title = std::move(title);
  frame.path = call.path;
  if (call.principal != nullptr) frame.viewer = viewer_for(call);
  frame.csrf_token = call.csrf_token;
  frame.main = std::move(main);
  if (!services.public_url.empty()) frame.canonical_url = services.public_url + link(call, call.path);
  return frame;
}

http::Response page(const Call& call, const Services& services, std::string title, web::Html main, int status) {
  return html_page(status, web::render_page(frame_for(call, services, std::move(title), std::move(main)), services.assets));
}

http::Response page(const Call& call, const Services& services, std::string title, web::Html main,
                    std::string description, std::string og_type) {
  auto frame = frame_for(call, services, std::move(title), std::move(main));
  frame.description = std::move(description);
  frame.og_type = std::move(og_type);
  return html_page(200, web::render_page(frame, services.assets));
}

http::Response error_response(const Call& call, const Services& services, int status, std::string_view message_key) {
  const auto code = std::to_string(status);
  if (call.api) {
    auto response = json_error(status, "http_" + code,
                               call.text(message_key.empty() ? "error.title_" + code : std::string(message_key)));
    if (status == 503) response.set_header("Retry-After", "30");
    return response;
  }
  web::Html main;
  const auto title = std::string(call.text("error.title_" + code));
  main.element("h1", {{"class", "kern-heading-large"}}, title);
  main.element("p", {{"class", "kern-body kern-body--large"}},
               call.text(message_key.empty() ? "error.text_" + code : std::string(message_key)));
  main.element("p", {{"class", "kern-body kern-body--small"}},
               web::message_with(call.language, "error.reference", {{"id", call.request.request_id}}));
  if (status == 404) {
    main.element("p", {{"class", "kern-body"}}, call.text("search.not_found_offer"));
    web::search_form(main, call.language);
  }
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/")}}, call.text("error.back_home"));
  });
  auto response = page(call, services, title, std::move(main), status);
  if (status == 503) response.set_header("Retry-After", "30");
  return response;
}

http::Response failure(const Call& call, const Services& services, const Error& error) {
  switch (error.code) {
    case ErrorCode::not_found: return error_response(call, services, 404);
    case ErrorCode::forbidden: return error_response(call, services, 403);
    case ErrorCode::unauthenticated: return http::Response::redirect(link(call, "/anmelden"));
    case ErrorCode::invalid_input:
    case ErrorCode::conflict: return error_response(call, services, 400);
    case ErrorCode::unavailable:
      services.metrics.record_database_error();
      spdlog::error(R"("event":"database_unavailable","route":"{}","detail":"{}")", call.route_name,
                    http::json_escape(error.detail));
      return error_response(call, services, 503);
    case ErrorCode::internal: break;
  }
  services.metrics.record_database_error();
  spdlog::error(R"("event":"internal_error","route":"{}","detail":"{}")", call.route_name,
                http::json_escape(error.detail));
  return error_response(call, services, 500);
}

std::string safe_local_target(std::string_view target, const std::string& fallback) {
  const bool local = target.size() >= 1 && target.front() == '/' && !target.starts_with("//") &&
                     target.find('\\') == std::string_view::npos && target.find("\r") == std::string_view::npos &&
                     target.find("\n") == std::string_view::npos;
  return local ? std::string(target) : fallback;
}

}  // namespace ik::app

#include "auth/auth.hpp"
#include "core/text.hpp"

namespace ik::app {

auth::RequestContext request_context(const Call& call) {
  return auth::RequestContext{.client_address = call.request.client_address,
                              .request_id = call.request.request_id,
                              .actor = call.principal};
}

void FormErrors::add(const Call& call, const Error& error) {
  add(error.field.empty() ? std::string("fehler") : error.field, std::string(call.text(error.message_key)));
}

void FormErrors::add(const std::string& field, std::string message) {
  if (!at(field).empty()) return;  // the first problem of a field is the one to fix first
  errors_.emplace_back(field, std::move(message));
}

const std::string& FormErrors::at(const std::string& field) const {
  static const std::string kNone;
  for (const auto& [name, text] : errors_) {
    if (name == field) return text;
  }
  return kNone;
}

std::map<std::string, std::string> query_parameters(const Call& call) {
  return text::parse_form(call.request.query).value_or(std::map<std::string, std::string>{});
}

}  // namespace ik::app

namespace ik::app {

std::string cookie_for(const Call& call, std::string_view name, std::string_view value,
                       std::optional<std::int64_t> max_age) {
  return http::set_cookie_value(name, value, http::CookieOptions{.http_only = true,
                                                                 .secure = call.request.secure,
                                                                 .same_site = "Lax",
                                                                 .max_age_seconds = max_age});
}

}  // namespace ik::app
