#include "http/compression.hpp"

#include <gtest/gtest.h>

#include <string>

#include "gunzip.hpp"

namespace ik::http {
namespace {

Request with_accept_encoding(std::string value) {
  Request request;
  request.headers.emplace_back("accept-encoding", std::move(value));
  return request;
}

Response page(std::string body, std::string type = "text/html; charset=utf-8") {
  auto response = Response::text(200, std::move(body), std::move(type));
  response.set_header("Cache-Control", "no-cache");
  return response;
}

const std::string kLongText = [] {
  std::string text;
  for (int line = 0; line < 200; ++line) text += "<p>Vielfalt schafft Zukunft – Zeile " + std::to_string(line) + "</p>\n";
  return text;
}();

TEST(AcceptEncoding, GzipIsTakenUnlessRefusedByQualityZero) {
  EXPECT_TRUE(accepts_gzip(with_accept_encoding("gzip, deflate, br")));
  EXPECT_TRUE(accepts_gzip(with_accept_encoding("br;q=1.0, GZIP;q=0.5")));
  EXPECT_TRUE(accepts_gzip(with_accept_encoding("x-gzip")));
  EXPECT_TRUE(accepts_gzip(with_accept_encoding("*")));
  EXPECT_TRUE(accepts_gzip(with_accept_encoding("gzip;q=0.001")));
  EXPECT_FALSE(accepts_gzip(with_accept_encoding("gzip;q=0")));
  EXPECT_FALSE(accepts_gzip(with_accept_encoding("gzip; q=0.000, *")));
  EXPECT_FALSE(accepts_gzip(with_accept_encoding("*;q=0")));
  EXPECT_FALSE(accepts_gzip(with_accept_encoding("deflate, br")));
  EXPECT_FALSE(accepts_gzip(with_accept_encoding("identity")));
  EXPECT_FALSE(accepts_gzip(Request{}));
}

TEST(Compression, OnlyTextTypesAreWorthIt) {
  EXPECT_TRUE(is_compressible("text/html; charset=utf-8"));
  EXPECT_TRUE(is_compressible("text/csv; charset=utf-8"));
  EXPECT_TRUE(is_compressible("application/json"));
  EXPECT_TRUE(is_compressible("application/atom+xml; charset=utf-8"));
  EXPECT_TRUE(is_compressible("image/svg+xml"));
  EXPECT_FALSE(is_compressible("image/png"));
  EXPECT_FALSE(is_compressible("application/pdf"));
  EXPECT_FALSE(is_compressible("font/woff2"));
  EXPECT_FALSE(is_compressible(""));
}

TEST(Compression, PersonalSmallOrFailedResponsesStayUncompressed) {
  EXPECT_TRUE(may_compress(page(kLongText)));
  auto personal = page(kLongText);
  personal.set_header("Cache-Control", "no-store");
  EXPECT_FALSE(may_compress(personal));
  EXPECT_FALSE(may_compress(page("<p>kurz</p>")));
  auto missing = page(kLongText);
  missing.status = 404;
  EXPECT_FALSE(may_compress(missing));
  EXPECT_FALSE(may_compress(page(kLongText, "image/png")));
}

TEST(Compression, TheGzipVariantDecompressesToTheSameBytesWithItsOwnETag) {
  auto plain = page(kLongText);
  plain.set_header("ETag", "\"abc123\"");
  const auto compressed = gzip_variant(plain);
  EXPECT_EQ(compressed.header("content-encoding").value_or(""), "gzip");
  EXPECT_EQ(compressed.header("etag").value_or(""), "\"abc123-gz\"");
  EXPECT_EQ(compressed.header("vary").value_or(""), "Accept-Encoding");
  EXPECT_EQ(plain.header("vary").value_or(""), "Accept-Encoding");
  EXPECT_FALSE(plain.header("content-encoding"));
  EXPECT_LT(compressed.body.size(), plain.body.size() / 4);
  EXPECT_EQ(testing::gunzip(compressed.body), kLongText);
}

TEST(Compression, NegotiationFollowsTheRequest) {
  auto for_gzip = page(kLongText);
  negotiate_encoding(for_gzip, with_accept_encoding("gzip"));
  EXPECT_EQ(testing::gunzip(for_gzip.body), kLongText);

  auto for_identity = page(kLongText);
  negotiate_encoding(for_identity, with_accept_encoding("identity"));
  EXPECT_EQ(for_identity.body, kLongText);
  EXPECT_EQ(for_identity.header("vary").value_or(""), "Accept-Encoding");

  // Already compressed (e.g. from the page cache): left alone, not compressed twice.
  const std::string once = for_gzip.body;
  negotiate_encoding(for_gzip, with_accept_encoding("gzip"));
  EXPECT_EQ(for_gzip.body, once);
}

TEST(Compression, EmptyAndBinaryInputRoundTrip) {
  EXPECT_EQ(testing::gunzip(gzip("")), "");
  const std::string binary("\0\1\2\3\xff\xfe", 6);
  EXPECT_EQ(testing::gunzip(gzip(binary)), binary);
}

}  // namespace
}  // namespace ik::http
