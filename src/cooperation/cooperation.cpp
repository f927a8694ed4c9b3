#include "cooperation/cooperation.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "audit/audit.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "storage/storage.hpp"

namespace ik::cooperation {
namespace {

constexpr std::string_view kCities = R"sql(
  SELECT id, slug, name, COALESCE(ki_name, ''), COALESCE(ki_contact, ''), COALESCE(ki_url, ''),
         map_x, map_y
  FROM city ORDER BY name)sql";
constexpr std::string_view kMemberships = R"sql(
  SELECT city_id, status, since_date, since_precision, until_date, until_precision, note_de,
         note_en, source
  FROM city_membership ORDER BY city_id, since_date, id)sql";
constexpr std::string_view kInternalNote = "SELECT COALESCE(internal_note, '') FROM city WHERE id = $1";
constexpr std::string_view kBodies = R"sql(
  SELECT slug, name_de, name_en, composition_de, composition_en, tasks_de, tasks_en
  FROM body ORDER BY id)sql";
constexpr std::string_view kThemes = "SELECT slug, position, title_de, title_en FROM theme ORDER BY position";
constexpr std::string_view kActionGoals =
    "SELECT slug, position, title_de, title_en FROM action_goal ORDER BY position";
constexpr std::string_view kMilestones = R"sql(
  SELECT slug, event_date, event_precision, title_de, title_en, description_de, description_en
  FROM milestone ORDER BY event_date, id)sql";
constexpr std::string_view kPublications = R"sql(
  SELECT slug, series, position, title_de, title_en, published_date, published_precision, language
  FROM publication ORDER BY position)sql";
constexpr std::string_view kUpdateCity = R"sql(
  UPDATE city SET name = $2, ki_name = $3, ki_contact = $4, ki_url = $5, internal_note = $6
  WHERE id = $1)sql";
constexpr std::string_view kDeleteMemberships = "DELETE FROM city_membership WHERE city_id = $1";
constexpr std::string_view kInsertMembership = R"sql(
  INSERT INTO city_membership (city_id, status, since_date, since_precision, until_date,
                               until_precision, note_de, note_en, source)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql";

PreciseDate read_date(const storage::Row& row, std::size_t date_column) {
  const auto precision = parse_precision(row.text(date_column + 1)).value_or(DatePrecision::day);
  return parse_precise_date(row.text(date_column), precision).value_or(PreciseDate{});
}

std::optional<PreciseDate> read_optional_date(const storage::Row& row, std::size_t date_column) {
  if (row.is_null(date_column) || row.is_null(date_column + 1)) return std::nullopt;
  return read_date(row, date_column);
}

Membership read_membership(const storage::Row& row) {
  return Membership{
      .status = row.text(1) == "guest" ? MembershipStatus::guest : MembershipStatus::member,
      .since = read_date(row, 2),
      .until = read_optional_date(row, 4),
      .note_de = row.text(6),
      .note_en = row.text(7),
      .source = row.text(8),
  };
}

City read_city(const storage::Row& row) {
  return City{
      .id = row.integer(0),
      .slug = row.text(1),
      .name = row.text(2),
      .ki_name = row.text(3),
      .ki_contact = row.text(4),
      .ki_url = row.text(5),
      .map_x = static_cast<int>(row.integer(6)),
      .map_y = static_cast<int>(row.integer(7)),
      .memberships = {},
  };
}

storage::Value date_value(const std::optional<PreciseDate>& date) {
  return date ? storage::Value{date->iso()} : storage::Value{storage::Null{}};
}

storage::Value precision_value(const std::optional<PreciseDate>& date) {
  return date ? storage::Value{std::string(precision_name(date->precision))} : storage::Value{storage::Null{}};
}

nlohmann::json to_json(const Membership& membership) {
  return {{"status", status_name(membership.status)},
          {"since", membership.since.iso()},
          {"since_precision", precision_name(membership.since.precision)},
          {"until", membership.until ? nlohmann::json(membership.until->iso()) : nlohmann::json()},
          {"source", membership.source}};
}

nlohmann::json to_json(const City& city, const std::string& internal_note) {
  auto memberships = nlohmann::json::array();
  for (const auto& membership : city.memberships) memberships.push_back(to_json(membership));
  return {{"name", city.name},       {"ki_name", city.ki_name},
          {"ki_contact", city.ki_contact}, {"ki_url", city.ki_url},
          {"internal_note", internal_note}, {"memberships", memberships}};
}

