// Validated sessions kept in memory for a few seconds, so that a signed-in page does not cost a
// database round trip per request. Internal to auth.
//
// Within this process every change that can end a session or alter a principal (sign-out,
// password change or reset, role change, deactivation) forgets the affected entries at once.
// Another instance's change reaches this one when the entry runs out (SessionPolicy::
// cache_seconds), which bounds the staleness of a multi-instance deployment.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/roles.hpp"

namespace ik::auth::internal {

class SessionCache {
 public:
  // Taken before reading a session from the database; remember() ignores an entry read before
  // a later forget(), so that a lookup racing with a sign-out cannot bring the session back.
  std::uint64_t generation() const;

  // The cached principal while `now` < the entry's end; nullopt otherwise.
  std::optional<Principal> find(const std::string& id_hash, std::int64_t now) const;
  void remember(const std::string& id_hash, const Principal& principal, std::int64_t valid_until,
                std::uint64_t read_generation);

  void forget_session(const std::string& id_hash);
  void forget_user(std::int64_t user_id);

 private:
  struct Entry {
    Principal principal;
    std::int64_t valid_until = 0;
  };
  // Beyond this many sessions the cache starts over rather than growing: it is an optimisation,
  // and an attacker with many valid sessions must not be able to grow the server's memory.
  static constexpr std::size_t kMaxEntries = 10'000;

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
};

}  // namespace ik::auth::internal
