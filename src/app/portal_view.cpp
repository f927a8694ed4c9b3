#include "app/portal_view.hpp"

#include <cmath>
#include <cstdio>

#include "app/frame.hpp"
#include "core/clock.hpp"
#include "core/date.hpp"
#include "portal/markdown.hpp"

namespace ik::app {
namespace {

std::string_view code(const Call& call) { return web::language_code(call.language); }

// "2026-05-12T10:00" → "12. Mai 2026, 10:00 Uhr"
std::string local_time(const Call& call, const std::string& value) {
  const auto day = parse_precise_date(value.substr(0, 10), DatePrecision::day);
  if (!day) return value;
  std::string text = format_date(*day, code(call));
  if (value.size() == 16) text += web::message_with(call.language, "events.at_time", {{"time", value.substr(11)}});
  return text;
}

struct TypeLabel {
  std::string_view media_type;
  std::string_view label;
};

constexpr TypeLabel kTypeLabels[] = {
    {"application/pdf", "PDF"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"},
    {"image/png", "PNG"},
    {"image/jpeg", "JPEG"},
    {"image/svg+xml", "SVG"},
    {"video/mp4", "MP4"},
    {"text/vtt", "WebVTT"},
};

std::string size_text(const Call& call, std::int64_t bytes) {
  const double kilobytes = static_cast<double>(bytes) / 1000.0;
  char buffer[32];
  if (kilobytes < 1000.0) {
    std::snprintf(buffer, sizeof buffer, "%.0f KB", std::max(1.0, std::ceil(kilobytes)));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f MB", kilobytes / 1000.0);
  }
  std::string text(buffer);
  if (call.language == web::Language::de) {
    for (auto& character : text) {
      if (character == '.') character = ',';
    }
  }
  return text;
}

}  // namespace

portal::Bilingual::Shown shown(const Call& call, const portal::Bilingual& text) { return text.in(code(call)); }

web::Attribute lang_of(const Call& call, const portal::Bilingual::Shown& text) {
  if (text.language == code(call)) return web::flag("lang", false);
  return web::Attribute{"lang", std::string(text.language)};
}

std::string event_time(const Call& call, const portal::Item& event) {
  std::string text = local_time(call, event.starts);
  if (!event.ends.empty() && event.ends != event.starts) {
    const bool same_day = event.ends.substr(0, 10) == event.starts.substr(0, 10);
    text += " – " + (same_day && event.ends.size() == 16
                         ? web::message_with(call.language, "events.time_only", {{"time", event.ends.substr(11)}})
                         : local_time(call, event.ends));
  }
  return text;
}

std::string item_date(const Call& call, const portal::Item& item) {
  if (item.date) return format_date(*item.date, code(call));
  const auto day = parse_precise_date(format_utc(item.published_at.value_or(item.created_at)).substr(0, 10), DatePrecision::day);
  return day ? format_date(*day, code(call)) : std::string();
}

std::string file_description(const Call& call, const portal::StoredFile& file) {
  std::string_view label = file.media_type;
  for (const auto& known : kTypeLabels) {
    if (known.media_type == file.media_type) label = known.label;
  }
  return std::string(label) + ", " + size_text(call, file.size);
}

std::string file_url(const portal::StoredFile& file) { return "/dateien/" + file.sha256; }

void item_view(web::Html& html, const Call& call, const portal::Item& item) {
  const auto summary = shown(call, item.summary);
  if (!summary.text.empty()) {
    html.element("p", {{"class", "kern-body kern-body--large"}, lang_of(call, summary)}, summary.text);
  }
  if (item.kind == portal::Kind::event) {
    html.nest("dl", {{"class", "item-facts"}}, [&] {
      html.element("dt", call.text("events.when"));
      html.element("dd", event_time(call, item));
      const auto location = shown(call, item.location);
      if (!location.text.empty()) {
        html.element("dt", call.text("events.where"));
        html.element("dd", {lang_of(call, location)}, location.text);
      }
    });
  } else if (item.kind == portal::Kind::news || item.kind == portal::Kind::agreement) {
    html.element("p", {{"class", "kern-body kern-body--small"}}, item_date(call, item));
  }
  if (!item.people.empty()) {
    html.element("p", {{"class", "kern-body"}},
                 web::message_with(call.language, "portal.signatories", {{"people", item.people}}));
  }
  const auto body = shown(call, item.body);
  if (!body.text.empty()) {
    html.nest("div", {{"class", "content-body"}, lang_of(call, body)}, [&] { portal::render_markdown(html, body.text); });
  }
  if (item.file) {
    html.nest("p", {{"class", "kern-body"}}, [&] {
      html.element("a", {{"class", "kern-link"}, {"href", file_url(item.file->file)}},
                   web::message_with(call.language, "portal.download",
                                     {{"title", std::string(shown(call, item.title).text)},
                                      {"type", file_description(call, item.file->file)}}));
    });
  }
}

void textarea_field(web::Html& html, const std::string& name, const std::string& label, const std::string& value,
                    const std::string& error, const std::string& hint, int rows, bool required) {
  const bool has_error = !error.empty();
  std::string described;
  if (!hint.empty()) described = name + "-hinweis";
  if (has_error) described += (described.empty() ? "" : " ") + name + "-fehler";
  html.nest("div", {{"class", has_error ? "kern-form-input kern-form-input--error" : "kern-form-input"}}, [&] {
    html.element("label", {{"class", "kern-label"}, {"for", name}}, label);
    if (!hint.empty()) html.element("div", {{"class", "kern-hint"}, {"id", name + "-hinweis"}}, hint);
    if (has_error) {
      html.nest("p", {{"class", "kern-error"}, {"id", name + "-fehler"}}, [&] {
        html.element("span", {{"class", "kern-icon kern-icon--danger"}, {"aria-hidden", "true"}}, "");
        html.element("span", {{"class", "kern-body"}}, error);
      });
    }
    html.element("textarea",
                 {{"class", has_error ? "kern-form-input__input kern-form-input__input--error" : "kern-form-input__input"},
                  {"id", name},
                  {"name", name},
                  {"rows", std::to_string(rows)},
                  web::flag("required", required),
                  described.empty() ? web::flag("aria-describedby", false) : web::Attribute{"aria-describedby", described},
                  has_error ? web::Attribute{"aria-invalid", "true"} : web::flag("aria-invalid", false)},
                 value);
  });
}

}  // namespace ik::app
