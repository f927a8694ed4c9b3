// The editorial back office (/redaktion, office and administration): every content kind listed,
// created, edited in German and English, previewed, published, scheduled, withdrawn; revisions
// viewed and restored; files uploaded and attached; accessibility feedback read.
#include <algorithm>
#include <array>

#include "app/frame.hpp"
#include "app/handlers.hpp"
#include "app/portal_view.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "cooperation/cooperation.hpp"
#include "http/multipart.hpp"
#include "portal/portal.hpp"
#include "web/forms.hpp"

namespace ik::app {
namespace {

using web::Html;
using portal::Kind;

struct KindPath {
  Kind kind;
  std::string_view segment;  // in /redaktion/inhalte/{art}
};

constexpr std::array<KindPath, 8> kKindPaths{{
    {Kind::news, "aktuelles"},
    {Kind::event, "termine"},
    {Kind::page, "seiten"},
    {Kind::partner, "partner"},
    {Kind::agreement, "vereinbarungen"},
    {Kind::document, "dokumente"},
    {Kind::member, "gremienmitglieder"},
    {Kind::video, "videos"},
}};

// The file field's limit as the portal enforces it, for the check in the browser.
std::size_t upload_limit(const Services& services) {
  return static_cast<std::size_t>(services.portal.options().max_upload_bytes);
}

std::string too_large_message(Call& call, const Services& services) {
  const auto megabytes = std::to_string(upload_limit(services) / (1024 * 1024));
  return web::message_with(call.language, "editorial.file_too_large_here", {{"limit", megabytes}});
}

std::optional<Kind> kind_of_segment(std::string_view segment) {
  for (const auto& entry : kKindPaths) {
    if (entry.segment == segment) return entry.kind;
  }
  return std::nullopt;
}

std::string segment_of(Kind kind) {
  for (const auto& entry : kKindPaths) {
    if (entry.kind == kind) return std::string(entry.segment);
  }
  return "aktuelles";
}

std::string kind_label(const Call& call, Kind kind) {
  return std::string(call.text("editorial.kind_" + std::string(portal::kind_name(kind))));
}

void heading(Html& html, std::string_view text) { html.element("h1", {{"class", "kern-heading-x-large"}}, text); }
void subheading(Html& html, std::string_view text) { html.element("h2", {{"class", "kern-heading-medium"}}, text); }

portal::Actor actor(const Call& call) {
  return {call.principal->user_id, call.principal->username, call.request.request_id};
}

std::string item_url(std::int64_t id) { return "/redaktion/eintrag/" + std::to_string(id); }

std::optional<std::int64_t> positive(const std::string& text) {
  const auto number = text::parse_int(text);
  if (!number || *number <= 0) return std::nullopt;
  return *number;
}

// 01:00 UTC on the last Sunday of `month` (when Central European summer time starts or ends).
std::int64_t last_sunday_1am(int year, int month) {
  const auto first_of_next = epoch_seconds(PreciseDate{month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1, DatePrecision::day});
  const std::int64_t last_day = first_of_next - 86400;
  const std::int64_t weekday = ((last_day / 86400) + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  return last_day - weekday * 86400 + 3600;
}

// "2026-05-12" + "10:00", local time in Germany → Unix seconds; nullopt when malformed.
std::optional<std::int64_t> berlin_time(std::string_view day, std::string_view time) {
  const auto date = parse_precise_date(day, DatePrecision::day);
  if (!date) return std::nullopt;
  std::int64_t minutes = 0;
  if (!time.empty()) {
    if (time.size() != 5 || time[2] != ':') return std::nullopt;
    const long long hour = text::parse_int(time.substr(0, 2)).value_or(-1);
    const long long minute = text::parse_int(time.substr(3, 2)).value_or(-1);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return std::nullopt;
    minutes = hour * 60 + minute;
  }
  const auto local = epoch_seconds(*date) + minutes * 60;
  const bool summer = local - 7200 >= last_sunday_1am(date->year, 3) && local - 7200 < last_sunday_1am(date->year, 10);
  return local - (summer ? 7200 : 3600);
}

std::string state_text(const Call& call, const portal::Item& item) {
  if (item.state == portal::State::scheduled && item.publish_at) {
    return web::message_with(call.language, "editorial.state_scheduled", {{"time", format_utc(*item.publish_at)}});
  }
  return std::string(call.text(item.state == portal::State::published ? "editorial.state_published" : "editorial.state_draft"));
}

// ---- The item form -------------------------------------------------------------------------

struct ItemForm {
  portal::Fields fields;
  std::string date;      // as typed
  std::string position;  // as typed
};

ItemForm form_of(const portal::Fields& fields) {
  return {fields, fields.date ? fields.date->iso() : std::string(), std::to_string(fields.position)};
}

ItemForm read_item_form(const Call& call, Kind kind, const std::vector<std::string>& topic_slugs, FormErrors& errors) {
  ItemForm form;
  auto& fields = form.fields;
  fields.kind = kind;
  const auto trimmed = [&](const std::string& name) { return std::string(text::trim(call.field(name))); };
  fields.slug = trimmed("kuerzel");
  fields.title = {call.field("titel_de"), call.field("titel_en")};
  fields.summary = {trimmed("zusammenfassung_de"), trimmed("zusammenfassung_en")};
  fields.body = {call.field("text_de"), call.field("text_en")};
  fields.location = {trimmed("ort_de"), trimmed("ort_en")};
  fields.category = trimmed("kategorie");
  fields.starts = trimmed("beginn");
  fields.ends = trimmed("ende");
  fields.url = trimmed("adresse");
  fields.people = trimmed("personen");
  fields.series = trimmed("reihe");
  fields.language = call.field("sprache").empty() ? "de" : call.field("sprache");
  for (const auto& slug : topic_slugs) {
    if (!call.field("thema_" + slug).empty()) fields.topics.push_back(slug);
  }
  form.date = trimmed("datum");
  if (!form.date.empty()) {
    fields.date = parse_iso_date(form.date);
    if (!fields.date) errors.add("datum", std::string(call.text("content.date_invalid")));
  }
  form.position = trimmed("position");
  if (!form.position.empty()) {
    const auto position = text::parse_int(form.position);
    if (!position || *position < -100000 || *position > 100000) {
      errors.add("position", std::string(call.text("content.position_invalid")));
    } else {
      fields.position = static_cast<int>(*position);
    }
  }
  return form;
}

struct Topic {
  std::string slug;
  std::string title;
};

Result<std::vector<Topic>> topics(const Call& call, const Services& services) {
  auto themes = services.cooperation.themes();
  if (!themes) return themes.take_error();
  auto goals = services.cooperation.action_goals();
  if (!goals) return goals.take_error();
  std::vector<Topic> all;
  for (const auto& list : {*themes, *goals}) {
    for (const auto& theme : list) {
      all.push_back({theme.slug, call.language == web::Language::en && !theme.title_en.empty() ? theme.title_en : theme.title_de});
    }
  }
  return all;
}

std::vector<std::string> topic_slugs(const std::vector<Topic>& all) {
  std::vector<std::string> slugs;
  for (const auto& topic : all) slugs.push_back(topic.slug);
  return slugs;
}

void bilingual_inputs(Html& html, const Call& call, const std::string& name, std::string_view label_key,
                      const portal::Bilingual& value, const FormErrors& errors, bool required, int max_length) {
  web::input_field(html, {.name = name + "_de", .label = web::message_with(call.language, label_key, {{"language", "Deutsch"}}),
                          .value = value.de, .error = errors.at(name + "_de"), .required = required, .max_length = max_length});
  web::input_field(html, {.name = name + "_en", .label = web::message_with(call.language, label_key, {{"language", "English"}}),
                          .value = value.en, .error = errors.at(name + "_en"),
                          .hint = std::string(call.text("editorial.english_fallback")), .max_length = max_length});
}

void bilingual_textareas(Html& html, const Call& call, const std::string& name, std::string_view label_key,
                         const portal::Bilingual& value, const FormErrors& errors, std::string_view hint_key, int rows) {
  textarea_field(html, name + "_de", web::message_with(call.language, label_key, {{"language", "Deutsch"}}), value.de,
                 errors.at(name + "_de"), std::string(call.text(hint_key)), rows);
  textarea_field(html, name + "_en", web::message_with(call.language, label_key, {{"language", "English"}}), value.en,
                 errors.at(name + "_en"), std::string(call.text("editorial.english_fallback")), rows);
}

void select_category(Html& html, const Call& call, const ItemForm& form, const FormErrors& errors,
                     const std::vector<std::string>& choices) {
  web::SelectField select{.name = "kategorie", .label = std::string(call.text("editorial.category")),
                          .value = form.fields.category, .error = errors.at("kategorie")};
  for (const auto& choice : choices) select.options.push_back({choice, std::string(call.text("editorial.category_" + choice))});
  web::select_field(html, select);
}

void kind_fields(Html& html, const Call& call, const ItemForm& form, const FormErrors& errors) {
  const auto& fields = form.fields;
  const auto date_input = [&](std::string_view hint_key) {
    web::input_field(html, {.name = "datum", .label = std::string(call.text("editorial.date")), .value = form.date,
                            .error = errors.at("datum"), .hint = std::string(call.text(hint_key)), .max_length = 10});
  };
  switch (fields.kind) {
    case Kind::news:
      web::input_field(html, {.name = "kategorie", .label = std::string(call.text("editorial.category")),
                              .value = fields.category, .error = errors.at("kategorie"),
                              .hint = std::string(call.text("editorial.category_hint")), .max_length = 80});
      date_input("editorial.date_hint_news");
      break;
    case Kind::event:
      web::input_field(html, {.name = "beginn", .label = std::string(call.text("editorial.starts")), .value = fields.starts,
                              .error = errors.at("beginn"), .hint = std::string(call.text("editorial.time_hint")),
                              .required = true, .max_length = 16});
      web::input_field(html, {.name = "ende", .label = std::string(call.text("editorial.ends")), .value = fields.ends,
                              .error = errors.at("ende"), .hint = std::string(call.text("editorial.time_hint")), .max_length = 16});
      bilingual_inputs(html, call, "ort", "editorial.location", fields.location, errors, false, 500);
      break;
    case Kind::partner:
      select_category(html, call, form, errors, {"initiative", "wirtschaft", "verbaende", "wissenschaft"});
      web::input_field(html, {.name = "adresse", .label = std::string(call.text("editorial.url")), .value = fields.url,
                              .error = errors.at("adresse"), .hint = std::string(call.text("editorial.url_hint")),
                              .type = "url", .max_length = 500});
      date_input("editorial.date_hint");
      break;
    case Kind::agreement:
      date_input("editorial.date_hint");
      web::input_field(html, {.name = "personen", .label = std::string(call.text("editorial.people")), .value = fields.people,
                              .error = errors.at("personen"), .max_length = 1000});
      break;
    case Kind::document: {
      web::input_field(html, {.name = "reihe", .label = std::string(call.text("editorial.series")), .value = fields.series,
                              .error = errors.at("reihe"), .max_length = 500});
      web::SelectField language{.name = "sprache", .label = std::string(call.text("editorial.language")),
                                .value = fields.language, .error = errors.at("sprache")};
      language.options = {{"de", std::string(call.text("portal.language_de"))}, {"en", std::string(call.text("portal.language_en"))}};
      web::select_field(html, language);
      date_input("editorial.date_hint");
      break;
    }
    case Kind::member:
      select_category(html, call, form, errors, {"regiegruppe", "projektgruppe"});
      break;
    case Kind::page:
    case Kind::video:
      break;
  }
}

void item_form(Html& html, Call& call, const std::string& action, const ItemForm& form, const FormErrors& errors,
               const std::vector<Topic>& all_topics) {
  const auto& fields = form.fields;
  web::error_summary(html, call.language, errors.all());
  html.nest("form", {{"method", "post"}, {"action", link(call, action)}, {"class", "kern-stack form-wide"}, web::flag("novalidate")}, [&] {
    web::csrf_field(html, call.csrf());
    bilingual_inputs(html, call, "titel", fields.kind == Kind::member ? "editorial.name" : "editorial.title_field", fields.title,
                     errors, true, 200);
    web::input_field(html, {.name = "kuerzel", .label = std::string(call.text("editorial.slug")), .value = fields.slug,
                            .error = errors.at("kuerzel"), .hint = std::string(call.text("editorial.slug_hint")), .max_length = 80});
    bilingual_textareas(html, call, "zusammenfassung", fields.kind == Kind::member ? "editorial.function" : "editorial.summary",
                        fields.summary, errors, "editorial.summary_hint", 3);
    kind_fields(html, call, form, errors);
    if (fields.kind != Kind::member) {
      bilingual_textareas(html, call, "text", "editorial.body", fields.body, errors, "editorial.body_hint", 12);
    }
    if (fields.kind == Kind::news || fields.kind == Kind::event || fields.kind == Kind::document) {
      web::fieldset(html, call.text("editorial.topics"), [&] {
        for (const auto& topic : all_topics) {
          const bool checked = std::find(fields.topics.begin(), fields.topics.end(), topic.slug) != fields.topics.end();
          web::checkbox_field(html, "thema_" + topic.slug, topic.title, checked);
        }
      });
    }
    web::input_field(html, {.name = "position", .label = std::string(call.text("editorial.position")), .value = form.position,
                            .error = errors.at("position"), .hint = std::string(call.text("editorial.position_hint")),
                            .max_length = 7});
    web::submit_row(html, call.text("editorial.save"));
  });
}

http::Response item_form_page(Call& call, const Services& services, const std::string& title, const std::string& action,
                              const ItemForm& form, const FormErrors& errors, Html before, Html after, int status) {
  auto all_topics = topics(call, services);
  if (!all_topics) return failure(call, services, all_topics.error());
  Html main;
  heading(main, title);
  main.append(before);
  item_form(main, call, action, form, errors, *all_topics);
  main.append(after);
  return page(call, services, title, std::move(main), status);
}

// ---- Parts of the edit page ------------------------------------------------------------------

void state_forms(Html& html, Call& call, const portal::Item& item) {
  subheading(html, call.text("editorial.publication"));
  html.element("p", {{"class", "kern-body"}}, state_text(call, item));
  html.nest("p", {}, [&] {
    html.element("a", {{"class", "kern-link"}, {"href", link(call, item_url(item.id) + "/vorschau")}}, call.text("editorial.preview"));
    if (item.state == portal::State::published) {
      html.text(" · ");
      html.element("a", {{"class", "kern-link"}, {"href", link(call, item.path())}}, call.text("editorial.public_page"));
    }
  });
  html.nest("form", {{"method", "post"}, {"action", link(call, item_url(item.id) + "/veroeffentlichen")}, {"class", "kern-stack"}}, [&] {
    web::csrf_field(html, call.csrf());
    web::fieldset(html, call.text("editorial.publish_legend"), [&] {
      html.element("p", {{"class", "kern-hint"}}, call.text("editorial.schedule_hint"));
      web::input_field(html, {.name = "ab_datum", .label = std::string(call.text("editorial.schedule_date")), .max_length = 10});
      web::input_field(html, {.name = "ab_uhrzeit", .label = std::string(call.text("editorial.schedule_time")), .max_length = 5});
    });
    html.nest("div", {{"class", "kern-btn-wrapper"}}, [&] { web::submit_button(html, call.text("editorial.publish")); });
  });
  if (item.state != portal::State::draft) {
    html.nest("form", {{"method", "post"}, {"action", link(call, item_url(item.id) + "/zuruecknehmen")}, {"class", "kern-stack"}}, [&] {
      web::csrf_field(html, call.csrf());
      html.nest("div", {{"class", "kern-btn-wrapper"}}, [&] { web::submit_button(html, call.text("editorial.unpublish"), "secondary"); });
    });
  }
}

void file_section(Html& html, Call& call, const Services& services, const portal::Item& item,
                  const std::vector<portal::FileVersion>& versions, const FormErrors& errors) {
  subheading(html, call.text("editorial.files"));
  if (versions.empty()) {
    html.element("p", {{"class", "kern-body"}}, call.text("editorial.no_files"));
  } else {
    web::data_table(html, call.text("editorial.files"),
                    {std::string(call.text("editorial.file_version")), std::string(call.text("editorial.file_name")),
                     std::string(call.text("editorial.file_type")), std::string(call.text("editorial.file_added"))},
                    [&] {
                      for (const auto& version : versions) {
                        web::table_row(html, [&] {
                          web::table_cell(html, std::to_string(version.version) +
                                                    (version.role == portal::FileRole::captions ? " (" + std::string(call.text("portal.captions")) + ")" : ""));
                          web::table_cell(html, [&] {
                            html.element("a", {{"class", "kern-link"}, {"href", file_url(version.file)}}, version.file.file_name);
                          });
                          web::table_cell(html, file_description(call, version.file));
                          web::table_cell(html, format_utc(version.added_at) + " · " + version.added_by);
                        });
                      }
                    });
  }
  web::error_summary(html, call.language, errors.all());
  html.nest("form", {{"method", "post"}, {"action", link(call, item_url(item.id) + "/datei")}, {"enctype", "multipart/form-data"},
                     {"class", "kern-stack form-wide"}, web::flag("novalidate")}, [&] {
    web::csrf_field(html, call.csrf());
    web::input_field(html, {.name = "datei", .label = std::string(call.text("editorial.file_new")), .error = errors.at("datei"),
                            .hint = std::string(call.text("editorial.file_hint")), .type = "file", .required = true,
                            .max_bytes = upload_limit(services), .too_large_message = too_large_message(call, services)});
    if (item.kind == Kind::video) web::checkbox_field(html, "untertitel", std::string(call.text("editorial.file_is_captions")), false);
    web::submit_row(html, call.text("editorial.file_upload"));
  });
}

void revision_section(Html& html, Call& call, const portal::Item& item, const std::vector<portal::Revision>& revisions) {
  subheading(html, call.text("editorial.revisions"));
  web::data_table(html, call.text("editorial.revisions"),
                  {std::string(call.text("editorial.revision_number")), std::string(call.text("editorial.revision_time")),
                   std::string(call.text("editorial.revision_author")), std::string(call.text("editorial.revision_action")),
                   std::string(call.text("editorial.revision_restore"))},
                  [&] {
                    for (const auto& revision : revisions) {
                      web::table_row(html, [&] {
                        web::table_cell(html, [&] {
                          html.element("a", {{"class", "kern-link"},
                                             {"href", link(call, item_url(item.id) + "/versionen/" + std::to_string(revision.number))}},
                                       std::to_string(revision.number));
                        });
                        web::table_cell(html, format_utc(revision.at));
                        web::table_cell(html, revision.author);
                        web::table_cell(html, call.text("editorial.action_" + revision.action));
                        web::table_cell(html, [&] {
                          if (revision.number == item.revision) return;
                          html.nest("form", {{"method", "post"},
                                             {"action", link(call, item_url(item.id) + "/versionen/" + std::to_string(revision.number) + "/wiederherstellen")}},
                                    [&] {
                                      web::csrf_field(html, call.csrf());
                                      web::submit_button(html, call.text("editorial.restore"), "tertiary", "x-small",
                                                         web::message_with(call.language, "editorial.restore_number",
                                                                           {{"number", std::to_string(revision.number)}}));
                                    });
                        });
                      });
                    }
                  });
}

http::Response edit_page(Call& call, const Services& services, const portal::Item& item, const ItemForm& form,
                         const FormErrors& errors, const FormErrors& file_errors, Html notice, int status) {
  auto versions = services.portal.file_versions(item.id);
  if (!versions) return failure(call, services, versions.error());
  auto revisions = services.portal.revisions(item.id);
  if (!revisions) return failure(call, services, revisions.error());
  Html before;
  before.element("p", {{"class", "kern-body"}}, kind_label(call, item.kind));
  before.append(notice);
  Html after;
  state_forms(after, call, item);
  file_section(after, call, services, item, *versions, file_errors);
  revision_section(after, call, item, *revisions);
  return item_form_page(call, services, web::message_with(call.language, "editorial.edit_title", {{"title", item.title.de}}),
                        item_url(item.id), form, errors, std::move(before), std::move(after), status);
}

Result<portal::Item> item_param(Call& call, const Services& services) {
  const auto id = positive(call.params["id"]);
  if (!id) return Error::not_found();
  return services.portal.item(*id);
}

http::Response back_to_item(const Call& call, std::int64_t id, std::string_view notice) {
  return http::Response::redirect(link(call, item_url(id)) + "?hinweis=" + std::string(notice));
}

Html notice_from_query(const Call& call) {
  Html notice;
  const auto parameters = query_parameters(call);
  const auto found = parameters.find("hinweis");
  if (found == parameters.end()) return notice;
  for (const std::string known : {"gespeichert", "veroeffentlicht", "geplant", "zurueckgenommen", "wiederhergestellt", "datei", "angelegt"}) {
    if (found->second == known) web::alert(notice, "success", std::string(call.text("editorial.notice_" + known)));
  }
  return notice;
}

// The uploaded file of a multipart form (field "datei").
Result<portal::Upload> uploaded_file(const Call& call) {
  const auto content_type = std::string(call.request.header("content-type").value_or(""));
  if (!http::is_multipart_form(content_type)) return Error::invalid("datei", "upload.empty");
  auto parts = http::parse_multipart(content_type, call.request.body);
  if (!parts) return Error::invalid("datei", "upload.empty");
  const auto* part = http::find_part(*parts, "datei");
  if (part == nullptr || !part->file_name || part->data.empty()) return Error::invalid("datei", "upload.empty");
  return portal::Upload{*part->file_name, part->data};
}

}  // namespace

http::Response editorial_home(Call& call, const Services& services) {
  auto items = services.portal.list({.published_only = false});
  if (!items) return failure(call, services, items.error());
  Html main;
  heading(main, call.text("editorial.title"));
  main.element("p", {{"class", "kern-body kern-body--large"}}, call.text("editorial.lead"));
  web::data_table(main, call.text("editorial.kinds"),
                  {std::string(call.text("editorial.kind")), std::string(call.text("editorial.count")),
                   std::string(call.text("editorial.new"))},
                  [&] {
                    for (const auto& entry : kKindPaths) {
                      const auto count = std::count_if(items->begin(), items->end(), [&](const portal::Item& item) { return item.kind == entry.kind; });
                      web::table_row(main, [&] {
                        web::table_cell(main, [&] {
                          main.element("a", {{"class", "kern-link"}, {"href", link(call, "/redaktion/inhalte/" + std::string(entry.segment))}},
                                       kind_label(call, entry.kind));
                        });
                        web::table_cell(main, std::to_string(count));
                        web::table_cell(main, [&] {
                          main.element("a", {{"class", "kern-link"}, {"href", link(call, "/redaktion/inhalte/" + std::string(entry.segment) + "/neu")},
                                             {"aria-label", web::message_with(call.language, "editorial.new_of", {{"kind", kind_label(call, entry.kind)}})}},
                                       call.text("editorial.new"));
                        });
                      });
                    }
                  });
  main.nest("ul", {{"class", "kern-list kern-list--bullet"}}, [&] {
    main.nest("li", {}, [&] {
      main.element("a", {{"class", "kern-link"}, {"href", link(call, "/redaktion/dateien")}}, call.text("editorial.uploads_title"));
    });
    main.nest("li", {}, [&] {
      main.element("a", {{"class", "kern-link"}, {"href", link(call, "/redaktion/rueckmeldungen")}}, call.text("editorial.feedback_title"));
    });
  });
  return page(call, services, std::string(call.text("editorial.title")), std::move(main));
}

http::Response editorial_list(Call& call, const Services& services) {
  const auto kind = kind_of_segment(call.params["art"]);
  if (!kind) return error_response(call, services, 404);
  auto items = services.portal.list({.kind = *kind, .published_only = false});
  if (!items) return failure(call, services, items.error());
  Html main;
  heading(main, kind_label(call, *kind));
  main.nest("p", {}, [&] {
    web::button_link(main, call.text("editorial.new"), link(call, "/redaktion/inhalte/" + segment_of(*kind) + "/neu"));
  });
  if (items->empty()) {
    main.element("p", {{"class", "kern-body"}}, call.text("editorial.empty"));
  } else {
    web::data_table(main, kind_label(call, *kind),
                    {std::string(call.text("editorial.title_column")), std::string(call.text("editorial.state")),
                     std::string(call.text("editorial.updated"))},
                    [&] {
                      for (const auto& item : *items) {
                        web::table_row(main, [&] {
                          web::table_cell(main, [&] {
                            main.element("a", {{"class", "kern-link"}, {"href", link(call, item_url(item.id))}}, item.title.de);
                          });
                          web::table_cell(main, state_text(call, item));
                          web::table_cell(main, format_utc(item.updated_at));
                        });
                      }
                    });
  }
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/redaktion")}}, call.text("editorial.back"));
  });
  return page(call, services, kind_label(call, *kind), std::move(main));
}

