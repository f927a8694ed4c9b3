// The server itself over real loopback sockets: keep-alive, limits answered with error pages,
// malformed input, handler exceptions, HEAD, headers added to every response, forwarded
// headers from a trusted proxy, and graceful shutdown by stop token and by SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <functional>
#include <future>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/http.hpp"

namespace ik::http {
namespace {

using namespace std::chrono_literals;

// --- A minimal HTTP/1.1 client on a blocking socket --------------------------------------

struct ParsedResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [header_name, value] : headers) {
      if (header_name == name) return value;
    }
    return std::nullopt;
  }
};

std::string lower(std::string text) {
  for (auto& character : text) character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  return text;
}

class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (socket_ < 0) throw std::runtime_error("socket failed");
    timeval timeout{10, 0};  // a broken server fails the test instead of hanging it
    ::setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(socket_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() { ::close(socket_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  // False when the server closed the connection before everything was sent.
  bool send(std::string_view data) {
    while (!data.empty()) {
      const auto sent = ::send(socket_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // nullopt when the connection closes (or resets) before a complete response head arrived.
  std::optional<ParsedResponse> read_response(bool expect_body = true) {
    std::size_t head_end = 0;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    ParsedResponse response = parse_head(buffer_.substr(0, head_end));
    buffer_.erase(0, head_end + 4);
    const auto length = response.header("content-length");
    const std::size_t body_length = expect_body && length ? std::stoul(*length) : 0;
    while (buffer_.size() < body_length) {
      if (!fill()) return std::nullopt;
    }
    response.body = buffer_.substr(0, body_length);
    buffer_.erase(0, body_length);
    return response;
  }

  // True when the server closed the connection without sending another byte.
  bool closed_without_data() {
    char byte = 0;
    const auto received = ::recv(socket_, &byte, 1, 0);
    return buffer_.empty() && (received == 0 || (received < 0 && errno == ECONNRESET));
  }

 private:
  bool fill() {
    char chunk[16 * 1024];
    const auto received = ::recv(socket_, chunk, sizeof chunk, 0);
    if (received <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(received));
    return true;
  }

  static ParsedResponse parse_head(const std::string& head) {
    ParsedResponse response;
    std::istringstream lines(head);
    std::string line;
    std::getline(lines, line);
    response.status = std::stoi(line.substr(9, 3));
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response.headers.emplace_back(lower(line.substr(0, colon)), value);
    }
    return response;
  }

  int socket_;
  bool connected_ = false;
  std::string buffer_;
};

std::string get(std::string_view target, std::string_view extra_headers = "") {
  std::string request = "GET ";
  request.append(target).append(" HTTP/1.1\r\nHost: localhost\r\n").append(extra_headers).append("\r\n");
  return request;
}

// --- The server under test -----------------------------------------------------------------

struct Probe {
  std::atomic<bool> slow_started{false};
  std::atomic<int> handled{0};
};

Handler test_handler(Probe& probe) {
  return [&probe](Request& request) -> Response {
    ++probe.handled;
    if (request.path == "/hello") return Response::html(200, "hello");
    if (request.path == "/throw") throw std::runtime_error("boom");
    if (request.path == "/slow") {
      probe.slow_started = true;
      std::this_thread::sleep_for(300ms);
      return Response::text(200, "slow done");
    }
    if (request.path == "/echo") {
      return Response::text(200, std::string(method_name(request.method)) + " " + std::to_string(request.body.size()));
    }
    if (request.path == "/whoami") {
      return Response::text(200, request.client_address + (request.secure ? " secure " : " plain ") + request.request_id);
    }
    if (request.path == "/no-content") return Response::text(204, "must not be sent");
    if (request.path == "/split") return Response::text(200, "x").set_header("X-Evil", "a\r\nSet-Cookie: x=1");
    if (request.path == "/own-frame-options") return Response::html(200, "own").set_header("X-Frame-Options", "SAMEORIGIN");
    return Response::html(404, "handler 404 for " + request.path);
  };
}

Response test_error_page(int status, const Request& request) {
  auto response = Response::html(status, "error page " + std::to_string(status) + " for " + request.path);
  response.set_header("X-Error-Page", "1");
  return response;
}

class RunningServer {
 public:
  explicit RunningServer(ServerSettings settings = test_settings()) : settings_(std::move(settings)) {
    std::promise<std::uint16_t> listening;
    auto port = listening.get_future();
    thread_ = std::thread([this, promise = std::move(listening)]() mutable {
      bool announced = false;
      result_ = serve(settings_, test_handler(probe_), test_error_page,
                      [&](std::uint16_t bound) { announced = true; promise.set_value(bound); },
                      stop_.get_token());
      if (!announced) promise.set_value(0);
    });
    port_ = port.get();
  }
  ~RunningServer() { stop(); }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  static ServerSettings test_settings() {
    ServerSettings settings;
    settings.port = 0;
    settings.threads = 2;
    return settings;
  }

  std::uint16_t port() const { return port_; }
  Probe& probe() { return probe_; }
  void request_stop() { stop_.request_stop(); }
  void stop() {
    request_stop();
    join();
  }
  void join() {
    if (thread_.joinable()) thread_.join();
  }
  const Status& result() const { return result_; }

 private:
  ServerSettings settings_;
  Probe probe_;
  std::stop_source stop_;
  Status result_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

void expect_site_headers(const ParsedResponse& response) {
  EXPECT_EQ(response.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(response.header("x-frame-options"), "DENY");
  EXPECT_EQ(response.header("referrer-policy"), "strict-origin-when-cross-origin");
  EXPECT_EQ(response.header("cross-origin-opener-policy"), "same-origin");
  EXPECT_EQ(response.header("permissions-policy"), "camera=(), microphone=(), geolocation=()");
  ASSERT_TRUE(response.header("content-security-policy").has_value());
  EXPECT_NE(response.header("content-security-policy")->find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(response.header("strict-transport-security"), std::nullopt);
  ASSERT_TRUE(response.header("x-request-id").has_value());
  EXPECT_EQ(response.header("x-request-id")->size(), 16U);
}

// --- Tests ---------------------------------------------------------------------------------

TEST(HttpServer, ServesTwoRequestsOnOneKeptAliveConnection) {
  RunningServer server;
  ASSERT_NE(server.port(), 0);
  Client client(server.port());
  ASSERT_TRUE(client.connected());
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE(client.send(get("/hello")));
    const auto response = client.read_response();
    ASSERT_TRUE(response) << "round " << round;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "hello");
    EXPECT_EQ(response->header("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(response->header("connection"), "close");
    expect_site_headers(*response);
  }
  EXPECT_EQ(server.probe().handled, 2);
}

TEST(HttpServer, RequestIdsDifferPerRequest) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/hello") + get("/hello")));
  const auto first = client.read_response();
  const auto second = client.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->header("x-request-id"), second->header("x-request-id"));
}

TEST(HttpServer, NotFoundFromHandlerKeepsHandlerBodyAndGetsHeaders) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/st%C3%A4dte?x=1")));
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, "handler 404 for /städte");
  EXPECT_EQ(response->header("x-error-page"), std::nullopt);
  expect_site_headers(*response);
}

TEST(HttpServer, HandlerKeepsItsOwnSecurityHeader) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/own-frame-options")));
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("x-frame-options"), "SAMEORIGIN");
  EXPECT_EQ(response->header("x-content-type-options"), "nosniff");
}

TEST(HttpServer, PostBodyReachesHandler) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde"));
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "POST 5");
}

