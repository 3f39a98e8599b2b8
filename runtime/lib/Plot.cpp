//===- Plot.cpp - Loss curves and scatter plots via gnuplot ---------------===//
//
// Reads the metrics (to check the series and choose the axes), or writes a
// scatter plot's points to `points.txt`, then writes `plot.gp` into a fresh
// mkdtemp directory, runs `gnuplot -c plot.gp DATA` through
// llvm::sys::ExecuteAndWait with a time limit, and moves the resulting
// `plot.png` to the requested path. gnuplot reads the data (metrics.csv or
// points.txt) itself; its path arrives as ARG1, so it is never quoted or
// parsed as script text. The other strings in the script are gnuplot
// single-quoted strings (where only a doubled quote is special) with
// enhanced-text markup switched off, so titles and column names are printed
// literally.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Plot.h"

#include "aenet/Runtime/AtomicFile.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Interrupt.h"
#include "aenet/Runtime/MetricsLog.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Program.h"

#include <cctype>
#include <cerrno>
#include <optional>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace aenet::rt {

namespace {

/// A private directory for gnuplot's files, removed on destruction.
class ScratchDir {
public:
  explicit ScratchDir(const std::string &forPath) {
    const char *base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base && *base ? base : "/tmp") + "/aec-plot-XXXXXX";
    if (!::mkdtemp(pattern.data()))
      throw OutputError(forPath, "cannot create a temporary directory in " +
                                     pattern + ": " + errnoText(errno));
    root = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);
  }
  std::string file(const char *name) const { return root + "/" + name; }

private:
  std::string root;
};

/// Ten distinct colours (matplotlib's tab10), so that the ten classes of
/// digits or garments, or ten curves, each get their own: gnuplot's default
/// cycle has eight, and at small point sizes a second marker in a repeated
/// colour does not tell two classes apart.
const char *const kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                "#bcbd22", "#17becf"};

/// |text| as a gnuplot single-quoted string on one line.
std::string quote(const std::string &text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "''";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out + "'";
}

/// Whether the finite values of |columns| in |table| are all positive and
/// span more than two decades.
bool wantsLogScale(const MetricsTable &table, const std::vector<int> &columns) {
  double lo = HUGE_VAL, hi = 0;
  for (const std::vector<double> &row : table.rows)
    for (int column : columns) {
      double v = row[static_cast<size_t>(column)];
      if (!std::isfinite(v))
        continue;
      if (v <= 0)
        return false;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  return hi > 0 && hi / lo > 100;
}

/// Writes |text| to the scratch file |path|; throws OutputError about
/// |forPath|, the picture it is for, when it cannot.
void writeText(const std::string &path, const std::string &text,
               const std::string &forPath) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out)
    throw OutputError(forPath, "cannot write " + path + ": " +
                                   errnoText(errno));
}

