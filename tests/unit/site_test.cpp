#include <algorithm>
#include <set>

#include "gunzip.hpp"
#include "site_fixture.hpp"

namespace ik::testing {
namespace {

using http::Method;

const std::vector<std::string> kRoles = {"anonymous", "admin", "office", "bochum_entry", "dortmund_approval",
                                         "steering_bochum", "project"};

std::set<std::string> everyone() { return {kRoles.begin(), kRoles.end()}; }
std::set<std::string> signed_in() { return {kRoles.begin() + 1, kRoles.end()}; }

struct Probe {
  Method method;
  std::string target;
  std::string route;
  std::set<std::string> allowed;
};

// The specification of who may use what, written out by hand: it is what the route table must
// implement, not a copy of it.
std::vector<Probe> probes() {
  const std::set<std::string> admin{"admin"};
  return {
      {Method::get, "/healthz", "ops/healthz", everyone()},
      {Method::get, "/readyz", "ops/readyz", everyone()},
      {Method::get, "/metrics", "ops/metrics", everyone()},
      {Method::get, "/", "portal/home", everyone()},
      {Method::get, "/suche?q=Verwaltung", "search/page", everyone()},
      {Method::get, "/aktuelles/feed.atom", "search/news_atom", everyone()},
      {Method::get, "/aktuelles/feed.rss", "search/news_rss", everyone()},
      {Method::get, "/termine.ics", "search/events_ics", everyone()},
      {Method::get, "/termine/unbekannt/kalender.ics", "search/event_ics", everyone()},
      {Method::get, "/sitemap.xml", "search/sitemap", everyone()},
      {Method::get, "/robots.txt", "search/robots", everyone()},
      {Method::get, "/kooperation", "portal/cooperation", everyone()},
      {Method::get, "/mitgliedsstaedte", "portal/cities", everyone()},
      {Method::get, "/mitgliedsstaedte/hagen", "portal/city", everyone()},
      {Method::get, "/themen", "portal/themes", everyone()},
      {Method::get, "/gremien", "portal/bodies", everyone()},
      {Method::get, "/publikationen", "portal/publications", everyone()},
      {Method::get, "/staedte/bochum/intern", "city/internal", {"admin", "office", "bochum_entry", "steering_bochum"}},
      {Method::get, "/staedte/dortmund/intern", "city/internal", {"admin", "office", "dortmund_approval"}},
      {Method::get, "/staedte/hagen/intern", "city/internal", {"admin", "office"}},
      {Method::get, "/anmelden", "account/sign_in_form", everyone()},
      {Method::post, "/anmelden", "account/sign_in", everyone()},
      {Method::get, "/bereich", "account/area", signed_in()},
      {Method::get, "/konto/passwort", "account/password_form", signed_in()},
      {Method::post, "/konto/passwort", "account/password", signed_in()},
      {Method::get, "/konto/api-schluessel", "account/api_tokens", signed_in()},
      {Method::post, "/konto/api-schluessel", "account/api_token_create", signed_in()},
      {Method::post, "/konto/api-schluessel/999/widerrufen", "account/api_token_revoke", signed_in()},
      {Method::get, "/einladung/unbekannt", "account/invitation_form", everyone()},
      {Method::post, "/einladung/unbekannt", "account/invitation", everyone()},
      {Method::get, "/verwaltung/benutzer", "admin/users", admin},
      {Method::get, "/verwaltung/benutzer/neu", "admin/user_new_form", admin},
      {Method::post, "/verwaltung/benutzer/neu", "admin/user_create", admin},
      {Method::get, "/verwaltung/benutzer/1", "admin/user_form", admin},
      {Method::post, "/verwaltung/benutzer/1", "admin/user_update", admin},
      {Method::post, "/verwaltung/benutzer/1/einladung", "admin/user_invite", admin},
      {Method::get, "/verwaltung/staedte", "admin/cities", admin},
      {Method::get, "/verwaltung/staedte/bochum", "admin/city_form", admin},
      {Method::post, "/verwaltung/staedte/bochum", "admin/city_update", admin},
      {Method::get, "/verwaltung/protokoll", "admin/audit", {"admin", "office"}},
      {Method::get, "/api/v1/openapi.json", "api/openapi", everyone()},
      {Method::get, "/api/v1/cities", "api/cities", everyone()},
      {Method::get, "/api/v1/cities/bottrop", "api/city", everyone()},
      {Method::get, "/api/v1/bodies", "api/bodies", everyone()},
      {Method::get, "/api/v1/themes", "api/themes", everyone()},
      {Method::get, "/api/v1/action-goals", "api/action_goals", everyone()},
      {Method::get, "/api/v1/milestones", "api/milestones", everyone()},
      {Method::get, "/api/v1/publications", "api/publications", everyone()},
      {Method::get, "/api/v1/me", "api/me", signed_in()},
      {Method::get, "/zahlen", "figures/overview", everyone()},
      {Method::get, "/zahlen/staff", "figures/indicator", everyone()},
      {Method::get, "/zahlen/staff.csv", "figures/indicator", everyone()},
      {Method::get, "/zahlen/staff.xlsx", "figures/indicator", everyone()},
      {Method::get, "/zahlen/staff.json", "figures/indicator", everyone()},
      {Method::get, "/zahlen/staedte/bochum", "figures/city", everyone()},
      {Method::get, "/zahlen/staedte/hagen", "figures/city", everyone()},
      // The suppression plan with its audit intervals: the office only, never a city role.
      {Method::get, "/verwaltung/zahlen/staff/2024", "figures/plan", {"admin", "office"}},
      {Method::get, "/api/v1/indicators", "api/indicators", everyone()},
      {Method::get, "/api/v1/values?indicator=staff", "api/values", everyone()},
      {Method::get, "/staedte/bochum/monitoring/import", "monitoring/import_form", {"admin", "office", "bochum_entry"}},
      {Method::post, "/staedte/bochum/monitoring/import", "monitoring/import_upload", {"admin", "office", "bochum_entry"}},
      {Method::post, "/staedte/dortmund/monitoring/import", "monitoring/import_upload", {"admin", "office"}},
      {Method::post, "/staedte/bochum/monitoring/import/unbekannt", "monitoring/import_commit", {"admin", "office", "bochum_entry"}},
      {Method::get, "/staedte/bochum/monitoring/2024/vorlage.csv", "monitoring/template_csv",
       {"admin", "office", "bochum_entry", "steering_bochum"}},
      {Method::get, "/staedte/dortmund/monitoring/2024/vorlage.xlsx", "monitoring/template_xlsx",
       {"admin", "office", "dortmund_approval"}},
      // Monitoring data: the route admits the city's people and the office; the service refuses
      // every step to anyone without the step's role for that city (office included for entry).
      {Method::get, "/staedte/bochum/monitoring", "monitoring/reports", {"admin", "office", "bochum_entry", "steering_bochum"}},
      {Method::get, "/staedte/dortmund/monitoring", "monitoring/reports", {"admin", "office", "dortmund_approval"}},
      {Method::get, "/staedte/bochum/monitoring/2024", "monitoring/report", {"admin", "office", "bochum_entry", "steering_bochum"}},
      {Method::get, "/staedte/dortmund/monitoring/2024", "monitoring/report", {"admin", "office", "dortmund_approval"}},
      {Method::post, "/staedte/bochum/monitoring/2024", "monitoring/report_save", {"bochum_entry"}},
      {Method::post, "/staedte/dortmund/monitoring/2024", "monitoring/report_save", {}},
      {Method::post, "/staedte/bochum/monitoring/2024/status", "monitoring/report_status", {"admin", "office", "bochum_entry"}},
      {Method::post, "/staedte/dortmund/monitoring/2024/status", "monitoring/report_status", {"admin", "office", "dortmund_approval"}},
      {Method::get, "/staedte/bochum/monitoring/ziele", "monitoring/targets", {"admin", "office", "bochum_entry", "steering_bochum"}},
      {Method::post, "/staedte/bochum/monitoring/ziele", "monitoring/target_save", {"admin", "office"}},
      {Method::post, "/staedte/dortmund/monitoring/ziele", "monitoring/target_save", {"admin", "office", "dortmund_approval"}},
      {Method::post, "/staedte/dortmund/monitoring/ziele/999/loeschen", "monitoring/target_delete",
       {"admin", "office", "dortmund_approval"}},
      {Method::get, "/verwaltung/indikatoren", "monitoring/indicators", {"admin", "office"}},
      {Method::get, "/verwaltung/indikatoren/neu", "monitoring/indicator_new_form", {"admin", "office"}},
      {Method::post, "/verwaltung/indikatoren/neu", "monitoring/indicator_create", {"admin", "office"}},
      {Method::get, "/verwaltung/indikatoren/staff", "monitoring/indicator_form", {"admin", "office"}},
      {Method::post, "/verwaltung/indikatoren/staff", "monitoring/indicator_save", {"admin", "office"}},
      {Method::get, "/verwaltung/berichte", "monitoring/waiting_reports", {"admin", "office"}},
      {Method::get, "/verwaltung/pruefregeln", "monitoring/rules", {"admin", "office"}},
      {Method::post, "/verwaltung/pruefregeln/1", "monitoring/rule_update", {"admin", "office"}},
      {Method::get, "/aktuelles", "portal/news", everyone()},
      {Method::get, "/aktuelles/hagen-tritt-bei", "portal/news_item", everyone()},
      {Method::get, "/termine", "portal/events", everyone()},
      {Method::get, "/termine/unbekannt", "portal/event", everyone()},
      {Method::get, "/partner", "portal/partners", everyone()},
      {Method::get, "/themen/unbekannt", "portal/theme", everyone()},
      {Method::get, "/seiten/unbekannt", "portal/page", everyone()},
      {Method::get, "/kontakt", "portal/contact", everyone()},
      {Method::get, "/impressum", "portal/imprint", everyone()},
      {Method::get, "/datenschutz", "portal/privacy", everyone()},
      {Method::get, "/barrierefreiheit", "portal/accessibility", everyone()},
      {Method::post, "/barrierefreiheit", "portal/accessibility_feedback", everyone()},
      {Method::get, "/leichte-sprache", "portal/easy_language", everyone()},
      {Method::get, "/gebaerdensprache", "portal/sign_language", everyone()},
      {Method::get, "/dateien/" + std::string(64, '0'), "portal/file", everyone()},
      {Method::get, "/redaktion", "editorial/home", {"admin", "office"}},
      {Method::get, "/redaktion/inhalte/aktuelles", "editorial/list", {"admin", "office"}},
      {Method::get, "/redaktion/inhalte/termine/neu", "editorial/new_form", {"admin", "office"}},
      {Method::post, "/redaktion/inhalte/termine/neu", "editorial/create", {"admin", "office"}},
      {Method::get, "/redaktion/eintrag/1", "editorial/edit_form", {"admin", "office"}},
      {Method::post, "/redaktion/eintrag/1", "editorial/update", {"admin", "office"}},
      {Method::get, "/redaktion/eintrag/1/vorschau", "editorial/preview", {"admin", "office"}},
      {Method::post, "/redaktion/eintrag/999/veroeffentlichen", "editorial/publish", {"admin", "office"}},
      {Method::post, "/redaktion/eintrag/999/zuruecknehmen", "editorial/unpublish", {"admin", "office"}},
      {Method::get, "/redaktion/eintrag/1/versionen/1", "editorial/revision", {"admin", "office"}},
      {Method::post, "/redaktion/eintrag/999/versionen/1/wiederherstellen", "editorial/restore", {"admin", "office"}},
      {Method::post, "/redaktion/eintrag/1/datei", "editorial/attach", {"admin", "office"}},
      {Method::get, "/redaktion/dateien", "editorial/uploads", {"admin", "office"}},
      {Method::post, "/redaktion/dateien", "editorial/upload", {"admin", "office"}},
      {Method::get, "/redaktion/rueckmeldungen", "editorial/feedback", {"admin", "office"}},
      // Last: it ends the session it is sent with.
      {Method::post, "/abmelden", "account/sign_out", everyone()},
  };
}

bool denied(const http::Response& response) {
  if (response.status == 401 || response.status == 403) return true;
  return response.status == 303 && response.header("location").value_or("").starts_with("/anmelden?weiter=");
}

class SiteTest : public SiteFixture {};

TEST_F(SiteTest, EveryRouteAdmitsExactlyTheRolesItShould) {
  std::map<std::string, Visitor> visitors{{"anonymous", Visitor{}}};
  for (const auto& role : kRoles) {
    if (role != "anonymous") visitors[role] = sign_in(role);
  }
  for (const auto& probe : probes()) {
    for (const auto& role : kRoles) {
      const auto response = request(probe.method, probe.target, visitors[role]);
      const bool expected = probe.allowed.contains(role);
      EXPECT_EQ(!denied(response), expected)
          << http::method_name(probe.method) << " " << probe.target << " as " << role << " → " << response.status;
      if (expected) {
        EXPECT_NE(response.status, 500) << probe.target << " as " << role;
      }
    }
  }
}

TEST_F(SiteTest, TheMatrixCoversEveryRoute) {
  std::set<std::string> probed;
  for (const auto& probe : probes()) probed.insert(probe.route);
  for (const auto& route : site_->routes()) EXPECT_TRUE(probed.contains(route.name)) << "no probe for " << route.name;
}

TEST_F(SiteTest, ACityUserNeverSeesAnotherCitysInternalNote) {
  ASSERT_TRUE(cooperation_->update_city("dortmund",
                                        {.name = "Dortmund", .internal_note = "Vertraulich: Dortmunder Notiz",
                                         .memberships = cooperation_->city("dortmund")->memberships},
                                        {.name = "test"}));
  const auto bochum = sign_in("bochum_entry");
  const auto forbidden = get("/staedte/dortmund/intern", bochum);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_FALSE(contains(forbidden.body, "Dortmunder Notiz"));
  const auto own = get("/staedte/dortmund/intern", sign_in("dortmund_approval"));
  EXPECT_EQ(own.status, 200);
  EXPECT_TRUE(contains(own.body, "Vertraulich: Dortmunder Notiz"));
  for (const auto* path : {"/", "/mitgliedsstaedte", "/mitgliedsstaedte/dortmund", "/api/v1/cities", "/api/v1/cities/dortmund"}) {
    EXPECT_FALSE(contains(get(path, bochum).body, "Dortmunder Notiz")) << path;
  }
}

TEST_F(SiteTest, OnlyUploadFormsTakeBodiesBeyondTheFormLimit) {
  const auto office = sign_in("office");
  const std::string big(app::kFormBodyLimit + 1, 'a');
  const auto form = post("/anmelden", {}, "benutzername=x&passwort=" + big);
  EXPECT_EQ(form.status, 413);
  EXPECT_TRUE(contains(form.body, "lang=\"de\""));
  // The upload route reads the same body (and refuses it for its own reasons, not its size).
  EXPECT_NE(post("/redaktion/dateien", office, "datei=" + big).status, 413);
}

TEST_F(SiteTest, StateChangesWithoutTheRightTokenAreRefused) {
  const auto visitor = sign_in("office");
  const auto missing = request(Method::post, "/konto/api-schluessel", visitor, "bezeichnung=x", false);
  EXPECT_EQ(missing.status, 403);
  EXPECT_TRUE(contains(missing.body, "Formular ist abgelaufen"));
  Visitor forged = visitor;
  const auto wrong = request(Method::post, "/konto/api-schluessel", forged, "bezeichnung=x&csrf_token=" + std::string(64, 'b'), false);
  EXPECT_EQ(wrong.status, 403);
  auto tokens = auth_->list_api_tokens(2);
  ASSERT_TRUE(tokens);
  EXPECT_TRUE(tokens->empty());  // nothing was created
  const auto right = post("/konto/api-schluessel", visitor, "bezeichnung=Statistik");
  EXPECT_EQ(right.status, 201);
  EXPECT_TRUE(contains(right.body, "ikt_"));
}

TEST_F(SiteTest, SignInStartsAFreshSessionAndReturnsToTheRequestedPage) {
  const auto first = post("/anmelden", {}, std::string("benutzername=office&passwort=") + "ein+langes+Testpasswort&weiter=%2Fverwaltung%2Fprotokoll");
  ASSERT_EQ(first.status, 303);
  EXPECT_EQ(first.header("location").value_or(""), "/verwaltung/protokoll");
  std::string session_cookie;
  for (const auto& [name, value] : first.headers) {
    if (name == "Set-Cookie" && value.starts_with("ik_session=")) session_cookie = value;
  }
  EXPECT_TRUE(contains(session_cookie, "HttpOnly"));
  EXPECT_TRUE(contains(session_cookie, "SameSite=Lax"));
  const auto second = post("/anmelden", {}, "benutzername=office&passwort=ein+langes+Testpasswort");
  EXPECT_EQ(second.header("location").value_or(""), "/bereich");
  EXPECT_NE(first.header("set-cookie"), second.header("set-cookie"));
  // Never to another site.
  const auto elsewhere = post("/anmelden", {}, "benutzername=office&passwort=ein+langes+Testpasswort&weiter=%2F%2Fevil.example");
  EXPECT_EQ(elsewhere.header("location").value_or(""), "/bereich");
}

TEST_F(SiteTest, AFailedSignInDoesNotRevealWhetherTheAccountExists) {
  const auto wrong_password = post("/anmelden", {}, "benutzername=office&passwort=falsch");
  const auto unknown_user = post("/anmelden", {}, "benutzername=niemand&passwort=falsch");
  EXPECT_EQ(wrong_password.status, 401);
  EXPECT_EQ(unknown_user.status, 401);
  EXPECT_TRUE(contains(wrong_password.body, "Benutzername oder Passwort ist falsch"));
  EXPECT_TRUE(contains(unknown_user.body, "Benutzername oder Passwort ist falsch"));
  EXPECT_TRUE(contains(unknown_user.body, "value=\"niemand\""));  // input kept
}

TEST_F(SiteTest, ManyWrongPasswordsAreThrottled) {
  int status = 0;
  for (int attempt = 0; attempt < 6; ++attempt) status = post("/anmelden", {}, "benutzername=office&passwort=falsch").status;
  EXPECT_EQ(status, 429);
  const auto right = post("/anmelden", {}, "benutzername=office&passwort=ein+langes+Testpasswort");
  EXPECT_EQ(right.status, 429);
  EXPECT_TRUE(contains(right.body, "Zu viele fehlgeschlagene Anmeldungen"));
}

TEST_F(SiteTest, AnExpiredSessionLeadsBackToSignInAndThenToThePage) {
  const auto visitor = sign_in("office");
  EXPECT_EQ(get("/bereich", visitor).status, 200);
  clock_.advance(2 * 60 * 60);  // longer than the idle timeout
  const auto expired = get("/verwaltung/protokoll?objekt=user", visitor);
  EXPECT_EQ(expired.status, 303);
  EXPECT_EQ(expired.header("location").value_or(""),
            "/anmelden?weiter=/verwaltung/protokoll%3Fobjekt%3Duser&abgelaufen=1");
  const auto form = get("/anmelden?weiter=%2Fverwaltung%2Fprotokoll%3Fobjekt%3Duser&abgelaufen=1");
  EXPECT_TRUE(contains(form.body, "Ihre Sitzung ist abgelaufen"));
  EXPECT_TRUE(contains(form.body, "value=\"/verwaltung/protokoll?objekt=user\""));
}

TEST_F(SiteTest, UnknownPagesAndMethodsGetGermanErrorPagesWithoutInternals) {
  const auto missing = get("/gibt-es-nicht");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(contains(missing.body, "Seite nicht gefunden"));
  const auto english = get("/en/gibt-es-nicht");
  EXPECT_TRUE(contains(english.body, "Page not found"));
  http::Request put;
  put.method = Method::put;
  put.path = put.target = "/mitgliedsstaedte";
  const auto wrong_method = site_->handle(put);
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.header("allow").value_or(""), "GET");
}

TEST_F(SiteTest, InvalidFormValuesAreReportedAtTheFieldAndChangeNothing) {
  const auto admin = sign_in("admin");
  const auto response = post("/verwaltung/staedte/hagen", admin,
                             "name=Hagen&ki_url=javascript%3Aalert(1)&mitgliedschaft_0_art=member&mitgliedschaft_0_beginn=2023-11-31");
  EXPECT_EQ(response.status, 422);
  EXPECT_TRUE(contains(response.body, "id=\"mitgliedschaft_0_beginn-fehler\""));
  EXPECT_TRUE(contains(response.body, "value=\"2023-11-31\""));
  const auto hagen = cooperation_->city("hagen");
  ASSERT_TRUE(hagen);
  ASSERT_EQ(hagen->memberships.size(), 1u);
  EXPECT_EQ(hagen->memberships[0].since.iso(), "2023-11-27");
  EXPECT_TRUE(hagen->ki_url.empty());
}

TEST_F(SiteTest, TheAdminCanEditCityMembershipAndItIsAudited) {
  const auto admin = sign_in("admin");
  const auto response = post("/verwaltung/staedte/herne", admin,
                             "name=Herne&ki_name=KI+Herne&ki_url=https%3A%2F%2Fwww.herne.de&"
                             "mitgliedschaft_0_art=member&mitgliedschaft_0_beginn=2013-07-09&mitgliedschaft_0_spaetestens=1&"
                             "mitgliedschaft_0_quelle=Partnervereinbarung");
  EXPECT_EQ(response.status, 200) << response.body;
  const auto herne = cooperation_->city("herne");
  ASSERT_TRUE(herne);
  EXPECT_EQ(herne->ki_name, "KI Herne");
  ASSERT_EQ(herne->memberships.size(), 1u);
  EXPECT_EQ(herne->memberships[0].since.precision, DatePrecision::by_day);
  const auto log = get("/verwaltung/protokoll?aktion=city.", admin);
  EXPECT_TRUE(contains(log.body, "city.update"));
  EXPECT_TRUE(contains(log.body, "KI Herne"));
}

TEST_F(SiteTest, TheAdminInvitesAUserWhoSetsAPasswordAndSeesOnlyTheirCity) {
  const auto admin = sign_in("admin");
  const auto created = post("/verwaltung/benutzer/neu", admin,
                            "benutzername=anna.hagen&anzeigename=Anna+Hagen&email=&rolle_city_entry=1&stadt_city_entry=hagen");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto start = created.body.find("/einladung/");
  ASSERT_NE(start, std::string::npos);
  const auto token = created.body.substr(start + 11, 64);
  EXPECT_EQ(get("/einladung/" + token).status, 200);
  const auto mismatch = post("/einladung/" + token, {}, "passwort_neu=ein+langes+Passwort+123&passwort_wiederholung=anders");
  EXPECT_EQ(mismatch.status, 422);
  const auto accepted = post("/einladung/" + token, {}, "passwort_neu=ein+langes+Passwort+123&passwort_wiederholung=ein+langes+Passwort+123");
  EXPECT_EQ(accepted.status, 200);
  EXPECT_EQ(get("/einladung/" + token).status, 404);  // one-time
  auto session = auth_->sign_in("anna.hagen", "ein langes Passwort 123", {.client_address = "10.1.1.1"});
  ASSERT_TRUE(session);
  const Visitor anna{session->id};
  EXPECT_EQ(get("/staedte/hagen/intern", anna).status, 200);
  EXPECT_EQ(get("/staedte/bochum/intern", anna).status, 403);
  EXPECT_EQ(get("/verwaltung/benutzer", anna).status, 403);
}

TEST_F(SiteTest, ApiListsTheTenCitiesWithPreciseMembershipDates) {
  const auto response = get("/api/v1/cities");
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.header("content-type").value_or("").starts_with("application/json"));
  EXPECT_EQ(std::count(response.body.begin(), response.body.end(), '{') > 10, true);
  const auto bottrop = get("/api/v1/cities/bottrop").body;
  EXPECT_TRUE(contains(bottrop, R"("since":{"date":"2013","precision":"year"})")) << bottrop;
  EXPECT_TRUE(contains(bottrop, R"("since":{"date":"2015-09-02","precision":"day"})")) << bottrop;
  EXPECT_EQ(get("/api/v1/cities/atlantis").status, 404);
  EXPECT_EQ(get("/api/v1/me").status, 401);
}

