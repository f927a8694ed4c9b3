#include "web/charts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace ik::web {
namespace {

// Vertical measures are pixels (the SVG has no viewBox, so a user unit is a CSS pixel and text
// keeps its size at every width); horizontal positions are percentages of the chart's width.
constexpr double kFontSize = 14;
constexpr double kTop = 4;
constexpr double kRowHeight = 46;      // a label line above a bar line
constexpr double kLabelBaseline = 16;  // within a row
constexpr double kBarTop = 23;
constexpr double kBarHeight = 16;
constexpr double kValueBaseline = 36;
constexpr double kAxisLabel = 20;  // below the axis line
constexpr double kAxisHeight = 30;
// The longest bar ends here (per cent of the width): the rest holds its value's text, even on
// a phone ("12.345" needs about 50 px; 20 % of a 343 px chart is 68 px).
constexpr double kSpan = 80;
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
constexpr const char* kBreakDash = "3 4";

std::string number(double value) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.1f", value);
  return buffer.data();
}
std::string percent(double value) { return number(value) + "%"; }

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

template <class Visit>
void for_each_tick(const Scale& scale, Visit&& visit) {
  const int count = static_cast<int>(std::lround(scale.maximum / scale.step));
  for (int index = 0; index <= count; ++index) visit(index, scale.step * index);
}

std::optional<double> largest_value(const std::vector<ChartValue>& values) {
  std::optional<double> largest;
  for (const ChartValue& value : values) {
    if (value.value && (!largest || *value.value > *largest)) largest = value.value;
  }
  return largest;
}

bool has_value(const std::vector<ChartValue>& values) {
  return std::any_of(values.begin(), values.end(),
                     [](const ChartValue& value) { return value.value.has_value(); });
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

// Opens the <figure> and <svg> with its accessible name and description. The SVG is as wide as
// the figure and `height` pixels high.
void open_chart(Html& html, const ChartFrame& frame, double height) {
  const std::string title_id = frame.id + "-title";
  const std::string desc_id = frame.id + "-desc";
  html.open("figure", {{"class", "ik-chart"}, {"id", frame.id}});
  html.open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                    {"class", "ik-chart__drawing"},
                    {"width", "100%"},
                    {"height", number(height)},
                    {"role", "img"},
                    {"aria-labelledby", title_id + " " + desc_id},
                    {"font-family", "Fira Sans, sans-serif"},
                    {"font-size", number(kFontSize)}});
  html.element("title", {{"id", title_id}}, frame.title);
  html.element("desc", {{"id", desc_id}}, frame.description);
}

void close_drawing(Html& html) { html.close(); }  // svg

void close_figure(Html& html, const std::string& summary) {
  html.element("figcaption", {{"class", "kern-body"}}, summary);
  html.close();  // figure
}

// Text at a horizontal position in per cent, moved `shift` pixels to the right. A white halo
// (its stroke, painted under the letters) keeps grid lines from crossing the letters.
void text_at(Html& html, double x_percent, double y, std::string_view anchor, const char* fill,
             std::string_view text, double shift = 0) {
  html.element(
      "text",
      {{"x", percent(x_percent)},
       {"y", number(y)},
       {"dx", number(shift), shift == 0 ? Attribute::Kind::absent : Attribute::Kind::value},
       {"text-anchor", std::string(anchor)},
       {"fill", fill},
       {"stroke", "#fff"},
       {"stroke-width", "4"},
       {"stroke-linejoin", "round"},
       {"paint-order", "stroke"}},
      text);
}

struct Stroke {
  const char* colour = kText;
  std::string_view width = "1";
  std::string_view dash = {};
};

// A line from (x1 %, y1 px) to (x2 %, y2 px).
void line(Html& html, double x1, double y1, double x2, double y2, const Stroke& stroke) {
  html.empty("line", {{"x1", percent(x1)},
                      {"y1", number(y1)},
                      {"x2", percent(x2)},
                      {"y2", number(y2)},
                      {"stroke", stroke.colour},
                      {"stroke-width", std::string(stroke.width)},
                      {"stroke-linecap", "round"},
                      {"stroke-dasharray", std::string(stroke.dash),
                       stroke.dash.empty() ? Attribute::Kind::absent : Attribute::Kind::value}});
}

