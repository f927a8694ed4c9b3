#include "core/text.hpp"

#include <charconv>

namespace ik::text {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (auto& character : out) {
    if (character >= 'A' && character <= 'Z') character = static_cast<char>(character - 'A' + 'a');
  }
  return out;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t index = 0;
  while (index < text.size()) {
    const auto lead = static_cast<unsigned char>(text[index]);
    std::size_t length = 0;
    char32_t code_point = 0;
    if (lead < 0x80) { ++index; continue; }
    if ((lead & 0xE0) == 0xC0) { length = 2; code_point = lead & 0x1Fu; }
    else if ((lead & 0xF0) == 0xE0) { length = 3; code_point = lead & 0x0Fu; }
    else if ((lead & 0xF8) == 0xF0) { length = 4; code_point = lead & 0x07u; }
    else return false;
    if (index + length > text.size()) return false;
    for (std::size_t offset = 1; offset < length; ++offset) {
      const auto next = static_cast<unsigned char>(text[index + offset]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3Fu);
    }
    const bool overlong = (length == 2 && code_point < 0x80) || (length == 3 && code_point < 0x800) ||
                          (length == 4 && code_point < 0x10000);
    if (overlong || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return false;
    index += length;
  }
  return true;
}

std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (const char character : text) {
    if ((static_cast<unsigned char>(character) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char character = text[index];
    if (character == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (character == '%') {
      if (index + 2 >= text.size()) return std::nullopt;
      unsigned value = 0;
      auto [end, ec] = std::from_chars(text.data() + index + 1, text.data() + index + 3, value, 16);
      if (ec != std::errc{} || end != text.data() + index + 3) return std::nullopt;
      out.push_back(static_cast<char>(value));
      index += 2;
    } else {
      out.push_back(character);
    }
  }
  if (!is_valid_utf8(out)) return std::nullopt;
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char character : text) {
    const auto byte = static_cast<unsigned char>(character);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' ||
                            byte == '.' || byte == '~' || byte == '/';
    if (unreserved) {
      out.push_back(character);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>> parse_form(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const auto pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    fields[std::move(*name)] = std::move(*value);
  }
  return fields;
}

std::optional<long long> parse_int(std::string_view text) {
  if (text.empty()) return std::nullopt;
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace ik::text
