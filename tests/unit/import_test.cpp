// The monitoring import: template, preview with every problem at its cell, commit all or
// nothing, idempotence; on SQLite and (with IK_TEST_POSTGRES_URL) PostgreSQL.
#include <gtest/gtest.h>

#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "monitoring/import.hpp"
#include "monitoring/monitoring.hpp"
#include "storage/storage.hpp"
#include "test_database.hpp"
#include "tabular/tabular.hpp"

namespace ik::monitoring {
namespace {

using ik::testing::postgres_url;
using ik::testing::ScratchDatabase;

constexpr std::string_view kHeader =
    "Stadt;Jahr;Indikator-Code;Indikator;Kategorie-Code;Kategorie;Anzahl mit Einwanderungsgeschichte;"
    "Anzahl ohne Angabe;Anzahl insgesamt;Quelle;Stichtag;Kommentar\r\n";

// A consistent year of "staff" for Bochum as German Excel writes it (thousands dots, dd.mm.yyyy).
std::string staff_rows(int year, std::string_view city = "bochum") {
  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> cells = {
      {"total", "300", "30", "1.000"},        {"civil_servants", "100", "10", "400"},
      {"civil_servants_basic_middle", "40", "4", "150"}, {"civil_servants_upper", "40", "4", "150"},
      {"civil_servants_higher", "20", "2", "100"}, {"employees", "200", "20", "600"},
      {"eg_1_8", "120", "10", "300"},         {"eg_9_12", "60", "6", "200"},
      {"eg_13_plus", "20", "4", "100"}};
  std::string rows;
  for (const auto& [category, numerator, unknown, denominator] : cells) {
    rows += std::string(city) + ";" + std::to_string(year) + ";staff;Beschäftigte;" + category + ";;" + numerator +
            ";" + unknown + ";" + denominator + ";Personalstatistik;31.12." + std::to_string(year) + ";\r\n";
  }
  return rows;
}

class ImportTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == storage::Backend::postgres && postgres_url() == nullptr)
      GTEST_SKIP() << "IK_TEST_POSTGRES_URL is not set";
    auto database = ScratchDatabase::create(GetParam(), "import");
    ASSERT_TRUE(database) << database.error().detail;
    database_ = std::move(*database);
    storage_ = &database_->storage();
    ASSERT_TRUE(cooperation::seed(*storage_));
    ASSERT_TRUE(seed(*storage_));
    cooperation_ = std::make_unique<cooperation::Cooperation>(*storage_);
    bochum_ = cooperation_->city("bochum")->id;
    dortmund_ = cooperation_->city("dortmund")->id;
    monitoring_ = std::make_unique<Monitoring>(*storage_, clock_, *cooperation_);
    importer_ = std::make_unique<Importer>(*storage_, clock_, *cooperation_);
    entry_ = principal(1, "bochum_entry", auth::Role::city_entry, bochum_);
    approval_ = principal(2, "bochum_approval", auth::Role::city_approval, bochum_);
    office_ = principal(3, "office", auth::Role::office, std::nullopt);
    stranger_ = principal(4, "dortmund_entry", auth::Role::city_entry, dortmund_);
  }

  void TearDown() override {
    importer_.reset();
    monitoring_.reset();
    cooperation_.reset();
    database_.reset();
  }

  static auth::Principal principal(std::int64_t id, std::string name, auth::Role role, std::optional<CityId> city) {
    return auth::Principal{id, name, name, {{role, city}}};
  }

  std::int64_t count(const std::string& table) {
    return ik::testing::query_integer(*storage_, "SELECT COUNT(*) FROM " + table);
  }

  // "B7 import.unknown_city" for each error, to compare with expectations in one go.
  static std::vector<std::string> errors_of(const ImportPreview& preview) {
    std::vector<std::string> errors;
    for (const auto& problem : preview.problems) {
      if (problem.severity != Severity::error) continue;
      errors.push_back((problem.column > 0 ? tabular::column_letters(problem.column) : std::string("-")) +
                       std::to_string(problem.row) + " " + problem.message_key);
    }
    return errors;
  }

  ManualClock clock_{1'800'000'000};
  std::unique_ptr<ScratchDatabase> database_;
  storage::Storage* storage_ = nullptr;
  std::unique_ptr<cooperation::Cooperation> cooperation_;
  std::unique_ptr<Monitoring> monitoring_;
  std::unique_ptr<Importer> importer_;
  CityId bochum_ = 0;
  CityId dortmund_ = 0;
  auth::Principal entry_, approval_, office_, stranger_;
};

