// XLSX read from its zip and XML parts (libzip, libxml2's streaming reader). Refuses what the
// import cannot take faithfully: formulas, merged cells, several sheets, encrypted or oversized
// parts.
#include <libxml/xmlreader.h>
#include <zip.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <optional>

#include "tabular/internal.hpp"
#include "tabular/tabular.hpp"

namespace ik::tabular {
namespace {

constexpr const char* kRelationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

Error broken() { return Error::invalid("", "import.xlsx_broken"); }

class ZipArchive {
 public:
  static Result<ZipArchive> open(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_error_fini(&error);
    if (source == nullptr) return Error::internal("zip_source_buffer_create failed");
    zip_error_init(&error);
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    const bool encrypted = zip_error_code_zip(&error) == ZIP_ER_ENCRNOTSUPP;
    zip_error_fini(&error);
    if (archive == nullptr) {
      zip_source_free(source);
      return Error::invalid("", encrypted ? "import.xlsx_encrypted" : "import.xlsx_not_zip");
    }
    return ZipArchive(archive);
  }

  // The part's bytes; nullopt when the archive has no such part. Its declared size is checked
  // before inflating and the inflated size while reading, so a lying header cannot get past.
  Result<std::optional<std::string>> read(const std::string& name, std::uint64_t max_bytes) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat(archive_.get(), name.c_str(), 0, &stat) != 0) return std::optional<std::string>{};
    if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && stat.encryption_method != ZIP_EM_NONE) {
      return Error::invalid("", "import.xlsx_encrypted");
    }
    if ((stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > max_bytes) return Error::invalid("", "import.file_too_large");
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen(archive_.get(), name.c_str(), 0), &zip_fclose);
    if (!file) return broken();
    std::string content;
    std::array<char, 64 * 1024> buffer{};
    while (true) {
      const auto count = zip_fread(file.get(), buffer.data(), buffer.size());
      if (count < 0) return broken();
      if (count == 0) break;
      content.append(buffer.data(), static_cast<std::size_t>(count));
      if (content.size() > max_bytes) return Error::invalid("", "import.file_too_large");
    }
    return std::optional<std::string>{std::move(content)};
  }

 private:
  explicit ZipArchive(zip_t* archive) : archive_(archive, &zip_discard) {}
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive_;
};

