// Benchmark of publication against the history (issue 16): the ten cities of the cooperation
// report every standard indicator for one year (generated figures, about a quarter of the leaves
// small), and the office publishes them one after another, each publication planning every
// changed table against all earlier releases of the year and auditing their union.
//
//   publication_bench [seed] [database-url]
//
// Without a URL it uses a fresh SQLite file in the temporary directory; with a PostgreSQL URL it
// needs an empty database. Prints, per publication, the wall and CPU time, the releases so far
// and the persons the new tables withhold. Target: < 2 s per publication.
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>

#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "monitoring/figures.hpp"
#include "monitoring/monitoring.hpp"
#include "storage/storage.hpp"

namespace {

using namespace ik;
using Timer = std::chrono::steady_clock;

constexpr int kYear = 2024;

void fail(const char* step, const Error& error) {
  std::fprintf(stderr, "%s failed: %s %s %s\n", step, error.message_key.c_str(),
               error.field.c_str(), error.detail.c_str());
  std::exit(1);
}

struct Counts {
  std::int64_t numerator = 0, unknown = 0, denominator = 0;
};

// One city's values of an indicator: random leaves, every parent the sum of its children.
std::vector<monitoring::ValueEdit> generated(const monitoring::IndicatorVersion& indicator,
                                             const monitoring::Breakdown& breakdown,
                                             std::mt19937& random, std::int64_t scale) {
  std::uniform_int_distribution<std::int64_t> small(0, 6), large(5, 60 * scale);
  std::uniform_int_distribution<int> kind(0, 3);
  const auto count = [&] { return kind(random) == 0 ? small(random) : large(random); };
  const auto& categories = breakdown.categories;
  std::vector<Counts> counts(categories.size());
  std::vector<bool> leaf(categories.size(), true);
  for (const auto& category : categories)
    for (std::size_t index = 0; index < categories.size(); ++index)
      if (category.parent_id == categories[index].id) leaf[index] = false;
  for (std::size_t index = 0; index < categories.size(); ++index) {
    if (!leaf[index]) continue;
    counts[index] = {count(), count(), 0};
    counts[index].denominator = counts[index].numerator + counts[index].unknown + count();
  }
  // Depth-first order: children come after their parent, so walking backwards sums them up.
  for (std::size_t index = categories.size(); index-- > 0;) {
    if (!categories[index].parent_id) continue;
    for (std::size_t parent = 0; parent < categories.size(); ++parent) {
      if (categories[parent].id != *categories[index].parent_id) continue;
      counts[parent].numerator += counts[index].numerator;
      counts[parent].unknown += counts[index].unknown;
      counts[parent].denominator += counts[index].denominator;
    }
  }
  std::vector<monitoring::ValueEdit> edits;
  for (std::size_t index = 0; index < categories.size(); ++index) {
    const Counts& cell = counts[index];
    monitoring::ValueEdit edit{indicator.code, categories[index].code, cell.numerator,
                               std::nullopt,   std::nullopt,            "Benchmark",
                               "Personalstatistik", "2024-12-31"};
    if (indicator.has_denominator) edit.unknown = cell.unknown, edit.denominator = cell.denominator;
    edits.push_back(std::move(edit));
  }
  return edits;
}

}  // namespace

