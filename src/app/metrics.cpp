#include "app/metrics.hpp"

#include <fmt/format.h>

namespace ik::app {

void Metrics::record_request(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  auto& histogram = latency_[route];
  for (std::size_t index = 0; index < kBuckets.size(); ++index) {
    if (seconds <= kBuckets[index]) ++histogram.buckets[index];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

std::string Metrics::exposition() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP ik_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE ik_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += fmt::format("ik_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first, key.second, count);
  }
  out += "# HELP ik_http_request_duration_seconds Time to answer a request.\n";
  out += "# TYPE ik_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_) {
    for (std::size_t index = 0; index < kBuckets.size(); ++index) {
      out += fmt::format("ik_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                         kBuckets[index], histogram.buckets[index]);
    }
    out += fmt::format("ik_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route,
                       histogram.count);
    out += fmt::format("ik_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, histogram.sum);
    out += fmt::format("ik_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, histogram.count);
  }
  out += "# HELP ik_database_errors_total Database operations that failed as unavailable or internal.\n";
  out += "# TYPE ik_database_errors_total counter\n";
  out += fmt::format("ik_database_errors_total {}\n", database_errors_.load(std::memory_order_relaxed));
  return out;
}

}  // namespace ik::app
