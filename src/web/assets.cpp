#include "web/assets.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "core/crypto.hpp"

namespace ik::web {
namespace {

namespace fs = std::filesystem;

std::string content_type_for(const fs::path& path) {
  const auto extension = path.extension().string();
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".js") return "text/javascript; charset=utf-8";
  if (extension == ".woff2") return "font/woff2";
  if (extension == ".woff") return "font/woff";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// "fonts/a.woff2" with hash "abc" → "fonts/a.abc.woff2"
std::string hashed_name(const std::string& logical, const std::string& hash) {
  const fs::path path(logical);
  auto parent = path.parent_path().string();
  if (!parent.empty()) parent += '/';
  return parent + path.stem().string() + "." + hash + path.extension().string();
}

std::string short_hash(std::string_view content) { return crypto::sha256_hex(content).substr(0, 12); }

// Resolves "./x/../y.woff2" relative to the directory of the CSS file; empty when the reference
// is not a plain relative path (data:, http:, absolute).
std::string resolve_reference(const std::string& css_logical, std::string_view reference) {
  if (reference.empty() || reference.starts_with("data:") || reference.starts_with('/') ||
      reference.starts_with('#') || reference.find("://") != std::string_view::npos) {
    return {};
  }
  const auto cut = reference.find_first_of("?#");
  const auto path = fs::path(css_logical).parent_path() / fs::path(std::string(reference.substr(0, cut)));
  return path.lexically_normal().generic_string();
}

std::string_view unquote(std::string_view text) {
  while (!text.empty() && (text.front() == ' ')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ')) text.remove_suffix(1);
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front()) {
    return text.substr(1, text.size() - 2);
  }
  return text;
}

}  // namespace

Result<Assets> Assets::load(const std::string& directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    return Error::internal("asset directory missing: " + directory);
  }
  std::map<std::string, std::string> contents;  // logical path → bytes
  for (const auto& entry : fs::recursive_directory_iterator(directory, error)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << file.rdbuf();
    if (!file && !file.eof()) return Error::internal("cannot read asset " + entry.path().string());
    contents[fs::relative(entry.path(), directory).generic_string()] = std::move(bytes).str();
  }
  if (error) return Error::internal("cannot list assets: " + error.message());

  Assets assets;
  auto add = [&](const std::string& logical, std::string content) {
    const auto hash = short_hash(content);
    const auto hashed = hashed_name(logical, hash);
    assets.urls_[logical] = "/assets/" + hashed;
    assets.by_hashed_[hashed] =
        Asset{std::move(content), content_type_for(logical), "\"" + hash + "\""};
  };
  // Everything a stylesheet may reference first, then the stylesheets with rewritten urls.
  for (auto& [logical, content] : contents) {
    if (!logical.ends_with(".css")) add(logical, std::move(content));
  }
  for (auto& [logical, content] : contents) {
    if (!logical.ends_with(".css")) continue;
    std::string rewritten;
    rewritten.reserve(content.size());
    std::size_t position = 0;
    while (true) {
      const auto start = content.find("url(", position);
      if (start == std::string::npos) break;
      const auto end = content.find(')', start);
      if (end == std::string::npos) break;
      const auto reference = unquote(std::string_view(content).substr(start + 4, end - start - 4));
      const auto target = resolve_reference(logical, reference);
      rewritten.append(content, position, start - position);
      if (const auto found = assets.urls_.find(target); !target.empty() && found != assets.urls_.end()) {
        rewritten += "url(\"" + found->second + "\")";
      } else {
        rewritten.append(content, start, end - start + 1);
      }
      position = end + 1;
    }
    rewritten.append(content, position);
    add(logical, std::move(rewritten));
  }
  return assets;
}

const std::string& Assets::url(std::string_view logical_path) const {
  const auto found = urls_.find(logical_path);
  if (found == urls_.end()) throw std::logic_error("unknown asset: " + std::string(logical_path));
  return found->second;
}

bool Assets::contains(std::string_view logical_path) const { return urls_.contains(logical_path); }

const Asset* Assets::find(std::string_view hashed_path) const {
  const auto found = by_hashed_.find(hashed_path);
  return found == by_hashed_.end() ? nullptr : &found->second;
}

}  // namespace ik::web
