// Internals shared by the monitoring .cpp files: role checks, loading the catalogue and a
// report inside a transaction, and the pure validation of a report's values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cooperation/cooperation.hpp"
#include "monitoring/monitoring.hpp"
#include "storage/storage.hpp"

namespace ik::monitoring::internal {

constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;

// Office and admin (cooperation grants).
bool is_office(const auth::Principal& principal);
// Any role held for the city, or the office.
bool may_read(const auth::Principal& principal, CityId city);
Status check_year(int year);

struct Catalogue {
  std::vector<Breakdown> breakdowns;
  std::vector<IndicatorVersion> versions;  // all versions, by indicator position then version

  const Breakdown* breakdown(std::int64_t id) const;
  // The version of `code` valid in `year`, or nullptr.
  const IndicatorVersion* version_for_year(std::string_view code, int year) const;
  const IndicatorVersion* version(std::int64_t id) const;
  // The versions valid in `year`, one per indicator, in display order.
  std::vector<const IndicatorVersion*> for_year(int year) const;
};

Result<Catalogue> load_catalogue(storage::Transaction& transaction);
Result<std::vector<ValidationRule>> load_rules(storage::Transaction& transaction);
Result<std::optional<Report>> find_report(storage::Transaction& transaction, CityId city, int year);
// The report's values with their indicator and category codes.
Result<std::vector<Value>> load_values(storage::Transaction& transaction, std::int64_t report_id);

// The values of one year keyed by (indicator code, category code).
using ValueKey = std::pair<std::string, std::string>;
using ValueMap = std::map<ValueKey, Value>;
ValueMap by_key(const std::vector<Value>& values);

// Applies `edits` to `current` (a cell with all fields empty is removed) and returns the
// edit-level findings (unknown codes, indicator not valid in the year, invalid Stichtag);
// edits with such a finding are not applied.
std::vector<Finding> apply_edits(const Catalogue& catalogue, int year,
                                 const std::vector<ValueEdit>& edits, ValueMap& current);
// The findings of the rules over a year's values (pure). `previous` holds the prior year's
// values for the year-on-year rule.
std::vector<Finding> check_rules(const Catalogue& catalogue, int year,
                                 const std::vector<ValidationRule>& rules, const ValueMap& values,
                                 const ValueMap& previous);
bool has_errors(const std::vector<Finding>& findings);
// The findings of the city's stored report for `year` (reports.cpp).
Result<std::vector<Finding>> report_findings(storage::Transaction& transaction, CityId city,
                                             int year);

// Rebuilds the published table of every indicator valid in `year` from all published reports of
// that year (publication.cpp); removes tables left without data. `cities` with their membership.
Status rebuild_published(storage::Transaction& transaction, int year,
                         const std::vector<cooperation::City>& cities,
                         const disclosure::DisclosureRules& rules, const std::string& actor_name,
                         std::int64_t now);
bool has_blocking(const std::vector<Finding>& findings);

// data/reference/public-figures.csv as compiled in (reference_figures.cpp.in).
extern const std::string_view kReferenceFiguresCsv;

// The actor fields of an audit entry.
struct AuditActor {
  std::optional<std::int64_t> user_id;
  std::string name;
  std::string request_id;
};
AuditActor actor_of(const auth::Principal& principal, std::string_view request_id);
// The actor's user id as a statement parameter (NULL for the system).
storage::Value user_value(const AuditActor& actor);

}  // namespace ik::monitoring::internal
