#include "auth/roles.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace ik::auth {
namespace {

struct RoleInfo {
  Role role;
  std::string_view name;
  bool city_scoped;
};

constexpr std::array<RoleInfo, 6> kRoles{{
    {Role::city_entry, "city_entry", true},
    {Role::city_approval, "city_approval", true},
    {Role::office, "office", false},
    {Role::steering_group, "steering_group", false},
    {Role::project_group, "project_group", false},
    {Role::admin, "admin", false},
}};

const RoleInfo& info(Role role) {
  const auto found = std::find_if(kRoles.begin(), kRoles.end(),
                                  [role](const RoleInfo& entry) { return entry.role == role; });
  return *found;  // every enumerator is in the table
}

}  // namespace

std::string_view role_name(Role role) { return info(role).name; }

std::optional<Role> parse_role(std::string_view name) {
  for (const auto& entry : kRoles) {
    if (entry.name == name) return entry.role;
  }
  return std::nullopt;
}

bool is_city_role(Role role) { return info(role).city_scoped; }

std::vector<Role> all_roles() {
  std::vector<Role> roles;
  for (const auto& entry : kRoles) roles.push_back(entry.role);
  return roles;
}

bool Principal::has(Role role) const {
  return std::any_of(grants.begin(), grants.end(),
                     [role](const RoleGrant& grant) { return grant.role == role; });
}

bool Principal::has_for_city(Role role, CityId city) const {
  return std::any_of(grants.begin(), grants.end(), [role, city](const RoleGrant& grant) {
    return grant.role == role && grant.city == city;
  });
}

bool Principal::sees_all_cities() const {
  // Only a cooperation-wide grant counts: an office or admin grant tied to a city is invalid
  // data (create_user refuses it), and invalid data must not widen access.
  return std::any_of(grants.begin(), grants.end(), [](const RoleGrant& grant) {
    return (grant.role == Role::office || grant.role == Role::admin) && !grant.city;
  });
}

std::vector<CityId> Principal::own_cities() const {
  if (sees_all_cities()) return {};
  std::vector<CityId> cities;
  for (const auto& grant : grants) {
    if (grant.city) cities.push_back(*grant.city);
  }
  std::sort(cities.begin(), cities.end());
  cities.erase(std::unique(cities.begin(), cities.end()), cities.end());
  return cities;
}

Access Access::anyone() { return Access(Kind::anyone, {}); }
Access Access::signed_in() { return Access(Kind::signed_in, {}); }
Access Access::roles(std::vector<Role> roles) { return Access(Kind::roles, std::move(roles)); }
Access Access::city(std::vector<Role> roles) { return Access(Kind::city, std::move(roles)); }

bool Access::permits(const Principal* principal, std::optional<CityId> city) const {
  switch (kind_) {
    case Kind::anyone:
      return true;
    case Kind::signed_in:
      return principal != nullptr;
    case Kind::roles:
      return principal != nullptr && holds_any(*principal, std::nullopt);
    case Kind::city:
      if (principal == nullptr) return false;
      if (principal->sees_all_cities()) return true;
      // A city-scoped route without a known city cannot be matched against a city grant.
      return city.has_value() && holds_any(*principal, city);
  }
  return false;
}

bool Access::holds_any(const Principal& principal, std::optional<CityId> city) const {
  return std::any_of(principal.grants.begin(), principal.grants.end(),
                     [this, city](const RoleGrant& grant) {
                       const bool role_listed =
                           std::find(roles_.begin(), roles_.end(), grant.role) != roles_.end();
                       return role_listed && (!city || grant.city == city);
                     });
}

}  // namespace ik::auth