// libxml2's pull parser over one part, without network access or entity expansion.
class XmlReader {
 public:
  explicit XmlReader(const std::string& content)
      : reader_(xmlReaderForMemory(content.data(), static_cast<int>(content.size()), nullptr, nullptr,
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
                &xmlFreeTextReader) {}

  // Advances to the next node: 1 on success, 0 at the end, -1 on malformed XML.
  int next() { return reader_ ? xmlTextReaderRead(reader_.get()) : -1; }
  bool is_element() const { return xmlTextReaderNodeType(reader_.get()) == XML_READER_TYPE_ELEMENT; }
  bool is_end(std::string_view name) const {
    return xmlTextReaderNodeType(reader_.get()) == XML_READER_TYPE_END_ELEMENT && name_is(name);
  }
  bool is_text() const {
    const auto type = xmlTextReaderNodeType(reader_.get());
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
           type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_CDATA;
  }
  bool is_empty_element() const { return xmlTextReaderIsEmptyElement(reader_.get()) == 1; }
  bool name_is(std::string_view name) const {
    const auto* local = xmlTextReaderConstLocalName(reader_.get());
    return local != nullptr && name == reinterpret_cast<const char*>(local);
  }
  std::string_view text() const {
    const auto* value = xmlTextReaderConstValue(reader_.get());
    return value == nullptr ? std::string_view{} : reinterpret_cast<const char*>(value);
  }
  std::optional<std::string> attribute(const char* name, const char* name_space = nullptr) const {
    xmlChar* value = name_space == nullptr
                         ? xmlTextReaderGetAttribute(reader_.get(), reinterpret_cast<const xmlChar*>(name))
                         : xmlTextReaderGetAttributeNs(reader_.get(), reinterpret_cast<const xmlChar*>(name),
                                                       reinterpret_cast<const xmlChar*>(name_space));
    if (value == nullptr) return std::nullopt;
    std::string result(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return result;
  }

 private:
  std::unique_ptr<xmlTextReader, decltype(&xmlFreeTextReader)> reader_;
};

// The one worksheet's relationship id; several sheets are refused.
Result<std::string> only_sheet_id(const std::string& workbook) {
  XmlReader reader(workbook);
  std::optional<std::string> id;
  int result = 0;
  while ((result = reader.next()) == 1) {
    if (!reader.is_element() || !reader.name_is("sheet")) continue;
    if (id) return Error::invalid("", "import.xlsx_several_sheets");
    id = reader.attribute("id", kRelationshipNamespace);
    if (!id) return broken();
  }
  if (result < 0 || !id) return broken();
  return *id;
}

// The part name ("xl/worksheets/sheet1.xml") of relationship `id` in xl/_rels/workbook.xml.rels.
Result<std::string> part_of(const std::string& relationships, const std::string& id) {
  XmlReader reader(relationships);
  int result = 0;
  while ((result = reader.next()) == 1) {
    if (!reader.is_element() || !reader.name_is("Relationship") || reader.attribute("Id") != id) continue;
    const auto target = reader.attribute("Target");
    if (!target || target->empty()) return broken();
    return target->front() == '/' ? target->substr(1) : "xl/" + *target;
  }
  return broken();
}

// The text of an <si> or <is> element, runs joined, phonetic hints (<rPh>) left out. The reader
// stands on the element's start; returns after its end.
Result<std::string> rich_text(XmlReader& reader, std::string_view element) {
  std::string text;
  if (reader.is_empty_element()) return text;
  bool in_text = false;
  bool in_phonetic = false;
  int result = 0;
  while ((result = reader.next()) == 1) {
    if (reader.is_end(element)) return text;
    if (reader.is_element() && !reader.is_empty_element()) {
      if (reader.name_is("t")) in_text = true;
      if (reader.name_is("rPh")) in_phonetic = true;
    } else if (reader.is_end("t")) {
      in_text = false;
    } else if (reader.is_end("rPh")) {
      in_phonetic = false;
    } else if (in_text && !in_phonetic && reader.is_text()) {
      text += reader.text();
    }
  }
  return broken();
}

Result<std::vector<std::string>> shared_strings(const std::string& part) {
  std::vector<std::string> strings;
  XmlReader reader(part);
  int result = 0;
  while ((result = reader.next()) == 1) {
    if (!reader.is_element() || !reader.name_is("si")) continue;
    auto text = rich_text(reader, "si");
    if (!text) return text.take_error();
    strings.push_back(std::move(*text));
  }
  if (result < 0) return broken();
  return strings;
}

// Reads <sheetData> into rows and refuses formulas, error values and merged cells.
class WorksheetReader {
 public:
  WorksheetReader(const std::string& part, const std::vector<std::string>& strings, const Limits& limits)
      : reader_(part), strings_(strings), limits_(limits) {}

  Result<Sheet> read() {
    int result = 0;
    while ((result = reader_.next()) == 1) {
      if (!reader_.is_element()) {
        if (reader_.is_end("row")) IK_TRY(finish_row());
        continue;
      }
      if (reader_.name_is("row")) {
        IK_TRY(start_row());
      } else if (reader_.name_is("c")) {
        IK_TRY(read_cell());
      } else if (reader_.name_is("mergeCell")) {
        const auto range = reader_.attribute("ref").value_or("");
        return Error::invalid(range.substr(0, range.find(':')), "import.xlsx_merged_cells");
      }
    }
    if (result < 0) return broken();
    if (sheet_.rows.empty()) return Error::invalid("", "import.file_empty");
    return std::move(sheet_);
  }

 private:
  Status start_row() {
    const auto number = reader_.attribute("r");
    row_ = Row{.number = number ? std::atoi(number->c_str()) : row_.number + 1};
    if (row_.number < 1) return broken();
    if (row_.number > limits_.max_rows) return Error::invalid(cell_name(row_.number, 1), "import.too_many_rows");
    column_ = 0;
    if (reader_.is_empty_element()) return finish_row();
    return {};
  }

  Status finish_row() {
    internal::trim_trailing(row_);
    if (!internal::is_blank(row_)) sheet_.rows.push_back(std::move(row_));
    row_.cells.clear();
    return {};
  }

  Status read_cell() {
    const auto reference = reader_.attribute("r");
    const auto position = reference ? parse_cell_name(*reference) : std::nullopt;
    column_ = position ? position->column : column_ + 1;
    const auto name = cell_name(row_.number, column_);
    if (column_ > limits_.max_columns) return Error::invalid(name, "import.too_many_columns");
    const auto type = reader_.attribute("t").value_or("n");
    if (reader_.is_empty_element()) return {};
    std::string value;
    bool has_value = false;
    int result = 0;
    while ((result = reader_.next()) == 1 && !reader_.is_end("c")) {
      if (!reader_.is_element()) continue;
      if (reader_.name_is("f")) return Error::invalid(name, "import.xlsx_formula");
      if (reader_.name_is("is") || reader_.name_is("v")) {
        auto text = reader_.name_is("is") ? rich_text(reader_, "is") : element_text("v");
        if (!text) return text.take_error();
        value = std::move(*text);
        has_value = true;
      }
    }
    if (result != 1) return broken();
    if (!has_value) return {};
    auto cell = typed_cell(type, std::move(value), name);
    if (!cell) return cell.take_error();
    internal::place(row_, column_, std::move(*cell));
    return {};
  }

  Result<std::string> element_text(std::string_view element) {
    std::string text;
    if (reader_.is_empty_element()) return text;
    int result = 0;
    while ((result = reader_.next()) == 1 && !reader_.is_end(element)) {
      if (reader_.is_text()) text += reader_.text();
    }
    if (result != 1) return broken();
    return text;
  }

  Result<Cell> typed_cell(const std::string& type, std::string value, const std::string& name) const {
    if (type == "s") {
      const auto index = static_cast<std::size_t>(std::strtoul(value.c_str(), nullptr, 10));
      if (value.empty() || index >= strings_.size()) return broken();
      return Cell{CellKind::text, strings_[index]};
    }
    if (type == "e") return Error::invalid(name, "import.xlsx_error_value");
    if (type == "b") return Cell{CellKind::boolean, value == "1" ? "1" : "0"};
    if (type == "n") return Cell{CellKind::number, std::move(value)};
    return Cell{CellKind::text, std::move(value)};  // "inlineStr", "str", "d" (ISO date)
  }

  XmlReader reader_;
  const std::vector<std::string>& strings_;
  const Limits& limits_;
  Sheet sheet_;
  Row row_;
  int column_ = 0;
};

Result<std::string> required(Result<std::optional<std::string>> part) {
  if (!part) return part.take_error();
  if (!part->has_value()) return broken();
  return std::move(**part);
}

}  // namespace

Result<Sheet> read_xlsx(std::string_view bytes, const Limits& limits) {
  auto archive = ZipArchive::open(bytes);
  if (!archive) return archive.take_error();
  auto workbook = required(archive->read("xl/workbook.xml", limits.max_part_bytes));
  if (!workbook) return workbook.take_error();
  auto sheet_id = only_sheet_id(*workbook);
  if (!sheet_id) return sheet_id.take_error();
  auto relationships = required(archive->read("xl/_rels/workbook.xml.rels", limits.max_part_bytes));
  if (!relationships) return relationships.take_error();
  auto sheet_part = part_of(*relationships, *sheet_id);
  if (!sheet_part) return sheet_part.take_error();

  std::vector<std::string> strings;
  auto strings_part = archive->read("xl/sharedStrings.xml", limits.max_part_bytes);
  if (!strings_part) return strings_part.take_error();
  if (strings_part->has_value()) {
    auto parsed = shared_strings(**strings_part);
    if (!parsed) return parsed.take_error();
    strings = std::move(*parsed);
  }
  auto worksheet = required(archive->read(*sheet_part, limits.max_part_bytes));
  if (!worksheet) return worksheet.take_error();
  return WorksheetReader(*worksheet, strings, limits).read();
}

}  // namespace ik::tabular
