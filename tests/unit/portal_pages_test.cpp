// The portal's pages in-process: public pages in both languages, the editorial flow from draft to
// public page, and the bad inputs the issue lists (fake PDF, script tag and javascript: link in
// Markdown, a 100,000-character title), each answered in German at the field with nothing changed.
#include "portal/portal.hpp"
#include "site_fixture.hpp"

namespace ik::testing {
namespace {

using http::Method;

std::string field(std::string_view name, std::string_view value) {
  return std::string(name) + "=" + text::percent_encode(value);
}

class PortalPagesTest : public SiteFixture {
 protected:
  // A multipart/form-data POST with the CSRF field and one file.
  http::Response upload(const std::string& target, const Visitor& visitor, const std::string& file_name,
                        const std::string& bytes) {
    const std::string boundary = "----ikboundary7MA4YWxkTrZu0gW";
    std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + visitor.csrf +
                       "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"datei\"; filename=\"" + file_name +
                       "\"\r\nContent-Type: application/pdf\r\n\r\n" + bytes + "\r\n--" + boundary + "--\r\n";
    http::Request request;
    request.method = Method::post;
    request.target = target;
    request.path = target;
    request.client_address = "127.0.0.1";
    request.request_id = "test";
    request.headers.emplace_back("cookie", "ik_csrf=" + visitor.csrf + "; ik_session=" + visitor.session);
    request.headers.emplace_back("content-type", "multipart/form-data; boundary=" + boundary);
    request.body = body;
    return site_->handle(request);
  }

