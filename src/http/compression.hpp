// Content coding of responses (RFC 9110 §8.4, §12.5.3): gzip for text the client accepts it for.
// Part of ik_http; zlib stays inside compression.cpp.
#pragma once

#include <string>
#include <string_view>

#include "http/http.hpp"

namespace ik::http {

// Bodies smaller than this are sent as they are: the gzip header and the extra work cost more
// than they save.
inline constexpr std::size_t kMinCompressedBodyBytes = 1024;

// Whether the request's Accept-Encoding allows gzip ("gzip", "x-gzip" or "*" with a non-zero
// q-value; "gzip;q=0" refuses it).
bool accepts_gzip(const Request& request);

// Whether a body of this Content-Type shrinks when compressed: text/*, JSON, XML, SVG,
// JavaScript. Images other than SVG, fonts, PDF and Office files are compressed already.
bool is_compressible(std::string_view content_type);

// Whether `response` may be sent gzip-compressed to whoever asks: a 200 with a compressible body
// of at least kMinCompressedBodyBytes and no Content-Encoding yet, and not marked
// "Cache-Control: no-store". Personal pages and pages that set cookies or carry a CSRF token are
// no-store; leaving them uncompressed keeps secrets out of compressed bodies that could also
// reflect attacker-chosen text (BREACH).
bool may_compress(const Response& response);

// `data` as one gzip member (zlib, default level).
std::string gzip(std::string_view data);

// The gzip variant of a response for which may_compress holds: the body compressed,
// Content-Encoding: gzip, and a strong ETag of its own ("…-gz") when the response has one.
// Adds Vary: Accept-Encoding to `plain` as well, since both variants live under one URL.
Response gzip_variant(Response& plain);

// Compresses `response` in place when `request` accepts gzip and may_compress holds; otherwise
// leaves the body as it is, adding Vary: Accept-Encoding where another client would get gzip.
void negotiate_encoding(Response& response, const Request& request);

}  // namespace ik::http
