#include <algorithm>

#include "auth/internal.hpp"

namespace ik::auth::internal {

audit::Entry audit_entry(const RequestContext& context, std::int64_t now, std::string action,
                         std::string entity, std::string entity_id) {
  audit::Entry entry;
  entry.at = now;
  if (context.actor != nullptr) {
    entry.actor_user_id = context.actor->user_id;
    entry.actor_name = context.actor->username;
  } else {
    entry.actor_name = "system";
  }
  entry.action = std::move(action);
  entry.entity = std::move(entity);
  entry.entity_id = std::move(entity_id);
  entry.request_id = context.request_id;
  return entry;
}

RequestContext acting_as(const RequestContext& context, const Principal& user) {
  RequestContext own = context;
  own.actor = &user;
  return own;
}

std::string log_safe(std::string_view value) {
  std::string safe(value);
  for (auto& character : safe) {
    const bool printable = character >= 0x20 && character < 0x7F;
    if (!printable || character == '"' || character == '\\') character = '?';
  }
  return safe;
}

bool has_control_character(std::string_view value) {
  return std::any_of(value.begin(), value.end(), [](char character) {
    const auto byte = static_cast<unsigned char>(character);
    return byte < 0x20 || byte == 0x7F;
  });
}

bool is_lower_hex(std::string_view value, std::size_t length) {
  return value.size() == length &&
         value.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace ik::auth::internal
