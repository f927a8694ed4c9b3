// The figures of diversity monitoring, pure: exact shares and indices, German/English decimal
// formatting, and the published table of one indicator and year, built from the reported cells
// of published reports through one disclosure step (ik::disclosure). No storage, no HTTP: the
// monitoring module passes plain values in and stores the JSON that comes out; public pages,
// exports and the API read only that JSON.
//
// Arithmetic is exact: counts are integers, shares and indices are rationals; rounding happens
// only when a figure is formatted (half away from zero, to the indicator's precision).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "disclosure/disclosure.hpp"

namespace ik::monitoring {

// ---- Exact numbers -------------------------------------------------------------------------

enum class DecimalMark { comma, point };  // German "12,5", English "12.5"

// An exact rational number of any size, always reduced with a positive denominator. The digits
// are kept as text so the type is cheap to copy and serialise; arithmetic is exact.
class Rational {
 public:
  Rational() = default;  // 0
  // nullopt when `denominator` is 0.
  static std::optional<Rational> of(std::int64_t numerator, std::int64_t denominator);
  // Reads text written by text() ("-3/8", "5"). Failure: invalid_input ("value",
  // "figures.invalid_number").
  static Result<Rational> parse(std::string_view text);
  // Reads a decimal as people type it: "35,0", "35.0", "1", "-2,5" (no thousands separators).
  // Failure: invalid_input ("value", "figures.invalid_number").
  static Result<Rational> parse_decimal(std::string_view text);

  const std::string& numerator() const { return numerator_; }
  const std::string& denominator() const { return denominator_; }
  std::string text() const;  // "p/q", or "p" when the denominator is 1

  // Rounded half away from zero to `decimals` (0–9) places: 1/8 → "0,13" with 2 decimals.
  std::string format(int decimals, DecimalMark mark) const;
  double approximate() const;  // for drawing charts only, never for published figures
  bool is_zero() const { return numerator_ == "0"; }

  Rational operator+(const Rational& other) const;
  Rational operator-(const Rational& other) const;
  Rational operator*(const Rational& other) const;
  // nullopt when `other` is 0.
  std::optional<Rational> divided_by(const Rational& other) const;

  std::strong_ordering operator<=>(const Rational& other) const;
  bool operator==(const Rational& other) const = default;

