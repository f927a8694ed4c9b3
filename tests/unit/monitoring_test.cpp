#include "monitoring/monitoring.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "monitoring/figures.hpp"
#include "storage/storage.hpp"
#include "test_database.hpp"

namespace ik::monitoring {
namespace {

using ik::testing::postgres_url;
using ik::testing::ScratchDatabase;
using ik::testing::run;

ValueEdit cell(std::string indicator, std::string category, std::optional<std::int64_t> numerator,
               std::optional<std::int64_t> unknown, std::optional<std::int64_t> denominator,
               std::string comment = {}) {
  return ValueEdit{std::move(indicator), std::move(category), numerator,           unknown,
                   denominator,          std::move(comment),  "Personalstatistik", "2024-12-31"};
}

// A consistent year of the indicator "staff" (parts add up to their totals).
std::vector<ValueEdit> staff_year(std::int64_t scale = 1) {
  return {cell("staff", "total", 300 * scale, 30 * scale, 1000 * scale),
          cell("staff", "civil_servants", 100 * scale, 10 * scale, 400 * scale),
          cell("staff", "civil_servants_basic_middle", 40 * scale, 4 * scale, 150 * scale),
          cell("staff", "civil_servants_upper", 40 * scale, 4 * scale, 150 * scale),
          cell("staff", "civil_servants_higher", 20 * scale, 2 * scale, 100 * scale),
          cell("staff", "employees", 200 * scale, 20 * scale, 600 * scale),
          cell("staff", "eg_1_8", 120 * scale, 10 * scale, 300 * scale),
          cell("staff", "eg_9_12", 60 * scale, 6 * scale, 200 * scale),
          cell("staff", "eg_13_plus", 20 * scale, 4 * scale, 100 * scale)};
}

// Passes every call through and says whether a transaction is open right now, so a test can
// tell where publication runs the solver.
class WatchedStorage final : public storage::Storage {
 public:
  explicit WatchedStorage(storage::Storage& inner) : inner_(inner) {}
  storage::Backend backend() const override { return inner_.backend(); }
  Status write(const storage::Work& work) override {
    ++writes_;
    return inner_.write([&](storage::Transaction& transaction) -> Status {
      in_transaction_ = true;
      auto status = work(transaction);
      in_transaction_ = false;
      return status;
    });
  }
  Status read(const storage::Work& work) override {
    return inner_.read([&](storage::Transaction& transaction) -> Status {
      in_transaction_ = true;
      auto status = work(transaction);
      in_transaction_ = false;
      return status;
    });
  }
  Status ping() override { return inner_.ping(); }
  Status backup(const std::string& target) override { return inner_.backup(target); }
  bool in_transaction() const { return in_transaction_; }
  int writes() const { return writes_; }

 private:
  storage::Storage& inner_;
  bool in_transaction_ = false;
  int writes_ = 0;
};

class MonitoringTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == storage::Backend::postgres && postgres_url() == nullptr)
      GTEST_SKIP() << "IK_TEST_POSTGRES_URL is not set";
    auto database = ScratchDatabase::create(GetParam(), "monitoring");
    ASSERT_TRUE(database) << database.error().detail;
    database_ = std::move(*database);
    storage_ = &database_->storage();
    ASSERT_TRUE(cooperation::seed(*storage_));
    auto seeded = seed(*storage_);
    ASSERT_TRUE(seeded.ok()) << seeded.error().detail;
    first_seed_ = *seeded;
    cooperation_ = std::make_unique<cooperation::Cooperation>(*storage_);
    bochum_ = cooperation_->city("bochum")->id;
    dortmund_ = cooperation_->city("dortmund")->id;
    monitoring_ = std::make_unique<Monitoring>(*storage_, clock_, *cooperation_);
    entry_ = principal(1, "bochum_entry", auth::Role::city_entry, bochum_);
    approval_ = principal(2, "bochum_approval", auth::Role::city_approval, bochum_);
    office_ = principal(3, "office", auth::Role::office, std::nullopt);
    stranger_entry_ = principal(4, "dortmund_entry", auth::Role::city_entry, dortmund_);
    stranger_approval_ = principal(5, "dortmund_approval", auth::Role::city_approval, dortmund_);
  }

  void TearDown() override {
    monitoring_.reset();
    cooperation_.reset();
    database_.reset();
  }

  static auth::Principal principal(std::int64_t id, std::string name, auth::Role role,
                                   std::optional<CityId> city) {
    return auth::Principal{id, name, name, {{role, city}}};
  }

  std::int64_t count(const std::string& table) {
    return ik::testing::query_integer(*storage_, "SELECT COUNT(*) FROM " + table);
  }

  // Saves, submits and approves a consistent staff year for Bochum.
  void approved_year(int year) {
    auto saved = monitoring_->save_values(entry_, bochum_, year, staff_year());
    ASSERT_TRUE(saved.ok());
    ASSERT_TRUE(saved->saved);
    ASSERT_TRUE(monitoring_->submit(entry_, bochum_, year));
    ASSERT_TRUE(monitoring_->approve(approval_, bochum_, year));
  }

  std::unique_ptr<ScratchDatabase> database_;
  storage::Storage* storage_ = nullptr;
  ManualClock clock_{1'800'000'000};
  std::unique_ptr<cooperation::Cooperation> cooperation_;
  std::unique_ptr<Monitoring> monitoring_;
  int first_seed_ = 0;
  CityId bochum_ = 0;
  CityId dortmund_ = 0;
  auth::Principal entry_, approval_, office_, stranger_entry_, stranger_approval_;
};

