// The public portal's editable content: news, events, static pages, partners and their
// agreements, documents (publications with file versions), committee members who consented to be
// named, and sign-language videos. Every item is bilingual (German, English falling back to
// German) and every change — create, edit, publish, unpublish, schedule, restore, file — is a
// numbered revision written in one transaction with its audit entry. Uploads are checked by
// content and stored once under their SHA-256 outside any web root.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace ik { class Clock; }
namespace ik::storage { class Storage; class Transaction; }

namespace ik::portal {

enum class Kind { news, event, page, partner, agreement, document, member, video };
std::string_view kind_name(Kind kind);                  // "news", "event", …
std::optional<Kind> parse_kind(std::string_view name);  // nullopt for an unknown name
const std::vector<Kind>& all_kinds();

// A text in German and English. English may be empty; readers then get German.
struct Bilingual {
  std::string de;
  std::string en;

  struct Shown {
    std::string_view text;
    std::string_view language;  // "de" or "en": the language of `text`, for the lang attribute
  };
  // The text for `language` ("de"/"en"); German when the English text is empty.
  Shown in(std::string_view language) const;
  bool operator==(const Bilingual&) const = default;
};

// What the office edits. Which fields a kind uses:
//   all       title (required), summary, body (Markdown), topics, position
//   news      category, date (the day it reports on; default: publication day)
//   event     starts/ends ("YYYY-MM-DD" all day, or "YYYY-MM-DDTHH:MM" local time Europe/Berlin),
//             location
//   page      slug is the page's fixed address (kontakt, impressum, …)
//   partner   category (wirtschaft, verbaende, wissenschaft, initiative), url
//   agreement date (signed), people (signatories), files (the document)
//   document  series, language, date, files (versions; the newest is served)
//   member    category (the body's slug: regiegruppe, projektgruppe), summary = function;
//             published only with the person's consent
//   video     files: the video (main) and its captions
struct Fields {
  Kind kind = Kind::news;
  std::string slug;      // [a-z0-9-], unique per kind; derived from the German title when empty
  Bilingual title;
  Bilingual summary;
  Bilingual body;        // Markdown (raw HTML refused)
  Bilingual location;
  std::string category;
  std::vector<std::string> topics;  // slugs of thematic focuses and action goals
  std::optional<PreciseDate> date;
  std::string starts;
  std::string ends;
  std::string url;
  std::string people;
  std::string series;
  std::string language = "de";
  int position = 0;
  bool operator==(const Fields&) const = default;
};

enum class State { draft, scheduled, published };
std::string_view state_name(State state);  // "draft", "scheduled", "published"

struct StoredFile {
  std::string sha256;      // hex; also the file's name in the upload directory
  std::string media_type;  // "application/pdf", "image/png", …
  std::int64_t size = 0;
  std::string file_name;   // the uploader's name, made safe (ASCII letters, digits, . - _)
  std::int64_t uploaded_at = 0;
};

enum class FileRole { main, captions };
enum class FileVisibility { published, any };

struct FileVersion {
  int version = 0;
  FileRole role = FileRole::main;
  StoredFile file;
  std::int64_t added_at = 0;
  std::string added_by;
};

struct Item : Fields {
  std::int64_t id = 0;
  State state = State::draft;
  std::optional<std::int64_t> publish_at;    // set while scheduled or when published by schedule
  std::optional<std::int64_t> published_at;  // first publication
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  int revision = 0;                          // the number of the latest revision
  std::optional<FileVersion> file;           // newest main file
  std::optional<FileVersion> captions;       // newest captions file
  // Plain text of the body per language (search, feeds, Open Graph descriptions).
  Bilingual text;

  // The German path of the public page ("/aktuelles/slug", "/kontakt", "/seiten/slug"); English
  // is "/en" + path.
  std::string path() const;
};

struct Revision {
  int number = 0;
  std::int64_t at = 0;
  std::string author;
  std::string action;  // "create", "edit", "publish", "unpublish", "schedule", "restore", "file"
  Fields snapshot;
};

struct Actor {
  std::optional<std::int64_t> user_id;
  std::string name;
  std::string request_id;
};

struct Query {
  std::optional<Kind> kind;
  bool published_only = true;  // public pages; the back office sees drafts too
  std::string category;        // "" for any
  std::string topic;           // "" for any
  std::optional<int> year;     // items whose date (or publication) falls in that year
  int limit = 0;               // 0: all
};

// One published item in one language, for the search index and feeds.
struct PublishedText {
  std::int64_t id = 0;
  Kind kind = Kind::news;
  std::string path;      // German path; for "en" the caller prefixes "/en"
  std::string language;  // "de" or "en": only languages with their own title are listed
  std::string title;
  std::string summary;
  std::string text;      // plain text of the body
  std::optional<PreciseDate> date;
  std::string starts, ends, location;
  std::int64_t published_at = 0;
  std::int64_t updated_at = 0;
  std::optional<StoredFile> file;  // the current main file (e.g. a PDF to index)
};

struct Feedback {
  std::int64_t id = 0;
  std::int64_t received_at = 0;
  std::string name;
  std::string email;
  std::string page;     // the address the visitor reports on
  std::string message;
};

struct Upload {
  std::string file_name;
  std::string bytes;
};

struct Options {
  std::filesystem::path upload_directory = "var/uploads";
  std::int64_t max_upload_bytes = 25 * 1024 * 1024;
  // Called with the bytes and detected type before a file is stored; an error refuses it.
  // The default accepts everything (virus scanning is not part of the platform).
  std::function<Status(std::string_view bytes, std::string_view media_type)> scan;
};

class Portal {
 public:
  Portal(storage::Storage& storage, const Clock& clock, Options options = {});