http::Response editorial_new_form(Call& call, const Services& services) {
  const auto kind = kind_of_segment(call.params["art"]);
  if (!kind) return error_response(call, services, 404);
  portal::Fields fields;
  fields.kind = *kind;
  return item_form_page(call, services, web::message_with(call.language, "editorial.new_of", {{"kind", kind_label(call, *kind)}}),
                        "/redaktion/inhalte/" + segment_of(*kind) + "/neu", form_of(fields), {}, {}, {}, 200);
}

http::Response editorial_create(Call& call, const Services& services) {
  const auto kind = kind_of_segment(call.params["art"]);
  if (!kind) return error_response(call, services, 404);
  auto all_topics = topics(call, services);
  if (!all_topics) return failure(call, services, all_topics.error());
  FormErrors errors;
  auto form = read_item_form(call, *kind, topic_slugs(*all_topics), errors);
  if (errors.empty()) {
    auto created = services.portal.create(form.fields, actor(call));
    if (created) return back_to_item(call, *created, "angelegt");
    if (created.error().code != ErrorCode::invalid_input) return failure(call, services, created.error());
    errors.add(call, created.error());
  }
  return item_form_page(call, services, web::message_with(call.language, "editorial.new_of", {{"kind", kind_label(call, *kind)}}),
                        "/redaktion/inhalte/" + segment_of(*kind) + "/neu", form, errors, {}, {}, 422);
}

