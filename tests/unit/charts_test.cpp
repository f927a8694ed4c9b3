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

// The drawing alone (the line chart's legend follows it as an HTML list with its own swatches).
std::string drawing(const std::string& figure) { return figure.substr(0, figure.find("</svg>")); }

LineChart five_years() {
  return {frame("lines"),
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
}

std::string render_lines(const LineChart& chart, Language language = Language::de) {
  Html html;
  line_chart(html, chart, language);
  return std::move(html).take();
}

TEST(Charts, LinesBreakAtGaps) {
  const std::string figure = render_lines(five_years());
  const std::string svg = drawing(figure);
  // Region: four pieces of line; Bochum (the second palette colour): two around the gap, one
  // piece each; Herne: a single dot, no line.
  EXPECT_EQ(occurrences(svg, "stroke-width=\"3\""), 4U);
  EXPECT_EQ(occurrences(svg, "stroke=\"#d55e00\""), 2U);
  EXPECT_EQ(occurrences(svg, "<circle"), 5U + 4U + 1U);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);  // not by colour alone
  EXPECT_NE(figure.find("Region: von 20,0 (2020) bis 24,0 (2024); 3 Datenreihen im Diagramm."),
            std::string::npos)
      << figure;
  for (const char* year : {">2020<", ">2024<"}) EXPECT_NE(svg.find(year), std::string::npos);
}

// Issue 16: on a phone the charts sat in a scroll box wider than the screen with tiny labels.
// They are drawn for the width they get: no viewBox (a user unit is a pixel, so text keeps its
// size), horizontal positions in per cent, and the longest bar leaves room for its value.
TEST(Charts, AreDrawnForTheWidthTheyGet) {
  const std::string bars = render_bars(cities_chart());
  EXPECT_EQ(bars.find("viewBox"), std::string::npos);
  EXPECT_EQ(bars.find("ik-chart__scroll"), std::string::npos);
  EXPECT_NE(bars.find("width=\"100%\""), std::string::npos);
  EXPECT_NE(bars.find("font-size=\"14.0\""), std::string::npos);
  // Scale 0–40 over 0–80 %: Essen's 35,25 ends at 70,5 %, its value right after it; the labels
  // stand above the bars at the left edge, whole.
  EXPECT_NE(bars.find("width=\"70.5%\""), std::string::npos) << bars;
  EXPECT_NE(bars.find("x=\"70.5%\" y=\"178.0\" dx=\"6.0\""), std::string::npos) << bars;
  EXPECT_NE(bars.find("x=\"0.0%\" y=\"20.0\" text-anchor=\"start\" fill=\"#1b1b1b\""),
            std::string::npos);
  EXPECT_NE(bars.find("paint-order=\"stroke\">Region</text>"), std::string::npos);
  const std::string lines = drawing(render_lines(five_years()));
  EXPECT_EQ(lines.find("viewBox"), std::string::npos);
  EXPECT_NE(lines.find("x1=\"6.0%\""), std::string::npos);   // the first year
  EXPECT_NE(lines.find("x2=\"94.0%\""), std::string::npos);  // the last year
}

// Issue 16: the legend was cut off ("Region (Summe der Städt") and listed series without a
// line. It is a list below the drawing with every drawn series' whole name, and only those.
TEST(Charts, TheLegendNamesEveryDrawnSeriesWhole) {
  LineChart chart = five_years();
  chart.series[0].label = "Region (Summe der Städte)";
  chart.series.push_back({"Gelsenkirchen", std::vector<ChartValue>(5, {std::nullopt, "…"}), false});
  const std::string figure = render_lines(chart);
  const std::string legend = figure.substr(figure.find("</svg>"));
  EXPECT_NE(legend.find("<ul class=\"ik-chart__legend\">"), std::string::npos);
  for (const char* name :
       {"<span>Region (Summe der Städte)</span>", "<span>Bochum</span>", "<span>Herne</span>"}) {
    EXPECT_NE(legend.find(name), std::string::npos) << name;
  }
  EXPECT_EQ(legend.find("Gelsenkirchen"), std::string::npos);
  EXPECT_EQ(occurrences(legend, "<li>"), 3U);
  EXPECT_EQ(occurrences(legend, "aria-hidden=\"true\""), 3U);  // the swatches are decoration
  EXPECT_NE(figure.find("; 3 Datenreihen im Diagramm."), std::string::npos);
}

// Issue 16: a series whose basis changes (the region's cities) is broken there, the break is
// marked in the drawing and the legend, and the summary does not compare across it.
TEST(Charts, ABreakInterruptsTheSeriesAndIsMarked) {
  LineChart chart = five_years();
  chart.series[0].breaks = {3};
  const std::string figure = render_lines(chart);
  const std::string svg = drawing(figure);
  EXPECT_EQ(occurrences(svg, "stroke-width=\"3\""), 3U);  // 2020–21–22–23 lost 22–23
  // The mark halfway between 2022 (50 %) and 2023 (72 %).
  EXPECT_NE(svg.find("x1=\"61.0%\" y1=\"16.0\" x2=\"61.0%\""), std::string::npos) << svg;
  EXPECT_NE(figure.find("<span>Bruch in der Zeitreihe: Region</span>"), std::string::npos);
  EXPECT_NE(figure.find("Region: von 20,0 (2020) bis 22,0 (2022); nach einem Bruch in der "
                        "Zeitreihe von 23,0 (2023) bis 24,0 (2024); 3 Datenreihen im Diagramm."),
            std::string::npos)
      << figure;
  const std::string english = render_lines(chart, Language::en);
  EXPECT_NE(english.find("Region: from 20,0 (2020) to 22,0 (2022); after a break in the series "
                         "from 23,0 (2023) to 24,0 (2024); 3 data series in the chart."),
            std::string::npos)
      << english;
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
  // Scale 0–2 over 0–80 %: parity at 40 %, Bochum's 0,5 at 20 %.
  EXPECT_NE(svg.find("x1=\"40.0%\" y1=\"4.0\" x2=\"40.0%\" y2=\"146.0\" stroke=\"#1b1b1b\" "
                     "stroke-width=\"2\""),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("cx=\"20.0%\""), std::string::npos);
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
