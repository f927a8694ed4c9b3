#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/date.hpp"
#include "core/text.hpp"

namespace ik {
namespace {

TEST(PreciseDate, ParsesEachPrecisionAndRejectsImpossibleDays) {
  const auto day = parse_iso_date("2015-09-02");
  ASSERT_TRUE(day);
  EXPECT_EQ(day->precision, DatePrecision::day);
  EXPECT_EQ(day->iso(), "2015-09-02");
  EXPECT_EQ(parse_iso_date("2013")->precision, DatePrecision::year);
  EXPECT_EQ(parse_iso_date("2013-07")->precision, DatePrecision::month);
  EXPECT_FALSE(parse_iso_date("2023-02-29"));
  EXPECT_TRUE(parse_iso_date("2024-02-29"));
  EXPECT_FALSE(parse_iso_date("2013-13"));
  EXPECT_FALSE(parse_iso_date("13-07-2013"));
  EXPECT_FALSE(parse_iso_date("2013-7-9"));
  EXPECT_FALSE(parse_precise_date("2013-07-09", DatePrecision::year));
}

TEST(PreciseDate, RangeOfAnUncertainDate) {
  const auto year = *parse_iso_date("2013");
  EXPECT_EQ(year.earliest_day(), "2013-01-01");
  EXPECT_EQ(year.latest_day(), "2013-12-31");
  const auto month = *parse_iso_date("2024-02");
  EXPECT_EQ(month.latest_day(), "2024-02-29");
  const auto by = *parse_precise_date("2013-07-09", DatePrecision::by_day);
  EXPECT_EQ(by.latest_day(), "2013-07-09");
  EXPECT_EQ(by.earliest_day(), "0001-01-01");
}

TEST(PreciseDate, FormatsInGermanAndEnglish) {
  const auto day = *parse_iso_date("2010-05-28");
  EXPECT_EQ(format_date(day, "de"), "28. Mai 2010");
  EXPECT_EQ(format_date(day, "en"), "28 May 2010");
  EXPECT_EQ(format_date(*parse_iso_date("2013-07"), "de"), "Juli 2013");
  EXPECT_EQ(format_date(*parse_precise_date("2013-07-09", DatePrecision::by_day), "de"), "spätestens 9. Juli 2013");
  EXPECT_EQ(format_date(*parse_precise_date("2013-07-09", DatePrecision::by_day), "en"), "by 9 July 2013");
}

// A Stichtag as people type it (issue 16): German as Excel shows it, or ISO.
TEST(PreciseDate, EnteredDatesInGermanOrIso) {
  const std::vector<std::pair<std::string, std::string>> accepted = {
      {"31.12.2024", "2024-12-31"}, {"1.7.2024", "2024-07-01"}, {"01.07.2024", "2024-07-01"},
      {"12.2024", "2024-12"},       {"2.2024", "2024-02"},      {" 29.02.2024 ", "2024-02-29"},
      {"2024-12-31", "2024-12-31"}, {"2024-12", "2024-12"},     {"2024", "2024"}};
  for (const auto& [typed, iso] : accepted) {
    const auto date = parse_entered_date(typed);
    ASSERT_TRUE(date) << typed;
    EXPECT_EQ(date->iso(), iso) << typed;
  }
  for (const auto* typed : {"", "31.02.2024", "29.02.2023", "31.12.24", "32.12.2024", "31.12.2024.", ".12.2024",
                            "1.1.1.2024", "123.1.2024", "31.12.-202", "+1.12.2024", "Ende 2024", "2024-13"}) {
    EXPECT_FALSE(parse_entered_date(typed)) << typed;
  }
  EXPECT_EQ(format_numeric_date(*parse_entered_date("1.7.2024"), "de"), "01.07.2024");
  EXPECT_EQ(format_numeric_date(*parse_entered_date("7.2024"), "de"), "07.2024");
  EXPECT_EQ(format_numeric_date(*parse_entered_date("2024"), "de"), "2024");
  EXPECT_EQ(format_numeric_date(*parse_entered_date("1.7.2024"), "en"), "2024-07-01");
}

TEST(PreciseDate, EpochSecondsOfTheFirstDay) {
  EXPECT_EQ(epoch_seconds(*parse_iso_date("1970-01-01")), 0);
  EXPECT_EQ(epoch_seconds(*parse_iso_date("2010-05-28")), 1275004800);
  EXPECT_EQ(epoch_seconds(*parse_iso_date("2013")), epoch_seconds(*parse_iso_date("2013-01-01")));
}

TEST(Clock, UtcYearTurnsAtMidnightOnNewYearsEve) {
  constexpr std::int64_t new_year_2027 = 1'798'761'600;  // 2027-01-01T00:00:00Z
  EXPECT_EQ(utc_year(new_year_2027 - 1), 2026);
  EXPECT_EQ(utc_year(new_year_2027), 2027);
  EXPECT_EQ(utc_year(0), 1970);
  EXPECT_EQ(format_utc(new_year_2027), "2027-01-01T00:00:00Z");
}

TEST(Text, FormBodiesDecodeAndRejectBrokenEscapes) {
  const auto form = text::parse_form("benutzername=m%C3%BCller&passwort=a+b%26c&leer=");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->at("benutzername"), "müller");
  EXPECT_EQ(form->at("passwort"), "a b&c");
  EXPECT_EQ(form->at("leer"), "");
  EXPECT_FALSE(text::parse_form("a=%"));
  EXPECT_FALSE(text::parse_form("a=%4"));
  EXPECT_FALSE(text::parse_form("a=%zz"));
  EXPECT_FALSE(text::parse_form("a=%FF"));  // not UTF-8
}

TEST(Text, Utf8Validation) {
  EXPECT_TRUE(text::is_valid_utf8("Mülheim an der Ruhr – ٱلْعَرَبِيَّة"));
  EXPECT_FALSE(text::is_valid_utf8("\xC0\xAF"));        // overlong '/'
  EXPECT_FALSE(text::is_valid_utf8("\xED\xA0\x80"));    // surrogate
  EXPECT_FALSE(text::is_valid_utf8("abc\xE2\x82"));     // truncated
  EXPECT_EQ(text::code_points("Mülheim"), 7u);
}

TEST(Text, PercentEncodeKeepsPathsReadable) {
  EXPECT_EQ(text::percent_encode("/bereich?a=1&b=ü"), "/bereich%3Fa%3D1%26b%3D%C3%BC");
}

TEST(Crypto, TokensAreRandomHexOfTheRequestedSize) {
  const auto first = crypto::random_token(32);
  const auto second = crypto::random_token(32);
  EXPECT_EQ(first.size(), 64u);
  EXPECT_NE(first, second);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(crypto::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(crypto::base64("Grüße"), "R3LDvMOfZQ==");
  EXPECT_TRUE(crypto::constant_time_equal("abc", "abc"));
  EXPECT_FALSE(crypto::constant_time_equal("abc", "abd"));
  EXPECT_FALSE(crypto::constant_time_equal("abc", "abcd"));
}

}  // namespace
}  // namespace ik
