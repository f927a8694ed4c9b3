#include "search/search.hpp"

#include <xapian.h>

#include <algorithm>
#include <thread>

namespace ik::search {

// One copy of the index. A Xapian database serves one thread at a time, hence the mutex and the
// several copies.
struct Replica {
  std::mutex mutex;
  Xapian::WritableDatabase database{std::string(), Xapian::DB_BACKEND_INMEMORY};
};

struct SearchIndex::Snapshot {
  std::vector<Document> documents;  // documents[docid - 1]
  std::vector<std::unique_ptr<Replica>> replicas;
  std::uint64_t generation = 0;
  mutable std::atomic<std::size_t> next_replica{0};
};

namespace {

// Snippet highlight markers: control characters that plain text never needs (they are removed
// from the text first), so no document can forge a highlight.
constexpr char kMarkStart = '\x01';
constexpr char kMarkEnd = '\x02';
constexpr std::size_t kSnippetBytes = 240;
constexpr std::size_t kMaxLimit = 100;
constexpr std::size_t kMaxOffset = 10'000;
constexpr Xapian::termcount kTitleWeight = 3;

// Words too common to help a search. Kept short on purpose: a word that carries meaning in an
// administrative text ("nicht", "ohne") stays searchable.
const std::vector<std::string>& stopwords(std::string_view language) {
  static const std::vector<std::string> german = {
      "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "da", "damit", "dann", "das",
      "dass", "dem", "den", "denn", "der", "des", "die", "dies", "diese", "dieser", "dieses", "doch", "dort",
      "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "für", "hat", "hatte",
      "ich", "ihr", "im", "in", "ins", "ist", "ja", "man", "mit", "nach", "noch", "nun", "nur", "ob", "oder",
      "sich", "sie", "sind", "so", "um", "und", "uns", "vom", "von", "vor", "war", "was", "wie", "wir",
      "wird", "wo", "zu", "zum", "zur"};
  static const std::vector<std::string> english = {
      "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have", "he",
      "her", "his", "i", "in", "into", "is", "it", "its", "of", "on", "or", "our", "she", "so", "than",
      "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we", "were",
      "which", "who", "will", "with", "you"};
  return language == "en" ? english : german;
}

// Stemmer and stopper of one language. A Xapian::Stem keeps working state inside, so each thread
// has its own (thread_local below): sharing one across searches corrupts memory.
struct Analyzer {
  std::string language;
  Xapian::Stem stem;
  Xapian::SimpleStopper stopper;

