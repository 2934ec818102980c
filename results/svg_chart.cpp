#include "results/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace lokalmat::report {

namespace {

// layout in SVG user units
constexpr double kYLabelWidth = 22;    // the rotated y-axis label at the far left
constexpr double kTickWidth = 46;      // y tick labels left of each plot
constexpr double kRightPad = 14;
constexpr double kPanelTitle = 20;     // above a plot, when panels have titles
constexpr double kMarkerLabel = 14;    // room for marker labels at the top of a plot
constexpr double kTickHeight = 22;     // x tick labels below each plot
constexpr double kXLabelHeight = 26;   // the x-axis label at the bottom
constexpr double kLegendRow = 20;
constexpr double kCharWidth = 6.6;     // rough width of a 12-unit sans-serif character

struct Plot {
  double left, top, width, height;
  double xmin, xmax, ymin, ymax;
  [[nodiscard]] double px(double x) const { return left + (x - xmin) / (xmax - xmin) * width; }
  [[nodiscard]] double py(double y) const { return top + height - (y - ymin) / (ymax - ymin) * height; }
};

bool finite(double v) { return std::isfinite(v); }

// the mean line: one "M" per stretch of finite values
std::string line_path(const Plot& p, const ChartSeries& s) {
  std::string d;
  bool pen_down = false;
  for (std::size_t i = 0; i < s.x.size() && i < s.mean.size(); ++i) {
    if (!finite(s.mean[i]) || !finite(s.x[i])) {
      pen_down = false;
      continue;
    }
    d += fmt::format("{}{:.1f} {:.1f}", pen_down ? "L" : "M", p.px(s.x[i]), p.py(s.mean[i]));
    pen_down = true;
  }
  return d;
}

// the band: a closed outline (upper edge forward, lower edge back) per stretch where both ends are finite
std::string band_path(const Plot& p, const ChartSeries& s) {
  std::string d;
  const std::size_t n = std::min({s.x.size(), s.lo.size(), s.hi.size()});
  std::size_t i = 0;
  while (i < n) {
    if (!finite(s.lo[i]) || !finite(s.hi[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && finite(s.lo[j]) && finite(s.hi[j])) ++j;
    for (std::size_t k = i; k < j; ++k) d += fmt::format("{}{:.1f} {:.1f}", k == i ? "M" : "L", p.px(s.x[k]), p.py(s.hi[k]));
    for (std::size_t k = j; k-- > i;) d += fmt::format("L{:.1f} {:.1f}", p.px(s.x[k]), p.py(s.lo[k]));
    d += "Z";
    i = j;
  }
  return d;
}

std::string format_tick(double v, double step, char decimal_separator) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s == "-0") s.erase(0, 1);  // a negative zero prints as 0
  if (decimal_separator != '.') std::replace(s.begin(), s.end(), '.', decimal_separator);
  return s;
}

}  // namespace

std::string escape_xml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int count) {
  if (!finite(lo) || !finite(hi) || hi <= lo || count < 1) return {lo};
  const double raw = (hi - lo) / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag * 1.0000001) {
      step = m * mag;
      break;
    }
  // whole multiples of the step (k x step, not a running sum, so 0.6 stays 0.6)
  std::vector<double> ticks;
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1) ticks.push_back(k == 0 ? 0.0 : k * step);
  return ticks;
}

std::vector<AxisTick> numeric_ticks(double lo, double hi, int count, char decimal_separator) {
  const auto values = nice_ticks(lo, hi, count);
  const double step = values.size() > 1 ? values[1] - values[0] : 1.0;
  std::vector<AxisTick> out;
  for (double v : values) out.push_back({v, format_tick(v, step, decimal_separator)});
  return out;
}