TEST_P(ImportTest, TemplateListsTheCataloguesCellsAndReadsBackWithoutProblems) {
  auto sheet = importer_->template_sheet(entry_, bochum_, 2024);
  ASSERT_TRUE(sheet) << sheet.error().message_key;
  ASSERT_GT(sheet->rows.size(), 20u);
  EXPECT_EQ(sheet->rows[0].at(7).value, "Anzahl mit Einwanderungsgeschichte");
  bool has_staff_total = false;
  for (const auto& row : sheet->rows) {
    if (row.at(3).value == "staff" && row.at(5).value == "total") has_staff_total = true;
  }
  EXPECT_TRUE(has_staff_total);
  EXPECT_EQ(sheet->rows[1].at(1).value, "bochum");
  EXPECT_EQ(sheet->rows[1].at(2).value, "2024");

  for (const auto& bytes : {tabular::write_csv(*sheet), *tabular::write_xlsx(*sheet, "Vorlage")}) {
    auto preview = importer_->preview(entry_, bochum_, bytes, "vorlage");
    ASSERT_TRUE(preview) << preview.error().message_key;
    EXPECT_TRUE(preview->problems.empty()) << preview->problems.front().message_key;
    EXPECT_TRUE(preview->batches.empty());  // an empty template writes nothing
    EXPECT_EQ(preview->data_rows, static_cast<int>(sheet->rows.size()) - 1);
  }
  EXPECT_EQ(importer_->template_sheet(stranger_, bochum_, 2024).error().code, ErrorCode::forbidden);
  EXPECT_TRUE(importer_->template_sheet(office_, bochum_, 2024).ok());
}

TEST_P(ImportTest, CommitsOnceAndTheSameFileAgainChangesNothing) {
  const auto file = std::string(kHeader) + staff_rows(2023) + "\r\n" + staff_rows(2024);
  auto preview = importer_->preview(entry_, bochum_, file, "werte.csv");
  ASSERT_TRUE(preview);
  EXPECT_EQ(errors_of(*preview), std::vector<std::string>{});
  ASSERT_EQ(preview->batches.size(), 2u);
  EXPECT_EQ(preview->batches[0].year, 2023);
  EXPECT_EQ(preview->batches[1].rows.front().row, 12);  // header, nine rows, an empty line
  EXPECT_EQ(preview->batches[0].rows.front().edit.numerator, 300);
  EXPECT_EQ(preview->batches[0].rows.front().edit.denominator, 1000);
  EXPECT_EQ(preview->batches[0].rows.front().edit.reference_date, "2023-12-31");
  EXPECT_EQ(count("indicator_value"), 0);  // a preview writes nothing

  auto outcome = importer_->commit(entry_, bochum_, file, "werte.csv", "req-1");
  ASSERT_TRUE(outcome) << outcome.error().message_key;
  EXPECT_TRUE(outcome->committed);
  EXPECT_EQ(outcome->changed, 18);
  EXPECT_EQ(count("indicator_value"), 18);
  const auto revisions = count("indicator_value_revision");
  const auto audit = count("audit_log");
  auto view = monitoring_->report(entry_, bochum_, 2024);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->values.size(), 9u);

  auto again = importer_->commit(entry_, bochum_, file, "werte.csv", "req-2");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->committed);
  EXPECT_EQ(again->changed, 0);
  EXPECT_EQ(count("indicator_value"), 18);
  EXPECT_EQ(count("indicator_value_revision"), revisions);
  EXPECT_EQ(count("audit_log"), audit);
}

TEST_P(ImportTest, ARowRepeatingAnEarlierOneFarAboveIsADuplicate) {
  // Row 11 repeats row 2, nine rows above it.
  const auto file = std::string(kHeader) + staff_rows(2024) +
                    "bochum;2024;staff;;total;;300;30;1.000;Personalstatistik;31.12.2024;\r\n";
  auto preview = importer_->preview(entry_, bochum_, file, "werte.csv");
  ASSERT_TRUE(preview);
  EXPECT_EQ(errors_of(*preview), std::vector<std::string>{"-11 import.duplicate_row"});
  ASSERT_EQ(preview->problems.size(), 1u);
  EXPECT_EQ(preview->problems.front().params, (std::vector<std::pair<std::string, std::string>>{{"row", "2"}}));
  EXPECT_EQ(preview->data_rows, 10);
  ASSERT_EQ(preview->batches.size(), 1u);
  ASSERT_EQ(preview->batches.front().rows.size(), 9u);
  for (std::size_t index = 0; index < 9; ++index) {
    EXPECT_EQ(preview->batches.front().rows[index].row, static_cast<int>(index) + 2);  // file order
  }
}

