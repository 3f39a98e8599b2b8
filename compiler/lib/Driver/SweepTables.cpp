//===- SweepTables.cpp - What aec sweep writes about its runs -------------===//
//
// Every file is made from the runs' own metrics.csv. summary.md's table and
// report.html's are one table (summarize()) written twice, so they never
// differ.
//
//===----------------------------------------------------------------------===//

#include "SweepTables.h"

#include "aenet/Driver/Commands.h"
#include "aenet/Runtime/AtomicFile.h"
#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/ImageGrid.h"
#include "aenet/Runtime/Plot.h"

#include "llvm/Support/Base64.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace aenet::sweep {

namespace fs = std::filesystem;

std::string pointName(const Point &point) {
  if (point.empty())
    return "base";
  std::string name;
  for (const ParamSetting &setting : point)
    name += (name.empty() ? "" : ",") + setting.name + "=" + setting.text;
  for (char &c : name)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 32)
      c = '_';
  if (name.size() > 200)
    name = name.substr(0, 200);
  return name;
}

namespace {

/// The mean of |xs|: NaN when it is empty.
double mean(const std::vector<double> &xs) {
  double sum = 0;
  for (double x : xs)
    sum += x;
  return xs.empty() ? std::nan("") : sum / static_cast<double>(xs.size());
}

/// The sample standard deviation (n - 1); 0 for one value.
double spread(const std::vector<double> &xs) {
  if (xs.size() < 2)
    return 0;
  double m = mean(xs), sum = 0;
  for (double x : xs)
    sum += (x - m) * (x - m);
  return std::sqrt(sum / static_cast<double>(xs.size() - 1));
}

/// |x| for a person: six significant digits.
std::string number(double x) {
  std::ostringstream out;
  out << std::setprecision(6) << x;
  return out.str();
}

/// Accuracies are better high; losses and errors low.
bool higherIsBetter(const std::string &metric) {
  return metric.find("accuracy") != std::string::npos;
}

/// The row of |table| at the best value of |column|.
size_t bestRow(const rt::MetricsTable &table, int column, bool higher) {
  size_t best = 0;
  for (size_t r = 1; r < table.rows.size(); ++r) {
    double x = table.rows[r][column], b = table.rows[best][column];
    if (std::isnan(b) || (higher ? x > b : x < b))
      best = r;
  }
  return best;
}

/// The sum of a run's epoch seconds.
double trainSeconds(const rt::MetricsTable &table) {
  int seconds = table.columnIndex("seconds");
  double total = 0;
  for (const std::vector<double> &row : table.rows)
    total += seconds < 0 ? 0 : row[seconds];
  return total;
}

/// The index of |run|'s point in |found|.
size_t pointOf(const Findings &found, const RunResult &run) {
  return std::find(found.points.begin(), found.points.end(), run.point) -
         found.points.begin();
}

/// summary.md's table, cell by cell: a header, then a row per point, and
/// the row of the best point (-1 for none).
struct SummaryTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int best = -1;
};

