// Validation of a report's values: the edit-level checks (codes, Stichtag, lengths) and the
// rules as data (part ≤ total, breakdown sums, 0–100 %, non-negative counts, year-on-year change).
#include <algorithm>
#include <array>
#include <cstdlib>

#include "core/date.hpp"
#include "core/text.hpp"
#include "monitoring/figures.hpp"
#include "monitoring/internal.hpp"

namespace ik::monitoring::internal {
namespace {

constexpr std::size_t kMaxComment = 2000;
constexpr std::size_t kMaxSource = 500;

enum class CountField { numerator, unknown, denominator };
constexpr std::array<CountField, 3> kCountFields{CountField::numerator, CountField::unknown,
                                                 CountField::denominator};

std::string_view field_name(CountField field) {
  switch (field) {
    case CountField::numerator:
      return "numerator";
    case CountField::unknown:
      return "unknown";
    case CountField::denominator:
      return "denominator";
  }
  return "numerator";
}

const std::optional<std::int64_t>& count_of(const Value& value, CountField field) {
  switch (field) {
    case CountField::numerator:
      return value.numerator;
    case CountField::unknown:
      return value.unknown;
    case CountField::denominator:
      return value.denominator;
  }
  return value.numerator;
}

std::string count_text(std::int64_t count) { return format_count(count, DecimalMark::comma); }

Finding edit_finding(const ValueEdit& edit, std::size_t index, std::string field, std::string key,
                     std::vector<std::pair<std::string, std::string>> params = {}) {
  return Finding{edit.indicator_code,
                 edit.category_code,
                 std::move(field),
                 Severity::error,
                 std::move(key),
                 std::move(params),
                 index,
                 true};
}

// CR LF (what a browser sends from a textarea) and CR as LF, as an import stores them.
std::string with_line_feeds(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (std::size_t index = 0; index < text.size(); ++index) {
    if (text[index] != '\r') {
      result += text[index];
      continue;
    }
    result += '\n';
    if (index + 1 < text.size() && text[index + 1] == '\n') ++index;
  }
  return result;
}

// The edit as it is compared and stored, whichever form sent it: texts trimmed with LF line
// breaks, a Stichtag in German or ISO as ISO (one that is no date stays as typed, for its finding).
// So saving what is stored is no change, also from a grid that shows it differently.
ValueEdit normalized(const ValueEdit& edit) {
  ValueEdit result = edit;
  result.comment = with_line_feeds(text::trim(edit.comment));
  result.source = std::string(text::trim(edit.source));
  result.reference_date = std::string(text::trim(edit.reference_date));
  if (const auto date = parse_entered_date(result.reference_date)) result.reference_date = date->iso();
  return result;
}

bool is_empty(const ValueEdit& edit) {
  return !edit.numerator && !edit.unknown && !edit.denominator && edit.comment.empty() &&
         edit.source.empty() && edit.reference_date.empty();
}

// The edit-level finding of `edit`, if any; sets `version` and `category` when the codes fit.
std::optional<Finding> check_edit(const Catalogue& catalogue, int year, const ValueEdit& edit,
                                  std::size_t index, const IndicatorVersion*& version,
                                  const Category*& category) {
  version = catalogue.version_for_year(edit.indicator_code, year);
  if (!version) {
    const bool known =
        std::any_of(catalogue.versions.begin(), catalogue.versions.end(),
                    [&](const IndicatorVersion& any) { return any.code == edit.indicator_code; });
    if (known) {
      return edit_finding(edit, index, "", "monitoring.finding_not_valid_in_year",
                          {{"year", std::to_string(year)}});
    }
    return edit_finding(edit, index, "", "monitoring.finding_unknown_indicator",
                        {{"code", edit.indicator_code}});
  }
  const auto* breakdown = catalogue.breakdown(version->breakdown_id);
  category = breakdown ? breakdown->find(edit.category_code) : nullptr;
  if (!category) {
    return edit_finding(edit, index, "", "monitoring.finding_unknown_category",
                        {{"code", edit.category_code}});
  }
  if (!version->has_denominator && (edit.denominator || edit.unknown)) {
    return edit_finding(edit, index, edit.denominator ? "denominator" : "unknown",
                        "monitoring.finding_no_denominator");
  }
  if (!edit.reference_date.empty() && !parse_iso_date(edit.reference_date)) {
    return edit_finding(edit, index, "reference_date", "monitoring.finding_reference_date");
  }
  if (!text::is_valid_utf8(edit.comment) || text::code_points(edit.comment) > kMaxComment) {
    return edit_finding(edit, index, "comment", "monitoring.finding_too_long",
                        {{"max", std::to_string(kMaxComment)}});
  }
  if (!text::is_valid_utf8(edit.source) || text::code_points(edit.source) > kMaxSource) {
    return edit_finding(edit, index, "source", "monitoring.finding_too_long",
                        {{"max", std::to_string(kMaxSource)}});
  }
  return std::nullopt;
}

// Collects the findings of one indicator version over its breakdown. The values of the
// indicator's categories are looked up once, by category position: the rules visit every cell
// several times, and an import checks hundreds of indicators per year.
class RuleCheck {
 public:
  RuleCheck(const IndicatorVersion& version, const Breakdown& breakdown, const ValueMap& values,
            const ValueMap& previous, std::vector<Finding>& findings)
      : version_(version),
        breakdown_(breakdown),
        current_(by_category(values)),
        previous_(by_category(previous)),
        parent_(parents()),
        findings_(findings) {}

