// Publication against every earlier release (issue 16), through the monitoring service on
// SQLite and PostgreSQL: the trial of the issue in both orders, the kept releases, tables that
// stay as they were, tables published before releases were kept, the refusal, and random
// sequences of publications, corrections and withdrawals. After every step, the independent
// attacker of release_attacker.hpp gets every table the public could have saved.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "monitoring/figures.hpp"
#include "monitoring/monitoring.hpp"
#include "release_attacker.hpp"
#include "storage/storage.hpp"
#include "test_database.hpp"

namespace ik::monitoring {
namespace {

using ik::testing::KeptTable;
using ik::testing::postgres_url;
using ik::testing::ScratchDatabase;
using ik::testing::recover;
using ik::testing::run;

using Leaf = std::array<std::int64_t, 3>;  // with immigration history, without answer, all

// A city's staff year from its six leaves (basic/middle, upper, higher service; pay groups
// 1–8, 9–12, 13 and above), margins added. `comment` explains every cell (random figures jump
// from year to year, and the year-on-year rule wants a reason).
std::vector<ValueEdit> staff_of(const std::array<Leaf, 6>& leaves, const std::string& comment = {}) {
  const auto sum = [](std::initializer_list<Leaf> parts) {
    Leaf total{0, 0, 0};
    for (const Leaf& part : parts)
      for (std::size_t index = 0; index < 3; ++index) total[index] += part[index];
    return total;
  };
  const Leaf civil = sum({leaves[0], leaves[1], leaves[2]});
  const Leaf employees = sum({leaves[3], leaves[4], leaves[5]});
  const Leaf total = sum({civil, employees});
  const auto cell = [&](std::string category, const Leaf& leaf) {
    return ValueEdit{"staff", std::move(category), leaf[0],           leaf[1],
                     leaf[2], comment,             "Personalstatistik", "2024-12-31"};
  };
  return {cell("total", total),
          cell("civil_servants", civil),
          cell("civil_servants_basic_middle", leaves[0]),
          cell("civil_servants_upper", leaves[1]),
          cell("civil_servants_higher", leaves[2]),
          cell("employees", employees),
          cell("eg_1_8", leaves[3]),
          cell("eg_9_12", leaves[4]),
          cell("eg_13_plus", leaves[5])};
}

// The trial's cities: Bochum's higher service 242 persons, 10 with immigration history and 10
// without an answer; Herne's 3 and 3 of 96.
std::vector<ValueEdit> bochum_staff() {
  return staff_of({Leaf{60, 8, 400}, Leaf{70, 9, 500}, Leaf{10, 10, 242}, Leaf{150, 20, 900},
                   Leaf{90, 12, 600}, Leaf{30, 6, 200}});
}
std::vector<ValueEdit> herne_staff() {
  return staff_of({Leaf{30, 6, 250}, Leaf{25, 5, 200}, Leaf{3, 3, 96}, Leaf{80, 12, 500},
                   Leaf{40, 7, 300}, Leaf{11, 2, 90}});
}

class ReleaseTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == storage::Backend::postgres && postgres_url() == nullptr)
      GTEST_SKIP() << "IK_TEST_POSTGRES_URL is not set";
    auto database = ScratchDatabase::create(GetParam(), "release");
    ASSERT_TRUE(database) << database.error().detail;
    database_ = std::move(*database);
    storage_ = &database_->storage();
    ASSERT_TRUE(cooperation::seed(*storage_));
    ASSERT_TRUE(seed(*storage_).ok());
    cooperation_ = std::make_unique<cooperation::Cooperation>(*storage_);
    monitoring_ = std::make_unique<Monitoring>(*storage_, clock_, *cooperation_);
    office_ = auth::Principal{3, "office", "office", {{auth::Role::office, std::nullopt}}};
    for (const std::string slug : {"bochum", "herne", "essen"}) city_[slug] = cooperation_->city(slug)->id;
  }

  void TearDown() override {
    monitoring_.reset();
    cooperation_.reset();
    database_.reset();
  }

  auth::Principal role(auth::Role role, CityId city) const {
    return auth::Principal{100 + city, "person", "person", {{role, city}}};
  }

  // Saves `values` for the city's year and takes them to approved.
  void approved(const std::string& slug, int year, const std::vector<ValueEdit>& values) {
    const CityId city = city_.at(slug);
    auto saved = monitoring_->save_values(role(auth::Role::city_entry, city), city, year, values);
    ASSERT_TRUE(saved.ok() && saved->saved) << slug;
    ASSERT_TRUE(monitoring_->submit(role(auth::Role::city_entry, city), city, year));
    ASSERT_TRUE(monitoring_->approve(role(auth::Role::city_approval, city), city, year));
    data_[{slug, year}] = values;
  }

  // Publishes and keeps what the public sees afterwards, as the attacker would.
  void publish(const std::string& slug, int year) {
    auto outcome = monitoring_->publish(office_, city_.at(slug), year);
    ASSERT_TRUE(outcome) << outcome.error().message_key << " " << outcome.error().detail;
    ASSERT_TRUE(outcome->done) << outcome->exposed.size() << " figures exposed";
    published_[year].insert(slug);
    keep(year);
  }

  void withdraw(const std::string& slug, int year) {
    auto outcome = monitoring_->withdraw(office_, city_.at(slug), year, "Zahlen werden geprüft");
    ASSERT_TRUE(outcome && outcome->done);
    published_[year].erase(slug);
    keep(year);
  }

  // The office returns the published report, the city corrects it, and it is published again.
  void correct(const std::string& slug, int year, const std::vector<ValueEdit>& values) {
    auto returned = monitoring_->return_report(office_, city_.at(slug), year, "Bitte berichtigen");
    ASSERT_TRUE(returned && returned->done);
    published_[year].erase(slug);
    keep(year);
    approved(slug, year, values);
    publish(slug, year);
  }

  // The public table of `year` now, and the reported cells behind it (for the check only).
  void keep(int year) {
    auto record = monitoring_->published_table("staff", year);
    if (!record) return;  // nothing public now
    auto table = from_json(record->table_json);
    ASSERT_TRUE(table);
    table->audit.clear();
    auto version = monitoring_->indicator_for_year("staff", year);
    ASSERT_TRUE(version);
    auto breakdown = monitoring_->breakdown(version->breakdown_id);
    ASSERT_TRUE(breakdown);
    KeptTable kept{std::move(*table), {}};
    for (const auto& slug : published_[year]) {
      for (const ValueEdit& edit : data_.at({slug, year})) {
        if (edit.indicator_code != "staff") continue;
        kept.reported.push_back({city_.at(slug), breakdown->find(edit.category_code)->id,
                                 edit.numerator, edit.unknown, edit.denominator});
      }
    }
    kept_[year].push_back(std::move(kept));
  }

  std::string found_in(int year) {
    std::string text;
    for (const auto& cell : recover(kept_[year], {}))
      text += "table " + std::to_string(cell.table) + " " + cell.where + " = " +
              std::to_string(cell.value) + " in [" + std::to_string(cell.low) + ", " +
              std::to_string(cell.high) + "]\n";
    return text;
  }

  std::int64_t count(const std::string& sql) {
    return ik::testing::query_integer(*storage_, sql);
  }

  std::unique_ptr<ScratchDatabase> database_;
  storage::Storage* storage_ = nullptr;
  ManualClock clock_{1'800'000'000};
  std::unique_ptr<cooperation::Cooperation> cooperation_;
  std::unique_ptr<Monitoring> monitoring_;
  auth::Principal office_;
  std::map<std::string, CityId> city_;
  std::map<std::pair<std::string, int>, std::vector<ValueEdit>> data_;
  std::map<int, std::set<std::string>> published_;
  std::map<int, std::vector<KeptTable>> kept_;
};

