// The pure half of the HTTP module: request and response helpers, cookies, security headers,
// forwarded-header resolution, request ids and limits. Nothing here touches a socket.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <random>
#include <stdexcept>

#include "core/text.hpp"
#include "http/http.hpp"
#include "http/internal.hpp"

namespace ik::http {
namespace {

char lower_char(char character) {
  return (character >= 'A' && character <= 'Z') ? static_cast<char>(character - 'A' + 'a')
                                                 : character;
}

bool equals_ignoring_case(std::string_view left, std::string_view right) {
  return left.size() == right.size() &&
         std::equal(left.begin(), left.end(), right.begin(),
                    [](char a, char b) { return lower_char(a) == lower_char(b); });
}

// RFC 9110 tchar.
bool is_token_char(char character) {
  const auto byte = static_cast<unsigned char>(character);
  if (byte >= 0x80) return false;
  if (std::isalnum(byte) != 0) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(character) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

// RFC 6265 cookie-octet.
bool is_cookie_octet(char character) {
  const auto byte = static_cast<unsigned char>(character);
  return byte >= 0x21 && byte <= 0x7E && character != '"' && character != ',' &&
         character != ';' && character != '\\';
}

// Calls `visit(name, value)` for every cookie in a Cookie header until it returns true.
template <class Visitor>
bool for_each_cookie(std::string_view header, Visitor&& visit) {
  while (!header.empty()) {
    const auto separator = header.find(';');
    const auto pair = text::trim(header.substr(0, separator));
    header = separator == std::string_view::npos ? std::string_view{} : header.substr(separator + 1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    const auto name = text::trim(pair.substr(0, equals));
    auto value = text::trim(pair.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (visit(name, value)) return true;
  }
  return false;
}

std::optional<std::string_view> find_header(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [header_name, value] : headers) {
    if (equals_ignoring_case(header_name, name)) return value;
  }
  return std::nullopt;
}

Response with_content_type(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.emplace_back("Content-Type", std::move(content_type));
  return response;
}

// "/path" but not "//host" or "/\host", which browsers read as another site.
bool is_site_path(std::string_view location) {
  if (location.empty() || location.front() != '/') return false;
  if (location.size() > 1 && (location[1] == '/' || location[1] == '\\')) return false;
  return std::none_of(location.begin(), location.end(), [](char character) {
    return static_cast<unsigned char>(character) < 0x20 || character == 0x7F;
  });
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kSecurityHeaders{{
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
     "frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"},
    {"X-Frame-Options", "DENY"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
}};
constexpr std::string_view kHstsName = "Strict-Transport-Security";
constexpr std::string_view kHstsValue = "max-age=31536000; includeSubDomains";

// Length of the UTF-8 sequence starting at `index`, or 0 when it is not a valid one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t index) {
  const auto lead = static_cast<unsigned char>(text[index]);
  const std::size_t length = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3
                           : (lead & 0xF8) == 0xF0 ? 4 : 0;
  if (length == 0 || index + length > text.size()) return 0;
  return text::is_valid_utf8(text.substr(index, length)) ? length : 0;
}

}  // namespace

std::string_view method_name(Method method) {
  switch (method) {
    case Method::get: return "GET";
    case Method::head: return "HEAD";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::delete_: return "DELETE";
    case Method::options: return "OPTIONS";
    case Method::other: return "OTHER";
  }
  return "OTHER";
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [header_name, value] : headers) {
    if (header_name == name) return value;
  }
  return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [header_name, value] : headers) {
    if (header_name != "cookie") continue;
    const bool hit = for_each_cookie(value, [&](std::string_view cookie_name, std::string_view cookie_value) {
      if (cookie_name != name) return false;
      found.emplace(cookie_value);
      return true;
    });
    if (hit) break;
  }
  return found;
}

Response& Response::set_header(std::string name, std::string value) {
  std::erase_if(headers, [&](const auto& header) { return equals_ignoring_case(header.first, name); });
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response& Response::add_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  return find_header(headers, name);
}

Response Response::html(int status, std::string body) {
  return with_content_type(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::json(int status, std::string body) {
  return with_content_type(status, std::move(body), "application/json");
}

Response Response::text(int status, std::string body, std::string content_type) {
  return with_content_type(status, std::move(body), std::move(content_type));
}

Response Response::redirect(std::string location) {
  Response response;
  response.status = 303;
  response.headers.emplace_back("Location", is_site_path(location) ? std::move(location) : "/");
  return response;
}

std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& options) {
  if (!is_token(name)) throw std::invalid_argument("cookie name is not an HTTP token");
  if (!std::all_of(value.begin(), value.end(), is_cookie_octet)) {
    throw std::invalid_argument("cookie value has a character a cookie may not carry");
  }
  if (options.same_site != "Strict" && options.same_site != "Lax" && options.same_site != "None") {
    throw std::invalid_argument("SameSite must be Strict, Lax or None");
  }
  if (!options.path.empty() && !is_site_path(options.path)) {
    throw std::invalid_argument("cookie path must be a path on this site");
  }
  if (options.path.find(';') != std::string::npos) {
    throw std::invalid_argument("cookie path may not contain ';'");
  }
  std::string out;
  out.reserve(name.size() + value.size() + 64);
  out.append(name).append("=").append(value);
  if (!options.path.empty()) out.append("; Path=").append(options.path);
  if (options.max_age_seconds) out.append("; Max-Age=").append(std::to_string(*options.max_age_seconds));
  if (options.secure) out.append("; Secure");
  if (options.http_only) out.append("; HttpOnly");
  out.append("; SameSite=").append(options.same_site);
  return out;
}

void apply_security_headers(Response& response, bool secure) {
  for (const auto& [name, value] : kSecurityHeaders) {
    if (!response.header(name)) response.headers.emplace_back(name, value);
  }
  if (secure && !response.header(kHstsName)) response.headers.emplace_back(kHstsName, kHstsValue);
}

std::string json_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char character = text[index];
    const auto byte = static_cast<unsigned char>(character);
    if (byte >= 0x80) {
      const auto length = utf8_sequence_length(text, index);
      if (length == 0) {
        out.append("\\ufffd");
      } else {
        out.append(text.substr(index, length));
        index += length - 1;
      }
      continue;
    }
    switch (character) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        if (byte < 0x20 || byte == 0x7F) {
          out.append("\\u00");
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0x0F]);
        } else {
          out.push_back(character);
        }
    }
  }
  return out;
}

