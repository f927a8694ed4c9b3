// Content items, revisions, files and feedback on the Storage seam. Every change runs in one
// write transaction: the row, its revision and its audit entry together.
#include "portal/portal.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "audit/audit.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "portal/internal.hpp"
#include "storage/storage.hpp"

namespace ik::portal {
namespace {

using nlohmann::json;
using storage::Null;
using storage::Params;
using storage::Row;
using storage::Transaction;
using storage::Value;

constexpr std::string_view kColumns =
    "id, kind, slug, title_de, title_en, summary_de, summary_en, body_de, body_en, text_de, text_en, "
    "location_de, location_en, category, topics, item_date, item_date_precision, starts, ends, url, people, "
    "series, language, position, state, publish_at, published_at, created_at, updated_at, revision";

constexpr std::string_view kInsert =
    "INSERT INTO content_item (kind, slug, title_de, title_en, summary_de, summary_en, body_de, body_en, "
    "text_de, text_en, location_de, location_en, category, topics, item_date, item_date_precision, starts, ends, "
    "url, people, series, language, position, state, created_at, updated_at, revision) VALUES ($1, $2, $3, $4, "
    "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, 'draft', $24, "
    "$24, 1) RETURNING id";

constexpr std::string_view kUpdate =
    "UPDATE content_item SET slug = $2, title_de = $3, title_en = $4, summary_de = $5, summary_en = $6, "
    "body_de = $7, body_en = $8, text_de = $9, text_en = $10, location_de = $11, location_en = $12, "
    "category = $13, topics = $14, item_date = $15, item_date_precision = $16, starts = $17, ends = $18, "
    "url = $19, people = $20, series = $21, language = $22, position = $23, state = $24, publish_at = $25, "
    "published_at = $26, updated_at = $27, revision = $28 WHERE id = $1";

constexpr std::string_view kSlugTaken = "SELECT id FROM content_item WHERE kind = $1 AND slug = $2 AND id <> $3";

constexpr std::string_view kInsertRevision =
    "INSERT INTO content_revision (item_id, number, at, author_user_id, author_name, action, snapshot) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";

constexpr std::string_view kRevisions =
    "SELECT number, at, author_name, action, snapshot FROM content_revision WHERE item_id = $1 ORDER BY number DESC";

constexpr std::string_view kRevision =
    "SELECT snapshot FROM content_revision WHERE item_id = $1 AND number = $2";

constexpr std::string_view kFileColumns =
    "f.item_id, f.role, f.version, f.added_at, f.added_by, s.sha256, s.media_type, s.size, s.file_name, "
    "s.uploaded_at";

constexpr std::string_view kInsertStoredFile =
    "INSERT INTO stored_file (sha256, media_type, size, file_name, uploaded_at, uploaded_by) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING";

constexpr std::string_view kStoredFile =
    "SELECT sha256, media_type, size, file_name, uploaded_at FROM stored_file WHERE sha256 = $1";

// A stored file that a currently published item refers to: a file version (main or captions) of
// the item, or a link or image "/dateien/{sha256}" in its Markdown body (how the editorial upload
// page tells the office to reference images). $1 is the SHA-256 (checked hex), $2 is now.
constexpr std::string_view kPublicStoredFile =
    "SELECT s.sha256, s.media_type, s.size, s.file_name, s.uploaded_at FROM stored_file s WHERE s.sha256 = $1 "
    "AND EXISTS (SELECT 1 FROM content_item i WHERE i.state = 'published' "
    "AND (i.publish_at IS NULL OR i.publish_at <= $2) "
    "AND (EXISTS (SELECT 1 FROM content_file f WHERE f.item_id = i.id AND f.sha256 = s.sha256) "
    "OR i.body_de LIKE '%/dateien/' || s.sha256 || '%' OR i.body_en LIKE '%/dateien/' || s.sha256 || '%'))";

constexpr std::string_view kStoredFiles =
    "SELECT sha256, media_type, size, file_name, uploaded_at FROM stored_file ORDER BY uploaded_at DESC, sha256";

constexpr std::string_view kNextVersion =
    "SELECT COALESCE(MAX(version), 0) + 1 FROM content_file WHERE item_id = $1 AND role = $2";

constexpr std::string_view kInsertFile =
    "INSERT INTO content_file (item_id, role, version, sha256, added_at, added_by) VALUES ($1, $2, $3, $4, $5, $6)";

constexpr std::string_view kNextDue =
    "SELECT MIN(publish_at) FROM content_item WHERE state = 'published' AND publish_at > $1";

constexpr std::string_view kInsertFeedback =
    "INSERT INTO accessibility_feedback (received_at, name, email, page, message) VALUES ($1, $2, $3, $4, $5) "
    "RETURNING id";

constexpr std::string_view kFeedback =
    "SELECT id, received_at, name, email, page, message FROM accessibility_feedback ORDER BY id DESC";

constexpr std::string_view kKindNames[] = {"news", "event", "page", "partner", "agreement", "document", "member", "video"};

Value text_or_null(const std::optional<std::string>& text) { return text ? Value(*text) : Value(Null{}); }
Value integer_or_null(const std::optional<std::int64_t>& number) { return number ? Value(*number) : Value(Null{}); }

std::string join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& part : parts) joined += (joined.empty() ? "" : ",") + part;
  return joined;
}

