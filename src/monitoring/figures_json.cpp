// PublishedTable ⇄ JSON. The stored form of a publication; the audit intervals are left out of
// every form the public can read.
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "monitoring/figures.hpp"

namespace ik::monitoring {
namespace {

using disclosure::Sign;
using nlohmann::json;

constexpr std::array<std::pair<Sign, std::string_view>, 6> kSignNames{{
    {Sign::value, "value"},
    {Sign::withheld, "withheld"},
    {Sign::nothing, "nothing"},
    {Sign::unreliable, "unreliable"},
    {Sign::not_meaningful, "not_meaningful"},
    {Sign::not_yet_available, "not_yet_available"},
}};

constexpr std::array<Trait, 5> kTraits{Trait::all, Trait::with_history, Trait::without_history,
                                       Trait::unknown, Trait::without_or_unknown};
constexpr std::array<Exclusion, 3> kExclusions{Exclusion::incomplete, Exclusion::not_additive,
                                               Exclusion::part_above_total};

std::string_view sign_name(Sign sign) {
  for (const auto& [candidate, name] : kSignNames) {
    if (candidate == sign) return name;
  }
  return "value";
}

// Malformed stored JSON is a defect of the writer, reported as invalid input of the reader.
struct BadTable {};

Sign parse_sign(const std::string& name) {
  for (const auto& [sign, candidate] : kSignNames) {
    if (candidate == name) return sign;
  }
  throw BadTable{};
}

Trait parse_trait(const std::string& name) {
  for (Trait trait : kTraits) {
    if (trait_name(trait) == name) return trait;
  }
  throw BadTable{};
}

Exclusion parse_exclusion(const std::string& name) {
  for (Exclusion reason : kExclusions) {
    if (exclusion_name(reason) == name) return reason;
  }
  throw BadTable{};
}

json count_json(const PublishedCount& count) {
  json node = {{"value", count.value ? json(*count.value) : json(nullptr)},
               {"sign", sign_name(count.sign)}};
  if (count.corrected) node["corrected"] = true;
  return node;
}

json cell_json(const PublishedCell& cell) {
  json counts = json::array();
  for (const PublishedCount& count : cell.counts) counts.push_back(count_json(count));
  const PublishedShare& share = cell.share;
  return {{"counts", std::move(counts)},
          {"share",
           {{"value", share.value ? json(share.value->text()) : json(nullptr)},
            {"sign", sign_name(share.sign)},
            {"de", share.text_de},
            {"en", share.text_en}}}};
}

json audit_json(const AuditInterval& interval) {
  return {{"city", interval.city},
          {"category", interval.category},
          {"trait", trait_name(interval.trait)},
          {"low", interval.low},
          {"high", std::isinf(interval.high) ? json(nullptr) : json(interval.high)},
          {"primary", interval.primary},
          {"narrowed_before", interval.narrowed_before}};
}

json categories_json(const std::vector<CategorySpec>& categories) {
  json out = json::array();
  for (const CategorySpec& category : categories) {
    out.push_back({{"id", category.id},
                   {"code", category.code},
                   {"de", category.name_de},
                   {"en", category.name_en},
                   {"parent", category.parent ? json(*category.parent) : json(nullptr)}});
  }
  return out;
}

json cities_json(const std::vector<PublishedCity>& cities) {
  json out = json::array();
  for (const PublishedCity& city : cities) {
    out.push_back({{"id", city.id},
                   {"slug", city.slug},
                   {"name", city.name},
                   {"region", city.region},
                   {"member", city.member}});
  }
  return out;
}

PublishedCount read_count(const json& node) {
  PublishedCount count;
  if (!node.at("value").is_null()) count.value = node.at("value").get<std::int64_t>();
  count.sign = parse_sign(node.at("sign").get<std::string>());
  count.corrected = node.value("corrected", false);
  return count;
}

PublishedCell read_cell(const json& node, std::size_t trait_count) {
  PublishedCell cell;
  for (const json& count : node.at("counts")) cell.counts.push_back(read_count(count));
  if (cell.counts.size() != trait_count) throw BadTable{};
  const json& share = node.at("share");
  if (!share.at("value").is_null()) {
    auto value = Rational::parse(share.at("value").get<std::string>());
    if (!value) throw BadTable{};
    cell.share.value = std::move(*value);
  }
  cell.share.sign = parse_sign(share.at("sign").get<std::string>());
  cell.share.text_de = share.at("de").get<std::string>();
  cell.share.text_en = share.at("en").get<std::string>();
  return cell;
}

void read_header(const json& root, PublishedTable& table) {
  table.indicator_code = root.at("indicator").get<std::string>();
  table.version_id = root.at("version_id").get<std::int64_t>();
  table.name_de = root.at("name_de").get<std::string>();
  table.name_en = root.at("name_en").get<std::string>();
  table.definition_code = root.at("definition").get<std::string>();
  // Tables stored before total groups existed share their total with their own indicator only.
  table.total_group = root.value("total_group", table.indicator_code);
  table.scale =
      root.at("scale").get<std::string>() == "ratio" ? ShareScale::ratio : ShareScale::percent;
  table.precision = root.at("precision").get<int>();
  table.has_denominator = root.at("has_denominator").get<bool>();
  table.year = root.at("year").get<int>();
  table.minimum_count = root.at("minimum_count").get<std::int64_t>();
  table.method = root.at("method").get<std::string>() == "heuristic" ? disclosure::Method::heuristic
                                                                     : disclosure::Method::exact;
  table.persons_hidden = root.at("persons_hidden").get<std::int64_t>();
  table.proven_optimal = root.at("proven_optimal").get<bool>();
}

void read_dimensions(const json& root, PublishedTable& table) {
  for (const json& node : root.at("cities")) {
    table.cities.push_back({node.at("id").get<std::int64_t>(), node.at("slug").get<std::string>(),
                            node.at("name").get<std::string>(), node.at("region").get<bool>(),
                            node.at("member").get<bool>()});
  }
  for (const json& node : root.at("categories")) {
    CategorySpec category{node.at("id").get<std::int64_t>(), node.at("code").get<std::string>(),
                          node.at("de").get<std::string>(), node.at("en").get<std::string>(),
                          std::nullopt};
    if (!node.at("parent").is_null()) category.parent = node.at("parent").get<std::size_t>();
    table.categories.push_back(std::move(category));
  }
  for (const json& node : root.at("traits"))
    table.traits.push_back(parse_trait(node.get<std::string>()));
}

void read_body(const json& root, PublishedTable& table) {
  for (const json& node : root.at("cells"))
    table.cells.push_back(read_cell(node, table.traits.size()));
  if (table.cells.size() != table.cities.size() * table.categories.size()) throw BadTable{};
  table.region_includes = root.at("region_includes").get<std::vector<std::int64_t>>();
  for (const json& node : root.at("excluded")) {
    table.excluded.push_back({node.at("id").get<std::int64_t>(), node.at("name").get<std::string>(),
                              parse_exclusion(node.at("reason").get<std::string>()),
                              node.at("category").get<std::string>()});
  }
  if (!root.contains("audit")) return;
  for (const json& node : root.at("audit")) {
    const double high = node.at("high").is_null() ? std::numeric_limits<double>::infinity()
                                                  : node.at("high").get<double>();
    table.audit.push_back({node.at("city").get<std::size_t>(),
                           node.at("category").get<std::size_t>(),
                           parse_trait(node.at("trait").get<std::string>()),
                           node.at("low").get<double>(), high, node.at("primary").get<bool>(),
                           node.value("narrowed_before", false)});
  }
}

}  // namespace

std::string to_json(const PublishedTable& table, bool include_audit) {
  json traits = json::array();
  for (Trait trait : table.traits) traits.push_back(trait_name(trait));
  json cells = json::array();
  for (const PublishedCell& cell : table.cells) cells.push_back(cell_json(cell));
  json excluded = json::array();
  for (const ExcludedCity& city : table.excluded) {
    excluded.push_back({{"id", city.id},
                        {"name", city.name},
                        {"reason", exclusion_name(city.reason)},
                        {"category", city.category_code}});
  }
  json root = {{"indicator", table.indicator_code},
               {"version_id", table.version_id},
               {"name_de", table.name_de},
               {"name_en", table.name_en},
               {"definition", table.definition_code},
               {"total_group", table.total_group},
               {"scale", table.scale == ShareScale::ratio ? "ratio" : "percent"},
               {"precision", table.precision},
               {"has_denominator", table.has_denominator},
               {"year", table.year},
               {"cities", cities_json(table.cities)},
               {"categories", categories_json(table.categories)},
               {"traits", std::move(traits)},
               {"cells", std::move(cells)},
               {"region_includes", table.region_includes},
               {"excluded", std::move(excluded)},
               {"minimum_count", table.minimum_count},
               {"method", table.method == disclosure::Method::heuristic ? "heuristic" : "exact"},
               {"persons_hidden", table.persons_hidden},
               {"proven_optimal", table.proven_optimal}};
  if (include_audit) {
    json audit = json::array();
    for (const AuditInterval& interval : table.audit) audit.push_back(audit_json(interval));
    root["audit"] = std::move(audit);
  }
  return root.dump();
}

Result<PublishedTable> from_json(std::string_view text) {
  try {
    const json root = json::parse(text);
    PublishedTable table;
    read_header(root, table);
    read_dimensions(root, table);
    read_body(root, table);
    return table;
  } catch (const json::exception&) {
  } catch (const BadTable&) {
  }
  return Error::invalid("table", "figures.invalid_table");
}

}  // namespace ik::monitoring