namespace internal {
namespace {

bool is_ip_address(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
  const std::string terminated(text);
  in6_addr buffer{};
  return inet_pton(AF_INET, terminated.c_str(), &buffer) == 1 ||
         inet_pton(AF_INET6, terminated.c_str(), &buffer) == 1;
}

bool is_trusted_proxy(std::string_view address, const ServerSettings& settings) {
  return std::find(settings.trusted_proxies.begin(), settings.trusted_proxies.end(), address) !=
         settings.trusted_proxies.end();
}

// The part after the last comma, trimmed.
std::string_view last_list_item(std::string_view list) {
  const auto comma = list.rfind(',');
  return text::trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
}

// The client named by X-Forwarded-For, or empty when the header gives none to believe.
std::string_view forwarded_client(std::string_view forwarded_for, const ServerSettings& settings) {
  std::string_view chosen;
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const auto entry = text::trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    if (!is_ip_address(entry)) return {};
    chosen = entry;
    if (!is_trusted_proxy(entry, settings)) break;
  }
  return chosen;
}

// A "." or ".." segment, plain or decoded from "%2e": refused so that no handler that maps
// paths to files has to fear traversal.
bool has_dot_segment(std::string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    const auto segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") return true;
    start = end + 1;
  }
  return false;
}

bool is_request_id_char(char character) {
  return std::isalnum(static_cast<unsigned char>(character)) != 0 || character == '-';
}

}  // namespace