std::vector<std::string> split(const std::string& joined) {
  std::vector<std::string> parts;
  std::stringstream stream(joined);
  for (std::string part; std::getline(stream, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

Item item_from(const Row& row, std::int64_t now) {
  Item item;
  item.id = row.integer(0);
  item.kind = parse_kind(row.text(1)).value_or(Kind::news);
  item.slug = row.text(2);
  item.title = {row.text(3), row.text(4)};
  item.summary = {row.text(5), row.text(6)};
  item.body = {row.text(7), row.text(8)};
  item.text = {row.text(9), row.text(10)};
  item.location = {row.text(11), row.text(12)};
  item.category = row.text(13);
  item.topics = split(row.text(14));
  if (!row.is_null(15) && !row.is_null(16)) {
    if (const auto precision = parse_precision(row.text(16))) item.date = parse_precise_date(row.text(15), *precision);
  }
  item.starts = row.text(17);
  item.ends = row.text(18);
  item.url = row.text(19);
  item.people = row.text(20);
  item.series = row.text(21);
  item.language = row.text(22);
  item.position = static_cast<int>(row.integer(23));
  item.publish_at = row.optional_integer(25);
  item.published_at = row.optional_integer(26);
  if (row.text(24) == "published") {
    item.state = item.publish_at && *item.publish_at > now ? State::scheduled : State::published;
  }
  item.created_at = row.integer(27);
  item.updated_at = row.integer(28);
  item.revision = static_cast<int>(row.integer(29));
  return item;
}

Params field_params(const Fields& fields, const Bilingual& text) {
  return {fields.slug, fields.title.de, fields.title.en, fields.summary.de, fields.summary.en, fields.body.de,
          fields.body.en, text.de, text.en, fields.location.de, fields.location.en, fields.category,
          join(fields.topics),
          text_or_null(fields.date ? std::optional<std::string>(fields.date->iso()) : std::nullopt),
          text_or_null(fields.date ? std::optional<std::string>(std::string(precision_name(fields.date->precision)))
                                   : std::nullopt),
          fields.starts, fields.ends, fields.url, fields.people, fields.series, fields.language,
          static_cast<std::int64_t>(fields.position)};
}

json to_json(const Bilingual& value) { return {{"de", value.de}, {"en", value.en}}; }
Bilingual bilingual_from(const json& value) {
  return {value.value("de", std::string()), value.value("en", std::string())};
}

json to_json(const Fields& fields) {
  return {{"kind", kind_name(fields.kind)},
          {"slug", fields.slug},
          {"title", to_json(fields.title)},
          {"summary", to_json(fields.summary)},
          {"body", to_json(fields.body)},
          {"location", to_json(fields.location)},
          {"category", fields.category},
          {"topics", fields.topics},
          {"date", fields.date ? json(fields.date->iso()) : json(nullptr)},
          {"date_precision", fields.date ? json(precision_name(fields.date->precision)) : json(nullptr)},
          {"starts", fields.starts},
          {"ends", fields.ends},
          {"url", fields.url},
          {"people", fields.people},
          {"series", fields.series},
          {"language", fields.language},
          {"position", fields.position}};
}

Fields fields_from(const json& value) {
  Fields fields;
  fields.kind = parse_kind(value.value("kind", std::string())).value_or(Kind::news);
  fields.slug = value.value("slug", std::string());
  fields.title = bilingual_from(value.value("title", json::object()));
  fields.summary = bilingual_from(value.value("summary", json::object()));
  fields.body = bilingual_from(value.value("body", json::object()));
  fields.location = bilingual_from(value.value("location", json::object()));
  fields.category = value.value("category", std::string());
  fields.topics = value.value("topics", std::vector<std::string>());
  if (value.contains("date") && value["date"].is_string() && value["date_precision"].is_string()) {
    if (const auto precision = parse_precision(value["date_precision"].get<std::string>())) {
      fields.date = parse_precise_date(value["date"].get<std::string>(), *precision);
    }
  }
  fields.starts = value.value("starts", std::string());
  fields.ends = value.value("ends", std::string());
  fields.url = value.value("url", std::string());
  fields.people = value.value("people", std::string());
  fields.series = value.value("series", std::string());
  fields.language = value.value("language", std::string("de"));
  fields.position = value.value("position", 0);
  return fields;
}

json state_json(const Item& item) {
  json value = to_json(static_cast<const Fields&>(item));
  value["state"] = state_name(item.state);
  value["publish_at"] = item.publish_at ? json(*item.publish_at) : json(nullptr);
  value["revision"] = item.revision;
  return value;
}

Result<std::optional<Item>> load(Transaction& transaction, std::int64_t id, std::int64_t now) {
  auto row = transaction.query_one("SELECT " + std::string(kColumns) + " FROM content_item WHERE id = $1", {id});
  if (!row) return row.take_error();
  if (!*row) return std::optional<Item>();
  return std::optional<Item>(item_from(**row, now));
}

Status check_slug_free(Transaction& transaction, const Fields& fields, std::int64_t id) {
  auto taken = transaction.query_one(kSlugTaken, {std::string(kind_name(fields.kind)), fields.slug, id});
  if (!taken) return taken.take_error();
  if (*taken) return Error::invalid("kuerzel", "content.slug_taken");
  return {};
}

Status save(Transaction& transaction, const Item& item) {
  Params params = field_params(item, item.text);
  params.insert(params.begin(), item.id);
  params.emplace_back(std::string(item.state == State::draft ? "draft" : "published"));
  params.push_back(integer_or_null(item.publish_at));
  params.push_back(integer_or_null(item.published_at));
  params.emplace_back(item.updated_at);
  params.emplace_back(static_cast<std::int64_t>(item.revision));
  auto updated = transaction.execute(kUpdate, params);
  if (!updated) return updated.take_error();
  return {};
}

Status record_revision(Transaction& transaction, const Item& item, std::string_view action, const Actor& actor,
                       std::int64_t at, const std::optional<Item>& before) {
  auto inserted = transaction.execute(kInsertRevision, {item.id, static_cast<std::int64_t>(item.revision), at,
                                                        integer_or_null(actor.user_id), actor.name, std::string(action),
                                                        to_json(static_cast<const Fields&>(item)).dump()});
  if (!inserted) return inserted.take_error();
  return audit::record(transaction, audit::Entry{
                                        .at = at,
                                        .actor_user_id = actor.user_id,
                                        .actor_name = actor.name,
                                        .action = "content." + std::string(action),
                                        .entity = "content_item",
                                        .entity_id = std::to_string(item.id),
                                        .before_json = before ? state_json(*before).dump() : std::string(),
                                        .after_json = state_json(item).dump(),
                                        .request_id = actor.request_id,
                                    });
}

FileVersion file_version_from(const Row& row) {
  FileVersion version;
  version.role = row.text(1) == "captions" ? FileRole::captions : FileRole::main;
  version.version = static_cast<int>(row.integer(2));
  version.added_at = row.integer(3);
  version.added_by = row.text(4);
  version.file = StoredFile{row.text(5), row.text(6), row.integer(7), row.text(8), row.integer(9)};
  return version;
}

StoredFile stored_file_from(const Row& row) {
  return StoredFile{row.text(0), row.text(1), row.integer(2), row.text(3), row.integer(4)};
}

// Attaches the newest file of each role to the items.
Status attach_current_files(Transaction& transaction, std::vector<Item>& items) {
  auto rows = transaction.query(
      "SELECT " + std::string(kFileColumns) +
      " FROM content_file f JOIN stored_file s ON s.sha256 = f.sha256 WHERE f.version = (SELECT MAX(g.version) "
      "FROM content_file g WHERE g.item_id = f.item_id AND g.role = f.role)");
  if (!rows) return rows.take_error();
  std::map<std::int64_t, Item*> by_id;
  for (auto& item : items) by_id[item.id] = &item;
  for (const auto& row : *rows) {
    const auto found = by_id.find(row.integer(0));
    if (found == by_id.end()) continue;
    auto version = file_version_from(row);
    (version.role == FileRole::main ? found->second->file : found->second->captions) = std::move(version);
  }
  return {};
}

// Newest first by the date the item reports on (or its publication).
std::int64_t sort_time(const Item& item) {
  if (item.date) return epoch_seconds(*item.date);
  return item.published_at.value_or(item.created_at);
}

int year_of(const Item& item) {
  if (item.date) return item.date->year;
  if (item.kind == Kind::event && item.starts.size() >= 4) return static_cast<int>(text::parse_int(item.starts.substr(0, 4)).value_or(0));
  const auto day = format_utc(item.published_at.value_or(item.created_at));
  return static_cast<int>(text::parse_int(day.substr(0, 4)).value_or(0));
}

void sort_items(std::vector<Item>& items) {
  std::stable_sort(items.begin(), items.end(), [](const Item& left, const Item& right) {
    if (left.kind != right.kind) return left.kind < right.kind;
    switch (left.kind) {
      case Kind::news:
      case Kind::agreement:
        return sort_time(left) > sort_time(right);
      case Kind::event:
        return left.starts < right.starts;
      default:
        return std::tie(left.position, left.title.de) < std::tie(right.position, right.title.de);
    }
  });
}

bool matches(const Item& item, const Query& query) {
  if (!query.category.empty() && item.category != query.category) return false;
  if (!query.topic.empty() && std::find(item.topics.begin(), item.topics.end(), query.topic) == item.topics.end()) {
    return false;
  }
  return !query.year || year_of(item) == *query.year;
}

std::string today(std::int64_t now) { return format_utc(now).substr(0, 10); }

}  // namespace

std::string_view kind_name(Kind kind) { return kKindNames[static_cast<int>(kind)]; }

std::optional<Kind> parse_kind(std::string_view name) {
  for (const auto kind : all_kinds()) {
    if (kind_name(kind) == name) return kind;
  }
  return std::nullopt;
}

const std::vector<Kind>& all_kinds() {
  static const std::vector<Kind> kinds = {Kind::news,     Kind::event,  Kind::page,   Kind::partner,
                                          Kind::agreement, Kind::document, Kind::member, Kind::video};
  return kinds;
}

std::string_view state_name(State state) {
  switch (state) {
    case State::draft: return "draft";
    case State::scheduled: return "scheduled";
    case State::published: return "published";
  }
  return "draft";
}

Bilingual::Shown Bilingual::in(std::string_view language) const {
  if (language == "en" && !en.empty()) return {en, "en"};
  return {de, "de"};
}

std::string Item::path() const {
  switch (kind) {
    case Kind::news: return "/aktuelles/" + slug;
    case Kind::event: return "/termine/" + slug;
    case Kind::page: {
      // The service pages have addresses of their own; every other page lives under /seiten.
      static const std::set<std::string, std::less<>> kServicePages = {"kontakt", "impressum", "datenschutz",
                                                                       "barrierefreiheit", "leichte-sprache"};
      return kServicePages.contains(slug) ? "/" + slug : "/seiten/" + slug;
    }
    case Kind::partner:
    case Kind::agreement: return "/partner";
    case Kind::document: return "/publikationen/" + slug;
    case Kind::member: return "/gremien";
    case Kind::video: return "/gebaerdensprache";
  }
  return "/";
}

Portal::Portal(storage::Storage& storage, const Clock& clock, Options options)
    : storage_(storage), clock_(clock), options_(std::move(options)) {
  // 1 makes the first generation() look for pending scheduled publications.
  next_due_ = 1;
}

Result<std::vector<Item>> Portal::list(const Query& query) const {
  const auto now = clock_.now();
  std::vector<Item> items;
  auto done = storage_.read([&](Transaction& transaction) -> Status {
    std::string sql = "SELECT " + std::string(kColumns) + " FROM content_item WHERE 1 = 1";
    Params params;
    if (query.kind) {
      params.emplace_back(std::string(kind_name(*query.kind)));
      sql += " AND kind = $" + std::to_string(params.size());
    }
    if (query.published_only) {
      params.emplace_back(now);
      sql += " AND state = 'published' AND (publish_at IS NULL OR publish_at <= $" + std::to_string(params.size()) + ")";
    }
    auto rows = transaction.query(sql, params);
    if (!rows) return rows.take_error();
    items.clear();
    for (const auto& row : *rows) {
      auto item = item_from(row, now);
      if (matches(item, query)) items.push_back(std::move(item));
    }
    return attach_current_files(transaction, items);
  });
  if (!done) return done.take_error();
  sort_items(items);
  if (query.limit > 0 && items.size() > static_cast<std::size_t>(query.limit)) items.resize(static_cast<std::size_t>(query.limit));
  return items;
}

Result<Item> Portal::published(Kind kind, std::string_view slug) const {
  auto items = list({.kind = kind});
  if (!items) return items.take_error();
  for (auto& item : *items) {
    if (item.slug == slug) return std::move(item);
  }
  return Error::not_found();
}

Result<Item> Portal::item(std::int64_t id) const {
  std::optional<Item> found;
  auto done = storage_.read([&](Transaction& transaction) -> Status {
    auto loaded = load(transaction, id, clock_.now());
    if (!loaded) return loaded.take_error();
    found = std::move(*loaded);
    if (!found) return {};
    std::vector<Item> one{*found};
    IK_TRY(attach_current_files(transaction, one));
    found = std::move(one.front());
    return {};
  });
  if (!done) return done.take_error();
  if (!found) return Error::not_found();
  return std::move(*found);
}

Result<std::vector<Item>> Portal::upcoming_events(int limit) const {
  auto events = list({.kind = Kind::event});
  if (!events) return events.take_error();
  const auto day = today(clock_.now());
  std::vector<Item> upcoming;
  for (auto& event : *events) {
    const auto& last = event.ends.empty() ? event.starts : event.ends;
    if (last.substr(0, 10) >= day && static_cast<int>(upcoming.size()) < limit) upcoming.push_back(std::move(event));
  }
  return upcoming;
}

Result<std::int64_t> Portal::create(const Fields& fields, const Actor& actor) {
  auto valid = validated(fields);
  if (!valid) return valid.take_error();
  const auto now = clock_.now();
  const auto text = plain_text(*valid);
  std::int64_t id = 0;
  auto done = storage_.write([&](Transaction& transaction) -> Status {
    IK_TRY(check_slug_free(transaction, *valid, 0));
    Params params = field_params(*valid, text);
    params.insert(params.begin(), std::string(kind_name(valid->kind)));
    params.emplace_back(now);
    auto row = transaction.query_one(kInsert, params);
    if (!row) return row.take_error();
    id = (*row)->integer(0);
    auto created = load(transaction, id, now);
    if (!created) return created.take_error();
    return record_revision(transaction, **created, "create", actor, now, std::nullopt);
  });
  if (!done) return done.take_error();
  changed();
  return id;
}

Status Portal::change(std::int64_t id, const Actor& actor, std::string_view action,
                      const std::function<Status(Transaction&, Item&)>& apply) {
  const auto now = clock_.now();
  auto done = storage_.write([&](Transaction& transaction) -> Status {
    auto loaded = load(transaction, id, now);
    if (!loaded) return loaded.take_error();
    if (!*loaded) return Error::not_found("content item " + std::to_string(id));
    const Item before = **loaded;
    Item after = before;
    IK_TRY(apply(transaction, after));
    after.updated_at = now;
    after.revision = before.revision + 1;
    IK_TRY(save(transaction, after));
    return record_revision(transaction, after, action, actor, now, before);
  });
  if (done) changed();
  return done;
}

Status Portal::edit(std::int64_t id, const Fields& fields, const Actor& actor) {
  auto valid = validated(fields);
  if (!valid) return valid.take_error();
  return change(id, actor, "edit", [&](Transaction& transaction, Item& item) -> Status {
    if (valid->kind != item.kind) return Error::invalid("art", "form.invalid_choice");
    IK_TRY(check_slug_free(transaction, *valid, item.id));
    static_cast<Fields&>(item) = *valid;
    item.text = plain_text(*valid);
    return {};
  });
}

Status Portal::publish(std::int64_t id, std::optional<std::int64_t> at, const Actor& actor) {
  const auto now = clock_.now();
  const bool later = at && *at > now;
  return change(id, actor, later ? "schedule" : "publish", [&](Transaction&, Item& item) -> Status {
    item.state = later ? State::scheduled : State::published;
    item.publish_at = later ? at : std::nullopt;
    if (!item.published_at || later) item.published_at = later ? *at : now;
    return {};
  });
}

Status Portal::unpublish(std::int64_t id, const Actor& actor) {
  return change(id, actor, "unpublish", [](Transaction&, Item& item) -> Status {
    item.state = State::draft;
    item.publish_at.reset();
    return {};
  });
}

Status Portal::restore(std::int64_t id, int revision, const Actor& actor) {
  return change(id, actor, "restore", [&](Transaction& transaction, Item& item) -> Status {
    auto row = transaction.query_one(kRevision, {id, static_cast<std::int64_t>(revision)});
    if (!row) return row.take_error();
    if (!*row) return Error::not_found("revision");
    const auto parsed = json::parse((*row)->text(0), nullptr, false);
    if (parsed.is_discarded()) return Error::internal("revision snapshot is not JSON");
    auto fields = fields_from(parsed);
    fields.kind = item.kind;
    IK_TRY(check_slug_free(transaction, fields, item.id));
    static_cast<Fields&>(item) = fields;
    item.text = plain_text(fields);
    return {};
  });
}

Result<std::vector<Revision>> Portal::revisions(std::int64_t id) const {
  std::vector<Revision> revisions;
  auto done = storage_.read([&](Transaction& transaction) -> Status {
    auto rows = transaction.query(kRevisions, {id});
    if (!rows) return rows.take_error();
    revisions.clear();
    for (const auto& row : *rows) {
      const auto parsed = json::parse(row.text(4), nullptr, false);
      revisions.push_back(Revision{static_cast<int>(row.integer(0)), row.integer(1), row.text(2), row.text(3),
                                   parsed.is_discarded() ? Fields{} : fields_from(parsed)});
    }
    return {};
  });
  if (!done) return done.take_error();
  return revisions;
}

Result<StoredFile> Portal::store_upload(const Upload& upload, const Actor& actor) {
  if (upload.bytes.empty()) return Error::invalid("datei", "upload.empty");
  if (static_cast<std::int64_t>(upload.bytes.size()) > options_.max_upload_bytes) {
    return Error::invalid("datei", "upload.too_large");
  }
  auto media_type = detect_media_type(upload.bytes);
  if (!media_type) return media_type.take_error();
  if (options_.scan) {
    if (auto scanned = options_.scan(upload.bytes, *media_type); !scanned) {
      return Error::invalid("datei", "upload.refused_by_scan");
    }
  }
  const auto now = clock_.now();
  StoredFile file{crypto::sha256_hex(upload.bytes), *media_type, static_cast<std::int64_t>(upload.bytes.size()),
                  safe_file_name(upload.file_name), now};
  // The name is the content's hash, so writing the same file again changes nothing; the file is
  // complete on disk before the database knows it.
  std::error_code failed;
  std::filesystem::create_directories(options_.upload_directory, failed);
  const auto target = options_.upload_directory / file.sha256;
  if (!std::filesystem::exists(target)) {
    const auto partial = options_.upload_directory / (file.sha256 + ".partial");
    {
      std::ofstream output(partial, std::ios::binary | std::ios::trunc);
      output.write(upload.bytes.data(), static_cast<std::streamsize>(upload.bytes.size()));
      if (!output) return Error::internal("cannot write " + partial.string());
    }
    std::filesystem::rename(partial, target, failed);
    if (failed) return Error::internal("cannot store " + target.string() + ": " + failed.message());
  }
  auto done = storage_.write([&](Transaction& transaction) -> Status {
    auto inserted = transaction.execute(kInsertStoredFile, {file.sha256, file.media_type, file.size, file.file_name, now, actor.name});
    if (!inserted) return inserted.take_error();
    auto stored = transaction.query_one(kStoredFile, {file.sha256});
    if (!stored) return stored.take_error();
    if (*stored) file = stored_file_from(**stored);
    return audit::record(transaction, audit::Entry{.at = now,
                                                   .actor_user_id = actor.user_id,
                                                   .actor_name = actor.name,
                                                   .action = "file.store",
                                                   .entity = "stored_file",
                                                   .entity_id = file.sha256,
                                                   .after_json = json{{"media_type", file.media_type},
                                                                      {"size", file.size},
                                                                      {"file_name", file.file_name}}
                                                                     .dump(),
                                                   .request_id = actor.request_id});
  });
  if (!done) return done.take_error();
  return file;
}

Status Portal::attach_file(std::int64_t id, std::string_view sha256, FileRole role, const Actor& actor) {
  const std::string role_name = role == FileRole::captions ? "captions" : "main";
  return change(id, actor, "file", [&](Transaction& transaction, Item& item) -> Status {
    auto stored = transaction.query_one(kStoredFile, {std::string(sha256)});
    if (!stored) return stored.take_error();
    if (!*stored) return Error::invalid("datei", "upload.unknown_file");
    const auto file = stored_file_from(**stored);
    if (role == FileRole::captions && file.media_type != "text/vtt") return Error::invalid("datei", "upload.captions_expected");
    auto next = transaction.query_one(kNextVersion, {item.id, role_name});
    if (!next) return next.take_error();
    const auto version = (*next)->integer(0);
    auto inserted = transaction.execute(kInsertFile, {item.id, role_name, version, file.sha256, clock_.now(), actor.name});
    if (!inserted) return inserted.take_error();
    return {};
  });
}

Result<std::vector<FileVersion>> Portal::file_versions(std::int64_t id) const {
  std::vector<FileVersion> versions;
  auto done = storage_.read([&](Transaction& transaction) -> Status {
    auto rows = transaction.query("SELECT " + std::string(kFileColumns) +
                                      " FROM content_file f JOIN stored_file s ON s.sha256 = f.sha256 "
                                      "WHERE f.item_id = $1 ORDER BY f.role, f.version DESC",
                                  {id});
    if (!rows) return rows.take_error();
    versions.clear();
    for (const auto& row : *rows) versions.push_back(file_version_from(row));
    return {};
  });
  if (!done) return done.take_error();
  return versions;
}

Result<StoredFile> Portal::stored_file(std::string_view sha256, FileVisibility visibility) const {
  // Only lower-case hex of SHA-256's length: anything else is no stored file (and never reaches
  // the LIKE pattern of the public query).
  if (sha256.size() != 64 ||
      !std::all_of(sha256.begin(), sha256.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    return Error::not_found();
  }
  std::optional<StoredFile> found;
  const auto now = clock_.now();
  auto done = storage_.read([&](Transaction& transaction) -> Status {
    found.reset();
    storage::Params params;
    params.emplace_back(std::string(sha256));
    if (visibility == FileVisibility::published) params.emplace_back(now);
    auto row = transaction.query_one(visibility == FileVisibility::any ? kStoredFile : kPublicStoredFile, params);
    if (!row) return row.take_error();
    if (*row) found = stored_file_from(**row);
    return {};
  });
  if (!done) return done.take_error();
  if (!found) return Error::not_found();
  return std::move(*found);
}

Result<std::vector<StoredFile>> Portal::uploads() const {
  std::vector<StoredFile> files;
  auto done = storage_.read([&](Transaction& transaction) -> Status {
    auto rows = transaction.query(kStoredFiles);
    if (!rows) return rows.take_error();
    files.clear();
    for (const auto& row : *rows) files.push_back(stored_file_from(row));
    return {};
  });
  if (!done) return done.take_error();
  return files;
}

Result<std::string> Portal::file_bytes(const StoredFile& file) const {
  std::ifstream input(options_.upload_directory / file.sha256, std::ios::binary);
  if (!input) return Error::not_found("file " + file.sha256 + " missing in " + options_.upload_directory.string());
  std::ostringstream content;
  content << input.rdbuf();
  return content.str();
}

Result<std::vector<PublishedText>> Portal::published_texts() const {
  auto items = list({});
  if (!items) return items.take_error();
  std::vector<PublishedText> texts;
  for (const auto& item : *items) {
    for (const std::string language : {"de", "en"}) {
      if (language == "en" && item.title.en.empty()) continue;
      PublishedText text{.id = item.id,
                         .kind = item.kind,
                         .path = item.path(),
                         .language = language,
                         .title = std::string(item.title.in(language).text),
                         .summary = std::string(item.summary.in(language).text),
                         .text = std::string(item.text.in(language).text),
                         .date = item.date,
                         .starts = item.starts,
                         .ends = item.ends,
                         .location = std::string(item.location.in(language).text),
                         .published_at = item.published_at.value_or(item.created_at),
                         .updated_at = item.updated_at};
      if (item.file) text.file = item.file->file;
      texts.push_back(std::move(text));
    }
  }
  return texts;
}

std::uint64_t Portal::generation() const {
  const auto due = next_due_.load();
  const auto now = clock_.now();
  if (due != 0 && now >= due) {
    std::optional<std::int64_t> next;
    auto looked = storage_.read([&](Transaction& transaction) -> Status {
      auto row = transaction.query_one(kNextDue, {now});
      if (!row) return row.take_error();
      next = (*row)->optional_integer(0);
      return {};
    });
    // On failure the old time stays, so the next poll asks again.
    if (looked) {
      next_due_ = next.value_or(0);
      ++due_seen_;
    }
  }
  return changes_.load() + due_seen_.load();
}

void Portal::changed() {
  ++changes_;
  next_due_ = 1;  // a schedule may have been set or removed: look again on the next poll
}

Status Portal::submit_feedback(const Feedback& feedback, const Actor& actor) {
  const std::string message(text::trim(feedback.message));
  if (message.empty()) return Error::invalid("nachricht", "content.feedback_required");
  for (const auto& [field, value, limit] : {std::tuple<std::string, std::string, std::size_t>{"nachricht", message, 5000},
                                            {"name", feedback.name, 200},
                                            {"email", feedback.email, 254},
                                            {"seite", feedback.page, 500}}) {
    if (!text::is_valid_utf8(value)) return Error::invalid(field, "content.invalid_text");
    if (text::code_points(value) > limit) return Error::invalid(field, "content.field_too_long");
  }
  const std::string email(text::trim(feedback.email));
  if (!email.empty() && (email.find('@') == std::string::npos || email.find(' ') != std::string::npos)) {
    return Error::invalid("email", "content.email_invalid");
  }
  const auto now = clock_.now();
  return storage_.write([&](Transaction& transaction) -> Status {
    auto row = transaction.query_one(kInsertFeedback, {now, std::string(text::trim(feedback.name)), email,
                                                       std::string(text::trim(feedback.page)), message});
    if (!row) return row.take_error();
    return audit::record(transaction, audit::Entry{.at = now,
                                                   .actor_user_id = actor.user_id,
                                                   .actor_name = actor.name,
                                                   .action = "feedback.receive",
                                                   .entity = "accessibility_feedback",
                                                   .entity_id = std::to_string((*row)->integer(0)),
                                                   .request_id = actor.request_id});
  });
}

Result<std::vector<Feedback>> Portal::feedback() const {
  std::vector<Feedback> entries;
  auto done = storage_.read([&](Transaction& transaction) -> Status {
    auto rows = transaction.query(kFeedback);
    if (!rows) return rows.take_error();
    entries.clear();
    for (const auto& row : *rows) {
      entries.push_back(Feedback{row.integer(0), row.integer(1), row.text(2), row.text(3), row.text(4), row.text(5)});
    }
    return {};
  });
  if (!done) return done.take_error();
  return entries;
}

}  // namespace ik::portal