void dot(Html& html, double x_percent, double y, std::string_view radius, const char* fill,
         bool outlined) {
  html.empty("circle",
             {{"cx", percent(x_percent)},
              {"cy", number(y)},
              {"r", std::string(radius)},
              {"fill", fill},
              {"stroke", kText, outlined ? Attribute::Kind::value : Attribute::Kind::absent},
              {"stroke-width", "1", outlined ? Attribute::Kind::value : Attribute::Kind::absent}});
}

// ---- Rows: bar chart and dot plot -----------------------------------------------------------

double row_top(std::size_t row) { return kTop + static_cast<double>(row) * kRowHeight; }
double rows_bottom(std::size_t rows) { return row_top(rows) + 4; }
double x_of_value(double value, const Scale& scale) {
  return kSpan * std::clamp(value, 0.0, scale.maximum) / scale.maximum;
}

// The value axis below the rows, with grid lines up through them. The first tick's label starts
// at the left edge, so that it is not cut in half.
void horizontal_axis(Html& html, const Scale& scale, std::size_t rows, Language language) {
  const double bottom = rows_bottom(rows);
  for_each_tick(scale, [&](int index, double tick) {
    const double x = x_of_value(tick, scale);
    line(html, x, kTop, x, bottom, {kGrid});
    text_at(html, x, bottom + kAxisLabel, index == 0 ? "start" : "middle", kMuted,
            tick_text(tick, scale.step, language));
  });
  line(html, 0, bottom, kSpan, bottom, {kText});
}

// The row's label above its drawing; a gap's sign where the bar or dot would be. Returns
// whether the row has a value to draw.
bool row_label(Html& html, std::size_t row, const std::string& label, const ChartValue& value) {
  text_at(html, 0, row_top(row) + kLabelBaseline, "start", kText, label);
  if (!value.value) text_at(html, 0, row_top(row) + kValueBaseline, "start", kMuted, value.text);
  return value.value.has_value();
}

}  // namespace

void bar_chart(Html& html, const BarChart& chart, Language language) {
  const Scale scale = scale_for(largest_value(chart.values).value_or(0));
  open_chart(html, chart.frame, rows_bottom(chart.labels.size()) + kAxisHeight);
  horizontal_axis(html, scale, chart.labels.size(), language);
  for (std::size_t row = 0; row < chart.labels.size(); ++row) {
    const ChartValue& value = chart.values[row];
    if (!row_label(html, row, chart.labels[row], value)) continue;
    const double length = x_of_value(*value.value, scale);
    html.empty("rect", {{"x", "0"},
                        {"y", number(row_top(row) + kBarTop)},
                        {"width", percent(length)},
                        {"height", number(kBarHeight)},
                        {"fill", chart.highlight == row ? kBarHighlight : kBar}});
    text_at(html, length, row_top(row) + kValueBaseline, "start", kText, value.text, 6);
  }
  close_drawing(html);
  const auto found = extremes(chart.values);
  if (!found) return close_figure(html, std::string(message(language, "chart.no_values")));
  close_figure(html, message_with(language, "chart.bar_summary",
                                  {{"max_label", chart.labels[found->first]},
                                   {"max", chart.values[found->first].text},
                                   {"min_label", chart.labels[found->second]},
                                   {"min", chart.values[found->second].text}}) +
                         gaps_clause(chart.labels, chart.values, language) + ".");
}

