// The report workflow: Entwurf → eingereicht → freigegeben → veröffentlicht, returned with a
// reason at any step. Roles are checked here as well as at the route, so that no other caller can
// skip them. Publication and withdrawal rebuild the year's published tables: planned before the
// write transaction (the solver takes seconds and SQLite has one writer), checked against the
// data and stored in the same write transaction as the status change and its audit entry.
#include <algorithm>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "audit/audit.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "monitoring/internal.hpp"

namespace ik::monitoring {
namespace {

constexpr std::size_t kMaxReason = 2000;

constexpr std::string_view kSetStatus =
    "UPDATE report SET status = $2, return_reason = $3, updated_at = $4 WHERE id = $1";
constexpr std::string_view kInsertEvent = R"sql(
  INSERT INTO report_event (report_id, at, actor_user_id, actor_name, action, from_status, to_status, reason)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql";

struct Transition {
  std::string_view action;         // "submit", …
  std::vector<ReportStatus> from;  // statuses the caller may move the report from
  ReportStatus to = ReportStatus::draft;
  bool needs_reason = false;
};

// What `principal` may do with a report of `city`, by action.
Result<Transition> transition_for(const auth::Principal& principal, CityId city,
                                  std::string_view action) {
  using enum ReportStatus;
  const bool office = internal::is_office(principal);
  if (action == "submit" && principal.has_for_city(auth::Role::city_entry, city)) {
    return Transition{action, {draft}, submitted, false};
  }
  if (action == "approve" && principal.has_for_city(auth::Role::city_approval, city)) {
    return Transition{action, {submitted}, approved, false};
  }
  if (action == "return" && office)
    return Transition{action, {submitted, approved, published}, draft, true};
  if (action == "return" && principal.has_for_city(auth::Role::city_approval, city)) {
    return Transition{action, {submitted}, draft, true};
  }
  if (action == "publish" && office) return Transition{action, {approved}, published, false};
  if (action == "withdraw" && office) return Transition{action, {published}, approved, true};
  return Error::forbidden();
}

Status check_reason(std::string_view reason, bool needed) {
  if (!needed) return {};
  if (text::trim(reason).empty()) return Error::invalid("reason", "report.reason_required");
  if (!text::is_valid_utf8(reason) || text::code_points(reason) > kMaxReason) {
    return Error::invalid("reason", "report.reason_too_long");
  }
  return {};
}

}  // namespace

namespace {

// A publication whose inputs changed between planning and writing is planned again; after this
// many attempts the office is told to retry (the data is being changed right now).
constexpr int kPublicationAttempts = 3;

struct StepContext {
  const Clock& clock;
  const cooperation::Cooperation& cooperation;
  const disclosure::DisclosureRules& rules;
  internal::PlanningSeams seams;
};

bool touches_publication(const Transition& transition) {
  return transition.to == ReportStatus::published ||
         std::find(transition.from.begin(), transition.from.end(), ReportStatus::published) !=
             transition.from.end();
}

// The report, or not_found / conflict "report.wrong_status" when the transition does not apply.
Result<Report> report_for(storage::Transaction& transaction, const Transition& transition,
                          CityId city, int year) {
  auto report = internal::find_report(transaction, city, year);
  if (!report) return report.take_error();
  if (!*report)
    return Error::not_found("report " + std::to_string(city) + "/" + std::to_string(year));
  const auto from = (*report)->status;
  if (std::find(transition.from.begin(), transition.from.end(), from) == transition.from.end()) {
    return Error::conflict("report.wrong_status");
  }
  return std::move(**report);
}

internal::PendingStatus pending_of(const Report& report, const Transition& transition) {
  return {report.id, transition.to == ReportStatus::published, std::string(transition.action),
          report.city_id};
}

// Step 1 of a publication: the inputs from a read transaction, the tables built after it, so
// the solver holds no transaction at all.
Result<internal::PlannedPublication> plan_publication(
    storage::Storage& storage, const StepContext& context, const Transition& transition,
    CityId city, int year, const std::vector<cooperation::City>& cities) {
  internal::PublicationInputs inputs;
  IK_TRY(storage.read([&](storage::Transaction& transaction) -> Status {
    auto report = report_for(transaction, transition, city, year);
    if (!report) return report.take_error();
    auto read =
        internal::read_publication_inputs(transaction, year, cities, pending_of(*report, transition));
    if (!read) return read.take_error();
    inputs = std::move(*read);
    return {};
  }));
  return internal::build_tables(std::move(inputs), context.rules, context.seams);
}

// The write transaction of one step: status, event, the planned tables (when `planned`), audit.
// Sets `stale` (and writes nothing) when the planned tables no longer match the data.
Status write_step(storage::Storage& storage, const StepContext& context,
                  const Transition& transition, CityId city, int year, std::string_view reason,
                  const internal::AuditActor& actor, const std::vector<cooperation::City>& cities,
                  const internal::PlannedPublication* planned, bool& stale) {
  const auto now = context.clock.now();
  return storage.write([&](storage::Transaction& transaction) -> Status {
    stale = false;  // PostgreSQL may run this again: assign, don't accumulate
    auto report = report_for(transaction, transition, city, year);
    if (!report) return report.take_error();
    const auto from = report->status;
    if (transition.action == "submit") {
      auto findings = internal::report_findings(transaction, city, year);
      if (!findings) return findings.take_error();
      if (internal::has_blocking(*findings)) return Error::conflict("report.has_errors");
    }
    const auto reason_text =
        transition.needs_reason ? std::string(text::trim(reason)) : std::string();
    const auto kept_reason = transition.action == "return" ? reason_text : report->return_reason;
    IK_TRY(transaction.execute(
        kSetStatus, {report->id, std::string(status_name(transition.to)), kept_reason, now}));
    IK_TRY(transaction.execute(
        kInsertEvent,
        {report->id, now, internal::user_value(actor), actor.name, std::string(transition.action),
         std::string(status_name(from)), std::string(status_name(transition.to)), reason_text}));
    if (planned) {
      auto stored = internal::store_published(transaction, year, cities,
                                              pending_of(*report, transition), *planned,
                                              actor.name, now);
      if (!stored) return stored.take_error();
      if (!*stored) {
        stale = true;
        return Error::conflict("report.publication_changed");  // rolls the status back too
      }
    }
    return audit::record(
        transaction,
        audit::Entry{
            .at = now,
            .actor_user_id = actor.user_id,
            .actor_name = actor.name,
            .action = "report." + std::string(transition.action),
            .entity = "report",
            .entity_id = std::to_string(report->id),
            .city_id = city,
            .before_json = nlohmann::json{{"year", year}, {"status", status_name(from)}}.dump(),
            .after_json =
                nlohmann::json{
                    {"year", year}, {"status", status_name(transition.to)}, {"reason", reason_text}}
                    .dump(),
            .request_id = actor.request_id});
  });
}

// Runs one workflow step; see the contract of Monitoring::submit and its siblings.
Result<StepOutcome> move_report(storage::Storage& storage, const StepContext& context,
                                const auth::Principal& principal, CityId city, int year,
                                std::string_view action, std::string_view reason,
                                std::string_view request_id) {
  auto transition = transition_for(principal, city, action);
  if (!transition) return transition.take_error();
  IK_TRY(internal::check_year(year));
  IK_TRY(check_reason(reason, transition->needs_reason));
  const auto actor = internal::actor_of(principal, request_id);
  bool stale = false;
  if (!touches_publication(*transition)) {
    IK_TRY(write_step(storage, context, *transition, city, year, reason, actor, {}, nullptr, stale));
    return StepOutcome{};
  }
  auto cities = context.cooperation.cities();
  if (!cities) return cities.take_error();
  for (int attempt = 0; attempt < kPublicationAttempts; ++attempt) {
    auto planned = plan_publication(storage, context, *transition, city, year, *cities);
    if (!planned) return planned.take_error();
    if (!planned->exposed.empty()) return StepOutcome{false, std::move(planned->exposed)};
    auto written = write_step(storage, context, *transition, city, year, reason, actor, *cities,
                              &*planned, stale);
    if (stale) continue;
    if (!written) return written.take_error();
    return StepOutcome{};
  }
  return Error::unavailable("publication: the published data kept changing; try again");
}

}  // namespace

Status Monitoring::submit(const auth::Principal& principal, CityId city, int year,
                          std::string_view request_id) {
  IK_TRY(move_report(storage_, {clock_, cooperation_, rules_, {table_observer_, release_alteration_}}, principal, city,
                     year, "submit", {}, request_id));
  return {};
}

Status Monitoring::approve(const auth::Principal& principal, CityId city, int year,
                           std::string_view request_id) {
  IK_TRY(move_report(storage_, {clock_, cooperation_, rules_, {table_observer_, release_alteration_}}, principal, city,
                     year, "approve", {}, request_id));
  return {};
}

Result<StepOutcome> Monitoring::return_report(const auth::Principal& principal, CityId city,
                                              int year, std::string_view reason,
                                              std::string_view request_id) {
  return move_report(storage_, {clock_, cooperation_, rules_, {table_observer_, release_alteration_}}, principal, city,
                     year, "return", reason, request_id);
}

Result<StepOutcome> Monitoring::publish(const auth::Principal& principal, CityId city, int year,
                                        std::string_view request_id) {
  return move_report(storage_, {clock_, cooperation_, rules_, {table_observer_, release_alteration_}}, principal, city,
                     year, "publish", {}, request_id);
}

Result<StepOutcome> Monitoring::withdraw(const auth::Principal& principal, CityId city, int year,
                                         std::string_view reason, std::string_view request_id) {
  return move_report(storage_, {clock_, cooperation_, rules_, {table_observer_, release_alteration_}}, principal, city,
                     year, "withdraw", reason, request_id);
}

}  // namespace ik::monitoring