TEST_P(MonitoringTest, SeedLoadsTheStandardSetOnceAndKeepsTheOfficesEdits) {
  EXPECT_GT(first_seed_, 100);
  EXPECT_EQ(count("immigration_definition"), 5);
  EXPECT_EQ(count("indicator"), 9);
  EXPECT_EQ(count("validation_rule"), 5);
  EXPECT_EQ(count("reference_figure"), 50);
  const auto audit_rows = count("audit_log");
  auto again = seed(*storage_);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(count("audit_log"), audit_rows);

  auto staff = monitoring_->indicator_for_year("staff", 2024);
  ASSERT_TRUE(staff);
  auto breakdown = monitoring_->breakdown(staff->breakdown_id);
  ASSERT_TRUE(breakdown);
  ASSERT_EQ(breakdown->categories.size(), 9u);
  EXPECT_EQ(breakdown->categories[0].code, "total");
  EXPECT_EQ(breakdown->categories[1].code, "civil_servants");
  EXPECT_EQ(breakdown->categories[2].depth, 2);  // depth-first: the pay bands follow their group

  IndicatorDraft draft{staff->name_de + " (neu)",
                       staff->name_en,
                       staff->unit,
                       staff->definition_de,
                       staff->definition_en,
                       "einwanderungsgeschichte",
                       staff->population,
                       "staff_structure",
                       true,
                       1,
                       2025,
                       std::nullopt};
  auto version = monitoring_->save_indicator(office_, "staff", draft);
  ASSERT_TRUE(version) << version.error().message_key;
  ASSERT_TRUE(seed(*storage_));
  auto versions = monitoring_->indicator_versions("staff");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ(monitoring_->indicator_for_year("staff", 2024)->version, 1);
  EXPECT_EQ(monitoring_->indicator_for_year("staff", 2025)->version, 2);
  // The same draft again creates no version.
  EXPECT_EQ(*monitoring_->save_indicator(office_, "staff", draft), *version);
  EXPECT_EQ(monitoring_->indicator_versions("staff")->size(), 2u);
  EXPECT_EQ(monitoring_->save_indicator(entry_, "staff", draft).error().code, ErrorCode::forbidden);

  auto figures = monitoring_->reference_figures(bochum_);
  ASSERT_TRUE(figures);
  ASSERT_FALSE(figures->empty());
  EXPECT_EQ(figures->front().city_label, "Bochum");
  EXPECT_FALSE(figures->front().source_url.empty());
  auto all = monitoring_->reference_figures();
  const auto text_value = std::find_if(all->begin(), all->end(), [](const ReferenceFigure& figure) {
    return figure.value == ">45";
  });
  ASSERT_NE(text_value, all->end());
  EXPECT_FALSE(text_value->numeric);  // kept as published, never turned into a number
}

