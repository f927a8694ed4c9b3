// The attacker of issue 16, written apart from src/monitoring/figures_history.cpp so that it
// can catch that file's mistakes: someone who kept every published table of a year puts them
// side by side. Each table's own margins hold (a region is the sum of the member cities it
// lists, a category the sum of its children, "all" the sum of the traits), and a city's cell
// is the same figure in every table that shows the city with the same count behind it; tables
// listed as sharing their total (`shared_total`) share their total row. The attacker's LP then
// gives every cell the public never saw a range; a small count (1 to minimum − 1) or a count
// equal to its small group, never seen, must keep the protection interval either way.
#pragma once

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "disclosure/disclosure.hpp"
#include "monitoring/figures.hpp"

namespace ik::testing {

// One table as the public saw it, and the reported cells behind it (the attacker's target:
// used only to check the ranges, never to build them).
struct KeptTable {
  monitoring::PublishedTable table;               // as read back from the public JSON
  std::vector<monitoring::ReportedCell> reported;  // every city's cells at that time
};

struct Recovered {
  std::size_t table = 0;  // index into the kept tables
  std::string where;      // "city/category/trait"
  std::int64_t value = 0;
  double low = 0, high = 0;
};

namespace detail {

inline std::int64_t true_count(const monitoring::ReportedCell& cell, monitoring::Trait trait,
                               bool has_denominator) {
  using monitoring::Trait;
  if (!has_denominator) return *cell.numerator;
  const std::int64_t unknown = cell.unknown.value_or(0);
  switch (trait) {
    case Trait::all: return *cell.denominator;
    case Trait::with_history: return *cell.numerator;
    case Trait::without_history: return *cell.denominator - *cell.numerator - unknown;
    case Trait::unknown: return unknown;
    case Trait::without_or_unknown: return *cell.denominator - *cell.numerator;
  }
  return 0;
}

}  // namespace detail

// The cells the kept tables together narrow below the protection of `rules`.
// `shared_total` names pairs of indicator codes whose totals count the same persons.
inline std::vector<Recovered> recover(const std::vector<KeptTable>& kept,
                                      const disclosure::DisclosureRules& rules,
                                      const std::set<std::pair<std::string, std::string>>&
                                          shared_total = {}) {
  using monitoring::Trait;
  // A figure: (scope, cities, category code, trait, count).
  using Key = std::tuple<std::string, std::vector<std::int64_t>, std::string, Trait, std::int64_t>;
  std::map<Key, disclosure::CellId> ids;
  std::vector<std::int64_t> counts;
  std::vector<char> seen;
  std::vector<std::pair<std::size_t, std::string>> name;
  std::vector<disclosure::Relation> relations;
  const auto scope_of = [&](const monitoring::PublishedTable& table, bool total) {
    if (!total) return table.indicator_code;
    for (const auto& [a, b] : shared_total)
      if (table.indicator_code == b) return a;
    return table.indicator_code;
  };
  for (std::size_t index = 0; index < kept.size(); ++index) {
    const auto& table = kept[index].table;
    const std::size_t categories = table.categories.size(), traits = table.traits.size();
    std::vector<disclosure::CellId> id(table.cities.size() * categories * traits);
    for (std::size_t city = 0; city < table.cities.size(); ++city) {
      const auto& place = table.cities[city];
      std::vector<std::int64_t> members =
          place.region ? table.region_includes : std::vector<std::int64_t>{place.id};
      std::sort(members.begin(), members.end());
      for (std::size_t category = 0; category < categories; ++category) {
        for (std::size_t trait = 0; trait < traits; ++trait) {
          std::int64_t count = 0;
          for (const auto& cell : kept[index].reported)
            if (cell.category_id == table.categories[category].id &&
                std::binary_search(members.begin(), members.end(), cell.city_id))
              count += detail::true_count(cell, table.traits[trait], table.has_denominator);
          const Key key{scope_of(table, category == 0), members,
                        category == 0 ? "" : table.categories[category].code, table.traits[trait],
                        count};
          const auto [found, added] = ids.try_emplace(key, counts.size());
          if (added) {
            counts.push_back(count);
            seen.push_back(0);
            name.emplace_back(index, place.slug + "/" + table.categories[category].code + "/" +
                                         std::string(monitoring::trait_name(table.traits[trait])));
          }
          const auto& shown = table.cell(city, category).counts[trait];
          if (shown.value) seen[found->second] = 1;
          id[(city * categories + category) * traits + trait] = found->second;
        }
      }
    }
    const auto at = [&](std::size_t city, std::size_t category, std::size_t trait) {
      return id[(city * categories + category) * traits + trait];
    };
    for (std::size_t category = 0; category < categories; ++category)
      for (std::size_t trait = 0; trait < traits; ++trait) {
        if (!table.cities.empty() && table.cities[0].region) {  // the region
          disclosure::Relation region{at(0, category, trait), {}};
          for (std::size_t city = 1; city < table.cities.size(); ++city)
            if (table.cities[city].member) region.parts.push_back(at(city, category, trait));
          // A region of one city is that city: nothing to relate.
          if (region.parts != std::vector<disclosure::CellId>{region.total})
            relations.push_back(region);
        }
      }
    for (std::size_t city = 0; city < table.cities.size(); ++city) {
      for (std::size_t parent = 0; parent < categories; ++parent)
        for (std::size_t trait = 0; trait < traits; ++trait) {
          disclosure::Relation children{at(city, parent, trait), {}};
          for (std::size_t category = 0; category < categories; ++category)
            if (table.categories[category].parent == parent)
              children.parts.push_back(at(city, category, trait));
          if (!children.parts.empty()) relations.push_back(children);
        }
      for (std::size_t category = 0; category < categories && traits > 1; ++category) {
        disclosure::Relation all{at(city, category, 0), {}};
        for (std::size_t trait = 1; trait < traits; ++trait)
          all.parts.push_back(at(city, category, trait));
        relations.push_back(all);
      }
    }
  }
  auto table = disclosure::Table::create(counts, relations);
  if (!table) return {{0, "the kept tables contradict each other: " + table.error().detail, 0, 0, 0}};
  // Which never-seen cells must be protected: the small ones and those equal to a small group.
  std::vector<disclosure::CellStatus> status(counts.size(), disclosure::CellStatus::published);
  for (disclosure::CellId cell = 0; cell < counts.size(); ++cell)
    if (!seen[cell]) status[cell] = disclosure::CellStatus::secondary;
  const auto primary = disclosure::primary_suppression(*table, rules);
  for (disclosure::CellId cell = 0; cell < counts.size(); ++cell)
    if (!seen[cell] && (*primary)[cell] == disclosure::CellStatus::primary)
      status[cell] = disclosure::CellStatus::primary;
  std::vector<Recovered> found;
  for (disclosure::CellId cell = 0; cell < counts.size(); ++cell)
    if (seen[cell] && counts[cell] > 0 && counts[cell] < rules.minimum_count)
      found.push_back({name[cell].first, name[cell].second + " (shown)", counts[cell],
                       static_cast<double>(counts[cell]), static_cast<double>(counts[cell])});
  const auto report = disclosure::audit(*table, rules, status);
  if (!report) return {{0, "audit failed: " + report.error().detail, 0, 0, 0}};
  for (const auto& interval : report->intervals)
    if (!interval.is_protected)
      found.push_back({name[interval.cell].first, name[interval.cell].second,
                       counts[interval.cell], interval.low, interval.high});
  return found;
}

}  // namespace ik::testing
