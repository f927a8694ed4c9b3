// The portal's content: revisions and audit in one transaction, publication and scheduling,
// validation of titles and Markdown, upload checks by content, file versions, the seed. Runs on
// SQLite and, with IK_TEST_POSTGRES_URL (scripts/with-postgres.sh), on PostgreSQL.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "audit/audit.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "portal/markdown.hpp"
#include "portal/portal.hpp"
#include "storage/storage.hpp"
#include "test_database.hpp"
#include "web/html.hpp"

namespace ik::portal {
namespace {

using ik::testing::postgres_url;
using ik::testing::run;
using ik::testing::with_search_path;

const Actor kOffice{std::int64_t{7}, "office", "req-1"};

Fields news(std::string title) {
  Fields fields;
  fields.kind = Kind::news;
  fields.title.de = std::move(title);
  fields.summary.de = "Kurz gesagt.";
  fields.body.de = "Ein **Text** mit [Link](https://example.org).";
  return fields;
}

// A minimal but complete PDF: header, one empty page, cross-reference table, trailer, %%EOF.
std::string tiny_pdf() {
  return "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
         "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
         "0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
         "startxref\n171\n%%EOF\n";
}

// A 1×1 PNG.
std::string tiny_png() {
  const unsigned char bytes[] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
                                 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
                                 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
                                 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
                                 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
}

class PortalTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() / ("ik-portal-" + crypto::random_token(8));
    std::filesystem::create_directories(directory_);
    std::string url = "sqlite:" + (directory_ / "portal.db").string();
    if (GetParam() == storage::Backend::postgres) {
      if (postgres_url() == nullptr) GTEST_SKIP() << "IK_TEST_POSTGRES_URL is not set";
      schema_ = "ik_portal_test_" + crypto::random_token(6);
      auto admin = storage::open({.url = postgres_url(), .pool_size = 1});
      ASSERT_TRUE(admin.ok()) << admin.error().detail;
      admin_ = std::move(admin).value();
      ASSERT_TRUE(run(*admin_, "CREATE SCHEMA " + schema_).ok());
      url = with_search_path(postgres_url(), schema_);
    }
    auto opened = storage::open({.url = url});
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    storage_ = std::move(opened).value();
    auto migrated = storage::migrate(*storage_, IK_SOURCE_DIR "/migrations");
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    portal_ = std::make_unique<Portal>(*storage_, clock_, Options{.upload_directory = directory_ / "uploads", .max_upload_bytes = 4096});
  }

  void TearDown() override {
    portal_.reset();
    storage_.reset();
    if (admin_) {
      EXPECT_TRUE(run(*admin_, "DROP SCHEMA " + schema_ + " CASCADE").ok());
    }
    std::filesystem::remove_all(directory_);
  }

  std::size_t count(const std::string& table) {
    return static_cast<std::size_t>(ik::testing::query_integer(*storage_, "SELECT COUNT(*) FROM " + table));
  }

  std::int64_t create(const Fields& fields) {
    auto id = portal_->create(fields, kOffice);
    EXPECT_TRUE(id) << id.error().message_key << " " << id.error().field << " " << id.error().detail;
    return id ? *id : 0;
  }

  ManualClock clock_{1'800'000'000};
  std::filesystem::path directory_;
  std::string schema_;
  std::unique_ptr<storage::Storage> admin_;
  std::unique_ptr<storage::Storage> storage_;
  std::unique_ptr<Portal> portal_;
};

TEST_P(PortalTest, DraftIsHiddenUntilPublishedAndEveryStepIsARevisionWithAudit) {
  const auto id = create(news("Jahrestreffen in Essen"));
  EXPECT_TRUE(portal_->list({.kind = Kind::news})->empty());
  EXPECT_EQ(portal_->published(Kind::news, "jahrestreffen-in-essen").error().code, ErrorCode::not_found);

  ASSERT_TRUE(portal_->publish(id, std::nullopt, kOffice));
  auto shown = portal_->published(Kind::news, "jahrestreffen-in-essen");
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->state, State::published);
  EXPECT_EQ(shown->text.de, "Ein Text mit Link.");
  EXPECT_EQ(shown->path(), "/aktuelles/jahrestreffen-in-essen");

  ASSERT_TRUE(portal_->unpublish(id, kOffice));
  EXPECT_TRUE(portal_->list({.kind = Kind::news})->empty());

