// Cell names, German number parsing and Excel date serials.
#include <array>
#include <charconv>
#include <cstdio>
#include <limits>

#include "core/text.hpp"
#include "tabular/internal.hpp"
#include "tabular/tabular.hpp"

namespace ik::tabular {
namespace {

constexpr int kMaxDigits = 18;  // every 18-digit number fits in int64

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Appends the digits of `digits` to `units`; false on overflow.
bool append_digits(std::string_view digits, std::int64_t& units, int& digit_count) {
  for (const char c : digits) {
    if (units == 0 && c == '0') continue;  // leading zeros do not count against the width
    if (++digit_count > kMaxDigits) return false;
    units = units * 10 + (c - '0');
  }
  return true;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// "1.234.567": a first group of 1–3 digits, then groups of exactly three, separated by dots.
bool is_grouped(std::string_view text) {
  const auto first_dot = text.find('.');
  const auto head = text.substr(0, first_dot);
  if (!all_digits(head) || head.size() > 3) return false;
  for (auto rest = text.substr(first_dot); !rest.empty(); rest.remove_prefix(4)) {
    if (rest.size() < 4 || rest[0] != '.' || !all_digits(rest.substr(1, 3))) return false;
  }
  return true;
}

std::string without_dots(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (c != '.') digits += c;
  }
  return digits;
}

Result<Decimal> make_decimal(bool negative, std::string_view integer_digits, std::string_view fraction_digits,
                             std::string_view cell) {
  Decimal number;
  int digit_count = 0;
  if (!append_digits(integer_digits, number.units, digit_count) ||
      !append_digits(fraction_digits, number.units, digit_count)) {
    return Error::invalid(std::string(cell), "import.number_invalid");
  }
  number.scale = static_cast<int>(fraction_digits.size());
  if (negative) number.units = -number.units;
  return number;
}

// German text: "1.234", "1.234,5", "12,5", "-3".
Result<Decimal> parse_german(std::string_view text, std::string_view cell) {
  const bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  const auto comma = text.find(',');
  const auto last_dot = text.rfind('.');
  if (comma != std::string_view::npos && last_dot != std::string_view::npos && last_dot > comma) {
    return Error::invalid(std::string(cell), "import.number_mixed_format");
  }
  const auto integer_part = text.substr(0, comma);
  const auto fraction_part = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  if (comma != std::string_view::npos && !all_digits(fraction_part)) {
    return Error::invalid(std::string(cell), "import.number_invalid");
  }
  if (integer_part.find('.') == std::string_view::npos) {
    if (!all_digits(integer_part)) return Error::invalid(std::string(cell), "import.number_invalid");
    return make_decimal(negative, integer_part, fraction_part, cell);
  }
  if (is_grouped(integer_part)) return make_decimal(negative, without_dots(integer_part), fraction_part, cell);
  // "12.5": an English decimal point where German uses a comma.
  const auto dot = integer_part.find('.');
  if (comma == std::string_view::npos && dot == last_dot && all_digits(integer_part.substr(0, dot)) &&
      all_digits(integer_part.substr(dot + 1))) {
    return Error::invalid(std::string(cell), "import.number_decimal_point");
  }
  return Error::invalid(std::string(cell), "import.number_invalid");
}

// An XLSX number as stored in the file: "1234", "-0.35", "1.5E-3".
Result<Decimal> parse_canonical(std::string_view text, std::string_view cell) {
  const auto invalid = [&] { return Error::invalid(std::string(cell), "import.number_invalid"); };
  int exponent = 0;
  if (const auto e = text.find_first_of("eE"); e != std::string_view::npos) {
    auto exponent_text = text.substr(e + 1);
    if (exponent_text.starts_with('+')) exponent_text.remove_prefix(1);
    const auto [end, error] = std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
    if (error != std::errc{} || end != exponent_text.data() + exponent_text.size() || exponent < -kMaxDigits ||
        exponent > kMaxDigits) {
      return invalid();
    }
    text = text.substr(0, e);
  }
  const bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  const auto dot = text.find('.');
  const auto integer_part = text.substr(0, dot);
  const auto fraction_part = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (!all_digits(integer_part) || (dot != std::string_view::npos && !all_digits(fraction_part))) return invalid();
  auto number = make_decimal(negative, integer_part, fraction_part, cell);
  if (!number) return number;
  number->scale -= exponent;
  for (; number->scale < 0; ++number->scale) {
    if (number->units > std::numeric_limits<std::int64_t>::max() / 10 ||
        number->units < std::numeric_limits<std::int64_t>::min() / 10) {
      return invalid();
    }
    number->units *= 10;
  }
  return number;
}

std::int64_t power_of_ten(int exponent) {
  std::int64_t result = 1;
  for (int step = 0; step < exponent; ++step) result *= 10;
  return result;
}

}  // namespace

const Cell& Row::at(int column) const {
  static const Cell empty;
  if (column < 1 || static_cast<std::size_t>(column) > cells.size()) return empty;
  return cells[static_cast<std::size_t>(column - 1)];
}

std::string column_letters(int column) {
  std::string letters;
  for (; column > 0; column = (column - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (column - 1) % 26));
  }
  return letters;
}

