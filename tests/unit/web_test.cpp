#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "auth/roles.hpp"
#include "web/assets.hpp"
#include "web/forms.hpp"
#include "web/html.hpp"
#include "web/layout.hpp"
#include "web/messages.hpp"

namespace ik::web {
namespace {

namespace fs = std::filesystem;

TEST(Html, EscapesTextAndAttributeValues) {
  Html html;
  html.element("p", {{"title", "\"><script>alert(1)</script>"}}, "<b>Müller & Söhne</b> 'x'");
  EXPECT_EQ(html.str(),
            "<p title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;b&gt;Müller &amp; Söhne&lt;/b&gt; "
            "&#39;x&#39;</p>");
}

TEST(Html, UrlAttributesRefuseScriptSchemes) {
  for (const auto* hostile : {"javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x",
                              "//evil.example/x"}) {
    Html html;
    html.element("a", {{"href", hostile}}, "x");
    EXPECT_EQ(html.str(), "<a href=\"#\">x</a>") << hostile;
  }
  Html html;
  html.element("a", {{"href", "https://www.bochum.de/?a=1&b=2"}}, "x");
  EXPECT_EQ(html.str(), "<a href=\"https://www.bochum.de/?a=1&amp;b=2\">x</a>");
  EXPECT_EQ(safe_url("/mitgliedsstaedte/hagen"), "/mitgliedsstaedte/hagen");
  EXPECT_EQ(safe_url("mailto:ki@hagen.de"), "mailto:ki@hagen.de");
}

TEST(Html, BooleanAttributesAndNesting) {
  Html html;
  html.nest("form", {{"method", "post"}}, [&] {
    html.empty("input", {{"name", "a"}, flag("required"), flag("checked", false)});
  });
  EXPECT_EQ(html.str(), "<form method=\"post\"><input name=\"a\" required/></form>");
  Html unclosed;
  unclosed.open("div");
  EXPECT_THROW((void)unclosed.str(), std::logic_error);
}

TEST(Forms, FieldShowsItsErrorKeepsTheValueAndNeverEchoesPasswords) {
  Html html;
  input_field(html, {.name = "benutzername", .label = "Benutzername", .value = "<anna>", .error = "Falsch"});
  const auto& markup = html.str();
  EXPECT_NE(markup.find("value=\"&lt;anna&gt;\""), std::string::npos);
  EXPECT_NE(markup.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(markup.find("aria-describedby=\"benutzername-fehler\""), std::string::npos);
  EXPECT_NE(markup.find("id=\"benutzername-fehler\""), std::string::npos);
  Html password;
  input_field(password, {.name = "passwort", .label = "Passwort", .value = "geheim", .type = "password"});
  EXPECT_EQ(password.str().find("geheim"), std::string::npos);
}

TEST(Messages, EveryEntryHasGermanAndEnglishAndKeysAreUnique) {
  std::set<std::string_view> keys;
  for (const auto& entry : catalogue()) {
    EXPECT_TRUE(keys.insert(entry.key).second) << "duplicate key " << entry.key;
    EXPECT_FALSE(entry.de.empty()) << entry.key;
    EXPECT_FALSE(entry.en.empty()) << entry.key;
  }
  EXPECT_EQ(message(Language::en, "nav.cities"), "Member cities");
  EXPECT_EQ(message_with(Language::de, "cities.since", {{"date", "2013"}}), "seit 2013");
}

// Every key the sources name literally, and every key built from a role or an error status,
// must be in the catalogue: a missing key would show its name to the user.
TEST(Messages, EveryKeyUsedInTheSourcesExists) {
  const std::regex literal(
      R"re("((?:site|nav|home|cooperation|cities|themes|bodies|publications|login|logout|area|password|invitation|role|admin|audit|api_tokens|form|auth|error|disclosure|monitoring|indicator|report|import|figures|chart|export|portal|news|events|search|editorial|upload|content)\.[a-z0-9_]*[a-z0-9])")re");
  std::size_t checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(IK_SOURCE_DIR) / "src")) {
    if (entry.path().extension() != ".cpp" && entry.path().extension() != ".hpp") continue;
    // The catalogue itself, and the configuration, whose keys ("disclosure.minimum_count") look alike.
    if (entry.path().filename().string().starts_with("messages") || entry.path().filename() == "config.cpp") continue;
    std::ifstream file(entry.path());
    std::stringstream content;
    content << file.rdbuf();
    const auto text = content.str();
    for (auto match = std::sregex_iterator(text.begin(), text.end(), literal); match != std::sregex_iterator(); ++match) {
      if ((*match)[1].str().ends_with(".css")) continue;  // a stylesheet's file name, not a key
      EXPECT_TRUE(has_message((*match)[1].str())) << (*match)[1].str() << " in " << entry.path();
      ++checked;
    }
  }
  EXPECT_GT(checked, 100u);
  for (const auto role : auth::all_roles()) EXPECT_TRUE(has_message("role." + std::string(auth::role_name(role))));
  for (const int status : {400, 403, 404, 405, 408, 413, 414, 431, 500, 503}) {
    EXPECT_TRUE(has_message("error.title_" + std::to_string(status))) << status;
    EXPECT_TRUE(has_message("error.text_" + std::to_string(status))) << status;
  }
}

class AssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("ik-assets-" + std::to_string(::getpid()));
    fs::create_directories(directory_ / "fonts");
    write("fonts/a.woff2", "font-bytes");
    write("kern.css", "@font-face{src:url(\"./fonts/a.woff2\") format('woff2')} .x{background:url(data:image/png;base64,AA)}");
    write("site.css", "body{}");
  }
  void TearDown() override { fs::remove_all(directory_); }
  void write(const std::string& name, const std::string& content) { std::ofstream(directory_ / name) << content; }
  fs::path directory_;
};