http::Response editorial_edit_form(Call& call, const Services& services) {
  auto item = item_param(call, services);
  if (!item) return failure(call, services, item.error());
  return edit_page(call, services, *item, form_of(*item), {}, {}, notice_from_query(call), 200);
}

http::Response editorial_update(Call& call, const Services& services) {
  auto item = item_param(call, services);
  if (!item) return failure(call, services, item.error());
  auto all_topics = topics(call, services);
  if (!all_topics) return failure(call, services, all_topics.error());
  FormErrors errors;
  auto form = read_item_form(call, item->kind, topic_slugs(*all_topics), errors);
  if (errors.empty()) {
    auto saved = services.portal.edit(item->id, form.fields, actor(call));
    if (saved) return back_to_item(call, item->id, "gespeichert");
    if (saved.error().code != ErrorCode::invalid_input) return failure(call, services, saved.error());
    errors.add(call, saved.error());
  }
  return edit_page(call, services, *item, form, errors, {}, {}, 422);
}

http::Response editorial_preview(Call& call, const Services& services) {
  auto item = item_param(call, services);
  if (!item) return failure(call, services, item.error());
  Html main;
  web::alert(main, "info", std::string(call.text("editorial.preview_notice")));
  const auto title = shown(call, item->title);
  main.element("h1", {{"class", "kern-heading-x-large"}, lang_of(call, title)}, title.text);
  item_view(main, call, *item);
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, item_url(item->id))}}, call.text("editorial.back_to_item"));
  });
  return page(call, services, std::string(title.text), std::move(main));
}

