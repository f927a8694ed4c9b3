// The benchmarking view of one indicator (not a test): 10 cities + region × 15 years × 6
// breakdown cells (total → civil servants, employees → three pay-grade bands) × 4 traits, with
// realistic counts including small ones.
//
// Measures, separately:
//   publish  building the 15 published tables with suppression (plan + audit) and their JSON:
//            what the office's "publish" costs, once per change;
//   render   what every page view costs: reading the 15 stored JSON tables and rendering the
//            benchmarking view (bar chart + table of all 6 cells of the year, line chart + table
//            over 15 years, dot plot + table) to HTML.
//
// Usage: figures_bench [seed] [render repetitions] [plan mode: heuristic|automatic]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "monitoring/figures.hpp"
#include "web/charts.hpp"
#include "web/forms.hpp"

namespace {

using namespace ik;
using monitoring::PublishedTable;

constexpr int kCities = 10;
constexpr int kFirstYear = 2010;
constexpr int kYears = 15;

monitoring::IndicatorSpec spec() {
  monitoring::IndicatorSpec indicator;
  indicator.code = "staff";
  indicator.version_id = 1;
  indicator.name_de = "Beschäftigte";
  indicator.definition_code = "einwanderungsgeschichte_nrw";
  indicator.categories = {{1, "total", "Insgesamt", "Total", std::nullopt},
                          {2, "civil_servants", "Beamt*innen", "Civil servants", 0},
                          {3, "employees", "Tarifbeschäftigte", "Employees", 0},
                          {4, "eg_1_8", "EG 1–8", "EG 1–8", 2},
                          {5, "eg_9_12", "EG 9–12", "EG 9–12", 2},
                          {6, "eg_13_15", "EG 13–15", "EG 13–15", 2}};
  return indicator;
}

// One year's reported cells: leaves drawn per city (a fifth of them small), totals summed.
std::vector<monitoring::ReportedCell> year_cells(std::mt19937& random,
                                                 const std::vector<double>& sizes) {
  std::uniform_real_distribution<double> noise(0.7, 1.3), uniform(0, 1), share(0.05, 0.35),
      unknown(0.0, 0.08);
  std::vector<monitoring::ReportedCell> cells;
  for (int city = 1; city <= kCities; ++city) {
    std::array<std::int64_t, 7> numerator{}, missing{}, denominator{};
    for (const int leaf : {2, 4, 5, 6}) {
      const double base = uniform(random) < 0.2 ? 6.0 : 300.0 * sizes[city - 1] * noise(random);
      denominator[leaf] = std::llround(base);
      numerator[leaf] = std::llround(static_cast<double>(denominator[leaf]) * share(random));
      missing[leaf] =
          std::llround(static_cast<double>(denominator[leaf] - numerator[leaf]) * unknown(random));
    }
    for (const int leaf : {4, 5, 6}) {
      numerator[3] += numerator[leaf];
      missing[3] += missing[leaf];
      denominator[3] += denominator[leaf];
    }
    for (const int part : {2, 3}) {
      numerator[1] += numerator[part];
      missing[1] += missing[part];
      denominator[1] += denominator[part];
    }
    for (std::int64_t category = 1; category <= 6; ++category) {
      cells.push_back(
          {city, category, numerator[category], missing[category], denominator[category]});
    }
  }
  return cells;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

web::ChartValue share_value(const monitoring::PublishedCell& cell) {
  std::optional<double> value;
  if (cell.share.value) value = cell.share.value->approximate() * 100;
  return {value, cell.share.text_de};
}

std::string count_text(const monitoring::PublishedCount& count) {
  if (count.value && count.sign == disclosure::Sign::value) {
    return monitoring::format_count(*count.value, monitoring::DecimalMark::comma);
  }
  return std::string(disclosure::sign_text(count.sign));
}

// The benchmarking view as pages_figures.cpp builds it, from the stored JSON.
std::string render(const std::vector<std::string>& stored) {
  std::vector<PublishedTable> tables;
  for (const auto& json : stored) tables.push_back(std::move(monitoring::from_json(json)).value());
  const PublishedTable& latest = tables.back();
  web::Html html;
  web::BarChart bars{{"vergleich", "Anteil", "Beschreibung"}, {}, {}, latest.region_index()};
  for (std::size_t city = 0; city < latest.cities.size(); ++city) {
    bars.labels.push_back(latest.cities[city].name);
    bars.values.push_back(share_value(latest.cell(city, 0)));
  }
  web::bar_chart(html, bars, web::Language::de);
  web::data_table(html, "Städte",
                  {"Stadt", "Gruppe", "Insgesamt", "mit", "ohne", "ohne Angabe", "Anteil"}, [&] {
                    for (std::size_t city = 0; city < latest.cities.size(); ++city) {
                      for (std::size_t category = 0; category < latest.categories.size();
                           ++category) {
                        const auto& cell = latest.cell(city, category);
                        web::table_row(html, [&] {
                          web::table_cell(html, latest.cities[city].name);
                          web::table_cell(html, latest.categories[category].name_de);
                          for (const auto& count : cell.counts)
                            web::table_cell(html, count_text(count));
                          web::table_cell(html, cell.share.text_de);
                        });
                      }
                    }
                  });
  web::LineChart lines{{"entwicklung", "Anteil im Zeitverlauf", "Beschreibung"}, {}, {}};
  for (const auto& table : tables) lines.x_labels.push_back(std::to_string(table.year));
  for (const auto& city : latest.cities) {
    web::LineSeries series{city.name, {}, city.region};
    for (const auto& table : tables) {
      const auto row = table.city_index(city.id);
      series.values.push_back(row ? share_value(table.cell(*row, 0))
                                  : web::ChartValue{std::nullopt, "…"});
    }
    lines.series.push_back(std::move(series));
  }
  web::line_chart(html, lines, web::Language::de);
  web::data_table(html, "Zeitreihe", lines.x_labels, [&] {
    for (const auto& series : lines.series) {
      web::table_row(html, [&] {
        for (const auto& value : series.values) web::table_cell(html, value.text);
      });
    }
  });
  web::DotPlot dots{{"index", "Repräsentationsquote", "Beschreibung"}, {}, {}, 1.0, "1,00"};
  for (std::size_t city = 0; city < latest.cities.size(); ++city) {
    const auto index = monitoring::representation_index(latest, latest, latest.cities[city].id);
    dots.labels.push_back(latest.cities[city].name);
    dots.values.push_back(
        {index.value ? std::optional<double>(index.value->approximate()) : std::nullopt,
         index.value ? index.value->format(2, monitoring::DecimalMark::comma) : "•"});
  }
  web::dot_plot(html, dots, web::Language::de);
  return std::move(html).take();
}

}  // namespace

int main(int argc, char** argv) {
  const auto seed = static_cast<std::uint32_t>(argc > 1 ? std::atoi(argv[1]) : 1);
  const int repetitions = argc > 2 ? std::max(1, std::atoi(argv[2])) : 50;
  const std::string mode = argc > 3 ? argv[3] : "automatic";
  const disclosure::PlanOptions options =
      mode == "heuristic" ? disclosure::PlanOptions{disclosure::PlanMode::heuristic}
                          : monitoring::kPublicationPlan;

  std::mt19937 random(seed);
  std::uniform_real_distribution<double> size(0.3, 3.0);
  std::vector<double> sizes;
  for (int city = 0; city < kCities; ++city) sizes.push_back(size(random));
  std::vector<monitoring::CityInYear> cities;
  for (int city = 1; city <= kCities; ++city) {
    cities.push_back(
        {city, "stadt-" + std::to_string(city), "Stadt " + std::to_string(city), true});
  }

  std::vector<std::string> stored;
  std::int64_t hidden = 0;
  std::size_t suppressed = 0;
  int exact_years = 0;
  const auto publish_start = std::chrono::steady_clock::now();
  for (int year = kFirstYear; year < kFirstYear + kYears; ++year) {
    const monitoring::TableInput input{spec(), year, cities, year_cells(random, sizes)};
    auto table = monitoring::build_published_table(input, {}, options);
    if (!table) {
      std::fprintf(stderr, "publishing %d failed: %s %s\n", year, table.error().message_key.c_str(),
                   table.error().detail.c_str());
      return 1;
    }
    hidden += table->persons_hidden;
    suppressed += table->audit.size();
    exact_years += table->method == disclosure::Method::exact && table->proven_optimal;
    stored.push_back(monitoring::to_json(*table));
  }
  const double publish_seconds = seconds_since(publish_start);

  std::size_t bytes = 0;
  std::vector<double> times;
  for (int repetition = 0; repetition < repetitions; ++repetition) {
    const auto start = std::chrono::steady_clock::now();
    bytes = render(stored).size();
    times.push_back(seconds_since(start));
  }
  std::sort(times.begin(), times.end());
  const auto percentile = [&](double fraction) {
    return 1000 *
           times[std::min(times.size() - 1,
                          static_cast<std::size_t>(fraction * static_cast<double>(times.size())))];
  };
  std::printf("seed %u, plan %s: %d tables of %d cells (11 × 6 × 4)\n", seed, mode.c_str(), kYears,
              11 * 6 * 4);
  std::printf(
      "publish: %.3f s for %d tables (%.1f ms each), %zu suppressed cells, %lld persons hidden, "
      "%d of %d proven optimal\n",
      publish_seconds, kYears, 1000 * publish_seconds / kYears, suppressed,
      static_cast<long long>(hidden), exact_years, kYears);
  std::printf(
      "render:  median %.2f ms, p90 %.2f ms, max %.2f ms over %d runs (%zu bytes of HTML)\n",
      percentile(0.5), percentile(0.9), 1000 * times.back(), repetitions, bytes);
}
