// Roles and the one authorisation check. Every route declares an Access; `permits` decides.
// Deny by default: an Access that names nobody admits nobody (except that office and admin pass
// every city-scoped Access, see Access::city).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ik::auth {

enum class Role {
  city_entry,      // Städtische Erfassung: enters a city's data
  city_approval,   // Städtische Freigabe: approves a city's data
  office,          // Geschäftsstelle: runs the platform and publishes
  steering_group,  // Regiegruppe member
  project_group,   // Projektgruppe member
  admin,           // Administrator
};

std::string_view role_name(Role role);  // "city_entry", … (as stored)
std::optional<Role> parse_role(std::string_view name);
// Whether the role is held for one city (true) or for the cooperation (false).
bool is_city_role(Role role);
std::vector<Role> all_roles();

using CityId = std::int64_t;

struct RoleGrant {
  Role role;
  std::optional<CityId> city;  // nullopt: held for the cooperation
  bool operator==(const RoleGrant&) const = default;
};

// Who is asking. Anonymous visitors have no Principal.
struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::vector<RoleGrant> grants;

  bool has(Role role) const;
  bool has_for_city(Role role, CityId city) const;
  // Office and admin see every city's non-public data.
  bool sees_all_cities() const;
  // Cities whose non-public data this principal may see (empty when sees_all_cities()).
  std::vector<CityId> own_cities() const;
};

class Access {
 public:
  static Access anyone();
  static Access signed_in();
  // Holders of any of `roles` (for any city or the cooperation). No implicit admin: list it.
  static Access roles(std::vector<Role> roles);
  // Holders of any of `roles` for the city the request is about, plus office and admin
  // (cooperation grants). A grant for another city or for the cooperation does not count; a
  // request without a known city admits only office and admin.
  static Access city(std::vector<Role> roles);

  // `principal` is nullptr for an anonymous visitor; `city` is the city the request is about
  // (from the path), when the route has one. True only when the rule above admits them.
  bool permits(const Principal* principal, std::optional<CityId> city) const;
  bool needs_sign_in() const { return kind_ != Kind::anyone; }
  bool is_city_scoped() const { return kind_ == Kind::city; }

 private:
  enum class Kind { anyone, signed_in, roles, city };
  Access(Kind kind, std::vector<Role> roles) : kind_(kind), roles_(std::move(roles)) {}
  // Whether `principal` holds one of roles_: for `city` when given, else for any city or none.
  bool holds_any(const Principal& principal, std::optional<CityId> city) const;
  Kind kind_;
  std::vector<Role> roles_;
};

}  // namespace ik::auth