http::Response editorial_publish(Call& call, const Services& services) {
  auto item = item_param(call, services);
  if (!item) return failure(call, services, item.error());
  std::optional<std::int64_t> at;
  const auto day = std::string(text::trim(call.field("ab_datum")));
  const auto time = std::string(text::trim(call.field("ab_uhrzeit")));
  if (!day.empty() || !time.empty()) {
    at = berlin_time(day, time);
    if (!at) {
      FormErrors errors;
      errors.add("ab_datum", std::string(call.text("editorial.schedule_invalid")));
      return edit_page(call, services, *item, form_of(*item), errors, {}, {}, 422);
    }
  }
  if (auto published = services.portal.publish(item->id, at, actor(call)); !published) {
    return failure(call, services, published.error());
  }
  return back_to_item(call, item->id, at && *at > services.clock.now() ? "geplant" : "veroeffentlicht");
}

http::Response editorial_unpublish(Call& call, const Services& services) {
  auto item = item_param(call, services);
  if (!item) return failure(call, services, item.error());
  if (auto withdrawn = services.portal.unpublish(item->id, actor(call)); !withdrawn) return failure(call, services, withdrawn.error());
  return back_to_item(call, item->id, "zurueckgenommen");
}

http::Response editorial_revision(Call& call, const Services& services) {
  auto item = item_param(call, services);
  if (!item) return failure(call, services, item.error());
  auto revisions = services.portal.revisions(item->id);
  if (!revisions) return failure(call, services, revisions.error());
  const auto number = positive(call.params["nummer"]);
  const auto found = std::find_if(revisions->begin(), revisions->end(),
                                  [&](const portal::Revision& revision) { return number && revision.number == *number; });
  if (found == revisions->end()) return error_response(call, services, 404);
  portal::Item snapshot = *item;
  static_cast<portal::Fields&>(snapshot) = found->snapshot;
  snapshot.file.reset();
  Html main;
  heading(main, web::message_with(call.language, "editorial.revision_title",
                                  {{"number", std::to_string(found->number)}, {"title", found->snapshot.title.de}}));
  main.element("p", {{"class", "kern-body"}},
               format_utc(found->at) + " · " + found->author + " · " + std::string(call.text("editorial.action_" + found->action)));
  item_view(main, call, snapshot);
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, item_url(item->id))}}, call.text("editorial.back_to_item"));
  });
  return page(call, services, std::string(call.text("editorial.revisions")), std::move(main));
}

