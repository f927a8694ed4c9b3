// Published monitoring figures as JSON: /api/v1/indicators, /api/v1/values and the JSON export
// /zahlen/{indicator}.json. Only published tables are read; a withheld figure is null with
// "withheld": true, never its value. The office's audit intervals are not part of any answer.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/frame.hpp"
#include "app/handlers.hpp"
#include "monitoring/figures.hpp"
#include "monitoring/monitoring.hpp"

namespace ik::app {
namespace {

using monitoring::PublishedTable;
using nlohmann::json;

json count_json(const monitoring::PublishedCount& count) {
  return {{"value", count.value ? json(*count.value) : json(nullptr)},
          {"withheld", count.sign == disclosure::Sign::withheld},
          {"sign", disclosure::sign_text(count.sign)}};
}

json share_json(const PublishedTable& table, const monitoring::PublishedShare& share) {
  if (!table.has_denominator) return nullptr;
  json value = nullptr;
  json exact = nullptr;
  if (share.value) {
    // The rounded figure as published (percent or ratio) and the exact fraction it comes from.
    value = std::stod(monitoring::format_share(*share.value, table.scale, table.precision,
                                               monitoring::DecimalMark::point));
    exact = share.value->text();
  }
  return {{"value", value},
          {"exact", exact},
          {"unit", table.scale == monitoring::ShareScale::percent ? "percent" : "ratio"},
          {"withheld", share.sign == disclosure::Sign::withheld},
          {"sign", disclosure::sign_text(share.sign)}};
}

json city_json(const monitoring::PublishedCity& city) {
  return {
      {"slug", city.slug}, {"name", city.name}, {"region", city.region}, {"member", city.member}};
}

json category_json(const PublishedTable& table, std::size_t category) {
  const auto& entry = table.categories[category];
  return {{"code", entry.code},
          {"name_de", entry.name_de},
          {"name_en", entry.name_en},
          {"parent", entry.parent ? json(table.categories[*entry.parent].code) : json(nullptr)}};
}

json table_json(const PublishedTable& table) {
  json includes = json::array();
  for (const auto& city : table.cities) {
    if (!city.region && city.member) includes.push_back(city.slug);
  }
  json excluded = json::array();
  for (const auto& city : table.excluded) {
    excluded.push_back({{"city", city.name}, {"reason", monitoring::exclusion_name(city.reason)}});
  }
  return {{"indicator", table.indicator_code},      {"year", table.year},
          {"definition", table.definition_code},    {"minimum_count", table.minimum_count},
          {"region_includes", std::move(includes)}, {"excluded", std::move(excluded)}};
}

struct ValuesFilter {
  std::string indicator;
  std::optional<int> year;
  std::string city;  // slug, "region" or "" for all
};

// Appends the items of one published table that pass the filter.
void append_items(json& items, const PublishedTable& table, const ValuesFilter& filter) {
  for (std::size_t city = 0; city < table.cities.size(); ++city) {
    if (!filter.city.empty() && table.cities[city].slug != filter.city) continue;
    for (std::size_t category = 0; category < table.categories.size(); ++category) {
      const auto& cell = table.cell(city, category);
      json counts = json::object();
      for (std::size_t trait = 0; trait < table.traits.size(); ++trait) {
        counts[std::string(monitoring::trait_name(table.traits[trait]))] =
            count_json(cell.counts[trait]);
      }
      items.push_back({{"indicator", table.indicator_code},
                       {"year", table.year},
                       {"definition", table.definition_code},
                       {"city", city_json(table.cities[city])},
                       {"category", category_json(table, category)},
                       {"counts", std::move(counts)},
                       {"share", share_json(table, cell.share)}});
    }
  }
}

// Appends the published tables of one indicator (and their items) that pass the filter.
Status append_indicator(json& tables, json& items, const Services& services,
                        const std::string& code, const ValuesFilter& filter) {
  auto years = services.monitoring.published_years(code);
  if (!years) return years.take_error();
  for (const int year : *years) {
    if (filter.year && year != *filter.year) continue;
    auto record = services.monitoring.published_table(code, year);
    if (!record) return record.take_error();
    auto table = monitoring::from_json(record->table_json);
    if (!table) return Error::internal("published table " + code + " " + std::to_string(year));
    tables.push_back(table_json(*table));
    append_items(items, *table, filter);
  }
  return {};
}

// The filter's indicator (not_found when unknown), or every indicator when it names none.
Result<json> values_json(const Services& services, const ValuesFilter& filter) {
  std::vector<std::string> codes;
  if (filter.indicator.empty()) {
    auto indicators = services.monitoring.indicators();
    if (!indicators) return indicators.take_error();
    for (const auto& indicator : *indicators) codes.push_back(indicator.code);
  } else {
    auto versions = services.monitoring.indicator_versions(filter.indicator);
    if (!versions) return versions.take_error();
    codes.push_back(filter.indicator);
  }
  json items = json::array();
  json tables = json::array();
  for (const auto& code : codes) IK_TRY(append_indicator(tables, items, services, code, filter));
  return json{{"tables", std::move(tables)}, {"items", std::move(items)}};
}

bool valid_slug(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char character) {
    return (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') ||
           character == '-' || character == '_';
  });
}

// The filter from the query, or the message key of what is wrong with it.
Result<ValuesFilter> read_filter(const Call& call) {
  const auto query = query_parameters(call);
  ValuesFilter filter;
  if (const auto found = query.find("indicator"); found != query.end())
    filter.indicator = found->second;
  if (const auto found = query.find("city"); found != query.end()) filter.city = found->second;
  if (!valid_slug(filter.indicator))
    return Error::invalid("indicator", "figures.api_invalid_indicator");
  if (!valid_slug(filter.city)) return Error::invalid("city", "figures.api_invalid_city");
  if (const auto found = query.find("year"); found != query.end() && !found->second.empty()) {
    const auto& text = found->second;
    const bool digits = text.size() == 4 && std::all_of(text.begin(), text.end(), [](char c) {
                          return c >= '0' && c <= '9';
                        });
    if (!digits) return Error::invalid("year", "figures.api_invalid_year");
    filter.year = std::stoi(text);
  }
  return filter;
}

// A definition of immigration history with who counts (its description, which names the law or
// statistics it comes from) and its cut-off date of immigration.
json definition_json(const std::vector<monitoring::ImmigrationDefinition>& definitions,
                     std::int64_t id) {
  for (const auto& definition : definitions) {
    if (definition.id != id) continue;
    return {{"code", definition.code},
            {"name_de", definition.name_de},
            {"name_en", definition.name_en},
            {"description_de", definition.description_de},
            {"description_en", definition.description_en},
            {"cutoff_date",
             definition.cutoff_date.empty() ? json(nullptr) : json(definition.cutoff_date)},
            {"is_immigration_history", definition.is_immigration_history}};
  }
  return nullptr;
}

// One indicator of /api/v1/indicators (its latest version), also the head of a JSON export.
Result<json> indicator_json(const Services& services, const monitoring::IndicatorVersion& indicator,
                            const std::vector<monitoring::ImmigrationDefinition>& definitions) {
  auto years = services.monitoring.published_years(indicator.code);
  if (!years) return years.take_error();
  return json{
      {"code", indicator.code},
      {"version", indicator.version},
      {"name_de", indicator.name_de},
      {"name_en", indicator.name_en},
      {"unit", monitoring::unit_name(indicator.unit)},
      {"definition_de", indicator.definition_de},
      {"definition_en", indicator.definition_en},
      {"immigration_definition", definition_json(definitions, indicator.immigration_definition_id)},
      {"population", monitoring::population_name(indicator.population)},
      {"has_denominator", indicator.has_denominator},
      {"precision", indicator.precision},
      {"valid_from", indicator.valid_from},
      {"valid_to", indicator.valid_to ? json(*indicator.valid_to) : json(nullptr)},
      {"published_years", *years}};
}

}  // namespace