/// The whole of |path|, or "" when it cannot be read.
std::string readText(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs gnuplot on |script| with |csvPath| as ARG1, its stdin and stdout
/// on /dev/null and its stderr in the scratch directory, killing it after
/// |timeoutSeconds|. Throws OutputError for |pngPath| if gnuplot is missing,
/// cannot start, fails or takes too long.
void runGnuplot(const ScratchDir &scratch, const std::string &script,
                const std::string &csvPath, const std::string &pngPath,
                unsigned timeoutSeconds) {
  llvm::ErrorOr<std::string> program = llvm::sys::findProgramByName("gnuplot");
  if (!program)
    throw OutputError(pngPath, "gnuplot not found: install gnuplot-nox");
  std::string stderrPath = scratch.file("stderr.txt");
  std::optional<llvm::StringRef> redirects[] = {
      llvm::StringRef("/dev/null"), llvm::StringRef("/dev/null"),
      llvm::StringRef(stderrPath)};
  llvm::StringRef args[] = {*program, "-c", script, csvPath};
  std::string problem;
  bool notStarted = false;
  int status;
  {
    // gnuplot inherits the calling thread's signal mask.
    ChildProcessSignals asFromAShell;
    status = llvm::sys::ExecuteAndWait(*program, args, std::nullopt,
                                       redirects, timeoutSeconds,
                                       /*MemoryLimit=*/0, &problem,
                                       &notStarted);
  }
  if (notStarted)
    throw OutputError(pngPath, "cannot run " + *program + ": " + problem);
  std::string output = readText(stderrPath);
  while (!output.empty() &&
         std::isspace(static_cast<unsigned char>(output.back())))
    output.pop_back();
  // ExecuteAndWait returns -2 for a child that crashed or ran out of time,
  // and kills it in the latter case.
  if (status == -2 && problem.find("timed out") != std::string::npos)
    throw OutputError(pngPath, "gnuplot did not finish within " +
                                   std::to_string(timeoutSeconds) +
                                   " seconds and was stopped");
  std::string how = status >= 0 ? "exit status " + std::to_string(status)
                                : problem;
  if (status != 0)
    throw OutputError(pngPath, "gnuplot failed (" + how + "): " + output);
  if (!std::filesystem::exists(scratch.file("plot.png")))
    throw OutputError(pngPath, "gnuplot wrote no picture: " + output);
}

/// gnuplot commands that draw a dashed vertical line, labelled with the
/// phase that starts there, between the rows where the "phase" column of
/// |table| changes; nothing when it has no such column. The label is
/// "phase N" and the phase's name when |names| has it.
std::string phaseMarkers(const MetricsTable &table, int epochColumn,
                         const std::vector<std::string> &names) {
  int phaseColumn = table.columnIndex("phase");
  if (phaseColumn < 0)
    return "";
  auto xOf = [&](size_t row) {
    return epochColumn >= 0 ? table.rows[row][epochColumn]
                            : static_cast<double>(row + 1);
  };
  std::ostringstream out;
  for (size_t i = 1; i < table.rows.size(); ++i) {
    double before = table.rows[i - 1][phaseColumn];
    double phase = table.rows[i][phaseColumn];
    if (phase == before || !(phase >= 1))
      continue;
    double x = (xOf(i - 1) + xOf(i)) / 2;
    std::string label = "phase " + std::to_string(static_cast<int64_t>(phase));
    size_t index = static_cast<size_t>(phase) - 1;
    if (index < names.size())
      label += " " + names[index];
    out << "set arrow from " << x << ", graph 0 to " << x
        << ", graph 1 nohead dt 2 lw 1.5 lc rgb 'gray40'\n"
        << "set label " << quote(label) << " at " << x
        << ", graph 0.96 left offset 0.5,0 textcolor rgb 'gray30'\n";
  }
  return out.str();
}

/// The lines that open every script: a 900x600 PNG terminal (pngcairo
/// when gnuplot has it) writing plot.png in |scratch|, text taken as is.
std::string terminalLines(const ScratchDir &scratch) {
  return "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
         "  set terminal pngcairo size 900,600 font ',11'\n"
         "} else {\n"
         "  set terminal png size 900,600\n"
         "}\n"
         "set termoption noenhanced\n"
         "set output " +
         quote(scratch.file("plot.png")) + "\n";
}

/// Moves the picture gnuplot drew in |scratch| to |pngPath| atomically.
void moveIntoPlace(const ScratchDir &scratch, const std::string &pngPath) {
  std::string bytes = readText(scratch.file("plot.png"));
  std::string problem = writeFileAtomically(pngPath, bytes);
  if (!problem.empty())
    throw OutputError(pngPath, "cannot write: " + problem);
}

} // namespace