TEST_P(MonitoringTest, SavingTheSameValuesTwiceChangesNothingAndEveryChangeIsARevision) {
  auto first = monitoring_->save_values(entry_, bochum_, 2024, staff_year());
  ASSERT_TRUE(first.ok()) << first.error().message_key;
  EXPECT_TRUE(first->saved);
  EXPECT_EQ(first->changed, 9);
  EXPECT_EQ(count("indicator_value"), 9);
  EXPECT_EQ(count("indicator_value_revision"), 9);
  const auto audit_rows = count("audit_log");

  auto second = monitoring_->save_values(entry_, bochum_, 2024, staff_year());
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->saved);
  EXPECT_EQ(second->changed, 0);
  EXPECT_EQ(count("indicator_value_revision"), 9);
  EXPECT_EQ(count("audit_log"), audit_rows);

  auto edits = staff_year();
  edits[0].comment = "Stichtag \"31.12.\" geändert \\ neu";
  edits[0].unknown = std::nullopt;
  ASSERT_TRUE(monitoring_->save_values(entry_, bochum_, 2024, edits)->saved);
  auto view = monitoring_->report(entry_, bochum_, 2024);
  ASSERT_TRUE(view);
  ASSERT_TRUE(view->report);
  EXPECT_EQ(view->report->status, ReportStatus::draft);
  const auto total = std::find_if(view->values.begin(), view->values.end(), [](const Value& value) {
    return value.category_code == "total";
  });
  ASSERT_NE(total, view->values.end());
  EXPECT_EQ(total->revision, 2);
  EXPECT_EQ(total->comment, "Stichtag \"31.12.\" geändert \\ neu");
  auto revisions = monitoring_->revisions(entry_, bochum_, 2024);
  ASSERT_TRUE(revisions);
  ASSERT_EQ(revisions->size(), 10u);
  EXPECT_EQ(revisions->front().revision, 2);
  EXPECT_NE(revisions->front().before_json.find("\"comment\":\"\""), std::string::npos);
  // The revision keeps old → new of every field as JSON, also a text that needs escaping.
  const auto before = nlohmann::json::parse(revisions->front().before_json);
  const auto after = nlohmann::json::parse(revisions->front().after_json);
  EXPECT_EQ(before.at("unknown"), 30);
  EXPECT_TRUE(after.at("unknown").is_null());
  EXPECT_EQ(after.at("comment"), "Stichtag \"31.12.\" geändert \\ neu");
  EXPECT_EQ(after.at("numerator"), 300);
  EXPECT_EQ(after.at("denominator"), 1000);
  EXPECT_EQ(after.at("source"), "Personalstatistik");
  EXPECT_EQ(after.at("reference_date"), "2024-12-31");
  EXPECT_EQ(after.at("indicator_version_id"), total->indicator_version_id);
  EXPECT_EQ(count("audit_log"), audit_rows + 1);

  // An empty cell deletes the value; the history stays.
  ASSERT_TRUE(
      monitoring_
          ->save_values(entry_, bochum_, 2024,
                        {ValueEdit{.indicator_code = "staff", .category_code = "eg_13_plus"}})
          ->saved);
  EXPECT_EQ(count("indicator_value"), 8);
  EXPECT_EQ(count("indicator_value_revision"), 11);
}

// The grid sends a comment back from its textarea with CR LF line breaks and the Stichtag as the
// user reads it ("31.12.2024"): a save of what is stored is no change, whoever sends it.
TEST_P(MonitoringTest, ASaveThatChangesNothingCreatesNoRevision) {
  auto edits = staff_year();
  edits[0].comment = "Übernahme aus SAP,\nStand März";
  ASSERT_TRUE(monitoring_->save_values(entry_, bochum_, 2024, edits)->saved);
  const auto revisions = count("indicator_value_revision");
  const auto audit_rows = count("audit_log");

  const auto unchanged = [&](const char* what) {
    auto again = monitoring_->save_values(entry_, bochum_, 2024, edits);
    ASSERT_TRUE(again.ok()) << again.error().message_key;
    EXPECT_TRUE(again->saved) << what;
    EXPECT_EQ(again->changed, 0) << what;
    EXPECT_EQ(count("indicator_value_revision"), revisions) << what;
    EXPECT_EQ(count("audit_log"), audit_rows) << what;
  };
  edits[0].comment = "  Übernahme aus SAP,\r\nStand März\r\n";
  unchanged("CR LF and spaces around the comment");
  for (auto& edit : edits) edit.reference_date = "31.12.2024";
  unchanged("the Stichtag in German");
  const auto view = monitoring_->report(entry_, bochum_, 2024);
  ASSERT_TRUE(view);
  ASSERT_FALSE(view->values.empty());
  const auto total = std::find_if(view->values.begin(), view->values.end(),
                                  [](const Value& value) { return value.category_code == "total"; });
  ASSERT_NE(total, view->values.end());
  EXPECT_EQ(total->comment, "Übernahme aus SAP,\nStand März");
  EXPECT_EQ(total->revision, 1);
}