  void run(const ValidationRule& rule) {
    for (std::size_t index = 0; index < breakdown_.categories.size(); ++index) {
      const auto& category = breakdown_.categories[index];
      const auto* value = current_[index];
      switch (rule.kind) {
        case RuleKind::non_negative:
          non_negative(rule, category, value);
          break;
        case RuleKind::percent_range:
          percent_range(rule, category, value);
          break;
        case RuleKind::part_not_above_total:
          part_not_above_total(rule, index, value);
          break;
        case RuleKind::breakdown_sum:
          breakdown_sum(rule, index, value);
          break;
        case RuleKind::year_on_year_change:
          year_on_year(rule, category, value, previous_[index]);
          break;
      }
    }
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  // The map is ordered by (indicator code, category code): the indicator's values are one run.
  std::vector<const Value*> by_category(const ValueMap& map) const {
    const auto& categories = breakdown_.categories;
    std::vector<const Value*> values(categories.size(), nullptr);
    for (auto entry = map.lower_bound(ValueKey{version_.code, std::string()});
         entry != map.end() && entry->first.first == version_.code; ++entry) {
      for (std::size_t index = 0; index < categories.size(); ++index) {
        if (categories[index].code == entry->first.second) values[index] = &entry->second;
      }
    }
    return values;
  }

  std::vector<std::size_t> parents() const {
    const auto& categories = breakdown_.categories;
    std::vector<std::size_t> parent(categories.size(), kNone);
    for (std::size_t child = 0; child < categories.size(); ++child) {
      for (std::size_t index = 0; index < categories.size(); ++index) {
        if (categories[child].parent_id == categories[index].id) parent[child] = index;
      }
    }
    return parent;
  }

  void add(const ValidationRule& rule, const Category& category, const Value* value,
           CountField field, std::string key,
           std::vector<std::pair<std::string, std::string>> params) {
    const bool commented = value && !text::trim(value->comment).empty();
    findings_.push_back(Finding{version_.code, category.code, std::string(field_name(field)),
                                rule.severity, std::move(key), std::move(params), std::nullopt,
                                rule.severity == Severity::error || !commented});
  }

  void non_negative(const ValidationRule& rule, const Category& category, const Value* value) {
    if (!value) return;
    for (const auto field : kCountFields) {
      const auto& count = count_of(*value, field);
      if (count && *count < 0) add(rule, category, value, field, "monitoring.finding_negative", {});
    }
  }

  void percent_range(const ValidationRule& rule, const Category& category, const Value* value) {
    if (!value || !version_.has_denominator || !value->denominator || !value->numerator) return;
    const auto total = *value->denominator;
    if (*value->numerator > total) {
      add(rule, category, value, CountField::numerator, "monitoring.finding_share_above_total",
          {{"part", count_text(*value->numerator)}, {"total", count_text(total)}});
    } else if (value->unknown && *value->numerator + *value->unknown > total) {
      add(rule, category, value, CountField::unknown, "monitoring.finding_with_unknown_above_total",
          {{"part", count_text(*value->numerator + *value->unknown)},
           {"total", count_text(total)}});
    }
  }

  void part_not_above_total(const ValidationRule& rule, std::size_t index, const Value* value) {
    const auto parent = parent_[index];
    const auto* parent_value = parent == kNone ? nullptr : current_[parent];
    if (!value || !parent_value) return;
    for (const auto field : kCountFields) {
      const auto& part = count_of(*value, field);
      const auto& total = count_of(*parent_value, field);
      if (part && total && *part > *total) {
        add(rule, breakdown_.categories[index], value, field, "monitoring.finding_part_above_total",
            {{"part", count_text(*part)},
             {"total", count_text(*total)},
             {"category", breakdown_.categories[parent].name_de}});
      }
    }
  }

  void breakdown_sum(const ValidationRule& rule, std::size_t index, const Value* value) {
    if (!value) return;
    std::vector<std::size_t> children;
    for (std::size_t child = 0; child < parent_.size(); ++child) {
      if (parent_[child] == index) children.push_back(child);
    }
    if (children.empty()) return;
    for (const auto field : kCountFields) {
      const auto& total = count_of(*value, field);
      if (!total) continue;
      std::int64_t sum = 0;
      bool complete = true;
      for (const auto child : children) {
        const auto* child_value = current_[child];
        const auto* count = child_value ? &count_of(*child_value, field) : nullptr;
        if (!count || !*count) {
          complete = false;
          break;
        }
        sum += **count;
      }
      if (complete && sum != *total) {
        add(rule, breakdown_.categories[index], value, field, "monitoring.finding_sum_mismatch",
            {{"sum", count_text(sum)}, {"total", count_text(*total)}});
      }
    }
  }

  void year_on_year(const ValidationRule& rule, const Category& category, const Value* value,
                    const Value* before) {
    if (!value || !before || !rule.threshold) return;
    // Both limits: on small counts a change of one person is a large percentage.
    const std::int64_t minimum = rule.minimum_change.value_or(0);
    for (const auto field : {CountField::numerator, CountField::denominator}) {
      const auto& now = count_of(*value, field);
      const auto& then = count_of(*before, field);
      if (!now || !then || *then <= 0) continue;
      // Exact: |now − then| / then > threshold / 100, without division.
      const auto change = std::llabs(*now - *then);
      if (change >= minimum && change * 100 > static_cast<std::int64_t>(*rule.threshold) * *then) {
        add(rule, category, value, field, "monitoring.finding_year_on_year",
            {{"before", count_text(*then)},
             {"now", count_text(*now)},
             {"threshold", std::to_string(*rule.threshold)},
             {"minimum", count_text(minimum)}});
      }
    }
  }

  const IndicatorVersion& version_;
  const Breakdown& breakdown_;
  const std::vector<const Value*> current_;   // by category position
  const std::vector<const Value*> previous_;  // the previous year's, by category position
  const std::vector<std::size_t> parent_;     // position of each category's parent, or kNone
  std::vector<Finding>& findings_;
};

}  // namespace

ValueMap by_key(const std::vector<Value>& values) {
  ValueMap map;
  for (const auto& value : values) map[{value.indicator_code, value.category_code}] = value;
  return map;
}

std::vector<Finding> apply_edits(const Catalogue& catalogue, int year,
                                 const std::vector<ValueEdit>& edits, ValueMap& current) {
  std::vector<Finding> findings;
  std::map<ValueKey, std::size_t> seen;
  for (std::size_t index = 0; index < edits.size(); ++index) {
    const auto edit = normalized(edits[index]);
    const IndicatorVersion* version = nullptr;
    const Category* category = nullptr;
    if (auto finding = check_edit(catalogue, year, edit, index, version, category)) {
      findings.push_back(std::move(*finding));
      continue;
    }
    const auto [first, inserted] = seen.try_emplace(ValueKey{edit.indicator_code, edit.category_code}, index);
    const auto& key = first->first;
    if (!inserted) {
      findings.push_back(edit_finding(edit, index, "", "monitoring.finding_duplicate_cell",
                                      {{"row", std::to_string(first->second + 1)}}));
      continue;
    }
    if (is_empty(edit)) {
      current.erase(key);
      continue;
    }
    auto& value = current.try_emplace(key).first->second;
    value.indicator_version_id = version->id;
    value.indicator_code = edit.indicator_code;
    value.category_id = category->id;
    value.category_code = edit.category_code;
    value.numerator = edit.numerator;
    value.unknown = edit.unknown;
    value.denominator = edit.denominator;
    value.comment = edit.comment;
    value.source = edit.source;
    value.reference_date = edit.reference_date;
  }
  return findings;
}

std::vector<Finding> check_rules(const Catalogue& catalogue, int year,
                                 const std::vector<ValidationRule>& rules, const ValueMap& values,
                                 const ValueMap& previous) {
  std::vector<Finding> findings;
  for (const auto* version : catalogue.for_year(year)) {
    const auto* breakdown = catalogue.breakdown(version->breakdown_id);
    if (!breakdown) continue;
    RuleCheck check(*version, *breakdown, values, previous, findings);
    for (const auto& rule : rules) {
      if (rule.active) check.run(rule);
    }
  }
  return findings;
}

bool has_errors(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& finding) { return finding.severity == Severity::error; });
}

bool has_blocking(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& finding) { return finding.blocking; });
}

}  // namespace ik::monitoring::internal
