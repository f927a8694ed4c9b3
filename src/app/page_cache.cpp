#include "app/page_cache.hpp"

#include <mutex>

#include "core/crypto.hpp"

namespace ik::app {

std::optional<http::Response> PageCache::find(const std::string& key) const {
  std::shared_lock lock(mutex_);
  const auto found = entries_.find(key);
  if (found == entries_.end() || std::chrono::steady_clock::now() - found->second.stored_at > max_age_) {
    return std::nullopt;
  }
  return found->second.response;
}

void PageCache::store(const std::string& key, http::Response& response, std::uint64_t generation) {
  response.set_header("ETag", "\"" + crypto::sha256_hex(response.body).substr(0, 20) + "\"");
  std::unique_lock lock(mutex_);
  // A change that happened while this response was being rendered may not be in it.
  if (generation != generation_) return;
  entries_.insert_or_assign(key, Entry{response, std::chrono::steady_clock::now()});
}

void PageCache::invalidate() {
  std::unique_lock lock(mutex_);
  entries_.clear();
  ++generation_;
}

std::uint64_t PageCache::generation() const {
  std::shared_lock lock(mutex_);
  return generation_;
}

}  // namespace ik::app
