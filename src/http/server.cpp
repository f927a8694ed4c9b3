// The RESTinio adapter: the only translation unit that includes RESTinio and asio. It turns a
// RESTinio request into an ik::http::Request, runs the handler on the server thread that
// received it, and writes the Response with the security headers and X-Request-Id.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <exception>
#include <limits>
#include <memory>
#include <thread>

#include <restinio/all.hpp>
#include <spdlog/spdlog.h>

#include "http/http.hpp"
#include "http/internal.hpp"

namespace ik::http {
namespace {

namespace asio = restinio::asio_ns;
using Clock = std::chrono::steady_clock;

// RESTinio reports parse errors, timeouts and failed writes as warnings and errors. Clients
// cause them, not defects, so they go to the debug level.
class RestinioLog {
 public:
  template <class Builder>
  void trace(Builder&& /*builder*/) const noexcept {}
  template <class Builder>
  void info(Builder&& /*builder*/) const noexcept {}
  template <class Builder>
  void warn(Builder&& builder) const noexcept { forward(builder); }
  template <class Builder>
  void error(Builder&& builder) const noexcept { forward(builder); }

 private:
  template <class Builder>
  static void forward(Builder& builder) noexcept {
    if (!spdlog::should_log(spdlog::level::debug)) return;
    try {
      spdlog::debug(R"("event":"restinio","detail":"{}")", json_escape(builder()));
    } catch (...) {  // logging must never take a connection down
    }
  }
};

struct Traits : restinio::default_traits_t {
  using logger_t = RestinioLog;
};

using RestinioServer = restinio::http_server_t<Traits>;

// RESTinio's hard limits: requests between our limit and this are still read completely so
// that they can be answered with an error page (see ServerSettings).
constexpr std::size_t kHardLimitFactor = 4;

std::size_t hard_limit(std::size_t limit) {
  constexpr auto kMax = std::numeric_limits<std::size_t>::max();
  return limit > kMax / kHardLimitFactor ? kMax : limit * kHardLimitFactor;
}

std::string peer_address(const restinio::endpoint_t& endpoint) {
  const auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

// Splits the request target into the raw (still encoded) path and the query.
void fill_target(Request& request, std::string_view target) {
  request.target.assign(target);
  const auto question = target.find('?');
  const auto raw_path = target.substr(0, question);
  if (question != std::string_view::npos) request.query.assign(target.substr(question + 1));
  request.path.assign(raw_path);
}

void fill_headers(Request& request, const restinio::http_request_header_t& header) {
  request.headers.reserve(header.fields_count());
  header.for_each_field([&request](const restinio::http_header_field_t& field) {
    std::string name = field.name();
    for (auto& character : name) {
      if (character >= 'A' && character <= 'Z') character = static_cast<char>(character - 'A' + 'a');
    }
    request.headers.emplace_back(std::move(name), field.value());
  });
}

Response fallback_error_response(int status) {
  std::string body = std::to_string(status);
  body.append(" ").append(internal::reason_phrase(status));
  return Response::text(status, std::move(body));
}

// 204 and 304 never carry a body, so they also announce none.
bool status_has_body(int status) { return status != 204 && status != 304; }

// Everything one request needs from the running server.
class RequestProcessor {
 public:
  RequestProcessor(const ServerSettings& settings, Handler handler, ErrorPageRenderer error_page)
      : settings_(settings), handler_(std::move(handler)), error_page_(std::move(error_page)) {}

  restinio::request_handling_status_t handle(const restinio::request_handle_t& raw) {
    const auto started = Clock::now();
    auto in_flight = track_in_flight();
    Request request;
    const int error_status = build_request(*raw, request);
    const Method received_method = request.method;
    if (received_method == Method::head) request.method = Method::get;

    Response response = error_status != 0 ? render_error(error_status, request) : run_handler(request);
    if (!internal::is_sendable(response)) {
      log_error(request.request_id, "unsendable_response", "bad status or header");
      response = render_error(500, request);
      if (!internal::is_sendable(response)) response = fallback_error_response(500);
    }
    const int status = response.status;
    send(raw, request, std::move(response), received_method == Method::head, std::move(in_flight));
    log_access(request, raw->header().method().c_str(), status, started);
    return restinio::request_accepted();
  }

  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  void begin_stopping() { stopping_.store(true, std::memory_order_relaxed); }
  std::size_t in_flight() const { return in_flight_.load(std::memory_order_acquire); }

 private:
  // Counts the request until its response is written or dropped: RESTinio calls (or destroys)
  // the after-write callback holding the token in either case.
  std::shared_ptr<void> track_in_flight() {
    in_flight_.fetch_add(1, std::memory_order_acq_rel);
    return {nullptr, [this](void*) { in_flight_.fetch_sub(1, std::memory_order_acq_rel); }};
  }

  // Fills `request`; returns 0, or the error status to answer instead of calling the handler.
  int build_request(const restinio::request_t& raw, Request& request) const {
    const auto& header = raw.header();
    request.method = internal::parse_method(header.method().c_str());
    fill_target(request, header.request_target());
    fill_headers(request, header);
    request.body = raw.body();
    const auto origin = internal::resolve_client(peer_address(raw.remote_endpoint()),
                                                 request.header("x-forwarded-for"),
                                                 request.header("x-forwarded-proto"), settings_);
    request.client_address = origin.address;
    request.secure = origin.secure;
    request.request_id = internal::choose_request_id(request.header("x-request-id"), origin.via_trusted_proxy);

    if (const int status = internal::limit_violation(request.target.size(), request.headers,
                                                     request.body.size(), settings_);
        status != 0) {
      return status;
    }
    auto decoded = internal::decode_path(request.path);
    if (!decoded) return 400;
    request.path = std::move(*decoded);
    return 0;
  }

  Response run_handler(Request& request) const {
    try {
      return handler_(request);
    } catch (const std::exception& error) {
      log_error(request.request_id, "handler_exception", error.what());
    } catch (...) {
      log_error(request.request_id, "handler_exception", "non-standard exception");
    }
    return render_error(500, request);
  }

  Response render_error(int status, const Request& request) const {
    try {
      return error_page_(status, request);
    } catch (const std::exception& error) {
      log_error(request.request_id, "error_page_exception", error.what());
    } catch (...) {
      log_error(request.request_id, "error_page_exception", "non-standard exception");
    }
    return fallback_error_response(status);
  }

  // For HEAD (`head_only`) the Content-Length is that of the body left out.
  void send(const restinio::request_handle_t& raw, const Request& request, Response response,
            bool head_only, std::shared_ptr<void> in_flight) const {
    apply_security_headers(response, request.secure);
    if (!response.header("x-request-id")) response.headers.emplace_back("X-Request-Id", request.request_id);

    auto builder = raw->create_response<restinio::user_controlled_output_t>(restinio::http_status_line_t{
        restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)},
        std::string(internal::reason_phrase(response.status))});
    for (auto& [name, value] : response.headers) builder.append_header(std::move(name), std::move(value));
    const bool has_body = status_has_body(response.status);
    builder.set_content_length(has_body ? response.body.size() : 0);
    if (has_body && !head_only && !response.body.empty()) builder.set_body(std::move(response.body));
    // Once shutting down, kept-alive connections are told to go away after this response.
    if (stopping()) builder.connection_close();
    builder.done([token = std::move(in_flight)](const asio::error_code&) {});
  }

