// The server's pure decisions, apart from RESTinio so that unit tests reach them without
// compiling it. Only server.cpp and the tests include this header; the rest of the program
// uses http.hpp.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/http.hpp"

namespace ik::http::internal {

// Who sent the request, as far as the server can believe it.
struct ClientOrigin {
  std::string address;
  bool secure = false;
  bool via_trusted_proxy = false;  // the TCP peer is in settings.trusted_proxies
};

// When `peer` is a trusted proxy: the right-most X-Forwarded-For address that is not itself a
// trusted proxy (the left-most when all are), and `secure` from the right-most
// X-Forwarded-Proto value when settings.trust_forwarded_proto. A forwarded address that is not
// an IP address, or a missing header, leaves the peer. When `peer` is not trusted both headers
// are ignored.
ClientOrigin resolve_client(std::string_view peer, std::optional<std::string_view> forwarded_for,
                            std::optional<std::string_view> forwarded_proto,
                            const ServerSettings& settings);

// [A-Za-z0-9-]{1,64}: what an X-Request-Id from a trusted proxy must look like to be kept.
bool is_valid_request_id(std::string_view id);
// 16 random hex characters (not secret: it only has to be unique enough to find log lines).
std::string new_request_id();
// `incoming` when it came through a trusted proxy and is valid, else a new id.
std::string choose_request_id(std::optional<std::string_view> incoming, bool via_trusted_proxy);

// The percent-decoded path; nullopt for a malformed escape, invalid UTF-8, a NUL byte, a path
// not starting with '/' (asterisk- and absolute-form targets) or a "." or ".." segment.
std::optional<std::string> decode_path(std::string_view raw_path);
Method parse_method(std::string_view name);
// "OK", "Not Found", …; "Unknown" for codes the server does not expect.
std::string_view reason_phrase(int status);

// 0 when the request is within the configured limits, else the status to answer:
// 414 (URL), 431 (a header field, their sum or their count), 413 (body).
int limit_violation(std::size_t target_bytes,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    std::size_t body_bytes, const ServerSettings& settings);

// False when the status is outside 200–599, a header name is not an HTTP token or a header
// value carries CR, LF or NUL.
bool is_sendable(const Response& response);

// The members of the access log line (see kJsonLogPattern), every string escaped and the path
// cut after 1 KiB.
std::string access_log_fields(std::string_view request_id, std::string_view method,
                              std::string_view path, int status, double duration_ms,
                              std::string_view client);

}  // namespace ik::http::internal
