#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/text.hpp"
#include "search/search.hpp"

namespace ik::search {
namespace {

std::string read_file(const std::string& name) {
  std::ifstream file(std::string(IK_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

Document german(std::string key, std::string title, std::string text, Kind kind = Kind::page) {
  return {.key = key, .url = "/" + key, .edition = "de", .language = "de", .kind = kind,
          .title = std::move(title), .text = std::move(text)};
}

Document english(std::string key, std::string title, std::string text) {
  return {.key = key, .url = "/en/" + key, .edition = "en", .language = "en", .kind = Kind::page,
          .title = std::move(title), .text = std::move(text)};
}

std::vector<std::string> keys(const Results& results) {
  std::vector<std::string> found;
  for (const auto& hit : results.hits) found.push_back(hit.key);
  return found;
}

std::string joined(const std::vector<Segment>& snippet) {
  std::string text;
  for (const auto& segment : snippet) text += segment.text;
  return text;
}

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(index_.rebuild(
        {german("kooperation", "Die Kooperation", "Zehn Städte arbeiten seit 2010 in der Integration zusammen."),
         german("handbuch", "Handbuch Personal",
                "Interkulturelle Öffnung der Verwaltungen: wie Personalämter Vielfalt fördern."),
         german("termin", "Fachtag Bildung", "Ein Fachtag über Bildung und Sprache in Hagen.", Kind::event),
         german("unsicher", "Hinweis", "Ein Text mit <script>alert(1)</script> & Zeichen über Verwaltung."),
         english("cooperation", "The cooperation", "Ten cities have worked together on integration since 2010."),
         english("handbook", "Staff handbook", "Intercultural opening of administrations and their staff offices."),
         // A German text on the English site (no translation yet): German stemming still applies.
         {.key = "fallback", .url = "/en/fallback", .edition = "en", .language = "de", .kind = Kind::news,
          .title = "Neue Handreichung", .text = "Empfehlungen für Verwaltungen."}},
        7));
  }
  Results find(std::string text, std::string edition = "de") {
    auto results = index_.search({.text = std::move(text), .edition = std::move(edition)});
    EXPECT_TRUE(results) << results.error().detail;
    return results ? *results : Results{};
  }
  SearchIndex index_{2};
};

TEST_F(SearchTest, GermanStemmingFindsOtherFormsOfAWord) {
  const auto results = find("Verwaltung");
  EXPECT_EQ(results.total, 2u);
  EXPECT_TRUE(std::ranges::count(keys(results), "handbuch"));  // "Verwaltungen"
  EXPECT_TRUE(std::ranges::count(keys(results), "unsicher"));
  EXPECT_EQ(find("städten").total, 1u);  // "Städte"
}

TEST_F(SearchTest, EnglishStemmingAndEditionsAreSeparate) {
  EXPECT_EQ(keys(find("administration", "en")), std::vector<std::string>{"handbook"});
  EXPECT_TRUE(find("administration", "de").hits.empty());
  // The German fallback text on the English site is found by its German word forms.
  EXPECT_EQ(keys(find("Verwaltung", "en")), std::vector<std::string>{"fallback"});
}

TEST_F(SearchTest, AllWordsMustMatchAndStopwordsAreIgnored) {
  EXPECT_EQ(keys(find("Vielfalt Personalämter")), std::vector<std::string>{"handbuch"});
  EXPECT_TRUE(find("Vielfalt Hagen").hits.empty());
  EXPECT_EQ(keys(find("die Bildung in der Stadt Hagen und")).size(), 0u);  // "Stadt" is not in it
  EXPECT_EQ(keys(find("der Fachtag und die Bildung")), std::vector<std::string>{"termin"});
}

TEST_F(SearchTest, PhrasesAndExclusionsWork) {
  EXPECT_EQ(keys(find("\"interkulturelle Öffnung\"")), std::vector<std::string>{"handbuch"});
  EXPECT_TRUE(find("\"Öffnung interkulturelle\"").hits.empty());
  EXPECT_EQ(keys(find("Verwaltung -Zeichen")), std::vector<std::string>{"handbuch"});
}

TEST_F(SearchTest, SnippetsHighlightTheMatchesAsPlainText) {
  const auto results = find("Verwaltungen");
  ASSERT_FALSE(results.hits.empty());
  for (const auto& hit : results.hits) {
    const auto marked = std::ranges::find_if(hit.snippet, [](const Segment& segment) { return segment.highlighted; });
    ASSERT_NE(marked, hit.snippet.end()) << hit.key;
    EXPECT_TRUE(marked->text == "Verwaltungen" || marked->text == "Verwaltung") << marked->text;
  }
  const auto unsafe = std::ranges::find_if(results.hits, [](const Hit& hit) { return hit.key == "unsicher"; });
  ASSERT_NE(unsafe, results.hits.end());
  // Plain text, exactly as written: escaping is the HTML builder's job, done once.
  EXPECT_NE(joined(unsafe->snippet).find("<script>alert(1)</script> & Zeichen"), std::string::npos)
      << joined(unsafe->snippet);
}

TEST_F(SearchTest, ADocumentCannotForgeAHighlight) {
  ASSERT_TRUE(index_.rebuild({german("falle", "Falle", "Vorher \x01gefälscht\x02 und Verwaltung.")}, 8));
  const auto results = find("Verwaltung");
  ASSERT_EQ(results.hits.size(), 1u);
  for (const auto& segment : results.hits[0].snippet) {
    if (segment.highlighted) {
      EXPECT_EQ(segment.text, "Verwaltung");
    }
  }
  EXPECT_NE(joined(results.hits[0].snippet).find("Vorher gefälscht und"), std::string::npos);
}

TEST_F(SearchTest, OddInputGivesHarmlessResults) {
  for (const std::string& text : {std::string("\"*&<script>"), std::string("\"*&<script>alert(1)</script>"),
                                 std::string("AND OR NOT"), std::string("NOT Verwaltung"), std::string("((("),
                                 std::string("Verwalt*"), std::string("-"), std::string("\"\""),
                                 std::string(10'000, 'x'), std::string(10'000, '"'), std::string("\xff\xfe"),
                                 std::string("   "), std::string()}) {
    auto results = index_.search({.text = text});
    ASSERT_TRUE(results) << text.substr(0, 40);
    EXPECT_LE(results->hits.size(), 20u);
  }
  EXPECT_TRUE(find("").hits.empty());
  EXPECT_TRUE(find("Verw*").hits.empty());  // no wildcards: "Verw*" is the word "verw"
  // A long query keeps its first words.
  EXPECT_EQ(keys(find("Vielfalt " + std::string(10'000, 'y'))).size(), 0u);
  EXPECT_EQ(keys(find("Vielfalt" + std::string(10'000, ' '))), std::vector<std::string>{"handbuch"});
}

TEST_F(SearchTest, PagingLimitsTheHitsButCountsAll) {
  auto first = index_.search({.text = "Verwaltung", .edition = "de", .offset = 0, .limit = 1});
  auto second = index_.search({.text = "Verwaltung", .edition = "de", .offset = 1, .limit = 1});
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->total, 2u);
  ASSERT_EQ(first->hits.size(), 1u);
  ASSERT_EQ(second->hits.size(), 1u);
  EXPECT_NE(first->hits[0].key, second->hits[0].key);
}

TEST_F(SearchTest, TitlesWeighMoreThanText) {
  ASSERT_TRUE(index_.rebuild({german("text", "Allgemeines", "Etwas über Bildung, und weiteres, und noch mehr."),
                              german("titel", "Bildung", "Etwas über Schulen, und weiteres, und noch mehr.")},
                             9));
  EXPECT_EQ(keys(find("Bildung")), (std::vector<std::string>{"titel", "text"}));
}

TEST_F(SearchTest, RefreshRebuildsOnlyWhenTheGenerationMoved) {
  int collected = 0;
  const auto collect = [&]() -> Result<std::vector<Document>> {
    ++collected;
    return std::vector<Document>{german("neu", "Neu", "Ein neuer Text über Bildung.")};
  };
  ASSERT_TRUE(index_.refresh(7, collect));
  EXPECT_EQ(collected, 0);
  EXPECT_EQ(index_.size(), 7u);
  ASSERT_TRUE(index_.refresh(8, collect));
  ASSERT_TRUE(index_.refresh(8, collect));
  EXPECT_EQ(collected, 1);
  EXPECT_EQ(index_.generation(), 8u);
  EXPECT_EQ(keys(find("Bildung")), std::vector<std::string>{"neu"});
  const auto failing = []() -> Result<std::vector<Document>> { return Error::unavailable("database gone"); };
  EXPECT_FALSE(index_.refresh(9, failing));
  EXPECT_EQ(index_.generation(), 8u);  // the old index stays
  EXPECT_EQ(keys(find("Bildung")), std::vector<std::string>{"neu"});
}

TEST_F(SearchTest, SearchesRunWhileTheIndexIsRebuilt) {
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int reader = 0; reader < 4; ++reader) {
    readers.emplace_back([&] {
      while (!stop) {
        auto results = index_.search({.text = "Verwaltung"});
        if (!results || results->total == 0) ++failures;
      }
    });
  }
  for (std::uint64_t generation = 10; generation < 40; ++generation) {
    ASSERT_TRUE(index_.rebuild({german("a", "A", "Verwaltung " + std::to_string(generation))}, generation));
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(failures, 0);
}

TEST_F(SearchTest, ConcurrentSearchesGiveTheSameAnswers) {
  SearchIndex index(4);
  std::vector<Document> documents;
  for (int number = 0; number < 50; ++number) {
    documents.push_back(german("d" + std::to_string(number), "Bericht " + std::to_string(number),
                               "Die Verwaltungen fördern die interkulturelle Öffnung der Personalämter in den Städten "
                               "und berichten über Bildungsangebote, Sprachkurse und Beratungsstellen."));
  }
  ASSERT_TRUE(index.rebuild(std::move(documents), 1));
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int reader = 0; reader < 8; ++reader) {
    readers.emplace_back([&] {
      for (int round = 0; round < 200; ++round) {
        auto results = index.search({.text = "Verwaltung interkulturellen Öffnungen Bildungsangebot "
                                             "Beratungsstelle berichten Städte"});
        if (!results || results->total != 50 || results->hits.size() != 20 || results->hits[0].snippet.empty()) ++wrong;
      }
    });
  }
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(wrong, 0);
}

TEST(SearchIndexEmpty, AnIndexNotYetBuiltFindsNothing) {
  SearchIndex index(1);
  EXPECT_FALSE(index.built());
  auto results = index.search({.text = "Verwaltung"});
  ASSERT_TRUE(results);
  EXPECT_EQ(results->total, 0u);
}

TEST(FileTexts, ExtractsEachFileOnceAndForgetsFilesNoLongerUsed) {
  FileTexts texts;
  int extracted = 0;
  const auto extract = [&]() -> Result<std::string> {
    ++extracted;
    return std::string("Text ") + std::to_string(extracted);
  };
  EXPECT_EQ(texts.text("aa", extract), "Text 1");
  EXPECT_EQ(texts.text("aa", extract), "Text 1");
  EXPECT_EQ(texts.text("bb", extract), "Text 2");
  texts.forget_unused();  // both were used in this round
  EXPECT_EQ(texts.text("aa", extract), "Text 1");
  texts.forget_unused();  // "bb" was not asked for
  EXPECT_EQ(texts.text("bb", extract), "Text 3");
  EXPECT_EQ(extracted, 3);
  const auto broken = []() -> Result<std::string> { return Error::invalid("datei", "search.pdf_unreadable"); };
  EXPECT_EQ(texts.text("cc", broken), "");
  EXPECT_EQ(texts.text("cc", extract), "");  // not tried again
}

TEST(PdfText, ReadsTheTextOfEveryPage) {
  auto text = pdf_text(read_file("handreichung.pdf"));
  ASSERT_TRUE(text) << text.error().message_key;
  EXPECT_NE(text->find("Sprachmittlerpool"), std::string::npos) << *text;
  EXPECT_NE(text->find("Interkulturelle Öffnung"), std::string::npos) << *text;  // page 2
  EXPECT_EQ(text->find('\n'), std::string::npos);
  EXPECT_EQ(text->find("  "), std::string::npos);
}

TEST(PdfText, CapsTheTextAtACharacterBoundary) {
  auto text = pdf_text(read_file("handreichung.pdf"), 120);
  ASSERT_TRUE(text);
  EXPECT_LE(text->size(), 120u);
  EXPECT_GT(text->size(), 100u);
  // Every cut is at a character boundary: the text ends with a complete UTF-8 sequence.
  for (std::size_t limit = 100; limit < 140; ++limit) {
    auto cut = pdf_text(read_file("handreichung.pdf"), limit);
    ASSERT_TRUE(cut);
    ASSERT_FALSE(cut->empty());
    EXPECT_TRUE(text::is_valid_utf8(*cut)) << limit;
    EXPECT_LE(cut->size(), limit);
  }
}

TEST(PdfText, RefusesWhatIsNoReadablePdf) {
  const auto pdf = read_file("handreichung.pdf");
  for (const std::string& bytes : {std::string(), std::string("%PDF-"), std::string("Hallo, ich bin kein PDF."),
                                  std::string("\x89PNG\r\n\x1a\n", 8), std::string("%PDF-1.7\n") + std::string(1000, 'x')}) {
    auto text = pdf_text(bytes);
    ASSERT_FALSE(text) << bytes.substr(0, 20);
    EXPECT_EQ(text.error().message_key, "search.pdf_unreadable");
    EXPECT_EQ(text.error().field, "datei");
  }
}

TEST(PdfText, RefusesAPasswordProtectedPdf) {
  auto text = pdf_text(read_file("handreichung-encrypted.pdf"));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().message_key, "search.pdf_encrypted");
}

TEST(PdfText, ATruncatedPdfGivesItsTextOrARefusalNeverACrash) {
  const auto pdf = read_file("handreichung.pdf");
  for (std::size_t length = pdf.size() / 8; length < pdf.size(); length += pdf.size() / 8) {
    auto text = pdf_text(std::string_view(pdf).substr(0, length));
    if (!text) {
      EXPECT_EQ(text.error().message_key, "search.pdf_unreadable");
    }
  }
}

}  // namespace
}  // namespace ik::search