ClientOrigin resolve_client(std::string_view peer, std::optional<std::string_view> forwarded_for,
                            std::optional<std::string_view> forwarded_proto,
                            const ServerSettings& settings) {
  ClientOrigin origin{std::string(peer), false, false};
  if (!is_trusted_proxy(peer, settings)) return origin;
  origin.via_trusted_proxy = true;
  if (forwarded_for) {
    const auto client = forwarded_client(*forwarded_for, settings);
    if (!client.empty()) origin.address.assign(client);
  }
  if (forwarded_proto && settings.trust_forwarded_proto) {
    origin.secure = equals_ignoring_case(last_list_item(*forwarded_proto), "https");
  }
  return origin;
}

bool is_valid_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), is_request_id_char);
}

std::string new_request_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  thread_local std::mt19937_64 generator{std::random_device{}()};
  auto bits = generator();
  std::string id(16, '0');
  for (auto& digit : id) {
    digit = kHex[bits & 0x0F];
    bits >>= 4;
  }
  return id;
}

std::string choose_request_id(std::optional<std::string_view> incoming, bool via_trusted_proxy) {
  if (via_trusted_proxy && incoming && is_valid_request_id(*incoming)) return std::string(*incoming);
  return new_request_id();
}

std::optional<std::string> decode_path(std::string_view raw_path) {
  auto decoded = text::percent_decode(raw_path, false);
  if (!decoded || decoded->empty() || decoded->front() != '/' || has_dot_segment(*decoded) ||
      decoded->find('\0') != std::string::npos) {
    return std::nullopt;
  }
  return decoded;
}

Method parse_method(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, Method>, 7> kMethods{{
      {"GET", Method::get},
      {"HEAD", Method::head},
      {"POST", Method::post},
      {"PUT", Method::put},
      {"PATCH", Method::patch},
      {"DELETE", Method::delete_},
      {"OPTIONS", Method::options},
  }};
  for (const auto& [method_text, method] : kMethods) {
    if (method_text == name) return method;
  }
  return Method::other;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

int limit_violation(std::size_t target_bytes,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    std::size_t body_bytes, const ServerSettings& settings) {
  if (target_bytes > settings.max_url_bytes) return 414;
  if (headers.size() > settings.max_header_fields) return 431;
  std::size_t total_header_bytes = 0;
  for (const auto& [name, value] : headers) {
    const auto field_bytes = name.size() + value.size();
    if (field_bytes > settings.max_header_bytes) return 431;
    total_header_bytes += field_bytes;
  }
  if (total_header_bytes > settings.max_header_bytes) return 431;
  if (body_bytes > settings.max_body_bytes) return 413;
  return 0;
}

bool is_sendable(const Response& response) {
  if (response.status < 200 || response.status > 599) return false;
  return std::all_of(response.headers.begin(), response.headers.end(), [](const auto& header) {
    return is_token(header.first) &&
           header.second.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
  });
}

// Long enough for every real path; a longer one is most likely an attack and needs no more.
constexpr std::size_t kMaxLoggedPathBytes = 1024;

std::string access_log_fields(std::string_view request_id, std::string_view method,
                              std::string_view path, int status, double duration_ms,
                              std::string_view client) {
  std::array<char, 32> duration_text{};
  const auto [end, error] = std::to_chars(duration_text.data(), duration_text.data() + duration_text.size(),
                                          duration_ms, std::chars_format::fixed, 3);
  const std::string_view duration(duration_text.data(),
                                  error == std::errc{} ? static_cast<std::size_t>(end - duration_text.data()) : 0);
  std::string out;
  out.reserve(128 + path.size());
  out.append(R"("request_id":")").append(json_escape(request_id));
  out.append(R"(","method":")").append(json_escape(method));
  out.append(R"(","path":")").append(json_escape(path.substr(0, kMaxLoggedPathBytes)));
  out.append(R"(","status":)").append(std::to_string(status));
  out.append(R"(,"duration_ms":)").append(duration.empty() ? std::string_view("0") : duration);
  out.append(R"(,"client":")").append(json_escape(client)).append("\"");
  return out;
}

}  // namespace internal
}  // namespace ik::http
