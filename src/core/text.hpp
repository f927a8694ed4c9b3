// Small text helpers shared by every layer.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ik::text {

std::string_view trim(std::string_view text);
std::string lower_ascii(std::string_view text);
bool is_valid_utf8(std::string_view text);
// Number of Unicode code points (the text must be valid UTF-8).
std::size_t code_points(std::string_view text);
// Percent-decoding as in URLs and form bodies ('+' becomes a space when `plus_is_space`).
// nullopt when an escape is malformed or the result is not valid UTF-8.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
std::string percent_encode(std::string_view text);
// application/x-www-form-urlencoded and query strings. Later duplicates win.
// nullopt when the body is malformed.
std::optional<std::map<std::string, std::string>> parse_form(std::string_view body);
// A decimal integer (optional '-'); nullopt for anything else.
std::optional<long long> parse_int(std::string_view text);

}  // namespace ik::text
