// The upload check (src/portal/upload_check.cpp) with Office files as the office gets them: a
// real XLSX written by libxlsxwriter and a minimal but complete DOCX (its [Content_Types].xml,
// the package relationships and word/document.xml) built with libzip are accepted with their
// media types; a plain ZIP renamed to .docx, a ZIP whose [Content_Types].xml names no Office
// document, and a truncated DOCX are refused as upload.broken_office.
#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/crypto.hpp"
#include "portal/internal.hpp"

namespace ik::portal {
namespace {

constexpr std::string_view kDocx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr std::string_view kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

std::filesystem::path temporary(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("ik-upload-" + crypto::random_token(8) + "-" + name);
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A ZIP archive with these entries (name, content), deflated, written by libzip.
std::string zip_of(const std::vector<std::pair<std::string, std::string>>& entries) {
  const auto path = temporary("archive.zip");
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr) << error;
  if (archive == nullptr) return {};
  for (const auto& [name, content] : entries) {
    // libzip reads the buffers at zip_close; `entries` outlives it.
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    EXPECT_NE(source, nullptr);
    EXPECT_GE(zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8), 0) << name;
  }
  EXPECT_EQ(zip_close(archive), 0);
  auto bytes = slurp(path);
  std::filesystem::remove(path);
  return bytes;
}

// A minimal Word document as Word itself would accept it.
std::string minimal_docx() {
  return zip_of({
      {"[Content_Types].xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
       R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
       R"(<Default Extension="xml" ContentType="application/xml"/>)"
       R"(<Override PartName="/word/document.xml" )"
       R"(ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
       R"(</Types>)"},
      {"_rels/.rels",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
       R"(<Relationship Id="rId1" )"
       R"(Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" )"
       R"(Target="word/document.xml"/></Relationships>)"},
      {"word/document.xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
       R"(<w:body><w:p><w:r><w:t>Handreichung Interkulturelle Öffnung</w:t></w:r></w:p></w:body></w:document>)"},
  });
}

// A real workbook: two sheets, text, numbers, a line break, written by libxlsxwriter.
std::string real_xlsx() {
  const auto path = temporary("workbook.xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  EXPECT_NE(workbook, nullptr);
  if (workbook == nullptr) return {};
  lxw_worksheet* values = workbook_add_worksheet(workbook, "Werte");
  worksheet_write_string(values, 0, 0, "Stadt", nullptr);
  worksheet_write_string(values, 0, 1, "Jahr", nullptr);
  worksheet_write_string(values, 1, 0, "Mülheim an der Ruhr", nullptr);
  worksheet_write_number(values, 1, 1, 2024, nullptr);
  worksheet_write_string(values, 2, 0, "Zeile mit\nUmbruch", nullptr);
  lxw_worksheet* notes = workbook_add_worksheet(workbook, "Hinweise");
  worksheet_write_string(notes, 0, 0, "Quelle: Geschäftsstelle", nullptr);
  EXPECT_EQ(workbook_close(workbook), LXW_NO_ERROR);
  auto bytes = slurp(path);
  std::filesystem::remove(path);
  return bytes;
}

std::string refusal(std::string_view bytes) {
  auto type = detect_media_type(bytes);
  EXPECT_FALSE(type) << *type;
  return type ? std::string() : type.error().message_key;
}

TEST(UploadCheck, AcceptsARealDocxBuiltWithLibzip) {
  const auto docx = minimal_docx();
  ASSERT_TRUE(docx.starts_with("PK\x03\x04"));
  auto type = detect_media_type(docx);
  ASSERT_TRUE(type) << type.error().message_key;
  EXPECT_EQ(*type, kDocx);
}

TEST(UploadCheck, AcceptsARealXlsxWrittenByLibxlsxwriter) {
  const auto xlsx = real_xlsx();
  ASSERT_TRUE(xlsx.starts_with("PK\x03\x04"));
  auto type = detect_media_type(xlsx);
  ASSERT_TRUE(type) << type.error().message_key;
  EXPECT_EQ(*type, kXlsx);
}

TEST(UploadCheck, RefusesAZipRenamedToDocx) {
  // What a .docx name alone does not make an Office document: a plain ZIP, …
  EXPECT_EQ(refusal(zip_of({{"bericht.txt", "Nur ein Text in einem ZIP-Archiv."},
                            {"bilder/karte.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"}})),
            "upload.broken_office");
  // … a package whose content types name no Word or Excel main part, …
  EXPECT_EQ(refusal(zip_of({{"[Content_Types].xml",
                             R"(<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
                             R"(<Default Extension="xml" ContentType="application/xml"/></Types>)"},
                            {"word/document.xml", "<w:document/>"}})),
            "upload.broken_office");
  // … and a real DOCX cut off in the middle.
  const auto docx = minimal_docx();
  const auto refused = detect_media_type(std::string_view(docx).substr(0, docx.size() / 2));
  EXPECT_FALSE(refused);
}

}  // namespace
}  // namespace ik::portal
