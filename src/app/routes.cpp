// Every route of the platform and who may use it. A route that is not listed here does not
// exist; a route listed here is reachable only by those its Access admits (deny by default).
#include "app/handlers.hpp"

namespace ik::app {

std::vector<Route> make_routes() {
  using auth::Access;
  using auth::Role;
  using http::Method;
  const auto anyone = Access::anyone();
  const auto signed_in = Access::signed_in();
  const auto admin = Access::roles({Role::admin});
  const auto office_or_admin = Access::roles({Role::office, Role::admin});
  // A city's non-public pages: its own people in any city role, and the office.
  const auto own_city = Access::city({Role::city_entry, Role::city_approval, Role::steering_group, Role::project_group});

  const auto page = RouteKind::page;
  const auto api = RouteKind::api;
  const auto ops = RouteKind::operations;
  return {
      {Method::get, "/healthz", "ops/healthz", anyone, ops, healthz, false},
      {Method::get, "/readyz", "ops/readyz", anyone, ops, readyz, false},
      // Restricted to the configured scraper addresses inside the handler (no account involved).
      {Method::get, "/metrics", "ops/metrics", anyone, ops, metrics, false},

      {Method::get, "/", "portal/home", anyone, page, home_page},
      {Method::get, "/kooperation", "portal/cooperation", anyone, page, cooperation_page},
      {Method::get, "/mitgliedsstaedte", "portal/cities", anyone, page, cities_page},
      {Method::get, "/mitgliedsstaedte/{slug}", "portal/city", anyone, page, city_page},
      {Method::get, "/themen", "portal/themes", anyone, page, themes_page},
      {Method::get, "/gremien", "portal/bodies", anyone, page, bodies_page},
      {Method::get, "/publikationen", "portal/publications", anyone, page, publications_page},
      {Method::get, "/staedte/{city}/intern", "city/internal", own_city, page, city_internal_page},

      {Method::get, "/anmelden", "account/sign_in_form", anyone, page, sign_in_form},
      {Method::post, "/anmelden", "account/sign_in", anyone, page, sign_in},
      {Method::post, "/abmelden", "account/sign_out", anyone, page, sign_out},
      {Method::get, "/bereich", "account/area", signed_in, page, my_area_page},
      {Method::get, "/konto/passwort", "account/password_form", signed_in, page, password_form},
      {Method::post, "/konto/passwort", "account/password", signed_in, page, change_password},
      {Method::get, "/konto/api-schluessel", "account/api_tokens", signed_in, page, api_tokens_page},
      {Method::post, "/konto/api-schluessel", "account/api_token_create", signed_in, page, create_api_token},
      {Method::post, "/konto/api-schluessel/{id}/widerrufen", "account/api_token_revoke", signed_in, page, revoke_api_token},
      {Method::get, "/einladung/{token}", "account/invitation_form", anyone, page, invitation_form},
      {Method::post, "/einladung/{token}", "account/invitation", anyone, page, accept_invitation},

      {Method::get, "/verwaltung/benutzer", "admin/users", admin, page, users_page},
      {Method::get, "/verwaltung/benutzer/neu", "admin/user_new_form", admin, page, new_user_form},
      {Method::post, "/verwaltung/benutzer/neu", "admin/user_create", admin, page, create_user},
      {Method::get, "/verwaltung/benutzer/{id}", "admin/user_form", admin, page, user_form},
      {Method::post, "/verwaltung/benutzer/{id}", "admin/user_update", admin, page, update_user},
      {Method::post, "/verwaltung/benutzer/{id}/einladung", "admin/user_invite", admin, page, invite_user},
      {Method::get, "/verwaltung/staedte", "admin/cities", admin, page, admin_cities_page},
      {Method::get, "/verwaltung/staedte/{slug}", "admin/city_form", admin, page, admin_city_form},
      {Method::post, "/verwaltung/staedte/{slug}", "admin/city_update", admin, page, update_city},
      {Method::get, "/verwaltung/protokoll", "admin/audit", office_or_admin, page, audit_page},

      {Method::get, "/api/v1/openapi.json", "api/openapi", anyone, api, api_openapi, false},
      {Method::get, "/api/v1/cities", "api/cities", anyone, api, api_cities, false},
      {Method::get, "/api/v1/cities/{slug}", "api/city", anyone, api, api_city, false},
      {Method::get, "/api/v1/bodies", "api/bodies", anyone, api, api_bodies, false},
      {Method::get, "/api/v1/themes", "api/themes", anyone, api, api_themes, false},
      {Method::get, "/api/v1/action-goals", "api/action_goals", anyone, api, api_action_goals, false},
      {Method::get, "/api/v1/milestones", "api/milestones", anyone, api, api_milestones, false},
      {Method::get, "/api/v1/publications", "api/publications", anyone, api, api_publications, false},
      {Method::get, "/api/v1/me", "api/me", signed_in, api, api_me, false},
  };
}

}  // namespace ik::app
