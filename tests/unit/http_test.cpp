// The pure half of the HTTP module: cookies, responses, security headers, forwarded headers,
// request ids, limits and JSON escaping. No sockets here (see http_server_test.cpp).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "http/http.hpp"
#include "http/internal.hpp"

namespace ik::http {
namespace {

Request with_headers(std::vector<std::pair<std::string, std::string>> headers) {
  Request request;
  request.headers = std::move(headers);
  return request;
}

TEST(RequestCookie, FindsOneOfSeveralCookies) {
  const auto request = with_headers({{"cookie", "ik_csrf=abc; ik_session=s3cr3t; theme=dark"}});
  EXPECT_EQ(request.cookie("ik_session"), "s3cr3t");
  EXPECT_EQ(request.cookie("ik_csrf"), "abc");
  EXPECT_EQ(request.cookie("theme"), "dark");
}

TEST(RequestCookie, RemovesSurroundingQuotes) {
  const auto request = with_headers({{"cookie", R"(a=1; quoted="hello"; b=2)"}});
  EXPECT_EQ(request.cookie("quoted"), "hello");
  EXPECT_EQ(request.cookie("b"), "2");
}

TEST(RequestCookie, AbsentCookieAndCaseSensitiveNames) {
  const auto request = with_headers({{"cookie", "Session=1"}});
  EXPECT_EQ(request.cookie("session"), std::nullopt);
  EXPECT_EQ(request.cookie("Session"), "1");
  EXPECT_EQ(with_headers({}).cookie("Session"), std::nullopt);
}

TEST(RequestCookie, SearchesEveryCookieHeaderAndFirstDuplicateWins) {
  const auto request = with_headers({{"cookie", "a=1"}, {"accept", "text/html"}, {"cookie", "b=2; a=3"}});
  EXPECT_EQ(request.cookie("b"), "2");
  EXPECT_EQ(request.cookie("a"), "1");
}

TEST(RequestCookie, ToleratesEmptyValuesAndStrayPieces) {
  const auto request = with_headers({{"cookie", " ; junk ; empty= ; x = 5 "}});
  EXPECT_EQ(request.cookie("empty"), "");
  EXPECT_EQ(request.cookie("x"), "5");
  EXPECT_EQ(request.cookie("junk"), std::nullopt);
}

TEST(RequestHeader, ReturnsFirstOfThatName) {
  const auto request = with_headers({{"accept", "a"}, {"accept", "b"}});
  EXPECT_EQ(request.header("accept"), "a");
  EXPECT_EQ(request.header("host"), std::nullopt);
}

TEST(SetCookieValue, WritesEveryAttribute) {
  CookieOptions options;
  options.secure = true;
  options.max_age_seconds = 3600;
  EXPECT_EQ(set_cookie_value("ik_session", "abc123", options),
            "ik_session=abc123; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax");
}

TEST(SetCookieValue, SessionCookieWithoutSecureOrHttpOnly) {
  CookieOptions options;
  options.http_only = false;
  options.same_site = "Strict";
  EXPECT_EQ(set_cookie_value("ik_csrf", "t0k", options), "ik_csrf=t0k; Path=/; SameSite=Strict");
}

TEST(SetCookieValue, DeletionHasMaxAgeZero) {
  CookieOptions options;
  options.max_age_seconds = 0;
  EXPECT_EQ(set_cookie_value("ik_session", "", options), "ik_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

TEST(SetCookieValue, RefusesWhatWouldBreakTheHeader) {
  const CookieOptions options;
  EXPECT_THROW((void)set_cookie_value("bad name", "v", options), std::invalid_argument);
  EXPECT_THROW((void)set_cookie_value("", "v", options), std::invalid_argument);
  EXPECT_THROW((void)set_cookie_value("n", "a;b", options), std::invalid_argument);
  EXPECT_THROW((void)set_cookie_value("n", "a b", options), std::invalid_argument);
  EXPECT_THROW((void)set_cookie_value("n", "a\r\nX: y", options), std::invalid_argument);
  CookieOptions bad_same_site;
  bad_same_site.same_site = "lax; Domain=evil";
  EXPECT_THROW((void)set_cookie_value("n", "v", bad_same_site), std::invalid_argument);
  CookieOptions bad_path;
  bad_path.path = "/a; Domain=evil";
  EXPECT_THROW((void)set_cookie_value("n", "v", bad_path), std::invalid_argument);
}

TEST(ResponseFactories, SetStatusBodyAndContentType) {
  const auto html = Response::html(404, "<p>x</p>");
  EXPECT_EQ(html.status, 404);
  EXPECT_EQ(html.body, "<p>x</p>");
  EXPECT_EQ(html.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(Response::json(200, "{}").header("Content-Type"), "application/json");
  EXPECT_EQ(Response::text(200, "ok").header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Response::text(200, "a,b", "text/csv").header("content-type"), "text/csv");
}

TEST(ResponseFactories, RedirectStaysOnSite) {
  const auto redirect = Response::redirect("/bereich?x=1");
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(redirect.header("location"), "/bereich?x=1");
  EXPECT_TRUE(redirect.body.empty());
  EXPECT_EQ(Response::redirect("https://evil.example/").header("location"), "/");
  EXPECT_EQ(Response::redirect("//evil.example/").header("location"), "/");
  EXPECT_EQ(Response::redirect("/\\evil.example/").header("location"), "/");
  EXPECT_EQ(Response::redirect("/a\r\nSet-Cookie: x=1").header("location"), "/");
  EXPECT_EQ(Response::redirect("").header("location"), "/");
}

TEST(ResponseHeaders, SetReplacesAndAddAppends) {
  Response response;
  response.set_header("Cache-Control", "no-store");
  response.set_header("cache-control", "max-age=60");
  response.add_header("Set-Cookie", "a=1");
  response.add_header("Set-Cookie", "b=2");
  ASSERT_EQ(response.headers.size(), 3U);
  EXPECT_EQ(response.header("CACHE-CONTROL"), "max-age=60");
  EXPECT_EQ(response.headers[1].second, "a=1");
  EXPECT_EQ(response.headers[2].second, "b=2");
}

TEST(SecurityHeaders, AddsTheSiteHeadersWithoutHstsOnPlainHttp) {
  Response response;
  apply_security_headers(response, false);
  EXPECT_EQ(response.header("content-security-policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'");
  EXPECT_EQ(response.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(response.header("referrer-policy"), "strict-origin-when-cross-origin");
  EXPECT_EQ(response.header("x-frame-options"), "DENY");
  EXPECT_EQ(response.header("permissions-policy"), "camera=(), microphone=(), geolocation=()");
  EXPECT_EQ(response.header("cross-origin-opener-policy"), "same-origin");
  EXPECT_EQ(response.header("strict-transport-security"), std::nullopt);
  EXPECT_EQ(response.headers.size(), 6U);
}

TEST(SecurityHeaders, AddsHstsWhenSecure) {
  Response response;
  apply_security_headers(response, true);
  EXPECT_EQ(response.header("strict-transport-security"), "max-age=31536000; includeSubDomains");
}

TEST(SecurityHeaders, KeepsWhatTheHandlerSet) {
  Response response;
  response.set_header("X-Frame-Options", "SAMEORIGIN");
  response.set_header("content-security-policy", "default-src 'none'");
  apply_security_headers(response, true);
  EXPECT_EQ(response.header("x-frame-options"), "SAMEORIGIN");
  EXPECT_EQ(response.header("Content-Security-Policy"), "default-src 'none'");
  EXPECT_EQ(response.headers.size(), 7U);
}

ServerSettings proxied(std::vector<std::string> proxies) {
  ServerSettings settings;
  settings.trusted_proxies = std::move(proxies);
  return settings;
}

TEST(ResolveClient, UntrustedPeerIgnoresForwardedHeaders) {
  const auto origin = internal::resolve_client("203.0.113.9", "198.51.100.1", "https", proxied({"10.0.0.1"}));
  EXPECT_EQ(origin.address, "203.0.113.9");
  EXPECT_FALSE(origin.secure);
  EXPECT_FALSE(origin.via_trusted_proxy);
}

TEST(ResolveClient, TrustedPeerGivesForwardedClientAndProto) {
  const auto origin = internal::resolve_client("10.0.0.1", "198.51.100.1", "https", proxied({"10.0.0.1"}));
  EXPECT_EQ(origin.address, "198.51.100.1");
  EXPECT_TRUE(origin.secure);
  EXPECT_TRUE(origin.via_trusted_proxy);
}

TEST(ResolveClient, TakesRightMostAddressThatIsNoTrustedProxy) {
  // The client may prepend anything; only what our proxies appended counts.
  const auto settings = proxied({"10.0.0.1", "10.0.0.2"});
  const auto origin = internal::resolve_client("10.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.2", "http", settings);
  EXPECT_EQ(origin.address, "198.51.100.7");
  EXPECT_FALSE(origin.secure);
}

TEST(ResolveClient, AllTrustedGivesLeftMost) {
  const auto origin = internal::resolve_client("10.0.0.1", "10.0.0.2,10.0.0.1", std::nullopt,
                                               proxied({"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(origin.address, "10.0.0.2");
}

TEST(ResolveClient, GarbageOrMissingForwardedForKeepsPeer) {
  const auto settings = proxied({"::1"});
  EXPECT_EQ(internal::resolve_client("::1", "<script>", std::nullopt, settings).address, "::1");
  EXPECT_EQ(internal::resolve_client("::1", "", std::nullopt, settings).address, "::1");
  EXPECT_EQ(internal::resolve_client("::1", std::nullopt, std::nullopt, settings).address, "::1");
  EXPECT_EQ(internal::resolve_client("::1", "2001:db8::5", std::nullopt, settings).address, "2001:db8::5");
}

TEST(ResolveClient, ProtoUsesRightMostValueAndCanBeDistrusted) {
  auto settings = proxied({"10.0.0.1"});
  EXPECT_TRUE(internal::resolve_client("10.0.0.1", std::nullopt, "http, HTTPS", settings).secure);
  EXPECT_FALSE(internal::resolve_client("10.0.0.1", std::nullopt, "https, http", settings).secure);
  settings.trust_forwarded_proto = false;
  EXPECT_FALSE(internal::resolve_client("10.0.0.1", std::nullopt, "https", settings).secure);
}

TEST(RequestId, Validation) {
  EXPECT_TRUE(internal::is_valid_request_id("abc-DEF-123"));
  EXPECT_TRUE(internal::is_valid_request_id(std::string(64, 'a')));
  EXPECT_FALSE(internal::is_valid_request_id(std::string(65, 'a')));
  EXPECT_FALSE(internal::is_valid_request_id(""));
  EXPECT_FALSE(internal::is_valid_request_id("a b"));
  EXPECT_FALSE(internal::is_valid_request_id("a\"b"));
  EXPECT_FALSE(internal::is_valid_request_id("a_b"));
}

TEST(RequestId, NewIdsAreSixteenHexCharactersAndDiffer) {
  const auto first = internal::new_request_id();
  const auto second = internal::new_request_id();
  EXPECT_EQ(first.size(), 16U);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(first, second);
}

TEST(RequestId, KeepsIncomingOnlyFromTrustedProxyWhenValid) {
  EXPECT_EQ(internal::choose_request_id("edge-42", true), "edge-42");
  EXPECT_NE(internal::choose_request_id("edge-42", false), "edge-42");
  EXPECT_EQ(internal::choose_request_id("bad id!", true).size(), 16U);
  EXPECT_EQ(internal::choose_request_id(std::nullopt, true).size(), 16U);
}

TEST(DecodePath, DecodesAndRejectsBadEscapes) {
  EXPECT_EQ(internal::decode_path("/st%C3%A4dte/a%20b"), "/städte/a b");
  EXPECT_EQ(internal::decode_path("/a+b"), "/a+b");
  EXPECT_EQ(internal::decode_path("/%zz"), std::nullopt);
  EXPECT_EQ(internal::decode_path("/%4"), std::nullopt);
  EXPECT_EQ(internal::decode_path("/%00"), std::nullopt);
  EXPECT_EQ(internal::decode_path("/%ff"), std::nullopt);
  EXPECT_EQ(internal::decode_path("/\xff"), std::nullopt);
}

TEST(DecodePath, RefusesDotSegmentsAndNonOriginForms) {
  EXPECT_EQ(internal::decode_path("/"), "/");
  EXPECT_EQ(internal::decode_path("/a/.well-known/x..y/"), "/a/.well-known/x..y/");
  EXPECT_EQ(internal::decode_path("/assets/../etc/passwd"), std::nullopt);
  EXPECT_EQ(internal::decode_path("/assets/%2e%2e/etc/passwd"), std::nullopt);
  EXPECT_EQ(internal::decode_path("/assets/..%2Fetc"), std::nullopt);
  EXPECT_EQ(internal::decode_path("/a/./b"), std::nullopt);
  EXPECT_EQ(internal::decode_path("/a/.."), std::nullopt);
  EXPECT_EQ(internal::decode_path("*"), std::nullopt);
  EXPECT_EQ(internal::decode_path("http://example.org/"), std::nullopt);
  EXPECT_EQ(internal::decode_path(""), std::nullopt);
}

TEST(ParseMethod, KnownAndOther) {
  EXPECT_EQ(internal::parse_method("GET"), Method::get);
  EXPECT_EQ(internal::parse_method("DELETE"), Method::delete_);
  EXPECT_EQ(internal::parse_method("PROPFIND"), Method::other);
  EXPECT_EQ(method_name(Method::patch), "PATCH");
  EXPECT_EQ(method_name(Method::other), "OTHER");
}

TEST(LimitViolation, EachLimitGivesItsStatus) {
  ServerSettings settings;
  settings.max_url_bytes = 10;
  settings.max_header_bytes = 20;
  settings.max_header_fields = 2;
  settings.max_body_bytes = 5;
  const std::vector<std::pair<std::string, std::string>> fine{{"host", "x"}};
  EXPECT_EQ(internal::limit_violation(10, fine, 5, settings), 0);
  EXPECT_EQ(internal::limit_violation(11, fine, 5, settings), 414);
  EXPECT_EQ(internal::limit_violation(10, fine, 6, settings), 413);
  EXPECT_EQ(internal::limit_violation(10, {{"a", "1"}, {"b", "2"}, {"c", "3"}}, 0, settings), 431);
  EXPECT_EQ(internal::limit_violation(10, {{"a", std::string(20, 'x')}}, 0, settings), 431);
  EXPECT_EQ(internal::limit_violation(10, {{"a", std::string(10, 'x')}, {"b", std::string(10, 'x')}}, 0, settings), 431);
}

Response with_header(std::string name, std::string value) {
  Response response;
  response.headers.emplace_back(std::move(name), std::move(value));
  return response;
}

TEST(IsSendable, RefusesSplittingBadNamesAndBadStatus) {
  EXPECT_TRUE(internal::is_sendable(with_header("X-A", "value with spaces")));
  EXPECT_FALSE(internal::is_sendable(with_header("X-A", "a\r\nSet-Cookie: x=1")));
  EXPECT_FALSE(internal::is_sendable(with_header("X-A", std::string("a\0b", 3))));
  EXPECT_FALSE(internal::is_sendable(with_header("X A", "v")));
  EXPECT_FALSE(internal::is_sendable(with_header("", "v")));
  EXPECT_TRUE(internal::is_sendable(Response::text(599, "")));
  EXPECT_FALSE(internal::is_sendable(Response::text(0, "")));
  EXPECT_FALSE(internal::is_sendable(Response::text(101, "")));
  EXPECT_FALSE(internal::is_sendable(Response::text(600, "")));
}

TEST(JsonEscape, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(json_escape(R"(a"b\c)"), R"(a\"b\\c)");
  EXPECT_EQ(json_escape("line\nnext\ttab\x01"), R"(line\nnext\ttab\u0001)");
  EXPECT_EQ(json_escape("Städte"), "Städte");
  EXPECT_EQ(json_escape("bad\xff"), R"(bad\ufffd)");
}

TEST(AccessLog, FieldsFormValidJsonMembers) {
  const auto fields = internal::access_log_fields("id-1", "GET", "/a\"b", 404, 1.5, "::1");
  EXPECT_EQ(fields, R"("request_id":"id-1","method":"GET","path":"/a\"b","status":404,"duration_ms":1.500,"client":"::1")");
}

TEST(AccessLog, CutsVeryLongPaths) {
  const auto fields = internal::access_log_fields("id", "GET", "/" + std::string(5000, 'a'), 414, 0, "::1");
  EXPECT_NE(fields.find("/" + std::string(1023, 'a') + R"(","status":414)"), std::string::npos);
}

}  // namespace
}  // namespace ik::http
