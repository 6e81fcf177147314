#include "sim/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>

#include "sim/json_out.h"

namespace twin::sim {
namespace {

constexpr int kWidth = 720;
constexpr int kHeight = 220;
constexpr int kLeft = 56;
constexpr int kBottom = 28;
constexpr int kTop = 12;
constexpr int kRight = 130;  // room for the legend
constexpr int kBins = 120;
constexpr const char* kColours[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                                    "#66a61e", "#e6ab02", "#a6761d", "#666666"};

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y)
};

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A line chart; x in seconds from 0 to x_max, y from 0 to the largest value.
std::string line_chart(const std::string& title, const std::string& y_label, double x_max,
                       const std::vector<Series>& series, bool steps) {
  double y_max = 1;
  for (const auto& s : series) {
    for (const auto& p : s.points) y_max = std::max(y_max, p.second);
  }
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kTop - kBottom;
  auto px = [&](double x) { return kLeft + plot_w * (x_max > 0 ? x / x_max : 0); };
  auto py = [&](double y) { return kTop + plot_h * (1 - y / y_max); };
  std::string svg = fmt::format(
      "<figure><figcaption>{}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\">",
      escape(title), kWidth, kHeight, kWidth, kHeight);
  svg += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#999\"/>"
      "<line x1=\"{0}\" y1=\"{3}\" x2=\"{0}\" y2=\"{1}\" stroke=\"#999\"/>",
      kLeft, kHeight - kBottom, kWidth - kRight, kTop);
  svg += fmt::format(
      "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{:g}</text>"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">0</text>"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{:g} s</text>"
      "<text x=\"4\" y=\"{}\" font-size=\"11\">{}</text>",
      kLeft - 4, kTop + 10, y_max, kLeft - 4, kHeight - kBottom, kWidth - kRight,
      kHeight - kBottom + 16, x_max, kHeight / 2, escape(y_label));
  for (std::size_t i = 0; i < series.size(); ++i) {
    const char* colour = kColours[i % std::size(kColours)];
    std::string points;
    double last_y = 0;
    for (const auto& [x, y] : series[i].points) {
      if (steps && !points.empty()) points += fmt::format("{:.1f},{:.1f} ", px(x), py(last_y));
      points += fmt::format("{:.1f},{:.1f} ", px(x), py(y));
      last_y = y;
    }
    svg += fmt::format(
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{}\">{}</text>",
        colour, points, kWidth - kRight + 8, kTop + 12 + 14 * static_cast<int>(i), colour,
        escape(series[i].name));
  }
  return svg + "</svg></figure>\n";
}

std::size_t bin_of(core::DurationUs t_us, double duration_s) {
  auto i = static_cast<std::size_t>(static_cast<double>(t_us) / 1e6 / duration_s * kBins);
  return std::min<std::size_t>(i, kBins - 1);
}

std::string status_chart(const ReplayOutput& out, double duration_s) {
  std::map<std::string, std::vector<double>> bins;  // "POST /trigger 200" -> count per bin
  for (const auto& o : out.outcomes) {
    auto& b = bins[o.route + " " + o.status];
    b.resize(kBins, 0);
    b[bin_of(o.t_us, duration_s)] += 1;
  }
  std::vector<Series> series;
  const double width_s = duration_s / kBins;
  for (const auto& [name, counts] : bins) {
    Series s{name, {}};
    for (int i = 0; i < kBins; ++i) s.points.push_back({width_s * i, counts[i]});
    s.points.push_back({duration_s, counts[kBins - 1]});
    series.push_back(std::move(s));
  }
  return line_chart(fmt::format("Answers by route and status, per {:g} s", width_s), "answers",
                    duration_s, series, true);
}

// The largest sample in each bin, so a day of one-second samples reads as an envelope; a bin
// without samples holds the previous bin's last value (nothing changed).
Series binned_max(std::string name, const std::vector<Sample>& samples, double duration_s,
                  const std::function<std::int64_t(const Sample&)>& value) {
  std::vector<double> max(kBins, -1);
  std::vector<double> last(kBins, -1);
  for (const auto& s : samples) {
    auto i = bin_of(s.t_us, duration_s);
    max[i] = std::max(max[i], static_cast<double>(value(s)));
    last[i] = static_cast<double>(value(s));
  }
  Series series{std::move(name), {}};
  const double width_s = duration_s / kBins;
  double carried = 0;
  for (int i = 0; i < kBins; ++i) {
    double v = max[i] >= 0 ? std::max(max[i], carried) : carried;
    if (last[i] >= 0) carried = last[i];
    series.points.push_back({width_s * i, v});
  }
  series.points.push_back({duration_s, series.points.back().second});
  return series;
}

