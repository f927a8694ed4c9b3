// Public figures of the diversity monitoring: the overview (/zahlen), the benchmarking view of
// one indicator (/zahlen/{indicator}: cities side by side, time series, representation index)
// and its exports (/zahlen/{indicator}.csv, .xlsx; .json is in api_figures.cpp). Everything here
// reads only published tables, so nothing unpublished or suppressed can reach a visitor.
#include <algorithm>
#include <cmath>
#include <map>

#include "app/frame.hpp"
#include "app/handlers.hpp"
#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "monitoring/figures.hpp"
#include "monitoring/monitoring.hpp"
#include "tabular/tabular.hpp"
#include "web/charts.hpp"
#include "web/forms.hpp"

namespace ik::app {
namespace {

using monitoring::PublishedTable;
using monitoring::Trait;
using web::Html;

// The population reference the representation index divides by (code of the seeded standard
// set).
constexpr std::string_view kPopulation = "population";

std::string city_name(const Call& call, const monitoring::PublishedCity& city) {
  return city.region ? std::string(call.text("figures.region")) : city.name;
}

// The sign of official statistics for a corrected figure ("berichtigte Zahl"), after the value.
constexpr std::string_view kCorrectedSign = "r";

std::string count_text(const Call& call, const monitoring::PublishedCount& count) {
  if (!count.value || count.sign != disclosure::Sign::value)
    return std::string(disclosure::sign_text(count.sign));
  std::string text = monitoring::format_count(*count.value, decimal_mark(call));
  if (count.corrected) text += " " + std::string(kCorrectedSign);
  return text;
}

const std::string& share_text(const Call& call, const monitoring::PublishedShare& share) {
  return call.language == web::Language::en ? share.text_en : share.text_de;
}

std::string trait_label(const Call& call, Trait trait) {
  switch (trait) {
    case Trait::all:
      return std::string(call.text("figures.trait_all"));
    case Trait::with_history:
      return std::string(call.text("figures.trait_with_history"));
    case Trait::without_history:
      return std::string(call.text("figures.trait_without_history"));
    case Trait::unknown:
      return std::string(call.text("figures.trait_unknown"));
    case Trait::without_or_unknown:
      return std::string(call.text("figures.trait_without_or_unknown"));
  }
  return {};
}

std::string_view exclusion_key(monitoring::Exclusion reason) {
  switch (reason) {
    case monitoring::Exclusion::incomplete:
      return "figures.excluded_incomplete";
    case monitoring::Exclusion::not_additive:
      return "figures.excluded_not_additive";
    case monitoring::Exclusion::part_above_total:
      return "figures.excluded_part_above_total";
  }
  return "figures.excluded_incomplete";
}

// The headline figure of a cell: the share where there is a denominator, else the count.
web::ChartValue headline(const Call& call, const PublishedTable& table,
                         const monitoring::PublishedCell& cell) {
  if (table.has_denominator) {
    std::optional<double> value;
    if (cell.share.value) {
      value = cell.share.value->approximate() *
              (table.scale == monitoring::ShareScale::percent ? 100 : 1);
    }
    return {value, share_text(call, cell.share)};
  }
  const auto& count = cell.counts.front();
  std::optional<double> value;
  if (count.value) value = static_cast<double>(*count.value);
  return {value, count_text(call, count)};
}

std::string headline_label(const Call& call, const PublishedTable& table) {
  if (!table.has_denominator) return std::string(call.text("figures.count"));
  return std::string(call.text(table.scale == monitoring::ShareScale::percent
                                   ? "figures.share_percent"
                                   : "figures.share_ratio"));
}

// A published table of one year, with the time it was published.
struct YearTable {
  int year = 0;
  PublishedTable table;
  std::int64_t published_at = 0;
};

Result<YearTable> load_year(const Services& services, std::string_view code, int year) {
  auto record = services.monitoring.published_table(code, year);
  if (!record) return record.take_error();
  auto table = monitoring::from_json(record->table_json);
  // A stored table that cannot be read is a defect, not the visitor's input.
  if (!table)
    return Error::internal("published table " + std::string(code) + " " + std::to_string(year));
  return YearTable{year, std::move(*table), record->published_at};
}

Result<PublishedTable> load_table(const Services& services, std::string_view code, int year) {
  auto loaded = load_year(services, code, year);
  if (!loaded) return loaded.take_error();
  return std::move(loaded->table);
}

// The definitions of immigration history (data: immigration_definition, read through the
// monitoring service), looked up by the code a published table carries or by id.
struct Definitions {
  std::vector<monitoring::ImmigrationDefinition> all;

