// Prometheus metrics: requests by route and status, a latency histogram, database errors.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace ik::app {

class Metrics {
 public:
  void record_request(const std::string& route, int status, double seconds);
  void record_database_error() { database_errors_.fetch_add(1, std::memory_order_relaxed); }
  // The Prometheus text exposition format (version 0.0.4).
  std::string exposition() const;

  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::atomic<std::uint64_t> database_errors_{0};
};

}  // namespace ik::app
