#include "app/page_cache.hpp"

#include <mutex>

#include "core/crypto.hpp"
#include "http/compression.hpp"

namespace ik::app {

std::optional<http::Response> PageCache::find(const std::string& key, bool gzip) const {
  std::shared_lock lock(mutex_);
  const auto found = entries_.find(key);
  if (found == entries_.end() || std::chrono::steady_clock::now() - found->second.stored_at > max_age_) {
    return std::nullopt;
  }
  const auto& entry = found->second;
  return gzip && entry.compressed ? *entry.compressed : entry.plain;
}

http::Response PageCache::store(const std::string& key, http::Response response, std::uint64_t generation,
                                bool gzip) {
  response.set_header("ETag", "\"" + crypto::sha256_hex(response.body).substr(0, 20) + "\"");
  std::optional<http::Response> compressed;
  if (http::may_compress(response)) compressed = http::gzip_variant(response);
  {
    std::unique_lock lock(mutex_);
    // A change that happened while this response was being rendered may not be in it.
    if (generation == generation_) {
      entries_.insert_or_assign(key, Entry{response, compressed, std::chrono::steady_clock::now()});
    }
  }
  return gzip && compressed ? std::move(*compressed) : std::move(response);
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
