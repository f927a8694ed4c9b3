#include <map>

#include "app/frame.hpp"
#include "app/handlers.hpp"
#include "auth/auth.hpp"
#include "cooperation/cooperation.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "web/forms.hpp"

namespace ik::app {
namespace {

using web::Html;
using web::flag;

void heading(Html& html, std::string_view text) { html.element("h1", {{"class", "kern-heading-x-large"}}, text); }

http::Response sign_in_page(Call& call, const Services& services, const std::string& username,
                            const std::string& target, const FormErrors& errors, int status) {
  const auto query = query_parameters(call);
  Html main;
  heading(main, call.text("login.title"));
  if (errors.empty() && query.contains("abgelaufen")) {
    web::alert(main, "info", std::string(call.text("login.session_expired")));
  } else if (errors.empty() && !target.empty()) {
    web::alert(main, "info", std::string(call.text("login.required")));
  }
  web::error_summary(main, call.language, errors.all());
  main.element("p", {{"class", "kern-body"}}, call.text("login.lead"));
  main.nest("form", {{"method", "post"}, {"action", link(call, "/anmelden")}, {"class", "kern-stack form-narrow"}, flag("novalidate")}, [&] {
    web::csrf_field(main, call.csrf());
    main.empty("input", {{"type", "hidden"}, {"name", "weiter"}, {"value", target}});
    web::input_field(main, {.name = "benutzername", .label = std::string(call.text("login.username")), .value = username,
                            .error = errors.at("benutzername"), .autocomplete = "username", .required = true, .max_length = 64});
    web::input_field(main, {.name = "passwort", .label = std::string(call.text("login.password")),
                            .error = errors.at("passwort"), .type = "password", .autocomplete = "current-password",
                            .required = true, .max_length = 256});
    web::submit_row(main, call.text("login.submit"));
  });
  return page(call, services, std::string(call.text("login.title")), std::move(main), status);
}

// The new password and its repetition, as the password change and the invitation ask for them.
void new_password_fields(Html& html, const Call& call, const FormErrors& errors) {
  web::input_field(html, {.name = "passwort_neu", .label = std::string(call.text("password.new")),
                          .error = errors.at("passwort_neu"), .hint = std::string(call.text("password.new_hint")),
                          .type = "password", .autocomplete = "new-password", .required = true, .max_length = 256});
  web::input_field(html, {.name = "passwort_wiederholung", .label = std::string(call.text("password.repeat")),
                          .error = errors.at("passwort_wiederholung"), .type = "password",
                          .autocomplete = "new-password", .required = true, .max_length = 256});
}

http::Response password_page(Call& call, const Services& services, const FormErrors& errors, bool changed, int status) {
  Html main;
  heading(main, call.text("password.title"));
  if (changed) web::alert(main, "success", std::string(call.text("password.changed")));
  web::error_summary(main, call.language, errors.all());
  main.nest("form", {{"method", "post"}, {"action", link(call, "/konto/passwort")}, {"class", "kern-stack form-narrow"}, flag("novalidate")}, [&] {
    web::csrf_field(main, call.csrf());
    web::input_field(main, {.name = "passwort_aktuell", .label = std::string(call.text("password.current")),
                            .error = errors.at("passwort_aktuell"), .type = "password",
                            .autocomplete = "current-password", .required = true, .max_length = 256});
    new_password_fields(main, call, errors);
    web::submit_row(main, call.text("password.submit"));
  });
  return page(call, services, std::string(call.text("password.title")), std::move(main), status);
}

http::Response invitation_page(Call& call, const Services& services, const std::string& username,
                               const FormErrors& errors, int status) {
  Html main;
  heading(main, call.text("invitation.title"));
  main.element("p", {{"class", "kern-body"}}, web::message_with(call.language, "invitation.lead", {{"username", username}}));
  web::error_summary(main, call.language, errors.all());
  main.nest("form", {{"method", "post"}, {"action", link(call, "/einladung/" + call.params["token"])},
                     {"class", "kern-stack form-narrow"}, flag("novalidate")}, [&] {
    web::csrf_field(main, call.csrf());
    // Lets password managers store the new password under the right name.
    main.empty("input", {{"type", "hidden"}, {"name", "benutzername"}, {"value", username}, {"autocomplete", "username"}});
    new_password_fields(main, call, errors);
    web::submit_row(main, call.text("password.submit"));
  });
  return page(call, services, std::string(call.text("invitation.title")), std::move(main), status);
}

http::Response message_page(Call& call, const Services& services, std::string_view title_key, std::string_view kind,
                            std::string_view text_key, int status) {
  Html main;
  heading(main, call.text(title_key));
  web::alert(main, kind, std::string(call.text(text_key)));
  main.nest("p", {}, [&] {
    main.element("a", {{"class", "kern-link"}, {"href", link(call, "/anmelden")}}, call.text("nav.sign_in"));
  });
  return page(call, services, std::string(call.text(title_key)), std::move(main), status);
}

}  // namespace

http::Response sign_in_form(Call& call, const Services& services) {
  const auto query = query_parameters(call);
  const auto target = query.contains("weiter") ? query.at("weiter") : std::string();
  if (call.principal != nullptr) return http::Response::redirect(safe_local_target(target, link(call, "/bereich")));
  return sign_in_page(call, services, "", target, {}, 200);
}

http::Response sign_in(Call& call, const Services& services) {
  const auto& username = call.field("benutzername");
  const auto& target = call.field("weiter");
  FormErrors errors;
  if (username.empty()) errors.add("benutzername", std::string(call.text("form.required")));
  if (call.field("passwort").empty()) errors.add("passwort", std::string(call.text("form.required")));
  if (!errors.empty()) return sign_in_page(call, services, username, target, errors, 422);

  auto session = services.auth.sign_in(username, call.field("passwort"), request_context(call));
  if (!session) {
    const auto& error = session.error();
    if (error.code != ErrorCode::invalid_input) return failure(call, services, error);
    errors.add(call, error);
    const int status = error.message_key == "auth.login_throttled" ? 429 : 401;
    return sign_in_page(call, services, username, target, errors, status);
  }
  auto response = http::Response::redirect(safe_local_target(target, link(call, "/bereich")));
  response.add_header("Set-Cookie", cookie_for(call, kSessionCookie, session->id));
  // A fresh anti-forgery token with the fresh session: nothing planted before sign-in survives it.
  call.csrf_token.clear();
  response.add_header("Set-Cookie", cookie_for(call, kCsrfCookie, call.csrf()));
  call.issue_csrf_cookie = false;
  return response;
}

http::Response sign_out(Call& call, const Services& services) {
  if (!call.session_id.empty()) {
    if (auto done = services.auth.sign_out(call.session_id, request_context(call)); !done) {
      return failure(call, services, done.error());
    }
  }
  auto response = http::Response::redirect(link(call, "/"));
  response.add_header("Set-Cookie", cookie_for(call, kSessionCookie, "", 0));
  return response;
}

namespace {

// Where each role's work starts, so nobody has to know an address by heart.
void task_links(Html& main, const Call& call, const std::vector<cooperation::City>& cities) {
  const auto& principal = *call.principal;
  std::vector<std::pair<std::string, std::string>> links;  // (path, text)
  for (const auto& city : cities) {
    const auto base = "/staedte/" + city.slug + "/monitoring";
    if (principal.has_for_city(auth::Role::city_entry, city.id) || principal.has_for_city(auth::Role::city_approval, city.id)) {
      links.emplace_back(base, web::message_with(call.language, "area.monitoring_city", {{"city", city.name}}));
    }
    if (principal.has_for_city(auth::Role::city_entry, city.id)) {
      links.emplace_back(base + "/import", web::message_with(call.language, "area.import_city", {{"city", city.name}}));
    }
  }
  if (principal.has(auth::Role::office) || principal.has(auth::Role::admin)) {
    links.emplace_back("/verwaltung/berichte", std::string(call.text("area.waiting_reports")));
    links.emplace_back("/verwaltung/indikatoren", std::string(call.text("area.indicators")));
    links.emplace_back("/verwaltung/pruefregeln", std::string(call.text("area.rules")));
    links.emplace_back("/redaktion", std::string(call.text("area.editorial")));
  }
  links.emplace_back("/zahlen", std::string(call.text("area.figures")));
  main.element("h2", {{"class", "kern-heading-medium"}}, call.text("area.tasks"));
  main.nest("ul", {{"class", "kern-list"}}, [&] {
    for (const auto& [path, text] : links) {
      main.nest("li", {}, [&] { main.element("a", {{"class", "kern-link"}, {"href", link(call, path)}}, text); });
    }
  });
  if (!principal.sees_all_cities()) return;
  main.element("h3", {{"class", "kern-heading-small"}}, call.text("area.monitoring_all"));
  main.nest("ul", {{"class", "kern-list"}}, [&] {
    for (const auto& city : cities) {
      main.nest("li", {}, [&] {
        main.element("a", {{"class", "kern-link"}, {"href", link(call, "/staedte/" + city.slug + "/monitoring")}}, city.name);
      });
    }
  });
}

}  // namespace

http::Response my_area_page(Call& call, const Services& services) {
  auto cities = services.cooperation.cities();
  if (!cities) return failure(call, services, cities.error());
  std::map<std::int64_t, const cooperation::City*> by_id;
  for (const auto& city : *cities) by_id[city.id] = &city;
  Html main;
  heading(main, call.text("area.title"));
  main.element("p", {{"class", "kern-body kern-body--large"}},
               web::message_with(call.language, "area.welcome", {{"name", call.principal->display_name}}));
  main.element("h2", {{"class", "kern-heading-medium"}}, call.text("area.roles"));
  if (call.principal->grants.empty()) main.element("p", {{"class", "kern-body"}}, call.text("area.no_roles"));
  main.nest("ul", {{"class", "kern-list"}}, [&] {
    for (const auto& grant : call.principal->grants) {
      main.nest("li", {}, [&] {
        main.text(std::string(call.text("role." + std::string(auth::role_name(grant.role)))) + " ");
        const auto city = grant.city ? by_id.find(*grant.city) : by_id.end();
        if (city == by_id.end()) {
          main.text(call.text("area.for_cooperation"));
          return;
        }
        main.text(web::message_with(call.language, "area.for_city", {{"city", city->second->name}}) + " – ");
        main.element("a", {{"class", "kern-link"}, {"href", link(call, "/staedte/" + city->second->slug + "/intern")}},
                     call.text("cities.internal_page"));
      });
    }
  });
  task_links(main, call, *cities);
  return page(call, services, std::string(call.text("area.title")), std::move(main));
}

http::Response password_form(Call& call, const Services& services) { return password_page(call, services, {}, false, 200); }

http::Response change_password(Call& call, const Services& services) {
  FormErrors errors;
  if (call.field("passwort_neu") != call.field("passwort_wiederholung")) {
    errors.add("passwort_wiederholung", std::string(call.text("password.mismatch")));
    return password_page(call, services, errors, false, 422);
  }
  auto done = services.auth.change_password(call.principal->user_id, call.field("passwort_aktuell"),
                                            call.field("passwort_neu"), call.session_id, request_context(call));
  if (!done) {
    if (done.error().code != ErrorCode::invalid_input) return failure(call, services, done.error());
    errors.add(call, done.error());
    return password_page(call, services, errors, false, 422);
  }
  return password_page(call, services, {}, true, 200);
}

http::Response invitation_form(Call& call, const Services& services) {
  auto user = services.auth.invitation_user(call.params["token"]);
  if (!user) {
    if (user.error().code == ErrorCode::unavailable) return failure(call, services, user.error());
    return message_page(call, services, "invitation.title", "danger", "invitation.invalid", 404);
  }
  return invitation_page(call, services, user->username, {}, 200);
}

http::Response accept_invitation(Call& call, const Services& services) {
  auto user = services.auth.invitation_user(call.params["token"]);
  if (!user) {
    if (user.error().code == ErrorCode::unavailable) return failure(call, services, user.error());
    return message_page(call, services, "invitation.title", "danger", "invitation.invalid", 404);
  }
  FormErrors errors;
  if (call.field("passwort_neu") != call.field("passwort_wiederholung")) {
    errors.add("passwort_wiederholung", std::string(call.text("password.mismatch")));
    return invitation_page(call, services, user->username, errors, 422);
  }
  auto done = services.auth.accept_invitation(call.params["token"], call.field("passwort_neu"), request_context(call));
  if (!done) {
    if (done.error().code != ErrorCode::invalid_input) return failure(call, services, done.error());
    errors.add(call, done.error());
    return invitation_page(call, services, user->username, errors, 422);
  }
  return message_page(call, services, "invitation.title", "success", "invitation.done", 200);
}

namespace {

// The token page: the user's keys with a revoke button each, the form for a new one and, right
// after creating one, the new key (shown this once).
http::Response tokens_page(Call& call, const Services& services, const FormErrors& errors, const std::string& label,
                           const std::string& new_token, std::string_view notice_key, int status) {
  auto tokens = services.auth.list_api_tokens(call.principal->user_id);
  if (!tokens) return failure(call, services, tokens.error());
  Html main;
  heading(main, call.text("api_tokens.title"));
  if (!notice_key.empty()) web::alert(main, "success", std::string(call.text(notice_key)));
  if (!new_token.empty()) {
    main.element("p", {{"class", "kern-body"}}, call.text("api_tokens.created"));
    main.element("pre", {{"class", "token-display"}}, new_token);
  }
  main.element("p", {{"class", "kern-body"}}, call.text("api_tokens.lead"));
  if (!tokens->empty()) {
    const std::vector<std::string> headers{std::string(call.text("api_tokens.label")), std::string(call.text("api_tokens.created_at")),
                                           std::string(call.text("api_tokens.last_used")), std::string(call.text("api_tokens.actions"))};
    web::data_table(main, call.text("api_tokens.title"), headers, [&] {
      for (const auto& token : *tokens) {
        web::table_row(main, [&] {
          web::table_cell(main, token.label);
          web::table_cell(main, format_utc(token.created_at));
          web::table_cell(main, token.last_used_at ? format_utc(*token.last_used_at) : std::string("–"));
          web::table_cell(main, [&] {
            main.nest("form", {{"method", "post"}, {"action", link(call, "/konto/api-schluessel/" + std::to_string(token.id) + "/widerrufen")}}, [&] {
              web::csrf_field(main, call.csrf());
              web::submit_button(main, call.text("api_tokens.revoke"), "secondary", "x-small",
                                 web::message_with(call.language, "api_tokens.revoke_named", {{"label", token.label}}));
            });
          });
        });
      }
    });
  }
  web::error_summary(main, call.language, errors.all());
  main.nest("form", {{"method", "post"}, {"action", link(call, "/konto/api-schluessel")}, {"class", "kern-stack form-narrow"}, flag("novalidate")}, [&] {
    web::csrf_field(main, call.csrf());
    web::input_field(main, {.name = "bezeichnung", .label = std::string(call.text("api_tokens.label")), .value = label,
                            .error = errors.at("bezeichnung"), .required = true, .max_length = 100});
    web::submit_row(main, call.text("api_tokens.create"));
  });
  return page(call, services, std::string(call.text("api_tokens.title")), std::move(main), status);
}

}  // namespace

http::Response api_tokens_page(Call& call, const Services& services) {
  return tokens_page(call, services, {}, "", "", {}, 200);
}

http::Response create_api_token(Call& call, const Services& services) {
  const auto label = std::string(text::trim(call.field("bezeichnung")));
  auto token = services.auth.create_api_token(call.principal->user_id, label, request_context(call));
  if (!token) {
    if (token.error().code != ErrorCode::invalid_input) return failure(call, services, token.error());
    FormErrors errors;
    errors.add(call, token.error());
    return tokens_page(call, services, errors, label, "", {}, 422);
  }
  return tokens_page(call, services, {}, "", *token, {}, 201);
}

http::Response revoke_api_token(Call& call, const Services& services) {
  const auto id = text::parse_int(call.params["id"]);
  if (!id) return error_response(call, services, 404);
  // Another user's token looks exactly like a missing one.
  if (auto done = services.auth.revoke_api_token(call.principal->user_id, *id, request_context(call)); !done) {
    return failure(call, services, done.error());
  }
  return tokens_page(call, services, {}, "", "", "api_tokens.revoked", 200);
}

}  // namespace ik::app
