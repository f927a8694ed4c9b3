// Statistical disclosure control for published count tables: primary suppression (minimum-cell
// and cell-equals-total rules), secondary suppression chosen by optimisation so that no
// suppressed cell can be narrowed below its protection interval by any combination of the
// published figures, and an LP audit of the result. Pure: a table in, a plan and an audit out.
// Reported data is never changed; the plan only says which figures to withhold.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace ik::disclosure {

using CellId = std::size_t;

// "total = sum of parts", a margin of the table.
struct Relation {
  CellId total = 0;
  std::vector<CellId> parts;
};

// Counts must be ≤ this so that every LP computation on them is exact in double precision.
inline constexpr std::int64_t max_count = 1'000'000'000'000;

// An immutable, validated table: exact counts and the additive relations between them.
class Table {
 public:
  // Success: the table. Failure (invalid_input): a count is negative or above max_count
  // ("disclosure.invalid_count"), a relation names an unknown cell ("disclosure.unknown_cell"),
  // has no parts, repeats a cell or contains its own total ("disclosure.malformed_relation"),
  // or its parts do not add up to its total ("disclosure.relation_not_additive"). `detail`
  // names the offending cell or relation.
  static Result<Table> create(std::vector<std::int64_t> counts, std::vector<Relation> relations);

  std::size_t size() const { return counts_.size(); }
  std::int64_t count(CellId cell) const { return counts_.at(cell); }
  const std::vector<Relation>& relations() const { return relations_; }
  // Indices into relations() of every relation the cell takes part in (as total or part).
  const std::vector<std::size_t>& relations_of(CellId cell) const { return relations_of_.at(cell); }

 private:
  Table() = default;
  std::vector<std::int64_t> counts_;
  std::vector<Relation> relations_;
  std::vector<std::vector<std::size_t>> relations_of_;
};

// A category of a dimension; a category with children is their total. Categories without a
// parent are roots: a dimension with one root has a grand total, one with several roots (e.g.
// years, which do not add up) has none.
struct Category {
  std::string label;
  std::optional<std::size_t> parent;  // index of the parent category; must come before this one
};

struct Dimension {
  std::string name;
  std::vector<Category> categories;
};

// An N-dimensional cross table whose cells are all combinations of categories, with every
// margin relation (in every dimension, at every level of the hierarchy) generated.
class CrossTable {
 public:
  // `counts` lists every combination in row-major order (the last dimension varies fastest),
  // totals included. Failure (invalid_input): no dimension, an empty dimension or a parent that
  // does not come before its child ("disclosure.invalid_dimensions"), the number of counts is
  // not the product of the dimension sizes ("disclosure.wrong_cell_count"), or any error of
  // Table::create.
  static Result<CrossTable> create(std::vector<Dimension> dimensions,
                                   std::vector<std::int64_t> counts);

  const Table& table() const { return table_; }
  const std::vector<Dimension>& dimensions() const { return dimensions_; }
  // The cell at one category index per dimension. Precondition: valid coordinates.
  CellId cell(std::span<const std::size_t> coordinates) const;

 private:
  CrossTable(std::vector<Dimension> dimensions, Table table)
      : dimensions_(std::move(dimensions)), table_(std::move(table)) {}
  std::vector<Dimension> dimensions_;
  Table table_;
};

// Publication rules. The protection interval is absolute (persons): for a primary cell with
// value v the attacker's derivable range [lo, hi] must reach hi ≥ v + upper and
// lo ≤ max(0, v − lower). Where v − lower < 0 the attacker only has to be unable to rule out
// that the cell is empty (lo = 0), because no count can go below zero.
struct DisclosureRules {
  std::int64_t minimum_count = 5;  // counts 1..minimum_count−1 are primary; 0 is not
  // A count > 0 equal to the total of a relation with ≥ 2 parts is primary when that total is
  // below this ("everyone in the group has the trait"). Default 2 × the minimum: groups smaller
  // than that are small enough for an attribute to point at known persons; a relation with one
  // part is excluded because its part equals its total by construction.
  std::int64_t full_total_threshold = 10;
  std::optional<std::int64_t> upper_protection;  // default: minimum_count
  std::optional<std::int64_t> lower_protection;  // default: minimum_count
};

enum class CellStatus { published, primary, secondary };

// What the public already knows of a cell from earlier releases of the same figures. A table
// planned against its history holds the cells of every earlier release beside its own, linked
// by the relations of each release (see monitoring's figures_history.cpp).
enum class Prior {
  open,       // the plan decides: a cell of the release being planned, not public before
  published,  // public already (in an earlier release): published again, whatever its count
  withheld,   // a cell of earlier releases only, withheld there: stays withheld
};

