// The route handlers, grouped by area. Each is thin: read the call, ask a capability, render.
#pragma once

#include "app/site.hpp"

namespace ik::app {

// Operations (ops.cpp)
http::Response healthz(Call& call, const Services& services);
http::Response readyz(Call& call, const Services& services);
http::Response metrics(Call& call, const Services& services);

// Public portal (pages_public.cpp)
http::Response home_page(Call& call, const Services& services);
http::Response cooperation_page(Call& call, const Services& services);
http::Response cities_page(Call& call, const Services& services);
http::Response city_page(Call& call, const Services& services);
http::Response themes_page(Call& call, const Services& services);
http::Response bodies_page(Call& call, const Services& services);
http::Response publications_page(Call& call, const Services& services);
http::Response city_internal_page(Call& call, const Services& services);

// Portal content (pages_portal.cpp)
http::Response news_page(Call& call, const Services& services);
http::Response news_item_page(Call& call, const Services& services);
http::Response events_page(Call& call, const Services& services);
http::Response event_page(Call& call, const Services& services);
http::Response partners_page(Call& call, const Services& services);
http::Response theme_page(Call& call, const Services& services);
http::Response content_page(Call& call, const Services& services);
http::Response contact_page(Call& call, const Services& services);
http::Response imprint_page(Call& call, const Services& services);
http::Response privacy_page(Call& call, const Services& services);
http::Response accessibility_page(Call& call, const Services& services);
http::Response accessibility_feedback(Call& call, const Services& services);
http::Response easy_language_page(Call& call, const Services& services);
http::Response sign_language_page(Call& call, const Services& services);
http::Response file_download(Call& call, const Services& services);

// Editorial back office (pages_editorial.cpp)
http::Response editorial_home(Call& call, const Services& services);
http::Response editorial_list(Call& call, const Services& services);
http::Response editorial_new_form(Call& call, const Services& services);
http::Response editorial_create(Call& call, const Services& services);
http::Response editorial_edit_form(Call& call, const Services& services);
http::Response editorial_update(Call& call, const Services& services);
http::Response editorial_preview(Call& call, const Services& services);
http::Response editorial_publish(Call& call, const Services& services);
http::Response editorial_unpublish(Call& call, const Services& services);
http::Response editorial_revision(Call& call, const Services& services);
http::Response editorial_restore(Call& call, const Services& services);
http::Response editorial_attach(Call& call, const Services& services);
http::Response editorial_uploads(Call& call, const Services& services);
http::Response editorial_upload(Call& call, const Services& services);
http::Response editorial_feedback(Call& call, const Services& services);

// Search, feeds, calendars, sitemap (pages_search.cpp)
http::Response search_page(Call& call, const Services& services);
http::Response news_atom(Call& call, const Services& services);
http::Response news_rss(Call& call, const Services& services);
http::Response events_calendar(Call& call, const Services& services);
http::Response event_calendar(Call& call, const Services& services);
http::Response sitemap(Call& call, const Services& services);
http::Response robots(Call& call, const Services& services);

// Sign-in and account (pages_account.cpp)
http::Response sign_in_form(Call& call, const Services& services);
http::Response sign_in(Call& call, const Services& services);
http::Response sign_out(Call& call, const Services& services);
http::Response my_area_page(Call& call, const Services& services);
http::Response password_form(Call& call, const Services& services);
http::Response change_password(Call& call, const Services& services);
http::Response invitation_form(Call& call, const Services& services);
http::Response accept_invitation(Call& call, const Services& services);
http::Response api_tokens_page(Call& call, const Services& services);
http::Response create_api_token(Call& call, const Services& services);
http::Response revoke_api_token(Call& call, const Services& services);

// Administration (pages_admin.cpp)
http::Response users_page(Call& call, const Services& services);
http::Response new_user_form(Call& call, const Services& services);
http::Response create_user(Call& call, const Services& services);
http::Response user_form(Call& call, const Services& services);
http::Response update_user(Call& call, const Services& services);
http::Response invite_user(Call& call, const Services& services);
http::Response admin_cities_page(Call& call, const Services& services);
http::Response admin_city_form(Call& call, const Services& services);
http::Response update_city(Call& call, const Services& services);
http::Response audit_page(Call& call, const Services& services);

// API (api.cpp)
http::Response api_openapi(Call& call, const Services& services);
http::Response api_cities(Call& call, const Services& services);
http::Response api_city(Call& call, const Services& services);
http::Response api_bodies(Call& call, const Services& services);
http::Response api_themes(Call& call, const Services& services);
http::Response api_action_goals(Call& call, const Services& services);
http::Response api_milestones(Call& call, const Services& services);
http::Response api_publications(Call& call, const Services& services);
http::Response api_me(Call& call, const Services& services);

// Published monitoring figures (pages_figures.cpp, api_figures.cpp). /zahlen/{indicator} serves
// the benchmarking page, or with ".csv", ".xlsx" or ".json" appended the export.
http::Response figures_overview(Call& call, const Services& services);
http::Response figures_indicator(Call& call, const Services& services);
http::Response figures_city(Call& call, const Services& services);
http::Response figures_plan(Call& call, const Services& services);
http::Response figures_json_export(Call& call, const Services& services, const std::string& indicator);
http::Response api_indicators(Call& call, const Services& services);
http::Response api_values(Call& call, const Services& services);

// Monitoring data: a city's reports, the data-entry grid and workflow of one year; the office's
// indicator catalogue, validation rules and list of waiting reports (pages_monitoring.cpp).
http::Response monitoring_reports_page(Call& call, const Services& services);
http::Response monitoring_report_page(Call& call, const Services& services);
http::Response monitoring_report_save(Call& call, const Services& services);
http::Response monitoring_report_status(Call& call, const Services& services);
http::Response monitoring_targets_page(Call& call, const Services& services);
http::Response monitoring_target_save(Call& call, const Services& services);
http::Response monitoring_target_delete(Call& call, const Services& services);
http::Response monitoring_indicators_page(Call& call, const Services& services);
http::Response monitoring_indicator_new_form(Call& call, const Services& services);
http::Response monitoring_indicator_create(Call& call, const Services& services);
http::Response monitoring_indicator_form(Call& call, const Services& services);
http::Response monitoring_indicator_save(Call& call, const Services& services);
http::Response monitoring_rules_page(Call& call, const Services& services);
http::Response monitoring_rule_update(Call& call, const Services& services);
// Every city's reports waiting for approval or publication (office and admin).
http::Response monitoring_waiting_page(Call& call, const Services& services);

// Monitoring import (pages_import.cpp): upload form, preview, commit; templates for a year
// ("…/{year}/vorlage.csv" and ".xlsx", the format from the path).
http::Response import_form(Call& call, const Services& services);
http::Response import_upload(Call& call, const Services& services);
http::Response import_commit(Call& call, const Services& services);
http::Response import_template(Call& call, const Services& services);

}  // namespace ik::app