  auto revisions = portal_->revisions(id);
  ASSERT_TRUE(revisions);
  ASSERT_EQ(revisions->size(), 3u);
  EXPECT_EQ((*revisions)[0].action, "unpublish");
  EXPECT_EQ((*revisions)[1].action, "publish");
  EXPECT_EQ((*revisions)[2].action, "create");
  EXPECT_EQ((*revisions)[2].author, "office");
  auto entries = audit::list(*storage_, {.action_prefix = "content."});
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->size(), 3u);
  EXPECT_EQ(entries->front().action, "content.unpublish");
  EXPECT_EQ(entries->front().entity_id, std::to_string(id));
}

TEST_P(PortalTest, EarlierRevisionIsRestoredAsANewRevision) {
  const auto id = create(news("Erster Titel"));
  auto changed = news("Zweiter Titel");
  changed.slug = "erster-titel";
  ASSERT_TRUE(portal_->edit(id, changed, kOffice));
  EXPECT_EQ(portal_->item(id)->title.de, "Zweiter Titel");
  ASSERT_TRUE(portal_->restore(id, 1, kOffice));
  auto item = portal_->item(id);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->title.de, "Erster Titel");
  EXPECT_EQ(item->revision, 3);
  EXPECT_EQ(portal_->revisions(id)->front().action, "restore");
  EXPECT_EQ(portal_->restore(id, 99, kOffice).error().code, ErrorCode::not_found);
}

TEST_P(PortalTest, ScheduledPublicationAppearsWhenDueAndMovesTheGeneration) {
  const auto id = create(news("Geplante Meldung"));
  const auto before = portal_->generation();
  ASSERT_TRUE(portal_->publish(id, clock_.now() + 3600, kOffice));
  EXPECT_NE(portal_->generation(), before);
  EXPECT_EQ(portal_->item(id)->state, State::scheduled);
  EXPECT_TRUE(portal_->list({.kind = Kind::news})->empty());
  const auto waiting = portal_->generation();
  EXPECT_EQ(portal_->generation(), waiting);
  clock_.advance(3601);
  EXPECT_NE(portal_->generation(), waiting);
  ASSERT_EQ(portal_->list({.kind = Kind::news})->size(), 1u);
  EXPECT_EQ(portal_->item(id)->state, State::published);
}

