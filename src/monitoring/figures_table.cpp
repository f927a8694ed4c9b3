// The published table of one indicator and year: reported cells → cross table with margins →
// disclosure plan → published counts and shares.
#include <array>
#include <map>

#include "monitoring/figures.hpp"
#include "monitoring/figures_layout.hpp"

namespace ik::monitoring {
namespace {

using disclosure::Sign;

// A city's cells by category index.
using CityCells = std::vector<std::optional<ReportedCell>>;

Status check_spec(const IndicatorSpec& spec) {
  const auto& categories = spec.categories;
  bool valid = !categories.empty() && !categories.front().parent && spec.precision >= 0 &&
               spec.precision <= 9;
  for (std::size_t index = 1; valid && index < categories.size(); ++index) {
    valid = categories[index].parent.has_value() && *categories[index].parent < index;
  }
  if (!valid) return Error::invalid("indicator", "figures.invalid_indicator");
  return {};
}

bool valid_count(const std::optional<std::int64_t>& count) {
  return !count || (*count >= 0 && *count <= disclosure::max_count);
}

Error cell_error(std::string key, const ReportedCell& cell) {
  Error error = Error::invalid("cells", std::move(key));
  error.detail =
      "city " + std::to_string(cell.city_id) + ", category " + std::to_string(cell.category_id);
  return error;
}

// The reported cells grouped per city (index into input.cities) and category.
Result<std::vector<CityCells>> group_cells(const TableInput& input) {
  std::map<std::int64_t, std::size_t> city_of;
  for (std::size_t index = 0; index < input.cities.size(); ++index)
    city_of[input.cities[index].id] = index;
  std::map<std::int64_t, std::size_t> category_of;
  const auto& categories = input.indicator.categories;
  for (std::size_t index = 0; index < categories.size(); ++index)
    category_of[categories[index].id] = index;

  std::vector<CityCells> grouped(input.cities.size(), CityCells(categories.size()));
  for (const ReportedCell& cell : input.cells) {
    const auto city = city_of.find(cell.city_id);
    if (city == city_of.end()) return cell_error("figures.unknown_city", cell);
    const auto category = category_of.find(cell.category_id);
    if (category == category_of.end()) return cell_error("figures.unknown_category", cell);
    if (!valid_count(cell.numerator) || !valid_count(cell.unknown) ||
        !valid_count(cell.denominator)) {
      return cell_error("figures.invalid_count", cell);
    }
    auto& slot = grouped[city->second][category->second];
    if (slot) return cell_error("figures.duplicate_cell", cell);
    slot = cell;
  }
  return grouped;
}

bool has_any(const CityCells& cells) {
  for (const auto& cell : cells) {
    if (cell) return true;
  }
  return false;
}

// Whether `field` of every child of every parent adds up to the parent's; the first parent
// where it does not, otherwise nullopt.
std::optional<std::size_t> first_not_additive(const IndicatorSpec& spec, const CityCells& cells,
                                              std::optional<std::int64_t> ReportedCell::*field) {
  std::vector<std::int64_t> child_sums(cells.size(), 0);
  std::vector<bool> has_children(cells.size(), false);
  for (std::size_t index = 1; index < cells.size(); ++index) {
    const std::size_t parent = *spec.categories[index].parent;
    child_sums[parent] += ((*cells[index]).*field).value_or(0);
    has_children[parent] = true;
  }
  for (std::size_t index = 0; index < cells.size(); ++index) {
    if (has_children[index] && child_sums[index] != ((*cells[index]).*field).value_or(0))
      return index;
  }
  return std::nullopt;
}

// Why the city cannot be published, or nullopt when it can.
std::optional<ExcludedCity> check_city(const IndicatorSpec& spec, const CityInYear& city,
                                       const CityCells& cells, bool with_unknown) {
  const auto excluded = [&](Exclusion reason, std::size_t category) {
    return ExcludedCity{city.id, city.name, reason, spec.categories[category].code};
  };
  for (std::size_t index = 0; index < cells.size(); ++index) {
    const auto& cell = cells[index];
    if (!cell || !cell->numerator || (spec.has_denominator && !cell->denominator)) {
      return excluded(Exclusion::incomplete, index);
    }
    if (spec.has_denominator && *cell->numerator + cell->unknown.value_or(0) > *cell->denominator) {
      return excluded(Exclusion::part_above_total, index);
    }
  }
  std::optional<std::size_t> broken = first_not_additive(spec, cells, &ReportedCell::numerator);
  if (!broken && spec.has_denominator)
    broken = first_not_additive(spec, cells, &ReportedCell::denominator);
  if (!broken && with_unknown) broken = first_not_additive(spec, cells, &ReportedCell::unknown);
  if (broken) return excluded(Exclusion::not_additive, *broken);
  return std::nullopt;
}

std::vector<Trait> traits_for(const IndicatorSpec& spec, bool with_unknown) {
  if (!spec.has_denominator) return {Trait::all};
  if (with_unknown)
    return {Trait::all, Trait::with_history, Trait::without_history, Trait::unknown};
  return {Trait::all, Trait::with_history, Trait::without_or_unknown};
}

std::int64_t trait_count(const ReportedCell& cell, Trait trait, bool has_denominator) {
  const std::int64_t numerator = *cell.numerator;
  if (!has_denominator) return numerator;
  const std::int64_t denominator = *cell.denominator;
  const std::int64_t unknown = cell.unknown.value_or(0);
  switch (trait) {
    case Trait::all:
      return denominator;
    case Trait::with_history:
      return numerator;
    case Trait::without_history:
      return denominator - numerator - unknown;
    case Trait::unknown:
      return unknown;
    case Trait::without_or_unknown:
      return denominator - numerator;
  }
  return 0;
}

disclosure::Dimension city_dimension(const std::vector<PublishedCity>& cities) {
  disclosure::Dimension dimension{"city", {}};
  const bool has_region = !cities.empty() && cities.front().region;
  for (const PublishedCity& city : cities) {
    std::optional<std::size_t> parent;
    if (!city.region && city.member && has_region) parent = 0;
    dimension.categories.push_back({city.slug, parent});
  }
  return dimension;
}

disclosure::Dimension category_dimension(const std::vector<CategorySpec>& categories) {
  disclosure::Dimension dimension{"category", {}};
  for (const CategorySpec& category : categories)
    dimension.categories.push_back({category.code, category.parent});
  return dimension;
}

disclosure::Dimension trait_dimension(const std::vector<Trait>& traits) {
  disclosure::Dimension dimension{"trait", {}};
  for (std::size_t index = 0; index < traits.size(); ++index) {
    std::optional<std::size_t> parent;
    if (index > 0) parent = 0;
    dimension.categories.push_back({std::string(trait_name(traits[index])), parent});
  }
  return dimension;
}

PublishedShare share_for(const PublishedTable& table, const PublishedCell& cell) {
  PublishedShare share;
  const auto not_meaningful = [&] {
    share.sign = Sign::not_meaningful;
    share.text_de = share.text_en = std::string(disclosure::sign_text(share.sign));
    return share;
  };
  if (!table.has_denominator) return not_meaningful();
  const PublishedCount& all = cell.counts[0];
  const PublishedCount& with = cell.counts[1];
  if (!all.value || !with.value) {
    share.sign = Sign::withheld;
    share.text_de = share.text_en = std::string(disclosure::sign_text(share.sign));
    return share;
  }
  share.value = share_of(*with.value, *all.value);
  if (!share.value) return not_meaningful();
  share.text_de = format_share(*share.value, table.scale, table.precision, DecimalMark::comma);
  share.text_en = format_share(*share.value, table.scale, table.precision, DecimalMark::point);
  return share;
}

PublishedTable table_header(const TableInput& input, const disclosure::DisclosureRules& rules) {
  const IndicatorSpec& spec = input.indicator;
  PublishedTable table;
  table.indicator_code = spec.code;
  table.version_id = spec.version_id;
  table.name_de = spec.name_de;
  table.name_en = spec.name_en;
  table.definition_code = spec.definition_code;
  table.total_group = spec.total_group.empty() ? spec.code : spec.total_group;
  table.scale = spec.scale;
  table.precision = spec.precision;
  table.has_denominator = spec.has_denominator;
  table.year = input.year;
  table.categories = spec.categories;
  table.minimum_count = rules.minimum_count;
  return table;
}

// Every count of the cross table in row-major order (city, category, trait), the region's
// counts summed over its member cities.
std::vector<std::int64_t> table_counts(const PublishedTable& table,
                                       const std::vector<const CityCells*>& rows) {
  const std::size_t category_count = table.categories.size();
  const std::size_t trait_count_total = table.traits.size();
  std::vector<std::int64_t> counts(table.cities.size() * category_count * trait_count_total, 0);
  const auto at = [&](std::size_t city, std::size_t category, std::size_t trait) -> std::int64_t& {
    return counts[(city * category_count + category) * trait_count_total + trait];
  };
  const bool has_region = table.cities.front().region;
  for (std::size_t city = has_region ? 1 : 0; city < table.cities.size(); ++city) {
    const CityCells& cells = *rows[city];
    for (std::size_t category = 0; category < category_count; ++category) {
      for (std::size_t trait = 0; trait < trait_count_total; ++trait) {
        const std::int64_t count =
            trait_count(*cells[category], table.traits[trait], table.has_denominator);
        at(city, category, trait) = count;
        if (has_region && table.cities[city].member) at(0, category, trait) += count;
      }
    }
  }
  return counts;
}

}  // namespace

std::string_view trait_name(Trait trait) {
  switch (trait) {
    case Trait::all:
      return "all";
    case Trait::with_history:
      return "with_history";
    case Trait::without_history:
      return "without_history";
    case Trait::unknown:
      return "unknown";
    case Trait::without_or_unknown:
      return "without_or_unknown";
  }
  return "all";
}

std::string_view exclusion_name(Exclusion reason) {
  switch (reason) {
    case Exclusion::incomplete:
      return "incomplete";
    case Exclusion::not_additive:
      return "not_additive";
    case Exclusion::part_above_total:
      return "part_above_total";
  }
  return "incomplete";
}

const PublishedCell& PublishedTable::cell(std::size_t city, std::size_t category) const {
  return cells.at(city * categories.size() + category);
}

std::optional<std::size_t> PublishedTable::city_index(std::int64_t city_id) const {
  for (std::size_t index = 0; index < cities.size(); ++index) {
    if (cities[index].id == city_id) return index;
  }
  return std::nullopt;
}

std::optional<std::size_t> PublishedTable::category_index(std::string_view code) const {
  for (std::size_t index = 0; index < categories.size(); ++index) {
    if (categories[index].code == code) return index;
  }
  return std::nullopt;
}

std::optional<std::size_t> PublishedTable::region_index() const {
  if (!cities.empty() && cities.front().region) return 0;
  return std::nullopt;
}

std::optional<std::size_t> PublishedTable::trait_index(Trait trait) const {
  for (std::size_t index = 0; index < traits.size(); ++index) {
    if (traits[index] == trait) return index;
  }
  return std::nullopt;
}

namespace internal {

Result<disclosure::CrossTable> cross_table_of(const PublishedTable& table,
                                              std::vector<std::int64_t> counts) {
  return disclosure::CrossTable::create(
      {city_dimension(table.cities), category_dimension(table.categories),
       trait_dimension(table.traits)},
      std::move(counts));
}

CellPlace place_of(const PublishedTable& table, disclosure::CellId cell) {
  const std::size_t traits = table.traits.size();
  const std::size_t categories = table.categories.size();
  return {cell / (traits * categories), (cell / traits) % categories, cell % traits};
}

Result<Layout> lay_out(const TableInput& input, const disclosure::DisclosureRules& rules) {
  const IndicatorSpec& spec = input.indicator;
  IK_TRY(check_spec(spec));
  auto grouped = group_cells(input);
  if (!grouped) return grouped.take_error();

  // "Unknown" is a trait of its own only when every city with data reported it.
  bool with_unknown = true;
  for (const CityCells& cells : *grouped) {
    for (const auto& cell : cells) {
      if (cell && !cell->unknown) with_unknown = false;
    }
  }

  Layout layout{table_header(input, rules), std::nullopt};
  PublishedTable& table = layout.table;
  table.traits = traits_for(spec, with_unknown);
  std::vector<PublishedCity> included;
  std::vector<const CityCells*> rows;
  for (std::size_t index = 0; index < input.cities.size(); ++index) {
    const CityInYear& city = input.cities[index];
    const CityCells& cells = (*grouped)[index];
    if (!has_any(cells)) continue;
    if (auto excluded = check_city(spec, city, cells, with_unknown)) {
      table.excluded.push_back(std::move(*excluded));
      continue;
    }
    included.push_back({city.id, city.slug, city.name, false, city.member});
    rows.push_back(&cells);
    if (city.member) table.region_includes.push_back(city.id);
  }
  if (included.empty()) return layout;
  if (!table.region_includes.empty()) {
    table.cities.push_back({0, "region", "Region", true, true});
    rows.insert(rows.begin(), nullptr);
  }
  table.cities.insert(table.cities.end(), included.begin(), included.end());
  auto cross = cross_table_of(table, table_counts(table, rows));
  if (!cross) return cross.take_error();
  layout.cross = std::move(*cross);
  return layout;
}

void fill_cells(PublishedTable& table, const disclosure::CrossTable& cross,
                const std::vector<disclosure::CellStatus>& status) {
  table.cells.clear();
  for (std::size_t city = 0; city < table.cities.size(); ++city) {
    for (std::size_t category = 0; category < table.categories.size(); ++category) {
      PublishedCell published;
      for (std::size_t trait = 0; trait < table.traits.size(); ++trait) {
        const std::array<std::size_t, 3> coordinates{city, category, trait};
        const disclosure::CellId id = cross.cell(coordinates);
        const Sign sign = disclosure::sign_for(cross.table(), status, id);
        PublishedCount count{std::nullopt, sign, false};
        if (sign == Sign::value || sign == Sign::nothing) count.value = cross.table().count(id);
        published.counts.push_back(count);
      }
      published.share = share_for(table, published);
      table.cells.push_back(std::move(published));
    }
  }
}

}  // namespace internal

Result<PublishedTable> build_published_table(const TableInput& input,
                                             const disclosure::DisclosureRules& rules,
                                             const disclosure::PlanOptions& options) {
  auto release = plan_release(input, {}, rules, options);
  if (!release) return release.take_error();
  return std::move(release->table);
}

}  // namespace ik::monitoring