// Success: the status of every cell (published or primary). A cell public before (`prior`
// published; an empty `prior` means every cell is open) is never primary: it cannot be taken
// back. Where such a cell equals the total of a small relation (everyone in the group has the
// trait), the total is primary instead, unless it is public too; and a part equal to its total
// is not primary when every other part (each a zero) was public before, which told the secret
// already. Failure (invalid_input):
// "disclosure.invalid_rules" for minimum_count < 1 or a negative threshold or protection,
// "disclosure.wrong_cell_count" for a `prior` that is neither empty nor one per cell.
Result<std::vector<CellStatus>> primary_suppression(const Table& table,
                                                    const DisclosureRules& rules,
                                                    std::span<const Prior> prior = {});

// The attacker's range for one suppressed cell, from the published cells, all relations and
// non-negativity. `high` is +infinity when the cell is unbounded above.
struct CellInterval {
  CellId cell = 0;
  double low = 0;
  double high = 0;
  bool primary = false;
  bool is_protected = true;  // primary cells only: the range meets the protection interval
  // Primary cells only: what was public before narrows the cell more than the protection allows
  // even where this release withholds every cell it may: rules made stricter since, a history
  // from before releases were planned together, or a cell that only this release's margins
  // make sensitive (a region's new sum of figures whose total an earlier release bounded). No
  // release can widen that again; the cell is then protected when this release narrows it no
  // further.
  bool narrowed_before = false;
};

struct AuditReport {
  std::vector<CellInterval> intervals;  // one per suppressed cell, ascending by cell
  bool all_protected = true;
};

// Success: the intervals of every non-published cell in `status` and whether every primary cell
// is protected (a failed protection is a result, not an error). With a `prior`, a primary cell's
// protection is what the history leaves of it (see CellInterval::narrowed_before). Failure:
// invalid_input when `status` or a non-empty `prior` does not have one entry per cell
// ("disclosure.wrong_cell_count") or the rules are invalid; internal when the LP solver fails.
Result<AuditReport> audit(const Table& table, const DisclosureRules& rules,
                          const std::vector<CellStatus>& status,
                          std::span<const Prior> prior = {});

enum class PlanMode {
  automatic,  // heuristic with local search, then exact per independent sub-table with the
              // time the local search left; the heuristic's pattern where that runs out
  exact,      // exact only: a sub-table that exceeds the time limit is an error
  heuristic,  // greedy from the attacker's LP duals, redundant cells released, then local
              // search until it finds nothing better or the time limit comes
};
enum class Method { exact, heuristic };

struct PlanOptions {
  PlanMode mode = PlanMode::automatic;
  std::chrono::milliseconds time_limit{10'000};  // for the whole plan (exact mode: the exact phase)
};

struct SuppressionPlan {
  std::vector<CellStatus> status;   // per cell
  std::int64_t persons_hidden = 0;  // sum of the counts of the suppressed open cells
  Method method = Method::exact;  // heuristic if any sub-table was solved heuristically
  bool proven_optimal = false;    // minimal persons hidden (then fewest zero cells) proven
  AuditReport audit;              // always all_protected in a returned plan
};

// Primary suppression, then the cheapest secondary suppression found (minimising persons
// hidden; a zero cell costs a small epsilon, so none is hidden needlessly), then the audit.
// With a `prior` (one per cell; empty: every cell open) only open cells are decided: cells
// public before stay published, cells withheld before stay withheld, and every primary cell
// of the history is protected as well as those of the release (as far as the history leaves
// it: CellInterval::narrowed_before). Withholding every open cell always protects, so a plan
// exists for every history.
// Success: a plan whose audit passed. Failure: invalid_input for invalid rules or a `prior`
// of the wrong size; unavailable ("disclosure.time_limit") when PlanMode::exact runs out of
// time; internal when a solver fails or the final audit does not pass (a defect: such a plan is
// never returned).
Result<SuppressionPlan> plan_suppression(const Table& table, const DisclosureRules& rules,
                                         const PlanOptions& options = {},
                                         std::span<const Prior> prior = {});

// Signs of German official statistics for table output.
enum class Sign {
  value,              // the figure itself is shown
  withheld,           // •  confidential (suppressed) or unknown
  nothing,            // –  nothing present (a true, published zero)
  unreliable,         // /  not reliable enough
  not_meaningful,     // x  not meaningful
  not_yet_available,  // …  not yet available
};

// The sign's text ("" for Sign::value).
std::string_view sign_text(Sign sign);

// How a cell is shown: suppressed → withheld (a suppressed zero too, or the sign would reveal
// it); published zero → nothing; otherwise the value. Precondition: cell < status.size().
Sign sign_for(const Table& table, const std::vector<CellStatus>& status, CellId cell);

}  // namespace ik::disclosure
