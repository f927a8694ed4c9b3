// Exact numbers: Rational, formatting, shares and indices.
#include <algorithm>
#include <cctype>

#include "monitoring/figures.hpp"
#include "monitoring/figures_internal.hpp"

namespace ik::monitoring {
namespace {

bool is_integer_text(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char character) {
    return std::isdigit(static_cast<unsigned char>(character)) != 0;
  });
}

Error invalid_number() { return Error::invalid("value", "figures.invalid_number"); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0)
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0)
    text.remove_suffix(1);
  return text;
}

BigInt power_of_ten(int exponent) {
  BigInt result = 1;
  for (int step = 0; step < exponent; ++step) result *= 10;
  return result;
}

// Boost 1.74 refuses a negative denominator ("non-zero singular denominator").
BigRational quotient(BigInt numerator, BigInt denominator) {
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  return BigRational(numerator, denominator);
}

}  // namespace

BigRational RationalAccess::big(const Rational& value) {
  return BigRational(BigInt(value.numerator_), BigInt(value.denominator_));
}

Rational RationalAccess::make(const BigRational& value) {
  return Rational(boost::multiprecision::numerator(value).str(),
                  boost::multiprecision::denominator(value).str());
}

std::optional<Rational> Rational::of(std::int64_t numerator, std::int64_t denominator) {
  if (denominator == 0) return std::nullopt;
  return RationalAccess::make(quotient(BigInt(numerator), BigInt(denominator)));
}

Result<Rational> Rational::parse(std::string_view text) {
  text = trim(text);
  const auto slash = text.find('/');
  const std::string_view numerator = text.substr(0, slash);
  const std::string_view denominator =
      slash == std::string_view::npos ? "1" : text.substr(slash + 1);
  if (!is_integer_text(numerator) || !is_integer_text(denominator)) return invalid_number();
  const BigInt bottom{std::string(denominator)};
  if (bottom == 0) return invalid_number();
  return RationalAccess::make(quotient(BigInt(std::string(numerator)), bottom));
}

Result<Rational> Rational::parse_decimal(std::string_view text) {
  text = trim(text);
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  const auto mark = text.find_first_of(",.");
  const std::string_view whole = text.substr(0, mark);
  const std::string_view fraction = mark == std::string_view::npos ? "" : text.substr(mark + 1);
  const bool fraction_ok = mark == std::string_view::npos || is_integer_text(fraction);
  if (!is_integer_text(whole) || whole.front() == '-' || !fraction_ok ||
      (!fraction.empty() && fraction.front() == '-') || fraction.size() > 30) {
    return invalid_number();
  }
  BigInt digits(std::string(whole) + std::string(fraction));
  if (negative) digits = -digits;
  return RationalAccess::make(BigRational(digits, power_of_ten(static_cast<int>(fraction.size()))));
}

std::string Rational::text() const {
  return denominator_ == "1" ? numerator_ : numerator_ + "/" + denominator_;
}

std::string Rational::format(int decimals, DecimalMark mark) const {
  decimals = std::clamp(decimals, 0, 9);
  BigInt top(numerator_);
  const BigInt bottom(denominator_);
  const bool negative = top < 0;
  if (negative) top = -top;
  top *= power_of_ten(decimals);
  BigInt rounded = top / bottom;
  // Half away from zero: the magnitude rounds up when the remainder is at least half.
  if (2 * (top % bottom) >= bottom) ++rounded;
  std::string digits = rounded.str();
  if (digits.size() <= static_cast<std::size_t>(decimals)) {
    digits.insert(0, static_cast<std::size_t>(decimals) + 1 - digits.size(), '0');
  }
  if (decimals > 0) {
    digits.insert(digits.size() - static_cast<std::size_t>(decimals), 1,
                  mark == DecimalMark::comma ? ',' : '.');
  }
  return negative && rounded != 0 ? "-" + digits : digits;
}

double Rational::approximate() const { return RationalAccess::big(*this).convert_to<double>(); }

Rational Rational::operator+(const Rational& other) const {
  return RationalAccess::make(RationalAccess::big(*this) + RationalAccess::big(other));
}
Rational Rational::operator-(const Rational& other) const {
  return RationalAccess::make(RationalAccess::big(*this) - RationalAccess::big(other));
}
Rational Rational::operator*(const Rational& other) const {
  return RationalAccess::make(RationalAccess::big(*this) * RationalAccess::big(other));
}
std::optional<Rational> Rational::divided_by(const Rational& other) const {
  if (other.is_zero()) return std::nullopt;
  return RationalAccess::make(RationalAccess::big(*this) / RationalAccess::big(other));
}

std::strong_ordering Rational::operator<=>(const Rational& other) const {
  const BigRational left = RationalAccess::big(*this);
  const BigRational right = RationalAccess::big(other);
  if (left < right) return std::strong_ordering::less;
  if (right < left) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

std::string format_count(std::int64_t count, DecimalMark mark) {
  const std::string digits = std::to_string(count < 0 ? -count : count);
  const char separator = mark == DecimalMark::comma ? '.' : ',';
  std::string out;
  for (std::size_t position = 0; position < digits.size(); ++position) {
    if (position > 0 && (digits.size() - position) % 3 == 0) out += separator;
    out += digits[position];
  }
  return count < 0 ? "-" + out : out;
}

std::optional<Rational> share_of(std::int64_t part, std::int64_t whole) {
  return Rational::of(part, whole);
}

std::string format_share(const Rational& share, ShareScale scale, int decimals, DecimalMark mark) {
  if (scale == ShareScale::ratio) return share.format(decimals, mark);
  return (share * *Rational::of(100, 1)).format(decimals, mark);
}

std::optional<Rational> representation_index(ShareCounts staff, ShareCounts population) {
  const auto staff_share = share_of(staff.part, staff.whole);
  const auto population_share = share_of(population.part, population.whole);
  if (!staff_share || !population_share) return std::nullopt;
  return staff_share->divided_by(*population_share);
}

std::optional<Rational> age_standardised_index(std::span<const AgeBand> bands) {
  BigInt population_total = 0;
  BigInt population_with = 0;
  for (const AgeBand& band : bands) {
    if (band.staff.whole == 0) return std::nullopt;
    population_total += band.population.whole;
    population_with += band.population.part;
  }
  if (population_total == 0 || population_with == 0) return std::nullopt;
  BigRational standardised = 0;
  for (const AgeBand& band : bands) {
    const BigRational weight(BigInt(band.population.whole), population_total);
    standardised += weight * BigRational(BigInt(band.staff.part), BigInt(band.staff.whole));
  }
  return RationalAccess::make(standardised / BigRational(population_with, population_total));
}

Progress progress_towards(const Rational& baseline, const Rational& current,
                          const Rational& target) {
  Progress progress;
  if (target == baseline) {
    progress.reached = current >= target;
    return progress;
  }
  progress.achieved = (current - baseline).divided_by(target - baseline);
  progress.reached = target > baseline ? current >= target : current <= target;
  return progress;
}

}  // namespace ik::monitoring
