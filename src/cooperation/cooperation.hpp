// The cooperation itself: member cities with their membership history, the bodies, thematic
// focuses, action goals, milestones and publications. Read by the portal and the API; cities and
// membership are edited by the administrator.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace ik::storage { class Storage; }

namespace ik::cooperation {

enum class MembershipStatus { guest, member };
std::string_view status_name(MembershipStatus status);  // "guest", "member"

struct Membership {
  MembershipStatus status = MembershipStatus::member;
  PreciseDate since;
  std::optional<PreciseDate> until;  // nullopt: ongoing
  std::string note_de;
  std::string note_en;
  std::string source;
  bool operator==(const Membership&) const = default;
};

struct City {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  // Contact of the Kommunales Integrationszentrum, as far as the office has filled it in.
  std::string ki_name;
  std::string ki_contact;
  std::string ki_url;
  int map_x = 0;  // schematic position on the overview map, 0–100
  int map_y = 0;
  std::vector<Membership> memberships;  // oldest first

  // Whether the city was a full member on any day of `year` (guests do not count).
  bool member_in_year(int year) const;
  // The status on the current phase (the latest phase without an end), if any.
  std::optional<MembershipStatus> current_status() const;
};

struct Body {
  std::string slug;
  std::string name_de, name_en;
  std::string composition_de, composition_en;
  std::string tasks_de, tasks_en;
};

struct Theme {
  std::string slug;
  int position = 0;
  std::string title_de, title_en;
};

using ActionGoal = Theme;

struct Milestone {
  std::string slug;
  PreciseDate date;
  std::string title_de, title_en;
  std::string description_de, description_en;
};

struct Publication {
  std::string slug;
  std::string series;
  int position = 0;
  std::string title_de, title_en;
  std::optional<PreciseDate> published;
  std::string language;  // "de", "en"
};

// Editable fields of a city (administration).
struct CityChanges {
  std::string name;
  std::string ki_name;
  std::string ki_contact;
  std::string ki_url;
  std::string internal_note;
  std::vector<Membership> memberships;
};

struct Actor {
  std::optional<std::int64_t> user_id;
  std::string name;
  std::string request_id;
};

// Reads come from an in-memory snapshot of all public cooperation data, loaded in one read
// transaction and kept for `max_age` (the data changes a few times a year, and every page shows
// some of it); a change made through this object replaces it at once, a change made by another
// instance shows after `max_age` at most.
class Cooperation {
 public:
  explicit Cooperation(storage::Storage& storage, std::chrono::milliseconds max_age = std::chrono::seconds(5));
  ~Cooperation();

  Result<std::vector<City>> cities() const;  // ordered by name
  Result<City> city(std::string_view slug) const;  // not_found for an unknown slug
  // The city's non-public note: only for the city's own people and the office (the caller checks).
  Result<std::string> internal_note(std::int64_t city_id) const;
  Result<std::vector<Body>> bodies() const;
  Result<std::vector<Theme>> themes() const;
  Result<std::vector<ActionGoal>> action_goals() const;
  Result<std::vector<Milestone>> milestones() const;  // oldest first
  Result<std::vector<Publication>> publications() const;

  // Validates and saves; replaces the membership history. Errors name the form field
  // ("name", "ki_url", "mitgliedschaft_<n>_beginn" …). Audited; all-or-nothing.
  Status update_city(std::string_view slug, const CityChanges& changes, const Actor& actor);

 private:
  struct Snapshot;
  Result<std::shared_ptr<const Snapshot>> snapshot() const;
  void forget_snapshot();

  storage::Storage& storage_;
  std::chrono::milliseconds max_age_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Snapshot> snapshot_;
  std::uint64_t generation_ = 0;  // counts changes, so that a load racing one is not kept
};

// Loads the cooperation's own data (ten cities and their membership history, the two bodies,
// five focuses, seven goals, milestones, publications). Idempotent: existing rows — including
// any the office has edited — stay as they are; running it twice changes nothing.
// Returns the number of rows inserted.
Result<int> seed(storage::Storage& storage);

}  // namespace ik::cooperation