http::Response editorial_restore(Call& call, const Services& services) {
  auto item = item_param(call, services);
  if (!item) return failure(call, services, item.error());
  const auto number = positive(call.params["nummer"]);
  if (!number) return error_response(call, services, 404);
  auto restored = services.portal.restore(item->id, static_cast<int>(*number), actor(call));
  if (restored) return back_to_item(call, item->id, "wiederhergestellt");
  if (restored.error().code != ErrorCode::invalid_input) return failure(call, services, restored.error());
  FormErrors errors;
  errors.add(call, restored.error());
  return edit_page(call, services, *item, form_of(*item), errors, {}, {}, 422);
}

http::Response editorial_attach(Call& call, const Services& services) {
  auto item = item_param(call, services);
  if (!item) return failure(call, services, item.error());
  auto upload = uploaded_file(call);
  Status attached;
  if (upload) {
    auto stored = services.portal.store_upload(*upload, actor(call));
    const auto role = call.field("untertitel").empty() ? portal::FileRole::main : portal::FileRole::captions;
    attached = stored ? services.portal.attach_file(item->id, stored->sha256, role, actor(call)) : Status(stored.take_error());
  } else {
    attached = upload.take_error();
  }
  if (attached) return back_to_item(call, item->id, "datei");
  if (attached.error().code != ErrorCode::invalid_input) return failure(call, services, attached.error());
  FormErrors file_errors;
  file_errors.add(call, attached.error());
  return edit_page(call, services, *item, form_of(*item), {}, file_errors, {}, 422);
}

