// Text extraction from uploaded PDF files with poppler-cpp.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <climits>
#include <memory>

#include "search/search.hpp"

namespace ik::search {
namespace {

// Poppler reports damage in a file on stderr; for an upload that is the visitor's problem, told
// by the result, not the server log's.
void ignore_poppler_message(const std::string&, void*) {}

void silence_poppler() {
  static const bool silenced = [] {
    poppler::set_debug_error_function(ignore_poppler_message, nullptr);
    return true;
  }();
  (void)silenced;
}

bool is_space(unsigned char character) {
  return character == ' ' || character == '\n' || character == '\r' || character == '\t' || character == '\f' ||
         character == '\v';
}

// Appends `text` with every run of whitespace made one space, up to `max_bytes` in total.
// Returns false once the limit is reached.
bool append_collapsed(std::string& out, const std::vector<char>& text, std::size_t max_bytes) {
  for (const char character : text) {
    if (out.size() >= max_bytes) return false;
    if (is_space(static_cast<unsigned char>(character))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else if (static_cast<unsigned char>(character) >= 0x20) {
      out += character;  // control characters carry no text
    }
  }
  return true;
}

// Drops a trailing space and any UTF-8 sequence cut short by the size limit.
void tidy_end(std::string& text) {
  std::size_t end = text.size();
  std::size_t start = end;
  while (start > 0 && (static_cast<unsigned char>(text[start - 1]) & 0xC0U) == 0x80U) --start;
  if (start > 0) {
    const auto lead = static_cast<unsigned char>(text[start - 1]);
    const std::size_t expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (end - (start - 1) < expected) end = start - 1;
  }
  text.resize(end);
  while (!text.empty() && text.back() == ' ') text.pop_back();
}

}  // namespace

Result<std::string> pdf_text(std::string_view bytes, std::size_t max_bytes) {
  if (bytes.size() < 5 || !bytes.starts_with("%PDF-") || bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return Error::invalid("datei", "search.pdf_unreadable");
  }
  silence_poppler();
  const std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!document) return Error::invalid("datei", "search.pdf_unreadable");
  if (document->is_locked()) return Error::invalid("datei", "search.pdf_encrypted");
  if (document->pages() <= 0) return Error::invalid("datei", "search.pdf_unreadable");
  std::string text;
  for (int index = 0; index < document->pages(); ++index) {
    const std::unique_ptr<poppler::page> page(document->create_page(index));
    if (!page) continue;
    if (!text.empty() && text.back() != ' ') text += ' ';
    if (!append_collapsed(text, page->text().to_utf8(), max_bytes)) break;
  }
  tidy_end(text);
  return text;
}

}  // namespace ik::search
