// Internals of ik_figures shared by the table builder and the release history: a table's
// layout (its cities, categories and traits as a disclosure::CrossTable) and the published
// cells filled from a plan's statuses.
#pragma once

#include <optional>
#include <vector>

#include "monitoring/figures.hpp"

namespace ik::monitoring::internal {

// The table of an input before its plan: header, cities (region first), traits and excluded
// cities set, no cells yet; `cross` holds the counts with every margin (nullopt when no city
// is included).
struct Layout {
  PublishedTable table;
  std::optional<disclosure::CrossTable> cross;
};

// Failure: the input errors of build_published_table.
Result<Layout> lay_out(const TableInput& input, const disclosure::DisclosureRules& rules);

// The cross table of `table`'s structure (cities, categories, traits) with `counts`, in the
// order of its cells. Failure (invalid_input): the counts do not fit the structure or its
// margins.
Result<disclosure::CrossTable> cross_table_of(const PublishedTable& table,
                                              std::vector<std::int64_t> counts);

// Fills table.cells: a count is shown unless its cell's status says withheld, and the share
// with it.
void fill_cells(PublishedTable& table, const disclosure::CrossTable& cross,
                const std::vector<disclosure::CellStatus>& status);

// Cell id of `cross` → (city, category, trait) indices of `table`.
struct CellPlace {
  std::size_t city = 0, category = 0, trait = 0;
};
CellPlace place_of(const PublishedTable& table, disclosure::CellId cell);

}  // namespace ik::monitoring::internal