TEST_P(PortalTest, BadInputIsRefusedAtItsFieldAndChangesNothing) {
  struct Case {
    std::string title;
    std::string body;
    std::string field;
    std::string key;
  };
  const std::vector<Case> cases = {
      {std::string(100'000, 'x'), "", "titel_de", "content.title_too_long"},
      {"", "", "titel_de", "content.title_required"},
      {"Titel", "[Klick](javascript:alert(1))", "text_de", "content.unsafe_link"},
      {"Titel", "[Klick]( JavaScript:alert(1))", "text_de", "content.unsafe_link"},
      {"Titel", "Hallo <script>alert(1)</script>", "text_de", "content.raw_html"},
      {"Titel", "<div onclick=\"x()\">Block</div>", "text_de", "content.raw_html"},
      {"Titel", "![](/dateien/abc)", "text_de", "content.image_without_alt"},
      {"Titel", "![Bild](data:image/png;base64,AAAA)", "text_de", "content.unsafe_link"},
  };
  for (const auto& bad : cases) {
    auto fields = news(bad.title);
    fields.body.de = bad.body;
    auto created = portal_->create(fields, kOffice);
    ASSERT_FALSE(created) << bad.body;
    EXPECT_EQ(created.error().code, ErrorCode::invalid_input);
    EXPECT_EQ(created.error().field, bad.field) << bad.body;
    EXPECT_EQ(created.error().message_key, bad.key) << bad.body;
  }
  EXPECT_EQ(count("content_item"), 0u);
  EXPECT_EQ(count("content_revision"), 0u);

  auto event = news("Termin");
  event.kind = Kind::event;
  event.starts = "2026-13-01";
  EXPECT_EQ(portal_->create(event, kOffice).error().field, "beginn");
  event.starts = "2026-05-12T10:00";
  event.ends = "2026-05-12T09:00";
  EXPECT_EQ(portal_->create(event, kOffice).error().field, "ende");
}

TEST_P(PortalTest, SlugsAreUniquePerKind) {
  create(news("Gleicher Titel"));
  auto again = portal_->create(news("Gleicher Titel"), kOffice);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().field, "kuerzel");
  EXPECT_EQ(again.error().message_key, "content.slug_taken");
  auto page = news("Gleicher Titel");
  page.kind = Kind::page;
  EXPECT_TRUE(portal_->create(page, kOffice));
}

TEST_P(PortalTest, EveryFailingStatementLeavesNothingBehind) {
  for (int fail_at = 1;; ++fail_at) {
    storage::FaultInjectingStorage faulty(*storage_, fail_at);
    Portal portal(faulty, clock_, Options{.upload_directory = directory_ / "uploads"});
    auto created = portal.create(news("Meldung " + std::to_string(fail_at)), kOffice);
    if (created) {
      EXPECT_EQ(count("content_item"), 1u);
      EXPECT_EQ(count("content_revision"), 1u);
      break;
    }
    EXPECT_EQ(count("content_item"), 0u) << fail_at;
    EXPECT_EQ(count("content_revision"), 0u) << fail_at;
    ASSERT_LT(fail_at, 20);
  }
}

TEST_P(PortalTest, UploadsAreJudgedByTheirContent) {
  const auto refused = [&](std::string name, std::string bytes) {
    auto stored = portal_->store_upload({std::move(name), std::move(bytes)}, kOffice);
    EXPECT_FALSE(stored);
    return stored ? std::string() : stored.error().message_key;
  };
  EXPECT_EQ(refused("bericht.pdf", "Das ist in Wahrheit nur Text."), "upload.unknown_type");
  EXPECT_EQ(refused("bericht.pdf", "%PDF-1.4\nabgeschnitten"), "upload.broken_pdf");
  EXPECT_EQ(refused("leer.pdf", ""), "upload.empty");
  EXPECT_EQ(refused("gross.pdf", std::string(5000, 'a')), "upload.too_large");
  EXPECT_EQ(refused("bild.png", tiny_png().substr(0, 40)), "upload.broken_image");
  EXPECT_EQ(refused("a.svg", R"svg(<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>)svg"), "upload.unsafe_svg");
  EXPECT_EQ(refused("a.svg", R"svg(<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>)svg"), "upload.unsafe_svg");
  EXPECT_EQ(refused("a.svg", R"svg(<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>)svg"), "upload.unsafe_svg");
  EXPECT_EQ(refused("a.svg", R"svg(<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://evil.example/x.png"/></svg>)svg"),
            "upload.unsafe_svg");
  EXPECT_EQ(refused("a.svg", R"svg(<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>)svg"),
            "upload.unsafe_svg");
  EXPECT_EQ(count("stored_file"), 0u);

  auto pdf = portal_->store_upload({"Bericht 2024 (final).pdf", tiny_pdf()}, kOffice);
  ASSERT_TRUE(pdf) << pdf.error().message_key;
  EXPECT_EQ(pdf->media_type, "application/pdf");
  EXPECT_EQ(pdf->file_name, "Bericht-2024-final-.pdf");
  EXPECT_EQ(pdf->sha256, crypto::sha256_hex(tiny_pdf()));
  EXPECT_TRUE(std::filesystem::exists(directory_ / "uploads" / pdf->sha256));
  EXPECT_EQ(*portal_->file_bytes(*pdf), tiny_pdf());
  EXPECT_EQ(portal_->store_upload({"bild.png", tiny_png()}, kOffice)->media_type, "image/png");
  auto svg = portal_->store_upload({"logo.svg", R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="url(#g)"/></svg>)svg"}, kOffice);
  ASSERT_TRUE(svg) << svg.error().message_key;
  EXPECT_EQ(svg->media_type, "image/svg+xml");
  EXPECT_EQ(portal_->store_upload({"untertitel.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n"}, kOffice)->media_type, "text/vtt");
  // The same content twice is stored once.
  ASSERT_TRUE(portal_->store_upload({"kopie.pdf", tiny_pdf()}, kOffice));
  EXPECT_EQ(count("stored_file"), 4u);
}

TEST_P(PortalTest, ScanHookCanRefuseAFile) {
  Portal scanning(*storage_, clock_, Options{.upload_directory = directory_ / "uploads",
                                             .scan = [](std::string_view, std::string_view) -> Status {
                                               return Error::invalid("datei", "upload.refused_by_scan");
                                             }});
  auto stored = scanning.store_upload({"bericht.pdf", tiny_pdf()}, kOffice);
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().message_key, "upload.refused_by_scan");
  EXPECT_FALSE(std::filesystem::exists(directory_ / "uploads" / crypto::sha256_hex(tiny_pdf())));
}

TEST_P(PortalTest, NewestFileVersionIsTheCurrentOne) {
  auto document = news("Handbuch");
  document.kind = Kind::document;
  const auto id = create(document);
  auto first = portal_->store_upload({"v1.pdf", tiny_pdf()}, kOffice);
  auto second = portal_->store_upload({"v2.pdf", tiny_pdf() + "\n"}, kOffice);
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(portal_->attach_file(id, first->sha256, FileRole::main, kOffice));
  ASSERT_TRUE(portal_->attach_file(id, second->sha256, FileRole::main, kOffice));
  EXPECT_EQ(portal_->attach_file(id, first->sha256, FileRole::captions, kOffice).error().message_key, "upload.captions_expected");
  auto versions = portal_->file_versions(id);
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ(versions->front().version, 2);
  EXPECT_EQ(portal_->item(id)->file->file.sha256, second->sha256);
  EXPECT_EQ(portal_->revisions(id)->front().action, "file");
}

// /dateien/{sha256} is public only while a published item refers to the file: a file version, the
// captions of a video, or an image in the Markdown body. Drafts, scheduled and unpublished items
// keep their files private; the back office (FileVisibility::any) sees every stored file.
TEST_P(PortalTest, StoredFilesArePublicOnlyWhileAPublishedItemRefersToThem) {
  const auto is_public = [&](const std::string& sha256) { return portal_->stored_file(sha256).ok(); };
  const auto not_found = [&](const std::string& sha256) {
    auto found = portal_->stored_file(sha256);
    return !found && found.error().code == ErrorCode::not_found;
  };
  auto document = news("Handbuch");
  document.kind = Kind::document;
  const auto document_id = create(document);
  auto pdf = portal_->store_upload({"handbuch.pdf", tiny_pdf()}, kOffice);
  ASSERT_TRUE(pdf);
  // Uploaded but referred to by nothing: only the back office sees it.
  EXPECT_TRUE(not_found(pdf->sha256));
  EXPECT_TRUE(portal_->stored_file(pdf->sha256, FileVisibility::any));
  ASSERT_TRUE(portal_->attach_file(document_id, pdf->sha256, FileRole::main, kOffice));
  EXPECT_TRUE(not_found(pdf->sha256));  // the document is a draft
  EXPECT_EQ(portal_->stored_file(pdf->sha256, FileVisibility::any)->sha256, pdf->sha256);
  ASSERT_TRUE(portal_->publish(document_id, std::nullopt, kOffice));
  EXPECT_TRUE(is_public(pdf->sha256));
  EXPECT_EQ(portal_->stored_file(pdf->sha256)->media_type, "application/pdf");
  ASSERT_TRUE(portal_->unpublish(document_id, kOffice));
  EXPECT_TRUE(not_found(pdf->sha256));
  EXPECT_TRUE(portal_->stored_file(pdf->sha256, FileVisibility::any));

  // A scheduled publication shares its file only once it is due.
  ASSERT_TRUE(portal_->publish(document_id, clock_.now() + 3600, kOffice));
  EXPECT_TRUE(not_found(pdf->sha256));
  clock_.advance(3601);
  EXPECT_TRUE(is_public(pdf->sha256));

  // Captions of a video.
  auto video = news("Gebärdensprache");
  video.kind = Kind::video;
  const auto video_id = create(video);
  auto captions = portal_->store_upload({"untertitel.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n"}, kOffice);
  ASSERT_TRUE(captions);
  ASSERT_TRUE(portal_->attach_file(video_id, captions->sha256, FileRole::captions, kOffice));
  EXPECT_TRUE(not_found(captions->sha256));
  ASSERT_TRUE(portal_->publish(video_id, std::nullopt, kOffice));
  EXPECT_TRUE(is_public(captions->sha256));
  ASSERT_TRUE(portal_->unpublish(video_id, kOffice));
  EXPECT_TRUE(not_found(captions->sha256));

  // An image that the Markdown body shows (German or English body), as the upload page suggests.
  auto png = portal_->store_upload({"bild.png", tiny_png()}, kOffice);
  ASSERT_TRUE(png);
  auto illustrated = news("Mit Bild");
  illustrated.body.en = "![A map of the region](/dateien/" + png->sha256 + ")";
  const auto news_id = create(illustrated);
  EXPECT_TRUE(not_found(png->sha256));
  ASSERT_TRUE(portal_->publish(news_id, std::nullopt, kOffice));
  EXPECT_TRUE(is_public(png->sha256));
  // Once the body no longer shows it, it is private again.
  illustrated.body.en = "No picture.";
  ASSERT_TRUE(portal_->edit(news_id, illustrated, kOffice));
  EXPECT_TRUE(not_found(png->sha256));

  // Anything but a SHA-256 in lower-case hex is no file, also for the back office.
  EXPECT_TRUE(not_found("%"));
  EXPECT_FALSE(portal_->stored_file(std::string(64, '%'), FileVisibility::any));
  EXPECT_FALSE(portal_->stored_file(crypto::sha256_hex("unbekannt"), FileVisibility::any));
}

TEST_P(PortalTest, PublishedTextsFallBackToGermanAndListEnglishOnlyWhenTranslated) {
  auto german_only = news("Nur deutsch");
  auto both = news("Zweisprachig");
  both.title.en = "Bilingual";
  ASSERT_TRUE(portal_->publish(create(german_only), std::nullopt, kOffice));
  ASSERT_TRUE(portal_->publish(create(both), std::nullopt, kOffice));
  auto texts = portal_->published_texts();
  ASSERT_TRUE(texts);
  EXPECT_EQ(texts->size(), 3u);
  const auto shown = german_only.title.in("en");
  EXPECT_EQ(shown.text, "Nur deutsch");
  EXPECT_EQ(shown.language, "de");
  EXPECT_EQ(both.title.in("en").language, "en");
}

TEST_P(PortalTest, SeedPublishesTheServicePagesOnce) {
  auto first = seed(*portal_);
  ASSERT_TRUE(first) << first.error().detail << first.error().field << first.error().message_key;
  EXPECT_GT(*first, 10);
  EXPECT_EQ(*seed(*portal_), 0);
  for (const char* slug : {"kontakt", "impressum", "datenschutz", "barrierefreiheit", "leichte-sprache"}) {
    EXPECT_TRUE(portal_->published(Kind::page, slug)) << slug;
  }
  auto herne = portal_->published(Kind::news, "partnervereinbarung-herne");
  ASSERT_TRUE(herne);
  EXPECT_EQ(herne->date->iso(), "2013-07-09");
  EXPECT_TRUE(portal_->list({.kind = Kind::event})->empty());  // no invented events
}

TEST_P(PortalTest, FeedbackIsValidatedStoredAndListed) {
  EXPECT_EQ(portal_->submit_feedback({.message = "  "}, kOffice).error().field, "nachricht");
  EXPECT_EQ(portal_->submit_feedback({.email = "kein at", .message = "Kontrast zu gering"}, kOffice).error().field, "email");
  ASSERT_TRUE(portal_->submit_feedback({.name = "A. B.", .email = "a@b.de", .page = "/termine", .message = "Kontrast zu gering"}, kOffice));
  auto entries = portal_->feedback();
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->front().page, "/termine");
}

