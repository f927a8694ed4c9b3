// interkommunal: one binary for serving, migrating, creating users, backups and checking the
// configuration. Builds every part once and hands each what it needs.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/config.hpp"
#include "app/logging.hpp"
#include "app/mailer.hpp"
#include "app/metrics.hpp"
#include "app/site.hpp"
#include "auth/auth.hpp"
#include "cooperation/cooperation.hpp"
#include "core/crypto.hpp"
#include "http/http.hpp"
#include "monitoring/monitoring.hpp"
#include "portal/portal.hpp"
#include "search/search.hpp"
#include "storage/storage.hpp"
#include "web/assets.hpp"
#include "web/messages.hpp"

extern char** environ;

namespace ik::app {
namespace {

constexpr int kExitConfig = 2;
constexpr int kExitFailure = 1;

std::vector<std::string> environment() {
  std::vector<std::string> entries;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) entries.emplace_back(*entry);
  return entries;
}

// Loads the configuration or explains every problem on stderr.
std::optional<Config> configuration(const std::string& path) {
  auto loaded = load_config(path, environment());
  if (loaded.errors.empty()) return std::move(loaded.config);
  std::cerr << "Die Konfiguration (" << loaded.source << ") ist ungültig:\n";
  for (const auto& error : loaded.errors) std::cerr << "  " << error.key << ": " << error.message << "\n";
  return std::nullopt;
}

void report(const Error& error, std::string_view doing) {
  std::cerr << "Fehler beim " << doing << ": " << (error.detail.empty() ? error.message_key : error.detail) << "\n";
}

std::unique_ptr<storage::Storage> open_database(const Config& config) {
  auto opened = storage::open({.url = config.database.url, .pool_size = config.database.pool_size});
  if (!opened) {
    report(opened.error(), "Öffnen der Datenbank");
    return nullptr;
  }
  return std::move(*opened);
}

bool prepare_database(storage::Storage& storage, const Config& config) {
  auto applied = storage::migrate(storage, config.paths.migrations);
  if (!applied) {
    report(applied.error(), "Migrieren der Datenbank");
    return false;
  }
  for (const int version : *applied) spdlog::info(R"("event":"migration_applied","version":{})", version);
  auto seeded = cooperation::seed(storage);
  if (!seeded) {
    report(seeded.error(), "Laden der Kooperationsdaten");
    return false;
  }
  if (*seeded > 0) spdlog::info(R"("event":"seed_loaded","rows":{})", *seeded);
  auto monitoring_seeded = monitoring::seed(storage);
  if (!monitoring_seeded) {
    report(monitoring_seeded.error(), "Laden der Monitoring-Standarddaten");
    return false;
  }
  if (*monitoring_seeded > 0) spdlog::info(R"("event":"monitoring_seed_loaded","rows":{})", *monitoring_seeded);
  return true;
}

auth::AuthService make_auth(storage::Storage& storage, const Clock& clock, const Config& config) {
  return auth::AuthService(storage, clock,
                           auth::SessionPolicy{.idle_timeout_seconds = config.sessions.idle_timeout_minutes * 60,
                                               .absolute_timeout_seconds = config.sessions.absolute_timeout_hours * 3600},
                           auth::ThrottlePolicy{});
}

// On the very first start there is no administrator: create one and show its password once.
bool ensure_admin(auth::AuthService& auth) {
  auto exists = auth.any_admin_exists();
  if (!exists) {
    report(exists.error(), "Prüfen der Administration");
    return false;
  }
  if (*exists) return true;
  const auto password = crypto::random_token(12);
  auto created = auth.create_user({.username = "admin",
                                   .display_name = "Administration",
                                   .email = "",
                                   .grants = {{auth::Role::admin, std::nullopt}},
                                   .password = password},
                                  {.client_address = "", .request_id = "", .actor = nullptr});
  if (!created) {
    report(created.error(), "Anlegen des Administrationskontos");
    return false;
  }
  std::cout << "Einmal-Passwort für admin: " << password << std::endl;
  return true;
}

int serve(const std::string& config_path) {
  auto config = configuration(config_path);
  if (!config) return kExitConfig;
  setup_logging(config->log.level);
  auto storage = open_database(*config);
  if (!storage || !prepare_database(*storage, *config)) return kExitFailure;
  SystemClock clock;
  auto auth = make_auth(*storage, clock, *config);
  if (!ensure_admin(auth)) return kExitFailure;
  auto assets = web::Assets::load(config->paths.assets);
  if (!assets) {
    report(assets.error(), "Laden der Oberflächendateien (scripts/build-assets.sh ausgeführt?)");
    return kExitFailure;
  }
  cooperation::Cooperation cooperation(*storage);
  monitoring::Monitoring monitoring(*storage, clock, cooperation,
                                    {.minimum_count = config->disclosure.minimum_count,
                                     .full_total_threshold = config->disclosure.full_total_threshold,
                                     .upper_protection = config->disclosure.protection,
                                     .lower_protection = config->disclosure.protection});
  portal::Portal portal(*storage, clock, portal::Options{.upload_directory = std::filesystem::path(config->paths.var) / "uploads"});
  if (auto portal_seeded = portal::seed(portal); !portal_seeded) {
    report(portal_seeded.error(), "Laden der Portalinhalte");
    return kExitFailure;
  }
  Metrics metrics;
  Mailer mailer({config->mail.smtp_url, config->mail.from, config->mail.username, config->mail.password,
                 config->mail.require_tls});
  search::SearchIndex search_index(static_cast<std::size_t>(config->server.threads));
  Site site(Services{.storage = *storage,
                     .auth = auth,
                     .cooperation = cooperation,
                     .monitoring = monitoring,
                     .portal = portal,
                     .search = search_index,
                     .assets = *assets,
                     .metrics = metrics,
                     .mailer = mailer,
                     .clock = clock,
                     .public_url = config->server.public_url,
                     .metrics_clients = config->metrics.allowed_clients});
  http::ServerSettings settings;
  settings.address = config->server.address;
  settings.port = config->server.port;
  settings.threads = config->server.threads;
  settings.max_body_bytes = static_cast<std::size_t>(config->server.max_body_bytes);
  settings.request_timeout = std::chrono::seconds(config->server.request_timeout_seconds);
  settings.trusted_proxies = config->server.trusted_proxies;
  const auto address = config->server.address;
  auto served = http::serve(
      settings, [&site](http::Request& request) { return site.handle(request); },
      [&site](int status, const http::Request& request) { return site.error_page(status, request); },
      [&address](std::uint16_t port) {
        std::cout << "Interkommunal läuft auf http://" << address << ":" << port << "/" << std::endl;
      });
  if (!served) {
    report(served.error(), "Starten des Servers");
    return kExitFailure;
  }
  spdlog::info(R"("event":"stopped")");
  spdlog::shutdown();  // writes out what the log still holds
  return 0;
}

int migrate_command(const std::string& config_path) {
  auto config = configuration(config_path);
  if (!config) return kExitConfig;
  auto storage = open_database(*config);
  if (!storage) return kExitFailure;
  auto applied = storage::migrate(*storage, config->paths.migrations);
  if (!applied) {
    report(applied.error(), "Migrieren der Datenbank");
    return kExitFailure;
  }
  std::cout << (applied->empty() ? "Die Datenbank ist auf dem neuesten Stand." : "Angewendete Migrationen:");
  for (const int version : *applied) std::cout << " " << version;
  std::cout << std::endl;
  return 0;
}

struct NewUserOptions {
  std::string username;
  std::string name;
  std::string email;
  std::vector<std::string> roles;
  std::string city;
  bool password_stdin = false;
};

int create_user_command(const std::string& config_path, const NewUserOptions& options) {
  auto config = configuration(config_path);
  if (!config) return kExitConfig;
  auto storage = open_database(*config);
  if (!storage || !prepare_database(*storage, *config)) return kExitFailure;
  cooperation::Cooperation cooperation(*storage);
  std::vector<auth::RoleGrant> grants;
  for (const auto& text : options.roles) {
    const auto colon = text.find(':');
    const auto role = auth::parse_role(text.substr(0, colon));
    if (!role) {
      std::cerr << "Unbekannte Rolle: " << text << "\nRollen:";
      for (const auto known : auth::all_roles()) std::cerr << ' ' << auth::role_name(known);
      std::cerr << " (Stadtrollen als ROLLE:STADT, z. B. city_entry:bochum)\n";
      return kExitConfig;
    }
    const auto slug = colon == std::string::npos ? options.city : text.substr(colon + 1);
    std::optional<auth::CityId> city_id;
    if (!slug.empty()) {
      auto city = cooperation.city(slug);
      if (!city) {
        std::cerr << "Unbekannte Stadt: " << slug << "\nStädte:";
        if (auto cities = cooperation.cities())
          for (const auto& known : *cities) std::cerr << ' ' << known.slug;
        std::cerr << "\n";
        return kExitConfig;
      }
      if (auth::is_city_role(*role) || *role == auth::Role::steering_group || *role == auth::Role::project_group) {
        city_id = city->id;
      }
    }
    grants.push_back({*role, city_id});
  }
  std::optional<std::string> password;
  if (options.password_stdin) {
    std::string line;
    std::getline(std::cin, line);
    password = line;
  }
  SystemClock clock;
  auto auth = make_auth(*storage, clock, *config);
  auto created = auth.create_user({.username = options.username, .display_name = options.name, .email = options.email,
                                   .grants = grants, .password = password},
                                  {.client_address = "cli", .request_id = "", .actor = nullptr});
  if (!created) {
    std::cerr << "Das Konto wurde nicht angelegt: " << web::message(web::Language::de, created.error().message_key);
    if (!created.error().field.empty()) std::cerr << " (Feld " << created.error().field << ")";
    std::cerr << "\n";
    return kExitFailure;
  }
  std::cout << "Konto " << options.username << " angelegt (Nummer " << *created << ")." << std::endl;
  if (!password) {
    auto invitation = auth.invite(*created, {.client_address = "cli", .request_id = "", .actor = nullptr});
    if (!invitation) {
      report(invitation.error(), "Erstellen der Einladung");
      return kExitFailure;
    }
    std::cout << "Einladungslink: " << config->server.public_url << "/einladung/" << invitation->token << std::endl;
  }
  return 0;
}

int backup_command(const std::string& config_path, const std::string& target) {
  auto config = configuration(config_path);
  if (!config) return kExitConfig;
  auto storage = open_database(*config);
  if (!storage) return kExitFailure;
  if (auto done = storage->backup(target); !done) {
    report(done.error(), "Sichern der Datenbank");
    return kExitFailure;
  }
  std::cout << "Sicherung geschrieben: " << target << std::endl;
  return 0;
}

int check_config_command(const std::string& config_path) {
  auto loaded = load_config(config_path, environment());
  if (!loaded.errors.empty()) {
    configuration(config_path);  // prints the problems
    return kExitConfig;
  }
  std::cout << "Die Konfiguration ist in Ordnung (" << loaded.source << ")." << std::endl;
  return 0;
}

}  // namespace
}  // namespace ik::app

