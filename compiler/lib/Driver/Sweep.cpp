//===- Sweep.cpp - aec sweep: one training run per parameter point --------===//
//
// Each point of the sweep (the cross product of the `--set NAME=V1,V2,...`
// lists, or their zip) is trained `--repeat` times as `aec train` would, each
// run in its own folder `OUT/NAME=V,NAME=V/run-R/`. Repeat R of every point
// uses the same seed, derived from the sweep's, so points are compared on the
// same initialisations and shuffles, and the sweep repeats bit for bit.
//
// A finished run (or one whose loss diverged, a result too) leaves a `done`
// file; rerunning the same command skips those, resumes a run that has a
// checkpoint but no `done` (an interrupted one), and starts the rest. The
// folder's `settings` keep a rerun from mixing runs of other options or of
// an edited file. After every run the tables are written again from the
// runs' metrics.csv: results.csv (a row per run) and summary.md (a row per
// point, mean and spread over its runs, the best point marked), then the
// plots and report.html, the page that holds them all.
//
//===----------------------------------------------------------------------===//

#include "aenet/Driver/Commands.h"
#include "aenet/Lang/Params.h"
#include "aenet/Lang/Parser.h"
#include "aenet/Lang/Sema.h"
#include "aenet/Runtime/AtomicFile.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/MetricsLog.h"
#include "aenet/Runtime/Plot.h"
#include "aenet/Runtime/Random.h"

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

