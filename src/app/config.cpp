#include "app/config.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>

#include <toml++/toml.h>

#include "core/text.hpp"

namespace ik::app {
namespace {

// One configurable key: how to read it from TOML and from an environment string.
struct Key {
  std::string name;  // "server.port"
  std::function<std::optional<std::string>(const toml::node&)> from_toml;
  std::function<std::optional<std::string>(std::string_view)> from_text;
};

std::string env_name(std::string_view key) {
  std::string name = "IK_";
  for (const char character : key) {
    name.push_back(character == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(character))));
  }
  return name;
}

template <class Int>
Key integer_key(std::string name, Int& target, std::int64_t min, std::int64_t max) {
  const std::string range = "muss eine ganze Zahl von " + std::to_string(min) + " bis " + std::to_string(max) + " sein";
  auto assign = [&target, min, max, range](std::int64_t value) -> std::optional<std::string> {
    if (value < min || value > max) return range;
    target = static_cast<Int>(value);
    return std::nullopt;
  };
  return Key{std::move(name),
             [assign, range](const toml::node& node) -> std::optional<std::string> {
               if (const auto value = node.value<std::int64_t>(); value && node.is_integer()) return assign(*value);
               return range;
             },
             [assign, range](std::string_view text) -> std::optional<std::string> {
               if (const auto value = text::parse_int(text)) return assign(*value);
               return range;
             }};
}

Key string_key(std::string name, std::string& target, bool required = false) {
  auto assign = [&target, required](std::string value) -> std::optional<std::string> {
    if (required && text::trim(value).empty()) return std::string("darf nicht leer sein");
    target = std::move(value);
    return std::nullopt;
  };
  return Key{std::move(name),
             [assign](const toml::node& node) -> std::optional<std::string> {
               if (const auto* value = node.as_string()) return assign(value->get());
               return std::string("muss ein Text in Anführungszeichen sein");
             },
             [assign](std::string_view text) { return assign(std::string(text)); }};
}

Key list_key(std::string name, std::vector<std::string>& target) {
  return Key{std::move(name),
             [&target](const toml::node& node) -> std::optional<std::string> {
               const auto* array = node.as_array();
               if (array == nullptr) return std::string("muss eine Liste von Texten sein, z. B. [\"127.0.0.1\"]");
               std::vector<std::string> values;
               for (const auto& element : *array) {
                 const auto* value = element.as_string();
                 if (value == nullptr) return std::string("muss eine Liste von Texten sein");
                 values.push_back(value->get());
               }
               target = std::move(values);
               return std::nullopt;
             },
             [&target](std::string_view text) -> std::optional<std::string> {
               std::vector<std::string> values;
               while (!text.empty()) {
                 const auto comma = text.find(',');
                 const auto item = text::trim(text.substr(0, comma));
                 if (!item.empty()) values.emplace_back(item);
                 text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
               }
               target = std::move(values);
               return std::nullopt;
             }};
}

Key boolean_key(std::string name, bool& target) {
  return Key{std::move(name),
             [&target](const toml::node& node) -> std::optional<std::string> {
               if (const auto* value = node.as_boolean()) {
                 target = value->get();
                 return std::nullopt;
               }
               return std::string("muss true oder false sein");
             },
             [&target](std::string_view text) -> std::optional<std::string> {
               if (text == "true" || text == "1") target = true;
               else if (text == "false" || text == "0") target = false;
               else return std::string("muss true oder false sein");
               return std::nullopt;
             }};
}

Key log_level_key(std::string& target) {
  auto check = [&target](std::string value) -> std::optional<std::string> {
    static const std::vector<std::string> kLevels{"trace", "debug", "info", "warn", "error", "critical", "off"};
    if (std::find(kLevels.begin(), kLevels.end(), value) == kLevels.end()) {
      return std::string("muss einer der Werte trace, debug, info, warn, error, critical, off sein");
    }
    target = std::move(value);
    return std::nullopt;
  };
  return Key{"log.level",
             [check](const toml::node& node) -> std::optional<std::string> {
               if (const auto* value = node.as_string()) return check(value->get());
               return std::string("muss ein Text sein");
             },
             [check](std::string_view text) { return check(std::string(text)); }};
}