TEST_P(MonitoringTest, AStichtagIsTakenInGermanOrIsoAndStoredAsIso) {
  auto edits = staff_year();
  edits[0].reference_date = "31.12.2024";
  edits[1].reference_date = "1.7.2024";
  edits[2].reference_date = "12.2024";
  edits[3].reference_date = " 2024 ";
  auto saved = monitoring_->save_values(entry_, bochum_, 2024, edits);
  ASSERT_TRUE(saved.ok()) << saved.error().message_key;
  ASSERT_TRUE(saved->saved) << saved->findings.front().message_key;
  const auto view = monitoring_->report(entry_, bochum_, 2024);
  ASSERT_TRUE(view);
  std::map<std::string, std::string> stored;
  for (const auto& value : view->values) stored[value.category_code] = value.reference_date;
  EXPECT_EQ(stored["total"], "2024-12-31");
  EXPECT_EQ(stored["civil_servants"], "2024-07-01");
  EXPECT_EQ(stored["civil_servants_basic_middle"], "2024-12");
  EXPECT_EQ(stored["civil_servants_upper"], "2024");
  EXPECT_EQ(stored["employees"], "2024-12-31");

  // No day of the calendar, a two-digit year, text: refused at the field, nothing written.
  const auto revisions = count("indicator_value_revision");
  for (const auto* typed : {"31.02.2024", "31.12.24", "Ende 2024", "2024-13-01"}) {
    edits[0].reference_date = typed;
    auto refused = monitoring_->save_values(entry_, bochum_, 2024, edits);
    ASSERT_TRUE(refused.ok());
    EXPECT_FALSE(refused->saved) << typed;
    const auto finding = std::find_if(refused->findings.begin(), refused->findings.end(),
                                      [](const Finding& candidate) { return candidate.field == "reference_date"; });
    ASSERT_NE(finding, refused->findings.end()) << typed;
    EXPECT_EQ(finding->message_key, "monitoring.finding_reference_date");
    EXPECT_EQ(finding->edit, std::optional<std::size_t>(0));
  }
  EXPECT_EQ(count("indicator_value_revision"), revisions);
}

// 2 → 3 persons is +50 %, but no change worth a comment: the rule needs the percentage AND an
// absolute change of at least its minimum (seeded: 5 persons).
TEST_P(MonitoringTest, AYearOnYearChangeNeedsThePercentageAndEnoughPersons) {
  ASSERT_TRUE(monitoring_->save_values(entry_, bochum_, 2023, {cell("staff", "total", 2, 0, 100)})->saved);
  const auto fired = [&](std::int64_t numerator, std::int64_t denominator) {
    auto findings = monitoring_->validate(entry_, bochum_, 2024, {cell("staff", "total", numerator, 0, denominator)});
    EXPECT_TRUE(findings.ok());
    std::set<std::string> fields;
    for (const auto& finding : *findings) {
      if (finding.message_key == "monitoring.finding_year_on_year") fields.insert(finding.field);
    }
    return fields;
  };
  using Fields = std::set<std::string>;
  EXPECT_EQ(fired(3, 100), Fields{}) << "+50 %, one person";
  EXPECT_EQ(fired(6, 100), Fields{}) << "+200 %, four persons";
  EXPECT_EQ(fired(7, 100), Fields{"numerator"}) << "+250 %, five persons";
  EXPECT_EQ(fired(2, 124), Fields{}) << "+24 %: within the threshold of 25 %";
  EXPECT_EQ(fired(2, 126), Fields{"denominator"}) << "+26 %, 26 persons";

  // The minimum is data, like the threshold: the office sets it (0: every change counts).
  const auto stored_rule = [&] {
    const auto rules = monitoring_->rules();
    EXPECT_TRUE(rules);
    return *std::find_if(rules->begin(), rules->end(), [](const ValidationRule& candidate) {
      return candidate.kind == RuleKind::year_on_year_change;
    });
  };
  auto rule = stored_rule();
  EXPECT_EQ(rule.threshold, 25);
  EXPECT_EQ(rule.minimum_change, 5);
  for (const auto refused : {std::optional<int>(-1), std::optional<int>(100001), std::optional<int>()}) {
    auto changed = rule;
    changed.minimum_change = refused;
    const auto status = monitoring_->update_rule(office_, changed);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().field, "minimum_change");
    EXPECT_EQ(status.error().message_key, "monitoring.rule_minimum_change");
  }
  EXPECT_EQ(stored_rule().minimum_change, 5);
  rule.minimum_change = 0;
  EXPECT_EQ(monitoring_->update_rule(entry_, rule).error().code, ErrorCode::forbidden);
  ASSERT_TRUE(monitoring_->update_rule(office_, rule));
  EXPECT_EQ(fired(3, 100), Fields{"numerator"}) << "+50 %, and no minimum any more";
}

TEST(OfferedYears, TheRecentYearsAndEveryYearWithAReport) {
  EXPECT_EQ(offered_years({}, 2027), (std::vector<int>{2027, 2026, 2025, 2024}));
  const std::vector<Report> reports{Report{.year = 2019}, Report{.year = 2026}, Report{.year = 2015}};
  EXPECT_EQ(offered_years(reports, 2027), (std::vector<int>{2027, 2026, 2025, 2024, 2019, 2015}));
}

