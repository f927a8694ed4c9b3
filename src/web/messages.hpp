// The message catalogue: every text a user sees, in German and English. Keys are stable
// identifiers ("login.title"); the texts live in messages.cpp, both languages side by side, so a
// missing translation is visible in review and caught by a unit test.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ik::web {

enum class Language { de, en };

std::string_view language_code(Language language);  // "de", "en"

// The text for `key`. An unknown key is a programming error: it returns the key itself (so the
// page still renders) and the unit test over all keys used in the sources fails.
std::string_view message(Language language, std::string_view key);
bool has_message(std::string_view key);

// The text with "{name}" placeholders replaced by the given values (not escaped: escaping is
// the HTML builder's job).
std::string message_with(Language language, std::string_view key,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> values);

// Every key with both texts, for tests.
struct CatalogueEntry {
  std::string_view key;
  std::string_view de;
  std::string_view en;
};
const std::vector<CatalogueEntry>& catalogue();

}  // namespace ik::web
