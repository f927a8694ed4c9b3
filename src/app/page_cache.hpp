// Rendered public responses, kept for a few seconds and dropped on every state change, so that
// the public portal is served from memory. Only what every anonymous visitor sees alike goes in:
// GET without query, no session, no token, no form (forms carry the visitor's CSRF token), no
// cookie set. Other instances behind the same load balancer see a change after max_age at most.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "http/http.hpp"

namespace ik::app {

class PageCache {
 public:
  explicit PageCache(std::chrono::milliseconds max_age) : max_age_(max_age) {}

  // A fresh copy of the response stored under `key`, if any: gzip-compressed when `gzip` and the
  // response is worth compressing (http::may_compress).
  std::optional<http::Response> find(const std::string& key, bool gzip) const;
  // Adds the ETag, compresses once, and stores both encodings unless a state change happened
  // since `generation`. Returns the encoding for a client for whom `gzip` says whether it takes it.
  http::Response store(const std::string& key, http::Response response, std::uint64_t generation, bool gzip);
  // Drops everything; call after every state change.
  void invalidate();
  std::uint64_t generation() const;

 private:
  struct Entry {
    http::Response plain;
    std::optional<http::Response> compressed;
    std::chrono::steady_clock::time_point stored_at;
  };
  std::chrono::milliseconds max_age_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
};

}  // namespace ik::app
