#include "web/charts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace ik::web {
namespace {

constexpr double kWidth = 720;
constexpr double kLabelRight = 172;  // labels end here (text-anchor end)
constexpr double kPlotLeft = 180;
constexpr double kPlotRight = 630;
constexpr double kRowHeight = 26;
constexpr double kTop = 10;
constexpr double kAxisHeight = 34;
constexpr const char* kText = "#1b1b1b";
constexpr const char* kMuted = "#595959";  // 7:1 on white
constexpr const char* kGrid = "#d0d0d0";
constexpr const char* kBar = "#3a6ea5";
constexpr const char* kBarHighlight = "#1d3f66";

// Colours that stay apart for common colour-vision deficiencies, and dash patterns so that no
// series depends on colour alone.
constexpr std::array<const char*, 8> kPalette{"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                              "#8c6d00", "#56788f", "#8c564b", "#6a3d9a"};
constexpr std::array<const char*, 4> kDashes{"", "6 3", "2 3", "8 3 2 3"};

std::string coordinate(double value) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.1f", value);
  return buffer.data();
}

// A round step for about five ticks up to `maximum`: 1, 2 or 5 × 10^k.
double tick_step(double maximum) {
  const double rough = maximum / 5;
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  for (const double factor : {1.0, 2.0, 5.0}) {
    if (factor * magnitude >= rough) return factor * magnitude;
  }
  return 10 * magnitude;
}

std::string tick_text(double value, double step, Language language) {
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step))));
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.*f", decimals, value);
  std::string text = buffer.data();
  if (language == Language::de) std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

struct Scale {
  double maximum = 1;
  double step = 0.2;
};

Scale scale_for(double largest) {
  if (!(largest > 0)) largest = 1;
  const double step = tick_step(largest);
  return {std::ceil(largest / step - 1e-9) * step, step};
}

std::optional<double> largest_value(const std::vector<ChartValue>& values) {
  std::optional<double> largest;
  for (const ChartValue& value : values) {
    if (value.value && (!largest || *value.value > *largest)) largest = value.value;
  }
  return largest;
}

// Index of the highest and lowest value (first of equals), or nullopt when there is none.
std::optional<std::pair<std::size_t, std::size_t>> extremes(const std::vector<ChartValue>& values) {
  std::optional<std::pair<std::size_t, std::size_t>> found;
  for (std::size_t index = 0; index < values.size(); ++index) {
    if (!values[index].value) continue;
    if (!found) {
      found = std::pair{index, index};
      continue;
    }
    if (*values[index].value > *values[found->first].value) found->first = index;
    if (*values[index].value < *values[found->second].value) found->second = index;
  }
  return found;
}

// "; ohne veröffentlichten Wert: A, B" or "".
std::string gaps_clause(const std::vector<std::string>& labels,
                        const std::vector<ChartValue>& values, Language language) {
  std::string names;
  for (std::size_t index = 0; index < values.size(); ++index) {
    if (values[index].value) continue;
    if (!names.empty()) names += ", ";
    names += labels[index];
  }
  if (names.empty()) return {};
  return message_with(language, "chart.gaps", {{"labels", names}});
}

// Opens the <figure> and <svg> with its accessible name and description.
void open_chart(Html& html, const ChartFrame& frame, double height) {
  const std::string title_id = frame.id + "-title";
  const std::string desc_id = frame.id + "-desc";
  html.open("figure", {{"class", "ik-chart"}, {"id", frame.id}});
  // On a phone the chart keeps a legible size and scrolls sideways in this region, which
  // keyboard users can reach and scroll (site.css sets the minimum width).
  html.open("div", {{"class", "ik-chart__scroll"}, {"role", "region"}, {"tabindex", "0"},
                    {"aria-label", frame.title}});
  html.open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                    {"viewBox", "0 0 " + coordinate(kWidth) + " " + coordinate(height)},
                    {"width", "100%"},
                    {"role", "img"},
                    {"aria-labelledby", title_id + " " + desc_id},
                    {"font-family", "Fira Sans, sans-serif"},
                    {"font-size", "13"}});
  html.element("title", {{"id", title_id}}, frame.title);
  html.element("desc", {{"id", desc_id}}, frame.description);
}

