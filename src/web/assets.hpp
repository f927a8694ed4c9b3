// Static assets (KERN UX stylesheet and fonts, the site's own CSS), held in memory and served
// under content-hashed names ("/assets/kern.1a2b3c4d5e.css") with year-long caching. CSS files
// have their relative url(…) references rewritten to the hashed names of the files they point
// to, so a changed font also changes the stylesheet's name.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace ik::web {

struct Asset {
  std::string content;
  std::string content_type;
  std::string etag;  // the content hash, quoted
};

class Assets {
 public:
  // Loads every file below `directory`. Fails when the directory is missing or unreadable.
  static Result<Assets> load(const std::string& directory);

  // The public URL of a file by its path below the directory ("kern.css" →
  // "/assets/kern.1a2b3c4d5e.css"). Precondition: the file exists (a programming error otherwise).
  const std::string& url(std::string_view logical_path) const;
  // The asset behind a requested path below /assets/ ("kern.1a2b3c4d5e.css"), or nullptr.
  const Asset* find(std::string_view hashed_path) const;
  bool contains(std::string_view logical_path) const;

 private:
  std::map<std::string, std::string, std::less<>> urls_;   // logical path → URL
  std::map<std::string, Asset, std::less<>> by_hashed_;    // hashed path → asset
};

}  // namespace ik::web
