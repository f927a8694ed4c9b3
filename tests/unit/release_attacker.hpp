// The attacker of issue 16, written apart from src/monitoring/figures_history.cpp so that it
// can catch that file's mistakes: someone who kept every published table of a year puts them
// side by side. Each table's own margins hold (a region is the sum of the member cities it
// lists, a category the sum of its children, "all" the sum of the traits), and a city's cell
// is the same figure in every table that shows the city with the same count behind it (a
// region's cell is a sum of its own in every table); tables
// listed as sharing their total (`shared_total`) share their total row. The attacker's LP then
// gives every cell the public never saw a range; a small count (1 to minimum − 1) or a count
// equal to its small group (or that group's total, where the count was seen), never seen, must
// keep the protection interval either way, unless the other parts of the group were zeros the
// public saw (which told it already). A range that the tables before the last one had already
// narrowed, under the last one's margins (a region's new sum of figures an earlier table
// bounded, say), cannot be widened again: the last table must then narrow it no further.
#pragma once

#include <algorithm>
#include <array>
#include <limits>
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
  if (kept.empty()) return {};
  // A figure: (scope, cities, category code, trait, count).
  using Key = std::tuple<std::string, std::vector<std::int64_t>, std::string, Trait, std::int64_t>;
  std::map<Key, disclosure::CellId> ids;
  std::vector<std::int64_t> counts;
  std::vector<std::size_t> first_seen;  // index of the first table showing it, or kept.size()
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
          // A region is a sum of its own in each table, tied to the others by its margin only.
          if (place.region) members.push_back(-1 - static_cast<std::int64_t>(index));
          const Key key{scope_of(table, category == 0), members,
                        category == 0 ? "" : table.categories[category].code, table.traits[trait],
                        count};
          if (place.region) members.pop_back();
          const auto [found, added] = ids.try_emplace(key, counts.size());
          if (added) {
            counts.push_back(count);
            first_seen.push_back(kept.size());
            name.emplace_back(index, place.slug + "/" + table.categories[category].code + "/" +
                                         std::string(monitoring::trait_name(table.traits[trait])));
          }
          const auto& shown = table.cell(city, category).counts[trait];
          if (shown.value) first_seen[found->second] = std::min(first_seen[found->second], index);
          id[(city * categories + category) * traits + trait] = found->second;
        }
      }
    }
    const auto add_relation = [&](disclosure::Relation relation) {
      relations.push_back(std::move(relation));
    };
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
            add_relation(region);
        }
      }
    for (std::size_t city = 0; city < table.cities.size(); ++city) {
      for (std::size_t parent = 0; parent < categories; ++parent)
        for (std::size_t trait = 0; trait < traits; ++trait) {
          disclosure::Relation children{at(city, parent, trait), {}};
          for (std::size_t category = 0; category < categories; ++category)
            if (table.categories[category].parent == parent)
              children.parts.push_back(at(city, category, trait));
          if (!children.parts.empty()) add_relation(children);
        }
      for (std::size_t category = 0; category < categories && traits > 1; ++category) {
        disclosure::Relation all{at(city, category, 0), {}};
        for (std::size_t trait = 1; trait < traits; ++trait)
          all.parts.push_back(at(city, category, trait));
        add_relation(all);
      }
    }
  }
  const auto seen = [&](disclosure::CellId cell) { return first_seen[cell] < kept.size(); };
  auto table = disclosure::Table::create(counts, relations);
  if (!table) return {{0, "the kept tables contradict each other: " + table.error().detail, 0, 0, 0}};
  // Which never-seen cells must be protected: the small ones, and those equal to a small total
  // whose other parts are not all zeros the public saw (those told that secret already).
  std::vector<disclosure::CellStatus> status(counts.size(), disclosure::CellStatus::published);
  for (disclosure::CellId cell = 0; cell < counts.size(); ++cell)
    if (!seen(cell)) status[cell] = disclosure::CellStatus::secondary;
  // A total at risk because its part was seen can never go below that part: only upwards must
  // it stay open (the attacker must not be able to tell that the total is the part).
  std::set<disclosure::CellId> upward_only;
  const auto at_risk = [&](disclosure::CellId cell) {
    if (!seen(cell)) status[cell] = disclosure::CellStatus::primary;
  };
  for (disclosure::CellId cell = 0; cell < counts.size(); ++cell)
    if (counts[cell] > 0 && counts[cell] < rules.minimum_count) at_risk(cell);
  for (const auto& relation : relations) {
    const std::int64_t total = counts[relation.total];
    if (relation.parts.size() < 2 || total == 0 || total >= rules.full_total_threshold) continue;
    for (const auto part : relation.parts) {
      if (counts[part] != total) continue;
      const bool told = std::all_of(relation.parts.begin(), relation.parts.end(),
                                    [&](auto other) { return other == part || seen(other); });
      if (told) continue;
      // A part seen before its total was small: the total tells that everyone has the trait.
      at_risk(seen(part) ? relation.total : part);
      if (seen(part)) upward_only.insert(relation.total);
    }
  }
  std::vector<Recovered> found;
  for (disclosure::CellId cell = 0; cell < counts.size(); ++cell)
    if (seen(cell) && counts[cell] > 0 && counts[cell] < rules.minimum_count)
      found.push_back({name[cell].first, name[cell].second + " (shown)", counts[cell],
                       static_cast<double>(counts[cell]), static_cast<double>(counts[cell])});
  const auto report = disclosure::audit(*table, rules, status);
  if (!report) return {{0, "audit failed: " + report.error().detail, 0, 0, 0}};

  // The same cells with only what the tables before the last one showed: the last table's
  // margins hold, its figures are unknown. That is the most the last table can leave them.
  const std::size_t last = kept.size() - 1;
  std::vector<disclosure::CellStatus> status_before = status;
  for (disclosure::CellId cell = 0; cell < counts.size(); ++cell)
    if (status[cell] == disclosure::CellStatus::published && first_seen[cell] >= last)
      status_before[cell] = disclosure::CellStatus::secondary;
  const auto report_before = disclosure::audit(*table, rules, status_before);
  if (!report_before) return {{0, "audit failed: " + report_before.error().detail, 0, 0, 0}};
  const auto range_before = [&](disclosure::CellId cell) {
    for (const auto& interval : report_before->intervals)
      if (interval.cell == cell) return std::pair(interval.low, interval.high);
    return std::pair(0.0, std::numeric_limits<double>::infinity());
  };

  const auto upper = static_cast<double>(rules.upper_protection.value_or(rules.minimum_count));
  const auto lower = static_cast<double>(rules.lower_protection.value_or(rules.minimum_count));
  for (const auto& interval : report->intervals) {
    if (!interval.primary) continue;
    const auto value = static_cast<double>(counts[interval.cell]);
    const auto [low_before, high_before] = range_before(interval.cell);
    const double must_reach_up = std::min(value + upper, high_before);
    const double must_reach_down = upward_only.contains(interval.cell)
                                       ? value
                                       : std::max(std::max(0.0, value - lower), low_before);
    if (interval.high >= must_reach_up - 1e-6 && interval.low <= must_reach_down + 1e-6) continue;
    found.push_back({name[interval.cell].first, name[interval.cell].second, counts[interval.cell],
                     interval.low, interval.high});
  }
  return found;
}

}  // namespace ik::testing
