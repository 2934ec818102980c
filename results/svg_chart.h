#pragma once
// Small inline SVG line charts for the policy report: a mean line with a shaded 5-95%
// band per series, axes with ticks and labels (units in the label), vertical markers
// (elections, tenders) and a legend. Several panels sharing one legend make small
// multiples. No scripts, no external fonts: the SVG is text inside the HTML page and
// renders offline and in print.
//
// Each panel carries its plot rectangle and data domain as attributes (data-plot,
// data-xdomain, data-ydomain), and each line its label (data-series), so a test can
// read the values back from the drawing.
#include <string>
#include <vector>

namespace lokalmat::report {

struct ChartSeries {
  std::string label;
  std::string color;          // CSS colour
  std::vector<double> x;      // data coordinates
  std::vector<double> mean;   // the line; NaN leaves a gap
  std::vector<double> lo, hi; // the band (same length as x); empty: no band
  bool dashed = false;        // a reference line, e.g. a budget (class "series reference")
};

struct ChartMarker {
  double x = 0;
  std::string label;  // drawn at the top of the line
  std::string kind;   // CSS class suffix: marker-<kind>
  std::string color = "#666";
  bool dashed = true;
};

struct AxisTick {
  double value = 0;
  std::string label;
};

struct Axis {
  std::string label;  // with its unit, e.g. "Local share (%)"
  double min = 0, max = 1;
  std::vector<AxisTick> ticks;
};

struct ChartPanel {
  std::string title;  // empty for a single-panel chart
  std::vector<ChartSeries> series;
};

struct LegendEntry {
  std::string label;
  std::string color;
  bool dashed = false;
  bool band = true;
};

struct Chart {
  std::string id;      // unique in the page
  std::string title;   // the SVG's <title> (its text alternative)
  Axis x, y;           // shared by all panels
  std::vector<ChartPanel> panels;
  std::vector<ChartMarker> markers;  // drawn in every panel
  std::vector<LegendEntry> legend;
  std::string band_note;  // legend text explaining the bands; empty: none
  int columns = 1;        // panels per row
  double width = 920;     // SVG user units
  double panel_height = 280;
};

// about `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 x 10^k)
std::vector<double> nice_ticks(double lo, double hi, int count);
// ticks from nice_ticks with labels in the given decimal separator
std::vector<AxisTick> numeric_ticks(double lo, double hi, int count, char decimal_separator);
// the chart as an <svg> element
std::string render_chart(const Chart& chart);
// text made safe inside HTML/SVG elements and attribute values
std::string escape_xml(const std::string& text);

}  // namespace lokalmat::report