namespace aenet {

namespace fs = std::filesystem;

namespace {

/// One swept parameter and its values, in the order given.
struct Axis {
  std::string name;
  std::vector<std::string> values;
};

/// One point: a value for each axis, in axis order.
using Point = std::vector<ParamSetting>;

/// `code=8,16` and the like; false after printing what is wrong.
bool readAxes(const std::vector<std::string> &sets, std::vector<Axis> &axes) {
  for (const std::string &set : sets) {
    ParamSetting setting;
    std::string error;
    if (!parseParamSetting(set, setting, error)) {
      std::cerr << "aec: error: --set " << error << '\n';
      return false;
    }
    for (const Axis &axis : axes)
      if (axis.name == setting.name) {
        std::cerr << "aec: error: --set " << set << ": '" << setting.name
                  << "' is set twice; give its values as one list, "
                  << setting.name << "=A,B\n";
        return false;
      }
    Axis axis{setting.name, {}};
    std::string value;
    std::istringstream in(setting.text);
    while (std::getline(in, value, ','))
      axis.values.push_back(value);
    if (!setting.text.empty() && setting.text.back() == ',')
      axis.values.push_back("");
    if (axis.values.empty() ||
        std::find(axis.values.begin(), axis.values.end(), "") !=
            axis.values.end()) {
      std::cerr << "aec: error: --set " << set
                << ": an empty value; give NAME=V1,V2,... with no empty "
                   "item\n";
      return false;
    }
    std::set<std::string> seen;
    for (const std::string &value : axis.values)
      if (!seen.insert(value).second) {
        std::cerr << "aec: error: --set " << set << ": '" << value
                  << "' is given twice; each value once (--repeat runs a "
                     "point more than once)\n";
        return false;
      }
    axes.push_back(std::move(axis));
  }
  return true;
}

/// The points of |axes|: their cross product, the first axis varying
/// slowest, or with |zip| the i-th value of every axis together.
std::vector<Point> pointsOf(const std::vector<Axis> &axes, bool zip) {
  std::vector<Point> points(1);
  if (zip) {
    points.assign(axes.empty() ? 1 : axes[0].values.size(), {});
    for (const Axis &axis : axes)
      for (size_t i = 0; i < axis.values.size(); ++i)
        points[i].push_back({axis.name, axis.values[i]});
    return points;
  }
  for (const Axis &axis : axes) {
    std::vector<Point> next;
    for (const Point &point : points)
      for (const std::string &value : axis.values) {
        next.push_back(point);
        next.back().push_back({axis.name, value});
      }
    points = std::move(next);
  }
  return points;
}

/// The folder name of |point|: `code=8,opt=adam`; `base` without axes.
/// Characters a path cannot hold become '_'.
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

/// The file checked with |point|'s values; false after printing its
/// diagnostics.
bool checkPoint(const SourceFile &file, const Point &point,
                CheckedProgram &program) {
  DiagnosticEngine diags(file);
  ast::Program ast = parseProgram(file, diags);
  std::string error = bindParams(ast, point, diags);
  if (error.empty() && !diags.hasErrors())
    program = checkProgram(ast, file, diags);
  if (error.empty() && !diags.hasErrors())
    return true;
  std::cerr << "aec: error: the sweep's point " << pointName(point)
            << " does not check:\n";
  diags.print(std::cerr);
  if (!error.empty())
    std::cerr << "aec: error: " << error << '\n';
  return false;
}

/// The model a sweep trains: |name|, or the first with a train block; -1
/// after printing why there is none.
int chooseSweptModel(const SourceFile &file, const CheckedProgram &program,
                     const std::string &name) {
  for (size_t i = 0; i < program.models.size(); ++i)
    if (name.empty() ? program.trainFor(program.models[i].name) != nullptr
                     : program.models[i].name == name)
      return static_cast<int>(i);
  std::cerr << "aec: error: "
            << (name.empty() ? "no model in " + file.path() +
                                   " has a train block"
                             : "no model named '" + name + "' in " +
                                   file.path())
            << '\n';
  return -1;
}

/// What one finished run measured, from its metrics.csv.
struct RunResult {
  Point point;
  int64_t repeat = 0;
  uint64_t seed = 0;
  int64_t parameters = 0;
  /// Of the run's last start (a resumed run's resume), from its `done`;
  /// NaN when it has none.
  double compileSeconds = 0;
  /// The run stopped when its loss diverged; its metrics are the epochs
  /// before.
  bool diverged = false;
  rt::MetricsTable metrics;
};

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

/// |x| for a program: the shortest text that reads back as |x|, as
/// metrics.csv has it.
std::string exact(double x) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return ec == std::errc() ? std::string(buffer, end) : number(x);
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

/// Writes |text| to |path| atomically; false after printing why not.
bool writeTable(const std::string &path, const std::string &text) {
  std::string error = rt::writeFileAtomically(path, text);
  if (error.empty())
    return true;
  std::cerr << "aec: error: " << error << '\n';
  return false;
}

/// results.csv: a row per finished run, its values, seed, final metrics,
/// best epoch by |metric|, training seconds and parameter count.
bool writeResults(const std::string &path, const std::vector<Axis> &axes,
                  const std::vector<RunResult> &runs,
                  const std::string &metric) {
  std::vector<std::string> columns;
  for (const RunResult &run : runs)
    for (const std::string &c : run.metrics.columns)
      if (c != "epoch" && c != "seconds" &&
          std::find(columns.begin(), columns.end(), c) == columns.end())
        columns.push_back(c);
  // A parameter named as a column of the table's own gets a prefix.
  static const std::set<std::string> own = {
      "run", "seed", "status", "epochs", "best_epoch", "train_seconds",
      "compile_seconds", "parameters"};
  std::ostringstream out;
  for (const Axis &axis : axes)
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
  for (const RunResult &run : runs) {
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
      out << ',' << (i < 0 || m.rows.empty() ? "" : exact(m.rows.back()[i]));
    }
    int column = m.columnIndex(metric);
    int seconds = m.columnIndex("seconds");
    double total = 0;
    for (const std::vector<double> &row : m.rows)
      total += seconds < 0 ? 0 : row[seconds];
    if (column >= 0 && !m.rows.empty()) {
      size_t best = bestRow(m, column, higherIsBetter(metric));
      out << ',' << best + 1 << ',' << exact(m.rows[best][column]);
    } else {
      out << ",,";
    }
    out << ',' << exact(total) << ','
        << (std::isnan(run.compileSeconds) ? "" : exact(run.compileSeconds))
        << ',' << run.parameters << '\n';
  }
  return writeTable(path, out.str());
}

/// summary.md: a row per point with the mean ± std over its runs of
/// |metric| after the last epoch and at its best epoch, and of the training
/// seconds; runs that diverged or left the metric not finite are counted
/// apart and left out. The best point (by the last epoch's mean) is marked.
bool writeSummary(const std::string &path, const std::vector<Axis> &axes,
                  const std::vector<Point> &points,
                  const std::vector<int64_t> &parameters, int64_t repeats,
                  const std::vector<RunResult> &runs,
                  const std::string &metric, const std::string &command) {
  struct Row {
    std::vector<double> last, best, seconds;
    int64_t failed = 0;
  };
  bool higher = higherIsBetter(metric);
  std::vector<Row> rows(points.size());
  for (const RunResult &run : runs) {
    size_t p = std::find(points.begin(), points.end(), run.point) -
               points.begin();
    const rt::MetricsTable &m = run.metrics;
    int column = m.columnIndex(metric), seconds = m.columnIndex("seconds");
    if (p == points.size())
      continue;
    if (run.diverged || column < 0 || m.rows.empty() ||
        !std::isfinite(m.rows.back()[column])) {
      ++rows[p].failed;
      continue;
    }
    rows[p].last.push_back(m.rows.back()[column]);
    rows[p].best.push_back(m.rows[bestRow(m, column, higher)][column]);
    double total = 0;
    for (const std::vector<double> &row : m.rows)
      total += seconds < 0 ? 0 : row[seconds];
    rows[p].seconds.push_back(total);
  }
  int best = -1;
  for (size_t p = 0; p < rows.size(); ++p)
    if (!rows[p].last.empty() &&
        (best < 0 || (higher ? mean(rows[p].last) > mean(rows[best].last)
                             : mean(rows[p].last) < mean(rows[best].last))))
      best = static_cast<int>(p);
  auto cell = [](const std::vector<double> &xs) {
    if (xs.empty())
      return std::string("—");
    return xs.size() < 2 ? number(mean(xs))
                         : number(mean(xs)) + " ± " + number(spread(xs));
  };
  // A '|' in a value would end its cell.
  auto text = [](const std::string &value) {
    std::string out;
    for (char c : value)
      out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  std::ostringstream out;
  out << "# Sweep\n\n`" << command << "`\n\n"
      << metric << " after the last epoch and at the best epoch, mean ± "
      << "standard deviation over each point's runs (" << repeats
      << " per point); **best** marks the " << (higher ? "highest" : "lowest")
      << " mean after the last epoch. Runs that diverged are counted apart "
         "and left out of the means.\n\n|";
  for (const Axis &axis : axes)
    out << ' ' << text(axis.name) << " |";
  out << " runs | " << metric << " | best-epoch " << metric
      << " | train s | parameters |\n|";
  for (size_t i = 0; i < axes.size() + 5; ++i)
    out << "---|";
  out << '\n';
  for (size_t p = 0; p < points.size(); ++p) {
    out << '|';
    for (const ParamSetting &setting : points[p])
      out << ' ' << text(setting.text) << " |";
    out << ' ' << rows[p].last.size()
        << (rows[p].failed ? " (" + std::to_string(rows[p].failed) +
                                 " diverged)"
                           : "")
        << " | " << cell(rows[p].last)
        << (static_cast<int>(p) == best ? " **best**" : "") << " | "
        << cell(rows[p].best) << " | " << cell(rows[p].seconds) << " | "
        << parameters[p] << " |\n";
  }
  return writeTable(path, out.str());
}

/// What a finished run's `done` file records: its seed, the seconds its
/// last start compiled for (absent in a sweep folder older than that), and
/// `diverged` when its loss diverged.
struct Done {
  uint64_t seed = 0;
  double compileSeconds = std::nan("");
  bool diverged = false;
};

std::string doneText(const Done &done) {
  return std::to_string(done.seed) + "\n" + exact(done.compileSeconds) +
         "\n" + (done.diverged ? "diverged\n" : "");
}

/// Reads |path|; nothing after printing what is wrong with it.
std::optional<Done> readDone(const std::string &path) {
  std::ifstream in(path);
  std::vector<std::string> words;
  for (std::string word; in >> word;)
    words.push_back(word);
  Done done;
  auto whole = [](const std::string &text, auto &value) {
    auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
  };
  bool ok = !words.empty() && words.size() <= 3 && whole(words[0], done.seed);
  if (ok && words.size() >= 2)
    ok = whole(words[1], done.compileSeconds);
  if (ok && words.size() == 3) {
    ok = words[2] == "diverged";
    done.diverged = true;
  }
  if (ok)
    return done;
  std::cerr << "aec: error: " << path
            << " is not a finished run's record (its seed, its compile "
               "seconds, and 'diverged' for a run that diverged); remove the "
               "run's folder to train it again\n";
  return std::nullopt;
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
std::vector<std::string> writePlots(const std::string &base,
                                    const std::string &model,
                                    const std::vector<Axis> &axes,
                                    const std::vector<Point> &points,
                                    const std::vector<RunResult> &results,
                                    const std::string &metric) {
  std::vector<std::vector<const RunResult *>> byPoint(points.size());
  for (const RunResult &run : results)
    byPoint[std::find(points.begin(), points.end(), run.point) -
            points.begin()]
        .push_back(&run);
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

/// report.html: one page with everything in it — the command, summary.md's
/// table, the plots, and each point's pictures (its first run's), for a
/// person to open after the sweep.
bool writeReport(const std::string &base, const std::string &model,
                 const std::vector<Point> &points, int64_t repeats,
                 const std::vector<RunResult> &results,
                 const std::string &metric, const std::string &command,
                 const std::vector<std::string> &plots) {
  // The table as summary.md has it: read back, so the two never differ.
  std::ifstream summary(base + "/summary.md");
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(summary, line);) {
    if (line.empty() || line[0] != '|' || line.rfind("|---", 0) == 0)
      continue;
    std::vector<std::string> cells;
    std::string cell;
    for (size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
        cell += line[++i];
        continue;
      }
      if (line[i] != '|') {
        cell += line[i];
        continue;
      }
      size_t b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
      cell.clear();
    }
    rows.push_back(std::move(cells));
  }
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>Sweep of " << escapeHtml(model) << "</title>\n<style>\n"
      << "body{font-family:sans-serif;margin:2em;max-width:1200px}\n"
      << "table{border-collapse:collapse;margin:1em 0}\n"
      << "th,td{border:1px solid #bbb;padding:4px 10px;text-align:right}\n"
      << "th{background:#eee}\ntr.best{background:#e6f4ea;font-weight:bold}\n"
      << "img{max-width:100%;display:block;margin:0.5em 0}\n"
      << "code{background:#f4f4f4;padding:2px 4px}\n</style>\n</head>\n<body>\n"
      << "<h1>Sweep of " << escapeHtml(model) << "</h1>\n<p><code>"
      << escapeHtml(command) << "</code></p>\n<p>" << results.size()
      << " runs of " << points.size() << " points, " << repeats
      << " per point. " << escapeHtml(metric)
      << " after the last epoch and at the best epoch, mean &plusmn; standard "
         "deviation over each point's runs.</p>\n<table id=\"summary\">\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    bool best = false;
    for (std::string &cell : rows[r]) {
      size_t mark = cell.find(" **best**");
      if (mark != std::string::npos) {
        cell.erase(mark);
        best = true;
      }
    }
    out << (best ? "<tr class=\"best\">" : "<tr>");
    for (const std::string &cell : rows[r])
      out << (r == 0 ? "<th>" : "<td>") << escapeHtml(cell)
          << (r == 0 ? "</th>" : "</td>");
    out << "</tr>\n";
  }
  out << "</table>\n<h2>Curves</h2>\n";
  for (const std::string &png : plots)
    out << embeddedPng(png, fs::path(png).filename().string()) << '\n';
  out << "<h2>Each point</h2>\n";
  for (const Point &point : points) {
    std::string dir = base + "/" + pointName(point) + "/run-1";
    std::string pictures;
    for (const char *name : {"reconstructions.png", "codes.png"})
      pictures += embeddedPng(dir + "/" + name, pointName(point) + " " + name);
    if (pictures.empty())
      continue;
    out << "<h3>" << escapeHtml(pointName(point)) << "</h3>\n"
        << pictures << '\n';
  }
  out << "</body>\n</html>\n";
  return writeTable(base + "/report.html", out.str());
}

/// The sweep's seed: |given|, else the one a previous run of this sweep
/// stored in |path|, else the train block's, else a fresh one; stored in
/// |path|. Nothing after printing a clash with the stored one.
std::optional<uint64_t> sweepSeed(const std::string &path,
                                  std::optional<uint64_t> given,
                                  const TrainPlan *plan) {
  std::optional<uint64_t> stored;
  if (std::ifstream in(path); in) {
    std::string text;
    in >> text;
    uint64_t value = 0;
    auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() ||
        text.empty()) {
      std::cerr << "aec: error: " << path
                << " does not hold a seed (a whole number); remove it to "
                   "start this sweep afresh\n";
      return std::nullopt;
    }
    stored = value;
  }
  if (stored && given && *stored != *given) {
    std::cerr << "aec: error: " << fs::path(path).parent_path().string()
              << " holds a sweep with seed " << *stored
              << "; give --seed " << *stored
              << " to continue it, or --out for a new one\n";
    return std::nullopt;
  }
  uint64_t seed = given    ? *given
                  : stored ? *stored
                  : plan && plan->seedGiven ? plan->seed
                                            : rt::freshSeed();
  if (!stored && !writeTable(path, std::to_string(seed) + "\n"))
    return std::nullopt;
  return seed;
}