 private:
  Rational(std::string numerator, std::string denominator)
      : numerator_(std::move(numerator)), denominator_(std::move(denominator)) {}
  friend struct RationalAccess;
  std::string numerator_ = "0";
  std::string denominator_ = "1";
};

// A count with thousands separators: 12345 → "12.345" (comma mark) or "12,345" (point mark).
std::string format_count(std::int64_t count, DecimalMark mark);

// part ÷ whole; nullopt when whole is 0 (the share is not meaningful).
std::optional<Rational> share_of(std::int64_t part, std::int64_t whole);

// How a share is shown: as percent (×100) or as a plain ratio.
enum class ShareScale { percent, ratio };
// The share scaled and formatted: 1/8 as percent with 1 decimal → "12,5".
std::string format_share(const Rational& share, ShareScale scale, int decimals, DecimalMark mark);

struct ShareCounts {
  std::int64_t part = 0;   // persons with immigration history
  std::int64_t whole = 0;  // all persons
};

// Representation index (Repräsentationsquote): staff share ÷ population share (18–64) of the
// same city and year; 1 means parity. nullopt when a whole or the population share is 0.
std::optional<Rational> representation_index(ShareCounts staff, ShareCounts population);

// One age band of the age-standardised index: the staff and the population of that band.
struct AgeBand {
  ShareCounts staff;
  ShareCounts population;
};
// Age-standardised representation index: the staff's band shares weighted by the population's
// age structure (band ÷ all bands), divided by the population share over all bands. Removes
// the effect of a staff older than the population. nullopt when there is no band, a band has no
// staff, the population is 0 or its share is 0.
std::optional<Rational> age_standardised_index(std::span<const AgeBand> bands);

// Progress against a target: `achieved` = (current − baseline) ÷ (target − baseline), so 0 is
// the baseline and 1 the target (below 0: moved away; above 1: beyond). `reached` when current
// is at or beyond the target in the direction from the baseline; a target equal to the baseline
// (hold the level) is reached while current is not below it.
struct Progress {
  std::optional<Rational> achieved;  // nullopt when target equals baseline
  bool reached = false;
};
Progress progress_towards(const Rational& baseline, const Rational& current,
                          const Rational& target);

// ---- Input of a published table ------------------------------------------------------------

// A category of the indicator's breakdown; the first is the root (the total).
struct CategorySpec {
  std::int64_t id = 0;
  std::string code;
  std::string name_de, name_en;
  std::optional<std::size_t> parent;  // index into IndicatorSpec::categories, before this one
  bool operator==(const CategorySpec&) const = default;
};

struct IndicatorSpec {
  std::string code;             // "staff"
  std::int64_t version_id = 0;  // indicator_version.id
  std::string name_de, name_en;
  std::string definition_code;  // immigration definition, e.g. "einwanderungsgeschichte_nrw"
  ShareScale scale = ShareScale::percent;
  int precision = 1;                     // decimals of shares (0–9)
  bool has_denominator = true;           // false: a plain count (numerator only), no share
  std::vector<CategorySpec> categories;  // parent first; exactly one root, at index 0
  // Tables of a year whose total_group is the same count the same persons in their total (the
  // root category): staff and staff by gender. Default: the indicator's own code.
  std::string total_group;
  bool operator==(const IndicatorSpec&) const = default;
};

// A city of the year: members form the region; a guest city with data is shown on its own
// but never counted into the region.
struct CityInYear {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  bool member = true;
  bool operator==(const CityInYear&) const = default;
};

// One cell of a published report (missing figures stay nullopt).
struct ReportedCell {
  std::int64_t city_id = 0;
  std::int64_t category_id = 0;
  std::optional<std::int64_t> numerator;    // with immigration history (or the count)
  std::optional<std::int64_t> unknown;      // without an answer
  std::optional<std::int64_t> denominator;  // all persons
  bool operator==(const ReportedCell&) const = default;
};

struct TableInput {
  IndicatorSpec indicator;
  int year = 0;
  std::vector<CityInYear> cities;   // every city whose cells are passed, with its membership
  std::vector<ReportedCell> cells;  // of published reports of `year` only
  // Equal inputs give tables equally valid for the data: publication compares them to tell
  // whether a table computed outside the write transaction still matches the data.
  bool operator==(const TableInput&) const = default;
};

// ---- The published table -------------------------------------------------------------------

// The trait dimension. With a denominator: all → with, without, unknown; when any included cell
// lacks `unknown`, the table cannot tell "without" from "unknown" and uses all → with,
// without_or_unknown instead (the page says so). Without a denominator: `all` is the count.
enum class Trait { all, with_history, without_history, unknown, without_or_unknown };
std::string_view trait_name(Trait trait);  // "all", "with_history", …

struct PublishedCount {
  std::optional<std::int64_t> value;  // set iff sign is value or nothing (a zero)
  disclosure::Sign sign = disclosure::Sign::value;
  // A figure shown with a different value in an earlier release of the table ("r", berichtigt,
  // as in official statistics). Only shown figures are marked.
  bool corrected = false;
};

struct PublishedShare {
  std::optional<Rational> value;                    // set iff sign == value
  disclosure::Sign sign = disclosure::Sign::value;  // withheld when a count it rests on is;
                                                    // not_meaningful when the whole is 0
  std::string text_de, text_en;  // formatted to the precision, or the sign's text
};

struct PublishedCell {
  std::vector<PublishedCount> counts;  // parallel to PublishedTable::traits
  PublishedShare share;                // with ÷ all; sign not_meaningful without a denominator
};

struct PublishedCity {
  std::int64_t id = 0;  // 0 for the region
  std::string slug;     // "region" for the region
  std::string name;
  bool region = false;
  bool member = false;
};

// Why a city with reported cells is not in the table (the page lists it).
enum class Exclusion {
  incomplete,        // a category lacks a numerator (or a denominator where one is needed)
  not_additive,      // parts of the breakdown do not add up to their total
  part_above_total,  // numerator + unknown exceed the denominator
};
std::string_view exclusion_name(Exclusion reason);  // "incomplete", …

struct ExcludedCity {
  std::int64_t id = 0;
  std::string name;
  Exclusion reason = Exclusion::incomplete;
  std::string category_code;  // where the problem was found
};

// A suppressed cell's interval an attacker can derive (office view only; never public).
struct AuditInterval {
  std::size_t city = 0;
  std::size_t category = 0;
  Trait trait = Trait::all;
  double low = 0;
  double high = 0;  // +infinity when unbounded
  bool primary = false;
  bool narrowed_before = false;  // earlier releases alone narrow it more than the protection
};

struct PublishedTable {
  std::string indicator_code;
  std::int64_t version_id = 0;
  std::string name_de, name_en;
  std::string definition_code;
  std::string total_group;  // see IndicatorSpec
  ShareScale scale = ShareScale::percent;
  int precision = 1;
  bool has_denominator = true;
  int year = 0;
  std::vector<PublishedCity> cities;  // the region first (when a member has data), then cities
  std::vector<CategorySpec> categories;
  std::vector<Trait> traits;
  std::vector<PublishedCell> cells;           // cities.size() × categories.size(), city-major
  std::vector<std::int64_t> region_includes;  // ids of the cities the region figures sum
  std::vector<ExcludedCity> excluded;
  // The disclosure plan (office view only).
  std::int64_t minimum_count = 5;
  disclosure::Method method = disclosure::Method::exact;
  std::int64_t persons_hidden = 0;
  bool proven_optimal = false;
  std::vector<AuditInterval> audit;