void plotLossCurves(const std::string &csvPath, const std::string &pngPath,
                    const std::string &title,
                    const std::vector<std::string> &series,
                    unsigned timeoutSeconds,
                    const std::vector<std::string> &phaseNames) {
  MetricsTable table = readMetricsCsv(csvPath);
  if (table.rows.empty())
    throw DataError(csvPath, "no rows to plot");
  std::vector<int> columns;
  for (const std::string &name : series) {
    int column = table.columnIndex(name);
    if (column < 0) {
      std::string names;
      for (const std::string &c : table.columns)
        names += (names.empty() ? "" : ", ") + c;
      throw DataError(csvPath, "no column '" + name +
                                   "' to plot; the columns are " + names);
    }
    columns.push_back(column);
  }
  int epochColumn = table.columnIndex("epoch");

  ScratchDir scratch(pngPath);
  // gnuplot numbers columns from 1 and rows read from 0 ($0).
  std::string x = epochColumn >= 0 ? std::to_string(epochColumn + 1)
                                   : std::string("($0+1)");

  bool fewPoints = table.rows.size() <= 40;
  std::ostringstream script;
  script << terminalLines(scratch)
         // "nan" and "inf" are not numbers to gnuplot: the line breaks
         // there. An empty cell is a missing point.
         << "set datafile separator ','\n"
         << "set title " << quote(title) << "\n"
         << "set xlabel 'epoch'\nset ylabel 'loss'\n"
         << "set key top right box opaque\nset grid\n"
         << (table.rows.size() <= 20 ? "set xtics 1\n" : "")
         << (wantsLogScale(table, columns) ? "set logscale y\n" : "")
         << phaseMarkers(table, epochColumn, phaseNames) << "plot ";
  for (size_t i = 0; i < series.size(); ++i)
    script << (i ? ", \\\n     " : "") << "ARG1 skip 1 using " << x << ':'
           << columns[i] + 1 << " title " << quote(series[i])
           << (fewPoints ? " with linespoints pt 7 ps 0.8" : " with lines")
           << " lw 2";
  script << "\n";
  writeText(scratch.file("plot.gp"), script.str(), pngPath);
  runGnuplot(scratch, scratch.file("plot.gp"), csvPath, pngPath,
             timeoutSeconds);
  moveIntoPlace(scratch, pngPath);
}

void plotScatter(const std::string &pngPath, const std::string &title,
                 const std::string &xLabel, const std::string &yLabel,
                 const std::vector<float> &xy,
                 const std::vector<int64_t> &labels,
                 const std::vector<std::string> &classNames,
                 unsigned timeoutSeconds) {
  const size_t points = xy.size() / 2;
  if (!labels.empty() && labels.size() != points)
    throw DataError(pngPath, std::to_string(labels.size()) + " labels for " +
                                 std::to_string(points) + " points");
  for (int64_t label : labels)
    if (label < 0 || label >= static_cast<int64_t>(classNames.size()))
      throw DataError(pngPath, "class " + std::to_string(label) +
                                   " of " +
                                   std::to_string(classNames.size()) +
                                   " classes");
  ScratchDir scratch(pngPath);
  // One "x y class" line per point, gnuplot's default format; a point that
  // is not finite is left out rather than breaking the plot.
  std::ostringstream data;
  data.precision(9);
  for (size_t i = 0; i < points; ++i)
    if (std::isfinite(xy[2 * i]) && std::isfinite(xy[2 * i + 1]))
      data << xy[2 * i] << ' ' << xy[2 * i + 1] << ' '
           << (labels.empty() ? 0 : labels[i]) << '\n';
  writeText(scratch.file("points.txt"), data.str(), pngPath);

  std::ostringstream script;
  script << terminalLines(scratch) << "set title " << quote(title) << "\n"
         << "set xlabel " << quote(xLabel) << "\nset ylabel "
         << quote(yLabel) << "\nset grid\n";
  // Small points when there are many, so that the classes' clouds show.
  const char *size = points > 1000 ? " ps 0.4" : " ps 0.8";
  if (labels.empty()) {
    // No classes, no legend (an empty key box would still be drawn).
    script << "unset key\n"
           << "plot ARG1 using 1:2 with points pt 7" << size << " notitle\n";
  } else {
    script << "set key outside right top box\n";
    // Classes beyond the ten colours take them again with another marker
    // (squares, triangles, ...).
    const int markers[] = {7, 5, 9, 11, 13};
    script << "plot ";
    for (size_t k = 0; k < classNames.size(); ++k)
      script << (k ? ", \\\n     " : "") << "ARG1 using 1:($3 == " << k
             << " ? $2 : 1/0) with points pt " << markers[(k / 10) % 5]
             << size << " lc rgb '" << kColours[k % 10] << "' title "
             << quote(classNames[k]);
    script << "\n";
  }
  writeText(scratch.file("plot.gp"), script.str(), pngPath);
  runGnuplot(scratch, scratch.file("plot.gp"), scratch.file("points.txt"),
             pngPath, timeoutSeconds);
  moveIntoPlace(scratch, pngPath);
}

