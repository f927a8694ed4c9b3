// Releases against their history: every release of a year's tables goes into one disclosure
// table, in which a figure is one cell however many releases show it, each release brings its
// own margins, and a cell's prior is what the earlier releases did with it.
//
// Two cells of two releases are the same figure when they are the same city, indicator version,
// category and trait, and have the same count; the totals of tables in one total_group are one
// figure too. Equal counts are taken for the same persons: that gives the attacker more, never
// less, than the truth, so the audit errs on the safe side. A corrected count is a figure of its
// own, tied to the margins of the releases that show it. A region's cell is the same figure
// only where it sums the same figures of the same cities: a region whose count merely equals
// that of another sum is another figure (their being equal is no margin anyone published).
#include <algorithm>
#include <compare>
#include <map>
#include <set>

#include "monitoring/figures.hpp"
#include "monitoring/figures_layout.hpp"

namespace ik::monitoring {
namespace {

using disclosure::CellId;
using disclosure::CellStatus;
using disclosure::Prior;
using internal::CellPlace;

// Where a figure stands: the same place in two releases holds the same persons.
struct Place {
  std::string scope;  // "<year>/<version id>", or "<year>/total/<group>" for a shared total
  bool region = false;
  std::vector<std::int64_t> cities;  // the city, or the cities the region sums
  std::int64_t category = 0;         // category id (0 in a shared total)
  Trait trait = Trait::all;
  auto operator<=>(const Place&) const = default;
};

struct FigureKey {
  Place place;
  std::int64_t count = 0;
  auto operator<=>(const FigureKey&) const = default;
};

Place place_in(const PublishedTable& table, const CellPlace& at) {
  const PublishedCity& city = table.cities[at.city];
  Place place;
  const std::string year = std::to_string(table.year);
  const bool shared_total = at.category == 0;
  place.scope = shared_total ? year + "/total/" + table.total_group
                             : year + "/" + std::to_string(table.version_id);
  place.region = city.region;
  place.cities = city.region ? table.region_includes : std::vector<std::int64_t>{city.id};
  std::sort(place.cities.begin(), place.cities.end());
  place.category = shared_total ? 0 : table.categories[at.category].id;
  place.trait = table.traits[at.trait];
  return place;
}

// One release in the model; `shown` (per cell) is empty for the release being planned.
struct Member {
  const PublishedTable* table = nullptr;
  disclosure::CrossTable cross;
  std::vector<char> shown;
};

Error invalid_release() { return Error::invalid("history", "figures.invalid_release"); }

// The release's cross table and which of its cells the public saw. Failure: the counts do not
// fit the table, or a figure shown differs from its count.
Result<Member> member_of(const Release& release) {
  const PublishedTable& table = release.table;
  if (table.cells.size() != table.cities.size() * table.categories.size())
    return invalid_release();
  auto cross = internal::cross_table_of(table, release.counts);
  if (!cross) return invalid_release();
  std::vector<char> shown(release.counts.size(), 0);
  for (CellId cell = 0; cell < release.counts.size(); ++cell) {
    const CellPlace at = internal::place_of(table, cell);
    const PublishedCount& count = table.cell(at.city, at.category).counts.at(at.trait);
    if (!count.value) continue;
    if (*count.value != release.counts[cell]) return invalid_release();
    shown[cell] = 1;
  }
  return Member{&table, std::move(*cross), std::move(shown)};
}

// Every figure of the members, with the relations of every member (each once).
struct Model {
  std::vector<std::int64_t> counts;                // per figure
  std::vector<std::vector<CellId>> figure_of;      // per member: its cell → figure
  std::vector<std::pair<std::size_t, CellId>> at;  // per figure: the last member and cell of it
  std::vector<disclosure::Relation> relations;
};

// What the members before `first_new` showed: their figures are public, the others `otherwise`.
std::vector<Prior> prior_of(const Model& model, const std::vector<Member>& members,
                            std::size_t first_new, Prior otherwise) {
  std::vector<Prior> prior(model.counts.size(), otherwise);
  for (std::size_t index = 0; index < first_new; ++index)
    for (CellId cell = 0; cell < members[index].shown.size(); ++cell)
      if (members[index].shown[cell]) prior[model.figure_of[index][cell]] = Prior::published;
  return prior;
}

// The key of a region's cell: its place, with the figures it sums in place of the cities.
FigureKey region_key(const Member& member, CellId cell, const std::vector<CellId>& figure_of) {
  const PublishedTable& table = *member.table;
  const CellPlace at = internal::place_of(table, cell);
  FigureKey key{place_in(table, at), member.cross.table().count(cell)};
  key.place.cities.clear();
  const std::size_t stride = table.categories.size() * table.traits.size();
  for (std::size_t city = 1; city < table.cities.size(); ++city)
    if (table.cities[city].member)
      key.place.cities.push_back(static_cast<std::int64_t>(figure_of[cell + city * stride]));
  std::sort(key.place.cities.begin(), key.place.cities.end());
  return key;
}

Model link(const std::vector<Member>& members) {
  Model model;
  std::map<FigureKey, CellId> figures;
  std::set<std::vector<CellId>> relations_seen;
  for (std::size_t index = 0; index < members.size(); ++index) {
    const Member& member = members[index];
    const disclosure::Table& table = member.cross.table();
    auto& figure_of = model.figure_of.emplace_back(table.size());
    const auto assign = [&](CellId cell, const FigureKey& key) {
      const auto [found, added] = figures.try_emplace(key, model.counts.size());
      if (added) {
        model.counts.push_back(table.count(cell));
        model.at.emplace_back();
      }
      figure_of[cell] = found->second;
      model.at[found->second] = {index, cell};
    };
    // The cities first: a region's key names their figures.
    const bool has_region = member.table->region_index().has_value();
    for (CellId cell = 0; cell < table.size(); ++cell) {
      const CellPlace at = internal::place_of(*member.table, cell);
      if (has_region && at.city == 0) continue;
      assign(cell, FigureKey{place_in(*member.table, at), table.count(cell)});
    }
    if (has_region) {
      const std::size_t region_cells = member.table->categories.size() * member.table->traits.size();
      for (CellId cell = 0; cell < region_cells; ++cell)
        assign(cell, region_key(member, cell, figure_of));
    }
    for (const disclosure::Relation& relation : table.relations()) {
      disclosure::Relation mapped{figure_of[relation.total], {}};
      for (const CellId part : relation.parts) mapped.parts.push_back(figure_of[part]);
      std::vector<CellId> signature = mapped.parts;
      std::sort(signature.begin(), signature.end());
      signature.insert(signature.begin(), mapped.total);
      if (relations_seen.insert(std::move(signature)).second)
        model.relations.push_back(std::move(mapped));
    }
  }
  return model;
}

Result<disclosure::Table> table_of(Model& model) {
  auto table = disclosure::Table::create(model.counts, std::move(model.relations));
  if (!table) return invalid_release();  // only releases that contradict each other get here
  return table;
}

// Whether `release` can share a figure with the table of `spec` in `year`.
bool related(const PublishedTable& release, const PublishedTable& table) {
  return release.year == table.year &&
         (release.version_id == table.version_id || release.total_group == table.total_group);
}

// Marks the figures that an earlier release of the same version showed with another value.
void mark_corrections(PublishedTable& table, const disclosure::CrossTable& cross,
                      const std::vector<Member>& history) {
  std::map<Place, std::set<std::int64_t>> shown_before;
  for (const Member& member : history) {
    if (member.table->version_id != table.version_id) continue;
    for (CellId cell = 0; cell < member.shown.size(); ++cell) {
      if (!member.shown[cell]) continue;
      const Place place = place_in(*member.table, internal::place_of(*member.table, cell));
      shown_before[place].insert(member.cross.table().count(cell));
    }
  }
  for (CellId cell = 0; cell < cross.table().size(); ++cell) {
    const CellPlace at = internal::place_of(table, cell);
    PublishedCount& count = table.cells[at.city * table.categories.size() + at.category]
                                .counts[at.trait];
    if (!count.value) continue;
    const auto earlier = shown_before.find(place_in(table, at));
    count.corrected = earlier != shown_before.end() &&
                      std::any_of(earlier->second.begin(), earlier->second.end(),
                                  [&](std::int64_t value) { return value != *count.value; });
  }
}

std::vector<AuditInterval> intervals_of(const PublishedTable& table,
                                        const std::vector<CellId>& figure_of,
                                        const std::vector<CellStatus>& status,
                                        const disclosure::AuditReport& audit) {
  std::vector<AuditInterval> intervals;
  for (CellId cell = 0; cell < figure_of.size(); ++cell) {
    if (status[cell] == CellStatus::published) continue;
    const auto found = std::lower_bound(
        audit.intervals.begin(), audit.intervals.end(), figure_of[cell],
        [](const disclosure::CellInterval& interval, CellId id) { return interval.cell < id; });
    if (found == audit.intervals.end() || found->cell != figure_of[cell]) continue;
    const CellPlace at = internal::place_of(table, cell);
    intervals.push_back({at.city, at.category, table.traits[at.trait], found->low, found->high,
                         found->primary, found->narrowed_before});
  }
  return intervals;
}

}  // namespace

Result<Release> plan_release(const TableInput& input, std::span<const Release> history,
                             const disclosure::DisclosureRules& rules,
                             const disclosure::PlanOptions& options) {
  auto layout = internal::lay_out(input, rules);
  if (!layout) return layout.take_error();
  PublishedTable& table = layout->table;
  if (!layout->cross) return Release{std::move(table), {}};
  const disclosure::CrossTable& cross = *layout->cross;

  std::vector<Member> members;
  for (const Release& release : history) {
    if (!related(release.table, table)) continue;
    auto member = member_of(release);
    if (!member) return member.take_error();
    members.push_back(std::move(*member));
  }
  const std::size_t history_size = members.size();
  members.push_back(Member{&table, cross, {}});
  Model model = link(members);
  std::vector<Prior> prior = prior_of(model, members, history_size, Prior::withheld);
  for (const CellId figure : model.figure_of.back())
    if (prior[figure] != Prior::published) prior[figure] = Prior::open;
  const auto figure_of = model.figure_of.back();
  auto linked = table_of(model);
  if (!linked) return linked.take_error();

  auto plan = disclosure::plan_suppression(*linked, rules, options, prior);
  if (!plan) return plan.take_error();
  std::vector<CellStatus> status(figure_of.size());
  for (CellId cell = 0; cell < figure_of.size(); ++cell) status[cell] = plan->status[figure_of[cell]];
  internal::fill_cells(table, cross, status);
  members.pop_back();
  mark_corrections(table, cross, members);
  table.method = plan->method;
  table.persons_hidden = plan->persons_hidden;
  table.proven_optimal = plan->proven_optimal;
  table.audit = intervals_of(table, figure_of, status, plan->audit);

  std::vector<std::int64_t> counts(cross.table().size());
  for (CellId cell = 0; cell < counts.size(); ++cell) counts[cell] = cross.table().count(cell);
  return Release{std::move(table), std::move(counts)};
}

Result<std::vector<ExposedCell>> audit_releases(std::span<const Release> releases,
                                                std::size_t first_new,
                                                const disclosure::DisclosureRules& rules) {
  std::vector<std::size_t> release_of;  // member → release: a table without cells has none
  std::vector<Member> present;
  for (std::size_t index = 0; index < releases.size(); ++index) {
    if (releases[index].table.cells.empty()) continue;
    auto member = member_of(releases[index]);
    if (!member) return member.take_error();
    release_of.push_back(index);
    present.push_back(std::move(*member));
  }
  Model model = link(present);
  const std::size_t members_before = static_cast<std::size_t>(
      std::lower_bound(release_of.begin(), release_of.end(), first_new) - release_of.begin());
  const std::vector<Prior> before = prior_of(model, present, members_before, Prior::open);
  std::vector<char> shown(model.counts.size(), 0);
  for (std::size_t index = 0; index < present.size(); ++index)
    for (CellId cell = 0; cell < present[index].shown.size(); ++cell)
      if (present[index].shown[cell]) shown[model.figure_of[index][cell]] = 1;
  const auto at = model.at;
  auto linked = table_of(model);
  if (!linked) return linked.take_error();
  auto status = disclosure::primary_suppression(*linked, rules, before);
  if (!status) return status.take_error();
  std::vector<ExposedCell> exposed;
  const auto expose = [&](CellId figure, double low, double high) {
    const auto& [member, cell] = at[figure];
    const CellPlace place = internal::place_of(*present[member].table, cell);
    exposed.push_back({release_of[member], place.city, place.category,
                       present[member].table->traits[place.trait], low, high});
  };
  for (CellId figure = 0; figure < shown.size(); ++figure) {
    if (!shown[figure]) {
      if ((*status)[figure] == CellStatus::published) (*status)[figure] = CellStatus::secondary;
      continue;
    }
    if ((*status)[figure] == CellStatus::primary) {  // a small count shown for the first time
      const auto value = static_cast<double>(linked->count(figure));
      expose(figure, value, value);
    }
    (*status)[figure] = CellStatus::published;
  }
  auto report = disclosure::audit(*linked, rules, *status, before);
  if (!report) return report.take_error();
  for (const disclosure::CellInterval& interval : report->intervals)
    if (!interval.is_protected) expose(interval.cell, interval.low, interval.high);
  return exposed;
}

std::optional<std::vector<std::int64_t>> counts_behind(const PublishedTable& table,
                                                       const TableInput& input) {
  auto layout = internal::lay_out(input, {});
  if (!layout || !layout->cross) return std::nullopt;
  const PublishedTable& built = layout->table;
  const auto same_city = [](const PublishedCity& a, const PublishedCity& b) {
    return a.id == b.id && a.region == b.region && a.member == b.member;
  };
  const auto same_category = [](const CategorySpec& a, const CategorySpec& b) {
    return a.id == b.id && a.parent == b.parent;
  };
  if (!std::equal(built.cities.begin(), built.cities.end(), table.cities.begin(),
                  table.cities.end(), same_city) ||
      !std::equal(built.categories.begin(), built.categories.end(), table.categories.begin(),
                  table.categories.end(), same_category) ||
      built.traits != table.traits || built.region_includes != table.region_includes)
    return std::nullopt;
  Release release{table, {}};
  for (CellId cell = 0; cell < layout->cross->table().size(); ++cell)
    release.counts.push_back(layout->cross->table().count(cell));
  if (!member_of(release)) return std::nullopt;
  return std::move(release.counts);
}

}  // namespace ik::monitoring
