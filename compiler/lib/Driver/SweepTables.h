//===- SweepTables.h - What aec sweep writes about its runs -----*- C++ -*-===//
//
// The sweep's findings so far, and the files that show them: results.csv
// (a row per run), summary.md (a row per point), the plots and report.html.
// Sweep.cpp runs the points; this is written again after every run.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_SWEEPTABLES_H
#define AENET_LIB_DRIVER_SWEEPTABLES_H

#include "aenet/Lang/Params.h"
#include "aenet/Runtime/MetricsLog.h"

#include <string>
#include <vector>

namespace aenet::sweep {

/// One swept parameter and its values, in the order given.
struct Axis {
  std::string name;
  std::vector<std::string> values;
};

/// One point: a value for each axis, in axis order.
using Point = std::vector<ParamSetting>;

/// What one finished run measured, from its metrics.csv.
struct RunResult {
  Point point;
  int64_t repeat = 0;
  uint64_t seed = 0;
  /// Of the run's last start (a resumed run's resume), from its `done`;
  /// NaN when it has none.
  double compileSeconds = 0;
  /// The run stopped when its loss diverged; its metrics are the epochs
  /// before.
  bool diverged = false;
  rt::MetricsTable metrics;
};

/// Everything the sweep in folder |base| has found so far.
struct Findings {
  std::string base;
  std::string model;
  /// The metrics.csv column the tables rank by.
  std::string metric;
  /// The command line, quoted in summary.md and report.html.
  std::string command;
  std::vector<Axis> axes;
  std::vector<Point> points;
  /// Each point's parameter count.
  std::vector<int64_t> parameters;
  int64_t repeats = 1;
  std::vector<RunResult> runs;
};

/// The folder name of |point|: `code=8,opt=adam`; `base` without axes.
/// Characters a path cannot hold become '_'.
std::string pointName(const Point &point);

/// |x| for a program: the shortest text that reads back as |x|, as
/// metrics.csv has it.
std::string exactText(double x);

/// Writes |text| to |path| atomically; false after printing why not.
bool writeTable(const std::string &path, const std::string &text);

/// results.csv: a row per finished run, its values, seed, status, final
/// metrics, best epoch by the metric, training and compile seconds and
/// parameter count.
bool writeResults(const Findings &found);

/// summary.md: a row per point with the mean ± std over its runs of the
/// metric after the last epoch and at its best epoch, and of the training
/// seconds; runs that diverged or left the metric not finite are counted
/// apart and left out. The best point (by the last epoch's mean) is marked.
bool writeSummary(const Findings &found);

/// Draws the plots and writes report.html; a picture that cannot be drawn
/// is a warning, so the tables and the other pictures are still there.
/// Returns the files written, report.html first.
std::vector<std::string> writePictures(const Findings &found);

} // namespace aenet::sweep

#endif // AENET_LIB_DRIVER_SWEEPTABLES_H