  explicit Analyzer(std::string code)
      : language(std::move(code)), stem(language == "en" ? "english" : "german") {
    for (const auto& word : stopwords(language)) stopper.add(word);
  }
};

const Analyzer& german_analyzer() {
  thread_local const Analyzer german("de");
  return german;
}

const Analyzer& english_analyzer() {
  thread_local const Analyzer english("en");
  return english;
}

// Unknown languages are treated as German, the portal's main language.
const Analyzer& analyzer(std::string_view language) {
  return language == "en" ? english_analyzer() : german_analyzer();
}

std::string edition_term(std::string_view edition) { return "E" + std::string(edition); }
std::string language_term(std::string_view language) { return "L" + std::string(analyzer(language).language); }

std::string without_markers(std::string_view text) {
  std::string clean(text);
  std::erase_if(clean, [](char character) { return character == kMarkStart || character == kMarkEnd; });
  return clean;
}

// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view cut(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
  return text.substr(0, end);
}

Xapian::Document index_document(const Document& document) {
  const auto& language = analyzer(document.language);
  Xapian::TermGenerator generator;
  generator.set_stemmer(language.stem);
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
  generator.set_stopper(&language.stopper);
  Xapian::Document indexed;
  generator.set_document(indexed);
  generator.index_text(without_markers(document.title), kTitleWeight);
  generator.increase_termpos();
  generator.index_text(without_markers(document.text));
  indexed.add_boolean_term(edition_term(document.edition));
  indexed.add_boolean_term(language_term(document.language));
  return indexed;
}

// The query in one language: parsed with that language's stemmer and stopwords, limited to
// documents written in it. Syntax the parser rejects is read again as plain words.
Xapian::Query parse_in(const std::string& text, const Analyzer& language) {
  Xapian::QueryParser parser;
  parser.set_stemmer(language.stem);
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
  parser.set_stopper(&language.stopper);
  parser.set_default_op(Xapian::Query::OP_AND);
  Xapian::Query parsed;
  try {
    parsed = parser.parse_query(text, Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                                          Xapian::QueryParser::FLAG_LOVEHATE);
  } catch (const Xapian::QueryParserError&) {
    try {
      parsed = parser.parse_query(text, 0);
    } catch (const Xapian::QueryParserError&) {
      return {};
    }
  }
  if (parsed.empty()) return parsed;
  return Xapian::Query(Xapian::Query::OP_FILTER, parsed, Xapian::Query(language_term(language.language)));
}

Xapian::Query parse(const Query& query) {
  const std::string text(cut(query.text, kMaxQueryBytes));
  std::vector<Xapian::Query> per_language;
  for (const Analyzer* language : {&german_analyzer(), &english_analyzer()}) {
    auto parsed = parse_in(text, *language);
    if (!parsed.empty()) per_language.push_back(std::move(parsed));
  }
  if (per_language.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_FILTER,
                       Xapian::Query(Xapian::Query::OP_OR, per_language.begin(), per_language.end()),
                       Xapian::Query(edition_term(query.edition)));
}

// Undoes the HTML escaping Xapian applies to snippets, so that the text is plain again and the
// HTML builder escapes it exactly once.
std::string unescape(std::string_view text) {
  static const std::pair<std::string_view, char> entities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&apos;", '\''}};
  std::string plain;
  plain.reserve(text.size());
  for (std::size_t index = 0; index < text.size();) {
    bool replaced = false;
    if (text[index] == '&') {
      for (const auto& [entity, character] : entities) {
        if (text.substr(index).starts_with(entity)) {
          plain += character;
          index += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) plain += text[index++];
  }
  return plain;
}

std::vector<Segment> segments(std::string_view marked) {
  std::vector<Segment> result;
  bool highlighted = false;
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    if (end > start) result.push_back({unescape(marked.substr(start, end - start)), highlighted});
  };
  for (std::size_t index = 0; index < marked.size(); ++index) {
    if (marked[index] != kMarkStart && marked[index] != kMarkEnd) continue;
    flush(index);
    highlighted = marked[index] == kMarkStart;
    start = index + 1;
  }
  flush(marked.size());
  return result;
}

Results collect_hits(const Xapian::MSet& matches, const std::vector<Document>& documents) {
  Results results;
  results.total = matches.get_matches_estimated();
  for (auto match = matches.begin(); match != matches.end(); ++match) {
    const auto& document = documents.at(*match - 1);
    // Not SNIPPET_EXHAUSTIVE: over a 100 KB handbook text that alone costs tens of milliseconds
    // per hit (bench/search); the first good passage serves the visitor as well.
    const auto marked = matches.snippet(without_markers(document.text), kSnippetBytes,
                                        analyzer(document.language).stem,
                                        Xapian::MSet::SNIPPET_BACKGROUND_MODEL,
                                        std::string(1, kMarkStart), std::string(1, kMarkEnd), "…");
    results.hits.push_back({document.key, document.url, document.kind, document.title, document.date,
                            segments(marked)});
  }
  return results;
}

Replica& pick_replica(const std::vector<std::unique_ptr<Replica>>& replicas, std::atomic<std::size_t>& next,
                      std::unique_lock<std::mutex>& lock) {
  const auto first = next.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t step = 0; step < replicas.size(); ++step) {
    auto& replica = *replicas[(first + step) % replicas.size()];
    lock = std::unique_lock(replica.mutex, std::try_to_lock);
    if (lock.owns_lock()) return replica;
  }
  auto& replica = *replicas[first % replicas.size()];
  lock = std::unique_lock(replica.mutex);
  return replica;
}

}  // namespace

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::page: return "page";
    case Kind::news: return "news";
    case Kind::event: return "event";
    case Kind::publication: return "publication";
    case Kind::city: return "city";
    case Kind::theme: return "theme";
  }
  return "page";
}