void dot_plot(Html& html, const DotPlot& chart, Language language) {
  const Scale scale =
      scale_for(std::max(largest_value(chart.values).value_or(0), chart.parity * 2));
  const double bottom = rows_bottom(chart.labels.size());
  open_chart(html, chart.frame, bottom + kAxisHeight + 20);
  horizontal_axis(html, scale, chart.labels.size(), language);
  const double parity_x = x_of_value(chart.parity, scale);
  line(html, parity_x, kTop, parity_x, bottom, {kText, "2", "5 3"});
  text_at(html, parity_x, bottom + kAxisLabel + 20, "middle", kText,
          message_with(language, "chart.parity", {{"value", chart.parity_text}}));
  std::size_t at_or_above = 0;
  std::size_t shown = 0;
  for (std::size_t row = 0; row < chart.labels.size(); ++row) {
    const ChartValue& value = chart.values[row];
    if (!row_label(html, row, chart.labels[row], value)) continue;
    ++shown;
    if (*value.value >= chart.parity) ++at_or_above;
    const double x = x_of_value(*value.value, scale);
    const double middle = row_top(row) + kBarTop + kBarHeight / 2;
    line(html, 0, middle, x, middle, {kGrid});
    dot(html, x, middle, "6", kBar, true);
    text_at(html, x, middle + 5, "start", kText, value.text, 10);
  }
  close_drawing(html);
  const auto found = extremes(chart.values);
  if (!found) return close_figure(html, std::string(message(language, "chart.no_values")));
  const std::string above = std::to_string(at_or_above);
  const std::string count = std::to_string(shown);
  close_figure(html, message_with(language, "chart.dot_summary",
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

// ---- Line chart ---------------------------------------------------------------------------

constexpr double kLineTop = 24;  // room for the top tick's label above its grid line
constexpr double kLineBottom = 264;
constexpr double kLineHeight = kLineBottom + kAxisHeight;
constexpr double kFirstX = 6;  // per cent: room for half a year label at either end
constexpr double kLastX = 94;
// At most this many year labels, so that they do not overlap on a phone (every year keeps its
// tick; the table beside the chart has all of them).
constexpr std::size_t kMaxXLabels = 6;

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
  if (count <= 1) return (kFirstX + kLastX) / 2;
  return kFirstX + (kLastX - kFirstX) * static_cast<double>(index) / static_cast<double>(count - 1);
}

double y_of(double value, const Scale& scale) {
  return kLineBottom - (kLineBottom - kLineTop) * value / scale.maximum;
}

bool breaks_before(const LineSeries& series, std::size_t index) {
  return std::find(series.breaks.begin(), series.breaks.end(), index) != series.breaks.end();
}

// Grid lines with their value above them at the left edge, the axis and the year labels
// (counted from the last year, so that the latest is always labelled).
void line_axes(Html& html, const LineChart& chart, const Scale& scale, Language language) {
  for_each_tick(scale, [&](int, double tick) {
    const double y = y_of(tick, scale);
    line(html, 0, y, 100, y, {kGrid});
    text_at(html, 0, y - 5, "start", kMuted, tick_text(tick, scale.step, language));
  });
  line(html, 0, kLineBottom, 100, kLineBottom, {kText});
  const std::size_t count = chart.x_labels.size();
  const std::size_t every = (count + kMaxXLabels - 1) / kMaxXLabels;
  for (std::size_t index = 0; index < count; ++index) {
    const double x = x_of(index, count);
    line(html, x, kLineBottom, x, kLineBottom + 5, {kText});
    if ((count - 1 - index) % every == 0)
      text_at(html, x, kLineBottom + kAxisLabel, "middle", kText, chart.x_labels[index]);
  }
}

// A dashed vertical line halfway between the two years a break separates.
void break_marks(Html& html, const LineChart& chart) {
  const std::size_t count = chart.x_labels.size();
  for (const LineSeries& series : chart.series) {
    for (const std::size_t index : series.breaks) {
      if (index == 0 || index >= count) continue;
      const double x = (x_of(index - 1, count) + x_of(index, count)) / 2;
      line(html, x, kLineTop - 8, x, kLineBottom, {kMuted, "2", kBreakDash});
    }
  }
}

// The series as lines between neighbouring values (not across a gap or a break), and a dot at
// every value (so that a value between two gaps is still visible).
void draw_series(Html& html, const LineSeries& series, const SeriesStyle& style,
                 const Scale& scale) {
  const std::size_t count = series.values.size();
  for (std::size_t index = 1; index < count; ++index) {
    const auto& before = series.values[index - 1].value;
    const auto& after = series.values[index].value;
    if (!before || !after || breaks_before(series, index)) continue;
    line(html, x_of(index - 1, count), y_of(*before, scale), x_of(index, count),
         y_of(*after, scale), {style.colour, style.width, style.dash});
  }
  for (std::size_t index = 0; index < count; ++index) {
    const auto& value = series.values[index].value;
    if (value) dot(html, x_of(index, count), y_of(*value, scale), "4", style.colour, false);
  }
}

// A small drawing of a series' line and dot, or of the break mark, for the legend.
void legend_swatch(Html& html, const Stroke& stroke, bool vertical, bool with_dot) {
  html.nest(
      "svg",
      {{"xmlns", "http://www.w3.org/2000/svg"},
       {"class", "ik-chart__swatch"},
       {"width", "36"},
       {"height", "16"},
       {"aria-hidden", "true"},
       {"focusable", "false"}},
      [&] {
        html.empty("line",
                   {{"x1", vertical ? "18" : "2"},
                    {"y1", vertical ? "1" : "8"},
                    {"x2", vertical ? "18" : "34"},
                    {"y2", vertical ? "15" : "8"},
                    {"stroke", stroke.colour},
                    {"stroke-width", std::string(stroke.width)},
                    {"stroke-dasharray", std::string(stroke.dash),
                     stroke.dash.empty() ? Attribute::Kind::absent : Attribute::Kind::value}});
        if (with_dot)
          html.empty("circle", {{"cx", "18"}, {"cy", "8"}, {"r", "4"}, {"fill", stroke.colour}});
      });
}

// The legend as a list below the drawing: only series with a drawn value, each with its whole
// name, and the break mark where a series has one.
void legend(Html& html, const LineChart& chart, Language language) {
  html.nest("ul", {{"class", "ik-chart__legend"}}, [&] {
    for (std::size_t index = 0; index < chart.series.size(); ++index) {
      const LineSeries& series = chart.series[index];
      if (!has_value(series.values)) continue;
      const SeriesStyle style = style_of(series, index);
      html.nest("li", {}, [&] {
        legend_swatch(html, {style.colour, style.width, style.dash}, false, true);
        html.element("span", series.label);
      });
    }
    for (const LineSeries& series : chart.series) {
      if (series.breaks.empty() || !has_value(series.values)) continue;
      html.nest("li", {}, [&] {
        legend_swatch(html, {kMuted, "2", kBreakDash}, true, false);
        html.element("span",
                     message_with(language, "chart.break_legend", {{"label", series.label}}));
      });
    }
  });
}

// "von 20,0 (2020) bis 24,0 (2024)", or "20,0 (2020)" for a single value; segments between
// breaks are joined by "; nach einem Bruch in der Zeitreihe ".
std::string segments_text(const LineChart& chart, const LineSeries& series, Language language) {
  std::string text;
  std::optional<std::size_t> first;
  std::size_t last = 0;
  const auto flush = [&] {
    if (!first) return;
    if (!text.empty()) text += message(language, "chart.line_after_break");
    text += *first == last
                ? message_with(language, "chart.line_point",
                               {{"value", series.values[last].text}, {"x", chart.x_labels[last]}})
                : message_with(language, "chart.line_segment",
                               {{"first", series.values[*first].text},
                                {"first_x", chart.x_labels[*first]},
                                {"last", series.values[last].text},
                                {"last_x", chart.x_labels[last]}});
    first.reset();
  };
  for (std::size_t index = 0; index < series.values.size(); ++index) {
    if (breaks_before(series, index)) flush();
    if (!series.values[index].value) continue;
    if (!first) first = index;
    last = index;
  }
  flush();
  return text;
}

std::string line_summary(const LineChart& chart, Language language) {
  const LineSeries* chosen = nullptr;
  std::size_t drawn = 0;
  for (const LineSeries& series : chart.series) {
    if (!has_value(series.values)) continue;
    ++drawn;
    if (!chosen || (series.emphasis && !chosen->emphasis)) chosen = &series;
  }
  if (!chosen) return std::string(message(language, "chart.no_values"));
  return message_with(language, "chart.line_summary",
                      {{"label", chosen->label},
                       {"segments", segments_text(chart, *chosen, language)},
                       {"series", std::to_string(drawn)}});
}

}  // namespace

void line_chart(Html& html, const LineChart& chart, Language language) {
  std::optional<double> largest;
  for (const LineSeries& series : chart.series) {
    const auto candidate = largest_value(series.values);
    if (candidate && (!largest || *candidate > *largest)) largest = candidate;
  }
  const Scale scale = scale_for(largest.value_or(0));
  open_chart(html, chart.frame, kLineHeight);
  line_axes(html, chart, scale, language);
  break_marks(html, chart);
  // Plain series first, the emphasised one last so that it is drawn on top.
  for (const bool emphasised : {false, true}) {
    for (std::size_t index = 0; index < chart.series.size(); ++index) {
      const LineSeries& series = chart.series[index];
      if (series.emphasis == emphasised) draw_series(html, series, style_of(series, index), scale);
    }
  }
  close_drawing(html);
  legend(html, chart, language);
  close_figure(html, line_summary(chart, language));
}

}  // namespace ik::web