  void log_access(const Request& request, std::string_view method, int status, Clock::time_point started) const {
    if (!spdlog::should_log(spdlog::level::info)) return;
    const std::chrono::duration<double, std::milli> duration = Clock::now() - started;
    spdlog::info("{}", internal::access_log_fields(request.request_id, method, request.path, status,
                                                   duration.count(), request.client_address));
  }

  static void log_error(std::string_view request_id, std::string_view event, std::string_view detail) {
    spdlog::error(R"("request_id":"{}","event":"{}","error":"{}")", json_escape(request_id), event,
                  json_escape(detail));
  }

  const ServerSettings& settings_;
  Handler handler_;
  ErrorPageRenderer error_page_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> stopping_{false};
};

restinio::server_settings_t<Traits> make_restinio_settings(const ServerSettings& settings,
                                                           RequestProcessor& processor,
                                                           std::uint16_t& bound_port) {
  restinio::server_settings_t<Traits> result;
  result.port(settings.port)
      .address(settings.address)
      .request_handler([&processor](const restinio::request_handle_t& raw) { return processor.handle(raw); })
      .read_next_http_message_timelimit(settings.request_timeout)
      .write_http_response_timelimit(settings.request_timeout)
      // The handler runs on the connection's strand and answers before it returns, so RESTinio
      // checks this limit only afterwards: a slow handler is never cut off.
      .handle_request_timeout(settings.request_timeout)
      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                    .max_url_size(hard_limit(settings.max_url_bytes))
                                    .max_field_name_size(hard_limit(settings.max_header_bytes))
                                    .max_field_value_size(hard_limit(settings.max_header_bytes))
                                    .max_field_count(hard_limit(settings.max_header_fields))
                                    .max_body_size(hard_limit(settings.max_body_bytes)))
      .socket_options_setter([](restinio::socket_options_t& options) {
        options.set_option(asio::ip::tcp::no_delay{true});
      })
      .acceptor_post_bind_hook([&bound_port](asio::ip::tcp::acceptor& acceptor) {
        bound_port = acceptor.local_endpoint().port();
      });
  return result;
}