TEST_P(ReleaseTest, TheTrialRecoversNothingInEitherOrder) {
  // 2024: Bochum first, then Herne; 2023: the other way round.
  approved("bochum", 2024, bochum_staff());
  approved("herne", 2024, herne_staff());
  publish("bochum", 2024);
  publish("herne", 2024);
  approved("herne", 2023, herne_staff());
  approved("bochum", 2023, bochum_staff());
  publish("herne", 2023);
  publish("bochum", 2023);
  for (const int year : {2024, 2023}) {
    ASSERT_EQ(kept_[year].size(), 2u);
    EXPECT_EQ(found_in(year), "") << year;
  }
  // What the trial saw go wrong: Bochum's higher service, public in 2024's first table,
  // stays public in the second.
  const auto& second = kept_[2024][1].table;
  const auto& higher = second.cell(*second.city_index(city_.at("bochum")),
                                   *second.category_index("civil_servants_higher"));
  EXPECT_EQ(higher.counts[*second.trait_index(Trait::with_history)].value, 10);
}

TEST_P(ReleaseTest, EveryReleaseIsKeptForGoodAndListedForTheOfficeOnly) {
  approved("bochum", 2024, bochum_staff());
  approved("herne", 2024, herne_staff());
  publish("bochum", 2024);
  publish("herne", 2024);
  withdraw("herne", 2024);
  EXPECT_EQ(count("SELECT COUNT(*) FROM published_release"), 3);
  EXPECT_EQ(count("SELECT MAX(generation) FROM published_table"), 3);
  auto releases = monitoring_->releases(office_, "staff", 2024);
  ASSERT_TRUE(releases);
  ASSERT_EQ(releases->size(), 3u);
  EXPECT_EQ((*releases)[0].occasion, "publish");
  EXPECT_EQ((*releases)[0].city_name, "Bochum");
  EXPECT_EQ((*releases)[1].city_name, "Herne");
  EXPECT_EQ((*releases)[2].occasion, "withdraw");
  EXPECT_GT((*releases)[1].withheld_cells, 0u);
  EXPECT_EQ(monitoring_->releases(role(auth::Role::city_approval, city_.at("herne")), "staff", 2024)
                .error()
                .code,
            ErrorCode::forbidden);
  EXPECT_FALSE(run(*storage_, "UPDATE published_release SET table_json = '{}'").ok());
  EXPECT_FALSE(run(*storage_, "DELETE FROM published_release").ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM published_release"), 3);
  EXPECT_EQ(found_in(2024), "");
}

TEST_P(ReleaseTest, ATableWhoseFiguresDoNotChangeKeepsItsRelease) {
  auto bochum = bochum_staff();
  bochum.push_back({"staff_gender", "total", 290, 47, 2842, "", "Personalstatistik", "2024-12-31"});
  bochum.push_back({"staff_gender", "female", 150, 25, 1500, "", "Personalstatistik", "2024-12-31"});
  bochum.push_back({"staff_gender", "male", 140, 22, 1342, "", "Personalstatistik", "2024-12-31"});
  bochum.push_back({"staff_gender", "diverse_or_none", 0, 0, 0, "", "Personalstatistik", "2024-12-31"});
  approved("bochum", 2024, bochum);
  approved("herne", 2024, herne_staff());  // no figures by gender
  std::vector<std::string> planned;
  monitoring_->observe_table_planning([&](std::string_view code) { planned.emplace_back(code); });
  publish("bochum", 2024);
  EXPECT_EQ(planned, (std::vector<std::string>{"staff", "staff_gender"}));
  planned.clear();
  publish("herne", 2024);
  EXPECT_EQ(planned, std::vector<std::string>{"staff"}) << "the gender table is as it was";
  EXPECT_EQ(monitoring_->published_table("staff_gender", 2024)->generation, 1);
  EXPECT_EQ(monitoring_->published_table("staff", 2024)->generation, 2);
}

TEST_P(ReleaseTest, ATablePublishedBeforeReleasesWereKeptIsRecordedAndPlannedAgainst) {
  approved("bochum", 2024, bochum_staff());
  approved("herne", 2024, herne_staff());
  publish("bochum", 2024);
  // A database from before this version: the table is there, its release is not.
  const bool sqlite = GetParam() == storage::Backend::sqlite;
  ASSERT_TRUE(run(*storage_, sqlite ? "DROP TRIGGER published_release_no_delete"
                                    : "DROP TRIGGER published_release_no_update ON published_release")
                  .ok());
  ASSERT_TRUE(run(*storage_, "DELETE FROM published_release").ok());
  publish("herne", 2024);
  auto releases = monitoring_->releases(office_, "staff", 2024);
  ASSERT_TRUE(releases);
  ASSERT_EQ(releases->size(), 2u);
  EXPECT_EQ((*releases)[0].occasion, "recorded");
  EXPECT_EQ((*releases)[0].generation, 1);
  EXPECT_EQ((*releases)[1].generation, 2);
  EXPECT_EQ(found_in(2024), "");
}

TEST_P(ReleaseTest, APublicationThatWouldGiveAFigureAwayIsRefusedAndWritesNothing) {
  approved("bochum", 2024, bochum_staff());
  approved("herne", 2024, herne_staff());
  publish("bochum", 2024);
  // A planner defect, made up: Herne's 3 persons of the higher service shown after all.
  monitoring_->alter_planned_releases([&](Release& release) {
    auto& table = release.table;
    const auto herne = table.city_index(city_.at("herne"));
    if (!herne) return;
    const auto higher = *table.category_index("civil_servants_higher");
    const auto with = *table.trait_index(Trait::with_history);
    auto& count = table.cells[*herne * table.categories.size() + higher].counts[with];
    count.value = 3;
    count.sign = disclosure::Sign::value;
  });
  const auto releases_before = count("SELECT COUNT(*) FROM published_release");
  auto outcome = monitoring_->publish(office_, city_.at("herne"), 2024);
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(outcome->done);
  ASSERT_FALSE(outcome->exposed.empty());
  const auto named = std::find_if(outcome->exposed.begin(), outcome->exposed.end(),
                                  [](const ExposedFigure& figure) {
                                    return figure.city_name == "Herne" &&
                                           figure.category_name_de == "Höherer Dienst" &&
                                           figure.trait == "with_history";
                                  });
  ASSERT_NE(named, outcome->exposed.end());
  EXPECT_EQ(named->low, 3);
  EXPECT_EQ(named->high, 3);
  EXPECT_EQ(named->indicator_code, "staff");
  EXPECT_EQ(count("SELECT COUNT(*) FROM published_release"), releases_before);
  auto view = monitoring_->report(office_, city_.at("herne"), 2024);
  EXPECT_EQ(view->report->status, ReportStatus::approved);
  EXPECT_EQ(monitoring_->published_table("staff", 2024)->generation, 1);
}

// Random sequences of what happens to a year: a city publishes, is withdrawn, or corrects its
// published figures; after every step the attacker holds every table so far.
TEST_P(ReleaseTest, RandomSequencesOfPublicationsGiveNothingAway) {
  std::mt19937 random(4711);
  std::uniform_int_distribution<std::int64_t> small(0, 6), large(5, 150);
  std::uniform_int_distribution<int> kind(0, 9);
  const auto count_of = [&] { return kind(random) < 4 ? small(random) : large(random); };
  const auto random_staff = [&] {
    std::array<Leaf, 6> leaves;
    for (Leaf& leaf : leaves) {
      const std::int64_t with = count_of(), unknown = count_of(), without = count_of();
      leaf = {with, unknown, with + unknown + without};
    }
    return staff_of(leaves, "Prüfdaten");
  };
  const std::vector<std::string> cities{"bochum", "herne", "essen"};
  for (int year = 2018; year < 2021; ++year) {
    std::string steps;
    for (const auto& slug : cities) approved(slug, year, random_staff());
    for (int step = 0; step < 5; ++step) {
      const std::string slug = cities[random() % cities.size()];
      const bool is_published = published_[year].contains(slug);
      const int action = static_cast<int>(random() % 3);
      if (!is_published) {
        steps += "publish " + slug + "; ";
        publish(slug, year);
      } else if (action == 0) {
        steps += "withdraw " + slug + "; ";
        withdraw(slug, year);
      } else {
        steps += "correct " + slug + "; ";
        correct(slug, year, random_staff());
      }
      ASSERT_EQ(found_in(year), "") << year << ": " << steps;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ReleaseTest,
                         ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& backend) {
                           return backend.param == storage::Backend::sqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace ik::monitoring