void plotBands(const std::string &pngPath, const std::string &title,
               const std::string &xLabel, const std::string &yLabel,
               const std::vector<BandSeries> &series,
               const std::vector<std::string> &xNames,
               unsigned timeoutSeconds) {
  ScratchDir scratch(pngPath);
  // One block per series ("x mean low high" lines), blocks two blank lines
  // apart so that gnuplot's `index` picks one; points that are not finite
  // are left out.
  std::ostringstream data;
  data.precision(9);
  for (const BandSeries &s : series) {
    size_t n = s.x.size();
    if (s.mean.size() != n || s.low.size() != n || s.high.size() != n)
      throw DataError(pngPath, "series '" + s.name +
                                   "' has vectors of different lengths");
    bool any = false;
    for (size_t i = 0; i < n; ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.mean[i]) &&
          std::isfinite(s.low[i]) && std::isfinite(s.high[i])) {
        data << s.x[i] << ' ' << s.mean[i] << ' ' << s.low[i] << ' '
             << s.high[i] << '\n';
        any = true;
      }
    // A block with no line would shift every later index.
    if (!any)
      data << "0 NaN NaN NaN\n";
    data << "\n\n";
  }
  writeText(scratch.file("bands.txt"), data.str(), pngPath);

  std::ostringstream script;
  script << terminalLines(scratch) << "set title " << quote(title) << "\n"
         << "set xlabel " << quote(xLabel) << "\nset ylabel "
         << quote(yLabel) << "\nset grid\n"
         << "set key outside right top box\n"
         << "set style fill transparent solid 0.2 noborder\n";
  // Whole x (epochs) over a short range get a tic each, not 1.2, 1.4, ...
  bool whole = true;
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (const BandSeries &s : series)
    for (double x : s.x) {
      whole &= x == std::floor(x);
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
  if (xNames.empty() && whole && hi - lo <= 20)
    script << "set xtics 1\n";
  if (!xNames.empty()) {
    script << "set xtics (";
    for (size_t i = 0; i < xNames.size(); ++i)
      script << (i ? ", " : "") << quote(xNames[i]) << ' ' << i;
    script << ")\nset xrange [-0.5:" << xNames.size() - 0.5 << "]\n";
  }
  script << "plot ";
  for (size_t i = 0; i < series.size(); ++i) {
    std::string colour = std::string(" lc rgb '") + kColours[i % 10] + "'";
    script << (i ? ", \\\n     " : "") << "ARG1 index " << i
           << " using 1:3:4 with filledcurves" << colour << " notitle, "
           << "ARG1 index " << i
           << " using 1:2 with linespoints pt 7 ps 0.8 lw 2" << colour
           << " title " << quote(series[i].name);
  }
  script << "\n";
  writeText(scratch.file("plot.gp"), script.str(), pngPath);
  runGnuplot(scratch, scratch.file("plot.gp"), scratch.file("bands.txt"),
             pngPath, timeoutSeconds);
  moveIntoPlace(scratch, pngPath);
}

} // namespace aenet::rt
