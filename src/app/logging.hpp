// Structured JSON logs (one object per line) through spdlog. Every line written while a request
// is being handled carries that request's id.
#pragma once

#include <string>
#include <string_view>

namespace ik::app {

// Installs the JSON pattern (see http::kJsonLogPattern) on the default logger at `level`.
void setup_logging(const std::string& level);

// Marks the current thread as working for `request_id` until the scope ends.
class RequestLogScope {
 public:
  explicit RequestLogScope(std::string_view request_id);
  ~RequestLogScope();
  RequestLogScope(const RequestLogScope&) = delete;
  RequestLogScope& operator=(const RequestLogScope&) = delete;
};

}  // namespace ik::app
