#include "auth/session_cache.hpp"

#include <algorithm>

namespace ik::auth::internal {

std::uint64_t SessionCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::optional<Principal> SessionCache::find(const std::string& id_hash, std::int64_t now) const {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(id_hash);
  if (found == entries_.end() || now >= found->second.valid_until) return std::nullopt;
  return found->second.principal;
}

void SessionCache::remember(const std::string& id_hash, const Principal& principal,
                            std::int64_t valid_until, std::uint64_t read_generation) {
  std::lock_guard lock(mutex_);
  if (read_generation != generation_) return;
  if (entries_.size() >= kMaxEntries && !entries_.contains(id_hash)) entries_.clear();
  entries_.insert_or_assign(id_hash, Entry{principal, valid_until});
}

void SessionCache::forget_session(const std::string& id_hash) {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.erase(id_hash);
}

void SessionCache::forget_user(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  ++generation_;
  std::erase_if(entries_, [&](const auto& entry) { return entry.second.principal.user_id == user_id; });
}

}  // namespace ik::auth::internal