TEST_P(ImportTest, ALargeImportWritesEveryCellAndItsAuditEntryCountsThem) {
  // 9 staff cells and 8 generated indicators of 9 cells: more than one multi-row insert.
  std::string file = std::string(kHeader) + staff_rows(2024);
  for (int index = 0; index < 8; ++index) {
    const auto code = "generated_" + std::to_string(index);
    const IndicatorDraft draft{"Erzeugt " + std::to_string(index), "Generated " + std::to_string(index),
                               Unit::count, "Für den Test", "For the test", "einwanderungsgeschichte",
                               Population::staff, "staff_structure", true, 1, 2000, std::nullopt};
    ASSERT_TRUE(monitoring_->save_indicator(office_, code, draft));
    auto rows = staff_rows(2024);
    for (auto at = rows.find(";staff;"); at != std::string::npos; at = rows.find(";staff;", at + 1)) {
      rows.replace(at, 7, ";" + code + ";");
    }
    file += rows;
  }
  auto outcome = importer_->commit(entry_, bochum_, file, "werte.csv");
  ASSERT_TRUE(outcome) << outcome.error().message_key;
  ASSERT_TRUE(outcome->committed);
  EXPECT_EQ(outcome->changed, 81);
  EXPECT_EQ(count("indicator_value"), 81);
  EXPECT_EQ(count("indicator_value_revision"), 81);
  auto view = monitoring_->report(entry_, bochum_, 2024);
  ASSERT_TRUE(view);
  const auto stored = std::count_if(view->values.begin(), view->values.end(), [](const Value& value) {
    return value.indicator_code == "generated_7" && value.category_code == "eg_13_plus" && value.numerator == 20 &&
           value.unknown == 4 && value.denominator == 100 && value.source == "Personalstatistik" &&
           value.reference_date == "2024-12-31" && value.revision == 1;
  });
  EXPECT_EQ(stored, 1);

  // The audit entry counts every cell and names the first few (the revisions hold them all).
  std::string audited;
  ASSERT_TRUE(storage_->read([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(
        "SELECT after_json FROM audit_log WHERE action = 'monitoring.values_save' ORDER BY id DESC LIMIT 1");
    if (!row) return row.take_error();
    if (*row) audited = (*row)->text(0);
    return {};
  }));
  const auto entry = nlohmann::json::parse(audited);
  EXPECT_EQ(entry.at("year"), 2024);
  EXPECT_EQ(entry.at("changed"), 81);
  EXPECT_EQ(entry.at("cells").size(), 20u);
}

TEST_P(ImportTest, EveryProblemIsReportedAtItsCellAndNothingIsStored) {
  IndicatorDraft pilot{"Pilot", "Pilot", Unit::count, "Neu ab 2025", "New from 2025", "einwanderungsgeschichte",
                       Population::staff, "total_only", true, 1, 2025, std::nullopt};
  ASSERT_TRUE(monitoring_->save_indicator(office_, "pilot", pilot));
  const std::string file = std::string(kHeader) +
                           "atlantis;2024;staff;;total;;1;0;10;;;\r\n"             // row 2: unknown city
                           "dortmund;2024;staff;;total;;1;0;10;;;\r\n"             // row 3: another city
                           "bochum;1999;staff;;total;;1;0;10;;;\r\n"               // row 4: year
                           "bochum;2024;pilot;;total;;1;0;10;;;\r\n"               // row 5: not valid in 2024
                           "bochum;2024;nothing;;total;;1;0;10;;;\r\n"             // row 6: unknown indicator
                           "bochum;2024;staff;;eg_99;;1;0;10;;;\r\n"               // row 7: unknown category
                           "bochum;2024;staff;;total;;-3;0;10;;;\r\n"              // row 8: negative
                           "bochum;2024;staff;;employees;;12;0;10;;;\r\n"          // row 9: part above total
                           "bochum;2024;staff;;eg_1_8;;12,5;0;100;;;\r\n"          // row 10: decimal count
                           "bochum;2024;staff;;eg_9_12;;1;0;1,234.5;;;\r\n"        // row 11: mixed format
                           "bochum;2024;staff;;eg_13_plus;;1;0;10;;;\r\n"          // row 12
                           "bochum;2024;staff;;eg_13_plus;;1;0;10;;;\r\n"          // row 13: duplicate
                           "bochum;2028;staff;;total;;1;0;10;;;\r\n";              // row 14: after 2027, the clock's year
  auto preview = importer_->preview(entry_, bochum_, file, "fehler.csv");
  ASSERT_TRUE(preview);
  const auto errors = errors_of(*preview);
  const std::vector<std::string> expected_start = {
      "A2 import.unknown_city",         "A3 import.other_city",           "B4 import.year_invalid",
      "C5 import.indicator_not_valid",  "C6 import.unknown_indicator",    "E7 import.unknown_category",
      "G8 import.negative_count",       "G9 import.part_above_total",     "G10 import.number_not_integer",
      "I11 import.number_mixed_format", "-13 import.duplicate_row",       "B14 import.year_in_future"};
  for (const auto& expected : expected_start) {
    EXPECT_NE(std::find(errors.begin(), errors.end(), expected), errors.end()) << expected;
  }
  EXPECT_TRUE(preview->has_errors());
  for (const auto& problem : preview->problems) {
    if (problem.message_key == "import.duplicate_row") {
      EXPECT_EQ(problem.params.front().second, "12");
    }
  }

  auto outcome = importer_->commit(entry_, bochum_, file, "fehler.csv");
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(outcome->committed);
  EXPECT_EQ(count("indicator_value"), 0);
  EXPECT_EQ(count("report"), 0);
}

