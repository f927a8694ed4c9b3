// The attacker's linear programs (COIN-OR CLP): the audit and the cut separation of the planner.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>

#include "disclosure/disclosure.hpp"
#include "disclosure/internal.hpp"

namespace ik::disclosure {
namespace {

// Union-find over cells, joined by relations.
class Groups {
 public:
  explicit Groups(std::size_t size) : parent_(size) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t root(std::size_t cell) {
    while (parent_[cell] != cell) cell = parent_[cell] = parent_[parent_[cell]];
    return cell;
  }
  void join(std::size_t first, std::size_t second) { parent_[root(first)] = root(second); }

 private:
  std::vector<std::size_t> parent_;
};

double coefficient_in(const Relation& relation, CellId cell) {
  return cell == relation.total ? -1.0 : 1.0;
}

}  // namespace

std::vector<std::vector<CellId>> suppressed_groups(const Table& table,
                                                   const std::vector<char>& suppressed) {
  Groups groups(table.size());
  for (const auto& relation : table.relations()) {
    std::optional<CellId> first;
    const auto link = [&](CellId cell) {
      if (!suppressed[cell]) return;
      if (first) groups.join(cell, *first); else first = cell;
    };
    link(relation.total);
    for (const CellId part : relation.parts) link(part);
  }
  std::vector<std::vector<CellId>> by_root(table.size());
  for (CellId cell = 0; cell < table.size(); ++cell)
    if (suppressed[cell]) by_root[groups.root(cell)].push_back(cell);
  std::vector<std::vector<CellId>> result;
  for (auto& group : by_root)
    if (!group.empty()) result.push_back(std::move(group));
  return result;
}

namespace {

// The suppressed cells connected to `start` through relations, and those relations (both
// ascending). `suppressed(cell)` says whether a cell is suppressed.
template <typename IsSuppressed>
std::pair<std::vector<CellId>, std::vector<std::size_t>> connected(const Table& table,
                                                                   CellId start,
                                                                   IsSuppressed suppressed) {
  std::vector<CellId> cells{start};
  std::vector<std::size_t> relations;
  std::vector<char> seen_cell(table.size(), 0), seen_relation(table.relations().size(), 0);
  seen_cell[start] = 1;
  for (std::size_t next = 0; next < cells.size(); ++next) {
    for (const std::size_t index : table.relations_of(cells[next])) {
      if (seen_relation[index]) continue;
      seen_relation[index] = 1;
      relations.push_back(index);
      const Relation& relation = table.relations()[index];
      const auto reach = [&](CellId cell) {
        if (seen_cell[cell] || !suppressed(cell)) return;
        seen_cell[cell] = 1;
        cells.push_back(cell);
      };
      reach(relation.total);
      for (const CellId part : relation.parts) reach(part);
    }
  }
  std::sort(cells.begin(), cells.end());
  std::sort(relations.begin(), relations.end());
  return {std::move(cells), std::move(relations)};
}

// Rows: one per relation index in `rows`; columns: `cells` (ascending), bounded by `suppressed`
// (per column).
std::unique_ptr<ClpSimplex> build_attacker_model(const Table& table,
                                                 const std::vector<CellId>& cells,
                                                 const std::vector<char>& suppressed,
                                                 const std::vector<std::size_t>& rows) {
  std::vector<int> row_indices;
  std::vector<int> column_indices;
  std::vector<double> elements;
  std::vector<double> rhs(rows.size(), 0.0);
  for (std::size_t row = 0; row < rows.size(); ++row) {
    const Relation& relation = table.relations()[rows[row]];
    const auto add = [&](CellId cell) {
      const double coefficient = coefficient_in(relation, cell);
      const auto found = std::lower_bound(cells.begin(), cells.end(), cell);
      if (found == cells.end() || *found != cell) {
        rhs[row] -= coefficient * static_cast<double>(table.count(cell));
        return;
      }
      row_indices.push_back(static_cast<int>(row));
      column_indices.push_back(static_cast<int>(found - cells.begin()));
      elements.push_back(coefficient);
    };
    add(relation.total);
    for (const CellId part : relation.parts) add(part);
  }
  const CoinPackedMatrix matrix(true, row_indices.data(), column_indices.data(), elements.data(),
                                static_cast<CoinBigIndex>(elements.size()));
  std::vector<double> column_lower(cells.size()), column_upper(cells.size());
  for (std::size_t column = 0; column < cells.size(); ++column) {
    const auto count = static_cast<double>(table.count(cells[column]));
    column_lower[column] = suppressed[column] ? 0.0 : count;
    column_upper[column] = suppressed[column] ? COIN_DBL_MAX : count;
  }
  const std::vector<double> objective(cells.size(), 0.0);
  auto model = std::make_unique<ClpSimplex>();
  model->setLogLevel(0);
  model->scaling(0);  // every coefficient is ±1
  model->loadProblem(matrix, column_lower.data(), column_upper.data(), objective.data(),
                     rhs.data(), rhs.data());
  return model;
}

}  // namespace

std::vector<CellId> group_of(const Table& table, const std::vector<char>& suppressed,
                             CellId cell) {
  return connected(table, cell, [&](CellId other) { return suppressed[other] != 0; }).first;
}

AttackerLp::AttackerLp(const Table& table, std::span<const CellId> cells,
                       const std::vector<char>& suppressed)
    : table_(table), cells_(cells.begin(), cells.end()), suppressed_(cells_.size()) {
  for (std::size_t column = 0; column < cells_.size(); ++column)
    suppressed_[column] = suppressed[cells_[column]] ? 1 : 0;
  for (const CellId cell : cells_)
    for (const std::size_t relation : table.relations_of(cell)) rows_.push_back(relation);
  std::sort(rows_.begin(), rows_.end());
  rows_.erase(std::unique(rows_.begin(), rows_.end()), rows_.end());
  // A cell in no relation has the range [0, ∞) without any LP.
  if (!rows_.empty()) model_ = build_attacker_model(table, cells_, suppressed_, rows_);
}

AttackerLp::~AttackerLp() = default;

int AttackerLp::column_of(CellId cell) const {
  const auto found = std::lower_bound(cells_.begin(), cells_.end(), cell);
  return found != cells_.end() && *found == cell ? static_cast<int>(found - cells_.begin()) : -1;
}

bool AttackerLp::is_suppressed(CellId cell) const {
  const int column = column_of(cell);
  return column >= 0 && suppressed_[static_cast<std::size_t>(column)];
}

void AttackerLp::match(const std::vector<char>& suppressed) {
  for (std::size_t column = 0; column < cells_.size(); ++column) {
    const char wanted = suppressed[cells_[column]] ? 1 : 0;
    if (suppressed_[column] == wanted) continue;
    suppressed_[column] = wanted;
    if (!model_) continue;
    const auto count = static_cast<double>(table_.count(cells_[column]));
    model_->setColumnBounds(static_cast<int>(column), wanted ? 0.0 : count,
                            wanted ? COIN_DBL_MAX : count);
  }
}

// CLP's startFinishOptions: keep the work areas and factorisation between solves and reuse
// them (bounds and objective changed through the model's setters are taken over).
constexpr int kKeepWorkAreas = 1 | 2 | 4;

Result<double> AttackerLp::extreme(CellId cell, Direction direction) {
  if (!model_) return direction == Direction::up ? infinity : 0.0;
  const int column = column_of(cell);
  if (objective_column_ >= 0) model_->setObjectiveCoefficient(objective_column_, 0.0);
  objective_column_ = column;
  // Always minimise, so that the dual signs read in cut() have one meaning.
  model_->setObjectiveCoefficient(column, direction == Direction::up ? -1.0 : 1.0);
  model_->primal(0, kKeepWorkAreas);
  if (model_->isProvenDualInfeasible() && direction == Direction::up) return infinity;
  if (!model_->isProvenOptimal())
    return Error::internal("attacker LP status " + std::to_string(model_->status()));
  return model_->primalColumnSolution()[column];
}

// Weak duality for the deviation z = y − a of the attacker's LP min c·z (c = ∓e_cell) with
// published z_j = 0 and suppressed −a_j ≤ z_j ≤ U: the distance the cell can move is at most
// Σ_j d_j·a_j·x_j over reduced costs d_j > 0 plus Σ_j |d_j|·U·x_j over d_j < 0, for every
// suppression pattern x. With U unbounded the second kind reaches any requirement, so it is
// capped there; capping the first kind as well keeps the cut valid for binary x.
// Only the relations of the cell's suppressed group count: the LP falls apart into one block
// per group, the objective lies in this one, and the duals of the other blocks (free in a
// degenerate optimum) would only add terms that weaken the cut.
Cut AttackerLp::cut(CellId cell, Direction direction, double requirement) const {
  const double* duals = model_->dualRowSolution();
  std::vector<std::pair<CellId, double>> reduced;
  for (const std::size_t relation_index : group_rows(cell)) {
    const Relation& relation = table_.relations()[relation_index];
    const auto row = std::lower_bound(rows_.begin(), rows_.end(), relation_index) - rows_.begin();
    const double dual = duals[row];
    reduced.emplace_back(relation.total, -coefficient_in(relation, relation.total) * dual);
    for (const CellId part : relation.parts)
      reduced.emplace_back(part, -coefficient_in(relation, part) * dual);
  }
  reduced.emplace_back(cell, direction == Direction::up ? -1.0 : 1.0);
  std::sort(reduced.begin(), reduced.end());
  Cut result{{}, requirement, cell};
  for (std::size_t index = 0; index < reduced.size();) {
    const CellId current = reduced[index].first;
    double reduced_cost = 0;
    for (; index < reduced.size() && reduced[index].first == current; ++index)
      reduced_cost += reduced[index].second;
    if (column_of(current) < 0) continue;  // public for good: x is 0 in every pattern
    double coefficient = 0;
    if (reduced_cost < -lp_tolerance) coefficient = requirement;
    else if (reduced_cost > lp_tolerance)
      coefficient = std::min(requirement, reduced_cost * static_cast<double>(table_.count(current)));
    if (coefficient > lp_tolerance) result.terms.emplace_back(current, coefficient);
  }
  return result;
}

std::vector<std::size_t> AttackerLp::group_rows(CellId cell) const {
  return connected(table_, cell, [&](CellId other) { return is_suppressed(other); }).second;
}

Result<std::vector<Cut>> violated_cuts(AttackerLp& lp, const Table& table,
                                       std::span<const Protection> requirements,
                                       std::span<const CellId> primaries, std::size_t limit) {
  std::vector<Cut> cuts;
  for (const CellId cell : primaries) {
    const Protection protection = requirements[cell];
    const double value = static_cast<double>(table.count(cell));
    for (const auto direction : {Direction::up, Direction::down}) {
      const double requirement = direction == Direction::up ? protection.upper : protection.lower;
      if (requirement <= 0) continue;
      const auto extreme = lp.extreme(cell, direction);
      if (!extreme) return extreme.error();
      const double reach = direction == Direction::up ? *extreme - value : value - *extreme;
      if (reach >= requirement - lp_tolerance) continue;
      cuts.push_back(lp.cut(cell, direction, requirement));
      if (cuts.size() >= limit) return cuts;
    }
  }
  return cuts;
}

namespace {

// The range of every cell of `cells` (suppressed groups of `suppressed`) through `visit(cell,
// low, high)`. Failure (internal): solver failure.
template <typename Visit>
Status ranges(const Table& table, const std::vector<char>& suppressed,
              const std::vector<char>& wanted, Visit visit) {
  for (const auto& group : suppressed_groups(table, suppressed)) {
    if (std::none_of(group.begin(), group.end(), [&](CellId cell) { return wanted[cell]; }))
      continue;
    AttackerLp lp(table, group, suppressed);
    for (const CellId cell : group) {
      if (!wanted[cell]) continue;
      const auto low = lp.extreme(cell, Direction::down);
      if (!low) return low.error();
      const auto high = lp.extreme(cell, Direction::up);
      if (!high) return high.error();
      visit(cell, *low, *high);
    }
  }
  return {};
}

}  // namespace

Result<Requirements> requirements_for(const Table& table, const ResolvedRules& rules,
                                      const std::vector<CellStatus>& status,
                                      std::span<const Prior> prior) {
  Requirements result{std::vector<Protection>(table.size(), Protection{0, 0}),
                      std::vector<char>(table.size(), 0)};
  std::vector<char> primary(table.size(), 0);
  for (CellId cell = 0; cell < table.size(); ++cell) {
    if (status[cell] != CellStatus::primary) continue;
    primary[cell] = 1;
    result.of_cell[cell] = protection_of(table, rules, cell);
  }
  if (std::none_of(prior.begin(), prior.end(), [](Prior p) { return p == Prior::published; }))
    return result;
  // The widest ranges any release can leave: everything not public before withheld.
  std::vector<char> withheld(table.size(), 0);
  for (CellId cell = 0; cell < table.size(); ++cell) withheld[cell] = prior[cell] != Prior::published;
  IK_TRY(ranges(table, withheld, primary, [&](CellId cell, double low, double high) {
    Protection& protection = result.of_cell[cell];
    const double value = static_cast<double>(table.count(cell));
    const Protection left{std::max(0.0, high - value), std::max(0.0, value - low)};
    if (left.upper < protection.upper - lp_tolerance || left.lower < protection.lower - lp_tolerance)
      result.narrowed_before[cell] = 1;
    protection = {std::min(protection.upper, left.upper), std::min(protection.lower, left.lower)};
  }));
  return result;
}

Result<AuditReport> audit_against(const Table& table, const std::vector<CellStatus>& status,
                                  const Requirements& requirements) {
  std::vector<char> suppressed(table.size(), 0);
  for (CellId cell = 0; cell < table.size(); ++cell)
    suppressed[cell] = status[cell] != CellStatus::published;
  AuditReport report;
  IK_TRY(ranges(table, suppressed, suppressed, [&](CellId cell, double low, double high) {
    CellInterval interval{cell, low, high, status[cell] == CellStatus::primary, true, false};
    if (interval.primary) {
      const Protection protection = requirements.of_cell[cell];
      const double value = static_cast<double>(table.count(cell));
      interval.is_protected = interval.high >= value + protection.upper - lp_tolerance &&
                              interval.low <= value - protection.lower + lp_tolerance;
      interval.narrowed_before = requirements.narrowed_before[cell] != 0;
    }
    report.all_protected = report.all_protected && interval.is_protected;
    report.intervals.push_back(interval);
  }));
  std::sort(report.intervals.begin(), report.intervals.end(),
            [](const CellInterval& a, const CellInterval& b) { return a.cell < b.cell; });
  return report;
}

Result<AuditReport> audit(const Table& table, const DisclosureRules& rules,
                          const std::vector<CellStatus>& status, std::span<const Prior> prior) {
  const auto resolved = resolve_rules(rules);
  if (!resolved) return resolved.error();
  if (status.size() != table.size()) return Error::invalid("status", "disclosure.wrong_cell_count");
  const auto known = resolve_prior(table, prior);
  if (!known) return known.error();
  const auto requirements = requirements_for(table, *resolved, status, *known);
  if (!requirements) return requirements.error();
  return audit_against(table, status, *requirements);
}

}  // namespace ik::disclosure