std::vector<Key> keys_of(Config& config) {
  return {
      string_key("server.address", config.server.address, true),
      integer_key("server.port", config.server.port, 0, 65535),
      integer_key("server.threads", config.server.threads, 0, 256),
      string_key("server.public_url", config.server.public_url),
      list_key("server.trusted_proxies", config.server.trusted_proxies),
      integer_key("server.max_body_bytes", config.server.max_body_bytes, 1024, std::int64_t{1} << 31),
      integer_key("server.request_timeout_seconds", config.server.request_timeout_seconds, 1, 3600),
      string_key("database.url", config.database.url, true),
      integer_key("database.pool_size", config.database.pool_size, 1, 256),
      string_key("paths.migrations", config.paths.migrations, true),
      string_key("paths.assets", config.paths.assets, true),
      string_key("paths.var", config.paths.var, true),
      integer_key("sessions.idle_timeout_minutes", config.sessions.idle_timeout_minutes, 1, 24 * 60),
      integer_key("sessions.absolute_timeout_hours", config.sessions.absolute_timeout_hours, 1, 24 * 30),
      string_key("mail.smtp_url", config.mail.smtp_url),
      string_key("mail.from", config.mail.from),
      string_key("mail.username", config.mail.username),
      string_key("mail.password", config.mail.password),
      boolean_key("mail.require_tls", config.mail.require_tls),
      log_level_key(config.log.level),
      list_key("metrics.allowed_clients", config.metrics.allowed_clients),
      integer_key("disclosure.minimum_count", config.disclosure.minimum_count, 1, 1000),
      integer_key("disclosure.full_total_threshold", config.disclosure.full_total_threshold, 0, 1'000'000),
      integer_key("disclosure.protection", config.disclosure.protection, 0, 1000),
  };
}

void read_table(const toml::table& table, const std::string& prefix, const std::map<std::string, Key*>& keys,
                std::vector<ConfigError>& errors) {
  for (const auto& [name, node] : table) {
    const std::string full = prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
    if (const auto* child = node.as_table(); child != nullptr && prefix.empty()) {
      read_table(*child, full, keys, errors);
      continue;
    }
    const auto key = keys.find(full);
    if (key == keys.end()) {
      errors.push_back({full, "ist kein bekannter Schlüssel"});
      continue;
    }
    if (auto problem = key->second->from_toml(node)) errors.push_back({full, *problem});
  }
}

void check_consistency(const Config& config, std::vector<ConfigError>& errors) {
  if (!config.mail.smtp_url.empty() && !config.mail.smtp_url.starts_with("smtp://") &&
      !config.mail.smtp_url.starts_with("smtps://")) {
    errors.push_back({"mail.smtp_url", "muss mit smtp:// oder smtps:// beginnen"});
  }
  if (!config.mail.smtp_url.empty() && config.mail.from.empty()) {
    errors.push_back({"mail.from", "muss gesetzt sein, wenn mail.smtp_url gesetzt ist"});
  }
  if (!config.server.public_url.empty() && !config.server.public_url.starts_with("http://") &&
      !config.server.public_url.starts_with("https://")) {
    errors.push_back({"server.public_url", "muss mit http:// oder https:// beginnen"});
  }
}

}  // namespace

LoadedConfig load_config(const std::string& path, const std::vector<std::string>& environment) {
  LoadedConfig loaded;
  loaded.source = "Voreinstellungen";
  auto keys = keys_of(loaded.config);
  std::map<std::string, Key*> by_name;
  for (auto& key : keys) by_name[key.name] = &key;

  std::string file = path;
  if (file.empty() && std::filesystem::exists("interkommunal.toml")) file = "interkommunal.toml";
  if (!file.empty()) {
    loaded.source = file;
    try {
      const auto table = toml::parse_file(file);
      read_table(table, "", by_name, loaded.errors);
    } catch (const toml::parse_error& error) {
      const auto& where = error.source().begin;
      loaded.errors.push_back({file, "Zeile " + std::to_string(where.line) + ", Spalte " +
                                         std::to_string(where.column) + ": " + std::string(error.description())});
    }
  }
  for (const auto& entry : environment) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos || !entry.starts_with("IK_")) continue;
    const auto name = entry.substr(0, equals);
    for (auto& key : keys) {
      if (env_name(key.name) != name) continue;
      if (auto problem = key.from_text(entry.substr(equals + 1))) {
        loaded.errors.push_back({key.name + " (" + name + ")", *problem});
      }
    }
  }
  check_consistency(loaded.config, loaded.errors);
  if (loaded.config.server.public_url.empty()) {
    loaded.config.server.public_url =
        "http://" + loaded.config.server.address + ":" + std::to_string(loaded.config.server.port);
  }
  return loaded;
}

}  // namespace ik::app