TEST_F(SiteTest, PersonalApiTokensAuthenticateApiCallsOnly) {
  auto token = auth_->create_api_token(2, "Test", {});
  ASSERT_TRUE(token);
  http::Request request;
  request.path = request.target = "/api/v1/me";
  request.headers.emplace_back("authorization", "Bearer " + *token);
  const auto me = site_->handle(request);
  EXPECT_EQ(me.status, 200);
  EXPECT_TRUE(contains(me.body, "\"username\":\"office\""));
  request.headers.back().second = "Bearer ikt_" + std::string(64, '0');
  EXPECT_EQ(site_->handle(request).status, 401);
  http::Request page;
  page.path = page.target = "/bereich";
  page.headers.emplace_back("authorization", "Bearer " + *token);
  EXPECT_EQ(site_->handle(page).status, 303);  // pages need a session
}

TEST_F(SiteTest, OnlyTheOwnerCanRevokeAToken) {
  auto token = auth_->create_api_token(2, "Statistik", {});  // office
  ASSERT_TRUE(token);
  auto tokens = auth_->list_api_tokens(2);
  ASSERT_TRUE(tokens);
  ASSERT_EQ(tokens->size(), 1u);
  const auto path = "/konto/api-schluessel/" + std::to_string(tokens->front().id) + "/widerrufen";
  EXPECT_EQ(post(path, sign_in("bochum_entry")).status, 404);
  EXPECT_EQ(auth_->list_api_tokens(2)->size(), 1u);
  const auto revoked = post(path, sign_in("office"));
  EXPECT_EQ(revoked.status, 200);
  EXPECT_TRUE(contains(revoked.body, "widerrufen und gilt nicht mehr"));
  EXPECT_TRUE(auth_->list_api_tokens(2)->empty());
}