  // Items for public pages or the back office, newest date first (events: soonest first;
  // partners, documents, members, pages: by position, then title).
  Result<std::vector<Item>> list(const Query& query) const;
  // Published items of `kind` with this slug; not_found for drafts, scheduled ones and unknowns.
  Result<Item> published(Kind kind, std::string_view slug) const;
  Result<Item> item(std::int64_t id) const;  // any state (back office); not_found when unknown
  // Published events that have not ended yet (by local date), soonest first.
  Result<std::vector<Item>> upcoming_events(int limit) const;

  // Validates and saves a new draft; returns its id. Errors name the form field ("titel_de",
  // "text_en", "beginn", …) with a message key. Writes revision 1 and an audit entry.
  Result<std::int64_t> create(const Fields& fields, const Actor& actor);
  // Validates and replaces the fields; the state stays. not_found for an unknown id.
  Status edit(std::int64_t id, const Fields& fields, const Actor& actor);
  // Makes the item public now, or at `at` when that lies in the future (scheduled).
  Status publish(std::int64_t id, std::optional<std::int64_t> at, const Actor& actor);
  Status unpublish(std::int64_t id, const Actor& actor);
  // Brings back the fields of an earlier revision as a new revision; the state stays.
  Status restore(std::int64_t id, int revision, const Actor& actor);
  Result<std::vector<Revision>> revisions(std::int64_t id) const;  // newest first

  // Checks `upload` by its content (PDF, DOCX, XLSX, PNG, JPEG, SVG, MP4, WebVTT), runs the scan
  // hook, stores it under its SHA-256 (once, however often uploaded) and records it.
  // Errors (field "datei"): upload.empty, upload.too_large, upload.unknown_type,
  // upload.broken_pdf, upload.broken_office, upload.unsafe_svg, upload.refused_by_scan.
  Result<StoredFile> store_upload(const Upload& upload, const Actor& actor);
  // Adds `sha256` (stored before) as the next version of the item's main file or captions.
  Status attach_file(std::int64_t id, std::string_view sha256, FileRole role, const Actor& actor);
  Result<std::vector<FileVersion>> file_versions(std::int64_t id) const;  // newest first
  // A stored file's metadata. `published`: not_found unless a currently published item refers to
  // it (one of its file versions or captions, or "/dateien/{sha256}" in its Markdown body), so
  // drafts, scheduled and unpublished items' files stay private. `any`: every stored file (the
  // back office's previews). not_found also for anything that is not 64 lower-case hex digits.
  Result<StoredFile> stored_file(std::string_view sha256, FileVisibility visibility = FileVisibility::published) const;
  Result<std::vector<StoredFile>> uploads() const;  // newest first
  // The file's bytes; not_found when missing on disk.
  Result<std::string> file_bytes(const StoredFile& file) const;

  // Everything published, per language with its own text (see PublishedText).
  Result<std::vector<PublishedText>> published_texts() const;
  // Moves whenever published content may have changed: on every change through this object
  // and when a scheduled publication falls due. Cheap; poll it per request.
  std::uint64_t generation() const;

  // The accessibility feedback form: validated (field errors: "nachricht", "email"), stored,
  // audited; listed for the office, newest first.
  Status submit_feedback(const Feedback& feedback, const Actor& actor);
  Result<std::vector<Feedback>> feedback() const;

  const Options& options() const { return options_; }

 private:
  Status change(std::int64_t id, const Actor& actor, std::string_view action,
                const std::function<Status(storage::Transaction&, Item&)>& apply);
  void changed();

  storage::Storage& storage_;
  const Clock& clock_;
  Options options_;
  std::atomic<std::uint64_t> changes_{0};
  mutable std::atomic<std::int64_t> next_due_{0};  // earliest pending publish_at, 0 when none
  mutable std::atomic<std::uint64_t> due_seen_{0};
};

// Loads the cooperation's public texts as published pages (Kontakt, Impressum, …), its partner
// initiative, the agreements of 2011 and 2013, milestone news dated as they happened, and one
// document per handbook publication. Idempotent: items already there (by kind and slug) stay
// as the office left them. Returns the number of items created.
Result<int> seed(Portal& portal);

}  // namespace ik::portal