  // Precondition: city < cities.size(), category < categories.size().
  const PublishedCell& cell(std::size_t city, std::size_t category) const;
  std::optional<std::size_t> city_index(std::int64_t city_id) const;
  std::optional<std::size_t> category_index(std::string_view code) const;
  std::optional<std::size_t> region_index() const;
  std::optional<std::size_t> trait_index(Trait trait) const;
};

// Builds the table city (region → member cities, guests beside) × category tree × trait with
// all margins, plans suppression (primary and secondary) under `rules`/`options`, audits it and
// fills the published cells: a suppressed count is withheld (never its value), a share is
// withheld whenever a count it rests on is. Cities with invalid data are left out and listed in
// `excluded` (reported data is never changed). The region sums the included member cities.
// Failure: invalid_input ("indicator", "figures.invalid_indicator") for a spec without exactly
// one root first or a parent after its child; ("cells", "figures.unknown_city" /
// "figures.unknown_category" / "figures.duplicate_cell" / "figures.invalid_count": negative
// or above disclosure::max_count) for cells that do not fit; any error of
// disclosure::plan_suppression (rules, time limit, solver). A table with no included city is a
// success with no cells.
//
// The default plan takes at most one second: publication waits for it (outside the write
// transaction, but the office waits for up to nine tables), and on three-dimensional tables
// (city × category × trait) the exact search rarely proves optimality within seconds; the
// heuristic's pattern is then published (still audited).
inline const disclosure::PlanOptions kPublicationPlan{disclosure::PlanMode::automatic,
                                                      std::chrono::milliseconds(1000)};
// What one publication step gives all the tables it plans together (shared out equally, the time
// a table leaves unused going to the next): the office waits for it. Within it the plans stay
// in reach of the optimum that longer searches find (bench/RESULTS.md, "Publication").
inline constexpr std::chrono::milliseconds kPublicationBudget{1000};
Result<PublishedTable> build_published_table(
    const TableInput& input, const disclosure::DisclosureRules& rules,
    const disclosure::PlanOptions& options = kPublicationPlan);

// ---- Releases: a table against everything published before ------------------------------

// One release of a published table: the table as published and the counts behind every one of
// its cells (city × category × trait, in the order of `table.cells` and `table.traits`; the
// withheld ones too, so never public). Kept for good: the public may have kept every release.
struct Release {
  PublishedTable table;
  std::vector<std::int64_t> counts;
};

// The table of `input` planned against `history`, the earlier releases of the year (any
// indicator; those of other years are ignored). The attacker knows every one of them with its
// own margins (a region total is the sum of the cities it had then), and a cell of a city is
// the same figure in every release where it has the same count; tables of the same total_group
// share their total. So: a figure public before stays public (withholding it again protects
// nothing), a cell withheld before may be shown only where no release together with the others
// narrows any primary cell of any of them below its protection, and every withheld cell's
// interval in `table.audit` is the one under the whole history. Figures that an earlier release
// showed with another value are marked `corrected`; the old and the new value are then two
// figures, each protected in the releases it belongs to.
// Failure: as build_published_table; invalid_input ("history", "figures.invalid_release") for
// a release whose counts do not fit its table.
Result<Release> plan_release(const TableInput& input, std::span<const Release> history,
                             const disclosure::DisclosureRules& rules,
                             const disclosure::PlanOptions& options = kPublicationPlan);

// A primary cell of a release that the releases together narrow more than the protection
// allows (or more than the releases before `first_new` alone already did).
struct ExposedCell {
  std::size_t release = 0;  // index into the releases passed
  std::size_t city = 0, category = 0;
  Trait trait = Trait::all;
  double low = 0, high = 0;  // the range the releases leave it
};

// The audit over the union of `releases` of one year: releases [0, first_new) were public
// before, the others are about to be. Success: every exposed cell (none: safe to publish).
// Failure: invalid_input ("history", "figures.invalid_release") for a release whose counts do
// not fit its table; internal when the LP solver fails.
Result<std::vector<ExposedCell>> audit_releases(std::span<const Release> releases,
                                                std::size_t first_new,
                                                const disclosure::DisclosureRules& rules);

// The counts of `table`'s cells computed from `input`, or nullopt when the input does not give
// the table's structure or a figure it shows (the table was not built from this input).
std::optional<std::vector<std::int64_t>> counts_behind(const PublishedTable& table,
                                                       const TableInput& input);

// `include_audit` false leaves the plan's intervals out (for anything the public can read).
std::string to_json(const PublishedTable& table, bool include_audit = true);
// Failure: invalid_input ("table", "figures.invalid_table") for text that is not such a table.
Result<PublishedTable> from_json(std::string_view json);

// ---- Indices from published tables -----------------------------------------------------------

// An index computed from published counts only: withheld when any count it rests on is.
struct PublishedIndex {
  std::optional<Rational> value;
  disclosure::Sign sign = disclosure::Sign::value;
  bool definitions_differ = false;  // staff and population count different definitions: say so
};

// Representation index of one city (or the region, id 0) from the root cells of a staff table
// and a population table of the same year. not_meaningful when the city is missing from either
// table or a whole is 0.
PublishedIndex representation_index(const PublishedTable& staff, const PublishedTable& population,
                                    std::int64_t city_id);
// Age-standardised index from a staff-by-age table and a population-by-age table: the leaf
// categories are matched by code (both must have the same leaves, else not_meaningful).
PublishedIndex age_standardised_index(const PublishedTable& staff_by_age,
                                      const PublishedTable& population_by_age,
                                      std::int64_t city_id);

}  // namespace ik::monitoring