int main(int argc, char** argv) {
  const auto seed = static_cast<std::uint32_t>(argc > 1 ? std::atoi(argv[1]) : 1);
  const auto directory =
      std::filesystem::temp_directory_path() / ("ik-publication-bench-" + crypto::random_token(6));
  const std::string url = argc > 2 ? argv[2] : "sqlite:" + (directory / "bench.db").string();
  auto opened = storage::open({.url = url});
  if (!opened) fail("open", opened.error());
  auto& storage = **opened;
  if (auto migrated = storage::migrate(storage, IK_SOURCE_DIR "/migrations"); !migrated)
    fail("migrate", migrated.error());
  if (auto seeded = cooperation::seed(storage); !seeded) fail("cooperation seed", seeded.error());
  if (auto seeded = monitoring::seed(storage); !seeded) fail("monitoring seed", seeded.error());
  const SystemClock clock;
  cooperation::Cooperation cooperation(storage);
  monitoring::Monitoring monitoring(storage, clock, cooperation);
  const auth::Principal office{1, "office", "office", {{auth::Role::office, std::nullopt}}};
  auto cities = cooperation.cities();
  if (!cities) fail("cities", cities.error());
  auto indicators = monitoring.indicators();
  if (!indicators) fail("indicators", indicators.error());

  std::mt19937 random(seed);
  for (const auto& city : *cities) {
    std::vector<monitoring::ValueEdit> edits;
    for (const auto& indicator : *indicators) {
      auto breakdown = monitoring.breakdown(indicator.breakdown_id);
      if (!breakdown) fail("breakdown", breakdown.error());
      const std::int64_t scale = indicator.code == "population" ? 100 : 1;
      auto cells = generated(indicator, *breakdown, random, scale);
      edits.insert(edits.end(), cells.begin(), cells.end());
    }
    const auth::Principal entry{2, "entry", "entry", {{auth::Role::city_entry, city.id}}};
    const auth::Principal approval{3, "approval", "approval", {{auth::Role::city_approval, city.id}}};
    auto saved = monitoring.save_values(entry, city.id, kYear, edits);
    if (!saved) fail("save", saved.error());
    if (!saved->saved) {
      std::fprintf(stderr, "%s: not saved, first finding %s\n", city.slug.c_str(),
                   saved->findings.front().message_key.c_str());
      return 1;
    }
    if (auto done = monitoring.submit(entry, city.id, kYear); !done) fail("submit", done.error());
    if (auto done = monitoring.approve(approval, city.id, kYear); !done) fail("approve", done.error());
  }
  std::printf("seed %u, %zu cities, %zu indicators, backend %s\n", seed, cities->size(),
              indicators->size(), storage.backend() == storage::Backend::sqlite ? "sqlite" : "postgres");
  double slowest = 0;
  for (const auto& city : *cities) {
    const auto wall = Timer::now();
    const auto cpu = std::clock();
    auto outcome = monitoring.publish(office, city.id, kYear);
    const double seconds = std::chrono::duration<double>(Timer::now() - wall).count();
    if (!outcome) fail("publish", outcome.error());
    if (!outcome->done) {
      std::fprintf(stderr, "%s: refused, %zu figures exposed\n", city.slug.c_str(),
                   outcome->exposed.size());
      return 1;
    }
    std::int64_t hidden = 0;
    for (const auto& indicator : *indicators) {
      auto record = monitoring.published_table(indicator.code, kYear);
      if (record) hidden += monitoring::from_json(record->table_json)->persons_hidden;
    }
    auto releases = monitoring.releases(office, "staff", kYear);
    std::printf("%-24s %6.3f s wall, %6.3f s CPU, staff releases %zu, persons withheld %lld\n",
                city.name.c_str(), seconds,
                static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC,
                releases ? releases->size() : 0, static_cast<long long>(hidden));
    slowest = std::max(slowest, seconds);
  }
  std::printf("slowest publication: %.3f s (target < 2 s)\n", slowest);
  // Where the withheld figures of the year's last tables stand: the region's row or the cities'.
  std::size_t region_withheld = 0, city_withheld = 0, shown = 0;
  for (const auto& indicator : *indicators) {
    auto record = monitoring.published_table(indicator.code, kYear);
    if (!record) continue;
    const auto table = monitoring::from_json(record->table_json);
    for (std::size_t city = 0; city < table->cities.size(); ++city)
      for (std::size_t category = 0; category < table->categories.size(); ++category)
        for (const auto& count : table->cell(city, category).counts) {
          if (count.value) ++shown;
          else if (table->cities[city].region) ++region_withheld;
          else ++city_withheld;
        }
  }
  std::printf("last tables: %zu figures shown, %zu withheld in the region's rows, %zu in the cities'\n",
              shown, region_withheld, city_withheld);
  std::filesystem::remove_all(directory);
  return 0;
}
