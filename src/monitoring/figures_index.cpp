// Indices computed from published tables: only from counts the public can see, so an index is
// withheld whenever a count it rests on is.
#include "monitoring/figures.hpp"

namespace ik::monitoring {
namespace {

using disclosure::Sign;

PublishedIndex with_sign(Sign sign, bool definitions_differ) {
  return PublishedIndex{std::nullopt, sign, definitions_differ};
}

// The visible (with, all) counts of one cell, or the sign why they are not usable.
struct Counts {
  std::optional<ShareCounts> counts;
  Sign sign = Sign::value;
};

Counts visible_counts(const PublishedTable& table, std::size_t city, std::size_t category) {
  const auto all = table.trait_index(Trait::all);
  const auto with = table.trait_index(Trait::with_history);
  if (!table.has_denominator || !all || !with) return {std::nullopt, Sign::not_meaningful};
  const PublishedCell& cell = table.cell(city, category);
  const PublishedCount& whole = cell.counts[*all];
  const PublishedCount& part = cell.counts[*with];
  if (!whole.value || !part.value) return {std::nullopt, Sign::withheld};
  return {ShareCounts{*part.value, *whole.value}, Sign::value};
}

// The city's row in both tables; for the region (id 0) only when both regions sum the same
// cities, or two different groups would be compared.
std::optional<std::pair<std::size_t, std::size_t>> rows_of(const PublishedTable& staff,
                                                           const PublishedTable& population,
                                                           std::int64_t city_id) {
  const auto staff_row = staff.city_index(city_id);
  const auto population_row = population.city_index(city_id);
  if (!staff_row || !population_row) return std::nullopt;
  if (city_id == 0 && staff.region_includes != population.region_includes) return std::nullopt;
  return std::pair{*staff_row, *population_row};
}

std::vector<std::size_t> leaves(const PublishedTable& table) {
  std::vector<bool> has_children(table.categories.size(), false);
  for (const CategorySpec& category : table.categories) {
    if (category.parent) has_children[*category.parent] = true;
  }
  std::vector<std::size_t> out;
  for (std::size_t index = 1; index < table.categories.size(); ++index) {
    if (!has_children[index]) out.push_back(index);
  }
  return out;
}

PublishedIndex from_value(std::optional<Rational> value, bool definitions_differ) {
  if (!value) return with_sign(Sign::not_meaningful, definitions_differ);
  return PublishedIndex{std::move(value), Sign::value, definitions_differ};
}

}  // namespace

PublishedIndex representation_index(const PublishedTable& staff, const PublishedTable& population,
                                    std::int64_t city_id) {
  const bool differ = staff.definition_code != population.definition_code;
  const auto rows = rows_of(staff, population, city_id);
  if (!rows || staff.categories.empty() || population.categories.empty()) {
    return with_sign(Sign::not_meaningful, differ);
  }
  const Counts staff_counts = visible_counts(staff, rows->first, 0);
  const Counts population_counts = visible_counts(population, rows->second, 0);
  if (!staff_counts.counts) return with_sign(staff_counts.sign, differ);
  if (!population_counts.counts) return with_sign(population_counts.sign, differ);
  return from_value(representation_index(*staff_counts.counts, *population_counts.counts), differ);
}

PublishedIndex age_standardised_index(const PublishedTable& staff_by_age,
                                      const PublishedTable& population_by_age,
                                      std::int64_t city_id) {
  const bool differ = staff_by_age.definition_code != population_by_age.definition_code;
  const auto rows = rows_of(staff_by_age, population_by_age, city_id);
  const std::vector<std::size_t> population_bands = leaves(population_by_age);
  const std::vector<std::size_t> staff_bands = leaves(staff_by_age);
  if (!rows || population_bands.empty() || population_bands.size() != staff_bands.size()) {
    return with_sign(Sign::not_meaningful, differ);
  }
  std::vector<AgeBand> bands;
  for (std::size_t population_band : population_bands) {
    const auto staff_band =
        staff_by_age.category_index(population_by_age.categories[population_band].code);
    if (!staff_band) return with_sign(Sign::not_meaningful, differ);
    const Counts staff_counts = visible_counts(staff_by_age, rows->first, *staff_band);
    const Counts population_counts =
        visible_counts(population_by_age, rows->second, population_band);
    if (!staff_counts.counts) return with_sign(staff_counts.sign, differ);
    if (!population_counts.counts) return with_sign(population_counts.sign, differ);
    bands.push_back({*staff_counts.counts, *population_counts.counts});
  }
  return from_value(age_standardised_index(bands), differ);
}

}  // namespace ik::monitoring