void close_chart(Html& html, const std::string& summary) {
  html.close();  // svg
  html.close();  // div.ik-chart__scroll
  html.element("figcaption", {{"class", "kern-body"}}, summary);
  html.close();  // figure
}

void text_at(Html& html, double x, double y, std::string_view anchor, const char* fill,
             std::string_view text) {
  html.element("text",
               {{"x", coordinate(x)},
                {"y", coordinate(y)},
                {"text-anchor", std::string(anchor)},
                {"fill", fill}},
               text);
}

void line(Html& html, double x1, double y1, double x2, double y2, const char* stroke,
          std::string_view width = "1", std::string_view dash = {}) {
  html.empty("line", {{"x1", coordinate(x1)},
                      {"y1", coordinate(y1)},
                      {"x2", coordinate(x2)},
                      {"y2", coordinate(y2)},
                      {"stroke", stroke},
                      {"stroke-width", std::string(width)},
                      {"stroke-dasharray", std::string(dash),
                       dash.empty() ? Attribute::Kind::absent : Attribute::Kind::value}});
}

// The horizontal value axis below `rows` rows, with grid lines up through the rows.
void horizontal_axis(Html& html, const Scale& scale, std::size_t rows, Language language) {
  const double bottom = kTop + static_cast<double>(rows) * kRowHeight;
  const double width = kPlotRight - kPlotLeft;
  for (double tick = 0; tick <= scale.maximum + scale.step / 2; tick += scale.step) {
    const double x = kPlotLeft + width * tick / scale.maximum;
    line(html, x, kTop, x, bottom, kGrid);
    text_at(html, x, bottom + 18, "middle", kMuted, tick_text(tick, scale.step, language));
  }
  line(html, kPlotLeft, bottom, kPlotRight, bottom, kText);
}

double row_middle(std::size_t row) { return kTop + (static_cast<double>(row) + 0.5) * kRowHeight; }

double rows_height(std::size_t rows) {
  return kTop + static_cast<double>(rows) * kRowHeight + kAxisHeight;
}

}  // namespace

void bar_chart(Html& html, const BarChart& chart, Language language) {
  const Scale scale = scale_for(largest_value(chart.values).value_or(0));
  open_chart(html, chart.frame, rows_height(chart.labels.size()));
  horizontal_axis(html, scale, chart.labels.size(), language);
  const double width = kPlotRight - kPlotLeft;
  for (std::size_t row = 0; row < chart.labels.size(); ++row) {
    const double middle = row_middle(row);
    text_at(html, kLabelRight, middle + 4, "end", kText, chart.labels[row]);
    const ChartValue& value = chart.values[row];
    if (!value.value) {  // a gap, with its sign where the bar would start
      text_at(html, kPlotLeft + 6, middle + 4, "start", kMuted, value.text);
      continue;
    }
    const double length = width * std::max(0.0, *value.value) / scale.maximum;
    html.empty("rect", {{"x", coordinate(kPlotLeft)},
                        {"y", coordinate(middle - 8)},
                        {"width", coordinate(length)},
                        {"height", "16"},
                        {"fill", chart.highlight == row ? kBarHighlight : kBar}});
    text_at(html, kPlotLeft + length + 6, middle + 4, "start", kText, value.text);
  }
  const auto found = extremes(chart.values);
  if (!found) return close_chart(html, std::string(message(language, "chart.no_values")));
  close_chart(html, message_with(language, "chart.bar_summary",
                                 {{"max_label", chart.labels[found->first]},
                                  {"max", chart.values[found->first].text},
                                  {"min_label", chart.labels[found->second]},
                                  {"min", chart.values[found->second].text}}) +
                        gaps_clause(chart.labels, chart.values, language) + ".");
}