http::Response editorial_uploads(Call& call, const Services& services) {
  auto files = services.portal.uploads();
  if (!files) return failure(call, services, files.error());
  FormErrors errors;
  Html notice;
  const auto parameters = query_parameters(call);
  if (const auto found = parameters.find("neu"); found != parameters.end()) {
    web::alert(notice, "success", web::message_with(call.language, "editorial.upload_done", {{"url", "/dateien/" + found->second}}));
  }
  Html main;
  heading(main, call.text("editorial.uploads_title"));
  main.append(notice);
  main.element("p", {{"class", "kern-body"}}, call.text("editorial.uploads_lead"));
  main.nest("form", {{"method", "post"}, {"action", link(call, "/redaktion/dateien")}, {"enctype", "multipart/form-data"},
                     {"class", "kern-stack form-wide"}, web::flag("novalidate")}, [&] {
    web::csrf_field(main, call.csrf());
    web::input_field(main, {.name = "datei", .label = std::string(call.text("editorial.file_new")),
                            .hint = std::string(call.text("editorial.file_hint")), .type = "file", .required = true,
                            .max_bytes = upload_limit(services), .too_large_message = too_large_message(call, services)});
    web::submit_row(main, call.text("editorial.file_upload"));
  });
  if (!files->empty()) {
    web::data_table(main, call.text("editorial.uploads_title"),
                    {std::string(call.text("editorial.file_name")), std::string(call.text("editorial.file_type")),
                     std::string(call.text("editorial.file_address")), std::string(call.text("editorial.file_added"))},
                    [&] {
                      for (const auto& file : *files) {
                        web::table_row(main, [&] {
                          web::table_cell(main, file.file_name);
                          web::table_cell(main, file_description(call, file));
                          web::table_cell(main, [&] { main.element("code", file_url(file)); });
                          web::table_cell(main, format_utc(file.uploaded_at));
                        });
                      }
                    });
  }
  return page(call, services, std::string(call.text("editorial.uploads_title")), std::move(main));
}