std::string sample_charts(const ReplayOutput& out, double duration_s) {
  const double width_s = duration_s / kBins;
  std::string html =
      line_chart(fmt::format("Lambda concurrent executions, largest sample per {:g} s", width_s),
                 "executions", duration_s,
                 {binned_max("concurrent executions", out.samples, duration_s,
                             [](const Sample& s) { return s.concurrency; })},
                 true);
  if (out.queue_names.empty()) return html;
  std::vector<Series> depths;
  for (std::size_t q = 0; q < out.queue_names.size(); ++q) {
    depths.push_back(binned_max(out.queue_names[q], out.samples, duration_s,
                                [q](const Sample& s) { return s.depths[q]; }));
  }
  return html +
         line_chart(fmt::format("Queue depth (visible + in flight + delayed), largest sample "
                                "per {:g} s",
                                width_s),
                    "messages", duration_s, depths, true);
}

std::string latency_chart(const ReplayOutput& out) {
  const auto& routes = out.report.at("routes").as_object();
  double y_max = 1;
  for (const auto& r : routes) {
    y_max = std::max(y_max, r.value().at("latency_ms").at("max").to_number<double>());
  }
  const double plot_h = kHeight - kTop - kBottom;
  std::string svg = fmt::format(
      "<figure><figcaption>Latency percentiles per route (ms)</figcaption><svg "
      "xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\">",
      kWidth, kHeight);
  int x = kLeft;
  for (const auto& r : routes) {
    const auto& lat = r.value().at("latency_ms").as_object();
    int k = 0;
    for (const char* p : {"p50", "p90", "p99", "max"}) {
      const double v = lat.at(p).to_number<double>();
      const double h = plot_h * v / y_max;
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{:.1f}\" width=\"22\" height=\"{:.1f}\" fill=\"{}\"><title>{} {} "
          "{:.3f} ms</title></rect><text x=\"{}\" y=\"{}\" font-size=\"10\">{}</text>",
          x, kTop + plot_h - h, h, kColours[k], escape(r.key()), p, v, x, kHeight - kBottom + 12,
          p);
      x += 26;
      ++k;
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>", x - 104, kHeight - 4,
                       escape(r.key()));
    x += 40;
  }
  svg +=
      fmt::format("<text x=\"4\" y=\"{}\" font-size=\"11\">max {:.3f} ms</text>", kTop + 10, y_max);
  return svg + "</svg></figure>\n";
}

}  // namespace

std::string html_report(const Fixture& fixture, const ReplayOutput& out) {
  const double duration_s = static_cast<double>(fixture.duration_us) / 1e6;
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>twin replay: " +
      escape(fixture.name) +
      "</title><style>body{font-family:sans-serif;max-width:760px;margin:2em auto;color:#222}"
      "figure{margin:1.5em 0}figcaption{font-weight:bold;margin-bottom:.3em}"
      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
      "text-align:left}.ok{color:#1b7e37}.fail{color:#c62828}pre{white-space:pre-wrap}"
      "</style></head><body>\n";
  html += fmt::format(
      "<h1>{}</h1><p>{}</p><p>seed {} &middot; {:g} s of virtual time &middot; "
      "<span class=\"{}\">{}</span></p><p>digest <code>{}</code></p>\n",
      escape(fixture.name), escape(fixture.description), out.seed, duration_s,
      out.ok ? "ok" : "fail", out.ok ? "PASS" : "FAIL", out.digest);
  html += status_chart(out, duration_s);
  html += sample_charts(out, duration_s);
  html += latency_chart(out);
  html +=
      "<h2>Expectations</h2><table><tr><th>figure</th><th>expected</th><th>actual</th>"
      "<th></th></tr>\n";
  for (const auto& e : out.expectations) {
    std::string expected;
    if (e.expected.min && e.expected.max && *e.expected.min == *e.expected.max) {
      expected = fmt::format("{:g}", *e.expected.min);
    } else {
      if (e.expected.min) expected += fmt::format("&ge; {:g} ", *e.expected.min);
      if (e.expected.max) expected += fmt::format("&le; {:g}", *e.expected.max);
    }
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{:g}</td><td class=\"{}\">{}</td></tr>\n",
                        escape(e.name), expected, e.actual, e.ok ? "ok" : "fail",
                        e.ok ? "ok" : "FAILED");
  }
  html += "</table>\n<h2>Report</h2><pre>" + escape(to_json(out.report, 2)) +
          "</pre>\n<p>Reproduce: <code>" + escape(out.reproduce) + "</code></p></body></html>\n";
  return html;
}

}  // namespace twin::sim
