// Full-text search over the portal: pages, news, events, publications (with the text inside
// their PDF files), cities and themes. Pure: the caller hands over plain documents and asks plain
// queries; nothing here knows HTTP, SQL or markup. Xapian stays inside search.cpp.
//
// The corpus is small (hundreds of documents), so the index lives in memory and is rebuilt in
// one go whenever the content changes; a rebuild swaps the whole index at once and never blocks
// a running search.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace ik::search {

enum class Kind { page, news, event, publication, city, theme };
std::string_view kind_name(Kind kind);  // "page", "news", …

struct Document {
  std::string key;       // unique within the corpus, e.g. "news/12/en"
  std::string url;       // where the result links to
  std::string edition;   // the site it belongs to: "de" (/…) or "en" (/en/…)
  std::string language;  // the language of title and text ("de", "en"): chooses the stemmer,
                         // so a German text shown on the English site (fallback) still stems
  Kind kind = Kind::page;
  std::string title;
  std::string text;      // plain text, no markup
  std::string date;      // ISO date ("2013-05-08") or empty
};

// A piece of a snippet: plain text (never markup), `highlighted` where it matches the query.
struct Segment {
  std::string text;
  bool highlighted = false;
  bool operator==(const Segment&) const = default;
};

struct Hit {
  std::string key;
  std::string url;
  Kind kind = Kind::page;
  std::string title;
  std::string date;
  std::vector<Segment> snippet;
};

struct Query {
  std::string text;       // as typed by the visitor; anything goes
  std::string edition = "de";
  std::size_t offset = 0;
  std::size_t limit = 20;
};

struct Results {
  std::size_t total = 0;  // number of matching documents (exact for a corpus this size)
  std::vector<Hit> hits;  // best first
};

// Texts extracted from files, by the file's content hash, kept across rebuilds so that a rebuild
// reads only files it has not seen. Thread-safe.
class FileTexts {
 public:
  // The text of the file with this SHA-256: remembered, or `extract()`ed and remembered. A file
  // that cannot be read gives "" (its title and description stay searchable) and is not tried
  // again. Texts of files not asked for since the previous `forget_unused()` are dropped then.
  std::string text(const std::string& sha256, const std::function<Result<std::string>()>& extract);
  void forget_unused();

 private:
  struct Entry {
    std::string text;
    bool used = false;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> texts_;
};

// Longest query text considered, in bytes; the rest is ignored (cut at a character boundary).
inline constexpr std::size_t kMaxQueryBytes = 256;

class SearchIndex {
 public:
  // `replicas`: copies of the index kept so that that many searches run in parallel without
  // waiting for each other (a Xapian database serves one thread at a time); at least 1.
  explicit SearchIndex(std::size_t replicas = 0);
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Replaces the whole index by `documents`, remembering `generation` (the content version they
  // were collected from). Searches running meanwhile finish on the old index. Fails (internal)
  // only if Xapian fails; the old index then stays.
  Status rebuild(std::vector<Document> documents, std::uint64_t generation);

  // Rebuilds from `collect()` when `generation` differs from the indexed one; otherwise does
  // nothing (the common case: one atomic load). While another thread rebuilds, returns at once
  // and searches go on over the old index, except before the first index exists, when it waits.
  // Fails with collect's error (the old index then stays).
  Status refresh(std::uint64_t generation, const std::function<Result<std::vector<Document>>()>& collect);

  // Documents of `query.edition` that match every word of the query text (stemmed in each
  // document's language, stopwords ignored; quoted phrases, +/- and AND/OR/NOT work, wildcards do
  // not). Odd input — markup, stray quotes, operators alone, very long text — never fails: it is
  // taken as plain words or matches nothing. An empty query matches nothing. Fails (internal)
  // only if Xapian fails.
  Result<Results> search(const Query& query) const;

  std::size_t size() const;              // documents in the current index
  std::uint64_t generation() const;      // the generation of the current index
  bool built() const;                    // whether any index has been built yet

  FileTexts& file_texts() { return file_texts_; }

 private:
  struct Snapshot;
  std::size_t replicas_;
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  std::mutex rebuild_mutex_;
  FileTexts file_texts_;
};

// The text inside a PDF file (all pages, whitespace collapsed), at most `max_bytes` of it (cut
// at a character boundary). Errors: invalid_input on field "datei" with "search.pdf_unreadable"
// for bytes that are no readable PDF, "search.pdf_encrypted" for a password-protected one.
inline constexpr std::size_t kMaxPdfTextBytes = 512 * 1024;
Result<std::string> pdf_text(std::string_view bytes, std::size_t max_bytes = kMaxPdfTextBytes);

}  // namespace ik::search
