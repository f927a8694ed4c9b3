// Internal to the figures .cpp files: the bridge between Rational's digit text and Boost's
// arbitrary-precision rationals (kept out of the public header: Boost.Multiprecision is heavy).
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include "monitoring/figures.hpp"

namespace ik::monitoring {

using BigInt = boost::multiprecision::cpp_int;
using BigRational = boost::multiprecision::cpp_rational;

struct RationalAccess {
  static BigRational big(const Rational& value);
  static Rational make(const BigRational& value);
};

}  // namespace ik::monitoring
