// Server-rendered SVG charts: a bar chart (cities side by side), a line chart (time series) and
// a dot plot with a parity line (the representation index). Each is a <figure> with an SVG of
// role="img" carrying <title> and <desc>, and a one-sentence summary as its caption; the caller
// renders the same figures as a data table beside it (forms.hpp data_table), the accessible
// alternative. No script and no inline style: colours are SVG presentation attributes.
//
// Drawn for the width they get, without script: horizontal positions are percentages of the
// chart's width and text has a fixed size in pixels, so a phone shows the whole chart with
// legible labels and a desktop a wider one (labels stand above their bars, not beside them).
// The line chart's legend is an HTML list below the drawing, so long names wrap, never cut.
//
// Charts take plain series, not monitoring types (web does not depend on monitoring). A value
// that is withheld or missing is a gap — never drawn as 0 — and its sign is written in its place.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "web/html.hpp"
#include "web/messages.hpp"

namespace ik::web {

struct ChartValue {
  std::optional<double> value;  // nullopt: withheld or missing (a gap)
  std::string text;             // as the table shows it: "12,5" or the sign "•"
};

struct ChartFrame {
  std::string id;           // unique on the page; prefixes the ids of <title> and <desc>
  std::string title;        // what the chart shows, e.g. "Anteil mit Einwanderungsgeschichte 2024"
  std::string description;  // unit and source in a sentence, read by screen readers
};

// Horizontal bars, one row per label (cities side by side), longest label left.
struct BarChart {
  ChartFrame frame;
  std::vector<std::string> labels;
  std::vector<ChartValue> values;        // parallel to labels
  std::optional<std::size_t> highlight;  // e.g. the region: drawn darker
};
// Precondition: values.size() == labels.size().
void bar_chart(Html& html, const BarChart& chart, Language language);

struct LineSeries {
  std::string label;
  std::vector<ChartValue> values;  // parallel to LineChart::x_labels
  bool emphasis = false;           // e.g. the region: drawn thicker and black
  // Indices (ascending, > 0) at which the series starts anew: value i − 1 and value i are not
  // joined, and a marked vertical line stands between them (a break in the series, e.g. when the
  // cities a region sums change, so that the values before and after are not comparable).
  std::vector<std::size_t> breaks;
};

// One line per series over the x labels (years); a gap or a break interrupts the line; a
// legend names each series that has a drawn value, with its colour and dash pattern
// (distinguishable without colour), and the break mark when a series has one.
struct LineChart {
  ChartFrame frame;
  std::vector<std::string> x_labels;
  std::vector<LineSeries> series;
};
// Precondition: every series has x_labels.size() values.
void line_chart(Html& html, const LineChart& chart, Language language);

// One dot per label on a horizontal scale from 0, with a vertical line at `parity`.
struct DotPlot {
  ChartFrame frame;
  std::vector<std::string> labels;
  std::vector<ChartValue> values;  // parallel to labels
  double parity = 1.0;
  std::string parity_text;  // "1,0": the parity as the table writes it
};
// Precondition: values.size() == labels.size().
void dot_plot(Html& html, const DotPlot& chart, Language language);

}  // namespace ik::web
