// The rules every item obeys before it is saved, per kind; messages name the form field.
#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "portal/internal.hpp"
#include "portal/markdown.hpp"

namespace ik::portal {
namespace {

constexpr std::size_t kTitleLimit = 200;
constexpr std::size_t kSummaryLimit = 1000;
constexpr std::size_t kBodyLimit = 100'000;
constexpr std::size_t kShortLimit = 500;
constexpr std::size_t kSlugLimit = 80;

bool is_slug(std::string_view slug) {
  return !slug.empty() && slug.size() <= kSlugLimit && slug.front() != '-' && slug.back() != '-' &&
         std::all_of(slug.begin(), slug.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// "Ein Zeichen für Vielfalt!" → "ein-zeichen-fuer-vielfalt"
std::string slug_from(std::string_view title) {
  static const std::pair<std::string_view, std::string_view> kFolded[] = {
      {"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"Ä", "ae"}, {"Ö", "oe"}, {"Ü", "ue"}, {"ß", "ss"}};
  std::string slug;
  for (std::size_t at = 0; at < title.size() && slug.size() < kSlugLimit;) {
    bool folded = false;
    for (const auto& [from, to] : kFolded) {
      if (title.substr(at).starts_with(from)) {
        slug += to;
        at += from.size();
        folded = true;
        break;
      }
    }
    if (folded) continue;
    const char character = title[at++];
    if ((character >= 'a' && character <= 'z') || (character >= '0' && character <= '9')) {
      slug += character;
    } else if (character >= 'A' && character <= 'Z') {
      slug += static_cast<char>(character - 'A' + 'a');
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

Status check_text(const std::string& text, const std::string& field, std::size_t limit, std::string_view too_long_key) {
  if (!text::is_valid_utf8(text)) return Error::invalid(field, "content.invalid_text");
  if (text.size() > limit * 4 || text::code_points(text) > limit) return Error::invalid(field, std::string(too_long_key));
  return {};
}

Status check_bilingual(const Bilingual& value, const std::string& field, std::size_t limit, std::string_view key) {
  IK_TRY(check_text(value.de, field + "_de", limit, key));
  return check_text(value.en, field + "_en", limit, key);
}

bool is_local_time(std::string_view text) {
  // "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"
  if (text.size() != 10 && text.size() != 16) return false;
  if (!parse_precise_date(text.substr(0, 10), DatePrecision::day)) return false;
  if (text.size() == 10) return true;
  const auto hour = text::parse_int(text.substr(11, 2));
  const auto minute = text::parse_int(text.substr(14, 2));
  return text[10] == 'T' && text[13] == ':' && hour && minute && *hour >= 0 && *hour < 24 && *minute >= 0 &&
         *minute < 60 && std::isdigit(static_cast<unsigned char>(text[11])) &&
         std::isdigit(static_cast<unsigned char>(text[14]));
}

Status check_kind_fields(const Fields& fields) {
  switch (fields.kind) {
    case Kind::event:
      if (!is_local_time(fields.starts)) return Error::invalid("beginn", "content.start_invalid");
      if (!fields.ends.empty() && (!is_local_time(fields.ends) || fields.ends < fields.starts)) {
        return Error::invalid("ende", "content.end_invalid");
      }
      return {};
    case Kind::partner:
      if (fields.category != "wirtschaft" && fields.category != "verbaende" && fields.category != "wissenschaft" &&
          fields.category != "initiative") {
        return Error::invalid("kategorie", "content.category_invalid");
      }
      return {};
    case Kind::member:
      if (fields.category != "regiegruppe" && fields.category != "projektgruppe") {
        return Error::invalid("kategorie", "content.category_invalid");
      }
      return {};
    default:
      return {};
  }
}

}  // namespace

Result<Fields> validated(Fields fields) {
  fields.title.de = std::string(text::trim(fields.title.de));
  fields.title.en = std::string(text::trim(fields.title.en));
  IK_TRY(check_bilingual(fields.title, "titel", kTitleLimit, "content.title_too_long"));
  if (fields.title.de.empty()) return Error::invalid("titel_de", "content.title_required");
  IK_TRY(check_bilingual(fields.summary, "zusammenfassung", kSummaryLimit, "content.summary_too_long"));
  IK_TRY(check_bilingual(fields.body, "text", kBodyLimit, "content.text_too_long"));
  IK_TRY(check_markdown(fields.body.de, "text_de"));
  IK_TRY(check_markdown(fields.body.en, "text_en"));
  IK_TRY(check_bilingual(fields.location, "ort", kShortLimit, "content.field_too_long"));
  IK_TRY(check_text(fields.people, "personen", kSummaryLimit, "content.field_too_long"));
  IK_TRY(check_text(fields.series, "reihe", kShortLimit, "content.field_too_long"));
  IK_TRY(check_text(fields.category, "kategorie", kSlugLimit, "content.field_too_long"));
  if (fields.slug.empty()) fields.slug = slug_from(fields.title.de);
  if (!is_slug(fields.slug)) return Error::invalid("kuerzel", "content.slug_invalid");
  const std::string url(text::trim(fields.url));
  if (!url.empty() && !(url.starts_with("https://") || url.starts_with("http://"))) {
    return Error::invalid("adresse", "content.url_invalid");
  }
  IK_TRY(check_text(url, "adresse", kShortLimit, "content.field_too_long"));
  fields.url = url;
  if (fields.language != "de" && fields.language != "en") return Error::invalid("sprache", "form.invalid_choice");
  for (const auto& topic : fields.topics) {
    if (!is_slug(topic)) return Error::invalid("themen", "form.invalid_choice");
  }
  IK_TRY(check_kind_fields(fields));
  return fields;
}

Bilingual plain_text(const Fields& fields) {
  return {markdown_text(fields.body.de), markdown_text(fields.body.en)};
}

std::string safe_file_name(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string safe;
  for (const char character : name) {
    const bool plain = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
                       (character >= '0' && character <= '9') || character == '.' || character == '_' || character == '-';
    if (plain) {
      safe += character;
    } else if (!safe.empty() && safe.back() != '-') {
      safe += '-';
    }
    if (safe.size() >= 100) break;
  }
  while (!safe.empty() && safe.front() == '.') safe.erase(safe.begin());
  return safe.empty() ? std::string("datei") : safe;
}

}  // namespace ik::portal
