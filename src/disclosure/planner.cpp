// Secondary suppression. The table falls apart into independent sub-tables (cells linked by
// relations); each is solved on its own.
//
// Exact: the Fischetti–Salazar model. A master ILP (COIN-OR CBC) chooses suppression
// indicators x minimising persons hidden, subject to capacity cuts; the attacker's LPs for every
// primary cell and direction are then solved under the master's pattern, and each one that is
// not protected yields a cut from its duals which the pattern violates. Repeat until no cut is
// violated: the pattern is then both protected and optimal.
//
// Heuristic: start from the primary cells; while an attacker LP finds narrow ranges, satisfy
// their cuts greedily by the cells adding the most capacity per person hidden; release
// secondary cells (largest first) whose release keeps every primary cell protected; then, in
// passes over all sub-tables as long as time allows and a pass finds something, try to publish
// each secondary cell (largest first) by protecting the table again without it, and keep the
// pattern when it hides fewer persons.
#include <algorithm>
#include <chrono>
#include <deque>
#include <iterator>
#include <numeric>
#include <span>

#include <CbcModel.hpp>
#include <CoinPackedMatrix.hpp>
#include <CoinPackedVector.hpp>
#include <OsiClpSolverInterface.hpp>

#include "disclosure/disclosure.hpp"
#include "disclosure/internal.hpp"

namespace ik::disclosure {
namespace {

using Clock = std::chrono::steady_clock;

// One independent sub-table: its cells (ascending), the primary cells among them and the cells
// withheld before that stay withheld (`fixed`).
struct SubTable {
  std::vector<CellId> cells;
  std::vector<CellId> primaries;
  std::vector<CellId> fixed;
};

// Cells public before are constants to the attacker, so they do not link the cells around them:
// the sub-tables are connected through the other cells only.
std::vector<SubTable> sub_tables(const Table& table, const std::vector<CellStatus>& status,
                                 const std::vector<Prior>& prior) {
  std::vector<char> undecided(table.size(), 0);
  for (CellId cell = 0; cell < table.size(); ++cell)
    undecided[cell] = prior[cell] != Prior::published;
  std::vector<SubTable> result;
  for (auto& cells : suppressed_groups(table, undecided)) {
    SubTable sub{std::move(cells), {}, {}};
    bool decides = false;
    for (const CellId cell : sub.cells) {
      if (status[cell] == CellStatus::primary) sub.primaries.push_back(cell);
      if (prior[cell] == Prior::withheld) sub.fixed.push_back(cell);
      decides = decides || prior[cell] == Prior::open;
    }
    // A sub-table of earlier releases only is as they left it: nothing to decide.
    if (decides && !sub.primaries.empty()) result.push_back(std::move(sub));
  }
  return result;
}

// What the search over one sub-table works with. The attacker's LP is kept for the whole
// search and matched to each pattern before it is asked, so that its solves stay warm.
struct Search {
  const Table& table;
  std::span<const Protection> requirements;  // by cell
  const SubTable& sub;
  AttackerLp lp;

  Search(const Table& of_table, std::span<const Protection> with_requirements,
         const SubTable& over, const std::vector<char>& suppressed)
      : table(of_table),
        requirements(with_requirements),
        sub(over),
        lp(of_table, over.cells, suppressed) {}