http::Response editorial_upload(Call& call, const Services& services) {
  auto upload = uploaded_file(call);
  Result<portal::StoredFile> stored = upload ? services.portal.store_upload(*upload, actor(call)) : Result<portal::StoredFile>(upload.take_error());
  if (stored) return http::Response::redirect(link(call, "/redaktion/dateien") + "?neu=" + stored->sha256);
  if (stored.error().code != ErrorCode::invalid_input) return failure(call, services, stored.error());
  Html main;
  heading(main, call.text("editorial.uploads_title"));
  FormErrors errors;
  errors.add(call, stored.error());
  web::error_summary(main, call.language, errors.all());
  main.nest("form", {{"method", "post"}, {"action", link(call, "/redaktion/dateien")}, {"enctype", "multipart/form-data"},
                     {"class", "kern-stack form-wide"}, web::flag("novalidate")}, [&] {
    web::csrf_field(main, call.csrf());
    web::input_field(main, {.name = "datei", .label = std::string(call.text("editorial.file_new")), .error = errors.at("datei"),
                            .hint = std::string(call.text("editorial.file_hint")), .type = "file", .required = true,
                            .max_bytes = upload_limit(services), .too_large_message = too_large_message(call, services)});
    web::submit_row(main, call.text("editorial.file_upload"));
  });
  return page(call, services, std::string(call.text("editorial.uploads_title")), std::move(main), 422);
}

http::Response editorial_feedback(Call& call, const Services& services) {
  auto entries = services.portal.feedback();
  if (!entries) return failure(call, services, entries.error());
  Html main;
  heading(main, call.text("editorial.feedback_title"));
  if (entries->empty()) {
    main.element("p", {{"class", "kern-body"}}, call.text("editorial.feedback_none"));
  } else {
    web::data_table(main, call.text("editorial.feedback_title"),
                    {std::string(call.text("editorial.feedback_received")), std::string(call.text("portal.feedback_message")),
                     std::string(call.text("portal.feedback_page")), std::string(call.text("editorial.feedback_sender"))},
                    [&] {
                      for (const auto& entry : *entries) {
                        web::table_row(main, [&] {
                          web::table_cell(main, format_utc(entry.received_at));
                          web::table_cell(main, entry.message);
                          web::table_cell(main, entry.page);
                          web::table_cell(main, entry.name + (entry.email.empty() ? "" : " <" + entry.email + ">"));
                        });
                      }
                    });
  }
  return page(call, services, std::string(call.text("editorial.feedback_title")), std::move(main));
}

}  // namespace ik::app
