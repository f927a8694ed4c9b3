#include "monitoring/figures.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <ostream>

namespace ik::monitoring {
namespace {

using disclosure::Sign;

}  // namespace

// Readable failures: gtest finds this by argument-dependent lookup.
void PrintTo(const Rational& value, std::ostream* out) { *out << value.text(); }

namespace {

Rational rational(std::int64_t numerator, std::int64_t denominator) {
  return *Rational::of(numerator, denominator);
}

// ---- Exact numbers -------------------------------------------------------------------------

struct RoundingCase {
  std::int64_t numerator;
  std::int64_t denominator;
  int decimals;
  const char* german;
  const char* english;
};

TEST(Rational, RoundsHalfAwayFromZeroOnlyWhenFormatting) {
  const std::array<RoundingCase, 10> cases{{
      {1, 8, 2, "0,13", "0.13"},     // 0.125: the half goes up
      {-1, 8, 2, "-0,13", "-0.13"},  // and away from zero when negative
      {5, 2, 0, "3", "3"},
      {-5, 2, 0, "-3", "-3"},
      {1, 3, 3, "0,333", "0.333"},
      {2, 3, 1, "0,7", "0.7"},
      {-1, 25, 1, "0,0", "0.0"},  // a negative that rounds to zero has no minus
      {12345, 1, 0, "12345", "12345"},
      {1, 20, 1, "0,1", "0.1"},
      {7, 1, 2, "7,00", "7.00"},
  }};
  for (const RoundingCase& example : cases) {
    const Rational value = rational(example.numerator, example.denominator);
    EXPECT_EQ(value.format(example.decimals, DecimalMark::comma), example.german)
        << example.numerator << "/" << example.denominator;
    EXPECT_EQ(value.format(example.decimals, DecimalMark::point), example.english);
  }
}

TEST(Rational, IsReducedAndExact) {
  EXPECT_EQ(rational(6, 8).text(), "3/4");
  EXPECT_EQ(rational(6, -8).text(), "-3/4");
  EXPECT_EQ(rational(8, 4).text(), "2");
  EXPECT_FALSE(Rational::of(1, 0));
  EXPECT_EQ(rational(1, 3) + rational(1, 6), rational(1, 2));
  EXPECT_EQ(rational(1, 3) * rational(3, 7), rational(1, 7));
  EXPECT_EQ(*rational(1, 3).divided_by(rational(2, 3)), rational(1, 2));
  EXPECT_FALSE(rational(1, 3).divided_by(Rational()));
  EXPECT_LT(rational(1, 3), rational(1, 2));
  // Products far beyond 64 bits stay exact.
  const Rational big = rational(999'999'999'989, 1'000'000'000'000) * rational(999'999'999'989, 3);
  EXPECT_EQ(big.text(), "999999999978000000000121/3000000000000");
}

TEST(Rational, ParsesItsOwnTextAndDecimalsAsTyped) {
  EXPECT_EQ(*Rational::parse("-3/8"), rational(-3, 8));
  EXPECT_EQ(*Rational::parse("5"), rational(5, 1));
  EXPECT_EQ(*Rational::parse_decimal("35,0"), rational(35, 1));
  EXPECT_EQ(*Rational::parse_decimal(" 1.25 "), rational(5, 4));
  EXPECT_EQ(*Rational::parse_decimal("-2,5"), rational(-5, 2));
  for (const char* bad : {"", "-", "abc", "1,2,3", "1,", ",5", "1/0", "1e3", "--1", "1,-5"}) {
    auto parsed = Rational::parse_decimal(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().message_key, "figures.invalid_number");
  }
  EXPECT_FALSE(Rational::parse("1/0"));
  EXPECT_FALSE(Rational::parse("1/x"));
}

TEST(Figures, FormatsCountsAndShares) {
  EXPECT_EQ(format_count(1234567, DecimalMark::comma), "1.234.567");
  EXPECT_EQ(format_count(1234567, DecimalMark::point), "1,234,567");
  EXPECT_EQ(format_count(999, DecimalMark::comma), "999");
  EXPECT_EQ(format_count(0, DecimalMark::comma), "0");
  EXPECT_EQ(format_share(rational(1, 8), ShareScale::percent, 1, DecimalMark::comma), "12,5");
  EXPECT_EQ(format_share(rational(1, 3), ShareScale::ratio, 2, DecimalMark::point), "0.33");
  EXPECT_FALSE(share_of(3, 0));
}

TEST(Figures, RepresentationIndexIsStaffShareOverPopulationShare) {
  EXPECT_EQ(*representation_index({30, 100}, {40, 100}), rational(3, 4));
  EXPECT_EQ(*representation_index({40, 100}, {400, 1000}), rational(1, 1));
  EXPECT_FALSE(representation_index({30, 0}, {40, 100}));
  EXPECT_FALSE(representation_index({30, 100}, {0, 100}));
}

TEST(Figures, AgeStandardisedIndexWeightsBandsByPopulation) {
  // Population share 400/2000 = 1/5; staff band shares 1/5 and 1/10 weighted 1/2 each = 3/20.
  const std::array<AgeBand, 2> bands{{{{10, 50}, {300, 1000}}, {{5, 50}, {100, 1000}}}};
  EXPECT_EQ(*age_standardised_index(bands), rational(3, 4));
  // An old staff (few in the young band, where immigration history is frequent) is not
  // penalised: the crude index would be 15/100 ÷ 1/5 = 3/4 as well only by coincidence.
  const std::array<AgeBand, 2> skewed{{{{9, 10}, {800, 1000}}, {{0, 90}, {0, 1000}}}};
  EXPECT_EQ(*age_standardised_index(skewed), rational(9, 8));
  EXPECT_EQ(*representation_index({9, 100}, {800, 2000}), rational(9, 40));
  const std::array<AgeBand, 1> no_staff{{{{0, 0}, {10, 100}}}};
  EXPECT_FALSE(age_standardised_index(no_staff));
  EXPECT_FALSE(age_standardised_index(std::span<const AgeBand>{}));
  // Large counts stay exact (the denominators multiply far beyond 64 bits).
  const std::array<AgeBand, 3> large{
      {{{333'333'333'331, 999'999'999'989}, {999'999'999'961, 999'999'999'999}},
       {{1, 999'999'999'937}, {7, 999'999'999'877}},
       {{5, 11}, {13, 17}}}};
  Rational population_total;
  Rational population_with;
  for (const AgeBand& band : large) {
    population_total = population_total + rational(band.population.whole, 1);
    population_with = population_with + rational(band.population.part, 1);
  }
  Rational standardised;
  for (const AgeBand& band : large) {
    standardised = standardised + *rational(band.population.whole, 1).divided_by(population_total) *
                                      rational(band.staff.part, band.staff.whole);
  }
  const Rational expected = *standardised.divided_by(*population_with.divided_by(population_total));
  EXPECT_EQ(*age_standardised_index(large), expected);
  EXPECT_GT(expected.denominator().size(), 30U);
}

TEST(Figures, ProgressTowardsATarget) {
  const Progress half = progress_towards(rational(20, 1), rational(25, 1), rational(30, 1));
  EXPECT_EQ(*half.achieved, rational(1, 2));
  EXPECT_FALSE(half.reached);
  EXPECT_TRUE(progress_towards(rational(20, 1), rational(31, 1), rational(30, 1)).reached);
  const Progress backwards = progress_towards(rational(20, 1), rational(18, 1), rational(30, 1));
  EXPECT_EQ(*backwards.achieved, rational(-1, 5));
  // A falling target (e.g. an index above parity coming down to 1).
  const Progress falling = progress_towards(rational(3, 2), rational(1, 1), rational(1, 1));
  EXPECT_EQ(*falling.achieved, rational(1, 1));
  EXPECT_TRUE(falling.reached);
  const Progress hold = progress_towards(rational(1, 1), rational(1, 1), rational(1, 1));
  EXPECT_FALSE(hold.achieved);
  EXPECT_TRUE(hold.reached);
}

// ---- The published table -------------------------------------------------------------------

// total → civil servants, employees.
IndicatorSpec staff_spec() {
  IndicatorSpec spec;
  spec.code = "staff";
  spec.version_id = 7;
  spec.name_de = "Beschäftigte";
  spec.name_en = "Staff";
  spec.definition_code = "einwanderungsgeschichte_nrw";
  spec.categories = {{11, "total", "Insgesamt", "Total", std::nullopt},
                     {12, "civil_servants", "Beamt*innen", "Civil servants", 0},
                     {13, "employees", "Tarifbeschäftigte", "Employees", 0}};
  return spec;
}

std::vector<CityInYear> cities() {
  return {{1, "bochum", "Bochum", true},
          {2, "dortmund", "Dortmund", true},
          {3, "essen", "Essen", true},
          {4, "gast", "Gaststadt", false}};
}

// A city's three cells from the two leaves (numerator, unknown, denominator each).
std::vector<ReportedCell> city_cells(std::int64_t city, std::array<std::int64_t, 3> civil,
                                     std::array<std::int64_t, 3> employees) {
  return {{city, 11, civil[0] + employees[0], civil[1] + employees[1], civil[2] + employees[2]},
          {city, 12, civil[0], civil[1], civil[2]},
          {city, 13, employees[0], employees[1], employees[2]}};
}

TableInput input_with(std::vector<std::vector<ReportedCell>> per_city) {
  TableInput input{staff_spec(), 2024, cities(), {}};
  for (auto& cells : per_city) input.cells.insert(input.cells.end(), cells.begin(), cells.end());
  return input;
}

// The heuristic keeps the tests quick; one test runs the automatic (exact first) mode.
const disclosure::PlanOptions kHeuristic{disclosure::PlanMode::heuristic};

PublishedTable build(const TableInput& input, const disclosure::PlanOptions& options = kHeuristic) {
  auto table = build_published_table(input, {}, options);
  EXPECT_TRUE(table) << (table ? "" : table.error().message_key + " " + table.error().detail);
  return std::move(table).value();
}

// A table with small cells in several cities, so that suppression has work to do.
TableInput small_cells_input() {
  return input_with(
      {city_cells(1, {3, 1, 40}, {25, 4, 160}), city_cells(2, {12, 2, 80}, {2, 0, 30}),
       city_cells(3, {20, 3, 90}, {35, 5, 210}), city_cells(4, {1, 0, 9}, {8, 1, 50})});
}

TEST(PublishedTable, IncludesTheRegionOfMembersAndGuestsBeside) {
  const PublishedTable table = build(input_with({city_cells(1, {50, 10, 400}, {100, 20, 600}),
                                                 city_cells(2, {60, 10, 300}, {90, 30, 700}),
                                                 city_cells(4, {70, 10, 500}, {80, 10, 900})}));
  ASSERT_EQ(table.cities.size(), 4U);  // region, Bochum, Dortmund, guest; Essen has no data
  EXPECT_TRUE(table.cities[0].region);
  EXPECT_EQ(table.region_includes, (std::vector<std::int64_t>{1, 2}));
  const auto all = *table.trait_index(Trait::all);
  const auto with = *table.trait_index(Trait::with_history);
  const auto without = *table.trait_index(Trait::without_history);
  const auto unknown = *table.trait_index(Trait::unknown);
  EXPECT_EQ(table.cell(0, 0).counts[all].value, 2000);  // 1000 + 1000, never the guest's 1400
  EXPECT_EQ(table.cell(0, 0).counts[with].value, 300);
  EXPECT_EQ(table.cell(0, 0).counts[unknown].value, 70);
  EXPECT_EQ(table.cell(0, 0).counts[without].value, 2000 - 300 - 70);
  EXPECT_EQ(table.cell(0, 0).share.text_de, "15,0");
  EXPECT_EQ(table.cell(0, 0).share.text_en, "15.0");
  EXPECT_EQ(*table.cell(0, 0).share.value, rational(3, 20));
  const auto guest = *table.city_index(4);
  EXPECT_FALSE(table.cities[guest].member);
  EXPECT_EQ(table.cell(guest, *table.category_index("employees")).counts[all].value, 900);
  EXPECT_EQ(table.persons_hidden, 0);
}

// Every count 1..minimum−1 of the original table, found by its coordinates.
std::map<std::array<std::size_t, 3>, std::int64_t> small_counts(const PublishedTable& table,
                                                                const TableInput& input) {
  std::map<std::array<std::size_t, 3>, std::int64_t> out;
  for (const ReportedCell& cell : input.cells) {
    const auto city = table.city_index(cell.city_id);
    if (!city) continue;
    std::size_t category = 0;
    while (table.categories[category].id != cell.category_id) ++category;
    const std::array<std::pair<Trait, std::int64_t>, 4> values{{
        {Trait::all, *cell.denominator},
        {Trait::with_history, *cell.numerator},
        {Trait::unknown, *cell.unknown},
        {Trait::without_history, *cell.denominator - *cell.numerator - *cell.unknown},
    }};
    for (const auto& [trait, value] : values) {
      if (value > 0 && value < table.minimum_count)
        out[{*city, category, *table.trait_index(trait)}] = value;
    }
  }
  return out;
}

TEST(PublishedTable, ShowsNoCountBelowTheMinimum) {
  const TableInput input = small_cells_input();
  const PublishedTable table = build(input);
  const auto small = small_counts(table, input);
  ASSERT_FALSE(small.empty());
  for (const auto& [coordinates, value] : small) {
    const PublishedCount& count = table.cell(coordinates[0], coordinates[1]).counts[coordinates[2]];
    EXPECT_FALSE(count.value) << "city " << coordinates[0] << " category " << coordinates[1];
    EXPECT_EQ(count.sign, Sign::withheld);
  }
  for (const PublishedCell& cell : table.cells) {
    for (const PublishedCount& count : cell.counts) {
      if (count.value) {
        EXPECT_TRUE(*count.value == 0 || *count.value >= table.minimum_count);
      }
      EXPECT_EQ(count.value.has_value(), count.sign == Sign::value || count.sign == Sign::nothing);
    }
  }
  EXPECT_GT(table.persons_hidden, 0);
  EXPECT_FALSE(table.audit.empty());
}

// Rebuilds the cross table from the reported figures independently of the figures module and
// audits the statuses the published table implies: no suppressed cell can be narrowed.
TEST(PublishedTable, ASuppressedCellCannotBeRecovered) {
  const TableInput input = small_cells_input();
  const PublishedTable table =
      build(input, {disclosure::PlanMode::automatic, std::chrono::milliseconds(2000)});
  const std::size_t categories = table.categories.size();
  const std::size_t traits = table.traits.size();
  std::vector<std::int64_t> counts(table.cities.size() * categories * traits, 0);
  for (const ReportedCell& cell : input.cells) {
    std::size_t category = 0;
    while (table.categories[category].id != cell.category_id) ++category;
    const std::array<std::int64_t, 4> values{*cell.denominator, *cell.numerator,
                                             *cell.denominator - *cell.numerator - *cell.unknown,
                                             *cell.unknown};
    const std::size_t city = *table.city_index(cell.city_id);
    for (std::size_t trait = 0; trait < traits; ++trait) {
      counts[(city * categories + category) * traits + trait] = values[trait];
      if (table.cities[city].member) counts[category * traits + trait] += values[trait];
    }
  }
  std::vector<disclosure::Dimension> dimensions{
      {"city", {{"region", std::nullopt}, {"1", 0}, {"2", 0}, {"3", 0}, {"4", std::nullopt}}},
      {"category", {{"total", std::nullopt}, {"a", 0}, {"b", 0}}},
      {"trait", {{"all", std::nullopt}, {"with", 0}, {"without", 0}, {"unknown", 0}}}};
  ASSERT_EQ(table.cities.size(), 5U);
  auto cross = disclosure::CrossTable::create(dimensions, counts);
  ASSERT_TRUE(cross) << cross.error().message_key << " " << cross.error().detail;
  const disclosure::DisclosureRules rules;
  auto status = disclosure::primary_suppression(cross->table(), rules);
  ASSERT_TRUE(status);
  for (std::size_t city = 0; city < table.cities.size(); ++city) {
    for (std::size_t category = 0; category < categories; ++category) {
      for (std::size_t trait = 0; trait < traits; ++trait) {
        const std::array<std::size_t, 3> coordinates{city, category, trait};
        auto& cell_status = (*status)[cross->cell(coordinates)];
        const bool shown = table.cell(city, category).counts[trait].value.has_value();
        if (cell_status == disclosure::CellStatus::primary) {
          EXPECT_FALSE(shown);
        }
        if (!shown && cell_status == disclosure::CellStatus::published) {
          cell_status = disclosure::CellStatus::secondary;
        }
      }
    }
  }
  auto audit = disclosure::audit(cross->table(), rules, *status);
  ASSERT_TRUE(audit);
  EXPECT_TRUE(audit->all_protected);
}

TEST(PublishedTable, SharesFollowTheirCounts) {
  const PublishedTable table = build(small_cells_input());
  bool saw_withheld_share = false;
  for (const PublishedCell& cell : table.cells) {
    const bool counts_shown = cell.counts[0].value && cell.counts[1].value;
    EXPECT_EQ(cell.share.value.has_value(), counts_shown);
    if (!counts_shown) {
      saw_withheld_share = true;
      EXPECT_EQ(cell.share.sign, Sign::withheld);
      EXPECT_EQ(cell.share.text_de, disclosure::sign_text(Sign::withheld));
    } else {
      EXPECT_EQ(*cell.share.value, rational(*cell.counts[1].value, *cell.counts[0].value));
    }
  }
  EXPECT_TRUE(saw_withheld_share);
}

TEST(PublishedTable, ListsCitiesWhoseDataCannotBePublished) {
  auto incomplete = city_cells(2, {12, 2, 80}, {30, 0, 130});
  incomplete[2].denominator.reset();
  auto not_additive = city_cells(3, {20, 3, 90}, {35, 5, 210});
  not_additive[0].denominator = 299;
  const PublishedTable table =
      build(input_with({city_cells(1, {30, 1, 400}, {250, 4, 1600}), incomplete, not_additive,
                        city_cells(4, {10, 1, 9}, {80, 1, 500})}));
  ASSERT_EQ(table.excluded.size(), 3U);
  EXPECT_EQ(table.excluded[0].id, 2);
  EXPECT_EQ(table.excluded[0].reason, Exclusion::incomplete);
  EXPECT_EQ(table.excluded[0].category_code, "employees");
  EXPECT_EQ(table.excluded[1].reason, Exclusion::not_additive);
  EXPECT_EQ(table.excluded[1].category_code, "total");
  EXPECT_EQ(table.excluded[2].reason, Exclusion::part_above_total);
  EXPECT_EQ(table.region_includes, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(table.cities.size(), 2U);
}

TEST(PublishedTable, WithoutUnknownsTheTraitsMerge) {
  TableInput input = input_with(
      {city_cells(1, {50, 0, 400}, {100, 0, 600}), city_cells(2, {60, 0, 300}, {90, 0, 700})});
  input.cells[0].unknown.reset();
  const PublishedTable table = build(input);
  EXPECT_EQ(table.traits,
            (std::vector<Trait>{Trait::all, Trait::with_history, Trait::without_or_unknown}));
  EXPECT_EQ(table.cell(1, 0).counts[2].value, 1000 - 150);
}

TEST(PublishedTable, APlainCountHasNoShare) {
  TableInput input = input_with({});
  input.indicator.has_denominator = false;
  input.cells = {{1, 11, 40, std::nullopt, std::nullopt}, {1, 12, 15, std::nullopt, std::nullopt},
                 {1, 13, 25, std::nullopt, std::nullopt}, {2, 11, 9, std::nullopt, std::nullopt},
                 {2, 12, 3, std::nullopt, std::nullopt},  {2, 13, 6, std::nullopt, std::nullopt}};
  const PublishedTable table = build(input);
  EXPECT_EQ(table.traits, std::vector<Trait>{Trait::all});
  EXPECT_EQ(table.region_includes, (std::vector<std::int64_t>{1, 2}));
  EXPECT_FALSE(table.cell(2, 1).counts[0].value);  // 3 is below the minimum
  EXPECT_EQ(table.cell(2, 1).counts[0].sign, Sign::withheld);
  EXPECT_EQ(table.cell(1, 0).share.sign, Sign::not_meaningful);
}

TEST(PublishedTable, RefusesCellsThatDoNotFit) {
  const auto key_of = [](TableInput input) {
    auto table = build_published_table(input, {});
    return table ? std::string("ok") : table.error().message_key;
  };
  TableInput unknown_city = input_with({city_cells(9, {1, 0, 5}, {1, 0, 5})});
  EXPECT_EQ(key_of(unknown_city), "figures.unknown_city");
  TableInput unknown_category = input_with({city_cells(1, {1, 0, 5}, {1, 0, 5})});
  unknown_category.cells[1].category_id = 99;
  EXPECT_EQ(key_of(unknown_category), "figures.unknown_category");
  TableInput duplicate = input_with({city_cells(1, {1, 0, 5}, {1, 0, 5})});
  duplicate.cells.push_back(duplicate.cells[0]);
  EXPECT_EQ(key_of(duplicate), "figures.duplicate_cell");
  TableInput negative = input_with({city_cells(1, {-1, 0, 5}, {1, 0, 5})});
  EXPECT_EQ(key_of(negative), "figures.invalid_count");
  TableInput no_root = input_with({});
  no_root.indicator.categories[0].parent = 1;
  EXPECT_EQ(key_of(no_root), "figures.invalid_indicator");
  EXPECT_EQ(key_of(input_with({})), "ok");
}

TEST(PublishedTable, SurvivesItsJson) {
  const PublishedTable table = build(small_cells_input());
  const std::string json = to_json(table);
  auto read = from_json(json);
  ASSERT_TRUE(read);
  EXPECT_EQ(to_json(*read), json);
  EXPECT_EQ(read->audit.size(), table.audit.size());
  const std::string public_json = to_json(table, false);
  EXPECT_EQ(public_json.find("\"audit\""), std::string::npos);
  auto public_read = from_json(public_json);
  ASSERT_TRUE(public_read);
  EXPECT_TRUE(public_read->audit.empty());
  auto broken = from_json("{\"indicator\": 3}");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message_key, "figures.invalid_table");
  EXPECT_FALSE(from_json("not json"));
}

// ---- Indices from published tables --------------------------------------------------------

TEST(PublishedIndex, RestsOnVisibleCountsAndSaysWhenDefinitionsDiffer) {
  const PublishedTable staff = build(input_with(
      {city_cells(1, {50, 10, 400}, {100, 20, 600}), city_cells(2, {30, 6, 50}, {33, 7, 500})}));
  TableInput population_input = input_with({city_cells(1, {1000, 50, 3000}, {2000, 50, 7000}),
                                            city_cells(2, {900, 50, 3000}, {900, 50, 3000})});
  population_input.indicator.code = "population";
  population_input.indicator.definition_code = "migrationshintergrund";
  const PublishedTable population = build(population_input);
  const PublishedIndex bochum = representation_index(staff, population, 1);
  EXPECT_EQ(*bochum.value, rational(1, 2));  // 150/1000 ÷ 3000/10000
  EXPECT_TRUE(bochum.definitions_differ);
  const PublishedIndex region = representation_index(staff, population, 0);
  EXPECT_EQ(*region.value, rational(213 * 16000, 1550 * 4800));
  EXPECT_EQ(representation_index(staff, population, 3).sign, Sign::not_meaningful);

  // Dortmund's civil servants with immigration history (3) are withheld, so an index over the
  // two groups (standing in for age bands) rests on a withheld count.
  const PublishedTable small_staff = build(input_with(
      {city_cells(1, {50, 10, 400}, {100, 20, 600}), city_cells(2, {3, 0, 40}, {60, 5, 500})}));
  const PublishedIndex by_group = age_standardised_index(small_staff, population, 2);
  EXPECT_EQ(by_group.sign, Sign::withheld);
  EXPECT_FALSE(by_group.value);
  const PublishedIndex bochum_by_group = age_standardised_index(staff, population, 1);
  // Bands: staff 50/400 and 100/600, population 3000 and 7000 of 10000, share 3/10.
  const Rational expected =
      *((rational(3, 10) * rational(50, 400) + rational(7, 10) * rational(100, 600))
            .divided_by(rational(3, 10)));
  EXPECT_EQ(*bochum_by_group.value, expected);
}

}  // namespace
}  // namespace ik::monitoring
