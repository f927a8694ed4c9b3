#include <algorithm>

#include "app/handlers.hpp"
#include "app/metrics.hpp"
#include "storage/storage.hpp"

namespace ik::app {

http::Response healthz(Call&, const Services&) { return http::Response::text(200, "ok\n"); }

http::Response readyz(Call&, const Services& services) {
  if (auto status = services.storage.ping(); !status) {
    services.metrics.record_database_error();
    auto response = http::Response::text(503, "database unavailable\n");
    response.set_header("Retry-After", "5");
    return response;
  }
  return http::Response::text(200, "ready\n");
}

http::Response metrics(Call& call, const Services& services) {
  const auto& allowed = services.metrics_clients;
  if (std::find(allowed.begin(), allowed.end(), call.request.client_address) == allowed.end()) {
    return error_response(call, services, 404);
  }
  return http::Response::text(200, services.metrics.exposition(), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace ik::app
