#include <map>

#include <spdlog/spdlog.h>

#include "app/frame.hpp"
#include "app/handlers.hpp"
#include "app/mailer.hpp"
#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "cooperation/cooperation.hpp"
#include "web/forms.hpp"

namespace ik::app {
namespace {

using web::Html;
using web::flag;

void heading(Html& html, std::string_view text) { html.element("h1", {{"class", "kern-heading-x-large"}}, text); }

std::string role_label(const Call& call, auth::Role role) {
  return std::string(call.text("role." + std::string(auth::role_name(role))));
}

// ---- Users -------------------------------------------------------------------------------

struct UserForm {
  std::string username;
  std::string display_name;
  std::string email;
  bool active = true;
  std::vector<auth::RoleGrant> grants;
};

// Reads the role checkboxes ("rolle_<role>") and their city selects ("stadt_<role>").
Result<std::vector<auth::RoleGrant>> read_grants(const Call& call, const std::vector<cooperation::City>& cities) {
  std::vector<auth::RoleGrant> grants;
  for (const auto role : auth::all_roles()) {
    const std::string name(auth::role_name(role));
    if (call.field("rolle_" + name).empty()) continue;
    const auto& slug = call.field("stadt_" + name);
    std::optional<auth::CityId> city;
    if (!slug.empty()) {
      for (const auto& candidate : cities) {
        if (candidate.slug == slug) city = candidate.id;
      }
      if (!city) return Error::invalid("stadt_" + name, "form.invalid_choice");
    }
    grants.push_back({role, city});
  }
  return grants;
}

void role_fields(Html& html, const Call& call, const std::vector<cooperation::City>& cities,
                 const std::vector<auth::RoleGrant>& grants, const FormErrors& errors) {
  web::fieldset(html, call.text("admin.roles"), [&] {
    html.element("p", {{"class", "kern-hint"}}, call.text("admin.roles_hint"));
    if (!errors.at("rollen").empty()) html.element("p", {{"class", "kern-error"}, {"id", "rollen"}}, errors.at("rollen"));
    for (const auto role : auth::all_roles()) {
      const std::string name(auth::role_name(role));
      const auto held = std::find_if(grants.begin(), grants.end(), [&](const auth::RoleGrant& grant) { return grant.role == role; });
      web::checkbox_field(html, "rolle_" + name, role_label(call, role), held != grants.end());
      if (role == auth::Role::office || role == auth::Role::admin) continue;
      web::SelectField select{.name = "stadt_" + name,
                              .label = web::message_with(call.language, "admin.role_city", {{"role", role_label(call, role)}}),
                              .error = errors.at("stadt_" + name)};
      select.options.push_back({"", std::string(call.text("admin.no_city"))});
      for (const auto& city : cities) {
        select.options.push_back({city.slug, city.name});
        if (held != grants.end() && held->city == city.id) select.value = city.slug;
      }
      web::select_field(html, select);
    }
  });
}

http::Response user_form_page(Call& call, const Services& services, std::optional<std::int64_t> user_id,
                              const UserForm& form, const FormErrors& errors, Html notice, int status) {
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  const auto title = std::string(call.text(user_id ? "admin.edit_user" : "admin.new_user"));
  const auto action = user_id ? "/verwaltung/benutzer/" + std::to_string(*user_id) : std::string("/verwaltung/benutzer/neu");
  Html main;
  heading(main, title);
  main.append(notice);
  web::error_summary(main, call.language, errors.all());
  main.nest("form", {{"method", "post"}, {"action", link(call, action)}, {"class", "kern-stack form-wide"}, flag("novalidate")}, [&] {
    web::csrf_field(main, call.csrf());
    if (!user_id) {
      web::input_field(main, {.name = "benutzername", .label = std::string(call.text("login.username")), .value = form.username,
                              .error = errors.at("benutzername"), .hint = std::string(call.text("auth.username_invalid")),
                              .required = true, .max_length = 64});
    }
    web::input_field(main, {.name = "anzeigename", .label = std::string(call.text("admin.display_name")),
                            .value = form.display_name, .error = errors.at("anzeigename"), .required = true, .max_length = 200});
    web::input_field(main, {.name = "email", .label = std::string(call.text("admin.email")), .value = form.email,
                            .error = errors.at("email"), .hint = std::string(call.text("admin.email_hint")),
                            .type = "email", .max_length = 254});
    if (user_id) web::checkbox_field(main, "aktiv", std::string(call.text("admin.active")), form.active);
    role_fields(main, call, *cities, form.grants, errors);
    web::submit_row(main, call.text(user_id ? "admin.save" : "admin.create_and_invite"));
  });
  if (user_id) {
    main.nest("form", {{"method", "post"}, {"action", link(call, action + "/einladung")}, {"class", "kern-stack"}}, [&] {
      web::csrf_field(main, call.csrf());
      main.nest("div", {{"class", "kern-btn-wrapper"}}, [&] {
        web::submit_button(main, call.text("admin.invite_again"), "secondary");
      });
    });
  }
  return page(call, services, title, std::move(main), status);
}

UserForm read_user_form(const Call& call) {
  return UserForm{.username = std::string(text::trim(call.field("benutzername"))),
                  .display_name = std::string(text::trim(call.field("anzeigename"))),
                  .email = std::string(text::trim(call.field("email"))),
                  .active = !call.field("aktiv").empty(),
                  .grants = {}};
}

// Creates an invitation and either mails it (in German, the cooperation's language) or shows the
// link for the admin to pass on.
Html invitation_notice(Call& call, const Services& services, const auth::UserSummary& user) {
  Html notice;
  auto invitation = services.auth.invite(user.id, request_context(call));
  if (!invitation) {
    spdlog::error(R"("event":"invitation_failed","detail":"{}")", http::json_escape(invitation.error().detail));
    web::alert(notice, "danger", std::string(call.text(invitation.error().message_key)));
    return notice;
  }
  const auto url = services.public_url + "/einladung/" + invitation->token;
  if (services.mailer.configured() && !user.email.empty()) {
    const auto body = web::message_with(web::Language::de, "invitation.mail_body",
                                        {{"name", user.display_name}, {"username", user.username}, {"url", url}});
    auto sent = services.mailer.send(user.email, std::string(web::message(web::Language::de, "invitation.mail_subject")), body);
    if (sent) {
      web::alert(notice, "success", web::message_with(call.language, "admin.invitation_sent", {{"email", user.email}}));
      return notice;
    }
    spdlog::warn(R"("event":"invitation_mail_failed","detail":"{}")", http::json_escape(sent.error().detail));
    web::alert(notice, "warning", std::string(call.text("admin.invitation_mail_failed")));
  } else {
    web::alert(notice, "info", std::string(call.text("admin.invitation_link")));
  }
  notice.nest("p", {{"class", "invitation-link"}}, [&] { notice.element("code", {{"class", "token-display"}}, url); });
  return notice;
}

std::optional<std::int64_t> user_id_param(Call& call) {
  const auto id = text::parse_int(call.params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return *id;
}

// ---- Cities ------------------------------------------------------------------------------

// The membership fields as entered (kept verbatim after a failed submission).
struct MembershipInput {
  std::string kind;
  std::string since;
  bool since_is_latest = false;
  std::string until;
  std::string source;
};

struct CityInput {
  cooperation::CityChanges changes;      // name, contacts, note; memberships once parsed
  std::vector<MembershipInput> memberships;
};

MembershipInput input_of(const cooperation::Membership& membership) {
  return {std::string(cooperation::status_name(membership.status)), membership.since.iso(),
          membership.since.precision == DatePrecision::by_day, membership.until ? membership.until->iso() : "",
          membership.source};
}

void membership_fields(Html& html, const Call& call, std::size_t index, const MembershipInput& input, bool is_new,
                       const FormErrors& errors) {
  const auto prefix = "mitgliedschaft_" + std::to_string(index) + "_";
  const auto legend = is_new ? std::string(call.text("admin.membership_add"))
                             : std::string(call.text("admin.memberships")) + " " + std::to_string(index + 1);
  web::fieldset(html, legend, [&] {
    web::SelectField status{.name = prefix + "art", .label = std::string(call.text("admin.membership_status")),
                            .value = input.kind, .error = errors.at(prefix + "art")};
    status.options = {{"", "–"}, {"member", std::string(call.text("cities.status_member"))},
                      {"guest", std::string(call.text("cities.status_guest"))}};
    web::select_field(html, status);
    web::input_field(html, {.name = prefix + "beginn", .label = std::string(call.text("admin.membership_since")),
                            .value = input.since, .error = errors.at(prefix + "beginn"), .max_length = 10});
    web::checkbox_field(html, prefix + "spaetestens", std::string(call.text("admin.membership_since_by")),
                        input.since_is_latest);
    web::input_field(html, {.name = prefix + "ende", .label = std::string(call.text("admin.membership_until")),
                            .value = input.until, .error = errors.at(prefix + "ende"), .max_length = 10});
    web::input_field(html, {.name = prefix + "quelle", .label = std::string(call.text("admin.membership_source")),
                            .value = input.source, .error = errors.at(prefix + "quelle"), .max_length = 500});
  }, "membership-fieldset");
}

// Parses one period; adds errors at its fields and returns nullopt when it is not valid.
std::optional<cooperation::Membership> parse_membership(const Call& call, const std::string& prefix,
                                                        const MembershipInput& input, FormErrors& errors) {
  if (input.kind != "member" && input.kind != "guest") {
    errors.add(prefix + "art", std::string(call.text("form.invalid_choice")));
    return std::nullopt;
  }
  auto since = parse_iso_date(input.since);
  if (since && input.since_is_latest) {
    since = since->precision == DatePrecision::day
                ? std::optional(PreciseDate{since->year, since->month, since->day, DatePrecision::by_day})
                : std::nullopt;
  }
  if (!since) {
    errors.add(prefix + "beginn", std::string(call.text("form.invalid_date")));
    return std::nullopt;
  }
  cooperation::Membership membership;
  membership.status = input.kind == "guest" ? cooperation::MembershipStatus::guest : cooperation::MembershipStatus::member;
  membership.since = *since;
  if (!input.until.empty()) {
    membership.until = parse_iso_date(input.until);
    if (!membership.until) {
      errors.add(prefix + "ende", std::string(call.text("form.invalid_date")));
      return std::nullopt;
    }
  }
  membership.source = input.source;
  return membership;
}

CityInput read_city_form(const Call& call, const cooperation::City& city, FormErrors& errors) {
  CityInput input;
  auto& changes = input.changes;
  changes.name = std::string(text::trim(call.field("name")));
  changes.ki_name = std::string(text::trim(call.field("ki_name")));
  changes.ki_contact = std::string(text::trim(call.field("ki_contact")));
  changes.ki_url = std::string(text::trim(call.field("ki_url")));
  changes.internal_note = call.field("internal_note");
  // The form has one more set of fields than periods exist, for adding a period.
  for (std::size_t index = 0; index <= city.memberships.size(); ++index) {
    const auto prefix = "mitgliedschaft_" + std::to_string(index) + "_";
    MembershipInput period{call.field(prefix + "art"), std::string(text::trim(call.field(prefix + "beginn"))),
                           !call.field(prefix + "spaetestens").empty(),
                           std::string(text::trim(call.field(prefix + "ende"))),
                           std::string(text::trim(call.field(prefix + "quelle")))};
    if (period.kind.empty() && period.since.empty()) continue;  // removed, or the empty extra set
    input.memberships.push_back(period);
    auto membership = parse_membership(call, "mitgliedschaft_" + std::to_string(input.memberships.size() - 1) + "_",
                                       period, errors);
    if (!membership) continue;
    // The form does not edit the notes: keep those of the stored period with the same start.
    for (const auto& stored : city.memberships) {
      if (stored.since == membership->since && stored.status == membership->status) {
        membership->note_de = stored.note_de;
        membership->note_en = stored.note_en;
      }
    }
    changes.memberships.push_back(std::move(*membership));
  }
  return input;
}

http::Response city_form_page(Call& call, const Services& services, const cooperation::City& city,
                              const CityInput& values, const FormErrors& errors, bool saved, int status) {
  const auto& fields = values.changes;
  Html main;
  heading(main, city.name);
  if (saved) web::alert(main, "success", std::string(call.text("admin.saved")));
  web::error_summary(main, call.language, errors.all());
  main.nest("form", {{"method", "post"}, {"action", link(call, "/verwaltung/staedte/" + city.slug)}, {"class", "kern-stack form-wide"}, flag("novalidate")}, [&] {
    web::csrf_field(main, call.csrf());
    web::input_field(main, {.name = "name", .label = std::string(call.text("admin.city_name")), .value = fields.name,
                            .error = errors.at("name"), .required = true, .max_length = 100});
    web::input_field(main, {.name = "ki_name", .label = std::string(call.text("admin.ki_name")), .value = fields.ki_name,
                            .error = errors.at("ki_name"), .max_length = 200});
    web::input_field(main, {.name = "ki_contact", .label = std::string(call.text("admin.ki_contact")), .value = fields.ki_contact,
                            .error = errors.at("ki_contact"), .max_length = 200});
    web::input_field(main, {.name = "ki_url", .label = std::string(call.text("admin.ki_url")), .value = fields.ki_url,
                            .error = errors.at("ki_url"), .type = "url", .max_length = 500});
    main.nest("div", {{"class", "kern-form-input"}}, [&] {
      main.element("label", {{"class", "kern-label"}, {"for", "internal_note"}}, call.text("admin.internal_note"));
      main.element("textarea", {{"class", "kern-form-input__input"}, {"id", "internal_note"}, {"name", "internal_note"}, {"rows", "4"}},
                   fields.internal_note);
    });
    std::size_t index = 0;
    for (const auto& membership : values.memberships) membership_fields(main, call, index++, membership, false, errors);
    membership_fields(main, call, index, MembershipInput{}, true, errors);
    web::submit_row(main, call.text("admin.save"));
  });
  return page(call, services, city.name, std::move(main), status);
}

std::optional<std::int64_t> parse_day(const std::string& text, bool end_of_day) {
  const auto date = parse_precise_date(text, DatePrecision::day);
  if (!date) return std::nullopt;
  return epoch_seconds(*date) + (end_of_day ? 86400 : 0);
}

}  // namespace

http::Response users_page(Call& call, const Services& services) {
  auto users = services.auth.list_users();
  if (!users) return failure(call, services, users.error());
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  std::map<std::int64_t, std::string> city_names;
  for (const auto& city : *cities) city_names[city.id] = city.name;
  Html main;
  heading(main, call.text("admin.users_title"));
  main.nest("p", {}, [&] {
    web::button_link(main, call.text("admin.new_user"), link(call, "/verwaltung/benutzer/neu"));
  });
  const std::vector<std::string> headers{std::string(call.text("login.username")), std::string(call.text("admin.display_name")),
                                         std::string(call.text("admin.roles")), std::string(call.text("admin.status"))};
  web::data_table(main, call.text("admin.users_title"), headers, [&] {
    for (const auto& user : *users) {
      web::table_row(main, [&] {
        web::table_cell(main, [&] {
          main.element("a", {{"class", "kern-link"}, {"href", link(call, "/verwaltung/benutzer/" + std::to_string(user.id))}}, user.username);
        });
        web::table_cell(main, user.display_name);
        std::string roles;
        for (const auto& grant : user.grants) {
          if (!roles.empty()) roles += ", ";
          roles += role_label(call, grant.role);
          if (grant.city) roles += " (" + city_names[*grant.city] + ")";
        }
        web::table_cell(main, roles);
        web::table_cell(main, call.text(!user.active ? "admin.status_inactive"
                                                     : (user.has_password ? "admin.status_active" : "admin.status_invited")));
      });
    }
  }, "kern-table--striped");
  return page(call, services, std::string(call.text("admin.users_title")), std::move(main));
}

http::Response new_user_form(Call& call, const Services& services) {
  return user_form_page(call, services, std::nullopt, {}, {}, {}, 200);
}

http::Response create_user(Call& call, const Services& services) {
  auto form = read_user_form(call);
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  FormErrors errors;
  auto grants = read_grants(call, *cities);
  if (!grants) {
    errors.add(call, grants.error());
    return user_form_page(call, services, std::nullopt, form, errors, {}, 422);
  }
  form.grants = *grants;
  auto created = services.auth.create_user(
      {.username = form.username, .display_name = form.display_name, .email = form.email, .grants = form.grants},
      request_context(call));
  if (!created) {
    if (created.error().code != ErrorCode::invalid_input && created.error().code != ErrorCode::conflict) {
      return failure(call, services, created.error());
    }
    errors.add(call, created.error());
    return user_form_page(call, services, std::nullopt, form, errors, {}, 422);
  }
  auto user = services.auth.user(*created);
  if (!user) return failure(call, services, user.error());
  form.active = true;
  return user_form_page(call, services, *created, form, {}, invitation_notice(call, services, *user), 201);
}

http::Response user_form(Call& call, const Services& services) {
  const auto id = user_id_param(call);
  if (!id) return error_response(call, services, 404);
  auto user = services.auth.user(*id);
  if (!user) return failure(call, services, user.error());
  UserForm form{user->username, user->display_name, user->email, user->active, user->grants};
  return user_form_page(call, services, *id, form, {}, {}, 200);
}

http::Response update_user(Call& call, const Services& services) {
  const auto id = user_id_param(call);
  if (!id) return error_response(call, services, 404);
  auto user = services.auth.user(*id);
  if (!user) return failure(call, services, user.error());
  auto form = read_user_form(call);
  form.username = user->username;
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  FormErrors errors;
  auto grants = read_grants(call, *cities);
  if (grants) form.grants = *grants;
  if (!grants) {
    errors.add(call, grants.error());
    return user_form_page(call, services, *id, form, errors, {}, 422);
  }
  auto done = services.auth.update_user(
      *id, {.username = user->username, .display_name = form.display_name, .email = form.email, .grants = form.grants},
      form.active, request_context(call));
  if (!done) {
    if (done.error().code != ErrorCode::invalid_input && done.error().code != ErrorCode::conflict) {
      return failure(call, services, done.error());
    }
    errors.add(call, done.error());
    return user_form_page(call, services, *id, form, errors, {}, 422);
  }
  Html notice;
  web::alert(notice, "success", std::string(call.text("admin.saved")));
  return user_form_page(call, services, *id, form, {}, std::move(notice), 200);
}

http::Response invite_user(Call& call, const Services& services) {
  const auto id = user_id_param(call);
  if (!id) return error_response(call, services, 404);
  auto user = services.auth.user(*id);
  if (!user) return failure(call, services, user.error());
  UserForm form{user->username, user->display_name, user->email, user->active, user->grants};
  return user_form_page(call, services, *id, form, {}, invitation_notice(call, services, *user), 200);
}

http::Response admin_cities_page(Call& call, const Services& services) {
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  Html main;
  heading(main, call.text("admin.cities_title"));
  main.nest("ul", {{"class", "kern-list"}}, [&] {
    for (const auto& city : *cities) {
      main.nest("li", {}, [&] {
        main.element("a", {{"class", "kern-link"}, {"href", link(call, "/verwaltung/staedte/" + city.slug)}}, city.name);
      });
    }
  });
  return page(call, services, std::string(call.text("admin.cities_title")), std::move(main));
}

http::Response admin_city_form(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["slug"]);
  if (!city) return failure(call, services, city.error());
  auto note = services.cooperation.internal_note(city->id);
  if (!note) return failure(call, services, note.error());
  CityInput values{{city->name, city->ki_name, city->ki_contact, city->ki_url, *note, city->memberships}, {}};
  for (const auto& membership : city->memberships) values.memberships.push_back(input_of(membership));
  return city_form_page(call, services, *city, values, {}, false, 200);
}

http::Response update_city(Call& call, const Services& services) {
  auto city = services.cooperation.city(call.params["slug"]);
  if (!city) return failure(call, services, city.error());
  FormErrors errors;
  auto input = read_city_form(call, *city, errors);
  if (errors.empty()) {
    const cooperation::Actor actor{call.principal->user_id, call.principal->username, call.request.request_id};
    auto done = services.cooperation.update_city(city->slug, input.changes, actor);
    if (done) {
      input.memberships.clear();
      for (const auto& membership : input.changes.memberships) input.memberships.push_back(input_of(membership));
      return city_form_page(call, services, *city, input, {}, true, 200);
    }
    if (done.error().code != ErrorCode::invalid_input) return failure(call, services, done.error());
    errors.add(call, done.error());
  }
  return city_form_page(call, services, *city, input, errors, false, 422);
}

http::Response audit_page(Call& call, const Services& services) {
  const auto query = query_parameters(call);
  const auto value = [&](const char* name) {
    const auto found = query.find(name);
    return found == query.end() ? std::string() : std::string(text::trim(found->second));
  };
  audit::Filter filter;
  FormErrors errors;
  if (!value("aktion").empty()) filter.action_prefix = value("aktion");
  if (!value("wer").empty()) filter.actor_name = value("wer");
  if (!value("objekt").empty()) filter.entity = value("objekt");
  if (!value("von").empty()) {
    filter.from = parse_day(value("von"), false);
    if (!filter.from) errors.add("von", std::string(call.text("form.invalid_date")));
  }
  if (!value("bis").empty()) {
    filter.to = parse_day(value("bis"), true);
    if (!filter.to) errors.add("bis", std::string(call.text("form.invalid_date")));
  }
  if (const auto before = text::parse_int(value("vor")); before && *before > 0) filter.before_id = *before;
  std::vector<audit::Entry> entries;
  if (errors.empty()) {
    auto listed = audit::list(services.storage, filter);
    if (!listed) return failure(call, services, listed.error());
    entries = std::move(*listed);
  }
  Html main;
  heading(main, call.text("audit.title"));
  web::error_summary(main, call.language, errors.all());
  main.nest("form", {{"method", "get"}, {"action", link(call, "/verwaltung/protokoll")}, {"class", "audit-filter"}}, [&] {
    web::input_field(main, {.name = "aktion", .label = std::string(call.text("audit.action")), .value = value("aktion"), .max_length = 100});
    web::input_field(main, {.name = "wer", .label = std::string(call.text("audit.actor")), .value = value("wer"), .max_length = 64});
    web::input_field(main, {.name = "objekt", .label = std::string(call.text("audit.entity")), .value = value("objekt"), .max_length = 64});
    web::input_field(main, {.name = "von", .label = std::string(call.text("audit.from")), .value = value("von"),
                            .error = errors.at("von"), .type = "date"});
    web::input_field(main, {.name = "bis", .label = std::string(call.text("audit.to")), .value = value("bis"),
                            .error = errors.at("bis"), .type = "date"});
    web::submit_row(main, call.text("audit.filter"));
  });
  if (entries.empty()) {
    main.element("p", {{"class", "kern-body"}}, call.text("audit.empty"));
  } else {
    std::vector<std::string> headers;
    for (const auto* key : {"audit.when", "audit.actor", "audit.action", "audit.entity", "audit.before", "audit.after"}) {
      headers.emplace_back(call.text(key));
    }
    web::data_table(main, call.text("audit.title"), headers, [&] {
      for (const auto& entry : entries) {
        web::table_row(main, [&] {
          web::table_cell(main, format_utc(entry.at));
          web::table_cell(main, entry.actor_name);
          web::table_cell(main, entry.action);
          web::table_cell(main, entry.entity + " " + entry.entity_id);
          web::table_cell(main, [&] { main.element("code", {{"class", "audit-json"}}, entry.before_json); });
          web::table_cell(main, [&] { main.element("code", {{"class", "audit-json"}}, entry.after_json); });
        });
      }
    }, "kern-table--small audit-table");
    if (static_cast<int>(entries.size()) == filter.limit) {
      auto next = query;
      next["vor"] = std::to_string(entries.back().id);
      std::string target = "/verwaltung/protokoll?";
      for (const auto& [name, text] : next) target += text::percent_encode(name) + "=" + text::percent_encode(text) + "&";
      target.pop_back();
      main.nest("p", {}, [&] { main.element("a", {{"class", "kern-link"}, {"href", link(call, target)}}, call.text("audit.older")); });
    }
  }
  return page(call, services, std::string(call.text("audit.title")), std::move(main));
}

}  // namespace ik::app