std::string cell_name(int row, int column) { return column_letters(column) + std::to_string(row); }

std::optional<Position> parse_cell_name(std::string_view name) {
  Position position;
  std::size_t index = 0;
  for (; index < name.size() && name[index] >= 'A' && name[index] <= 'Z'; ++index) {
    if (position.column > 1'000'000) return std::nullopt;
    position.column = position.column * 26 + (name[index] - 'A' + 1);
  }
  const auto digits = name.substr(index);
  if (index == 0 || digits.empty() || digits.size() > 9 || !all_digits(digits) || digits[0] == '0') return std::nullopt;
  std::from_chars(digits.data(), digits.data() + digits.size(), position.row);
  return position;
}

Result<std::optional<Decimal>> parse_decimal(const Cell& value, std::string_view cell) {
  const auto text = ik::text::trim(value.value);
  if (text.empty()) return std::optional<Decimal>{};
  if (value.kind == CellKind::boolean) return Error::invalid(std::string(cell), "import.number_invalid");
  auto number = value.kind == CellKind::number ? parse_canonical(text, cell) : parse_german(text, cell);
  if (!number) return number.take_error();
  return std::optional<Decimal>{*number};
}

Result<std::optional<std::int64_t>> parse_count(const Cell& value, std::string_view cell) {
  auto number = parse_decimal(value, cell);
  if (!number) return number.take_error();
  if (!number->has_value()) return std::optional<std::int64_t>{};
  const auto divisor = power_of_ten((*number)->scale);
  // "12,0" is a whole number written with a decimal; "12,5" is not a count.
  if ((*number)->units % divisor != 0) return Error::invalid(std::string(cell), "import.number_not_integer");
  return std::optional<std::int64_t>{(*number)->units / divisor};
}

std::optional<std::string> excel_serial_to_iso(std::string_view number) {
  long long serial = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), serial);
  if (error != std::errc{} || end != number.data() + number.size() || serial < 1 || serial > 2'958'465) {
    return std::nullopt;
  }
  // Excel counts 1900-02-29, a day that never was: serials from 61 on are one day ahead.
  if (serial == 60) return std::nullopt;
  const long long days_since_1900_01_01 = serial < 60 ? serial - 1 : serial - 2;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  const long long z = days_since_1900_01_01 - 25'567 + 719'468;
  const long long era = z / 146'097;
  const long long day_of_era = z - era * 146'097;
  const long long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const long long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const long long month_index = (5 * day_of_year + 2) / 153;
  const long long day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const long long month = month_index < 10 ? month_index + 3 : month_index - 9;
  const long long year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  std::array<char, 16> buffer{};
  const auto written = std::snprintf(buffer.data(), buffer.size(), "%04lld-%02lld-%02lld", year, month, day);
  return std::string(buffer.data(), static_cast<std::size_t>(written));
}

namespace internal {

void place(Row& row, int column, Cell cell) {
  const auto index = static_cast<std::size_t>(column - 1);
  if (row.cells.size() <= index) row.cells.resize(index + 1);
  row.cells[index] = std::move(cell);
}

bool is_blank(const Row& row) {
  for (const auto& cell : row.cells) {
    if (!ik::text::trim(cell.value).empty()) return false;
  }
  return true;
}

void trim_trailing(Row& row) {
  while (!row.cells.empty() && row.cells.back().value.empty()) row.cells.pop_back();
}

}  // namespace internal
}  // namespace ik::tabular
