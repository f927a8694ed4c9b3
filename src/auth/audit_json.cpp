// The only auth file that includes nlohmann/json (compile cost, see STACK.md).
#include <nlohmann/json.hpp>

#include "auth/internal.hpp"

namespace ik::auth::internal {
namespace {

// Inputs are validated UTF-8; replacing instead of throwing keeps a slip there from turning an
// audit record into an exception.
std::string dump(const nlohmann::json& object) {
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string json_object(const std::vector<JsonField>& fields) {
  auto object = nlohmann::json::object();
  for (const auto& field : fields) {
    std::visit([&](const auto& value) { object[std::string(field.name)] = value; }, field.value);
  }
  return dump(object);
}

std::string user_json(const UserSummary& user) {
  auto grants = nlohmann::json::array();
  for (const auto& grant : user.grants) {
    grants.push_back({{"role", role_name(grant.role)},
                      {"city_id", grant.city ? nlohmann::json(*grant.city) : nlohmann::json()}});
  }
  const nlohmann::json object = {
      {"id", user.id},
      {"username", user.username},
      {"display_name", user.display_name},
      {"email", user.email},
      {"active", user.active},
      {"has_password", user.has_password},
      {"grants", std::move(grants)},
  };
  return dump(object);
}

}  // namespace ik::auth::internal