std::string render_chart(const Chart& c) {
  const int columns = std::max(1, c.columns);
  const int rows = static_cast<int>((c.panels.size() + static_cast<std::size_t>(columns) - 1) / static_cast<std::size_t>(columns));
  const bool titled = std::any_of(c.panels.begin(), c.panels.end(), [](const ChartPanel& p) { return !p.title.empty(); });

  // the legend flows left to right and wraps
  struct Placed {
    double x, y;
    const LegendEntry* entry;
  };
  std::vector<Placed> placed;
  double lx = kYLabelWidth, ly = 14;
  auto place = [&](double w) {
    if (lx + w > c.width - kRightPad && lx > kYLabelWidth) {
      lx = kYLabelWidth;
      ly += kLegendRow;
    }
    const double at = lx;
    lx += w;
    return at;
  };
  for (const auto& e : c.legend) {
    const double w = 34 + kCharWidth * static_cast<double>(e.label.size()) + 18;
    const double at = place(w);
    placed.push_back({at, ly, &e});
  }
  double note_x = -1, note_y = ly;
  if (!c.band_note.empty()) {
    note_x = place(30 + kCharWidth * static_cast<double>(c.band_note.size()));
    note_y = ly;
  }
  const double legend_height = c.legend.empty() && c.band_note.empty() ? 0 : ly + 10;
  const double height = legend_height + rows * c.panel_height + kXLabelHeight;
  const double panel_width = (c.width - kYLabelWidth) / columns;

  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{0}\" viewBox=\"0 0 {1:.0f} {2:.0f}\" "
      "width=\"{1:.0f}\" height=\"{2:.0f}\" role=\"img\" aria-labelledby=\"{0}-title\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<title id=\"{0}-title\">{3}</title>\n",
      escape_xml(c.id), c.width, height, escape_xml(c.title));

  // legend: a line over a band swatch per entry, then the note on bands
  if (legend_height > 0) {
    s += "<g class=\"legend\">\n";
    for (const auto& pl : placed) {
      const auto& e = *pl.entry;
      s += fmt::format("<g class=\"legend-entry\" data-label=\"{}\">", escape_xml(e.label));
      if (e.band)
        s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"26\" height=\"10\" fill=\"{}\" fill-opacity=\"0.2\"/>",
                         pl.x, pl.y - 9, e.color);
      s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"2.5\"{}/>",
                       pl.x, pl.y - 4, pl.x + 26, pl.y - 4, e.color, e.dashed ? " stroke-dasharray=\"6 4\"" : "");
      s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text></g>\n", pl.x + 32, pl.y, escape_xml(e.label));
    }
    if (note_x >= 0)
      s += fmt::format("<g class=\"legend-note\"><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"22\" height=\"10\" fill=\"#777\" "
                       "fill-opacity=\"0.2\"/><text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#444\">{}</text></g>\n",
                       note_x, note_y - 9, note_x + 28, note_y, escape_xml(c.band_note));
    s += "</g>\n";
  }

  for (std::size_t pi = 0; pi < c.panels.size(); ++pi) {
    const ChartPanel& panel = c.panels[pi];
    const int col = static_cast<int>(pi % static_cast<std::size_t>(columns));
    const int row = static_cast<int>(pi / static_cast<std::size_t>(columns));
    const double x0 = kYLabelWidth + col * panel_width, y0 = legend_height + row * c.panel_height;
    Plot p{x0 + kTickWidth,
           y0 + (titled ? kPanelTitle : 0) + kMarkerLabel,
           panel_width - kTickWidth - kRightPad,
           c.panel_height - (titled ? kPanelTitle : 0) - kMarkerLabel - kTickHeight,
           c.x.min, c.x.max, c.y.min, c.y.max};
    if (p.xmax <= p.xmin) p.xmax = p.xmin + 1;
    if (p.ymax <= p.ymin) p.ymax = p.ymin + 1;
    s += fmt::format(
        "<g class=\"panel\" data-title=\"{}\" data-plot=\"{:.1f} {:.1f} {:.1f} {:.1f}\" data-xdomain=\"{:.17g} {:.17g}\" "
        "data-ydomain=\"{:.17g} {:.17g}\">\n",
        escape_xml(panel.title), p.left, p.top, p.width, p.height, p.xmin, p.xmax, p.ymin, p.ymax);
    if (titled)
      s += fmt::format("<text class=\"panel-title\" x=\"{:.1f}\" y=\"{:.1f}\" font-weight=\"bold\">{}</text>\n", p.left,
                       y0 + 14, escape_xml(panel.title));
    // grid and ticks
    for (const auto& t : c.y.ticks) {
      if (t.value < p.ymin - 1e-9 || t.value > p.ymax + 1e-9) continue;
      const double y = p.py(t.value);
      s += fmt::format("<line class=\"grid\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>"
                       "<text class=\"tick y\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#333\">{}</text>\n",
                       p.left, y, p.left + p.width, y, p.left - 6, y + 4, escape_xml(t.label));
    }
    for (const auto& t : c.x.ticks) {
      if (t.value < p.xmin - 1e-9 || t.value > p.xmax + 1e-9) continue;
      const double x = p.px(t.value);
      s += fmt::format("<line class=\"grid\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#eee\"/>"
                       "<text class=\"tick x\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#333\">{}</text>\n",
                       x, p.top, x, p.top + p.height, x, p.top + p.height + 15, escape_xml(t.label));
    }
    s += fmt::format("<rect class=\"frame\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" "
                     "stroke=\"#888\"/>\n",
                     p.left, p.top, p.width, p.height);
    // markers: a thin vertical line with its label at the top; a label that would overlap the one
    // before it goes a line lower, inside the plot
    double last_label_end = -1e9;
    for (const auto& m : c.markers) {
      if (m.x < p.xmin || m.x > p.xmax) continue;
      const double x = p.px(m.x);
      const double half_width = 3 + 2.9 * static_cast<double>(m.label.size());
      const bool crowded = x - half_width < last_label_end;
      const double label_y = crowded ? p.top + 11 : p.top - 4;
      if (!crowded) last_label_end = x + half_width;
      s += fmt::format("<g class=\"marker marker-{}\" data-x=\"{:.17g}\"><line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" "
                       "y2=\"{:.1f}\" stroke=\"{}\"{}/><text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
                       "font-size=\"10\" fill=\"{}\">{}</text></g>\n",
                       escape_xml(m.kind), m.x, x, p.top, x, p.top + p.height, m.color,
                       m.dashed ? " stroke-dasharray=\"3 3\"" : "", x, label_y, m.color, escape_xml(m.label));
    }
    // bands first, so that every line is drawn over every band
    for (const auto& ser : panel.series) {
      if (ser.lo.empty()) continue;
      const std::string d = band_path(p, ser);
      if (!d.empty())
        s += fmt::format("<path class=\"band\" data-series=\"{}\" d=\"{}\" fill=\"{}\" fill-opacity=\"0.18\" stroke=\"none\"/>\n",
                         escape_xml(ser.label), d, ser.color);
    }
    for (const auto& ser : panel.series)
      s += fmt::format("<path class=\"series{}\" data-series=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
                       "stroke-linejoin=\"round\"{}/>\n",
                       ser.dashed ? " reference" : "", escape_xml(ser.label), line_path(p, ser), ser.color,
                       ser.dashed ? " stroke-dasharray=\"6 4\"" : "");
    s += "</g>\n";
  }

  // axis labels, once for the whole chart
  const double plots_top = legend_height, plots_bottom = legend_height + rows * c.panel_height;
  s += fmt::format("<text class=\"axis-label x\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"13\">{}</text>\n",
                   kYLabelWidth + (c.width - kYLabelWidth) / 2, plots_bottom + 18, escape_xml(c.x.label));
  const double ymid = (plots_top + plots_bottom) / 2;
  s += fmt::format("<text class=\"axis-label y\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"13\" "
                   "transform=\"rotate(-90 {:.1f} {:.1f})\">{}</text>\n",
                   14.0, ymid, 14.0, ymid, escape_xml(c.y.label));
  s += "</svg>";
  return s;
}

}  // namespace lokalmat::report