// The office's list: submitted and approved reports of every city, the longest waiting first,
// each since the step into its status; drafts and published reports wait for nobody.
TEST_P(MonitoringTest, TheOfficeListsEveryCitysReportsWaitingForAStep) {
  approved_year(2023);  // Bochum 2023: approved at the clock's start
  clock_.advance(86400);
  auto saved = monitoring_->save_values(stranger_entry_, dortmund_, 2024, staff_year(2));
  ASSERT_TRUE(saved.ok() && saved->saved);
  ASSERT_TRUE(monitoring_->submit(stranger_entry_, dortmund_, 2024));  // Dortmund 2024: submitted a day later
  ASSERT_TRUE(monitoring_->save_values(entry_, bochum_, 2024, staff_year())->saved);  // a draft
  approved_year(2022);
  ASSERT_TRUE(monitoring_->publish(office_, bochum_, 2022));  // published
  clock_.advance(86400);
  // Returned and submitted again: it waits since the new submission.
  ASSERT_TRUE(monitoring_->return_report(stranger_approval_, dortmund_, 2024, "Bitte prüfen"));
  ASSERT_TRUE(monitoring_->submit(stranger_entry_, dortmund_, 2024));

  auto waiting = monitoring_->waiting_reports(office_);
  ASSERT_TRUE(waiting.ok()) << waiting.error().message_key;
  ASSERT_EQ(waiting->size(), 2u);
  EXPECT_EQ((*waiting)[0].report.city_id, bochum_);
  EXPECT_EQ((*waiting)[0].report.year, 2023);
  EXPECT_EQ((*waiting)[0].report.status, ReportStatus::approved);
  EXPECT_EQ((*waiting)[0].since, 1'800'000'000);
  EXPECT_EQ((*waiting)[1].report.city_id, dortmund_);
  EXPECT_EQ((*waiting)[1].report.status, ReportStatus::submitted);
  EXPECT_EQ((*waiting)[1].since, 1'800'000'000 + 2 * 86400);
  for (const auto* city_role : {&entry_, &approval_, &stranger_approval_}) {
    EXPECT_EQ(monitoring_->waiting_reports(*city_role).error().code, ErrorCode::forbidden);
  }
}

TEST_P(MonitoringTest, AYearAfterTheCurrentOneHasNoDataYet) {
  // The clock stands in January 2027: 2027 may be entered, 2028 not.
  const auto refused = monitoring_->save_values(entry_, bochum_, 2028, staff_year());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(refused.error().field, "year");
  EXPECT_EQ(refused.error().message_key, "monitoring.year_in_future");
  EXPECT_EQ(count("report"), 0);
  const auto saved = monitoring_->save_values(entry_, bochum_, 2027, staff_year());
  ASSERT_TRUE(saved.ok()) << saved.error().message_key;
  EXPECT_TRUE(saved->saved);
}

TEST_P(MonitoringTest, ErrorsStopTheSaveAndWarningsNeedAComment) {
  auto edits = staff_year();
  edits[1].numerator = 2000;  // civil servants with history above all staff with history
  auto refused = monitoring_->save_values(entry_, bochum_, 2024, edits);
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->saved);
  EXPECT_EQ(count("indicator_value"), 0);
  const auto part =
      std::find_if(refused->findings.begin(), refused->findings.end(), [](const Finding& finding) {
        return finding.message_key == "monitoring.finding_part_above_total";
      });
  ASSERT_NE(part, refused->findings.end());
  EXPECT_EQ(part->category_code, "civil_servants");
  EXPECT_EQ(part->field, "numerator");
  EXPECT_EQ(part->edit, std::optional<std::size_t>(1));

  auto unknown =
      monitoring_->validate(entry_, bochum_, 2024,
                            {cell("staff", "nonsense", 1, 0, 2), cell("no_such", "total", 1, 0, 2),
                             cell("staff", "total", -1, 0, 10)});
  ASSERT_TRUE(unknown.ok());
  std::set<std::string> keys;
  for (const auto& finding : *unknown) keys.insert(finding.message_key);
  EXPECT_TRUE(keys.contains("monitoring.finding_unknown_category"));
  EXPECT_TRUE(keys.contains("monitoring.finding_unknown_indicator"));
  EXPECT_TRUE(keys.contains("monitoring.finding_negative"));
  EXPECT_EQ(count("indicator_value"), 0);

  // The pay bands no longer add up to the employees: a warning, saved, but blocking submission.
  edits = staff_year();
  edits[6].denominator = 310;
  auto warned = monitoring_->save_values(entry_, bochum_, 2024, edits);
  ASSERT_TRUE(warned.ok());
  EXPECT_TRUE(warned->saved);
  const auto sum =
      std::find_if(warned->findings.begin(), warned->findings.end(), [](const Finding& finding) {
        return finding.message_key == "monitoring.finding_sum_mismatch";
      });
  ASSERT_NE(sum, warned->findings.end());
  EXPECT_EQ(sum->severity, Severity::warning);
  EXPECT_TRUE(sum->blocking);
  EXPECT_EQ(monitoring_->submit(entry_, bochum_, 2024).error().message_key, "report.has_errors");
  edits[5].comment = "Zehn Beschäftigte ohne Zuordnung zu einer Entgeltgruppe";
  ASSERT_TRUE(monitoring_->save_values(entry_, bochum_, 2024, edits)->saved);
  EXPECT_TRUE(monitoring_->submit(entry_, bochum_, 2024));
}

TEST_P(MonitoringTest, WorkflowLocksApprovedDataAndPublishesTheSuppressedTable) {
  EXPECT_EQ(monitoring_->submit(entry_, bochum_, 2024).error().code, ErrorCode::not_found);
  approved_year(2024);
  auto locked = monitoring_->save_values(entry_, bochum_, 2024, staff_year(2));
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().message_key, "report.locked");
  EXPECT_EQ(monitoring_->approve(approval_, bochum_, 2024).error().message_key,
            "report.wrong_status");
  EXPECT_EQ(monitoring_->publish(approval_, bochum_, 2024).error().code, ErrorCode::forbidden);
  EXPECT_EQ(monitoring_->published_table("staff", 2024).error().code, ErrorCode::not_found);

  ASSERT_TRUE(monitoring_->publish(office_, bochum_, 2024));
  auto published = monitoring_->published_table("staff", 2024);
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(published->generation, 1);
  EXPECT_EQ(published->published_by, "office");
  auto table = from_json(published->table_json);
  ASSERT_TRUE(table.ok());
  const auto city = table->city_index(bochum_);
  ASSERT_TRUE(city.has_value());
  // The higher service has 2 persons without an answer: below the minimum, never published.
  const auto higher = table->category_index("civil_servants_higher");
  const auto unknown = table->trait_index(Trait::unknown);
  ASSERT_TRUE(higher && unknown);
  const auto& small = table->cell(*city, *higher).counts.at(*unknown);
  EXPECT_FALSE(small.value.has_value());
  EXPECT_EQ(published->table_json.find("\"value\":2,"), std::string::npos);
  EXPECT_EQ(published->table_json.find("\"value\":2}"), std::string::npos);
  EXPECT_EQ(*monitoring_->published_years("staff"), std::vector<int>{2024});
  EXPECT_EQ(monitoring_->published_table("staff_gender", 2024).error().code, ErrorCode::not_found);

  EXPECT_EQ(monitoring_->withdraw(office_, bochum_, 2024, "  ").error().field, "reason");
  ASSERT_TRUE(monitoring_->withdraw(office_, bochum_, 2024, "Zahl falsch übermittelt"));
  EXPECT_EQ(monitoring_->published_table("staff", 2024).error().code, ErrorCode::not_found);
  ASSERT_TRUE(monitoring_->return_report(office_, bochum_, 2024, "Bitte korrigieren"));
  auto view = monitoring_->report(approval_, bochum_, 2024);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->report->status, ReportStatus::draft);
  EXPECT_EQ(view->report->return_reason, "Bitte korrigieren");
  ASSERT_EQ(view->events.size(), 5u);
  EXPECT_EQ(view->events.back().action, "return");
  EXPECT_TRUE(monitoring_->save_values(entry_, bochum_, 2024, staff_year(2))->saved);
}