SummaryTable summarize(const Findings &found) {
  struct Point {
    std::vector<double> last, best, seconds;
    int64_t failed = 0;
  };
  bool higher = higherIsBetter(found.metric);
  std::vector<Point> points(found.points.size());
  for (const RunResult &run : found.runs) {
    size_t p = pointOf(found, run);
    const rt::MetricsTable &m = run.metrics;
    int column = m.columnIndex(found.metric);
    if (p == points.size())
      continue;
    if (run.diverged || column < 0 || m.rows.empty() ||
        !std::isfinite(m.rows.back()[column])) {
      ++points[p].failed;
      continue;
    }
    points[p].last.push_back(m.rows.back()[column]);
    points[p].best.push_back(m.rows[bestRow(m, column, higher)][column]);
    points[p].seconds.push_back(trainSeconds(m));
  }
  auto cell = [](const std::vector<double> &xs) {
    if (xs.empty())
      return std::string("—");
    return xs.size() < 2 ? number(mean(xs))
                         : number(mean(xs)) + " ± " + number(spread(xs));
  };
  SummaryTable table;
  for (const Axis &axis : found.axes)
    table.header.push_back(axis.name);
  table.header.insert(table.header.end(),
                      {"runs", found.metric, "best-epoch " + found.metric,
                       "train s", "parameters"});
  for (size_t p = 0; p < points.size(); ++p) {
    std::vector<std::string> row;
    for (const ParamSetting &setting : found.points[p])
      row.push_back(setting.text);
    row.push_back(std::to_string(points[p].last.size()) +
                  (points[p].failed ? " (" + std::to_string(points[p].failed) +
                                          " diverged)"
                                    : ""));
    row.push_back(cell(points[p].last));
    row.push_back(cell(points[p].best));
    row.push_back(cell(points[p].seconds));
    row.push_back(std::to_string(found.parameters[p]));
    table.rows.push_back(std::move(row));
    if (!points[p].last.empty() &&
        (table.best < 0 ||
         (higher ? mean(points[p].last) > mean(points[table.best].last)
                 : mean(points[p].last) < mean(points[table.best].last))))
      table.best = static_cast<int>(p);
  }
  return table;
}

/// The value of |column| in each of |runs| after its last epoch.
std::vector<double> finals(const std::vector<const RunResult *> &runs,
                           const std::string &column) {
  std::vector<double> xs;
  for (const RunResult *run : runs) {
    int c = run->metrics.columnIndex(column);
    if (c >= 0 && !run->metrics.rows.empty())
      xs.push_back(run->metrics.rows.back()[c]);
  }
  return xs;
}
/// Draws METRIC.png (each point's curve over the epochs, the mean of its
/// runs over a band of one standard deviation) and, for each parameter
/// with more than one value, METRIC_vs_NAME.png (the last epoch's metric
/// against the parameter's values, a line per combination of the other
/// parameters); returns the pictures written.
std::vector<std::string> writePlots(const Findings &found) {
  const std::string &base = found.base, &model = found.model,
                    &metric = found.metric;
  const std::vector<Axis> &axes = found.axes;
  const std::vector<Point> &points = found.points;
  std::vector<std::vector<const RunResult *>> byPoint(points.size());
  for (const RunResult &run : found.runs)
    byPoint[pointOf(found, run)].push_back(&run);
  auto band = [](rt::BandSeries &s, double x, const std::vector<double> &xs) {
    double m = mean(xs), d = spread(xs);
    s.x.push_back(x);
    s.mean.push_back(m);
    s.low.push_back(m - d);
    s.high.push_back(m + d);
  };
  std::vector<std::string> written;
  std::vector<rt::BandSeries> curves;
  for (size_t p = 0; p < points.size(); ++p) {
    if (byPoint[p].empty())
      continue;
    rt::BandSeries s;
    s.name = pointName(points[p]);
    for (size_t epoch = 0;; ++epoch) {
      std::vector<double> xs;
      for (const RunResult *run : byPoint[p]) {
        int c = run->metrics.columnIndex(metric);
        if (c >= 0 && epoch < run->metrics.rows.size())
          xs.push_back(run->metrics.rows[epoch][c]);
      }
      if (xs.empty())
        break;
      band(s, static_cast<double>(epoch + 1), xs);
    }
    // A run that diverged in its first epoch has no curve to draw.
    if (!s.x.empty())
      curves.push_back(std::move(s));
  }
  if (curves.empty())
    return written;
  std::string png = base + "/" + metric + ".png";
  rt::plotBands(png, model + ": " + metric + " per epoch, each point",
                "epoch", metric, curves);
  written.push_back(png);

  for (size_t a = 0; a < axes.size(); ++a) {
    // Zipped lists repeat values (sigma=0.5,0.75,0.5,0.75): one x each.
    std::vector<std::string> values;
    for (const std::string &value : axes[a].values)
      if (std::find(values.begin(), values.end(), value) == values.end())
        values.push_back(value);
    if (values.size() < 2)
      continue;
    // A line per combination of the other parameters' values.
    std::map<std::string, rt::BandSeries> lines;
    for (size_t p = 0; p < points.size(); ++p) {
      std::vector<double> xs = finals(byPoint[p], metric);
      if (xs.empty())
        continue;
      Point others = points[p];
      others.erase(others.begin() + a);
      std::string name = others.empty() ? metric : pointName(others);
      size_t x = std::find(values.begin(), values.end(), points[p][a].text) -
                 values.begin();
      lines[name].name = name;
      band(lines[name], static_cast<double>(x), xs);
    }
    std::vector<rt::BandSeries> series;
    for (auto &[name, line] : lines)
      series.push_back(std::move(line));
    png = base + "/" + metric + "_vs_" + axes[a].name + ".png";
    rt::plotBands(png,
                  model + ": " + metric + " after the last epoch against " +
                      axes[a].name,
                  axes[a].name, metric, series, values);
    written.push_back(png);
  }
  return written;
}


