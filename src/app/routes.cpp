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
  // A city's data entry (Städtische Erfassung), plus the office (Access::city admits it).
  const auto city_entry = Access::city({Role::city_entry});

  const auto page = RouteKind::page;
  const auto api = RouteKind::api;
  const auto ops = RouteKind::operations;
  return {
      {Method::get, "/healthz", "ops/healthz", anyone, ops, healthz, false},
      {Method::get, "/readyz", "ops/readyz", anyone, ops, readyz, false},
      // Restricted to the configured scraper addresses inside the handler (no account involved).
      {Method::get, "/metrics", "ops/metrics", anyone, ops, metrics, false},

      {Method::get, "/", "portal/home", anyone, page, home_page},
      // Before the portal's "/aktuelles/{slug}" and "/termine/{slug}": the first match wins.
      {Method::get, "/suche", "search/page", anyone, page, search_page},
      {Method::get, "/aktuelles/feed.atom", "search/news_atom", anyone, page, news_atom},
      {Method::get, "/aktuelles/feed.rss", "search/news_rss", anyone, page, news_rss},
      {Method::get, "/termine.ics", "search/events_ics", anyone, page, events_calendar},
      {Method::get, "/termine/{slug}/kalender.ics", "search/event_ics", anyone, page, event_calendar},
      {Method::get, "/sitemap.xml", "search/sitemap", anyone, page, sitemap, false},
      {Method::get, "/robots.txt", "search/robots", anyone, page, robots, false},
      {Method::get, "/kooperation", "portal/cooperation", anyone, page, cooperation_page},
      {Method::get, "/mitgliedsstaedte", "portal/cities", anyone, page, cities_page},
      {Method::get, "/mitgliedsstaedte/{slug}", "portal/city", anyone, page, city_page},
      {Method::get, "/themen", "portal/themes", anyone, page, themes_page},
      {Method::get, "/gremien", "portal/bodies", anyone, page, bodies_page},
      {Method::get, "/publikationen", "portal/publications", anyone, page, publications_page},
      {Method::get, "/staedte/{city}/intern", "city/internal", own_city, page, city_internal_page},

      {Method::get, "/aktuelles", "portal/news", anyone, page, news_page},
      {Method::get, "/aktuelles/{slug}", "portal/news_item", anyone, page, news_item_page},
      {Method::get, "/termine", "portal/events", anyone, page, events_page},
      {Method::get, "/termine/{slug}", "portal/event", anyone, page, event_page},
      {Method::get, "/partner", "portal/partners", anyone, page, partners_page},
      {Method::get, "/themen/{slug}", "portal/theme", anyone, page, theme_page},
      {Method::get, "/seiten/{slug}", "portal/page", anyone, page, content_page},
      {Method::get, "/kontakt", "portal/contact", anyone, page, contact_page},
      {Method::get, "/impressum", "portal/imprint", anyone, page, imprint_page},
      {Method::get, "/datenschutz", "portal/privacy", anyone, page, privacy_page},
      {Method::get, "/barrierefreiheit", "portal/accessibility", anyone, page, accessibility_page},
      {Method::post, "/barrierefreiheit", "portal/accessibility_feedback", anyone, page, accessibility_feedback},
      {Method::get, "/leichte-sprache", "portal/easy_language", anyone, page, easy_language_page},
      {Method::get, "/gebaerdensprache", "portal/sign_language", anyone, page, sign_language_page},
      {Method::get, "/dateien/{sha256}", "portal/file", anyone, page, file_download, false},

      {Method::get, "/redaktion", "editorial/home", office_or_admin, page, editorial_home},
      {Method::get, "/redaktion/inhalte/{art}", "editorial/list", office_or_admin, page, editorial_list},
      {Method::get, "/redaktion/inhalte/{art}/neu", "editorial/new_form", office_or_admin, page, editorial_new_form},
      {Method::post, "/redaktion/inhalte/{art}/neu", "editorial/create", office_or_admin, page, editorial_create},
      {Method::get, "/redaktion/eintrag/{id}", "editorial/edit_form", office_or_admin, page, editorial_edit_form},
      {Method::post, "/redaktion/eintrag/{id}", "editorial/update", office_or_admin, page, editorial_update},
      {Method::get, "/redaktion/eintrag/{id}/vorschau", "editorial/preview", office_or_admin, page, editorial_preview},
      {Method::post, "/redaktion/eintrag/{id}/veroeffentlichen", "editorial/publish", office_or_admin, page, editorial_publish},
      {Method::post, "/redaktion/eintrag/{id}/zuruecknehmen", "editorial/unpublish", office_or_admin, page, editorial_unpublish},
      {Method::get, "/redaktion/eintrag/{id}/versionen/{nummer}", "editorial/revision", office_or_admin, page, editorial_revision},
      {Method::post, "/redaktion/eintrag/{id}/versionen/{nummer}/wiederherstellen", "editorial/restore", office_or_admin, page, editorial_restore},
      {Method::post, "/redaktion/eintrag/{id}/datei", "editorial/attach", office_or_admin, page, editorial_attach, true, true},
      {Method::get, "/redaktion/dateien", "editorial/uploads", office_or_admin, page, editorial_uploads},
      {Method::post, "/redaktion/dateien", "editorial/upload", office_or_admin, page, editorial_upload, true, true},
      {Method::get, "/redaktion/rueckmeldungen", "editorial/feedback", office_or_admin, page, editorial_feedback},

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
      // Monitoring import; before any "/staedte/{city}/monitoring/{year}" route (the first match wins).
      {Method::get, "/staedte/{city}/monitoring/import", "monitoring/import_form", city_entry, page, import_form},
      {Method::post, "/staedte/{city}/monitoring/import", "monitoring/import_upload", city_entry, page, import_upload, true, true},
      {Method::post, "/staedte/{city}/monitoring/import/{token}", "monitoring/import_commit", city_entry, page, import_commit},
      {Method::get, "/staedte/{city}/monitoring/{year}/vorlage.csv", "monitoring/template_csv", own_city, page, import_template},
      {Method::get, "/staedte/{city}/monitoring/{year}/vorlage.xlsx", "monitoring/template_xlsx", own_city, page, import_template},
      // Monitoring data entry and workflow; the service checks the role for each step again.
      {Method::get, "/staedte/{city}/monitoring", "monitoring/reports", own_city, page, monitoring_reports_page},
      {Method::get, "/staedte/{city}/monitoring/ziele", "monitoring/targets", own_city, page, monitoring_targets_page},
      {Method::post, "/staedte/{city}/monitoring/ziele", "monitoring/target_save", Access::city({Role::city_approval}),
       page, monitoring_target_save},
      {Method::post, "/staedte/{city}/monitoring/ziele/{id}/loeschen", "monitoring/target_delete",
       Access::city({Role::city_approval}), page, monitoring_target_delete},
      {Method::get, "/staedte/{city}/monitoring/{year}", "monitoring/report", own_city, page, monitoring_report_page},
      {Method::post, "/staedte/{city}/monitoring/{year}", "monitoring/report_save", city_entry, page, monitoring_report_save},
      {Method::post, "/staedte/{city}/monitoring/{year}/status", "monitoring/report_status",
       Access::city({Role::city_entry, Role::city_approval}), page, monitoring_report_status},
      {Method::get, "/verwaltung/indikatoren", "monitoring/indicators", office_or_admin, page, monitoring_indicators_page},
      {Method::get, "/verwaltung/indikatoren/neu", "monitoring/indicator_new_form", office_or_admin, page, monitoring_indicator_new_form},
      {Method::post, "/verwaltung/indikatoren/neu", "monitoring/indicator_create", office_or_admin, page, monitoring_indicator_create},
      {Method::get, "/verwaltung/indikatoren/{code}", "monitoring/indicator_form", office_or_admin, page, monitoring_indicator_form},
      {Method::post, "/verwaltung/indikatoren/{code}", "monitoring/indicator_save", office_or_admin, page, monitoring_indicator_save},
      {Method::get, "/verwaltung/berichte", "monitoring/waiting_reports", office_or_admin, page, monitoring_waiting_page},
      {Method::get, "/verwaltung/pruefregeln", "monitoring/rules", office_or_admin, page, monitoring_rules_page},
      {Method::post, "/verwaltung/pruefregeln/{id}", "monitoring/rule_update", office_or_admin, page, monitoring_rule_update},
      // Published monitoring figures; "/zahlen/{indicator}" also answers "<code>.csv|.xlsx|.json".
      {Method::get, "/zahlen", "figures/overview", anyone, page, figures_overview},
      // Before "/zahlen/{indicator}" (the first match wins).
      {Method::get, "/zahlen/staedte/{city}", "figures/city", anyone, page, figures_city},
      {Method::get, "/zahlen/{indicator}", "figures/indicator", anyone, page, figures_indicator},
      // The stored suppression plan and audit intervals of a published table: never public.
      {Method::get, "/verwaltung/zahlen/{indicator}/{year}", "figures/plan", office_or_admin, page, figures_plan},
      {Method::get, "/api/v1/indicators", "api/indicators", anyone, api, api_indicators, false},
      {Method::get, "/api/v1/values", "api/values", anyone, api, api_values, false},
  };
}

}  // namespace ik::app