TEST_P(MonitoringTest, TheConfiguredMinimumDecidesWhatIsPublished) {
  approved_year(2024);
  const auto unknown_in_pay_groups_1_8 = [&]() -> std::optional<std::int64_t> {
    auto table = from_json(monitoring_->published_table("staff", 2024)->table_json);
    EXPECT_TRUE(table.ok());
    const auto& cell = table->cell(*table->city_index(bochum_), *table->category_index("eg_1_8"));
    return cell.counts.at(*table->trait_index(Trait::unknown)).value;
  };
  Monitoring strict(*storage_, clock_, *cooperation_,
                    {.minimum_count = 20,
                     .full_total_threshold = 40,
                     .upper_protection = 20,
                     .lower_protection = 20});
  ASSERT_TRUE(strict.publish(office_, bochum_, 2024));
  EXPECT_EQ(unknown_in_pay_groups_1_8(), std::nullopt) << "10 is below a minimum of 20";

  ASSERT_TRUE(strict.withdraw(office_, bochum_, 2024, "Regeln geändert"));
  ASSERT_TRUE(monitoring_->publish(office_, bochum_, 2024));
  EXPECT_EQ(unknown_in_pay_groups_1_8(), 10) << "the default minimum of 5 publishes it";
}

TEST_P(MonitoringTest, AnotherCitysPeopleAreRefusedEverywhere) {
  ASSERT_TRUE(monitoring_->save_values(entry_, bochum_, 2024, staff_year())->saved);
  for (const auto* stranger : {&stranger_entry_, &stranger_approval_}) {
    EXPECT_EQ(monitoring_->reports(*stranger, bochum_).error().code, ErrorCode::forbidden);
    EXPECT_EQ(monitoring_->report(*stranger, bochum_, 2024).error().code, ErrorCode::forbidden);
    EXPECT_EQ(monitoring_->revisions(*stranger, bochum_, 2024).error().code, ErrorCode::forbidden);
    EXPECT_EQ(monitoring_->validate(*stranger, bochum_, 2024, staff_year()).error().code,
              ErrorCode::forbidden);
    EXPECT_EQ(monitoring_->save_values(*stranger, bochum_, 2024, staff_year()).error().code,
              ErrorCode::forbidden);
    EXPECT_EQ(monitoring_->submit(*stranger, bochum_, 2024).error().code, ErrorCode::forbidden);
    EXPECT_EQ(monitoring_->approve(*stranger, bochum_, 2024).error().code, ErrorCode::forbidden);
    EXPECT_EQ(monitoring_->return_report(*stranger, bochum_, 2024, "x").error().code,
              ErrorCode::forbidden);
    EXPECT_EQ(monitoring_->publish(*stranger, bochum_, 2024).error().code, ErrorCode::forbidden);
    EXPECT_EQ(monitoring_->withdraw(*stranger, bochum_, 2024, "x").error().code,
              ErrorCode::forbidden);
    EXPECT_EQ(
        monitoring_->set_target(*stranger, {bochum_, "staff", "", "35,0", 2030, 2024}).error().code,
        ErrorCode::forbidden);
  }
  // The approval role may not enter, the entry role may not approve.
  EXPECT_EQ(monitoring_->save_values(approval_, bochum_, 2024, staff_year()).error().code,
            ErrorCode::forbidden);
  ASSERT_TRUE(monitoring_->submit(entry_, bochum_, 2024));
  EXPECT_EQ(monitoring_->approve(entry_, bochum_, 2024).error().code, ErrorCode::forbidden);
}

