// Secondary suppression on a generated hierarchical table (not a test): 10 cities + region total
// × a three-level breakdown (total → 3 staff groups → 4 pay-grade bands each) × 15 years, with
// realistic counts including small ones. Runs the heuristic and the exact ILP on the same table
// and prints cells, primary cells, persons hidden, time and the heuristic's gap to the optimum.
//
// Usage: suppression_bench [seed] [exact time limit in seconds] [heuristic and automatic time
// limit in milliseconds, default 800]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "disclosure/disclosure.hpp"

namespace {

using namespace ik::disclosure;

Dimension cities() {
  Dimension dimension{"city", {{"Region", std::nullopt}}};
  for (int city = 1; city <= 10; ++city) dimension.categories.push_back({"city " + std::to_string(city), 0});
  return dimension;
}

Dimension breakdown() {
  Dimension dimension{"breakdown", {{"total", std::nullopt}}};
  for (int group = 1; group <= 3; ++group) dimension.categories.push_back({"group", 0});
  for (std::size_t group = 1; group <= 3; ++group)
    for (int band = 1; band <= 4; ++band) dimension.categories.push_back({"band", group});
  return dimension;
}

Dimension years() {
  Dimension dimension{"year", {}};
  for (int year = 2010; year < 2025; ++year) dimension.categories.push_back({std::to_string(year), std::nullopt});
  return dimension;
}

// Leaf counts: a city size factor times a band share, with noise; a fifth of the bands small.
CrossTable generate(std::uint32_t seed) {
  const std::vector<Dimension> dimensions = {cities(), breakdown(), years()};
  const std::size_t city_count = 11, breakdown_count = 16, year_count = 15;
  std::vector<std::int64_t> counts(city_count * breakdown_count * year_count, 0);
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> size(0.3, 3.0), noise(0.7, 1.3), uniform(0, 1);
  const auto at = [&](std::size_t city, std::size_t cell, std::size_t year) -> std::int64_t& {
    return counts[(city * breakdown_count + cell) * year_count + year];
  };
  for (std::size_t city = 1; city < city_count; ++city) {
    const double city_size = size(random);
    for (std::size_t band = 4; band < breakdown_count; ++band) {
      const double base = uniform(random) < 0.2 ? 3.0 : 40.0 * city_size * noise(random);
      for (std::size_t year = 0; year < year_count; ++year) {
        const std::int64_t value = std::llround(base * noise(random)) - (uniform(random) < 0.05 ? 3 : 0);
        at(city, band, year) = std::max<std::int64_t>(0, value);
      }
    }
  }
  for (std::size_t city = 1; city < city_count; ++city)
    for (std::size_t year = 0; year < year_count; ++year)
      for (std::size_t band = 4; band < breakdown_count; ++band) {
        const std::size_t group = 1 + (band - 4) / 4;
        at(city, group, year) += at(city, band, year);
        at(city, 0, year) += at(city, band, year);
      }
  for (std::size_t city = 1; city < city_count; ++city)
    for (std::size_t cell = 0; cell < breakdown_count; ++cell)
      for (std::size_t year = 0; year < year_count; ++year) at(0, cell, year) += at(city, cell, year);
  auto table = CrossTable::create(dimensions, std::move(counts));
  if (!table) {
    std::fprintf(stderr, "generator defect: %s\n", table.error().detail.c_str());
    std::exit(1);
  }
  return std::move(table).value();
}

struct Run {
  SuppressionPlan plan;
  double seconds;
};

Run run(const Table& table, PlanOptions options) {
  const auto start = std::chrono::steady_clock::now();
  auto plan = plan_suppression(table, {}, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!plan) {
    std::fprintf(stderr, "planning failed: %s %s\n", plan.error().message_key.c_str(),
                 plan.error().detail.c_str());
    std::exit(1);
  }
  return {std::move(plan).value(), seconds};
}

std::size_t count_status(const SuppressionPlan& plan, CellStatus wanted) {
  std::size_t count = 0;
  for (const auto status : plan.status) count += status == wanted;
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  const auto seed = static_cast<std::uint32_t>(argc > 1 ? std::atoi(argv[1]) : 1);
  const double limit = argc > 2 ? std::atof(argv[2]) : 120.0;
  const std::chrono::milliseconds fast_limit(argc > 3 ? std::atol(argv[3]) : 800);
  const auto cross = generate(seed);
  const Table& table = cross.table();
  const auto heuristic = run(table, {.mode = PlanMode::heuristic, .time_limit = fast_limit});
  const auto automatic = run(table, {.mode = PlanMode::automatic, .time_limit = fast_limit});
  const auto exact = run(table, {.mode = PlanMode::exact,
                                 .time_limit = std::chrono::milliseconds(static_cast<long>(limit * 1000))});
  std::printf("seed %u: %zu cells, %zu relations, %zu primary cells\n", seed, table.size(),
              table.relations().size(), count_status(exact.plan, CellStatus::primary));
  const auto line = [&](const char* name, const Run& result) {
    const double gap = 100.0 * static_cast<double>(result.plan.persons_hidden - exact.plan.persons_hidden) /
                       static_cast<double>(exact.plan.persons_hidden);
    std::printf("%-10s %8.3f s  secondary %4zu  persons hidden %6lld  gap %5.2f %%  %s%s\n", name,
                result.seconds, count_status(result.plan, CellStatus::secondary),
                static_cast<long long>(result.plan.persons_hidden), gap,
                result.plan.method == Method::exact ? "exact" : "heuristic",
                result.plan.proven_optimal ? ", proven optimal" : "");
  };
  line("heuristic", heuristic);
  line("automatic", automatic);
  line("exact", exact);
}