SearchIndex::SearchIndex(std::size_t replicas)
    : replicas_(replicas > 0 ? replicas : std::max<std::size_t>(2, std::thread::hardware_concurrency())) {}

SearchIndex::~SearchIndex() = default;

Status SearchIndex::rebuild(std::vector<Document> documents, std::uint64_t generation) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->generation = generation;
  try {
    std::vector<Xapian::Document> indexed;
    indexed.reserve(documents.size());
    for (const auto& document : documents) indexed.push_back(index_document(document));
    for (std::size_t copy = 0; copy < replicas_; ++copy) {
      auto replica = std::make_unique<Replica>();
      for (const auto& document : indexed) replica->database.add_document(document);
      replica->database.commit();
      snapshot->replicas.push_back(std::move(replica));
    }
  } catch (const Xapian::Error& error) {
    return Error::internal("search index: " + error.get_description());
  }
  snapshot->documents = std::move(documents);
  current_.store(std::move(snapshot));
  return {};
}

Status SearchIndex::refresh(std::uint64_t generation,
                            const std::function<Result<std::vector<Document>>()>& collect) {
  const auto current = current_.load();
  if (current && current->generation == generation) return {};
  std::unique_lock lock(rebuild_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) {
    if (current) return {};
    lock.lock();
  }
  if (const auto latest = current_.load(); latest && latest->generation == generation) return {};
  auto documents = collect();
  if (!documents) return documents.take_error();
  return rebuild(std::move(*documents), generation);
}

Result<Results> SearchIndex::search(const Query& query) const {
  const auto snapshot = current_.load();
  if (!snapshot || snapshot->documents.empty()) return Results{};
  try {
    const auto parsed = parse(query);
    if (parsed.empty()) return Results{};
    std::unique_lock<std::mutex> lock;
    auto& replica = pick_replica(snapshot->replicas, snapshot->next_replica, lock);
    Xapian::Enquire enquire(replica.database);
    enquire.set_query(parsed);
    const auto matches = enquire.get_mset(static_cast<Xapian::doccount>(std::min(query.offset, kMaxOffset)),
                                          static_cast<Xapian::doccount>(std::min(query.limit, kMaxLimit)),
                                          replica.database.get_doccount());
    return collect_hits(matches, snapshot->documents);
  } catch (const Xapian::Error& error) {
    return Error::internal("search: " + error.get_description());
  }
}

std::size_t SearchIndex::size() const {
  const auto snapshot = current_.load();
  return snapshot ? snapshot->documents.size() : 0;
}

std::uint64_t SearchIndex::generation() const {
  const auto snapshot = current_.load();
  return snapshot ? snapshot->generation : 0;
}

std::string FileTexts::text(const std::string& sha256, const std::function<Result<std::string>()>& extract) {
  {
    std::lock_guard lock(mutex_);
    if (const auto found = texts_.find(sha256); found != texts_.end()) {
      found->second.used = true;
      return found->second.text;
    }
  }
  // Extracted outside the lock: a large PDF must not hold up other files.
  auto extracted = extract();
  std::string text = extracted ? std::move(*extracted) : std::string();
  std::lock_guard lock(mutex_);
  texts_[sha256] = {text, true};
  return text;
}

void FileTexts::forget_unused() {
  std::lock_guard lock(mutex_);
  std::erase_if(texts_, [](const auto& entry) { return !entry.second.used; });
  for (auto& [sha256, entry] : texts_) entry.used = false;
}

bool SearchIndex::built() const { return current_.load() != nullptr; }

}  // namespace ik::search