int main(int argc, char** argv) {
  using namespace ik::app;
  CLI::App cli{"Interkommunal – Plattform der Städtekooperation Integration.Interkommunal"};
  cli.require_subcommand(1);
  cli.fallthrough();  // "serve --config FILE" as well as "--config FILE serve"
  std::string config_path;
  cli.add_option("-c,--config", config_path, "Konfigurationsdatei (TOML)")->check(CLI::ExistingFile);

  auto* serve_command = cli.add_subcommand("serve", "Datenbank vorbereiten und die Plattform ausliefern");
  auto* migrate = cli.add_subcommand("migrate", "Datenbankmigrationen anwenden");
  auto* create_user = cli.add_subcommand("create-user", "Ein Konto anlegen");
  NewUserOptions user;
  create_user->add_option("--username", user.username, "Benutzername")->required();
  create_user->add_option("--name", user.name, "Anzeigename")->required();
  create_user->add_option("--email", user.email, "E-Mail-Adresse");
  create_user->add_option("--role", user.roles, "Rolle, auch ROLLE:STADT (mehrfach möglich)");
  create_user->add_option("--city", user.city, "Stadt (Kürzel) für Rollen ohne eigene Stadt");
  create_user->add_flag("--password-stdin", user.password_stdin, "Passwort aus der Standardeingabe lesen");
  auto* backup = cli.add_subcommand("backup", "Eine konsistente Sicherung der Datenbank schreiben");
  std::string backup_target;
  backup->add_option("--to", backup_target, "Zieldatei")->required();
  auto* check_config = cli.add_subcommand("check-config", "Die Konfiguration prüfen");

  CLI11_PARSE(cli, argc, argv);
  if (serve_command->parsed()) return serve(config_path);
  if (migrate->parsed()) return migrate_command(config_path);
  if (create_user->parsed()) return create_user_command(config_path, user);
  if (backup->parsed()) return backup_command(config_path, backup_target);
  if (check_config->parsed()) return check_config_command(config_path);
  return 1;
}
