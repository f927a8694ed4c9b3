// Building a full page for a Call: the frame with the viewer's own links, rendered through web.
#pragma once

#include <string>

#include "app/site.hpp"
#include "web/html.hpp"

namespace ik::app {

// Renders `main` inside the site frame as a 200 (or `status`) HTML response.
http::Response page(const Call& call, const Services& services, std::string title, web::Html main,
                    int status = 200);
// The same for public content, with a description for search engines and link previews and the
// Open Graph type ("website", "article").
http::Response page(const Call& call, const Services& services, std::string title, web::Html main,
                    std::string description, std::string og_type = "website");

// Localised link to a German path for this call's language.
std::string link(const Call& call, std::string_view german_path);

// The text in the call's language; English falls back to German where there is none.
const std::string& pick(const Call& call, const std::string& german, const std::string& english);

// A redirect to a local path given by the user (e.g. ?weiter=), or `fallback` when the path is
// not a plain local one: never to another site.
std::string safe_local_target(std::string_view target, const std::string& fallback);

}  // namespace ik::app

namespace ik::auth { struct RequestContext; }
namespace ik::monitoring { enum class DecimalMark; }

namespace ik::app {

// The auth context of a call (for auditing and throttling).
auth::RequestContext request_context(const Call& call);

// How numbers are written in the call's language: "12,5" in German, "12.5" in English.
monitoring::DecimalMark decimal_mark(const Call& call);
// A date (a stored ISO Stichtag, or one as typed) as a form in the call's language shows it:
// "31.12.2024" in German, "2024-12-31" in English; text that is no date as it is.
std::string date_as_entered(const Call& call, std::string_view text);

// Validation errors of one form submission, by field, translated.
class FormErrors {
 public:
  void add(const Call& call, const Error& error);
  void add(const std::string& field, std::string message);
  const std::string& at(const std::string& field) const;
  bool empty() const { return errors_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& all() const { return errors_; }

 private:
  std::vector<std::pair<std::string, std::string>> errors_;
};

// The query string's parameters (empty map when malformed).
std::map<std::string, std::string> query_parameters(const Call& call);

}  // namespace ik::app

namespace ik::app {

inline constexpr std::string_view kSessionCookie = "ik_session";
inline constexpr std::string_view kCsrfCookie = "ik_csrf";

// A Set-Cookie value for this call (Secure behind TLS); max_age 0 deletes the cookie.
std::string cookie_for(const Call& call, std::string_view name, std::string_view value,
                       std::optional<std::int64_t> max_age = std::nullopt);

}  // namespace ik::app
