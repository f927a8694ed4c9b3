// Calendar dates that admit what is not known. The cooperation's history has dates known to
// the day, to the month, to the year, or only as "by" (at the latest on) a day; none is ever
// filled in by guessing.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ik {

enum class DatePrecision { day, month, year, by_day };

struct PreciseDate {
  int year = 0;
  int month = 0;  // 0 when precision is year
  int day = 0;    // 0 unless precision is day or by_day
  DatePrecision precision = DatePrecision::day;

  // ISO 8601 with only the known part: "2015-09-02", "2013-07", "2013".
  std::string iso() const;
  // The earliest and latest day the date can stand for, as "YYYY-MM-DD".
  std::string earliest_day() const;
  std::string latest_day() const;

  auto operator<=>(const PreciseDate&) const = default;
};

std::string_view precision_name(DatePrecision precision);  // "day", "month", "year", "by"
std::optional<DatePrecision> parse_precision(std::string_view name);

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a real calendar day) with the given precision;
// nullopt when the text does not fit the precision.
std::optional<PreciseDate> parse_precise_date(std::string_view iso, DatePrecision precision);
// Parses a date whose precision follows from its form ("2013" → year, "2013-07" → month).
std::optional<PreciseDate> parse_iso_date(std::string_view iso);

// A date as a person types it into a form or a spreadsheet: German "31.12.2024", "1.7.2024",
// "12.2024", or ISO "2024-12-31", "2024-12", "2024"; white space around it is ignored. nullopt for
// anything else (a two-digit year, text) and for a day that does not exist.
std::optional<PreciseDate> parse_entered_date(std::string_view text);

bool is_valid_day(int year, int month, int day);

// Unix seconds at 00:00 UTC of the date's earliest day.
std::int64_t epoch_seconds(const PreciseDate& date);

// As a form shows a date for editing: "31.12.2024", "12.2024", "2024" in German, ISO in English.
std::string format_numeric_date(const PreciseDate& date, std::string_view language);

// "28. Mai 2010", "Juli 2013", "2013", "spätestens 9. Juli 2013"; English: "28 May 2010", "by 9 July 2013".
std::string format_date(const PreciseDate& date, std::string_view language);

}  // namespace ik