TEST_F(SiteTest, PublicPagesAreServedFromMemoryUntilSomethingChanges) {
  const auto first = get("/mitgliedsstaedte");
  const auto etag = std::string(first.header("etag").value_or(""));
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(get("/mitgliedsstaedte").header("etag").value_or(""), etag);
  http::Request again;
  again.path = again.target = "/mitgliedsstaedte";
  again.headers.emplace_back("if-none-match", etag);
  const auto not_modified = site_->handle(again);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  const auto changed = post("/verwaltung/staedte/herne", sign_in("admin"),
                            "name=Herne+(Westf.)&mitgliedschaft_0_art=member&mitgliedschaft_0_beginn=2013-07-09"
                            "&mitgliedschaft_0_spaetestens=1");
  ASSERT_EQ(changed.status, 200);
  const auto fresh = get("/mitgliedsstaedte");
  EXPECT_TRUE(contains(fresh.body, "Herne (Westf.)"));
  EXPECT_NE(fresh.header("etag").value_or(""), etag);
}

TEST_F(SiteTest, AFormWithAVisitorsTokenIsNeverSharedWithAnother) {
  const Visitor anna{"", std::string(64, 'a')};
  const Visitor bert{"", std::string(64, 'b')};
  EXPECT_TRUE(contains(get("/anmelden", anna).body, std::string(64, 'a')));
  const auto for_bert = get("/anmelden", bert);
  EXPECT_TRUE(contains(for_bert.body, std::string(64, 'b')));
  EXPECT_FALSE(contains(for_bert.body, std::string(64, 'a')));
}