TEST_P(ImportTest, RuleFindingsOfMonitoringAppearAtTheirRow) {
  // The pay bands do not add up to the employees' total: the breakdown-sum rule speaks, here
  // made an error by the office.
  auto rules = monitoring_->rules();
  ASSERT_TRUE(rules);
  for (auto rule : *rules) {
    if (rule.kind != RuleKind::breakdown_sum) continue;
    rule.severity = Severity::error;
    ASSERT_TRUE(monitoring_->update_rule(office_, rule));
  }
  auto rows = staff_rows(2024);
  const auto at = rows.find(";eg_1_8;;120;");
  rows.replace(at, 13, ";eg_1_8;;130;");
  auto preview = importer_->preview(entry_, bochum_, std::string(kHeader) + rows, "summe.csv");
  ASSERT_TRUE(preview);
  bool found = false;
  for (const auto& problem : preview->problems) {
    if (problem.message_key.starts_with("monitoring.finding_")) {
      found = true;
      EXPECT_GT(problem.row, 1);
    }
  }
  EXPECT_TRUE(found);
  // The commit checks the rules again inside its transaction and, with an error, stores nothing.
  auto outcome = importer_->commit(entry_, bochum_, std::string(kHeader) + rows, "summe.csv");
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(preview->has_errors());
  EXPECT_FALSE(outcome->committed);
  EXPECT_EQ(errors_of(outcome->preview), errors_of(*preview));
  EXPECT_EQ(count("indicator_value"), 0);
  EXPECT_EQ(count("report"), 0);
}

TEST_P(ImportTest, UnreadableFilesGiveOneProblemAndNoValues) {
  auto preview = importer_->preview(entry_, bochum_, "Stadt;Jahr\nbochum;2024\n", "werte.xlsx");
  ASSERT_TRUE(preview);
  EXPECT_EQ(errors_of(*preview), std::vector<std::string>{"-0 import.xlsx_not_zip"});
  preview = importer_->preview(entry_, bochum_, "Stadt;Jahr\nbochum;2024\n", "werte.csv");
  ASSERT_TRUE(preview);
  EXPECT_TRUE(preview->has_errors());
  EXPECT_EQ(preview->problems.front().message_key, "import.header_missing");
  EXPECT_TRUE(preview->batches.empty());
}

TEST_P(ImportTest, XlsxFilesImportLikeCsv) {
  auto csv = tabular::read_csv(std::string(kHeader) + staff_rows(2024));
  ASSERT_TRUE(csv);
  auto xlsx = tabular::write_xlsx(*csv, "Werte");
  ASSERT_TRUE(xlsx);
  auto outcome = importer_->commit(entry_, bochum_, *xlsx, "werte.xlsx");
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->committed) << errors_of(outcome->preview).front();
  EXPECT_EQ(count("indicator_value"), 9);
}