/// What the sweep's folder must have been made with to hold its runs: the
/// model, the training options that change what a run does, and the file's
/// text (by its hash). Rerunning with other ones would skip runs made with
/// the old ones and report them as new.
std::string sweepSettings(const SourceFile &file, const std::string &model,
                          const RunOptions &run) {
  std::ostringstream out;
  out << "model " << model << "\nepochs "
      << (run.epochs ? std::to_string(*run.epochs) : "file") << "\nbatch "
      << (run.batch ? std::to_string(*run.batch) : "file") << "\nlimit "
      << run.limit << "\nbackend " << backendName(run.backend)
      << "\nfile " << std::hash<std::string>()(file.text()) << "\n";
  return out.str();
}

/// Writes the sweep's settings to |path|, or checks them against the ones
/// there; false after printing a mismatch.
bool checkSettings(const std::string &path, const std::string &settings) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return writeTable(path, settings);
  std::string stored{std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>()};
  if (stored == settings)
    return true;
  std::cerr << "aec: error: " << fs::path(path).parent_path().string()
            << " holds a sweep made with other settings or another version "
               "of the file; its runs would not be this sweep's. Use --out "
               "for a new sweep (was:\n"
            << stored << "now:\n"
            << settings << ")\n";
  return false;
}

/// Writes the plots and report.html; a picture that cannot be drawn is a
/// warning, so the tables and the other pictures are still there.
std::vector<std::string> writePictures(const std::string &base,
                                       const std::string &model,
                                       const std::vector<Axis> &axes,
                                       const std::vector<Point> &points,
                                       int64_t repeats,
                                       const std::vector<RunResult> &results,
                                       const std::string &metric,
                                       const std::string &command) {
  std::vector<std::string> pictures;
  try {
    pictures = writePlots(base, model, axes, points, results, metric);
  } catch (const rt::FileError &e) {
    std::cerr << "aec: warning: " << e.what() << '\n';
  }
  if (writeReport(base, model, points, repeats, results, metric, command,
                  pictures))
    pictures.insert(pictures.begin(), base + "/report.html");
  return pictures;
}

} // namespace