http::Response api_indicators(Call& call, const Services& services) {
  auto indicators = services.monitoring.indicators();
  if (!indicators) return failure(call, services, indicators.error());
  auto definitions = services.monitoring.definitions();
  if (!definitions) return failure(call, services, definitions.error());
  json items = json::array();
  for (const auto& indicator : *indicators) {
    auto item = indicator_json(services, indicator, *definitions);
    if (!item) return failure(call, services, item.error());
    items.push_back(std::move(*item));
  }
  return http::Response::json(200, json{{"items", std::move(items)}}.dump());
}

http::Response api_values(Call& call, const Services& services) {
  auto filter = read_filter(call);
  if (!filter) return json_error(400, "invalid_input", call.text(filter.error().message_key));
  auto body = values_json(services, *filter);
  if (!body) return failure(call, services, body.error());
  return http::Response::json(200, body->dump());
}

// The JSON export carries, before the tables and items /api/v1/values answers, the indicator as
// /api/v1/indicators describes it, with its definition of immigration history (who counts).
http::Response figures_json_export(Call& call, const Services& services,
                                   const std::string& indicator) {
  auto body = values_json(services, ValuesFilter{indicator, std::nullopt, {}});
  if (!body) return failure(call, services, body.error());
  auto versions = services.monitoring.indicator_versions(indicator);
  if (!versions) return failure(call, services, versions.error());
  if (versions->empty()) return failure(call, services, Error::not_found("indicator " + indicator));
  auto definitions = services.monitoring.definitions();
  if (!definitions) return failure(call, services, definitions.error());
  auto head = indicator_json(services, versions->back(), *definitions);
  if (!head) return failure(call, services, head.error());
  (*body)["indicator"] = std::move(*head);
  auto response = http::Response::json(200, body->dump(2));
  response.set_header("Content-Disposition",
                      "attachment; filename=\"zahlen-" + indicator + ".json\"");
  return response;
}

}  // namespace ik::app
