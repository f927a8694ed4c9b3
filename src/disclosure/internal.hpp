// Internals shared by the audit and the planner: resolved rules and the attacker's LP.
#pragma once

#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "disclosure/disclosure.hpp"

class ClpSimplex;

namespace ik::disclosure {

struct ResolvedRules {
  std::int64_t minimum_count;
  std::int64_t full_total_threshold;
  std::int64_t upper_protection;
  std::int64_t lower_protection;
};

// Failure: invalid_input "disclosure.invalid_rules".
Result<ResolvedRules> resolve_rules(const DisclosureRules& rules);

// How far up and down the attacker's range must reach from a primary cell's value; the
// downward distance is capped at the value (see DisclosureRules).
struct Protection {
  double upper;
  double lower;
};
Protection protection_of(const Table& table, const ResolvedRules& rules, CellId cell);

// What each primary cell must be protected by (indexed by cell; zero for every other cell), and
// which of them earlier releases already narrowed below their protection.
struct Requirements {
  std::vector<Protection> of_cell;
  std::vector<char> narrowed_before;  // per cell
};

// The protection intervals of the primary cells in `status`, each capped at what the history
// leaves: the range the cell has when everything not public before is withheld (the widest any
// release can give it). Without any cell public before, that is the protection itself and no
// LP is solved. Failure (internal): solver failure. Precondition: `prior` has one entry per
// cell.
Result<Requirements> requirements_for(const Table& table, const ResolvedRules& rules,
                                      const std::vector<CellStatus>& status,
                                      std::span<const Prior> prior);

// The audit of `status` against `requirements` (see audit()).
Result<AuditReport> audit_against(const Table& table, const std::vector<CellStatus>& status,
                                  const Requirements& requirements);

// Failure (invalid_input, "disclosure.wrong_cell_count"): `prior` neither empty nor one per cell.
// Success: `prior`, or every cell open when it is empty.
Result<std::vector<Prior>> resolve_prior(const Table& table, std::span<const Prior> prior);

enum class Direction { up, down };

inline constexpr double infinity = std::numeric_limits<double>::infinity();
// Slack for comparing LP results with integer requirements.
inline constexpr double lp_tolerance = 1e-6;

// A Fischetti–Salazar capacity cut: sum of coefficient × x_cell ≥ rhs over suppression
// indicators x. Every suppression pattern that protects the cell satisfies it.
struct Cut {
  std::vector<std::pair<CellId, double>> terms;
  double rhs = 0;
  CellId cell = 0;  // the primary cell it protects
};

// The attacker's LP over a set of cells that every relation touching them lies in (a group of
// suppressed cells, or a whole sub-table): each of those cells is a variable, free (≥ 0,
// unbounded above) while suppressed and fixed at its count while published; cells outside the
// set are published constants; every relation touching the set is an equation. Publishing or
// suppressing a cell changes only its bounds, so a solve is warm-started from the previous
// basis even after the pattern changed.
class AttackerLp {
 public:
  // Precondition: `cells` ascending; every cell outside it that shares a relation with one of
  // them is published.
  AttackerLp(const Table& table, std::span<const CellId> cells,
             const std::vector<char>& suppressed);
  ~AttackerLp();
  AttackerLp(const AttackerLp&) = delete;
  AttackerLp& operator=(const AttackerLp&) = delete;

  // Takes over the pattern `suppressed` (indexed by cell) for the LP's cells.
  void match(const std::vector<char>& suppressed);

  // Success: the largest (up) or smallest (down) value of `cell` consistent with the published
  // table; +infinity when unbounded. Failure (internal): the solver gave no answer.
  // Precondition: `cell` is one of the LP's cells and suppressed.
  Result<double> extreme(CellId cell, Direction direction);

  // The cut read from the duals of the last extreme(cell, direction), which must have been
  // finite, over the relations of the cell's suppressed group. Coefficients are capped at
  // `requirement` (valid for binary x). Cells outside the LP are published for good (public
  // before) and get no term.
  Cut cut(CellId cell, Direction direction, double requirement) const;

 private:
  int column_of(CellId cell) const;  // −1 outside the LP
  bool is_suppressed(CellId cell) const;
  std::vector<std::size_t> group_rows(CellId cell) const;

  const Table& table_;
  std::vector<CellId> cells_;
  std::vector<char> suppressed_;   // per column
  std::vector<std::size_t> rows_;  // relation index of each LP row
  std::unique_ptr<ClpSimplex> model_;
  int objective_column_ = -1;
};

// The suppressed cells grouped by connection through relations (each group ascending).
std::vector<std::vector<CellId>> suppressed_groups(const Table& table,
                                                   const std::vector<char>& suppressed);

// The suppressed cells connected to `cell` through relations (ascending, `cell` included).
// Precondition: `cell` is suppressed.
std::vector<CellId> group_of(const Table& table, const std::vector<char>& suppressed, CellId cell);

// Success: a violated cut for every (primary, direction) that is not protected under the LP's
// pattern, or the first `limit` of them; empty when all `primaries` are protected.
// Failure (internal): solver failure. Precondition: `primaries` are suppressed cells of `lp`.
Result<std::vector<Cut>> violated_cuts(AttackerLp& lp, const Table& table,
                                       std::span<const Protection> requirements,
                                       std::span<const CellId> primaries,
                                       std::size_t limit = std::numeric_limits<std::size_t>::max());

}  // namespace ik::disclosure