void dot_plot(Html& html, const DotPlot& chart, Language language) {
  const Scale scale =
      scale_for(std::max(largest_value(chart.values).value_or(0), chart.parity * 2));
  open_chart(html, chart.frame, rows_height(chart.labels.size()) + 16);
  horizontal_axis(html, scale, chart.labels.size(), language);
  const double width = kPlotRight - kPlotLeft;
  const double parity_x = kPlotLeft + width * chart.parity / scale.maximum;
  const double bottom = kTop + static_cast<double>(chart.labels.size()) * kRowHeight;
  line(html, parity_x, kTop, parity_x, bottom, kText, "2", "5 3");
  text_at(html, parity_x, bottom + 44, "middle", kText,
          message_with(language, "chart.parity", {{"value", chart.parity_text}}));
  std::size_t at_or_above = 0;
  std::size_t shown = 0;
  for (std::size_t row = 0; row < chart.labels.size(); ++row) {
    const double middle = row_middle(row);
    text_at(html, kLabelRight, middle + 4, "end", kText, chart.labels[row]);
    const ChartValue& value = chart.values[row];
    if (!value.value) {
      text_at(html, kPlotLeft + 6, middle + 4, "start", kMuted, value.text);
      continue;
    }
    ++shown;
    if (*value.value >= chart.parity) ++at_or_above;
    const double x =
        kPlotLeft + width * std::clamp(*value.value, 0.0, scale.maximum) / scale.maximum;
    line(html, kPlotLeft, middle, x, middle, kGrid);
    html.empty("circle", {{"cx", coordinate(x)},
                          {"cy", coordinate(middle)},
                          {"r", "6"},
                          {"fill", kBar},
                          {"stroke", kText},
                          {"stroke-width", "1"}});
    text_at(html, x + 10, middle + 4, "start", kText, value.text);
  }
  const auto found = extremes(chart.values);
  if (!found) return close_chart(html, std::string(message(language, "chart.no_values")));
  const std::string above = std::to_string(at_or_above);
  const std::string count = std::to_string(shown);
  close_chart(html, message_with(language, "chart.dot_summary",
                                 {{"above", above},
                                  {"count", count},
                                  {"parity", chart.parity_text},
                                  {"max_label", chart.labels[found->first]},
                                  {"max", chart.values[found->first].text},
                                  {"min_label", chart.labels[found->second]},
                                  {"min", chart.values[found->second].text}}) +
                        gaps_clause(chart.labels, chart.values, language) + ".");
}