TEST_P(ImportTest, OnlyTheCitysEntryRoleImportsAndOnlyForItsCity) {
  const auto file = std::string(kHeader) + staff_rows(2024);
  EXPECT_EQ(importer_->preview(stranger_, bochum_, file, "x.csv").error().code, ErrorCode::forbidden);
  EXPECT_EQ(importer_->commit(stranger_, bochum_, file, "x.csv").error().code, ErrorCode::forbidden);
  EXPECT_EQ(importer_->commit(approval_, bochum_, file, "x.csv").error().code, ErrorCode::forbidden);
  // Dortmund's user on Dortmund's page with Bochum's rows: every row is refused.
  auto outcome = importer_->commit(stranger_, dortmund_, file, "x.csv");
  ASSERT_TRUE(outcome);
  EXPECT_FALSE(outcome->committed);
  EXPECT_EQ(outcome->preview.problems.size(), 9u);
  EXPECT_EQ(count("indicator_value"), 0);
}

TEST_P(ImportTest, AllYearsOrNoneWhenOneYearIsLocked) {
  ASSERT_TRUE(importer_->commit(entry_, bochum_, std::string(kHeader) + staff_rows(2024), "a.csv").ok());
  ASSERT_TRUE(monitoring_->submit(entry_, bochum_, 2024));
  const auto values = count("indicator_value");
  // 2023 is new, 2024 is submitted (locked): nothing of the file may be stored.
  auto rows = staff_rows(2024);
  rows.replace(rows.find("Personalstatistik"), 17, "Personalstatistik 2");
  const auto file = std::string(kHeader) + staff_rows(2023) + rows;
  // The preview says so already, at the year of 2024's first row (row 11).
  const auto preview = importer_->preview(entry_, bochum_, file, "b.csv");
  ASSERT_TRUE(preview);
  EXPECT_EQ(errors_of(*preview), std::vector<std::string>{"B11 import.report_locked"});
  auto outcome = importer_->commit(entry_, bochum_, file, "b.csv");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message_key, "report.locked");
  EXPECT_EQ(count("indicator_value"), values);
  EXPECT_FALSE(monitoring_->report(entry_, bochum_, 2023)->report.has_value());
}

// The preview lists only rows that could be imported as they are: not those of a locked year
// (its one message stands at its first row) nor one whose Stichtag is no day.
TEST_P(ImportTest, RowsWithAnErrorAreLeftOutOfTheBatches) {
  ASSERT_TRUE(importer_->commit(entry_, bochum_, std::string(kHeader) + staff_rows(2023), "a.csv")->committed);
  ASSERT_TRUE(monitoring_->submit(entry_, bochum_, 2023));
  auto rows = staff_rows(2024);
  rows.replace(rows.find("31.12.2024"), 10, "31.02.2024");  // row 11: the 2024 total
  const auto preview = importer_->preview(entry_, bochum_, std::string(kHeader) + staff_rows(2023) + rows, "b.csv");
  ASSERT_TRUE(preview);
  EXPECT_EQ(errors_of(*preview),
            (std::vector<std::string>{"B2 import.report_locked", "K11 monitoring.finding_reference_date"}));
  ASSERT_EQ(preview->batches.size(), 1u);
  EXPECT_EQ(preview->batches.front().year, 2024);
  ASSERT_EQ(preview->batches.front().rows.size(), 8u);
  for (const auto& row : preview->batches.front().rows) EXPECT_NE(row.row, 11);
}

TEST_P(ImportTest, AFailingCommitLeavesNothingBehind) {
  const auto file = std::string(kHeader) + staff_rows(2023) + staff_rows(2024);
  bool committed = false;
  for (int fail_at = 1; fail_at < 400 && !committed; ++fail_at) {
    storage::FaultInjectingStorage failing(*storage_, fail_at);
    Importer importer(failing, clock_, *cooperation_);
    const auto audit = count("audit_log");
    auto outcome = importer.commit(entry_, bochum_, file, "a.csv");
    committed = outcome.ok() && outcome->committed;
    if (!committed) {
      EXPECT_EQ(count("indicator_value"), 0) << "fail_at " << fail_at;
      EXPECT_EQ(count("indicator_value_revision"), 0) << "fail_at " << fail_at;
      EXPECT_EQ(count("report"), 0) << "fail_at " << fail_at;
      EXPECT_EQ(count("audit_log"), audit) << "fail_at " << fail_at;
    }
  }
  ASSERT_TRUE(committed);
  EXPECT_EQ(count("indicator_value"), 18);
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportTest, ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& backend) {
                           return backend.param == storage::Backend::sqlite ? "sqlite" : "postgres";
                         });

}  // namespace
}  // namespace ik::monitoring
