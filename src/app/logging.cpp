#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <mutex>
#include <spdlog/spdlog.h>

#include "http/http.hpp"

namespace ik::app {
namespace {

thread_local std::string current_request_id;

// %q: `"request_id":"…",` while a request is handled on this thread, nothing otherwise. Lines
// that carry their own request_id (the server's access line) are left as they are.
class RequestIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& destination) override {
    if (current_request_id.empty()) return;
    const std::string_view payload(message.payload.data(), message.payload.size());
    if (payload.find("\"request_id\"") != std::string_view::npos) return;
    const auto text = "\"request_id\":\"" + http::json_escape(current_request_id) + "\",";
    destination.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<RequestIdFlag>(); }
};

// Lines to stderr, collected and written in blocks: spdlog's own console sinks flush every line,
// which costs a system call per request. Warnings and errors are written at once
// (flush_on), everything else at least once a second (flush_every) and at shutdown.
class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  ~BufferedStderrSink() override { write_out(); }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(message, formatted);
    buffer_.append(formatted.data(), formatted.size());
    if (buffer_.size() >= kBlockBytes) write_out();
  }
  void flush_() override { write_out(); }

 private:
  static constexpr std::size_t kBlockBytes = 32 * 1024;

  void write_out() {
    std::size_t written = 0;
    while (written < buffer_.size()) {
      const auto result = ::write(STDERR_FILENO, buffer_.data() + written, buffer_.size() - written);
      if (result < 0 && errno == EINTR) continue;
      if (result <= 0) break;  // nowhere to log to: drop rather than block the server
      written += static_cast<std::size_t>(result);
    }
    buffer_.clear();
  }

  std::string buffer_;
};

}  // namespace

void setup_logging(const std::string& level) {
  // Logs go to stderr; stdout carries only what the operator is told (URL, one-time password).
  auto logger = std::make_shared<spdlog::logger>("interkommunal", std::make_shared<BufferedStderrSink>());
  spdlog::set_default_logger(std::move(logger));
  spdlog::flush_every(std::chrono::seconds(1));
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  std::string pattern(http::kJsonLogPattern);
  // Insert the request id just before the message members.
  pattern.replace(pattern.find("%v"), 2, "%q%v");
  formatter->add_flag<RequestIdFlag>('q').set_pattern(pattern);
  spdlog::set_formatter(std::move(formatter));
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::flush_on(spdlog::level::warn);
}

RequestLogScope::RequestLogScope(std::string_view request_id) { current_request_id = request_id; }
RequestLogScope::~RequestLogScope() { current_request_id.clear(); }

}  // namespace ik::app