TEST_P(MonitoringTest, TargetsAreSetByTheOfficeOrTheCitysApprovalRole) {
  auto id = monitoring_->set_target(approval_, {bochum_, "staff", "", "35,0", 2030, 2024});
  ASSERT_TRUE(id.ok()) << id.error().message_key;
  EXPECT_EQ(monitoring_->set_target(office_, {bochum_, "staff", "", "36,5", 2030, 2024}).value(),
            *id);
  EXPECT_EQ(
      monitoring_->set_target(office_, {bochum_, "staff", "", "viel", 2030, 2024}).error().field,
      "value");
  EXPECT_EQ(
      monitoring_->set_target(office_, {bochum_, "staff", "nope", "1", 2030, 2024}).error().field,
      "category");
  EXPECT_EQ(monitoring_->set_target(office_, {bochum_, "staff", "", "1", 2030, 2031}).error().field,
            "baseline_year");
  auto targets = monitoring_->targets(bochum_);
  ASSERT_TRUE(targets);
  ASSERT_EQ(targets->size(), 1u);
  EXPECT_EQ(targets->front().value, "36,5");
  EXPECT_EQ(monitoring_->delete_target(stranger_approval_, *id).error().code, ErrorCode::forbidden);
  ASSERT_TRUE(monitoring_->delete_target(office_, *id));
  EXPECT_TRUE(monitoring_->targets(bochum_)->empty());
}