  // See violated_cuts.
  Result<std::vector<Cut>> violated(const std::vector<char>& suppressed,
                                    std::span<const CellId> primaries,
                                    std::size_t limit = std::numeric_limits<std::size_t>::max()) {
    lp.match(suppressed);
    return violated_cuts(lp, table, requirements, primaries, limit);
  }
};

// Persons hidden first; a zero cell costs less than one person in total over the sub-table.
double cost_of(const Table& table, CellId cell, std::size_t sub_table_size) {
  const std::int64_t count = table.count(cell);
  return count > 0 ? static_cast<double>(count) : 1.0 / static_cast<double>(sub_table_size + 1);
}

double lhs_of(const Cut& cut, const std::vector<char>& suppressed) {
  double sum = 0;
  for (const auto& [cell, coefficient] : cut.terms)
    if (suppressed[cell]) sum += coefficient;
  return sum;
}

Error defect(std::string detail) { return Error::internal("disclosure: " + std::move(detail)); }

// Every cut must exclude the pattern it came from, or the loops below would not progress.
Status check_violated(const std::vector<Cut>& cuts, const std::vector<char>& suppressed) {
  for (const auto& cut : cuts)
    if (lhs_of(cut, suppressed) >= cut.rhs - lp_tolerance) return defect("cut not violated");
  return {};
}

// A primary cell in a relation whose other cells are all published is derived exactly. Cells
// outside the sub-table are public before and cannot be withheld (where they are all the
// others, the history pins the cell and its requirement is zero).
std::vector<Cut> relation_cuts(const Search& search) {
  const Table& table = search.table;
  const SubTable& sub = search.sub;
  const auto in_sub = [&](CellId cell) {
    return std::binary_search(sub.cells.begin(), sub.cells.end(), cell);
  };
  std::vector<Cut> cuts;
  for (const CellId primary : sub.primaries) {
    const Protection protection = search.requirements[primary];
    if (protection.upper <= 0 && protection.lower <= 0) continue;
    for (const std::size_t index : table.relations_of(primary)) {
      const Relation& relation = table.relations()[index];
      Cut cut{{}, 1.0};
      const auto add = [&](CellId cell) {
        if (cell != primary && in_sub(cell)) cut.terms.emplace_back(cell, 1.0);
      };
      add(relation.total);
      for (const CellId part : relation.parts) add(part);
      if (!cut.terms.empty()) cuts.push_back(std::move(cut));
    }
  }
  return cuts;
}

struct MasterResult {
  std::vector<char> suppressed;
  bool optimal = false;
};

// Solves the master ILP over the sub-table's cells. Success with optimal = false: time ran out.
// `incumbent`, a protected pattern, satisfies every cut and bounds the search from the start.
Result<MasterResult> solve_master(const Table& table, const SubTable& sub,
                                  const std::vector<Cut>& cuts, double seconds,
                                  const std::vector<char>& incumbent,
                                  std::vector<char> suppressed) {
  const std::size_t size = sub.cells.size();
  const auto column_of = [&](CellId cell) {
    return static_cast<int>(std::lower_bound(sub.cells.begin(), sub.cells.end(), cell) -
                            sub.cells.begin());
  };
  std::vector<double> lower(size, 0.0), upper(size, 1.0), objective(size);
  for (std::size_t column = 0; column < size; ++column)
    objective[column] = cost_of(table, sub.cells[column], size);
  for (const CellId primary : sub.primaries) lower[static_cast<std::size_t>(column_of(primary))] = 1.0;
  for (const CellId fixed : sub.fixed) {
    const auto column = static_cast<std::size_t>(column_of(fixed));
    lower[column] = 1.0;
    objective[column] = 0.0;  // hidden before: no part of this release's cost
  }

  CoinPackedMatrix matrix(false, 0, 0);
  matrix.setDimensions(0, static_cast<int>(size));
  std::vector<double> row_lower, row_upper;
  for (const auto& cut : cuts) {
    CoinPackedVector row;
    for (const auto& [cell, coefficient] : cut.terms) row.insert(column_of(cell), coefficient);
    matrix.appendRow(row);
    row_lower.push_back(cut.rhs - lp_tolerance);
    row_upper.push_back(COIN_DBL_MAX);
  }
  OsiClpSolverInterface solver;
  solver.loadProblem(matrix, lower.data(), upper.data(), objective.data(), row_lower.data(),
                     row_upper.data());
  for (int column = 0; column < static_cast<int>(size); ++column) solver.setInteger(column);
  solver.messageHandler()->setLogLevel(0);

  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.setUseElapsedTime(true);  // the deadline is wall-clock time
  model.setMaximumSeconds(std::max(seconds, 0.01));
  model.setAllowableGap(1e-9);
  model.setAllowableFractionGap(0.0);
  std::vector<double> start(size);
  double start_cost = 0;
  for (std::size_t column = 0; column < size; ++column) {
    start[column] = incumbent[sub.cells[column]] ? 1.0 : 0.0;
    start_cost += start[column] * objective[column];
  }
  model.setBestSolution(start.data(), static_cast<int>(size), start_cost);
  model.branchAndBound();
  if (!model.isProvenOptimal()) {
    if (model.isSecondsLimitReached() || model.isNodeLimitReached()) return MasterResult{};
    return defect("master ILP status " + std::to_string(model.status()));
  }
  const double* solution = model.bestSolution();
  if (!solution) return defect("master ILP without solution");
  for (std::size_t column = 0; column < size; ++column)
    suppressed[sub.cells[column]] = solution[column] > 0.5;
  return MasterResult{std::move(suppressed), true};
}

// Success: true when solved to optimality, false when the deadline came first (the pattern is
// then left untouched).
Result<bool> solve_exact(Search& search, Clock::time_point deadline,
                         const std::vector<char>& incumbent, std::vector<char>& suppressed) {
  auto cuts = relation_cuts(search);
  for (;;) {
    const double seconds = std::chrono::duration<double>(deadline - Clock::now()).count();
    if (seconds <= 0) return false;
    auto master = solve_master(search.table, search.sub, cuts, seconds, incumbent, suppressed);
    if (!master) return master.take_error();
    if (!master->optimal) return false;
    auto violated = search.violated(master->suppressed, search.sub.primaries);
    if (!violated) return violated.take_error();
    if (violated->empty()) {
      suppressed = std::move(master->suppressed);
      return true;
    }
    IK_TRY(check_violated(*violated, master->suppressed));
    cuts.insert(cuts.end(), violated->begin(), violated->end());
  }
}

// Satisfies all violated cuts together, as a weighted set cover: each step suppresses the cell
// that adds the most missing capacity over all cuts per person hidden. A cell in several cuts
// is worth more than one cell per cut, which satisfying the cuts one after another misses.
// False when a cut cannot be satisfied without the `excluded` cell.
bool satisfy_greedily(const Table& table, const SubTable& sub, const std::vector<Cut>& cuts,
                      CellId excluded, std::vector<char>& suppressed) {
  std::vector<double> missing(cuts.size());
  for (std::size_t index = 0; index < cuts.size(); ++index)
    missing[index] = cuts[index].rhs - lhs_of(cuts[index], suppressed);
  for (;;) {
    std::vector<std::pair<CellId, double>> gain;  // per cell: capacity added over all cuts
    for (std::size_t index = 0; index < cuts.size(); ++index) {
      if (missing[index] <= lp_tolerance) continue;
      for (const auto& [cell, coefficient] : cuts[index].terms)
        if (!suppressed[cell] && cell != excluded)
          gain.emplace_back(cell, std::min(coefficient, missing[index]));
    }
    if (gain.empty())
      return std::none_of(missing.begin(), missing.end(),
                          [](double rest) { return rest > lp_tolerance; });
    std::sort(gain.begin(), gain.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    CellId best = gain.front().first;
    double best_ratio = -1;
    for (std::size_t begin = 0; begin < gain.size();) {
      std::size_t end = begin;
      double total = 0;
      for (; end < gain.size() && gain[end].first == gain[begin].first; ++end)
        total += gain[end].second;
      const double ratio = total / cost_of(table, gain[begin].first, sub.cells.size());
      if (ratio > best_ratio) best = gain[begin].first, best_ratio = ratio;
      begin = end;
    }
    suppressed[best] = 1;
    for (std::size_t index = 0; index < cuts.size(); ++index)
      for (const auto& [cell, coefficient] : cuts[index].terms)
        if (cell == best) missing[index] -= coefficient;
  }
}

// The suppressed cells of the sub-table that are neither primary nor withheld before, largest
// first: the ones the search may publish again.
std::vector<CellId> secondary_cells(const Table& table, const SubTable& sub,
                                    const std::vector<char>& suppressed) {
  std::vector<CellId> secondary;
  for (const CellId cell : sub.cells)
    if (suppressed[cell] && !std::binary_search(sub.primaries.begin(), sub.primaries.end(), cell) &&
        !std::binary_search(sub.fixed.begin(), sub.fixed.end(), cell))
      secondary.push_back(cell);
  std::stable_sort(secondary.begin(), secondary.end(), [&](CellId a, CellId b) {
    return cost_of(table, a, sub.cells.size()) > cost_of(table, b, sub.cells.size());
  });
  return secondary;
}

// The primary cells in the suppressed group of `cell`: the only ones whose protection
// publishing `cell` can change (the attacker's LP of every other group stays as it was).
std::vector<CellId> primaries_beside(const Table& table, const SubTable& sub,
                                     const std::vector<char>& suppressed, CellId cell) {
  const auto group = group_of(table, suppressed, cell);
  std::vector<CellId> primaries;
  std::set_intersection(group.begin(), group.end(), sub.primaries.begin(), sub.primaries.end(),
                        std::back_inserter(primaries));
  return primaries;
}

// Whether publishing `cell` would leave a primary cell (that needs protection) the only
// suppressed cell of one of `cell`'s relations: the attacker would have it exactly. This needs no
// LP and rules out most candidates that cannot be released.
bool leaves_a_primary_alone(const Search& search, const std::vector<char>& suppressed,
                            CellId cell) {
  const Table& table = search.table;
  for (const std::size_t index : table.relations_of(cell)) {
    const Relation& relation = table.relations()[index];
    std::size_t withheld = 0;
    CellId last = cell;
    const auto count = [&](CellId other) {
      if (other != cell && suppressed[other]) ++withheld, last = other;
    };
    count(relation.total);
    for (const CellId part : relation.parts) count(part);
    if (withheld != 1) continue;
    const Protection& needs = search.requirements[last];
    if (needs.upper > 0 || needs.lower > 0) return true;
  }
  return false;
}

// Publishes each of `candidates` (in order) whose release keeps every primary cell protected.
// Precondition: the pattern protects every primary cell.
Status release_redundant(Search& search, const std::vector<CellId>& candidates,
                         std::vector<char>& suppressed) {
  for (const CellId cell : candidates) {
    if (leaves_a_primary_alone(search, suppressed, cell)) continue;
    const auto affected = primaries_beside(search.table, search.sub, suppressed, cell);
    suppressed[cell] = 0;
    auto violated = search.violated(suppressed, affected, 1);
    if (!violated) return violated.take_error();
    if (!violated->empty()) suppressed[cell] = 1;
  }
  return {};
}

// Suppresses more cells until every one of `primaries` is protected, never `excluded`
// (suppressing more never takes protection away, so the other primary cells keep theirs).
// Success: false when that is impossible without `excluded`.
Result<bool> repair(Search& search, std::span<const CellId> primaries, CellId excluded,
                    std::vector<char>& suppressed) {
  std::vector<CellId> unprotected(primaries.begin(), primaries.end());
  for (;;) {
    auto violated = search.violated(suppressed, unprotected);
    if (!violated) return violated.take_error();
    if (violated->empty()) return true;
    IK_TRY(check_violated(*violated, suppressed));
    // Suppressing more never takes protection away: only these need looking at again.
    unprotected.clear();
    for (const Cut& cut : *violated) unprotected.push_back(cut.cell);
    unprotected.erase(std::unique(unprotected.begin(), unprotected.end()), unprotected.end());
    if (!satisfy_greedily(search.table, search.sub, *violated, excluded, suppressed)) return false;
  }
}

double pattern_cost(const Table& table, const SubTable& sub, const std::vector<char>& suppressed) {
  double cost = 0;
  for (const CellId cell : sub.cells)
    if (suppressed[cell]) cost += cost_of(table, cell, sub.cells.size());
  return cost;
}

// The secondary cells of `trial` (largest first) whose release may have become possible since
// `before`, a pattern without redundant cells that `trial` derives from by publishing `cell`
// and suppressing more: those in a suppressed group of `trial` that holds a newly suppressed
// cell or a cell of `cell`'s former group. Every other group is as it was in `before`, and
// none of its cells could be released there.
std::vector<CellId> release_candidates(const Table& table, const SubTable& sub,
                                       const std::vector<char>& before,
                                       const std::vector<char>& trial, CellId cell) {
  std::vector<CellId> changed = group_of(table, before, cell);
  for (const CellId other : sub.cells)
    if (trial[other] && !before[other]) changed.push_back(other);
  std::vector<char> near(table.size(), 0);
  for (const CellId start : changed) {
    if (!trial[start] || near[start]) continue;
    for (const CellId member : group_of(table, trial, start)) near[member] = 1;
  }
  auto candidates = secondary_cells(table, sub, trial);
  std::erase_if(candidates, [&](CellId candidate) { return !near[candidate]; });
  return candidates;
}

enum class Pass { improved, nothing_kept, cut_off };

// One pass of the local search until `deadline`: publish each secondary cell (largest first),
// protect again without it, release what became redundant; keep the result when it hides fewer
// persons.
Result<Pass> swap_out(Search& search, Clock::time_point deadline, std::vector<char>& suppressed) {
  const Table& table = search.table;
  const SubTable& sub = search.sub;
  double cost = pattern_cost(table, sub, suppressed);
  bool improved = false;
  for (const CellId cell : secondary_cells(table, sub, suppressed)) {
    if (Clock::now() >= deadline) return Pass::cut_off;
    if (!suppressed[cell]) continue;
    const auto affected = primaries_beside(table, sub, suppressed, cell);
    auto trial = suppressed;
    trial[cell] = 0;
    auto repaired = repair(search, affected, cell, trial);
    if (!repaired) return repaired.take_error();
    if (!*repaired) continue;
    IK_TRY(release_redundant(search, release_candidates(table, sub, suppressed, trial, cell),
                             trial));
    const double trial_cost = pattern_cost(table, sub, trial);
    if (trial_cost < cost - lp_tolerance)
      suppressed = std::move(trial), cost = trial_cost, improved = true;
  }
  return improved ? Pass::improved : Pass::nothing_kept;
}

// A protected pattern for the sub-table: greedy from the attacker's duals, redundant cells
// released.
Status protect_greedily(Search& search, std::vector<char>& suppressed) {
  const CellId no_cell = search.table.size();
  auto repaired = repair(search, search.sub.primaries, no_cell, suppressed);
  if (!repaired) return repaired.take_error();
  return release_redundant(search, secondary_cells(search.table, search.sub, suppressed),
                           suppressed);
}

// Local search over all sub-tables in rounds of one pass each, until a pass keeps nothing in
// every sub-table or `deadline` comes. Each pass gets an equal share of the round's time left,
// so that every sub-table has its first pass before any has a second.
Status improve_locally(std::deque<Search>& searches, Clock::time_point deadline,
                       std::vector<char>& suppressed) {
  std::vector<char> done(searches.size(), 0);
  for (;;) {
    auto open = static_cast<long>(std::count(done.begin(), done.end(), 0));
    if (open == 0) return {};
    for (std::size_t index = 0; index < searches.size(); ++index) {
      if (done[index]) continue;
      const auto now = Clock::now();
      if (now >= deadline) return {};
      auto pass = swap_out(searches[index], now + (deadline - now) / open--, suppressed);
      if (!pass) return pass.take_error();
      done[index] = *pass == Pass::nothing_kept;
    }
  }
}

}  // namespace

Result<SuppressionPlan> plan_suppression(const Table& table, const DisclosureRules& rules,
                                         const PlanOptions& options,
                                         std::span<const Prior> given_prior) {
  const auto resolved = resolve_rules(rules);
  if (!resolved) return resolved.error();
  const auto prior = resolve_prior(table, given_prior);
  if (!prior) return prior.error();
  auto primary = primary_suppression(table, rules, *prior);
  if (!primary) return primary.take_error();

  SuppressionPlan plan;
  plan.status = std::move(primary).value();
  plan.proven_optimal = options.mode != PlanMode::heuristic;
  plan.method = options.mode == PlanMode::heuristic ? Method::heuristic : Method::exact;
  const auto requirements = requirements_for(table, *resolved, plan.status, *prior);
  if (!requirements) return requirements.error();
  std::vector<char> suppressed(table.size(), 0);
  for (CellId cell = 0; cell < table.size(); ++cell)
    suppressed[cell] =
        plan.status[cell] == CellStatus::primary || (*prior)[cell] == Prior::withheld;

  // The heuristic runs first in every mode: its pattern is the exact search's incumbent and the
  // fallback when time runs out. Outside exact mode its local search may use all the time; when
  // it ends earlier (a pass kept nothing in any sub-table), the exact search of each sub-table
  // gets an equal share of the time left (exact mode: all of it).
  const auto deadline = Clock::now() + options.time_limit;
  const auto subs = sub_tables(table, plan.status, *prior);
  std::deque<Search> searches;
  for (const auto& sub : subs) {
    searches.emplace_back(table, requirements->of_cell, sub, suppressed);
    IK_TRY(protect_greedily(searches.back(), suppressed));
  }
  if (options.mode != PlanMode::exact) IK_TRY(improve_locally(searches, deadline, suppressed));
  if (options.mode != PlanMode::heuristic) {
    const auto heuristic = suppressed;
    for (std::size_t index = 0; index < searches.size(); ++index) {
      const auto now = Clock::now();
      const auto until = options.mode == PlanMode::exact
                             ? deadline
                             : now + (deadline - now) / static_cast<long>(searches.size() - index);
      auto solved = solve_exact(searches[index], until, heuristic, suppressed);
      if (!solved) return solved.take_error();
      if (*solved) continue;
      if (options.mode == PlanMode::exact)
        return Error{ErrorCode::unavailable, "disclosure.time_limit", {},
                     "exact secondary suppression did not finish in time"};
      plan.method = Method::heuristic;
      plan.proven_optimal = false;
    }
  }

  for (CellId cell = 0; cell < table.size(); ++cell) {
    if (!suppressed[cell]) continue;
    if (plan.status[cell] == CellStatus::published) plan.status[cell] = CellStatus::secondary;
    if ((*prior)[cell] == Prior::open) plan.persons_hidden += table.count(cell);
  }
  auto report = audit_against(table, plan.status, *requirements);
  if (!report) return report.take_error();
  if (!report->all_protected) return defect("the plan failed its own audit");
  plan.audit = std::move(report).value();
  return plan;
}

}  // namespace ik::disclosure
