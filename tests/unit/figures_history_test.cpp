// Releases planned against everything published before (issue 16): the trial's scenario in both
// orders, figures that stay public, corrections, withdrawals, shared totals, and random
// sequences of publications, each checked by the independent attacker of release_attacker.hpp.
#include <gtest/gtest.h>

#include <array>
#include <random>

#include "monitoring/figures.hpp"
#include "release_attacker.hpp"

namespace ik::monitoring {
namespace {

using disclosure::Sign;
using ik::testing::KeptTable;
using ik::testing::recover;

constexpr std::int64_t kBochum = 1, kHerne = 2, kEssen = 3, kGuest = 4;

// total → civil servants (→ higher service, other), employees.
IndicatorSpec staff_spec() {
  IndicatorSpec spec;
  spec.code = "staff";
  spec.version_id = 7;
  spec.name_de = "Beschäftigte";
  spec.name_en = "Staff";
  spec.definition_code = "einwanderungsgeschichte_nrw";
  spec.categories = {{11, "total", "Insgesamt", "Total", std::nullopt},
                     {12, "civil_servants", "Beamt*innen", "Civil servants", 0},
                     {13, "civil_servants_higher", "Höherer Dienst", "Higher service", 1},
                     {14, "civil_servants_other", "Übrige Laufbahnen", "Other careers", 1},
                     {15, "employees", "Tarifbeschäftigte", "Employees", 0}};
  return spec;
}

std::vector<CityInYear> cities() {
  return {{kBochum, "bochum", "Bochum", true},
          {kHerne, "herne", "Herne", true},
          {kEssen, "essen", "Essen", true},
          {kGuest, "gast", "Gaststadt", false}};
}

using Leaf = std::array<std::int64_t, 3>;  // numerator, unknown, denominator

// A city's cells from its three leaves.
std::vector<ReportedCell> city_cells(std::int64_t city, Leaf higher, Leaf other, Leaf employees) {
  const auto sum = [](const Leaf& a, const Leaf& b) {
    return Leaf{a[0] + b[0], a[1] + b[1], a[2] + b[2]};
  };
  const Leaf civil = sum(higher, other);
  const Leaf total = sum(civil, employees);
  const auto cell = [&](std::int64_t category, const Leaf& leaf) {
    return ReportedCell{city, category, leaf[0], leaf[1], leaf[2]};
  };
  return {cell(11, total), cell(12, civil), cell(13, higher), cell(14, other),
          cell(15, employees)};
}

// The trial's figures: Bochum's higher service 242 persons, 10 with immigration history and
// 10 without an answer; Herne's 3 and 3.
std::vector<ReportedCell> bochum() {
  return city_cells(kBochum, {10, 10, 242}, {60, 8, 400}, {150, 20, 900});
}
std::vector<ReportedCell> herne() {
  return city_cells(kHerne, {3, 3, 96}, {30, 6, 250}, {80, 12, 500});
}

TableInput input_of(std::vector<std::vector<ReportedCell>> per_city,
                    IndicatorSpec spec = staff_spec()) {
  TableInput input{std::move(spec), 2024, cities(), {}};
  for (auto& cells : per_city) input.cells.insert(input.cells.end(), cells.begin(), cells.end());
  return input;
}

const disclosure::PlanOptions kQuick{disclosure::PlanMode::automatic,
                                     std::chrono::milliseconds(300)};
const disclosure::DisclosureRules kRules;

Release plan(const TableInput& input, const std::vector<Release>& history) {
  auto release = plan_release(input, history, kRules, kQuick);
  EXPECT_TRUE(release) << (release ? "" : release.error().message_key + " " +
                                              release.error().detail);
  return std::move(release).value();
}

// What the attacker keeps of a release: the public JSON read back, and the data behind it.
KeptTable kept(const Release& release, const TableInput& input) {
  auto table = from_json(to_json(release.table, false));
  EXPECT_TRUE(table);
  return {std::move(*table), input.cells};
}

const PublishedCount& count_at(const PublishedTable& table, std::int64_t city,
                               std::string_view category, Trait trait) {
  return table.cell(*table.city_index(city), *table.category_index(category))
      .counts[*table.trait_index(trait)];
}

// Every count of the table as shown (nullopt where withheld).
std::vector<std::optional<std::int64_t>> shown(const PublishedTable& table) {
  std::vector<std::optional<std::int64_t>> values;
  for (const PublishedCell& cell : table.cells)
    for (const PublishedCount& count : cell.counts) values.push_back(count.value);
  return values;
}

std::string describe(const std::vector<ik::testing::Recovered>& found) {
  std::string text;
  for (const auto& cell : found)
    text += "table " + std::to_string(cell.table) + " " + cell.where + " = " +
            std::to_string(cell.value) + " in [" + std::to_string(cell.low) + ", " +
            std::to_string(cell.high) + "]\n";
  return text;
}

TEST(ReleaseHistory, TheTrialsSecondTablePlannedAloneGivesHernesCellsAway) {
  // What happened before issue 16: each publication planned as if nothing had been published.
  const TableInput first = input_of({bochum()});
  const TableInput second = input_of({bochum(), herne()});
  const Release one = plan(first, {});
  const Release two = plan(second, {});
  const auto found = recover({kept(one, first), kept(two, second)}, kRules);
  EXPECT_FALSE(found.empty()) << "the attack of issue 16 must work on the old plans";
}

TEST(ReleaseHistory, TheTrialRecoversNothingInEitherOrder) {
  for (const bool bochum_first : {true, false}) {
    const auto first_city = bochum_first ? bochum() : herne();
    const TableInput first = input_of({first_city});
    const TableInput second = input_of({bochum(), herne()});
    const Release one = plan(first, {});
    const Release two = plan(second, {one});
    const auto found = recover({kept(one, first), kept(two, second)}, kRules);
    EXPECT_TRUE(found.empty()) << (bochum_first ? "Bochum first\n" : "Herne first\n")
                               << describe(found);
    // Herne's small cells are withheld in the second table.
    EXPECT_FALSE(count_at(two.table, kHerne, "civil_servants_higher", Trait::with_history).value);
    EXPECT_FALSE(count_at(two.table, kHerne, "civil_servants_higher", Trait::unknown).value);
  }
}

TEST(ReleaseHistory, AFigurePublicBeforeStaysPublicWhileItsValueIsTheSame) {
  const TableInput first = input_of({bochum()});
  const Release one = plan(first, {});
  ASSERT_EQ(count_at(one.table, kBochum, "civil_servants_higher", Trait::with_history).value, 10);
  const Release two = plan(input_of({bochum(), herne()}), {one});
  for (std::size_t category = 0; category < one.table.categories.size(); ++category) {
    for (std::size_t trait = 0; trait < one.table.traits.size(); ++trait) {
      const auto& before = one.table.cell(*one.table.city_index(kBochum), category).counts[trait];
      const auto& after = two.table.cell(*two.table.city_index(kBochum), category).counts[trait];
      if (before.value) {
        EXPECT_EQ(after.value, before.value) << category << "/" << trait;
        EXPECT_FALSE(after.corrected);
      }
    }
  }
  // The region now sums two cities: its higher service would give Herne's 3 away.
  EXPECT_FALSE(count_at(two.table, 0, "civil_servants_higher", Trait::with_history).value);
}

TEST(ReleaseHistory, ACorrectedFigureIsMarkedAndBothValuesStayProtected) {
  const TableInput first = input_of({bochum(), herne()});
  const Release one = plan(first, {});
  // Bochum corrects its employees: 150 → 152 with immigration history, 900 → 902 in all.
  const TableInput second =
      input_of({city_cells(kBochum, {10, 10, 242}, {60, 8, 400}, {152, 20, 902}), herne()});
  const Release two = plan(second, {one});
  const auto& employees = count_at(two.table, kBochum, "employees", Trait::with_history);
  ASSERT_EQ(employees.value, 152);
  EXPECT_TRUE(employees.corrected);
  EXPECT_TRUE(count_at(two.table, kBochum, "employees", Trait::all).corrected);
  EXPECT_FALSE(count_at(two.table, kBochum, "employees", Trait::unknown).corrected)
      << "20 before and after";
  EXPECT_TRUE(from_json(to_json(two.table, false))->cell(1, 4).counts[1].corrected)
      << "the mark survives the JSON";
  const auto found = recover({kept(one, first), kept(two, second)}, kRules);
  EXPECT_TRUE(found.empty()) << describe(found);
}

TEST(ReleaseHistory, AWithdrawnCityStaysKnownAndTheSmallerRegionGivesNothingAway) {
  const TableInput first = input_of({bochum(), herne()});
  const TableInput second = input_of({bochum()});
  const Release one = plan(first, {});
  const Release two = plan(second, {one});
  const TableInput third = input_of({bochum(), herne()});
  const Release three = plan(third, {one, two});
  const auto found = recover({kept(one, first), kept(two, second), kept(three, third)}, kRules);
  EXPECT_TRUE(found.empty()) << describe(found);
  // Published again unchanged, the table is what it was.
  EXPECT_EQ(shown(three.table), shown(one.table));
}

TEST(ReleaseHistory, TablesSharingATotalAreAuditedTogether) {
  // Staff by gender counts the same persons in its total as staff: what staff shows of the
  // total stays shown in the gender table, and the two together give nothing away.
  IndicatorSpec gender;
  gender.code = "staff_gender";
  gender.version_id = 9;
  gender.total_group = "staff";
  gender.categories = {{21, "total", "Insgesamt", "Total", std::nullopt},
                       {22, "female", "Weiblich", "Female", 0},
                       {23, "male", "Männlich", "Male", 0},
                       {24, "diverse_or_none", "Divers/ohne Angabe", "Diverse/not stated", 0}};
  const auto gender_cells = [](std::int64_t city, Leaf female, Leaf male, Leaf diverse) {
    const Leaf total{female[0] + male[0] + diverse[0], female[1] + male[1] + diverse[1],
                     female[2] + male[2] + diverse[2]};
    return std::vector<ReportedCell>{{city, 21, total[0], total[1], total[2]},
                                     {city, 22, female[0], female[1], female[2]},
                                     {city, 23, male[0], male[1], male[2]},
                                     {city, 24, diverse[0], diverse[1], diverse[2]}};
  };
  // Herne's total as in staff: 113 with, 21 unknown, 846 in all.
  const TableInput staff = input_of({bochum(), herne()});
  const TableInput by_gender =
      input_of({gender_cells(kBochum, {120, 20, 800}, {98, 17, 730}, {2, 1, 12}),
                gender_cells(kHerne, {60, 10, 420}, {50, 10, 420}, {3, 1, 6})},
               gender);
  const Release staff_release = plan(staff, {});
  const Release gender_release = plan(by_gender, {staff_release});
  for (const Trait trait : {Trait::all, Trait::with_history, Trait::unknown}) {
    const auto& in_staff = count_at(staff_release.table, kHerne, "total", trait);
    if (in_staff.value) {
      EXPECT_EQ(count_at(gender_release.table, kHerne, "total", trait).value, in_staff.value)
          << trait_name(trait);
    }
  }
  const auto found = recover({kept(staff_release, staff), kept(gender_release, by_gender)},
                             kRules, {{"staff", "staff_gender"}});
  EXPECT_TRUE(found.empty()) << describe(found);
  auto exposed = audit_releases(std::vector<Release>{staff_release, gender_release}, 1, kRules);
  ASSERT_TRUE(exposed);
  EXPECT_TRUE(exposed->empty());
}

TEST(ReleaseHistory, TheUnionAuditNamesTheCellsTheOldPlansGaveAway) {
  const TableInput first = input_of({bochum()});
  const TableInput second = input_of({bochum(), herne()});
  const std::vector<Release> old_plans{plan(first, {}), plan(second, {})};
  auto exposed = audit_releases(old_plans, 1, kRules);
  ASSERT_TRUE(exposed);
  ASSERT_FALSE(exposed->empty());
  bool herne_named = false;
  for (const ExposedCell& cell : *exposed) {
    EXPECT_EQ(cell.release, 1u);
    const auto& city = old_plans[1].table.cities[cell.city];
    herne_named = herne_named || city.id == kHerne || city.region;
  }
  EXPECT_TRUE(herne_named);
  const std::vector<Release> new_plans{old_plans[0], plan(second, {old_plans[0]})};
  exposed = audit_releases(new_plans, 1, kRules);
  ASSERT_TRUE(exposed);
  EXPECT_TRUE(exposed->empty());
}

TEST(ReleaseHistory, AReleaseWhoseCountsDoNotFitIsRefused) {
  const TableInput first = input_of({bochum()});
  Release one = plan(first, {});
  one.counts[3] += 1;  // a shown figure no longer matches
  const std::vector<Release> history{one};
  const auto release = plan_release(input_of({bochum(), herne()}), history, kRules, kQuick);
  ASSERT_FALSE(release);
  EXPECT_EQ(release.error().message_key, "figures.invalid_release");
  one.counts.pop_back();
  EXPECT_EQ(audit_releases(std::vector<Release>{one}, 0, kRules).error().message_key,
            "figures.invalid_release");
}

TEST(ReleaseHistory, CountsBehindATableComeBackFromItsInput) {
  const TableInput input = input_of({bochum(), herne()});
  const Release release = plan(input, {});
  EXPECT_EQ(counts_behind(release.table, input), release.counts);
  EXPECT_FALSE(counts_behind(release.table, input_of({bochum()})));
  EXPECT_FALSE(counts_behind(release.table, input_of({bochum(), city_cells(kHerne, {3, 3, 96},
                                                                           {30, 6, 250},
                                                                           {81, 12, 501})})))
      << "a shown figure differs";
}

// Random sequences of what happens to a year: a city publishes, withdraws, or corrects its
// figures and publishes again. After every step the attacker holds every table so far.
TEST(ReleaseHistory, RandomSequencesOfPublicationsGiveNothingAway) {
  std::mt19937 random(20261207);
  std::uniform_int_distribution<std::int64_t> small(0, 6), large(5, 120);
  std::uniform_int_distribution<int> kind(0, 9);
  const auto count = [&] { return kind(random) < 4 ? small(random) : large(random); };
  const auto random_leaf = [&] {
    const std::int64_t with = count(), unknown = count(), without = count();
    return Leaf{with, unknown, with + unknown + without};
  };
  const auto random_city = [&](std::int64_t city) {
    return city_cells(city, random_leaf(), random_leaf(), random_leaf());
  };
  for (int sequence = 0; sequence < 12; ++sequence) {
    std::map<std::int64_t, std::vector<ReportedCell>> data;
    std::set<std::int64_t> published;
    for (const std::int64_t city : {kBochum, kHerne, kEssen, kGuest}) data[city] = random_city(city);
    std::vector<Release> releases;
    std::vector<KeptTable> kept_tables;
    std::string steps;
    for (int step = 0; step < 6; ++step) {
      const std::int64_t city = 1 + random() % 4;
      const int action = static_cast<int>(random() % 3);
      if (action == 0) published.insert(city), steps += "publish " + std::to_string(city) + "; ";
      if (action == 1) published.erase(city), steps += "withdraw " + std::to_string(city) + "; ";
      if (action == 2) {
        data[city] = random_city(city);
        published.insert(city);
        steps += "correct " + std::to_string(city) + "; ";
      }
      std::vector<std::vector<ReportedCell>> per_city;
      for (const std::int64_t shown : published) per_city.push_back(data[shown]);
      const TableInput input = input_of(per_city);
      auto release = plan_release(input, releases, kRules, kQuick);
      ASSERT_TRUE(release) << steps << release.error().detail;
      if (release->table.cells.empty()) continue;
      releases.push_back(*release);
      kept_tables.push_back(kept(*release, input));
      const auto found = recover(kept_tables, kRules);
      ASSERT_TRUE(found.empty()) << "sequence " << sequence << ": " << steps << "\n"
                                 << describe(found);
      auto exposed = audit_releases(releases, releases.size() - 1, kRules);
      ASSERT_TRUE(exposed);
      EXPECT_TRUE(exposed->empty()) << steps;
    }
  }
}

}  // namespace
}  // namespace ik::monitoring