/// |text| with the characters HTML gives a meaning escaped.
std::string escapeHtml(const std::string &text) {
  std::string out;
  for (char c : text)
    switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  return out;
}

/// An <img> holding the PNG |path| itself (a data: URL), so the page needs
/// no other file; empty when there is no such picture.
std::string embeddedPng(const std::string &path, const std::string &alt) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return "";
  std::string bytes{std::istreambuf_iterator<char>(in),
                    std::istreambuf_iterator<char>()};
  return "<img alt=\"" + escapeHtml(alt) + "\" src=\"data:image/png;base64," +
         llvm::encodeBase64(bytes) + "\">";
}

/// reconstructions.png: the images each point's first run reconstructed
/// (kSweptImagesFile), a row per point under a row of their inputs, and for
/// a denoiser each point's noisy inputs above its row; a point whose inputs
/// differ from the first's (other data) gets its own input row. Rows show
/// as many images as every point has. Empty when no run has written its
/// images yet.
std::string writeReconstructionRows(const Findings &found) {
  struct Shown {
    std::string label;
    rt::Checkpoint images;
  };
  std::vector<Shown> shown;
  std::vector<int64_t> imageShape; // C, H, W
  int64_t count = 0;
  for (const Point &point : found.points) {
    std::string path = found.base + "/" + pointName(point) + "/run-1/" +
                       kSweptImagesFile;
    if (!fs::exists(path))
      continue;
    rt::Checkpoint images = rt::loadSafetensors(path);
    const rt::NamedTensor *input = images.find("input");
    const rt::NamedTensor *recon = images.find("reconstruction");
    if (!input || !recon || input->shape.size() != 4 ||
        recon->shape != input->shape)
      throw rt::DataError(path, "not the images of a sweep's run");
    std::vector<int64_t> chw(input->shape.begin() + 1, input->shape.end());
    if (!imageShape.empty() && chw != imageShape)
      throw rt::DataError(path, "images of another shape than the other "
                                "points'");
    imageShape = chw;
    count = shown.empty() ? input->shape[0]
                          : std::min(count, input->shape[0]);
    shown.push_back({pointName(point), std::move(images)});
  }
  if (shown.empty() || count == 0)
    return "";
  int64_t size = imageShape[0] * imageShape[1] * imageShape[2];
  auto row = [&](const rt::NamedTensor &t) {
    std::vector<const float *> images;
    for (int64_t i = 0; i < count; ++i)
      images.push_back(t.data.data() + i * size);
    return images;
  };
  std::vector<std::vector<const float *>> rows;
  std::vector<std::string> labels;
  const rt::NamedTensor &firstInput = *shown.front().images.find("input");
  rows.push_back(row(firstInput));
  labels.push_back("input");
  for (const Shown &point : shown) {
    const rt::NamedTensor &input = *point.images.find("input");
    if (&point != &shown.front() &&
        !std::equal(input.data.begin(), input.data.begin() + count * size,
                    firstInput.data.begin())) {
      rows.push_back(row(input));
      labels.push_back(point.label + " input");
    }
    if (const rt::NamedTensor *noisy = point.images.find("noisy");
        noisy && noisy->shape == input.shape) {
      rows.push_back(row(*noisy));
      labels.push_back(point.label + " noisy");
    }
    rows.push_back(row(*point.images.find("reconstruction")));
    labels.push_back(point.label);
  }
  std::string png = found.base + "/reconstructions.png";
  rt::writeImageGrid(png, rows, imageShape[1], imageShape[2], imageShape[0],
                     /*scaleUp=*/2, labels);
  return png;
}

