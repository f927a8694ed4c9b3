#include "web/charts.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ik::web {
namespace {

std::size_t occurrences(const std::string& text, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

ChartFrame frame(std::string id) {
  return {std::move(id), "Anteil mit Einwanderungsgeschichte 2024",
          "Anteil an allen Beschäftigten in Prozent."};
}

std::string render_bars(const BarChart& chart, Language language = Language::de) {
  Html html;
  bar_chart(html, chart, language);
  return std::move(html).take();
}

BarChart cities_chart() {
  return {frame("bars"),
          {"Region", "Bochum", "Dortmund", "Essen"},
          {{21.5, "21,5"}, {12.0, "12,0"}, {std::nullopt, "•"}, {35.25, "35,3"}},
          0};
}

TEST(Charts, AreNamedImagesWithTitleDescriptionAndSummary) {
  const std::string svg = render_bars(cities_chart());
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("aria-labelledby=\"bars-title bars-desc\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"bars-title\">Anteil mit Einwanderungsgeschichte 2024</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"bars-desc\">"), std::string::npos);
  EXPECT_NE(
      svg.find(
          "<figcaption class=\"kern-body\">Höchster Wert: Essen (35,3); niedrigster Wert: Bochum "
          "(12,0); ohne veröffentlichten Wert: Dortmund.</figcaption>"),
      std::string::npos)
      << svg;
  EXPECT_EQ(svg.find("style"), std::string::npos);  // the CSP forbids inline style
  EXPECT_EQ(svg.find("<script"), std::string::npos);
}

TEST(Charts, AWithheldBarIsAGapWithItsSignNeverZero) {
  const std::string svg = render_bars(cities_chart());
  EXPECT_EQ(occurrences(svg, "<rect"), 3U);  // three values, Dortmund's withheld one not drawn
  EXPECT_NE(svg.find(">•</text>"), std::string::npos);
  EXPECT_EQ(occurrences(svg, "width=\"0.0\""), 0U);
  // The region is highlighted.
  EXPECT_EQ(occurrences(svg, "fill=\"#1d3f66\""), 1U);
}

TEST(Charts, SummariesInEnglishAndWithoutValues) {
  BarChart chart = cities_chart();
  chart.values = {{21.5, "21.5"}, {12.0, "12.0"}, {std::nullopt, "•"}, {35.25, "35.3"}};
  EXPECT_NE(render_bars(chart, Language::en)
                .find("Highest value: Essen (35.3); lowest value: Bochum (12.0); "
                      "no published value: Dortmund."),
            std::string::npos);
  chart.values.assign(4, ChartValue{std::nullopt, "•"});
  const std::string empty = render_bars(chart);
  EXPECT_NE(empty.find("Für keinen Eintrag ist ein Wert veröffentlicht."), std::string::npos);
  EXPECT_EQ(occurrences(empty, "<rect"), 0U);
}

TEST(Charts, LinesBreakAtGaps) {
  LineChart chart{
      frame("lines"),
      {"2020", "2021", "2022", "2023", "2024"},
      {{"Region", {{20, "20,0"}, {21, "21,0"}, {22, "22,0"}, {23, "23,0"}, {24, "24,0"}}, true},
       {"Bochum",
        {{10, "10,0"}, {11, "11,0"}, {std::nullopt, "•"}, {13, "13,0"}, {14, "14,0"}},
        false},
       {"Herne",
        {{std::nullopt, "•"},
         {5, "5,0"},
         {std::nullopt, "•"},
         {std::nullopt, "•"},
         {std::nullopt, "•"}},
        false}}};
  Html html;
  line_chart(html, chart, Language::de);
  const std::string svg = std::move(html).take();
  // Region: one line; Bochum: two pieces around the gap; Herne: a single dot, no line.
  EXPECT_EQ(occurrences(svg, "<polyline"), 3U);
  EXPECT_EQ(occurrences(svg, "<circle"), 5U + 4U + 1U);
  EXPECT_NE(svg.find("stroke-width=\"3\""), std::string::npos);  // the emphasised region
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);    // not by colour alone
  EXPECT_NE(svg.find("Region: von 20,0 (2020) bis 24,0 (2024); 3 Datenreihen im Diagramm."),
            std::string::npos);
  for (const char* year : {">2020<", ">2024<"}) EXPECT_NE(svg.find(year), std::string::npos);
}

TEST(Charts, DotPlotDrawsTheParityLine) {
  DotPlot chart{frame("dots"),
                {"Bochum", "Dortmund", "Essen"},
                {{0.5, "0,50"}, {1.0, "1,00"}, {std::nullopt, "•"}},
                1.0,
                "1,00"};
  Html html;
  dot_plot(html, chart, Language::de);
  const std::string svg = std::move(html).take();
  EXPECT_EQ(occurrences(svg, "<circle"), 2U);
  // Scale 0–2 over x 180–630: parity at 405, Bochum's 0,5 at 292,5.
  EXPECT_NE(svg.find("x1=\"405.0\" y1=\"10.0\" x2=\"405.0\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("cx=\"292.5\""), std::string::npos);
  EXPECT_NE(svg.find(">Parität 1,00</text>"), std::string::npos);
  EXPECT_NE(svg.find("1 von 2 Werten erreichen oder überschreiten die Parität von 1,00; höchster "
                     "Wert: Dortmund "
                     "(1,00), niedrigster Wert: Bochum (0,50); ohne veröffentlichten Wert: Essen."),
            std::string::npos);
}

TEST(Charts, EscapeLabels) {
  BarChart chart = cities_chart();
  chart.labels[1] = "<script>alert(1)</script>";
  const std::string svg = render_bars(chart);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace ik::web
