#include "http/compression.hpp"

#include <zlib.h>

#include <stdexcept>

namespace ik::http {
namespace {

char lower(char character) {
  return character >= 'A' && character <= 'Z' ? static_cast<char>(character - 'A' + 'a') : character;
}

std::string lowercase(std::string_view text) {
  std::string result(text);
  for (auto& character : result) character = lower(character);
  return result;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// q-value of one Accept-Encoding member's parameters (";q=0.5"); 1 without one.
bool has_positive_quality(std::string_view parameters) {
  const auto q = parameters.find("q=");
  if (q == std::string_view::npos) return true;
  const auto value = trim(parameters.substr(q + 2));
  // "0", "0.", "0.0", "0.000" refuse; anything else (up to 1) accepts.
  for (const char character : value) {
    if (character == '.' || character == '0') continue;
    return character >= '1' && character <= '9';
  }
  return false;
}

void add_vary(Response& response) {
  if (!response.header("vary")) response.set_header("Vary", "Accept-Encoding");
}

}  // namespace

bool accepts_gzip(const Request& request) {
  const auto header = request.header("accept-encoding");
  if (!header) return false;
  const std::string value = lowercase(*header);
  std::string_view rest = value;
  bool star = false;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto member = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const auto semicolon = member.find(';');
    const auto coding = trim(member.substr(0, semicolon));
    const auto parameters = semicolon == std::string_view::npos ? std::string_view{} : member.substr(semicolon);
    if (coding == "gzip" || coding == "x-gzip") return has_positive_quality(parameters);
    if (coding == "*") star = has_positive_quality(parameters);
  }
  return star;
}

bool is_compressible(std::string_view content_type) {
  const std::string type = lowercase(trim(content_type.substr(0, content_type.find(';'))));
  return type.starts_with("text/") || type == "application/json" || type.ends_with("+json") ||
         type == "application/xml" || type.ends_with("+xml") || type == "image/svg+xml" ||
         type == "application/javascript";
}

bool may_compress(const Response& response) {
  if (response.status != 200 || response.body.size() < kMinCompressedBodyBytes) return false;
  if (response.header("content-encoding")) return false;
  if (response.header("cache-control").value_or("").find("no-store") != std::string_view::npos) return false;
  return is_compressible(response.header("content-type").value_or(""));
}

std::string gzip(std::string_view data) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string result(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(result.data());
  stream.avail_out = static_cast<uInt>(result.size());
  // deflateBound leaves room for the whole output, so one call with Z_FINISH completes.
  const int status = deflate(&stream, Z_FINISH);
  result.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return result;
}

Response gzip_variant(Response& plain) {
  add_vary(plain);
  Response compressed = plain;
  compressed.body = gzip(plain.body);
  compressed.set_header("Content-Encoding", "gzip");
  if (const auto etag = plain.header("etag"); etag && etag->size() >= 2 && etag->back() == '"') {
    std::string tagged(etag->substr(0, etag->size() - 1));
    compressed.set_header("ETag", tagged + "-gz\"");
  }
  return compressed;
}

void negotiate_encoding(Response& response, const Request& request) {
  if (!may_compress(response)) return;
  if (!accepts_gzip(request)) {
    add_vary(response);
    return;
  }
  response = gzip_variant(response);
}

}  // namespace ik::http
