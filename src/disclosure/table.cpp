// Table validation, the cross-table builder, primary suppression and output signs.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "disclosure/disclosure.hpp"
#include "disclosure/internal.hpp"

namespace ik::disclosure {
namespace {

Status validate_counts(const std::vector<std::int64_t>& counts) {
  for (CellId cell = 0; cell < counts.size(); ++cell) {
    if (counts[cell] < 0 || counts[cell] > max_count) {
      auto error = Error::invalid("counts", "disclosure.invalid_count");
      error.detail = "cell " + std::to_string(cell) + " has count " + std::to_string(counts[cell]);
      return error;
    }
  }
  return {};
}

Error relation_error(std::size_t relation_index, std::string key) {
  auto error = Error::invalid("relations", std::move(key));
  error.detail = "relation " + std::to_string(relation_index);
  return error;
}

Status validate_relation(const Relation& relation, std::size_t relation_index,
                         const std::vector<std::int64_t>& counts) {
  const auto known = [&](CellId cell) { return cell < counts.size(); };
  if (!known(relation.total) || !std::all_of(relation.parts.begin(), relation.parts.end(), known))
    return relation_error(relation_index, "disclosure.unknown_cell");
  auto cells = relation.parts;
  cells.push_back(relation.total);
  std::sort(cells.begin(), cells.end());
  if (relation.parts.empty() || std::adjacent_find(cells.begin(), cells.end()) != cells.end())
    return relation_error(relation_index, "disclosure.malformed_relation");
  // Counts are ≤ max_count, so the sum cannot overflow before it exceeds the total.
  std::int64_t sum = 0;
  for (const CellId part : relation.parts) {
    sum += counts[part];
    if (sum > counts[relation.total]) break;
  }
  if (sum != counts[relation.total])
    return relation_error(relation_index, "disclosure.relation_not_additive");
  return {};
}

Error dimensions_error(std::string detail) {
  auto error = Error::invalid("dimensions", "disclosure.invalid_dimensions");
  error.detail = std::move(detail);
  return error;
}

Status validate_dimensions(const std::vector<Dimension>& dimensions) {
  if (dimensions.empty()) return dimensions_error("no dimension");
  for (const auto& dimension : dimensions) {
    if (dimension.categories.empty()) return dimensions_error(dimension.name + " is empty");
    for (std::size_t index = 0; index < dimension.categories.size(); ++index) {
      const auto& parent = dimension.categories[index].parent;
      if (parent && *parent >= index)
        return dimensions_error(dimension.name + ": parent after category " + std::to_string(index));
    }
  }
  return {};
}

// Row-major strides: the last dimension varies fastest.
std::vector<std::size_t> strides_of(const std::vector<Dimension>& dimensions) {
  std::vector<std::size_t> strides(dimensions.size(), 1);
  for (std::size_t dim = dimensions.size() - 1; dim > 0; --dim)
    strides[dim - 1] = strides[dim] * dimensions[dim].categories.size();
  return strides;
}

std::vector<std::vector<std::size_t>> children_of(const Dimension& dimension) {
  std::vector<std::vector<std::size_t>> children(dimension.categories.size());
  for (std::size_t index = 0; index < dimension.categories.size(); ++index)
    if (const auto& parent = dimension.categories[index].parent) children[*parent].push_back(index);
  return children;
}

// For every cell and every dimension in which the cell's category has children:
// cell = sum of the cells with that category replaced by each child.
std::vector<Relation> margin_relations(const std::vector<Dimension>& dimensions,
                                       std::size_t cell_count) {
  const auto strides = strides_of(dimensions);
  std::vector<Relation> relations;
  for (std::size_t dim = 0; dim < dimensions.size(); ++dim) {
    const auto children = children_of(dimensions[dim]);
    const std::size_t size = dimensions[dim].categories.size();
    for (CellId cell = 0; cell < cell_count; ++cell) {
      const std::size_t category = (cell / strides[dim]) % size;
      if (children[category].empty()) continue;
      Relation relation{cell, {}};
      for (const std::size_t child : children[category])
        relation.parts.push_back(cell + (child - category) * strides[dim]);
      relations.push_back(std::move(relation));
    }
  }
  return relations;
}

}  // namespace

Result<Table> Table::create(std::vector<std::int64_t> counts, std::vector<Relation> relations) {
  IK_TRY(validate_counts(counts));
  for (std::size_t index = 0; index < relations.size(); ++index)
    IK_TRY(validate_relation(relations[index], index, counts));
  Table table;
  table.relations_of_.resize(counts.size());
  for (std::size_t index = 0; index < relations.size(); ++index) {
    table.relations_of_[relations[index].total].push_back(index);
    for (const CellId part : relations[index].parts) table.relations_of_[part].push_back(index);
  }
  table.counts_ = std::move(counts);
  table.relations_ = std::move(relations);
  return table;
}

Result<CrossTable> CrossTable::create(std::vector<Dimension> dimensions,
                                      std::vector<std::int64_t> counts) {
  IK_TRY(validate_dimensions(dimensions));
  std::size_t cell_count = 1;
  for (const auto& dimension : dimensions) cell_count *= dimension.categories.size();
  if (counts.size() != cell_count) {
    auto error = Error::invalid("counts", "disclosure.wrong_cell_count");
    error.detail = "expected " + std::to_string(cell_count) + " counts, got " +
                   std::to_string(counts.size());
    return error;
  }
  auto table = Table::create(std::move(counts), margin_relations(dimensions, cell_count));
  if (!table) return table.take_error();
  return CrossTable(std::move(dimensions), std::move(table).value());
}

CellId CrossTable::cell(std::span<const std::size_t> coordinates) const {
  if (coordinates.size() != dimensions_.size())
    throw std::invalid_argument("CrossTable::cell: wrong number of coordinates");
  const auto strides = strides_of(dimensions_);
  CellId cell = 0;
  for (std::size_t dim = 0; dim < dimensions_.size(); ++dim) {
    if (coordinates[dim] >= dimensions_[dim].categories.size())
      throw std::out_of_range("CrossTable::cell: coordinate out of range");
    cell += coordinates[dim] * strides[dim];
  }
  return cell;
}

Result<ResolvedRules> resolve_rules(const DisclosureRules& rules) {
  const ResolvedRules resolved{rules.minimum_count, rules.full_total_threshold,
                               rules.upper_protection.value_or(rules.minimum_count),
                               rules.lower_protection.value_or(rules.minimum_count)};
  if (resolved.minimum_count < 1 || resolved.full_total_threshold < 0 ||
      resolved.upper_protection < 0 || resolved.lower_protection < 0)
    return Error::invalid("rules", "disclosure.invalid_rules");
  return resolved;
}

Protection protection_of(const Table& table, const ResolvedRules& rules, CellId cell) {
  const std::int64_t value = table.count(cell);
  return {static_cast<double>(rules.upper_protection),
          static_cast<double>(std::min(rules.lower_protection, value))};
}

Result<std::vector<Prior>> resolve_prior(const Table& table, std::span<const Prior> prior) {
  if (prior.empty()) return std::vector<Prior>(table.size(), Prior::open);
  if (prior.size() != table.size()) return Error::invalid("prior", "disclosure.wrong_cell_count");
  return std::vector<Prior>(prior.begin(), prior.end());
}

Result<std::vector<CellStatus>> primary_suppression(const Table& table,
                                                    const DisclosureRules& rules,
                                                    std::span<const Prior> prior) {
  const auto resolved = resolve_rules(rules);
  if (!resolved) return resolved.error();
  const auto known = resolve_prior(table, prior);
  if (!known) return known.error();
  const auto is_public = [&](CellId cell) { return (*known)[cell] == Prior::published; };
  std::vector<CellStatus> status(table.size(), CellStatus::published);
  for (CellId cell = 0; cell < table.size(); ++cell) {
    const std::int64_t value = table.count(cell);
    if (value > 0 && value < resolved->minimum_count && !is_public(cell))
      status[cell] = CellStatus::primary;
  }
  for (const auto& relation : table.relations()) {
    const std::int64_t total = table.count(relation.total);
    if (relation.parts.size() < 2 || total == 0 || total >= resolved->full_total_threshold)
      continue;
    for (const CellId part : relation.parts) {
      if (table.count(part) != total) continue;
      // The secret is that every other part is empty; once those zeros were public, it is no
      // secret any more.
      const bool others_public = std::all_of(
          relation.parts.begin(), relation.parts.end(),
          [&](CellId other) { return other == part || is_public(other); });
      if (others_public) continue;
      // A part public before tells that everyone in the group has the trait as soon as the
      // total is known: the total carries the secret now.
      const CellId secret = is_public(part) ? relation.total : part;
      if (!is_public(secret)) status[secret] = CellStatus::primary;
    }
  }
  return status;
}

std::string_view sign_text(Sign sign) {
  switch (sign) {
    case Sign::value: return "";
    case Sign::withheld: return "\u2022";
    case Sign::nothing: return "\u2013";
    case Sign::unreliable: return "/";
    case Sign::not_meaningful: return "x";
    case Sign::not_yet_available: return "\u2026";
  }
  return "";
}

Sign sign_for(const Table& table, const std::vector<CellStatus>& status, CellId cell) {
  if (status.at(cell) != CellStatus::published) return Sign::withheld;
  return table.count(cell) == 0 ? Sign::nothing : Sign::value;
}

}  // namespace ik::disclosure