TEST(HttpServer, TwoMegabyteBodyGets413PageNotAReset) {
  RunningServer server;
  Client client(server.port());
  const std::string body(2 * 1024 * 1024, 'x');
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n"));
  ASSERT_TRUE(client.send(body));
  const auto response = client.read_response();
  ASSERT_TRUE(response) << "connection closed instead of answering 413";
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->header("x-error-page"), "1");
  EXPECT_EQ(response->body, "error page 413 for /echo");
  expect_site_headers(*response);
  EXPECT_EQ(server.probe().handled, 0);
}

TEST(HttpServer, BodyBeyondTheHardLimitClosesTheConnection) {
  // Documented limitation: past four times max_body_bytes RESTinio can only close.
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n"));
  EXPECT_TRUE(client.closed_without_data());
}

TEST(HttpServer, OversizedHeaderGets431AndLongUrlGets414) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/hello", "X-Big: " + std::string(20 * 1024, 'a') + "\r\n")));
  const auto too_big = client.read_response();
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 431);
  EXPECT_EQ(too_big->header("x-error-page"), "1");
  // A new connection: after a refused head the server may close the first one, and a request
  // sent on it races that close.
  Client second(server.port());
  ASSERT_TRUE(second.send(get("/" + std::string(9 * 1024, 'u'))));
  const auto too_long = second.read_response();
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->status, 414);
  EXPECT_EQ(too_long->header("x-error-page"), "1");
  EXPECT_EQ(server.probe().handled, 0);
}

TEST(HttpServer, MalformedRequestLineClosesTheConnection) {
  // RESTinio 0.6 closes on a parser error; it cannot answer 400.
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send("THIS IS NOT HTTP\r\n\r\n"));
  EXPECT_TRUE(client.closed_without_data());
  EXPECT_EQ(server.probe().handled, 0);
}

TEST(HttpServer, BadPercentEscapeGets400Page) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/a%zz")));
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->body, "error page 400 for /a%zz");
  expect_site_headers(*response);
  EXPECT_EQ(server.probe().handled, 0);
}

TEST(HttpServer, DotSegmentGets400Page) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/assets/%2e%2e/secret")));
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(server.probe().handled, 0);
}

TEST(HttpServer, NoContentSendsNoBody) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/no-content") + get("/hello")));
  const auto empty = client.read_response();
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 204);
  EXPECT_EQ(empty->header("content-length"), "0");
  const auto next = client.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "hello");
}