/// report.html: one page with everything in it — the command, summary.md's
/// table, the plots, every point's reconstructions in one picture, and each
/// point's pictures (its first run's), for a person to open after the sweep.
bool writeReport(const Findings &found, const std::vector<std::string> &plots,
                 const std::string &reconstructions) {
  SummaryTable table = summarize(found);
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>Sweep of " << escapeHtml(found.model) << "</title>\n<style>\n"
      << "body{font-family:sans-serif;margin:2em;max-width:1200px}\n"
      << "table{border-collapse:collapse;margin:1em 0}\n"
      << "th,td{border:1px solid #bbb;padding:4px 10px;text-align:right}\n"
      << "th{background:#eee}\ntr.best{background:#e6f4ea;font-weight:bold}\n"
      << "img{max-width:100%;display:block;margin:0.5em 0}\n"
      << "code{background:#f4f4f4;padding:2px 4px}\n</style>\n</head>\n<body>\n"
      << "<h1>Sweep of " << escapeHtml(found.model) << "</h1>\n<p><code>"
      << escapeHtml(found.command) << "</code></p>\n<p>" << found.runs.size()
      << " runs of " << found.points.size() << " points, " << found.repeats
      << " per point. " << escapeHtml(found.metric)
      << " after the last epoch and at the best epoch, mean &plusmn; standard "
         "deviation over each point's runs.</p>\n<table id=\"summary\">\n<tr>";
  for (const std::string &cell : table.header)
    out << "<th>" << escapeHtml(cell) << "</th>";
  out << "</tr>\n";
  for (size_t r = 0; r < table.rows.size(); ++r) {
    out << (static_cast<int>(r) == table.best ? "<tr class=\"best\">"
                                              : "<tr>");
    for (const std::string &cell : table.rows[r])
      out << "<td>" << escapeHtml(cell) << "</td>";
    out << "</tr>\n";
  }
  out << "</table>\n<h2>Curves</h2>\n";
  for (const std::string &png : plots)
    out << embeddedPng(png, fs::path(png).filename().string()) << '\n';
  out << "<h2>Each point</h2>\n";
  if (!reconstructions.empty())
    out << embeddedPng(reconstructions, "every point's reconstructions")
        << '\n';
  for (const Point &point : found.points) {
    std::string dir = found.base + "/" + pointName(point) + "/run-1";
    std::string pictures;
    for (const char *name : {"reconstructions.png", "codes.png"})
      pictures += embeddedPng(dir + "/" + name, pointName(point) + " " + name);
    if (pictures.empty())
      continue;
    out << "<h3>" << escapeHtml(pointName(point)) << "</h3>\n"
        << pictures << '\n';
  }
  out << "</body>\n</html>\n";
  return writeTable(found.base + "/report.html", out.str());
}

} // namespace

std::string exactText(double x) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return ec == std::errc() ? std::string(buffer, end) : number(x);
}

bool writeTable(const std::string &path, const std::string &text) {
  std::string error = rt::writeFileAtomically(path, text);
  if (error.empty())
    return true;
  std::cerr << "aec: error: " << error << '\n';
  return false;
}

