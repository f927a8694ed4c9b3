// multipart/form-data bodies as browsers send them, and the malformed ones that are refused.
#include <gtest/gtest.h>

#include "http/multipart.hpp"

namespace ik::http {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=----WebKitFormBoundaryx7Qa";

std::string body_of(std::initializer_list<std::string> parts) {
  std::string body;
  for (const auto& part : parts) body += "------WebKitFormBoundaryx7Qa\r\n" + part + "\r\n";
  return body + "------WebKitFormBoundaryx7Qa--\r\n";
}

TEST(Multipart, FieldsAndFileAsChromiumSendsThem) {
  const auto body = body_of({
      "Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123",
      "Content-Disposition: form-data; name=\"datei\"; filename=\"Werte 2024.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\nStadt;Jahr\r\n\r\n--nicht die Grenze\r\nbochum;2024\r\n",
  });
  auto parts = parse_multipart(kType, body);
  ASSERT_TRUE(parts) << parts.error().message_key;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "csrf_token");
  EXPECT_FALSE((*parts)[0].file_name);
  EXPECT_EQ((*parts)[0].data, "abc123");
  const auto* file = find_part(*parts, "datei");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->file_name, "Werte 2024.csv");
  EXPECT_EQ(file->content_type, "text/csv");
  EXPECT_EQ(file->data, "Stadt;Jahr\r\n\r\n--nicht die Grenze\r\nbochum;2024\r\n");
  EXPECT_EQ(find_part(*parts, "fehlt"), nullptr);
}

TEST(Multipart, QuotedBoundaryEscapedFileNameAndBinaryData) {
  const std::string binary("PK\x03\x04\0\r\n\0", 9);
  const std::string body = "--a b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\\\"y.xlsx\"\r\n\r\n" +
                           binary + "\r\n--a b--";
  auto parts = parse_multipart("multipart/form-data; boundary=\"a b\"", body);
  ASSERT_TRUE(parts);
  EXPECT_EQ((*parts)[0].file_name, "x\"y.xlsx");
  EXPECT_EQ((*parts)[0].data, binary);
}

TEST(Multipart, EmptyFileInput) {
  auto parts = parse_multipart(kType, body_of({"Content-Disposition: form-data; name=\"datei\"; filename=\"\"\r\n"
                                               "Content-Type: application/octet-stream\r\n\r\n"}));
  ASSERT_TRUE(parts);
  EXPECT_EQ((*parts)[0].file_name, "");
  EXPECT_EQ((*parts)[0].data, "");
}

TEST(Multipart, MalformedBodiesAreRefused) {
  const std::string part = "Content-Disposition: form-data; name=\"a\"\r\n\r\nx";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"multipart/form-data", body_of({part})},                          // no boundary
      {"application/x-www-form-urlencoded", body_of({part})},            // not multipart
      {"multipart/form-data; boundary=" + std::string(71, 'a'), "x"},   // boundary too long
      {std::string(kType), "garbage" + body_of({part})},                 // no opening boundary
      {std::string(kType), body_of({part}).substr(0, 60)},               // no closing boundary
      {std::string(kType), body_of({"Content-Type: text/plain\r\n\r\nx"})},  // no disposition
      {std::string(kType), body_of({"Content-Disposition: attachment; name=\"a\"\r\n\r\nx"})},
      {std::string(kType), body_of({"Content-Disposition: form-data\r\n\r\nx"})},  // no name
      {std::string(kType), body_of({"Content-Disposition form-data; name=\"a\"\r\n\r\nx"})},
      {std::string(kType), body_of({"Content-Disposition: form-data; name=\"a\r\n\r\nx"})},
  };
  for (const auto& [type, body] : cases) {
    const auto parts = parse_multipart(type, body);
    ASSERT_FALSE(parts.ok()) << type << " | " << body;
    EXPECT_EQ(parts.error().message_key, "error.text_400");
  }
  MultipartLimits limits;
  limits.max_parts = 1;
  EXPECT_FALSE(parse_multipart(kType, body_of({part, part}), limits).ok());
  EXPECT_TRUE(parse_multipart(kType, body_of({part}), limits).ok());
}

}  // namespace
}  // namespace ik::http