  std::size_t news_count() {
    auto items = portal_->list({.kind = portal::Kind::news, .published_only = false});
    EXPECT_TRUE(items);
    return items ? items->size() : 0;
  }
};

const std::string kPdf =
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    "trailer<</Root 1 0 R>>\n%%EOF\n";

TEST_F(PortalPagesTest, PublicPagesAnswerInBothLanguages) {
  for (const std::string path : {"/", "/aktuelles", "/aktuelles/hagen-tritt-bei", "/termine", "/partner", "/kontakt",
                                 "/impressum", "/datenschutz", "/barrierefreiheit", "/leichte-sprache", "/publikationen",
                                 "/gremien", "/themen", "/kooperation"}) {
    for (const std::string prefix : {"", "/en"}) {
      const auto target = prefix + (prefix.empty() || path != "/" ? path : std::string("/"));
      const auto response = get(target);
      EXPECT_EQ(response.status, 200) << target;
      EXPECT_TRUE(contains(response.body, "rel=\"canonical\"")) << target;
    }
  }
  EXPECT_TRUE(contains(get("/aktuelles/hagen-tritt-bei").body, "Hagen wird zehnte Mitgliedsstadt"));
  EXPECT_TRUE(contains(get("/en/aktuelles/hagen-tritt-bei").body, "Hagen becomes the tenth member city"));
  EXPECT_TRUE(contains(get("/partner").body, "Vielfalt verbindet"));
  EXPECT_TRUE(contains(get("/").body, "Hagen wird zehnte Mitgliedsstadt"));
  EXPECT_TRUE(contains(get("/").body, "Leichte Sprache"));
  EXPECT_TRUE(contains(get("/").body, "href=\"/zahlen\"")) << "the start page leads to the figures";
  EXPECT_TRUE(contains(get("/impressum").body, "href=\"/datenschutz\""));
  EXPECT_EQ(get("/gebaerdensprache").status, 404);
  EXPECT_EQ(get("/aktuelles/gibt-es-nicht").status, 404);
}

TEST_F(PortalPagesTest, OfficeCreatesPublishesAndTheNewsAppears) {
  const auto office = sign_in("office");
  auto created = post("/redaktion/inhalte/aktuelles/neu", office,
                      field("titel_de", "Fachtag Vielfalt 2026") + "&" + field("zusammenfassung_de", "Rückblick auf den Fachtag.") +
                          "&" + field("text_de", "Mehr unter [Kontakt](/kontakt).") + "&" + field("kategorie", "veranstaltungen"));
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string location(created.header("location").value_or(""));
  ASSERT_TRUE(location.starts_with("/redaktion/eintrag/")) << location;
  const auto item = location.substr(0, location.find('?'));
  EXPECT_EQ(get("/aktuelles/fachtag-vielfalt-2026").status, 404);
  EXPECT_EQ(get(item + "/vorschau", office).status, 200);

  ASSERT_EQ(post(item + "/veroeffentlichen", office).status, 303);
  const auto german = get("/aktuelles/fachtag-vielfalt-2026");
  ASSERT_EQ(german.status, 200);
  EXPECT_TRUE(contains(german.body, "Fachtag Vielfalt 2026"));
  EXPECT_TRUE(contains(german.body, "href=\"/kontakt\""));
  // No English text: the English page shows the German one, marked as German.
  const auto english = get("/en/aktuelles/fachtag-vielfalt-2026");
  ASSERT_EQ(english.status, 200);
  EXPECT_TRUE(contains(english.body, "lang=\"de\">Fachtag Vielfalt 2026"));
  EXPECT_TRUE(contains(get("/aktuelles").body, "Fachtag Vielfalt 2026"));

  const auto edit_page = get(item, office);
  EXPECT_TRUE(contains(edit_page.body, "Veröffentlicht"));
  ASSERT_EQ(post(item + "/zuruecknehmen", office).status, 303);
  EXPECT_EQ(get("/aktuelles/fachtag-vielfalt-2026").status, 404);
  EXPECT_EQ(post(item + "/versionen/1/wiederherstellen", office).status, 303);
}

TEST_F(PortalPagesTest, BadMarkdownAndTitlesAreRefusedInGermanAndChangeNothing) {
  const auto office = sign_in("office");
  const auto before = news_count();
  struct Case {
    std::string body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {field("titel_de", std::string(100'000, 'T')), "Der Titel ist zu lang"},
      {field("titel_de", "Meldung") + "&" + field("text_de", "<script>alert(1)</script>"), "HTML-Code und Skripte"},
      {field("titel_de", "Meldung") + "&" + field("text_de", "[hier](javascript:alert(1))"), "unzulässige Adresse"},
  };
  for (const auto& bad : cases) {
    const auto response = post("/redaktion/inhalte/aktuelles/neu", office, bad.body);
    EXPECT_EQ(response.status, 422);
    EXPECT_TRUE(contains(response.body, bad.message)) << bad.message;
    EXPECT_TRUE(contains(response.body, "aria-invalid=\"true\""));
    EXPECT_FALSE(contains(response.body, "<script>"));
  }
  EXPECT_EQ(news_count(), before);
}

TEST_F(PortalPagesTest, AFakePdfIsRefusedAndARealOneIsServedWithItsHeaders) {
  const auto office = sign_in("office");
  const auto fake = upload("/redaktion/dateien", office, "bericht.pdf", "Nur Text, kein PDF.");
  EXPECT_EQ(fake.status, 422);
  EXPECT_TRUE(contains(fake.body, "Diese Dateiart wird nicht angenommen"));
  EXPECT_TRUE(portal_->uploads()->empty());

  const auto stored = upload("/redaktion/dateien", office, "Bericht 2024.pdf", kPdf);
  ASSERT_EQ(stored.status, 303) << stored.body;
  auto files = portal_->uploads();
  ASSERT_EQ(files->size(), 1u);
  const auto address = "/dateien/" + files->front().sha256;
  // Referred to by no published item: the public gets the normal 404, the office its preview.
  const auto hidden = get(address);
  EXPECT_EQ(hidden.status, 404);
  EXPECT_TRUE(contains(hidden.body, "Seite nicht gefunden")) << hidden.body;
  const auto preview = get(address, office);
  ASSERT_EQ(preview.status, 200);
  EXPECT_EQ(preview.body, kPdf);
  EXPECT_EQ(preview.header("cache-control").value_or(""), "private, no-store");

  portal::Fields fields;
  fields.kind = portal::Kind::document;
  fields.title.de = "Bericht 2024";
  auto id = portal_->create(fields, {std::nullopt, "office", "test"});
  ASSERT_TRUE(id);
  ASSERT_TRUE(portal_->attach_file(*id, files->front().sha256, portal::FileRole::main, {std::nullopt, "office", "test"}));
  EXPECT_EQ(get(address).status, 404);  // a draft's file
  EXPECT_EQ(get(address, office).status, 200);
  ASSERT_TRUE(portal_->publish(*id, std::nullopt, {std::nullopt, "office", "test"}));
  const auto served = get(address);
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.body, kPdf);
  EXPECT_EQ(served.header("content-type").value_or(""), "application/pdf");
  EXPECT_EQ(served.header("content-disposition").value_or(""), "inline; filename=\"Bericht-2024.pdf\"");
  // Public may end (unpublish), so caches revalidate by the ETag instead of keeping it a year.
  EXPECT_EQ(served.header("cache-control").value_or(""), "public, no-cache");
  http::Request again;
  again.method = Method::get;
  again.target = again.path = address;
  again.request_id = "test";
  again.headers.emplace_back("if-none-match", std::string(served.header("etag").value_or("")));
  EXPECT_EQ(site_->handle(again).status, 304);
  // Through the editorial form, as the office does it (which also empties the page cache).
  ASSERT_EQ(post("/redaktion/eintrag/" + std::to_string(*id) + "/zuruecknehmen", office).status, 303);
  EXPECT_EQ(get(address).status, 404);
  EXPECT_EQ(site_->handle(again).status, 404);  // no 304 for what is no longer public
  EXPECT_EQ(get(address, office).status, 200);
}

TEST_F(PortalPagesTest, AccessibilityFeedbackReachesTheOffice) {
  const Visitor visitor;
  const auto empty = post("/barrierefreiheit", visitor, field("nachricht", ""));
  EXPECT_EQ(empty.status, 422);
  EXPECT_TRUE(contains(empty.body, "Bitte schreiben Sie uns"));
  const auto sent = post("/barrierefreiheit", visitor, field("nachricht", "Der Kontrast im Fußbereich ist zu gering."));
  ASSERT_EQ(sent.status, 303);
  EXPECT_TRUE(contains(get("/redaktion/rueckmeldungen", sign_in("office")).body, "Der Kontrast im Fußbereich ist zu gering."));
}

}  // namespace
}  // namespace ik::testing