int runSweep(const SourceFile &file, const SweepOptions &options) {
  std::vector<Axis> axes;
  if (!readAxes(options.sets, axes))
    return 1;
  if (options.zip)
    for (const Axis &axis : axes)
      if (axis.values.size() != axes[0].values.size()) {
        std::cerr << "aec: error: --zip needs lists of one length, but "
                  << axes[0].name << " has " << axes[0].values.size()
                  << " values and " << axis.name << " has "
                  << axis.values.size() << '\n';
        return 1;
      }
  // Counted before the points are made: a product of long lists would not
  // fit in memory.
  double count = 1;
  if (options.zip && !axes.empty())
    count = static_cast<double>(axes[0].values.size());
  else
    for (const Axis &axis : axes)
      count *= static_cast<double>(axis.values.size());
  double runs = count * static_cast<double>(options.repeat);
  if (runs > kMaxSweepRunsUnasked && !options.yes) {
    std::cerr << "aec: error: this sweep is " << count << " points x "
              << options.repeat << " runs = " << runs
              << " training runs; pass --yes to run that many\n";
    return 1;
  }
  std::vector<Point> points = pointsOf(axes, options.zip);
  std::set<std::string> folders;
  for (const Point &point : points)
    if (!folders.insert(pointName(point)).second) {
      std::cerr << "aec: error: two points of this sweep would share the "
                   "folder '"
                << pointName(point)
                << "' (values that differ only in characters a folder name "
                   "cannot hold, or names past 200 characters)\n";
      return 1;
    }
  if (options.metric == "epoch" || options.metric == "seconds" ||
      options.metric == "phase") {
    std::cerr << "aec: error: --metric " << options.metric
              << ": a column of metrics.csv that is no metric; give a loss "
                 "or metric, such as val_loss\n";
    return 1;
  }

  // Every point must check before any trains: a bad value in the last
  // point should not surface hours in.
  std::vector<CheckedProgram> programs(points.size());
  for (size_t p = 0; p < points.size(); ++p)
    if (!checkPoint(file, points[p], programs[p]))
      return 1;
  int model = chooseSweptModel(file, programs[0], options.run.model);
  if (model < 0)
    return 1;
  const std::string &modelName = programs[0].models[model].name;
  std::vector<int64_t> parameters;
  for (const CheckedProgram &program : programs)
    parameters.push_back(program.models[model].paramCount());
  std::string base = options.run.outDir.empty()
                         ? "out/" + modelName + "/sweep"
                         : options.run.outDir;
  std::error_code ec;
  fs::create_directories(base, ec);
  if (ec) {
    std::cerr << "aec: error: cannot create " << base << ": " << ec.message()
              << '\n';
    return 1;
  }
  if (!checkSettings(base + "/settings",
                     sweepSettings(file, modelName, options.run)))
    return 1;
  std::optional<uint64_t> seed = sweepSeed(
      base + "/seed", options.run.seed, programs[0].trainFor(modelName));
  if (!seed)
    return 1;
  std::string metric = options.metric;

  std::cout << "Sweep of " << modelName << ": " << points.size()
            << (points.size() == 1 ? " point" : " points") << " x "
            << options.repeat << (options.repeat == 1 ? " run" : " runs")
            << ", seed " << *seed << ", in " << base << std::endl;
  std::vector<RunResult> results;
  std::vector<std::string> pictures;
  int64_t index = 0;
  for (int64_t r = 1; r <= options.repeat; ++r) {
    for (size_t p = 0; p < points.size(); ++p) {
      ++index;
      std::string dir =
          base + "/" + pointName(points[p]) + "/run-" + std::to_string(r);
      RunOptions run = options.run;
      run.outDir = dir;
      run.seed = rt::mixSeed(*seed, static_cast<uint64_t>(r));
      run.overwrite = false;
      std::string label = "[" + std::to_string(index) + "/" +
                          std::to_string(static_cast<int64_t>(runs)) + "] " +
                          pointName(points[p]) + " run " + std::to_string(r);
      if (!fs::exists(dir + "/done")) {
        run.resume = fs::exists(dir + "/model.safetensors");
        std::cout << label << (run.resume ? ": resuming" : "") << std::endl;
        TrainReport report;
        int code = runTrain(file, programs[p], run, &report);
        if (code == 130) {
          if (!results.empty())
            writePictures(base, modelName, axes, points, options.repeat,
                          results, metric, options.command);
          std::cout << "Sweep interrupted; the runs finished so far are "
                       "kept. Run the same command again to continue.\n";
          return 130;
        }
        // A diverged run is a result (an lr too high), not the sweep's end.
        if (code != 0 && !report.diverged) {
          std::cerr << "aec: error: " << label << " failed; the sweep stops "
                    << "(the runs finished so far are kept)\n";
          return 1;
        }
        if (report.diverged)
          std::cout << label << ": diverged; the sweep goes on" << std::endl;
        if (!writeTable(dir + "/done",
                        doneText({*run.seed, report.compileSeconds,
                                  report.diverged})))
          return 1;
      } else {
        std::cout << label << ": done before, skipped" << std::endl;
      }
      std::optional<Done> done = readDone(dir + "/done");
      if (!done)
        return 1;
      RunResult result;
      result.point = points[p];
      result.repeat = r;
      result.seed = done->seed;
      result.parameters = parameters[p];
      result.compileSeconds = done->compileSeconds;
      result.diverged = done->diverged;
      try {
        // A run that diverged in its first epoch has no metrics.csv.
        if (!result.diverged || fs::exists(dir + "/metrics.csv"))
          result.metrics = rt::readMetricsCsv(dir + "/metrics.csv");
      } catch (const rt::DataError &e) {
        std::cerr << "aec: error: " << e.what() << '\n';
        return 1;
      }
      if (metric.empty() && !result.metrics.columns.empty())
        metric = result.metrics.columnIndex("val_loss") >= 0 ? "val_loss"
                                                             : "loss";
      if (!metric.empty() && !result.metrics.columns.empty() &&
          result.metrics.columnIndex(metric) < 0) {
        std::string names;
        for (const std::string &c : result.metrics.columns)
          if (c != "epoch" && c != "seconds" && c != "phase")
            names += (names.empty() ? "" : ", ") + c;
        std::cerr << "aec: error: --metric " << metric << ": the runs record "
                  << names << didYouMean(metric, result.metrics.columns)
                  << '\n';
        return 1;
      }
      results.push_back(std::move(result));
      if (metric.empty())
        continue;
      if (!writeResults(base + "/results.csv", axes, results, metric) ||
          !writeSummary(base + "/summary.md", axes, points, parameters,
                        options.repeat, results, metric, options.command))
        return 1;
      pictures = writePictures(base, modelName, axes, points, options.repeat,
                               results, metric, options.command);
    }
  }
  std::cout << "Wrote " << base << "/results.csv, " << base << "/summary.md";
  for (const std::string &png : pictures)
    std::cout << ", " << png;
  std::cout << '\n';
  return 0;
}

} // namespace aenet
