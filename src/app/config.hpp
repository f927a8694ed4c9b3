// The program's configuration: a TOML file with environment overrides (IK_<SECTION>_<KEY>).
// Invalid values are reported with the key they belong to; nothing starts with a bad config.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace ik::app {

struct Config {
  struct Server {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;
    unsigned threads = 0;
    std::string public_url;  // for links in e-mails; default http://address:port
    std::vector<std::string> trusted_proxies;
    // Upload forms (files up to 25 MiB, imports up to 10 MB) need this much; every other route
    // refuses bodies over 1 MiB itself (app/site.hpp, kFormBodyLimit).
    std::int64_t max_body_bytes = 32 * 1024 * 1024;
    std::int64_t request_timeout_seconds = 30;
  } server;
  struct Database {
    std::string url = "sqlite:var/interkommunal.db";
    int pool_size = 4;
  } database;
  struct Paths {
    std::string migrations = "migrations";
    std::string assets = "build/assets";
    std::string var = "var";
  } paths;
  struct Sessions {
    std::int64_t idle_timeout_minutes = 60;
    std::int64_t absolute_timeout_hours = 12;
  } sessions;
  struct Mail {
    std::string smtp_url;  // "smtp://host:587" or "smtps://…"; empty: links are shown to the admin
    std::string from;
    std::string username;
    std::string password;
    // With smtp://, STARTTLS is required unless this is false (only for a relay on the same host).
    bool require_tls = true;
  } mail;
  struct Log {
    std::string level = "info";
  } log;
  // Publication of monitoring figures (DOMAIN.md, "Disclosure control").
  struct Disclosure {
    std::int64_t minimum_count = 5;          // counts 1 … minimum−1 are never published
    std::int64_t full_total_threshold = 10;  // "everyone in the group has the trait" below this
    std::int64_t protection = 5;             // ± persons an attacker must not narrow a hidden count to
  } disclosure;
  struct Metrics {
    std::vector<std::string> allowed_clients = {"127.0.0.1", "::1"};
  } metrics;
};

// A problem with one key: "server.port: muss eine Zahl von 0 bis 65535 sein".
struct ConfigError {
  std::string key;
  std::string message;
};

// Reads `path` (when empty: "interkommunal.toml" if present, else defaults), then applies the
// environment `environment` (a list of "NAME=value"). All problems are returned together.
struct LoadedConfig {
  Config config;
  std::vector<ConfigError> errors;
  std::string source;  // the file read, or "Voreinstellungen"
};
LoadedConfig load_config(const std::string& path, const std::vector<std::string>& environment);

}  // namespace ik::app
