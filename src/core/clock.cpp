#include "core/clock.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace ik {

std::int64_t SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int utc_year(std::int64_t epoch_seconds) {
  const std::chrono::sys_seconds at{std::chrono::seconds{epoch_seconds}};
  return static_cast<int>(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(at)}.year());
}

std::string format_utc(std::int64_t epoch_seconds) {
  const std::time_t time = epoch_seconds;
  std::tm parts{};
  gmtime_r(&time, &parts);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", parts.tm_year + 1900, parts.tm_mon + 1,
                     parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec);
}

}  // namespace ik
