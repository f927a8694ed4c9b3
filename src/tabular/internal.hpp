// Internals shared by the readers (not part of the public header).
#pragma once

#include <string>

#include "tabular/tabular.hpp"

namespace ik::tabular::internal {

// Puts `cell` at 1-based `column` of `row`, padding with empty cells.
void place(Row& row, int column, Cell cell);
// True when every cell is empty or blank: such rows count for numbering but are skipped.
bool is_blank(const Row& row);
// Drops empty cells at the end of the row.
void trim_trailing(Row& row);

}  // namespace ik::tabular::internal
