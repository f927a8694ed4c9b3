// Plain HTTP types and the server entry point. This header is all the rest of the program
// sees of HTTP; RESTinio and asio stay inside server.cpp. Link ik_http for the types and
// helpers, ik_http_server for serve().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace ik::http {

enum class Method { get, head, post, put, patch, delete_, options, other };
// "GET", "HEAD", …; "OTHER" for Method::other.
std::string_view method_name(Method method);

struct Request {
  Method method = Method::get;
  std::string target;        // as received: path and query
  std::string path;          // percent-decoded path without the query; starts with '/', no . or .. segments
  std::string query;         // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string client_address;  // the peer, or the forwarded client when the peer is a trusted proxy
  bool secure = false;         // TLS at the edge (X-Forwarded-Proto from a trusted proxy)
  std::string request_id;      // also in every log line and the X-Request-Id response header

  // First header with that (lower-case) name.
  std::optional<std::string_view> header(std::string_view name) const;
  // The value of cookie `name` from the Cookie header(s), surrounding double quotes removed,
  // not percent-decoded; nullopt when absent. Cookie names compare case-sensitively; with
  // duplicates the first wins.
  std::optional<std::string> cookie(std::string_view name) const;
};

// A header whose name or value contains CR, LF or NUL is never sent: the server answers 500
// instead, so user input placed in a header cannot split the response.
struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Replaces every header of that name (compared case-insensitively) by this one.
  Response& set_header(std::string name, std::string value);
  // Adds a header even when one of that name exists (for repeated headers such as Set-Cookie).
  Response& add_header(std::string name, std::string value);
  // First header with that name, compared case-insensitively.
  std::optional<std::string_view> header(std::string_view name) const;

  static Response html(int status, std::string body);  // text/html; charset=utf-8
  static Response json(int status, std::string body);  // application/json
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  // 303 See Other to `location`, which must be a path on this site ("/…" but not "//…" or
  // "/\…"); anything else redirects to "/" so that a user-supplied target cannot lead off-site.
  static Response redirect(std::string location);
};

struct CookieOptions {
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";  // "Strict", "Lax" or "None"
  std::string path = "/";
  std::optional<std::int64_t> max_age_seconds;  // nullopt: session cookie; 0: delete
};
// The value of a Set-Cookie header, e.g. "ik_session=abc; Path=/; HttpOnly; SameSite=Lax".
// Throws std::invalid_argument (a programming error) when `name` is not an HTTP token, `value`
// has characters a cookie value may not carry (space, '"', ',', ';', '\\', controls) or
// `same_site` is none of the three allowed words.
std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& options);

// Adds the site's security headers (CSP, nosniff, Referrer-Policy, X-Frame-Options,
// Permissions-Policy, COOP, and HSTS when `secure`), each only if the response lacks it.
void apply_security_headers(Response& response, bool secure);

// `text` as the inside of a JSON string literal (quotes, backslashes and control characters
// escaped). Bytes of invalid UTF-8 pass through unchanged.
std::string json_escape(std::string_view text);

// The spdlog pattern for one JSON object per line. With it, every message logged through spdlog
// must be a comma-separated list of JSON members, e.g.
//   spdlog::info(R"("event":"started","port":{})", port);
// with every string passed through json_escape. The server logs one access line per request:
//   "request_id":…,"method":…,"path":…,"status":…,"duration_ms":…,"client":…
// Use it with spdlog::pattern_time_type::utc so that the time really is UTC.
inline constexpr std::string_view kJsonLogPattern =
    R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})";

// Handles one request. Runs on a server thread and may block (the database); must not throw
// (the server answers 500 with the error page if it does, and logs it). HEAD requests reach
// the handler as GET; the server drops the body.
using Handler = std::function<Response(Request&)>;
// Renders the page for an error the server itself detects (400, 413, 414, 431, 500) before or
// instead of the handler. For a 400 caused by the path (a bad percent-escape, a "." or ".."
// segment, not starting with '/'), `path` holds the raw path.
using ErrorPageRenderer = std::function<Response(int status, const Request&)>;

// Limits come in two tiers. Up to the configured value a request is served. Above it, up to
// four times the value, the request is still read completely and answered with the error page:
// 413 for the body, 414 for the URL, 431 for header fields. Beyond four times the value, and
// beyond 80 KiB of request line and headers together (http_parser's own cap), RESTinio 0.6 can
// only close the connection without a response. So it does for malformed HTTP and for a
// request not completely read within `request_timeout` (RESTinio 0.6 cannot send 408).
struct ServerSettings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;                 // 0: an ephemeral port, passed to on_listening
  unsigned threads = 0;                      // 0: one per core; handlers block these threads
  std::size_t max_url_bytes = 8 * 1024;
  std::size_t max_header_bytes = 16 * 1024;  // per field and in sum
  std::size_t max_header_fields = 100;
  std::size_t max_body_bytes = 1024 * 1024;  // larger bodies get 413
  // Time to read one request completely, counted on a keep-alive connection from the end of
  // the previous response (so it is also the idle timeout). Past it the connection is closed.
  std::chrono::seconds request_timeout{30};
  std::vector<std::string> trusted_proxies;  // peer addresses whose X-Forwarded-* are believed
  bool trust_forwarded_proto = true;
  std::chrono::seconds shutdown_grace{10};   // how long stopping waits for answers in progress
};

// Binds settings.address and settings.port, calls `on_listening` with the bound port once, and
// serves until SIGTERM or SIGINT arrives or `stop` is requested. It then stops accepting, waits
// up to shutdown_grace for every request already being handled to be answered, closes the
// remaining connections and returns success. Requests completed on a kept-alive connection
// during that wait are still handled and answered with "Connection: close".
// Fails (ErrorCode::internal, `detail` says why) when the address cannot be bound.
Status serve(const ServerSettings& settings, Handler handler, ErrorPageRenderer error_page,
             const std::function<void(std::uint16_t port)>& on_listening, std::stop_token stop = {});

}  // namespace ik::http