// Runs the io_context until it is stopped; a throwing completion handler is logged and the
// thread goes on serving.
void run_io(asio::io_context& io_context) {
  for (;;) {
    try {
      io_context.run();
      return;
    } catch (const std::exception& error) {
      spdlog::error(R"("event":"io_exception","error":"{}")", json_escape(error.what()));
    }
  }
}

// Stops accepting, then polls until no request is being handled or the grace period is over,
// then stops the io_context. Runs on the io_context; the first call wins.
class Shutdown {
 public:
  Shutdown(asio::io_context& io_context, RestinioServer& server, RequestProcessor& processor,
           std::chrono::seconds grace)
      : io_context_(io_context), server_(server), processor_(processor), grace_(grace), timer_(io_context) {}

  void begin() {
    if (processor_.stopping()) return;
    processor_.begin_stopping();
    deadline_ = Clock::now() + grace_;
    server_.close_async([this] { wait_for_in_flight(); },
                        [this](std::exception_ptr) { io_context_.stop(); });
  }

 private:
  void wait_for_in_flight() {
    if (processor_.in_flight() == 0 || Clock::now() >= deadline_) {
      io_context_.stop();
      return;
    }
    timer_.expires_after(std::chrono::milliseconds(10));
    timer_.async_wait([this](const asio::error_code& error) {
      if (!error) wait_for_in_flight();
    });
  }

  asio::io_context& io_context_;
  RestinioServer& server_;
  RequestProcessor& processor_;
  std::chrono::seconds grace_;
  asio::steady_timer timer_;
  Clock::time_point deadline_{};
};

unsigned thread_count(unsigned requested) {
  if (requested != 0) return requested;
  return std::max(1U, std::thread::hardware_concurrency());
}

}  // namespace

Status serve(const ServerSettings& settings, Handler handler, ErrorPageRenderer error_page,
             const std::function<void(std::uint16_t port)>& on_listening, std::stop_token stop) {
  // Declared first so that it outlives the io_context: destroying pending writes there still
  // releases in-flight tokens that point into the processor.
  RequestProcessor processor(settings, std::move(handler), std::move(error_page));
  const unsigned threads = thread_count(settings.threads);
  asio::io_context io_context(static_cast<int>(threads));
  auto keep_running = asio::make_work_guard(io_context);
  std::uint16_t bound_port = 0;
  RestinioServer server{restinio::external_io_context(io_context),
                        make_restinio_settings(settings, processor, bound_port)};

  // Signals are caught before the socket is bound, so a SIGTERM sent as soon as the server
  // announces itself already means "shut down gracefully".
  Shutdown shutdown(io_context, server, processor, settings.shutdown_grace);
  asio::signal_set signals(io_context, SIGINT, SIGTERM);
  signals.async_wait([&shutdown](const asio::error_code& error, int /*signal*/) {
    if (!error) shutdown.begin();
  });
  std::stop_callback on_stop(stop, [&io_context, &shutdown] {
    asio::post(io_context, [&shutdown] { shutdown.begin(); });
  });

  try {
    server.open_sync();
  } catch (const std::exception& error) {
    return Error::internal("cannot listen on " + settings.address + ":" +
                           std::to_string(settings.port) + ": " + error.what());
  }
  on_listening(bound_port);

  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned index = 0; index < threads; ++index) pool.emplace_back([&io_context] { run_io(io_context); });
  for (auto& thread : pool) thread.join();
  return {};
}

}  // namespace ik::http