TEST_F(AssetsTest, HashedNamesAndRewrittenStylesheetReferences) {
  auto assets = Assets::load(directory_.string());
  ASSERT_TRUE(assets);
  const auto& font_url = assets->url("fonts/a.woff2");
  EXPECT_TRUE(font_url.starts_with("/assets/fonts/a.")) << font_url;
  const auto* css = assets->find(assets->url("kern.css").substr(8));
  ASSERT_NE(css, nullptr);
  EXPECT_NE(css->content.find("url(\"" + font_url + "\")"), std::string::npos) << css->content;
  EXPECT_NE(css->content.find("url(data:image/png;base64,AA)"), std::string::npos);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(assets->find("kern.css"), nullptr);  // only the hashed name is served

  // A changed font changes the stylesheet's name too, so caches never mix versions.
  const auto old_css_url = assets->url("kern.css");
  write("fonts/a.woff2", "other-font-bytes");
  auto reloaded = Assets::load(directory_.string());
  ASSERT_TRUE(reloaded);
  EXPECT_NE(reloaded->url("kern.css"), old_css_url);
}

TEST_F(AssetsTest, PageFrameHasSkipLinkLanguageAndNoInlineScriptOrStyle) {
  auto assets = Assets::load(directory_.string());
  ASSERT_TRUE(assets);
  Page page;
  page.language = Language::en;
  page.title = "Member cities";
  page.path = "/mitgliedsstaedte";
  page.main.element("h1", "Member cities");
  const auto html = render_page(page, *assets);
  EXPECT_TRUE(html.starts_with("<!doctype html><html lang=\"en\">"));
  EXPECT_NE(html.find("href=\"#inhalt\""), std::string::npos);
  EXPECT_NE(html.find("<main id=\"inhalt\""), std::string::npos);
  EXPECT_NE(html.find("href=\"/mitgliedsstaedte\" hreflang=\"de\""), std::string::npos);
  EXPECT_NE(html.find("aria-current=\"page\""), std::string::npos);
  EXPECT_NE(html.find("type=\"application/atom+xml\" title=\"News of the Integration.Interkommunal city "
                      "cooperation\" href=\"/en/aktuelles/feed.atom\""),
            std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("style="), std::string::npos);
  EXPECT_EQ(html.find("<style"), std::string::npos);
}

}  // namespace
}  // namespace ik::web
