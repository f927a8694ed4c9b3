#include "core/date.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "core/text.hpp"

namespace ik {
namespace {

constexpr std::array<std::string_view, 12> kMonthsDe{"Januar", "Februar", "März",     "April",
                                                     "Mai",    "Juni",    "Juli",     "August",
                                                     "September", "Oktober", "November", "Dezember"};
constexpr std::array<std::string_view, 12> kMonthsEn{"January", "February", "March",    "April",
                                                     "May",     "June",     "July",     "August",
                                                     "September", "October", "November", "December"};

std::optional<int> parse_digits(std::string_view text, std::size_t count) {
  if (text.size() != count) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

}  // namespace

bool is_valid_day(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

std::string_view precision_name(DatePrecision precision) {
  switch (precision) {
    case DatePrecision::day: return "day";
    case DatePrecision::month: return "month";
    case DatePrecision::year: return "year";
    case DatePrecision::by_day: return "by";
  }
  return "day";
}

std::optional<DatePrecision> parse_precision(std::string_view name) {
  if (name == "day") return DatePrecision::day;
  if (name == "month") return DatePrecision::month;
  if (name == "year") return DatePrecision::year;
  if (name == "by") return DatePrecision::by_day;
  return std::nullopt;
}

std::optional<PreciseDate> parse_precise_date(std::string_view iso, DatePrecision precision) {
  PreciseDate date;
  date.precision = precision;
  auto year = parse_digits(iso.substr(0, 4), 4);
  if (!year || *year < 1) return std::nullopt;
  date.year = *year;
  if (precision == DatePrecision::year) {
    return iso.size() == 4 ? std::optional(date) : std::nullopt;
  }
  if (iso.size() < 7 || iso[4] != '-') return std::nullopt;
  auto month = parse_digits(iso.substr(5, 2), 2);
  if (!month || *month < 1 || *month > 12) return std::nullopt;
  date.month = *month;
  if (precision == DatePrecision::month) {
    return iso.size() == 7 ? std::optional(date) : std::nullopt;
  }
  if (iso.size() != 10 || iso[7] != '-') return std::nullopt;
  auto day = parse_digits(iso.substr(8, 2), 2);
  if (!day || !is_valid_day(date.year, date.month, *day)) return std::nullopt;
  date.day = *day;
  return date;
}

std::optional<PreciseDate> parse_iso_date(std::string_view iso) {
  switch (iso.size()) {
    case 4: return parse_precise_date(iso, DatePrecision::year);
    case 7: return parse_precise_date(iso, DatePrecision::month);
    case 10: return parse_precise_date(iso, DatePrecision::day);
    default: return std::nullopt;
  }
}

std::optional<PreciseDate> parse_entered_date(std::string_view text) {
  text = text::trim(text);
  if (text.find('.') == std::string_view::npos) return parse_iso_date(text);
  // German: [day.]month.year, day and month with one or two digits, the year with four.
  std::vector<std::string> parts;
  for (std::size_t begin = 0; begin <= text.size();) {
    const auto end = std::min(text.find('.', begin), text.size());
    const auto part = text.substr(begin, end - begin);
    const bool digits = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || parts.size() == 3) return std::nullopt;
    parts.emplace_back(part.size() == 1 ? "0" + std::string(part) : std::string(part));
    begin = end + 1;
  }
  const auto& year = parts.back();
  const bool fits = parts.size() >= 2 && year.size() == 4 &&
                    std::all_of(parts.begin(), parts.end() - 1, [](const std::string& part) { return part.size() == 2; });
  if (!fits) return std::nullopt;
  return parse_iso_date(year + "-" + parts[parts.size() - 2] + (parts.size() == 3 ? "-" + parts[0] : std::string()));
}

std::string format_numeric_date(const PreciseDate& date, std::string_view language) {
  if (language == "en") return date.iso();
  switch (date.precision) {
    case DatePrecision::year: return fmt::format("{:04}", date.year);
    case DatePrecision::month: return fmt::format("{:02}.{:04}", date.month, date.year);
    case DatePrecision::day:
    case DatePrecision::by_day: return fmt::format("{:02}.{:02}.{:04}", date.day, date.month, date.year);
  }
  return {};
}

std::string PreciseDate::iso() const {
  switch (precision) {
    case DatePrecision::year: return fmt::format("{:04}", year);
    case DatePrecision::month: return fmt::format("{:04}-{:02}", year, month);
    case DatePrecision::day:
    case DatePrecision::by_day: return fmt::format("{:04}-{:02}-{:02}", year, month, day);
  }
  return {};
}

std::string PreciseDate::earliest_day() const {
  switch (precision) {
    case DatePrecision::year: return fmt::format("{:04}-01-01", year);
    case DatePrecision::month: return fmt::format("{:04}-{:02}-01", year, month);
    case DatePrecision::day: return iso();
    case DatePrecision::by_day: return "0001-01-01";
  }
  return {};
}

std::string PreciseDate::latest_day() const {
  switch (precision) {
    case DatePrecision::year: return fmt::format("{:04}-12-31", year);
    case DatePrecision::month:
      return fmt::format("{:04}-{:02}-{:02}", year, month, days_in_month(year, month));
    case DatePrecision::day:
    case DatePrecision::by_day: return iso();
  }
  return {};
}

std::int64_t epoch_seconds(const PreciseDate& date) {
  using namespace std::chrono;
  const int month = date.precision == DatePrecision::year ? 1 : date.month;
  const int day = date.precision == DatePrecision::day || date.precision == DatePrecision::by_day ? date.day : 1;
  const sys_days days{year{date.year} / static_cast<unsigned>(month) / static_cast<unsigned>(day)};
  return duration_cast<seconds>(days.time_since_epoch()).count();
}

std::string format_date(const PreciseDate& date, std::string_view language) {
  const bool english = language == "en";
  const auto& months = english ? kMonthsEn : kMonthsDe;
  const auto month_name = [&] { return months[static_cast<std::size_t>(date.month - 1)]; };
  switch (date.precision) {
    case DatePrecision::year: return fmt::format("{}", date.year);
    case DatePrecision::month: return fmt::format("{} {}", month_name(), date.year);
    case DatePrecision::day:
      return english ? fmt::format("{} {} {}", date.day, month_name(), date.year)
                     : fmt::format("{}. {} {}", date.day, month_name(), date.year);
    case DatePrecision::by_day:
      return english ? fmt::format("by {} {} {}", date.day, month_name(), date.year)
                     : fmt::format("spätestens {}. {} {}", date.day, month_name(), date.year);
  }
  return {};
}

}  // namespace ik
