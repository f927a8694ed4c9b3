// Benchmark of the monitoring import: a generated 100,000-row CSV (one city, many years, a large
// generated catalogue) read, checked and committed in one transaction, as the import page does.
//
//   import_bench [rows] [database-url]
//
// Without a URL it uses a fresh SQLite file in the temporary directory (WAL, synchronous=NORMAL,
// as the server runs it); with a PostgreSQL URL it needs an empty database. Prints the times of
// the preview (parse + checks), the commit (parse + checks + writing) and the same commit again
// (idempotent: nothing to write).
#include <array>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "monitoring/import.hpp"
#include "monitoring/monitoring.hpp"
#include "storage/storage.hpp"
#include "tabular/tabular.hpp"

namespace {

using namespace ik;
using Timer = std::chrono::steady_clock;

constexpr int kFirstYear = 2001;
constexpr int kYears = 20;

// The nine cells of the staff structure with consistent sums (numerator, unknown, denominator).
struct Cell {
  const char* code;
  int numerator, unknown, denominator;
};
constexpr Cell kStaffCells[] = {
    {"total", 3000, 300, 10000}, {"civil_servants", 1000, 100, 4000}, {"civil_servants_basic_middle", 400, 40, 1500},
    {"civil_servants_upper", 400, 40, 1500}, {"civil_servants_higher", 200, 20, 1000}, {"employees", 2000, 200, 6000},
    {"eg_1_8", 1200, 100, 3000}, {"eg_9_12", 600, 60, 2000}, {"eg_13_plus", 200, 40, 1000}};

// "10.000" as German Excel writes it.
std::string german(int value) {
  auto digits = std::to_string(value);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), ".");
  return digits;
}

// Wall time, and the process's CPU time (user + system), which moves much less when the shared
// machine is busy.
struct Stopwatch {
  Timer::time_point wall = Timer::now();
  std::clock_t cpu = std::clock();
  std::string text() const {
    std::array<char, 64> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%7.3f s wall, %7.3f s CPU",
                  std::chrono::duration<double>(Timer::now() - wall).count(),
                  static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC);
    return buffer.data();
  }
};

void fail(const char* step, const Error& error) {
  std::fprintf(stderr, "%s failed: %s %s %s\n", step, error.message_key.c_str(), error.field.c_str(), error.detail.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  const int rows = argc > 1 ? std::atoi(argv[1]) : 100'000;
  const auto directory = std::filesystem::temp_directory_path() / ("ik-import-bench-" + crypto::random_token(6));
  const std::string url = argc > 2 ? argv[2] : "sqlite:" + (directory / "bench.db").string();
  auto opened = storage::open({.url = url});
  if (!opened) fail("open", opened.error());
  auto& storage = **opened;
  if (auto migrated = storage::migrate(storage, IK_SOURCE_DIR "/migrations"); !migrated) fail("migrate", migrated.error());
  if (auto seeded = cooperation::seed(storage); !seeded) fail("cooperation seed", seeded.error());
  if (auto seeded = monitoring::seed(storage); !seeded) fail("monitoring seed", seeded.error());
  const SystemClock clock;
  cooperation::Cooperation cooperation(storage);
  monitoring::Monitoring monitoring(storage, clock, cooperation);
  const auto city = cooperation.city("bochum")->id;
  const auth::Principal office{1, "office", "office", {{auth::Role::office, std::nullopt}}};
  const auth::Principal entry{2, "bochum_entry", "bochum_entry", {{auth::Role::city_entry, city}}};

  // A generated catalogue large enough that the rows fit into kYears years of one city.
  const int cells_per_year = (rows + kYears - 1) / kYears;
  const int indicators = (cells_per_year + 8) / 9;
  auto staff = monitoring.indicator_for_year("staff", 2020);
  if (!staff) fail("staff", staff.error());
  for (int index = 0; index < indicators; ++index) {
    const monitoring::IndicatorDraft draft{"Generiert " + std::to_string(index), "Generated " + std::to_string(index),
                                           monitoring::Unit::count, "Erzeugt für den Benchmark", "Generated for the benchmark",
                                           "einwanderungsgeschichte", monitoring::Population::staff, "staff_structure",
                                           true, 1, 2000, std::nullopt};
    if (auto saved = monitoring.save_indicator(office, "bench_" + std::to_string(index), draft); !saved) {
      fail("indicator", saved.error());
    }
  }

  std::string csv =
      "Stadt;Jahr;Indikator-Code;Indikator;Kategorie-Code;Kategorie;Anzahl mit Einwanderungsgeschichte;"
      "Anzahl ohne Angabe;Anzahl insgesamt;Quelle;Stichtag;Kommentar\r\n";
  int written = 0;
  for (int year = kFirstYear; year < kFirstYear + kYears && written < rows; ++year) {
    for (int index = 0; index < indicators && written < rows; ++index) {
      for (const auto& cell : kStaffCells) {
        if (written == rows) break;
        csv += "bochum;" + std::to_string(year) + ";bench_" + std::to_string(index) + ";;" + cell.code + ";;" +
               german(cell.numerator) + ";" + german(cell.unknown) + ";" + german(cell.denominator) +
               ";Personalstatistik;31.12." + std::to_string(year) + ";\r\n";
        ++written;
      }
    }
  }
  std::printf("rows %d, indicators %d (+ standard set), years %d, CSV %.1f MiB, backend %s\n", written, indicators,
              kYears, static_cast<double>(csv.size()) / (1 << 20),
              storage.backend() == storage::Backend::sqlite ? "sqlite" : "postgres");

  Stopwatch watch;
  auto sheet = tabular::read_any(csv, "bench.csv");
  if (!sheet) fail("parse", sheet.error());
  std::printf("parse only (CSV → sheet):        %s\n", watch.text().c_str());
  monitoring::Importer importer(storage, clock, cooperation);
  watch = Stopwatch{};
  auto preview = importer.preview(entry, city, csv, "bench.csv");
  if (!preview) fail("preview", preview.error());
  std::printf("preview (parse + checks):        %s, %zu problems\n", watch.text().c_str(), preview->problems.size());
  if (preview->has_errors()) {
    std::fprintf(stderr, "first problem: row %d %s\n", preview->problems.front().row,
                 preview->problems.front().message_key.c_str());
    return 1;
  }
  watch = Stopwatch{};
  auto outcome = importer.commit(entry, city, csv, "bench.csv");
  if (!outcome) fail("commit", outcome.error());
  std::printf("commit (parse + checks + write): %s, %d values written\n", watch.text().c_str(), outcome->changed);
  watch = Stopwatch{};
  auto again = importer.commit(entry, city, csv, "bench.csv");
  if (!again) fail("second commit", again.error());
  std::printf("same file again:                 %s, %d values written\n", watch.text().c_str(), again->changed);
  std::filesystem::remove_all(directory);
  return outcome->committed && outcome->changed == written && again->changed == 0 ? 0 : 1;
}