TEST_P(MonitoringTest, AFailingSaveOrPublicationLeavesNothingBehind) {
  bool saved = false;
  for (int fail_at = 1; fail_at < 200 && !saved; ++fail_at) {
    storage::FaultInjectingStorage failing(*storage_, fail_at);
    Monitoring monitoring(failing, clock_, *cooperation_);
    const auto values = count("indicator_value");
    const auto revisions = count("indicator_value_revision");
    const auto audit = count("audit_log");
    auto result = monitoring.save_values(entry_, bochum_, 2024, staff_year());
    saved = result.ok() && result->saved;
    if (saved) {
      EXPECT_EQ(count("indicator_value"), 9);
      EXPECT_EQ(count("indicator_value_revision"), 9);
      EXPECT_EQ(count("audit_log"), audit + 1);
    } else {
      EXPECT_EQ(count("indicator_value"), values) << "fail_at " << fail_at;
      EXPECT_EQ(count("indicator_value_revision"), revisions) << "fail_at " << fail_at;
      EXPECT_EQ(count("audit_log"), audit) << "fail_at " << fail_at;
      EXPECT_EQ(count("report"), 0) << "fail_at " << fail_at;
    }
  }
  ASSERT_TRUE(saved);
  ASSERT_TRUE(monitoring_->submit(entry_, bochum_, 2024));
  ASSERT_TRUE(monitoring_->approve(approval_, bochum_, 2024));
  bool published = false;
  for (int fail_at = 1; fail_at < 300 && !published; ++fail_at) {
    storage::FaultInjectingStorage failing(*storage_, fail_at);
    Monitoring monitoring(failing, clock_, *cooperation_);
    published = monitoring.publish(office_, bochum_, 2024).ok();
    if (!published) {
      EXPECT_EQ(count("published_table"), 0) << "fail_at " << fail_at;
      EXPECT_EQ(monitoring_->report(office_, bochum_, 2024)->report->status,
                ReportStatus::approved);
    }
  }
  ASSERT_TRUE(published);
  EXPECT_GE(count("published_table"), 1);
}

TEST_P(MonitoringTest, TheSolverRunsOutsideTheWriteTransactionAndAChangeMeanwhileIsCaught) {
  // Dortmund is published; Bochum is approved and about to be.
  auto saved = monitoring_->save_values(stranger_entry_, dortmund_, 2024, staff_year(2));
  ASSERT_TRUE(saved.ok() && saved->saved);
  ASSERT_TRUE(monitoring_->submit(stranger_entry_, dortmund_, 2024));
  ASSERT_TRUE(monitoring_->approve(stranger_approval_, dortmund_, 2024));
  ASSERT_TRUE(monitoring_->publish(office_, dortmund_, 2024));
  approved_year(2024);

  WatchedStorage watched(*storage_);
  Monitoring monitoring(watched, clock_, *cooperation_);
  int planned = 0;
  bool solver_in_transaction = false;
  monitoring.observe_table_planning([&](std::string_view) {
    solver_in_transaction = solver_in_transaction || watched.in_transaction();
    if (++planned != 1) return;
    // While the first table is planned, another writer withdraws Dortmund. With the solver inside
    // the write transaction this write could not happen now (SQLite: one writer); here it must
    // succeed, and the publication must notice that its tables no longer match the data.
    EXPECT_TRUE(run(*storage_, "UPDATE report SET status = 'approved' WHERE city_id = " +
                                   std::to_string(dortmund_) + " AND year = 2024")
                    .ok());
  });
  ASSERT_TRUE(monitoring.publish(office_, bochum_, 2024));
  EXPECT_FALSE(solver_in_transaction);
  EXPECT_EQ(watched.writes(), 2) << "the first write found changed inputs and stored nothing";
  EXPECT_EQ(planned, 2) << "planned once, found stale, planned again (one indicator has data)";

  auto table = from_json(monitoring_->published_table("staff", 2024)->table_json);
  ASSERT_TRUE(table.ok());
  EXPECT_TRUE(table->city_index(bochum_).has_value());
  EXPECT_FALSE(table->city_index(dortmund_).has_value()) << "a table must match the data";
  EXPECT_EQ(table->region_includes, std::vector<std::int64_t>{bochum_});
  auto view = monitoring_->report(office_, bochum_, 2024);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->report->status, ReportStatus::published);
  EXPECT_EQ(view->events.size(), 3u)
      << "submit, approve, publish: the rolled-back attempt left none";
}

TEST_P(MonitoringTest, APublicationWhoseDataKeepsChangingFailsAndPublishesNothing) {
  approved_year(2024);
  Monitoring monitoring(*storage_, clock_, *cooperation_);
  std::int64_t numerator = 300;
  monitoring.observe_table_planning([&](std::string_view) {
    ++numerator;
    EXPECT_TRUE(
        run(*storage_, "UPDATE indicator_value SET numerator = " + std::to_string(numerator) +
                           " WHERE numerator = " + std::to_string(numerator - 1))
            .ok());
  });
  auto status = monitoring.publish(office_, bochum_, 2024);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::unavailable);
  EXPECT_EQ(count("published_table"), 0);
  EXPECT_EQ(monitoring_->report(office_, bochum_, 2024)->report->status, ReportStatus::approved);
}

INSTANTIATE_TEST_SUITE_P(Backends, MonitoringTest,
                         ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& backend) {
                           return backend.param == storage::Backend::sqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace ik::monitoring