bool writeResults(const Findings &found) {
  const std::string &metric = found.metric;
  std::vector<std::string> columns;
  for (const RunResult &run : found.runs)
    for (const std::string &c : run.metrics.columns)
      if (c != "epoch" && c != "seconds" &&
          std::find(columns.begin(), columns.end(), c) == columns.end())
        columns.push_back(c);
  // A parameter named as a column of the table's own gets a prefix.
  static const std::set<std::string> own = {
      "run", "seed", "status", "epochs", "best_epoch", "train_seconds",
      "compile_seconds", "parameters"};
  std::ostringstream out;
  for (const Axis &axis : found.axes)
    out << (own.count(axis.name) || std::find(columns.begin(), columns.end(),
                                              axis.name) != columns.end()
                ? "param_"
                : "")
        << axis.name << ',';
  out << "run,seed,status,epochs";
  for (const std::string &c : columns)
    out << ',' << c;
  out << ",best_epoch,best_" << metric
      << ",train_seconds,compile_seconds,parameters\n";
  for (const RunResult &run : found.runs) {
    const rt::MetricsTable &m = run.metrics;
    for (const ParamSetting &setting : run.point) {
      // A value with a comma or quote is quoted, as CSV does.
      bool quote = setting.text.find_first_of(",\"\n") != std::string::npos;
      std::string text = setting.text;
      if (quote) {
        std::string escaped;
        for (char c : text)
          escaped += c == '"' ? std::string("\"\"") : std::string(1, c);
        text = '"' + escaped + '"';
      }
      out << text << ',';
    }
    out << run.repeat << ',' << run.seed << ','
        << (run.diverged ? "diverged" : "finished") << ',' << m.rows.size();
    for (const std::string &c : columns) {
      int i = m.columnIndex(c);
      out << ','
          << (i < 0 || m.rows.empty() ? "" : exactText(m.rows.back()[i]));
    }
    int column = m.columnIndex(metric);
    if (column >= 0 && !m.rows.empty()) {
      size_t best = bestRow(m, column, higherIsBetter(metric));
      out << ',' << best + 1 << ',' << exactText(m.rows[best][column]);
    } else {
      out << ",,";
    }
    out << ',' << exactText(trainSeconds(m)) << ','
        << (std::isnan(run.compileSeconds) ? ""
                                           : exactText(run.compileSeconds))
        << ',' << found.parameters[pointOf(found, run)] << '\n';
  }
  return writeTable(found.base + "/results.csv", out.str());
}

bool writeSummary(const Findings &found) {
  SummaryTable table = summarize(found);
  // A '|' in a value would end its cell.
  auto text = [](const std::string &value) {
    std::string out;
    for (char c : value)
      out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  bool higher = higherIsBetter(found.metric);
  std::ostringstream out;
  out << "# Sweep\n\n`" << found.command << "`\n\n"
      << found.metric << " after the last epoch and at the best epoch, mean ± "
      << "standard deviation over each point's runs (" << found.repeats
      << " per point); **best** marks the " << (higher ? "highest" : "lowest")
      << " mean after the last epoch. Runs that diverged are counted apart "
         "and left out of the means.\n\n|";
  for (const std::string &cell : table.header)
    out << ' ' << text(cell) << " |";
  out << "\n|";
  for (size_t i = 0; i < table.header.size(); ++i)
    out << "---|";
  out << '\n';
  // The metric's column is the one after the values and the run count.
  size_t marked = found.axes.size() + 1;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    out << '|';
    for (size_t c = 0; c < table.rows[r].size(); ++c)
      out << ' ' << text(table.rows[r][c])
          << (c == marked && static_cast<int>(r) == table.best ? " **best**"
                                                               : "")
          << " |";
    out << '\n';
  }
  return writeTable(found.base + "/summary.md", out.str());
}

std::vector<std::string> writePictures(const Findings &found) {
  std::vector<std::string> pictures;
  try {
    pictures = writePlots(found);
  } catch (const rt::FileError &e) {
    std::cerr << "aec: warning: " << e.what() << '\n';
  }
  std::string reconstructions;
  try {
    reconstructions = writeReconstructionRows(found);
  } catch (const rt::FileError &e) {
    std::cerr << "aec: warning: " << e.what() << '\n';
  }
  if (writeReport(found, pictures, reconstructions))
    pictures.insert(pictures.begin(), found.base + "/report.html");
  if (!reconstructions.empty())
    pictures.push_back(reconstructions);
  return pictures;
}

} // namespace aenet::sweep