INSTANTIATE_TEST_SUITE_P(Backends, PortalTest, ::testing::Values(storage::Backend::sqlite, storage::Backend::postgres),
                         [](const auto& backend) { return backend.param == storage::Backend::sqlite ? "sqlite" : "postgres"; });

TEST(Markdown, RendersThroughTheBuilderWithShiftedHeadingsAndSafeLinks) {
  web::Html html;
  render_markdown(html, "# Titel\n\nText mit <b>Tag</b> & [Link](javascript:alert(1)) und [gut](/kontakt).\n\n"
                        "| A | B |\n|---|---|\n| 1 | 2 |\n");
  const auto& out = html.str();
  EXPECT_NE(out.find("<h2 class=\"kern-heading-medium\">Titel</h2>"), std::string::npos) << out;
  EXPECT_EQ(out.find("<b>"), std::string::npos) << out;
  EXPECT_NE(out.find("&lt;b&gt;"), std::string::npos) << out;
  EXPECT_EQ(out.find("javascript"), std::string::npos) << out;
  EXPECT_NE(out.find("href=\"/kontakt\""), std::string::npos) << out;
  EXPECT_NE(out.find("<th class=\"kern-table__header\" scope=\"col\">A</th>"), std::string::npos) << out;
  EXPECT_NE(out.find("<td class=\"kern-table__cell\">2</td>"), std::string::npos) << out;
}

TEST(Markdown, ImagesKeepTheirAlternativeText) {
  web::Html html;
  render_markdown(html, "![Logo der Kooperation](/dateien/abc)");
  EXPECT_NE(html.str().find("alt=\"Logo der Kooperation\""), std::string::npos) << html.str();
  EXPECT_TRUE(check_markdown("![Logo](https://example.org/a.png) www.example.org mailto:a@b.de", "text_de"));
}

}  // namespace
}  // namespace ik::portal