Status validate_text(std::string_view value, std::string_view field, std::size_t max_code_points, bool required) {
  if (!text::is_valid_utf8(value)) return Error::invalid(std::string(field), "form.invalid_choice");
  if (required && text::trim(value).empty()) return Error::invalid(std::string(field), "form.required");
  if (text::code_points(value) > max_code_points) return Error::invalid(std::string(field), "form.too_long");
  return {};
}

Status validate(const CityChanges& changes) {
  IK_TRY(validate_text(changes.name, "name", 100, true));
  IK_TRY(validate_text(changes.ki_name, "ki_name", 200, false));
  IK_TRY(validate_text(changes.ki_contact, "ki_contact", 200, false));
  IK_TRY(validate_text(changes.ki_url, "ki_url", 500, false));
  if (!changes.ki_url.empty() && !changes.ki_url.starts_with("https://") &&
      !changes.ki_url.starts_with("http://")) {
    return Error::invalid("ki_url", "form.invalid_url");
  }
  IK_TRY(validate_text(changes.internal_note, "internal_note", 5000, false));
  for (std::size_t index = 0; index < changes.memberships.size(); ++index) {
    const auto& membership = changes.memberships[index];
    const auto prefix = "mitgliedschaft_" + std::to_string(index) + "_";
    IK_TRY(validate_text(membership.source, prefix + "quelle", 500, false));
    if (membership.until && membership.until->latest_day() < membership.since.earliest_day()) {
      return Error::invalid(prefix + "ende", "form.until_before_since");
    }
  }
  return {};
}

}  // namespace

std::string_view status_name(MembershipStatus status) {
  return status == MembershipStatus::guest ? "guest" : "member";
}

bool City::member_in_year(int year) const {
  const auto first = std::to_string(year) + "-01-01";
  const auto last = std::to_string(year) + "-12-31";
  return std::any_of(memberships.begin(), memberships.end(), [&](const Membership& membership) {
    if (membership.status != MembershipStatus::member) return false;
    // A start known only as "by" a day counts from that day: earlier membership is not proven.
    const auto since = membership.since.precision == DatePrecision::by_day ? membership.since.iso()
                                                                           : membership.since.earliest_day();
    const bool started = since <= last;
    const bool not_ended = !membership.until || membership.until->latest_day() >= first;
    return started && not_ended;
  });
}

std::optional<MembershipStatus> City::current_status() const {
  for (auto phase = memberships.rbegin(); phase != memberships.rend(); ++phase) {
    if (!phase->until) return phase->status;
  }
  return std::nullopt;
}

struct Cooperation::Snapshot {
  std::vector<City> cities;
  std::vector<Body> bodies;
  std::vector<Theme> themes;
  std::vector<ActionGoal> action_goals;
  std::vector<Milestone> milestones;
  std::vector<Publication> publications;
  std::chrono::steady_clock::time_point loaded_at;
};

Cooperation::Cooperation(storage::Storage& storage, std::chrono::milliseconds max_age)
    : storage_(storage), max_age_(max_age) {}

Cooperation::~Cooperation() = default;

namespace {

template <class T, class Read>
Status read_into(storage::Transaction& transaction, std::string_view sql, std::vector<T>& items, Read read) {
  auto rows = transaction.query(sql);
  if (!rows) return rows.take_error();
  items.clear();
  for (const auto& row : *rows) items.push_back(read(row));
  return {};
}

Theme read_title(const storage::Row& row) {
  return Theme{row.text(0), static_cast<int>(row.integer(1)), row.text(2), row.text(3)};
}

}  // namespace

Result<std::shared_ptr<const Cooperation::Snapshot>> Cooperation::snapshot() const {
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    if (snapshot_ && std::chrono::steady_clock::now() - snapshot_->loaded_at <= max_age_) return snapshot_;
    generation = generation_;
  }
  auto fresh = std::make_shared<Snapshot>();
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    IK_TRY(read_into(transaction, kCities, fresh->cities, read_city));
    std::vector<std::pair<std::int64_t, Membership>> memberships;
    IK_TRY(read_into(transaction, kMemberships, memberships, [](const storage::Row& row) {
      return std::pair{row.integer(0), read_membership(row)};
    }));
    for (auto& city : fresh->cities) {
      city.memberships.clear();
      for (const auto& [city_id, membership] : memberships) {
        if (city_id == city.id) city.memberships.push_back(membership);
      }
    }
    IK_TRY(read_into(transaction, kBodies, fresh->bodies, [](const storage::Row& row) {
      return Body{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5), row.text(6)};
    }));
    IK_TRY(read_into(transaction, kThemes, fresh->themes, read_title));
    IK_TRY(read_into(transaction, kActionGoals, fresh->action_goals, read_title));
    IK_TRY(read_into(transaction, kMilestones, fresh->milestones, [](const storage::Row& row) {
      return Milestone{row.text(0), read_date(row, 1), row.text(3), row.text(4), row.text(5), row.text(6)};
    }));
    return read_into(transaction, kPublications, fresh->publications, [](const storage::Row& row) {
      return Publication{row.text(0), row.text(1), static_cast<int>(row.integer(2)), row.text(3),
                         row.text(4), read_optional_date(row, 5), row.text(7)};
    });
  });
  if (!status) return status.take_error();
  fresh->loaded_at = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (generation == generation_) snapshot_ = fresh;
  return std::shared_ptr<const Snapshot>(fresh);
}