  template <class Match>
  const monitoring::ImmigrationDefinition* find_if(Match&& match) const {
    const auto found = std::find_if(all.begin(), all.end(), match);
    return found == all.end() ? nullptr : &*found;
  }
  const monitoring::ImmigrationDefinition* find(std::string_view code) const {
    return find_if([&](const auto& definition) { return definition.code == code; });
  }
  std::string code_of(std::int64_t id) const {
    const auto* definition = find_if([&](const auto& entry) { return entry.id == id; });
    return definition ? definition->code : std::string();
  }
  // The definition's name in the call's language (its code when the catalogue lacks it).
  std::string name(const Call& call, std::string_view code) const {
    const auto* definition = find(code);
    return definition ? pick(call, definition->name_de, definition->name_en) : std::string(code);
  }
};

Result<Definitions> load_definitions(const Services& services) {
  auto definitions = services.monitoring.definitions();
  if (!definitions) return definitions.take_error();
  return Definitions{std::move(*definitions)};
}

struct IndicatorView {
  monitoring::IndicatorVersion indicator;  // the latest version
  std::string definition_code;             // of the latest version
  std::vector<int> years;
};

Result<IndicatorView> load_indicator(const Services& services, std::string_view code,
                                     const Definitions& definitions) {
  auto versions = services.monitoring.indicator_versions(code);
  if (!versions) return versions.take_error();
  if (versions->empty()) return Error::not_found("indicator " + std::string(code));
  IndicatorView view{versions->back(), {}, {}};
  view.definition_code = definitions.code_of(view.indicator.immigration_definition_id);
  auto years = services.monitoring.published_years(code);
  if (!years) return years.take_error();
  view.years = std::move(*years);
  return view;
}

bool valid_code(std::string_view code) {
  return !code.empty() && std::all_of(code.begin(), code.end(), [](char character) {
    return (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') ||
           character == '_';
  });
}

std::optional<int> parse_year(const std::string& text) {
  if (text.size() != 4 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoi(text);
}

void heading(Html& html, std::string_view text) {
  html.element("h1", {{"class", "kern-heading-x-large"}}, text);
}
void subheading(Html& html, std::string_view text, std::string_view id) {
  html.element("h2", {{"class", "kern-heading-medium"}, {"id", std::string(id)}}, text);
}
void paragraph(Html& html, std::string_view text) {
  html.element("p", {{"class", "kern-body"}}, text);
}

// The signs of official statistics the figures pages and exports use, with their explanation
// (every page and export that shows figures explains all of them; "/" is never used).
constexpr std::array<std::pair<disclosure::Sign, std::string_view>, 4> kSigns{{
    {disclosure::Sign::withheld, "figures.sign_withheld"},
    {disclosure::Sign::nothing, "figures.sign_nothing"},
    {disclosure::Sign::not_yet_available, "figures.sign_not_yet_available"},
    {disclosure::Sign::not_meaningful, "figures.sign_not_meaningful"},
}};

std::string not_yet_available() {
  return std::string(disclosure::sign_text(disclosure::Sign::not_yet_available));
}

void sign_legend(Html& html, const Call& call) {
  html.element("h3", {{"class", "kern-heading-small"}}, call.text("figures.signs_heading"));
  html.nest("dl", {{"class", "figures-signs"}}, [&] {
    for (const auto& [sign, key] : kSigns) {
      html.element("dt", disclosure::sign_text(sign));
      html.element("dd", call.text(key));
    }
    html.element("dt", kCorrectedSign);
    html.element("dd", call.text("figures.sign_corrected"));
  });
}

// ---- Definitions of immigration history --------------------------------------------------------
// Every figures page links the definition its figures count by to its description on the page:
// who counts (and the law or statistics the definition comes from), the cut-off date of
// immigration and the parents' rule, all data of the definition.

std::string definition_anchor(std::string_view code) { return "definition-" + std::string(code); }

std::string_view parent_rule_key(monitoring::ParentRule rule) {
  switch (rule) {
    case monitoring::ParentRule::none:
      return "figures.definition_parents_none";
    case monitoring::ParentRule::both:
      return "figures.definition_parents_both";
    case monitoring::ParentRule::at_least_one:
      return "figures.definition_parents_one";
  }
  return "figures.definition_parents_none";
}

// "1. Januar 1956" for "1956-01-01" ("" when the definition has no cut-off date).
std::string cutoff_text(const Call& call, const monitoring::ImmigrationDefinition& definition) {
  const auto date = parse_iso_date(definition.cutoff_date);
  if (!date) return {};
  return web::message_with(call.language, "figures.definition_cutoff_value",
                           {{"date", format_date(*date, web::language_code(call.language))}});
}

void definition_block(Html& html, const Call& call,
                      const monitoring::ImmigrationDefinition& definition) {
  html.element(
      "h3", {{"class", "kern-heading-small"}, {"id", definition_anchor(definition.code)}},
      web::message_with(call.language, "figures.definition_heading",
                        {{"definition", pick(call, definition.name_de, definition.name_en)}}));
  paragraph(html, pick(call, definition.description_de, definition.description_en));
  html.nest("dl", {{"class", "figures-facts"}}, [&] {
    if (const auto cutoff = cutoff_text(call, definition); !cutoff.empty()) {
      html.element("dt", call.text("figures.definition_cutoff"));
      html.element("dd", cutoff);
    }
    html.element("dt", call.text("figures.definition_parents"));
    html.element("dd", call.text(parent_rule_key(definition.parent_rule)));
  });
  if (!definition.is_immigration_history)
    paragraph(html, call.text("figures.not_immigration_history"));
}

// Each code once, in the order of first mention.
std::vector<std::string> distinct(const std::vector<std::string>& codes) {
  std::vector<std::string> once;
  for (const auto& code : codes) {
    if (std::find(once.begin(), once.end(), code) == once.end()) once.push_back(code);
  }
  return once;
}

// The blocks of the definitions `codes` name, each once, in the order of first mention.
void definition_blocks(Html& html, const Call& call, const Definitions& definitions,
                       const std::vector<std::string>& codes) {
  for (const auto& code : distinct(codes)) {
    if (const auto* definition = definitions.find(code)) definition_block(html, call, *definition);
  }
}

// A link to the definition's description on this page, named by the definition.
void definition_link(Html& html, const Call& call, const Definitions& definitions,
                     std::string_view code) {
  html.element("a", {{"class", "kern-link ik-text-link"}, {"href", "#" + definition_anchor(code)}},
               definitions.name(call, code));
}

// A paragraph of the message `key` whose placeholder {definition} is the definition's link.
void sentence_with_definition(Html& html, const Call& call, std::string_view key,
                              std::string_view paragraph_class, const Definitions& definitions,
                              std::string_view code) {
  constexpr std::string_view kMark = "\x1f";  // where the link goes; never in a message
  const std::string text = web::message_with(call.language, key, {{"definition", kMark}});
  const auto at = text.find(kMark);
  html.nest("p", {{"class", std::string(paragraph_class)}}, [&] {
    html.text(text.substr(0, at));
    if (at == std::string::npos) return;
    definition_link(html, call, definitions, code);
    html.text(text.substr(at + kMark.size()));
  });
}

// ---- Overview ------------------------------------------------------------------------------

void overview_table(Html& html, const Call& call, const std::vector<IndicatorView>& views,
                    const Definitions& definitions) {
  web::data_table(
      html, call.text("figures.overview_table"),
      {std::string(call.text("figures.indicator")), std::string(call.text("figures.definition")),
       std::string(call.text("figures.published_years"))},
      [&] {
        for (const auto& view : views) {
          web::table_row(html, [&] {
            web::table_cell(html, [&] {
              html.element(
                  "a",
                  {{"class", "kern-link"}, {"href", link(call, "/zahlen/" + view.indicator.code)}},
                  pick(call, view.indicator.name_de, view.indicator.name_en));
            });
            web::table_cell(
                html, [&] { definition_link(html, call, definitions, view.definition_code); });
            std::string years;
            for (const int year : view.years)
              years += (years.empty() ? "" : ", ") + std::to_string(year);
            web::table_cell(
                html, years.empty() ? std::string(call.text("figures.none_published")) : years);
          });
        }
      });
}

}  // namespace

http::Response figures_overview(Call& call, const Services& services) {
  auto indicators = services.monitoring.indicators();
  if (!indicators) return failure(call, services, indicators.error());
  auto definitions = load_definitions(services);
  if (!definitions) return failure(call, services, definitions.error());
  std::vector<IndicatorView> views;
  std::vector<std::string> used;
  for (const auto& indicator : *indicators) {
    auto view = load_indicator(services, indicator.code, *definitions);
    if (!view) return failure(call, services, view.error());
    used.push_back(view->definition_code);
    views.push_back(std::move(*view));
  }
  Html main;
  heading(main, call.text("figures.title"));
  main.element("p", {{"class", "kern-body kern-body--large"}}, call.text("figures.lead"));
  paragraph(main, call.text("figures.protection"));
  overview_table(main, call, views, *definitions);
  subheading(main, call.text("figures.definitions_heading"), "definitionen");
  paragraph(main, call.text("figures.definitions_intro"));
  definition_blocks(main, call, *definitions, used);
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  subheading(main, call.text("figures.city_profiles_heading"), "staedte");
  paragraph(main, call.text("figures.city_profiles_intro"));
  main.nest("ul", {{"class", "kern-list kern-list--bullet"}}, [&] {
    for (const auto& city : *cities) {
      main.nest("li", {}, [&] {
        main.element("a",
                     {{"class", "kern-link"}, {"href", link(call, "/zahlen/staedte/" + city.slug)}},
                     city.name);
      });
    }
  });
  sign_legend(main, call);
  paragraph(main, call.text("figures.api_hint"));
  return page(call, services, std::string(call.text("figures.title")), std::move(main),
              std::string(call.text("figures.lead")));
}

namespace {

// ---- Benchmarking view -----------------------------------------------------------------------

struct Selection {
  int year = 0;
  std::size_t category = 0;  // index into the year's table
};

void selection_form(Html& html, const Call& call, const IndicatorView& view,
                    const PublishedTable& table, const Selection& selection) {
  html.nest("form",
            {{"method", "get"},
             {"action", link(call, "/zahlen/" + view.indicator.code)},
             {"class", "figures-filter"}},
            [&] {
              web::SelectField year{.name = "jahr",
                                    .label = std::string(call.text("figures.year")),
                                    .value = std::to_string(selection.year)};
              for (auto it = view.years.rbegin(); it != view.years.rend(); ++it) {
                year.options.push_back({std::to_string(*it), std::to_string(*it)});
              }
              web::select_field(html, year);
              web::SelectField category{.name = "kategorie",
                                        .label = std::string(call.text("figures.category")),
                                        .value = table.categories[selection.category].code};
              for (const auto& entry : table.categories) {
                category.options.push_back({entry.code, pick(call, entry.name_de, entry.name_en)});
              }
              web::select_field(html, category);
              web::submit_button(html, call.text("figures.show"));
            });
}

std::string category_name(const Call& call, const PublishedTable& table, std::size_t category) {
  return pick(call, table.categories[category].name_de, table.categories[category].name_en);
}

// Cities side by side for the selected year and category: chart, then the full table.
void comparison(Html& html, const Call& call, const PublishedTable& table,
                const Selection& selection) {
  const std::string category = category_name(call, table, selection.category);
  subheading(html,
             web::message_with(call.language, "figures.comparison_heading",
                               {{"year", std::to_string(selection.year)}, {"category", category}}),
             "vergleich");
  web::BarChart chart{{"vergleich-diagramm",
                       web::message_with(call.language, "figures.comparison_chart",
                                         {{"measure", headline_label(call, table)},
                                          {"year", std::to_string(selection.year)},
                                          {"category", category}}),
                       std::string(call.text("figures.chart_description"))},
                      {},
                      {},
                      table.region_index()};
  for (std::size_t city = 0; city < table.cities.size(); ++city) {
    chart.labels.push_back(city_name(call, table.cities[city]));
    chart.values.push_back(headline(call, table, table.cell(city, selection.category)));
  }
  web::bar_chart(html, chart, call.language);

  std::vector<std::string> headers{std::string(call.text("figures.city"))};
  for (const Trait trait : table.traits) headers.push_back(trait_label(call, trait));
  if (table.has_denominator) headers.push_back(headline_label(call, table));
  web::data_table(html, chart.frame.title, headers, [&] {
    for (std::size_t city = 0; city < table.cities.size(); ++city) {
      const auto& cell = table.cell(city, selection.category);
      web::table_row(html, [&] {
        web::table_cell(html, city_name(call, table.cities[city]));
        for (const auto& count : cell.counts) web::table_cell(html, count_text(call, count));
        if (table.has_denominator) web::table_cell(html, share_text(call, cell.share));
      });
    }
  });
}

// ---- The region over the years ----------------------------------------------------------
// Each year's region sums the member cities published for that year. Where they change, the
// region's series breaks: the values before and after are sums over different cities. (A sum
// over only the cities present in every year is not offered: disclosure control never planned
// such a figure, and with the published regions it could reveal withheld cells.)

std::string region_city_names(const PublishedTable& table) {
  std::string names;
  for (const std::int64_t id : table.region_includes) {
    if (const auto row = table.city_index(id))
      names += (names.empty() ? "" : ", ") + table.cities[*row].name;
  }
  return names;
}

// "2024", "2024–2026" for consecutive years, "2022, 2024" otherwise.
std::string years_text(const std::vector<int>& years) {
  const bool consecutive = years.back() - years.front() + 1 == static_cast<int>(years.size());
  if (years.size() > 1 && consecutive)
    return std::to_string(years.front()) + "–" + std::to_string(years.back());
  std::string text;
  for (const int year : years) text += (text.empty() ? "" : ", ") + std::to_string(year);
  return text;
}

struct RegionHistory {
  std::vector<std::size_t> breaks;  // indices into the years at which the region's cities change
  std::string composition;          // "2024: Bochum, Dortmund; 2025: Bochum, Dortmund, Herne"
};

RegionHistory region_history(const std::vector<YearTable>& tables) {
  RegionHistory history;
  const PublishedTable* group = nullptr;  // the latest table of the current group of years
  std::vector<int> years;                 // of the current group
  const auto close_group = [&] {
    if (!history.composition.empty()) history.composition += "; ";
    history.composition += years_text(years) + ": " + region_city_names(*group);
    years.clear();
  };
  for (std::size_t index = 0; index < tables.size(); ++index) {
    const auto& table = tables[index].table;
    if (!table.region_index()) continue;
    if (group && group->region_includes != table.region_includes) {
      history.breaks.push_back(index);
      close_group();
    }
    group = &table;
    years.push_back(tables[index].year);
  }
  if (group) close_group();
  return history;
}

// The sentence that names each year's cities of the region, and says where its series breaks
// ("" when no year has a region).
std::string region_history_text(const Call& call, const RegionHistory& history) {
  if (history.composition.empty()) return {};
  std::string text = web::message_with(call.language, "figures.region_cities_by_year",
                                       {{"composition", history.composition}});
  if (!history.breaks.empty()) text += " " + std::string(call.text("figures.region_break"));
  return text;
}

// A description followed by a further sentence, when there is one.
std::string and_then(std::string text, const std::string& further) {
  return further.empty() ? text : text + " " + further;
}

// The chart and, for those who cannot see it, the same figures as a table.
void chart_with_table(Html& html, const Call& call, const web::LineChart& chart) {
  web::line_chart(html, chart, call.language);
  std::vector<std::string> headers{std::string(call.text("figures.city"))};
  headers.insert(headers.end(), chart.x_labels.begin(), chart.x_labels.end());
  web::data_table(html, chart.frame.title, headers, [&] {
    for (const auto& series : chart.series) {
      web::table_row(html, [&] {
        web::table_cell(html, series.label);
        for (const auto& value : series.values) web::table_cell(html, value.text);
      });
    }
  });
}

// The time series of the selected category for every city that appears in any year.
void time_series(Html& html, const Call& call, const std::vector<YearTable>& tables,
                 const std::string& category_code, const std::string& category) {
  subheading(html,
             web::message_with(call.language, "figures.series_heading", {{"category", category}}),
             "entwicklung");
  struct Row {
    std::int64_t id;
    std::string label;
    bool region;
  };
  std::vector<Row> rows;
  for (const auto& entry : tables) {
    for (const auto& city : entry.table.cities) {
      const bool known =
          std::any_of(rows.begin(), rows.end(), [&](const Row& row) { return row.id == city.id; });
      if (!known) rows.push_back({city.id, city_name(call, city), city.region});
    }
  }
  std::stable_partition(rows.begin(), rows.end(), [](const Row& row) { return row.region; });
  const web::ChartValue missing{std::nullopt, not_yet_available()};
  const RegionHistory region = region_history(tables);
  const std::string region_text = region_history_text(call, region);
  if (!region_text.empty()) paragraph(html, region_text);
  web::LineChart chart{
      {"entwicklung-diagramm",
       web::message_with(
           call.language, "figures.series_chart",
           {{"measure", headline_label(call, tables.front().table)}, {"category", category}}),
       and_then(std::string(call.text("figures.series_description")), region_text)},
      {},
      {}};
  for (const auto& entry : tables) chart.x_labels.push_back(std::to_string(entry.year));
  for (const Row& row : rows) {
    web::LineSeries series{
        row.label, {}, row.region, row.region ? region.breaks : std::vector<std::size_t>{}};
    for (const auto& entry : tables) {
      const auto city = entry.table.city_index(row.id);
      const auto index = entry.table.category_index(category_code);
      series.values.push_back(
          city && index ? headline(call, entry.table, entry.table.cell(*city, *index)) : missing);
    }
    chart.series.push_back(std::move(series));
  }
  chart_with_table(html, call, chart);
}

// ---- Representation index --------------------------------------------------------------------
// Each index says which group of the administration and which population it compares. The
// age-standardised index weights a group's own age bands, so it is shown only for a table that
// has the population's age bands (never the all-staff index beside another group's).

// The codes of a table's leaf categories (its finest breakdown), in order.
std::vector<std::string> leaf_codes(const PublishedTable& table) {
  std::vector<bool> has_children(table.categories.size(), false);
  for (const auto& category : table.categories) {
    if (category.parent) has_children[*category.parent] = true;
  }
  std::vector<std::string> codes;
  for (std::size_t index = 1; index < table.categories.size(); ++index) {
    if (!has_children[index]) codes.push_back(table.categories[index].code);
  }
  return codes;
}

bool has_age_bands(const PublishedTable& table, const PublishedTable& population) {
  const auto bands = leaf_codes(population);
  return !bands.empty() && leaf_codes(table) == bands;
}

// The population figure an index of `city` divides by is missing (not yet published): the city
// is not in the population table, or the population's region sums other cities. Its index is
// "…", not "x" (that sign says a figure would not be meaningful).
bool reference_missing(const PublishedTable& table, const PublishedTable& population,
                       const monitoring::PublishedCity& city) {
  if (!population.city_index(city.id)) return true;
  return city.region && table.region_includes != population.region_includes;
}

std::optional<double> index_approximation(const monitoring::PublishedIndex& index) {
  if (!index.value) return std::nullopt;
  return index.value->approximate();
}

std::string index_text(const Call& call, const monitoring::PublishedIndex& index) {
  if (!index.value) return std::string(disclosure::sign_text(index.sign));
  return index.value->format(2, decimal_mark(call));
}

// What the index compares: the group (the table's total) and the population's total, with
// their indicators and definitions, and the year.
void index_facts(Html& html, const Call& call, const PublishedTable& table,
                 const PublishedTable& population, const Definitions& definitions) {
  const auto described = [&](const PublishedTable& of) {
    return web::message_with(call.language, "figures.index_group",
                             {{"category", category_name(call, of, 0)},
                              {"indicator", pick(call, of.name_de, of.name_en)},
                              {"definition", definitions.name(call, of.definition_code)}});
  };
  html.nest("dl", {{"class", "figures-facts"}}, [&] {
    html.element("dt", call.text("figures.index_staff"));
    html.element("dd", described(table));
    html.element("dt", call.text("figures.index_population"));
    html.element("dd", described(population));
    html.element("dt", call.text("figures.year"));
    html.element("dd", std::to_string(table.year));
  });
}

// Below the index table: whose population figure is missing, and what the region compares.
void index_notes(Html& html, const Call& call, const PublishedTable& table,
                 const PublishedTable& population) {
  std::string missing;
  for (const auto& city : table.cities) {
    if (!city.region && reference_missing(table, population, city))
      missing += (missing.empty() ? "" : ", ") + city.name;
  }
  const std::string year = std::to_string(table.year);
  if (!missing.empty())
    paragraph(html, web::message_with(call.language, "figures.index_no_reference",
                                      {{"cities", missing}, {"year", year}}));
  if (!table.region_index()) return;
  const std::string cities = region_city_names(table);
  if (table.region_includes != population.region_includes) {
    paragraph(html, web::message_with(call.language, "figures.index_region_differs",
                                      {{"staff_cities", cities},
                                       {"population_cities", region_city_names(population)}}));
  } else if (table.region_includes.size() == 1) {
    paragraph(html, web::message_with(call.language, "figures.index_region_one",
                                      {{"city", cities}, {"year", year}}));
  } else {
    paragraph(html, web::message_with(call.language, "figures.index_region", {{"cities", cities}}));
  }
}

// Representation index per city against the population reference of the same year; says so
// when the two count different definitions of immigration history.
Status representation(Html& html, const Call& call, const Services& services,
                      const PublishedTable& table, const Definitions& definitions) {
  subheading(html, call.text("figures.index_heading"), "repraesentation");
  const std::string year = std::to_string(table.year);
  auto population = load_table(services, kPopulation, table.year);
  if (!population && population.error().code != ErrorCode::not_found)
    return population.take_error();
  if (!population) {
    paragraph(html, web::message_with(call.language, "figures.no_population", {{"year", year}}));
    return {};
  }
  const bool standardised = has_age_bands(table, *population);
  paragraph(html, call.text("figures.index_explained"));
  index_facts(html, call, table, *population, definitions);
  paragraph(html, call.text(standardised ? "figures.index_standardised_explained"
                                         : "figures.index_no_age_bands"));
  if (table.definition_code != population->definition_code) {
    web::alert(html, "warning", std::string(call.text("figures.definitions_differ")));
  }
  const std::string parity = monitoring::Rational::of(1, 1)->format(2, decimal_mark(call));
  web::DotPlot chart{{"index-diagramm",
                      web::message_with(call.language, "figures.index_chart",
                                        {{"year", year}, {"group", category_name(call, table, 0)}}),
                      std::string(call.text("figures.index_description"))},
                     {},
                     {},
                     1.0,
                     parity};
  std::vector<std::vector<std::string>> rows;
  for (const auto& city : table.cities) {
    const bool missing = reference_missing(table, *population, city);
    const auto index = monitoring::representation_index(table, *population, city.id);
    const std::string text = missing ? not_yet_available() : index_text(call, index);
    chart.labels.push_back(city_name(call, city));
    chart.values.push_back({missing ? std::nullopt : index_approximation(index), text});
    rows.push_back({city_name(call, city), text});
    if (!standardised) continue;
    rows.back().push_back(missing ? not_yet_available()
                                  : index_text(call, monitoring::age_standardised_index(
                                                         table, *population, city.id)));
  }
  web::dot_plot(html, chart, call.language);
  std::vector<std::string> headers{std::string(call.text("figures.city")),
                                   std::string(call.text("figures.index"))};
  if (standardised) headers.push_back(std::string(call.text("figures.index_standardised")));
  web::data_table(html, chart.frame.title, headers, [&] {
    for (const auto& row : rows) {
      web::table_row(html, [&] {
        for (const auto& text : row) web::table_cell(html, text);
      });
    }
  });
  index_notes(html, call, table, *population);
  return {};
}

// The definition codes of the tables, the selected one's first.
std::vector<std::string> definitions_used(const PublishedTable& selected,
                                          const std::vector<YearTable>& tables) {
  std::vector<std::string> codes{selected.definition_code};
  for (const auto& entry : tables) codes.push_back(entry.table.definition_code);
  return codes;
}

void notes(Html& html, const Call& call, const IndicatorView& view, const PublishedTable& table,
           const std::vector<YearTable>& tables, const Definitions& definitions) {
  subheading(html, call.text("figures.notes_heading"), "hinweise");
  paragraph(html, pick(call, view.indicator.definition_de, view.indicator.definition_en));
  definition_blocks(html, call, definitions, definitions_used(table, tables));
  std::string members;
  for (const auto& city : table.cities) {
    if (!city.region && city.member) members += (members.empty() ? "" : ", ") + city.name;
  }
  if (!members.empty())
    paragraph(html,
              web::message_with(call.language, "figures.region_includes", {{"cities", members}}));
  for (const auto& city : table.cities) {
    if (!city.region && !city.member) {
      paragraph(html,
                web::message_with(call.language, "figures.guest_city", {{"city", city.name}}));
    }
  }
  for (const auto& excluded : table.excluded) {
    paragraph(html, web::message_with(call.language, exclusion_key(excluded.reason),
                                      {{"city", excluded.name}}));
  }
  if (table.trait_index(Trait::without_or_unknown))
    paragraph(html, call.text("figures.unknown_merged"));
  paragraph(html, web::message_with(call.language, "figures.minimum_rule",
                                    {{"minimum", std::to_string(table.minimum_count)}}));
  sign_legend(html, call);
}

void downloads(Html& html, const Call& call, const std::string& code) {
  subheading(html, call.text("figures.downloads_heading"), "downloads");
  html.nest("ul", {{"class", "kern-list kern-list--bullet"}}, [&] {
    for (const auto& [suffix, key] :
         {std::pair<std::string_view, std::string_view>{".csv", "figures.download_csv"},
          {".xlsx", "figures.download_xlsx"},
          {".json", "figures.download_json"}}) {
      html.nest("li", {}, [&] {
        html.element(
            "a",
            {{"class", "kern-link"}, {"href", link(call, "/zahlen/" + code + std::string(suffix))}},
            call.text(key));
      });
    }
  });
}

Result<std::vector<YearTable>> load_all(const Services& services, const IndicatorView& view) {
  std::vector<YearTable> tables;
  for (const int year : view.years) {
    auto loaded = load_year(services, view.indicator.code, year);
    if (!loaded) return loaded.take_error();
    tables.push_back(std::move(*loaded));
  }
  return tables;
}

// "Gezählt nach der Definition: <link>." as the page's lead.
void indicator_lead(Html& html, const Call& call, const Definitions& definitions,
                    std::string_view code) {
  sentence_with_definition(html, call, "figures.indicator_lead", "kern-body kern-body--large",
                           definitions, code);
}

http::Response indicator_page(Call& call, const Services& services, const std::string& code) {
  auto definitions = load_definitions(services);
  if (!definitions) return failure(call, services, definitions.error());
  auto view = load_indicator(services, code, *definitions);
  if (!view) return failure(call, services, view.error());
  const std::string name = pick(call, view->indicator.name_de, view->indicator.name_en);
  Html main;
  heading(main, name);
  if (view->years.empty()) {
    indicator_lead(main, call, *definitions, view->definition_code);
    paragraph(main, call.text("figures.nothing_published"));
    definition_blocks(main, call, *definitions, {view->definition_code});
    return page(call, services, name, std::move(main));
  }
  auto tables = load_all(services, *view);
  if (!tables) return failure(call, services, tables.error());
  const auto query = query_parameters(call);
  Selection selection{view->years.back(), 0};
  if (const auto year = query.find("jahr"); year != query.end() && !year->second.empty()) {
    const auto parsed = parse_year(year->second);
    if (!parsed ||
        std::find(view->years.begin(), view->years.end(), *parsed) == view->years.end()) {
      return failure(call, services, Error::not_found("year " + year->second));
    }
    selection.year = *parsed;
  }
  const auto& table = std::find_if(tables->begin(), tables->end(), [&](const YearTable& entry) {
                        return entry.year == selection.year;
                      })->table;
  if (const auto category = query.find("kategorie");
      category != query.end() && !category->second.empty()) {
    const auto index = table.category_index(category->second);
    if (!index) return failure(call, services, Error::not_found("category " + category->second));
    selection.category = *index;
  }
  indicator_lead(main, call, *definitions, table.definition_code);
  selection_form(main, call, *view, table, selection);
  if (table.cities.empty()) {
    paragraph(main, call.text("figures.no_city_in_year"));
  } else {
    comparison(main, call, table, selection);
    time_series(main, call, *tables, table.categories[selection.category].code,
                category_name(call, table, selection.category));
    if (table.has_denominator && table.indicator_code != kPopulation) {
      if (auto shown = representation(main, call, services, table, *definitions); !shown) {
        return failure(call, services, shown.error());
      }
    }
  }
  notes(main, call, *view, table, *tables, *definitions);
  downloads(main, call, code);
  return page(
      call, services, name, std::move(main),
      web::message_with(call.language, "figures.indicator_description", {{"indicator", name}}));
}

// ---- Exports -------------------------------------------------------------------------------
// CSV and XLSX laid out as official statistics lay out a table: a head (title, unit, what the
// indicator counts, the definition of immigration history, the source), the table as one block
// of rows under one header row (what a program reads), then its footnotes and the legend of the
// signs. The same rows make the CSV and the one sheet of the XLSX. A trait or share column that
// no year's table has is left out; a year whose table lacks one shows x there.

constexpr std::array<Trait, 5> kExportTraits{Trait::all, Trait::with_history,
                                             Trait::without_history, Trait::unknown,
                                             Trait::without_or_unknown};

tabular::Cell text_cell(std::string value) { return {tabular::CellKind::text, std::move(value)}; }
tabular::Cell number_cell(std::string value) {
  return {tabular::CellKind::number, std::move(value)};
}
tabular::Cell not_meaningful_cell() {
  return text_cell(std::string(disclosure::sign_text(disclosure::Sign::not_meaningful)));
}

tabular::Cell count_cell(const monitoring::PublishedCount& count) {
  if (count.value) return number_cell(std::to_string(*count.value));
  return text_cell(std::string(disclosure::sign_text(count.sign)));
}

void add_row(tabular::Sheet& sheet, std::vector<tabular::Cell> cells,
             tabular::RowStyle style = tabular::RowStyle::plain) {
  sheet.rows.push_back({static_cast<int>(sheet.rows.size()) + 1, std::move(cells), style});
}
void add_note(tabular::Sheet& sheet, std::string text) {
  add_row(sheet, {text_cell(std::move(text))}, tabular::RowStyle::note);
}
void add_title(tabular::Sheet& sheet, std::string text) {
  add_row(sheet, {text_cell(std::move(text))}, tabular::RowStyle::title);
}
void add_blank(tabular::Sheet& sheet) { add_row(sheet, {}, tabular::RowStyle::note); }

struct ExportColumns {
  std::vector<Trait> traits;  // those some year's table has, in kExportTraits' order
  bool share = false;         // some year's table has a denominator
};

ExportColumns export_columns(const std::vector<YearTable>& tables) {
  ExportColumns columns;
  for (const Trait trait : kExportTraits) {
    if (std::any_of(tables.begin(), tables.end(),
                    [&](const YearTable& entry) { return entry.table.trait_index(trait); }))
      columns.traits.push_back(trait);
  }
  columns.share = std::any_of(tables.begin(), tables.end(),
                              [](const YearTable& entry) { return entry.table.has_denominator; });
  return columns;
}

// "Einwanderungsgeschichte (NRW): <who counts>. Einwanderung ab dem 1. Januar 1956. <parents>"
std::string definition_line(const Call& call, const monitoring::ImmigrationDefinition& definition) {
  std::string text = pick(call, definition.name_de, definition.name_en) + ": " +
                     pick(call, definition.description_de, definition.description_en);
  if (const auto cutoff = cutoff_text(call, definition); !cutoff.empty())
    text += " " + std::string(call.text("figures.definition_cutoff")) + " " + cutoff + ".";
  text += " " + std::string(call.text(parent_rule_key(definition.parent_rule)));
  if (!definition.is_immigration_history)
    text += " " + std::string(call.text("figures.not_immigration_history"));
  return text;
}

// The date of the latest publication among the tables, as the page writes dates.
std::string stand_text(const Call& call, const std::vector<YearTable>& tables) {
  std::int64_t latest = 0;
  for (const auto& entry : tables) latest = std::max(latest, entry.published_at);
  const auto date = parse_iso_date(format_utc(latest).substr(0, 10));
  return date ? format_date(*date, web::language_code(call.language)) : std::string();
}

struct ExportHead {
  const IndicatorView& view;
  const Definitions& definitions;
  std::string page_url;  // the figures page the export belongs to
};

void export_head(tabular::Sheet& sheet, const Call& call, const ExportHead& head,
                 const std::vector<YearTable>& tables) {
  const std::string name = pick(call, head.view.indicator.name_de, head.view.indicator.name_en);
  std::vector<int> years;
  for (const auto& entry : tables) years.push_back(entry.year);
  add_title(sheet, years.empty()
                       ? name
                       : web::message_with(call.language, "figures.export_title",
                                           {{"indicator", name}, {"years", years_text(years)}}));
  const bool share = export_columns(tables).share;
  add_note(sheet, share ? web::message_with(call.language, "figures.export_unit_share",
                                            {{"share", headline_label(call, tables.front().table)}})
                        : std::string(call.text("figures.export_unit_count")));
  add_note(sheet, web::message_with(call.language, "figures.export_indicator",
                                    {{"definition", pick(call, head.view.indicator.definition_de,
                                                         head.view.indicator.definition_en)}}));
  std::vector<std::string> codes;
  for (const auto& entry : tables) codes.push_back(entry.table.definition_code);
  for (const auto& code : distinct(codes)) {
    const auto* definition = head.definitions.find(code);
    add_note(sheet, web::message_with(
                        call.language, "figures.export_definition",
                        {{"definition", definition ? definition_line(call, *definition) : code}}));
  }
  add_note(sheet, web::message_with(call.language, "figures.export_source",
                                    {{"date", stand_text(call, tables)}, {"url", head.page_url}}));
}

// One row per year, city and category: the counts by trait and the share, withheld figures as
// their sign, and the definition the year's table counts by.
void export_table(tabular::Sheet& sheet, const Call& call, const Definitions& definitions,
                  const std::vector<YearTable>& tables) {
  const ExportColumns columns = export_columns(tables);
  std::vector<tabular::Cell> header{text_cell(std::string(call.text("figures.year"))),
                                    text_cell(std::string(call.text("figures.city"))),
                                    text_cell(std::string(call.text("figures.category")))};
  for (const Trait trait : columns.traits) header.push_back(text_cell(trait_label(call, trait)));
  if (columns.share) header.push_back(text_cell(headline_label(call, tables.front().table)));
  header.push_back(text_cell(std::string(call.text("figures.definition"))));
  add_row(sheet, std::move(header), tabular::RowStyle::header);
  for (const auto& entry : tables) {
    const auto& table = entry.table;
    const std::string definition = definitions.name(call, table.definition_code);
    for (std::size_t city = 0; city < table.cities.size(); ++city) {
      for (std::size_t category = 0; category < table.categories.size(); ++category) {
        const auto& cell = table.cell(city, category);
        std::vector<tabular::Cell> row{number_cell(std::to_string(entry.year)),
                                       text_cell(city_name(call, table.cities[city])),
                                       text_cell(category_name(call, table, category))};
        for (const Trait trait : columns.traits) {
          const auto index = table.trait_index(trait);
          row.push_back(index ? count_cell(cell.counts[*index]) : not_meaningful_cell());
        }
        if (columns.share && !table.has_denominator) {
          row.push_back(not_meaningful_cell());
        } else if (columns.share && cell.share.value) {
          row.push_back(number_cell(monitoring::format_share(
              *cell.share.value, table.scale, table.precision, monitoring::DecimalMark::point)));
        } else if (columns.share) {
          row.push_back(text_cell(share_text(call, cell.share)));
        }
        row.push_back(text_cell(definition));
        add_row(sheet, std::move(row));
      }
    }
  }
}

// "Bochum · Tarifbeschäftigte · mit Einwanderungsgeschichte" for every corrected figure: a
// spreadsheet's number cell cannot carry the sign, so the footnotes name them.
std::vector<std::string> corrected_figures(const Call& call, const PublishedTable& table) {
  std::vector<std::string> names;
  for (std::size_t city = 0; city < table.cities.size(); ++city)
    for (std::size_t category = 0; category < table.categories.size(); ++category) {
      const auto& counts = table.cell(city, category).counts;
      for (std::size_t trait = 0; trait < counts.size(); ++trait)
        if (counts[trait].corrected && counts[trait].value)
          names.push_back(city_name(call, table.cities[city]) + " · " +
                          category_name(call, table, category) + " · " +
                          trait_label(call, table.traits[trait]));
    }
  return names;
}

// The footnotes of each year's table, as the page's notes say them, and the protection rule.
void export_footnotes(tabular::Sheet& sheet, const Call& call,
                      const std::vector<YearTable>& tables) {
  add_title(sheet, std::string(call.text("figures.notes_heading")));
  const auto for_year = [&](const YearTable& entry, const std::string& note) {
    add_note(sheet, web::message_with(call.language, "figures.export_year_note",
                                      {{"year", std::to_string(entry.year)}, {"note", note}}));
  };
  std::vector<std::int64_t> minimums;
  for (const auto& entry : tables) {
    const auto& table = entry.table;
    if (table.region_index())
      for_year(entry, web::message_with(call.language, "figures.region_includes",
                                        {{"cities", region_city_names(table)}}));
    for (const auto& city : table.cities) {
      if (!city.region && !city.member)
        for_year(entry,
                 web::message_with(call.language, "figures.guest_city", {{"city", city.name}}));
    }
    for (const auto& excluded : table.excluded) {
      for_year(entry, web::message_with(call.language, exclusion_key(excluded.reason),
                                        {{"city", excluded.name}}));
    }
    if (table.trait_index(Trait::without_or_unknown))
      for_year(entry, std::string(call.text("figures.unknown_merged")));
    for (const auto& figure : corrected_figures(call, table))
      for_year(entry, web::message_with(call.language, "figures.corrected_figure",
                                        {{"figure", figure}}));
    if (std::find(minimums.begin(), minimums.end(), table.minimum_count) == minimums.end())
      minimums.push_back(table.minimum_count);
  }
  for (const std::int64_t minimum : minimums) {
    add_note(sheet, web::message_with(call.language, "figures.minimum_rule",
                                      {{"minimum", std::to_string(minimum)}}));
  }
  add_note(sheet, std::string(call.text("figures.protection")));
}

void export_signs(tabular::Sheet& sheet, const Call& call) {
  add_title(sheet, std::string(call.text("figures.signs_heading")));
  for (const auto& [sign, key] : kSigns) {
    add_row(sheet,
            {text_cell(std::string(disclosure::sign_text(sign))),
             text_cell(std::string(call.text(key)))},
            tabular::RowStyle::note);
  }
  add_row(sheet,
          {text_cell(std::string(kCorrectedSign)),
           text_cell(std::string(call.text("figures.sign_corrected")))},
          tabular::RowStyle::note);
}

tabular::Sheet export_sheet(const Call& call, const ExportHead& head,
                            const std::vector<YearTable>& tables) {
  tabular::Sheet sheet;
  if (tables.empty()) {
    add_title(sheet, pick(call, head.view.indicator.name_de, head.view.indicator.name_en));
    add_note(sheet, std::string(call.text("figures.nothing_published")));
    return sheet;
  }
  export_head(sheet, call, head, tables);
  add_blank(sheet);
  export_table(sheet, call, head.definitions, tables);
  add_blank(sheet);
  export_footnotes(sheet, call, tables);
  add_blank(sheet);
  export_signs(sheet, call);
  return sheet;
}

http::Response download(std::string body, std::string content_type, const std::string& file_name) {
  auto response = http::Response::text(200, std::move(body), std::move(content_type));
  response.set_header("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
  return response;
}

http::Response spreadsheet_export(Call& call, const Services& services, const std::string& code,
                                  tabular::Format format) {
  auto definitions = load_definitions(services);
  if (!definitions) return failure(call, services, definitions.error());
  auto view = load_indicator(services, code, *definitions);
  if (!view) return failure(call, services, view.error());
  auto tables = load_all(services, *view);
  if (!tables) return failure(call, services, tables.error());
  const auto query = query_parameters(call);
  if (const auto year = query.find("jahr"); year != query.end() && !year->second.empty()) {
    const auto parsed = parse_year(year->second);
    std::erase_if(*tables,
                  [&](const YearTable& entry) { return !parsed || entry.year != *parsed; });
  }
  const auto sheet = export_sheet(
      call, {*view, *definitions, services.public_url + link(call, "/zahlen/" + code)}, *tables);
  const std::string base = "zahlen-" + code;
  if (format == tabular::Format::csv)
    return download(tabular::write_csv(sheet), "text/csv; charset=utf-8", base + ".csv");
  auto workbook = tabular::write_xlsx(sheet, code.substr(0, 31));
  if (!workbook) return failure(call, services, workbook.error());
  return download(std::move(*workbook),
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  base + ".xlsx");
}


// ---- City profile (public) -------------------------------------------------------------------

// The exact headline figure of a cell as a target compares it: the share (×100 for percent) or
// the count; nullopt when withheld, missing or not meaningful.
std::optional<monitoring::Rational> exact_headline(const PublishedTable& table,
                                                   const monitoring::PublishedCell& cell) {
  if (table.has_denominator) {
    if (!cell.share.value || cell.share.sign != disclosure::Sign::value) return std::nullopt;
    if (table.scale == monitoring::ShareScale::percent)
      return *cell.share.value * *monitoring::Rational::of(100, 1);
    return *cell.share.value;
  }
  const auto& count = cell.counts.front();
  if (!count.value || count.sign != disclosure::Sign::value) return std::nullopt;
  return monitoring::Rational::of(*count.value, 1);
}

struct CityIndicator {
  IndicatorView view;
  std::vector<YearTable> tables;  // only the years in which the city is in the table
};

// The latest published year of one indicator for the city: every category with its counts by
// trait and the share, withheld figures as their sign.
void city_latest(Html& html, const Call& call, const std::string& city, const std::string& name,
                 const YearTable& latest, std::size_t row) {
  const auto& table = latest.table;
  std::vector<std::string> headers{std::string(call.text("figures.category"))};
  for (const Trait trait : table.traits) headers.push_back(trait_label(call, trait));
  if (table.has_denominator) headers.push_back(headline_label(call, table));
  web::data_table(html,
                  web::message_with(call.language, "figures.city_latest",
                                    {{"indicator", name},
                                     {"city", city},
                                     {"year", std::to_string(latest.year)}}),
                  headers, [&] {
                    for (std::size_t category = 0; category < table.categories.size(); ++category) {
                      const auto& cell = table.cell(row, category);
                      web::table_row(html, [&] {
                        web::table_cell(html, category_name(call, table, category));
                        for (const auto& count : cell.counts)
                          web::table_cell(html, count_text(call, count));
                        if (table.has_denominator) web::table_cell(html, share_text(call, cell.share));
                      });
                    }
                  });
}

// The total over the years: the city's line and the region's for comparison.
void city_series(Html& html, const Call& call, const std::string& city_label,
                 std::int64_t city_id, const CityIndicator& entry) {
  const auto& first = entry.tables.front().table;
  const std::string total = pick(call, first.categories.front().name_de,
                                 first.categories.front().name_en);
  const web::ChartValue missing{std::nullopt, not_yet_available()};
  const RegionHistory history = region_history(entry.tables);
  const std::string region_text = region_history_text(call, history);
  if (!region_text.empty()) paragraph(html, region_text);
  web::LineChart chart{
      {"profil-" + entry.view.indicator.code + "-diagramm",
       web::message_with(
           call.language, "figures.city_series",
           {{"measure", headline_label(call, first)}, {"city", city_label}, {"category", total}}),
       and_then(std::string(call.text("figures.city_series_description")), region_text)},
      {},
      {}};
  web::LineSeries city{city_label, {}, false};
  web::LineSeries region{std::string(call.text("figures.region")), {}, true, history.breaks};
  bool has_region = false;
  for (const auto& year : entry.tables) {
    chart.x_labels.push_back(std::to_string(year.year));
    const auto& table = year.table;
    const auto row = table.city_index(city_id);
    city.values.push_back(row ? headline(call, table, table.cell(*row, 0)) : missing);
    const auto region_row = table.region_index();
    has_region = has_region || region_row.has_value();
    region.values.push_back(region_row ? headline(call, table, table.cell(*region_row, 0))
                                       : missing);
  }
  chart.series.push_back(std::move(city));
  if (has_region) chart.series.push_back(std::move(region));
  chart_with_table(html, call, chart);
}

// A figure of a target: the year's published value of the target's category, its text and its
// exact value (nullopt when withheld or missing).
struct TargetFigure {
  int year = 0;
  std::string text;
  std::optional<monitoring::Rational> value;
};

std::optional<TargetFigure> target_figure(const Call& call, const YearTable& year,
                                          std::int64_t city_id, const std::string& category) {
  const auto& table = year.table;
  const auto row = table.city_index(city_id);
  if (!row || table.categories.empty()) return std::nullopt;
  std::size_t column = 0;
  if (!category.empty()) {
    const auto index = table.category_index(category);
    if (!index) return std::nullopt;
    column = *index;
  }
  const auto& cell = table.cell(*row, column);
  return TargetFigure{year.year, headline(call, table, cell).text, exact_headline(table, cell)};
}

std::string with_year(const std::optional<TargetFigure>& figure) {
  if (!figure) return std::string(disclosure::sign_text(disclosure::Sign::not_yet_available));
  return figure->text + " (" + std::to_string(figure->year) + ")";
}

void city_targets(Html& html, const Call& call, const std::string& city_label,
                  std::int64_t city_id, const std::vector<monitoring::Target>& targets,
                  const std::vector<monitoring::IndicatorVersion>& indicators,
                  const std::map<std::string, CityIndicator>& published) {
  subheading(html, call.text("figures.targets_heading"), "ziele");
  if (targets.empty()) {
    paragraph(html, web::message_with(call.language, "figures.no_targets", {{"city", city_label}}));
    return;
  }
  paragraph(html, call.text("figures.targets_intro"));
  const std::string not_available =
      std::string(disclosure::sign_text(disclosure::Sign::not_yet_available));
  web::data_table(
      html, web::message_with(call.language, "figures.targets_table", {{"city", city_label}}),
      {std::string(call.text("report.target_indicator")),
       std::string(call.text("figures.category")), std::string(call.text("report.target_value")),
       std::string(call.text("report.target_year")),
       std::string(call.text("figures.target_baseline")),
       std::string(call.text("figures.target_current")),
       std::string(call.text("figures.target_progress"))},
      [&] {
        for (const auto& target : targets) {
          std::string name = target.indicator_code;
          for (const auto& indicator : indicators) {
            if (indicator.code == target.indicator_code)
              name = pick(call, indicator.name_de, indicator.name_en);
          }
          const auto found = published.find(target.indicator_code);
          std::string category = std::string(call.text("report.target_total"));
          std::optional<TargetFigure> baseline, current;
          if (found != published.end()) {
            const auto& tables = found->second.tables;
            const auto& latest = tables.back().table;
            if (!target.category_code.empty()) {
              if (const auto index = latest.category_index(target.category_code))
                category = category_name(call, latest, *index);
              else
                category = target.category_code;
            }
            current = target_figure(call, tables.back(), city_id, target.category_code);
            const YearTable* base = &tables.front();
            if (target.baseline_year) {
              base = nullptr;
              for (const auto& year : tables) {
                if (year.year == *target.baseline_year) base = &year;
              }
            }
            if (base) baseline = target_figure(call, *base, city_id, target.category_code);
          } else if (!target.category_code.empty()) {
            category = target.category_code;
          }
          const auto goal = monitoring::Rational::parse_decimal(target.value);
          std::string goal_text = target.value;
          if (call.language == web::Language::en) std::replace(goal_text.begin(), goal_text.end(), ',', '.');
          // No progress figure unless the goal, the baseline and the current value are all
          // published figures: a withheld current value shows its sign, nothing derived from it.
          std::string progress = not_available;
          if (current && !current->value) {
            progress = std::string(disclosure::sign_text(disclosure::Sign::withheld));
          } else if (goal && current && baseline && baseline->value &&
                     baseline->year < current->year) {
            const auto result = monitoring::progress_towards(*baseline->value, *current->value, *goal);
            if (result.reached) {
              progress = std::string(call.text("figures.target_reached"));
            } else if (result.achieved) {
              progress = web::message_with(
                  call.language, "figures.target_progress_value",
                  {{"percent", (*result.achieved * *monitoring::Rational::of(100, 1))
                                   .format(0, decimal_mark(call))}});
            } else {
              progress = std::string(call.text("figures.target_not_reached"));
            }
          }
          web::table_row(html, [&] {
            web::table_cell(html, name);
            web::table_cell(html, category);
            web::table_cell(html, goal_text);
            web::table_cell(html, std::to_string(target.target_year));
            web::table_cell(html, with_year(baseline));
            web::table_cell(html, with_year(current));
            web::table_cell(html, progress);
          });
        }
      });
}

http::Response city_profile(Call& call, const Services& services, const std::string& slug) {
  auto city = services.cooperation.city(slug);
  if (!city) return failure(call, services, city.error());
  auto indicators = services.monitoring.indicators();
  if (!indicators) return failure(call, services, indicators.error());
  auto targets = services.monitoring.targets(city->id);
  if (!targets) return failure(call, services, targets.error());
  const std::string title =
      web::message_with(call.language, "figures.city_title", {{"city", city->name}});
  Html main;
  heading(main, title);
  main.element("p", {{"class", "kern-body kern-body--large"}},
               web::message_with(call.language, "figures.city_lead", {{"city", city->name}}));
  paragraph(main, call.text("figures.protection"));
  auto definitions = load_definitions(services);
  if (!definitions) return failure(call, services, definitions.error());
  std::map<std::string, CityIndicator> published;
  std::vector<std::string> used;
  for (const auto& indicator : *indicators) {
    auto view = load_indicator(services, indicator.code, *definitions);
    if (!view) return failure(call, services, view.error());
    auto tables = load_all(services, *view);
    if (!tables) return failure(call, services, tables.error());
    std::erase_if(*tables, [&](const YearTable& entry) {
      return !entry.table.city_index(city->id) || entry.table.categories.empty();
    });
    if (tables->empty()) continue;
    CityIndicator entry{std::move(*view), std::move(*tables)};
    const std::string name = pick(call, entry.view.indicator.name_de, entry.view.indicator.name_en);
    subheading(main, name, "kennzahl-" + entry.view.indicator.code);
    const auto& latest = entry.tables.back();
    sentence_with_definition(main, call, "figures.indicator_lead", "kern-body", *definitions,
                             latest.table.definition_code);
    for (const auto& year : entry.tables) used.push_back(year.table.definition_code);
    city_latest(main, call, city->name, name, latest, *latest.table.city_index(city->id));
    city_series(main, call, city->name, city->id, entry);
    main.nest("p", {{"class", "kern-body"}}, [&] {
      main.element("a",
                   {{"class", "kern-link"},
                    {"href", link(call, "/zahlen/" + entry.view.indicator.code)}},
                   web::message_with(call.language, "figures.city_compare", {{"indicator", name}}));
    });
    published.emplace(entry.view.indicator.code, std::move(entry));
  }
  if (published.empty())
    paragraph(main, web::message_with(call.language, "figures.city_nothing_published",
                                      {{"city", city->name}}));
  city_targets(main, call, city->name, city->id, *targets, *indicators, published);
  if (!used.empty()) {
    subheading(main, call.text("figures.definitions_heading"), "definitionen");
    definition_blocks(main, call, *definitions, used);
  }
  sign_legend(main, call);
  main.nest("p", {{"class", "kern-body"}}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/mitgliedsstaedte/" + city->slug)}},
                 web::message_with(call.language, "figures.city_page_link", {{"city", city->name}}));
  });
  return page(call, services, title, std::move(main),
              web::message_with(call.language, "figures.city_lead", {{"city", city->name}}));
}

// ---- Suppression plan (office) -----------------------------------------------------------------

std::string bound_text(const Call& call, double bound) {
  if (std::isinf(bound)) return std::string(call.text("figures.plan_unbounded"));
  return monitoring::format_count(static_cast<std::int64_t>(std::llround(bound)), decimal_mark(call));
}

}  // namespace

http::Response figures_city(Call& call, const Services& services) {
  return city_profile(call, services, call.params["city"]);
}

// The stored plan of one published table: which cells were suppressed, primary or secondary,
// and the interval an attacker could derive for each. Office and admin only (routes.cpp).
namespace {

std::string occasion_text(const Call& call, const monitoring::ReleaseSummary& release) {
  if (release.occasion == "recorded") return std::string(call.text("figures.release_recorded"));
  const std::string key = "figures.release_" + release.occasion;
  return web::message_with(call.language, key, {{"city", release.city_name}});
}

// Every release of the year's table: what the public may have kept, and what the plan above
// was made against.
void release_history(Html& main, const Call& call,
                     const std::vector<monitoring::ReleaseSummary>& releases) {
  subheading(main, call.text("figures.releases_heading"), "veroeffentlichungen");
  paragraph(main, call.text("figures.releases_intro"));
  if (releases.empty()) return paragraph(main, call.text("figures.releases_none"));
  const auto mark = decimal_mark(call);
  web::data_table(
      main, std::string(call.text("figures.releases_heading")),
      {std::string(call.text("figures.release_generation")),
       std::string(call.text("figures.release_time")), std::string(call.text("figures.release_occasion")),
       std::string(call.text("figures.release_by")), std::string(call.text("figures.release_withheld")),
       std::string(call.text("figures.release_corrected")), std::string(call.text("figures.plan_persons"))},
      [&] {
        for (const auto& release : releases) {
          web::table_row(main, [&] {
            web::table_cell(main, std::to_string(release.generation));
            web::table_cell(main, format_utc(release.published_at));
            web::table_cell(main, occasion_text(call, release));
            web::table_cell(main, release.published_by);
            web::table_cell(main, std::to_string(release.withheld_cells));
            web::table_cell(main, std::to_string(release.corrected_cells));
            web::table_cell(main, monitoring::format_count(release.persons_hidden, mark));
          });
        }
      });
}

}  // namespace

http::Response figures_plan(Call& call, const Services& services) {
  const std::string code = call.params["indicator"];
  const auto year = parse_year(call.params["year"]);
  if (!valid_code(code) || !year)
    return failure(call, services, Error::not_found("plan " + code));
  auto table = load_table(services, code, *year);
  if (!table) return failure(call, services, table.error());
  const std::string name = pick(call, table->name_de, table->name_en);
  const std::string title = web::message_with(
      call.language, "figures.plan_title", {{"indicator", name}, {"year", std::to_string(*year)}});
  Html main;
  heading(main, title);
  paragraph(main, call.text("figures.plan_intro"));
  const std::size_t primary = static_cast<std::size_t>(std::count_if(
      table->audit.begin(), table->audit.end(), [](const auto& cell) { return cell.primary; }));
  main.nest("dl", {{"class", "figures-plan"}}, [&] {
    const auto entry = [&](std::string_view key, const std::string& value) {
      main.element("dt", call.text(key));
      main.element("dd", value);
    };
    entry("figures.plan_minimum", std::to_string(table->minimum_count));
    entry("figures.plan_method", std::string(call.text(table->method == disclosure::Method::exact
                                                           ? "figures.plan_exact"
                                                           : "figures.plan_heuristic")));
    entry("figures.plan_optimal",
          std::string(call.text(table->proven_optimal ? "figures.plan_yes" : "figures.plan_no")));
    entry("figures.plan_persons", monitoring::format_count(table->persons_hidden, decimal_mark(call)));
    entry("figures.plan_primary_count", std::to_string(primary));
    entry("figures.plan_secondary_count", std::to_string(table->audit.size() - primary));
  });
  subheading(main, call.text("figures.plan_cells"), "zellen");
  if (table->audit.empty()) {
    paragraph(main, call.text("figures.plan_none"));
  } else {
    web::data_table(
        main, title,
        {std::string(call.text("figures.city")), std::string(call.text("figures.category")),
         std::string(call.text("figures.plan_trait")), std::string(call.text("figures.plan_kind")),
         std::string(call.text("figures.plan_low")), std::string(call.text("figures.plan_high"))},
        [&] {
          for (const auto& cell : table->audit) {
            web::table_row(main, [&] {
              web::table_cell(main, cell.city < table->cities.size()
                                        ? city_name(call, table->cities[cell.city])
                                        : std::to_string(cell.city));
              web::table_cell(main, cell.category < table->categories.size()
                                        ? category_name(call, *table, cell.category)
                                        : std::to_string(cell.category));
              web::table_cell(main, trait_label(call, cell.trait));
              web::table_cell(main, call.text(!cell.primary          ? "figures.plan_secondary"
                                              : cell.narrowed_before ? "figures.plan_primary_narrowed"
                                                                     : "figures.plan_primary"));
              web::table_cell(main, bound_text(call, cell.low));
              web::table_cell(main, bound_text(call, cell.high));
            });
          }
        });
  }
  auto releases = services.monitoring.releases(*call.principal, code, *year);
  if (!releases) return failure(call, services, releases.error());
  release_history(main, call, *releases);
  main.nest("p", {{"class", "kern-body"}}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/zahlen/" + code)}}, name);
  });
  return page(call, services, title, std::move(main));
}

http::Response figures_indicator(Call& call, const Services& services) {
  std::string code = call.params["indicator"];
  const auto strip = [&](std::string_view suffix) {
    if (!code.ends_with(suffix)) return false;
    code.resize(code.size() - suffix.size());
    return true;
  };
  const bool csv = strip(".csv");
  const bool xlsx = !csv && strip(".xlsx");
  const bool json = !csv && !xlsx && strip(".json");
  if (!valid_code(code)) return failure(call, services, Error::not_found("indicator " + code));
  if (csv) return spreadsheet_export(call, services, code, tabular::Format::csv);
  if (xlsx) return spreadsheet_export(call, services, code, tabular::Format::xlsx);
  if (json) return figures_json_export(call, services, code);
  return indicator_page(call, services, code);
}

}  // namespace ik::app