TEST_F(SiteTest, EnglishPagesLiveUnderEn) {
  const auto cities = get("/en/mitgliedsstaedte");
  EXPECT_EQ(cities.status, 200);
  EXPECT_TRUE(contains(cities.body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(cities.body, "Member cities"));
  EXPECT_TRUE(contains(cities.body, "since 28 May 2010"));
  EXPECT_TRUE(contains(get("/mitgliedsstaedte").body, "seit 28. Mai 2010"));
  EXPECT_TRUE(contains(get("/mitgliedsstaedte").body, "Mitglied seit spätestens 9. Juli 2013"));
}

TEST_F(SiteTest, PublicPagesSetNoCookieAndSignedInPagesAreNotStored) {
  const auto home = get("/");
  EXPECT_EQ(home.status, 200);
  EXPECT_FALSE(home.header("set-cookie"));
  EXPECT_EQ(home.header("cache-control").value_or(""), "no-cache");
  const auto area = get("/bereich", sign_in("office"));
  EXPECT_EQ(area.header("cache-control").value_or(""), "no-store");
}

TEST_F(SiteTest, PublicPagesAndAssetsAreSentGzipCompressedToClientsThatAcceptIt) {
  const SiteTest::Headers gzip = {{"accept-encoding", "gzip, deflate, br"}};
  const auto plain = get("/");
  const auto compressed = get("/", gzip);
  ASSERT_EQ(compressed.status, 200);
  EXPECT_FALSE(plain.header("content-encoding"));
  EXPECT_EQ(compressed.header("content-encoding").value_or(""), "gzip");
  EXPECT_EQ(plain.header("vary").value_or(""), "Accept-Encoding");
  EXPECT_EQ(compressed.header("vary").value_or(""), "Accept-Encoding");
  EXPECT_EQ(ik::testing::gunzip(compressed.body), plain.body);
  EXPECT_LT(compressed.body.size(), plain.body.size() / 2);

  // Each encoding has its own validator; the compressed one revalidates to 304.
  const std::string etag(compressed.header("etag").value_or(""));
  EXPECT_NE(etag, plain.header("etag").value_or(""));
  auto revalidation = gzip;
  revalidation.emplace_back("if-none-match", etag);
  const auto not_modified = get("/", revalidation);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(get("/", {{"if-none-match", etag}}).status, 200);

  const auto stylesheet_url = assets_->url("kern.css");
  const auto stylesheet = get(stylesheet_url, gzip);
  EXPECT_EQ(stylesheet.header("content-encoding").value_or(""), "gzip");
  EXPECT_EQ(ik::testing::gunzip(stylesheet.body), get(stylesheet_url).body);

  // Uncached renderings are compressed too (a query bypasses the page cache).
  const auto search = get("/suche?q=Vielfalt", gzip);
  EXPECT_EQ(search.header("content-encoding").value_or(""), "gzip");
  EXPECT_TRUE(contains(ik::testing::gunzip(search.body), "Vielfalt"));
}

TEST_F(SiteTest, PagesWithSecretsAreNeitherCompressedNorStoredBySharedCaches) {
  const SiteTest::Headers gzip = {{"accept-encoding", "gzip"}};
  // The sign-in form carries the visitor's CSRF token.
  const auto sign_in_form = get("/anmelden", gzip);
  ASSERT_EQ(sign_in_form.status, 200);
  EXPECT_FALSE(sign_in_form.header("content-encoding"));
  EXPECT_EQ(sign_in_form.header("cache-control").value_or(""), "no-store");
  const auto area = get("/bereich", gzip, sign_in("office"));
  ASSERT_EQ(area.status, 200);
  EXPECT_FALSE(area.header("content-encoding"));
}

TEST_F(SiteTest, AnUnavailableDatabaseGives503WithRetryAfterAndTheSiteKeepsServing) {
  storage::FaultInjectingStorage failing(*storage_, 1);
  cooperation::Cooperation cooperation(failing);
  monitoring::Monitoring monitoring(failing, clock_, cooperation);
  portal::Portal portal(failing, clock_);
  app::Site site(app::Services{.storage = failing, .auth = *auth_, .cooperation = cooperation,
                               .monitoring = monitoring, .portal = portal, .search = search_, .assets = *assets_,
                               .metrics = metrics_, .mailer = mailer_, .clock = clock_, .public_url = "",
                               .metrics_clients = {}});
  http::Request request;
  request.path = request.target = "/";
  const auto failed = site.handle(request);
  EXPECT_EQ(failed.status, 503);
  EXPECT_EQ(failed.header("retry-after").value_or(""), "30");
  EXPECT_TRUE(contains(failed.body, "Die Datenbank ist gerade nicht erreichbar"));
  EXPECT_FALSE(contains(failed.body, "injected"));
  EXPECT_EQ(site.handle(request).status, 200);  // the next request works again
}

TEST_F(SiteTest, ACityEntersItsYearInTheGridAndFindingsAppearAtTheCell) {
  const auto entry = sign_in("bochum_entry");
  const auto empty = get("/staedte/bochum/monitoring/2024", entry);
  ASSERT_EQ(empty.status, 200);
  EXPECT_TRUE(contains(empty.body, "name=\"staff--total--zaehler\""));
  EXPECT_TRUE(contains(empty.body, "aria-label=\"Insgesamt – Mit Einwanderungsgeschichte\""));

  // German thousands dots are accepted; a number with a decimal comma is refused at its field.
  auto refused = post("/staedte/bochum/monitoring/2024", entry,
                      "staff--total--zaehler=1.234&staff--total--nenner=4%2C5");
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(contains(refused.body, "id=\"staff--total--nenner-fehler\""));
  EXPECT_TRUE(contains(refused.body, "value=\"1.234\""));
  // A part above its total: nothing is stored, the finding stands at the cell.
  refused = post("/staedte/bochum/monitoring/2024", entry,
                 "staff--total--zaehler=5.000&staff--total--nenner=4.000");
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(contains(refused.body, "id=\"staff--total--zaehler-fehler\""));
  EXPECT_TRUE(contains(refused.body, "größer als die Gesamtzahl"));

  // A year after the current one (the clock stands in January 2027) has no report: neither its
  // grid nor saving or submitting it exists, and the year list stops at the current year.
  EXPECT_EQ(get("/staedte/bochum/monitoring/2028", entry).status, 404);
  EXPECT_EQ(post("/staedte/bochum/monitoring/2028", entry, "staff--total--zaehler=12&staff--total--nenner=40").status, 404);
  EXPECT_EQ(post("/staedte/bochum/monitoring/2028/status", entry, "aktion=submit").status, 404);
  EXPECT_EQ(get("/staedte/bochum/monitoring/2027", entry).status, 200);
  const auto years = get("/staedte/bochum/monitoring", entry).body;
  EXPECT_TRUE(contains(years, "/staedte/bochum/monitoring/2027"));
  EXPECT_EQ(years.find("2028"), std::string::npos);

  const auto saved = post("/staedte/bochum/monitoring/2024", entry,
                          "staff--total--zaehler=1.234&staff--total--ohne_angabe=10&staff--total--nenner=4.000&"
                          "staff--total--stichtag=2024-12-31&staff--total--quelle=Personalstatistik");
  EXPECT_EQ(saved.status, 303);
  const auto page = get("/staedte/bochum/monitoring/2024?gespeichert=1", entry);
  // Shown as German users write it, and read back the same way; plain digits in English.
  EXPECT_TRUE(contains(page.body, "value=\"1.234\""));
  EXPECT_TRUE(contains(page.body, "value=\"4.000\""));
  EXPECT_TRUE(contains(get("/en/staedte/bochum/monitoring/2024", entry).body, "value=\"1234\""));
  EXPECT_TRUE(contains(page.body, "Die Werte wurden gespeichert."));
  EXPECT_TRUE(contains(page.body, "bochum_entry: Beschäftigte mit Einwanderungsgeschichte, Insgesamt (Fassung 1)"));
  // Another city's approval role sees nothing of it.
  EXPECT_EQ(get("/staedte/bochum/monitoring/2024", sign_in("dortmund_approval")).status, 403);

  EXPECT_EQ(post("/staedte/bochum/monitoring/2024/status", entry, "aktion=submit").status, 303);
  EXPECT_TRUE(contains(get("/staedte/bochum/monitoring/2024", entry).body, "Stand: Eingereicht. Der Bericht ist gesperrt"));
  const auto office = sign_in("office");
  const auto without_reason = post("/staedte/bochum/monitoring/2024/status", office, "aktion=return&begruendung=");
  EXPECT_EQ(without_reason.status, 422);
  EXPECT_TRUE(contains(without_reason.body, "Bitte geben Sie eine Begründung an."));
  EXPECT_EQ(post("/staedte/bochum/monitoring/2024/status", office, "aktion=return&begruendung=Bitte+pr%C3%BCfen").status, 303);
  EXPECT_TRUE(contains(get("/staedte/bochum/monitoring/2024", entry).body, "Bitte prüfen"));

  // Targets: the office sets one; the city's people see it; a malformed value stays at its field.
  const auto bad_target = post("/staedte/bochum/monitoring/ziele", office,
                               "indicator=staff&value=viel&target_year=2030");
  EXPECT_EQ(bad_target.status, 422);
  EXPECT_TRUE(contains(bad_target.body, "id=\"value-fehler\""));
  EXPECT_EQ(post("/staedte/bochum/monitoring/ziele", office, "indicator=staff&value=35%2C0&target_year=2030&baseline_year=2024")
                .status,
            303);
  EXPECT_TRUE(contains(get("/staedte/bochum/monitoring/ziele", entry).body, "35,0"));
}

}  // namespace
}  // namespace ik::testing