void Cooperation::forget_snapshot() {
  std::lock_guard lock(mutex_);
  snapshot_.reset();
  ++generation_;
}

Result<std::vector<City>> Cooperation::cities() const {
  auto data = snapshot();
  if (!data) return data.take_error();
  return (*data)->cities;
}

Result<City> Cooperation::city(std::string_view slug) const {
  auto data = snapshot();
  if (!data) return data.take_error();
  for (const auto& city : (*data)->cities) {
    if (city.slug == slug) return city;
  }
  return Error::not_found("city " + std::string(slug));
}

Result<std::string> Cooperation::internal_note(std::int64_t city_id) const {
  std::string note;
  auto status = storage_.read([&](storage::Transaction& transaction) -> Status {
    auto row = transaction.query_one(kInternalNote, {city_id});
    if (!row) return row.take_error();
    note = row->has_value() ? (*row)->text(0) : std::string();
    return {};
  });
  if (!status) return status.take_error();
  return note;
}

Result<std::vector<Body>> Cooperation::bodies() const {
  auto data = snapshot();
  if (!data) return data.take_error();
  return (*data)->bodies;
}

Result<std::vector<Theme>> Cooperation::themes() const {
  auto data = snapshot();
  if (!data) return data.take_error();
  return (*data)->themes;
}

Result<std::vector<ActionGoal>> Cooperation::action_goals() const {
  auto data = snapshot();
  if (!data) return data.take_error();
  return (*data)->action_goals;
}

Result<std::vector<Milestone>> Cooperation::milestones() const {
  auto data = snapshot();
  if (!data) return data.take_error();
  return (*data)->milestones;
}

Result<std::vector<Publication>> Cooperation::publications() const {
  auto data = snapshot();
  if (!data) return data.take_error();
  return (*data)->publications;
}

Status Cooperation::update_city(std::string_view slug, const CityChanges& changes, const Actor& actor) {
  IK_TRY(validate(changes));
  forget_snapshot();  // compare against, and audit, what the database holds now
  auto before = city(slug);
  if (!before) return before.take_error();
  const auto done = storage_.write([&](storage::Transaction& transaction) -> Status {
    auto note_before = transaction.query_one(kInternalNote, {before->id});
    if (!note_before) return note_before.take_error();
    const std::string old_note = note_before->has_value() ? (*note_before)->text(0) : "";
    auto updated = transaction.execute(kUpdateCity, {before->id, changes.name, changes.ki_name,
                                                     changes.ki_contact, changes.ki_url, changes.internal_note});
    if (!updated) return updated.take_error();
    auto deleted = transaction.execute(kDeleteMemberships, {before->id});
    if (!deleted) return deleted.take_error();
    for (const auto& membership : changes.memberships) {
      auto inserted = transaction.execute(
          kInsertMembership, {before->id, std::string(status_name(membership.status)), membership.since.iso(),
                              std::string(precision_name(membership.since.precision)),
                              date_value(membership.until), precision_value(membership.until),
                              membership.note_de, membership.note_en, membership.source});
      if (!inserted) return inserted.take_error();
    }
    City after = *before;
    after.name = changes.name;
    after.ki_name = changes.ki_name;
    after.ki_contact = changes.ki_contact;
    after.ki_url = changes.ki_url;
    after.memberships = changes.memberships;
    return audit::record(transaction, audit::Entry{
        .at = SystemClock().now(),
        .actor_user_id = actor.user_id,
        .actor_name = actor.name,
        .action = "city.update",
        .entity = "city",
        .entity_id = before->slug,
        .city_id = before->id,
        .before_json = to_json(*before, old_note).dump(),
        .after_json = to_json(after, changes.internal_note).dump(),
        .request_id = actor.request_id,
    });
  });
  forget_snapshot();
  return done;
}

}  // namespace ik::cooperation