TEST(HttpServer, ThrowingHandlerGets500Page) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/throw")));
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->header("x-error-page"), "1");
  EXPECT_EQ(response->body.find("boom"), std::string::npos);
  expect_site_headers(*response);
}

TEST(HttpServer, HeaderInjectionGets500InsteadOfSplitting) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/split")));
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->header("set-cookie"), std::nullopt);
  EXPECT_EQ(response->header("x-evil"), std::nullopt);
}

TEST(HttpServer, HeadRunsGetWithoutBody) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto head = client.read_response(false);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-length"), "5");
  expect_site_headers(*head);
  // Had the server sent a body, it would now be read as the start of the next response.
  ASSERT_TRUE(client.send(get("/echo")));
  const auto next = client.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "GET 0");
}

TEST(HttpServer, HeadIsSeenByTheHandlerAsGet) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send("HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto head = client.read_response(false);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->header("content-length"), "5");  // "GET 0"
}

TEST(HttpServer, UntrustedPeerCannotForgeOriginOrRequestId) {
  RunningServer server;
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/whoami", "X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-Proto: https\r\n"
                                         "X-Request-Id: forged-id\r\n")));
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  ASSERT_TRUE(response->header("x-request-id"));
  EXPECT_NE(response->header("x-request-id"), "forged-id");
  EXPECT_EQ(response->body, "127.0.0.1 plain " + *response->header("x-request-id"));
  EXPECT_EQ(response->header("strict-transport-security"), std::nullopt);
}

TEST(HttpServer, TrustedProxyGivesClientSchemeAndRequestId) {
  auto settings = RunningServer::test_settings();
  settings.trusted_proxies = {"127.0.0.1"};
  RunningServer server(settings);
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/whoami", "X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-Proto: https\r\n"
                                         "X-Request-Id: edge-42\r\n")));
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "198.51.100.1 secure edge-42");
  EXPECT_EQ(response->header("x-request-id"), "edge-42");
  EXPECT_EQ(response->header("strict-transport-security"), "max-age=31536000; includeSubDomains");
}

TEST(HttpServer, IncompleteRequestIsClosedAfterTheTimeout) {
  // RESTinio 0.6 closes a connection whose request is not read in time; it cannot send 408.
  auto settings = RunningServer::test_settings();
  settings.request_timeout = 1s;
  RunningServer server(settings);
  Client client(server.port());
  ASSERT_TRUE(client.send("GET /hello HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_TRUE(client.closed_without_data());
  EXPECT_EQ(server.probe().handled, 0);
}

TEST(HttpServer, BindFailureIsReturnedAsError) {
  RunningServer first;
  auto settings = RunningServer::test_settings();
  settings.port = first.port();
  RunningServer second(settings);
  second.join();
  EXPECT_EQ(second.port(), 0);
  ASSERT_FALSE(second.result().ok());
  EXPECT_EQ(second.result().error().code, ErrorCode::internal);
}

void expect_slow_request_survives_shutdown(RunningServer& server, const std::function<void()>& trigger) {
  Client slow(server.port());
  ASSERT_TRUE(slow.send(get("/slow")));
  while (!server.probe().slow_started) std::this_thread::sleep_for(1ms);
  trigger();
  server.join();  // serve() returns ...
  EXPECT_TRUE(server.result().ok());
  const auto response = slow.read_response();  // ... after the in-flight request was answered
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "slow done");
  EXPECT_EQ(response->header("connection"), "close");
  Client late(server.port());
  EXPECT_FALSE(late.connected());
}

TEST(HttpServer, StopTokenLetsInFlightRequestFinish) {
  RunningServer server;
  expect_slow_request_survives_shutdown(server, [&server] { server.request_stop(); });
}

TEST(HttpServer, SigtermLetsInFlightRequestFinish) {
  RunningServer server;
  expect_slow_request_survives_shutdown(server, [] { std::raise(SIGTERM); });
}

TEST(HttpServer, AccessLogLineIsJsonWithTheRequestId) {
  auto log = std::make_shared<std::ostringstream>();
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*log);
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>("test", sink);
  logger->set_pattern(std::string(kJsonLogPattern), spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);
  std::string request_id;
  {
    RunningServer server;
    Client client(server.port());
    ASSERT_TRUE(client.send(get("/say%20%22hi%22")));
    const auto response = client.read_response();
    ASSERT_TRUE(response);
    request_id = response->header("x-request-id").value_or("");
  }
  spdlog::set_default_logger(previous);
  const std::string line = log->str();
  EXPECT_EQ(line.front(), '{');
  EXPECT_EQ(line.substr(line.size() - 2), "}\n");
  EXPECT_NE(line.find(R"("level":"info")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("request_id":")" + request_id + '"'), std::string::npos) << line;
  EXPECT_NE(line.find(R"("method":"GET","path":"/say \"hi\"","status":404,"duration_ms":)"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("client":"127.0.0.1"})"), std::string::npos) << line;
}

}  // namespace
}  // namespace ik::http