namespace {

constexpr double kLineLeft = 56;
constexpr double kLineRight = 520;
constexpr double kLineTop = 16;
constexpr double kLineBottom = 280;
constexpr double kLegendLeft = 540;
constexpr double kLegendRow = 20;

struct SeriesStyle {
  const char* colour;
  const char* dash;
  const char* width;
};

SeriesStyle style_of(const LineSeries& series, std::size_t index) {
  if (series.emphasis) return {kText, "", "3"};
  return {kPalette[index % kPalette.size()],
          kDashes[(index / kPalette.size() + index) % kDashes.size()], "2"};
}

double x_of(std::size_t index, std::size_t count) {
  if (count <= 1) return (kLineLeft + kLineRight) / 2;
  return kLineLeft +
         (kLineRight - kLineLeft) * static_cast<double>(index) / static_cast<double>(count - 1);
}

void line_axes(Html& html, const LineChart& chart, const Scale& scale, Language language) {
  for (double tick = 0; tick <= scale.maximum + scale.step / 2; tick += scale.step) {
    const double y = kLineBottom - (kLineBottom - kLineTop) * tick / scale.maximum;
    line(html, kLineLeft, y, kLineRight, y, kGrid);
    text_at(html, kLineLeft - 6, y + 4, "end", kMuted, tick_text(tick, scale.step, language));
  }
  line(html, kLineLeft, kLineBottom, kLineRight, kLineBottom, kText);
  for (std::size_t index = 0; index < chart.x_labels.size(); ++index) {
    text_at(html, x_of(index, chart.x_labels.size()), kLineBottom + 18, "middle", kText,
            chart.x_labels[index]);
  }
}

// The series as separate polylines between its gaps, and a dot at every value (so a value
// between two gaps is still visible).
void draw_series(Html& html, const LineSeries& series, const SeriesStyle& style,
                 const Scale& scale) {
  const std::size_t count = series.values.size();
  const auto y_of = [&](double value) {
    return kLineBottom - (kLineBottom - kLineTop) * value / scale.maximum;
  };
  std::string points;
  std::size_t in_segment = 0;
  const auto flush = [&] {
    if (in_segment >= 2) {
      html.empty("polyline", {{"points", points},
                              {"fill", "none"},
                              {"stroke", style.colour},
                              {"stroke-width", style.width},
                              {"stroke-dasharray", style.dash,
                               *style.dash ? Attribute::Kind::value : Attribute::Kind::absent}});
    }
    points.clear();
    in_segment = 0;
  };
  for (std::size_t index = 0; index < count; ++index) {
    const auto& value = series.values[index].value;
    if (!value) {
      flush();
      continue;
    }
    if (!points.empty()) points += ' ';
    points += coordinate(x_of(index, count)) + "," + coordinate(y_of(*value));
    ++in_segment;
  }
  flush();
  for (std::size_t index = 0; index < count; ++index) {
    const auto& value = series.values[index].value;
    if (!value) continue;
    html.empty("circle", {{"cx", coordinate(x_of(index, count))},
                          {"cy", coordinate(y_of(*value))},
                          {"r", "3.5"},
                          {"fill", style.colour}});
  }
}

void legend(Html& html, const LineChart& chart) {
  for (std::size_t index = 0; index < chart.series.size(); ++index) {
    const SeriesStyle style = style_of(chart.series[index], index);
    const double y = kLineTop + static_cast<double>(index) * kLegendRow;
    line(html, kLegendLeft, y, kLegendLeft + 26, y, style.colour, style.width, style.dash);
    text_at(html, kLegendLeft + 32, y + 4, "start", kText, chart.series[index].label);
  }
}

std::string line_summary(const LineChart& chart, Language language) {
  const LineSeries* chosen = nullptr;
  for (const LineSeries& series : chart.series) {
    const bool has_value =
        std::any_of(series.values.begin(), series.values.end(),
                    [](const ChartValue& value) { return value.value.has_value(); });
    if (has_value && (!chosen || (series.emphasis && !chosen->emphasis))) chosen = &series;
  }
  if (!chosen) return std::string(message(language, "chart.no_values"));
  std::size_t first = 0;
  while (!chosen->values[first].value) ++first;
  std::size_t last = chosen->values.size() - 1;
  while (!chosen->values[last].value) --last;
  const std::string series_count = std::to_string(chart.series.size());
  return message_with(language, "chart.line_summary",
                      {{"label", chosen->label},
                       {"first", chosen->values[first].text},
                       {"first_x", chart.x_labels[first]},
                       {"last", chosen->values[last].text},
                       {"last_x", chart.x_labels[last]},
                       {"series", series_count}});
}

}  // namespace

void line_chart(Html& html, const LineChart& chart, Language language) {
  std::optional<double> largest;
  for (const LineSeries& series : chart.series) {
    const auto candidate = largest_value(series.values);
    if (candidate && (!largest || *candidate > *largest)) largest = candidate;
  }
  const Scale scale = scale_for(largest.value_or(0));
  const double height =
      std::max(kLineBottom + 34, kLineTop + static_cast<double>(chart.series.size()) * kLegendRow);
  open_chart(html, chart.frame, height);
  line_axes(html, chart, scale, language);
  // Plain series first, the emphasised one last so that it is drawn on top.
  for (std::size_t index = 0; index < chart.series.size(); ++index) {
    if (!chart.series[index].emphasis)
      draw_series(html, chart.series[index], style_of(chart.series[index], index), scale);
  }
  for (std::size_t index = 0; index < chart.series.size(); ++index) {
    if (chart.series[index].emphasis)
      draw_series(html, chart.series[index], style_of(chart.series[index], index), scale);
  }
  legend(html, chart);
  close_chart(html, line_summary(chart, language));
}

}  // namespace ik::web
