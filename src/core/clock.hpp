// Time through one seam, so that session expiry, throttling and invitations can be tested
// without sleeping.
#pragma once

#include <cstdint>
#include <string>

namespace ik {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch, UTC.
  virtual std::int64_t now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t now() const override;
};

// A clock the test moves by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start) : now_(start) {}
  std::int64_t now() const override { return now_; }
  void advance(std::int64_t seconds) { now_ += seconds; }

 private:
  std::int64_t now_;
};

// "2026-11-25T11:52:48Z"
std::string format_utc(std::int64_t epoch_seconds);
// The calendar year (UTC) of `epoch_seconds`: 2026.
int utc_year(std::int64_t epoch_seconds);

}  // namespace ik
