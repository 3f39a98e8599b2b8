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

#include "SweepTables.h"

#include "aenet/Driver/Commands.h"
#include "aenet/Lang/Params.h"
#include "aenet/Lang/Parser.h"
#include "aenet/Lang/Sema.h"
#include "aenet/Pipeline/CompiledModel.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/JobQueue.h"
#include "aenet/Runtime/Random.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace aenet {

namespace fs = std::filesystem;

/// The most programs a sweep keeps for its later runs: all of a few dozen
/// points' (each up to three per phase), at a few megabytes each.
constexpr size_t kSweepCachedPrograms = 256;

using sweep::Axis;
using sweep::Point;
using sweep::pointName;
using sweep::writeTable;

namespace {

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

/// What a finished run's `done` file records: its seed, the seconds its
/// last start compiled for (absent in a sweep folder older than that), and
/// `diverged` when its loss diverged.
struct Done {
  uint64_t seed = 0;
  double compileSeconds = std::nan("");
  bool diverged = false;
};

std::string doneText(const Done &done) {
  return std::to_string(done.seed) + "\n" + sweep::exactText(done.compileSeconds) +
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

/// Whether |metric| (empty: the default) is a scalar that the runs of every
/// point report (their model is |model| of each of |programs|), on the
/// training data or the validation data (`val_`); a point that lacks it is
/// named. That the runs have validation data is seen only after the first.
bool checkMetric(const std::string &metric,
                 const std::vector<CheckedProgram> &programs, int model,
                 const std::vector<Point> &points) {
  if (metric.empty())
    return true;
  for (size_t p = 0; p < programs.size(); ++p) {
    const ModelGraph &graph = programs[p].models[model];
    std::vector<std::string> names;
    for (const std::string &name : graph.reportedNames()) {
      names.push_back(name);
      names.push_back("val_" + name);
    }
    if (std::find(names.begin(), names.end(), metric) != names.end())
      continue;
    std::string list;
    for (const std::string &name : names)
      list += (list.empty() ? "" : ", ") + name;
    std::cerr << "aec: error: --metric " << metric << ": " << graph.name;
    if (programs.size() > 1)
      std::cerr << " at the point " << pointName(points[p]);
    std::cerr << " reports " << list << didYouMean(metric, names) << '\n';
    return false;
  }
  return true;
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
  if (model < 0 || !checkMetric(options.metric, programs, model, points))
    return 1;
  const std::string &modelName = programs[0].models[model].name;
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
  // Rank 0 alone checks and writes the folder's settings and seed, and
  // tells the others the seed (a fresh one differs per process).
  const rt::ProcessGroup *group = options.group;
  std::optional<uint64_t> seed;
  if (!group || group->isRoot())
    if (checkSettings(base + "/settings",
                      sweepSettings(file, modelName, options.run)))
      seed = sweepSeed(base + "/seed", options.run.seed,
                       programs[0].trainFor(modelName));
  if (group) {
    int64_t shared[2] = {seed ? 1 : 0, static_cast<int64_t>(seed.value_or(0))};
    group->broadcast(shared[0]);
    group->broadcast(shared[1]);
    if (!shared[0]) {
      group->stopTogether();
      return 1;
    }
    seed = static_cast<uint64_t>(shared[1]);
  }
  if (!seed)
    return 1;
  sweep::Findings found;
  found.base = base;
  found.model = modelName;
  found.metric = options.metric;
  found.command = options.command;
  found.axes = axes;
  found.points = points;
  found.repeats = options.repeat;
  for (const CheckedProgram &program : programs)
    found.parameters.push_back(program.models[model].paramCount());
  std::string &metric = found.metric;

  std::cout << "Sweep of " << modelName << ": " << points.size()
            << (points.size() == 1 ? " point" : " points") << " x "
            << options.repeat << (options.repeat == 1 ? " run" : " runs")
            << ", seed " << *seed << ", in " << base << std::endl;
  std::vector<std::string> pictures;
  // Room for the programs of every point (a phase's full batch and the
  // training and validation remainders') of all but the largest sweeps, so
  // that each repeat after the first finds its point's programs.
  CompileCache compiled(kSweepCachedPrograms);
  // Job j is repeat j / points + 1 of point j % points.
  const int64_t jobs = options.repeat * static_cast<int64_t>(points.size());
  auto folderOf = [&](int64_t job) {
    return base + "/" + pointName(points[job % points.size()]) + "/run-" +
           std::to_string(job / points.size() + 1);
  };
  // Trains job |job| unless it finished before: 0 when it finished (or
  // diverged, a result too), 130 when interrupted, 1 after an error.
  auto trainJob = [&](int64_t job) {
    size_t p = static_cast<size_t>(job % points.size());
    int64_t r = job / static_cast<int64_t>(points.size()) + 1;
    std::string dir = folderOf(job);
    RunOptions run = options.run;
    run.outDir = dir;
    run.seed = rt::mixSeed(*seed, static_cast<uint64_t>(r));
    run.overwrite = false;
    run.compileCache = &compiled;
    run.group = nullptr; // each run trains on one process
    std::string label =
        "[" + std::to_string(job + 1) + "/" + std::to_string(jobs) + "] " +
        pointName(points[p]) + " run " + std::to_string(r) +
        (group ? " (process " + std::to_string(group->rank()) + ")"
               : std::string());
    if (fs::exists(dir + "/done")) {
      std::cout << label << ": done before, skipped" << std::endl;
      return 0;
    }
    run.resume = fs::exists(dir + "/model.safetensors");
    std::cout << label << (run.resume ? ": resuming" : "") << std::endl;
    TrainReport report;
    int code = runTrain(file, programs[p], run, &report);
    if (code == 130)
      return 130;
    // A diverged run is a result (an lr too high), not the sweep's end.
    if (code != 0 && !report.diverged) {
      std::cerr << "aec: error: " << label << " failed; the sweep stops "
                << "(the runs finished so far are kept)\n";
      return 1;
    }
    if (report.diverged)
      std::cout << label << ": diverged; the sweep goes on" << std::endl;
    if (!writeTable(dir + "/done", doneText({*run.seed, report.compileSeconds,
                                             report.diverged})))
      return 1;
    return 0;
  };
  // Adds job |job|'s result to |found|; false after an error (reported).
  auto collect = [&](int64_t job) {
    std::string dir = folderOf(job);
    std::optional<Done> done = readDone(dir + "/done");
    if (!done)
      return false;
    sweep::RunResult result;
    result.point = points[job % points.size()];
    result.repeat = job / static_cast<int64_t>(points.size()) + 1;
    result.seed = done->seed;
    result.compileSeconds = done->compileSeconds;
    result.diverged = done->diverged;
    try {
      // A run that diverged in its first epoch has no metrics.csv.
      if (!result.diverged || fs::exists(dir + "/metrics.csv"))
        result.metrics = rt::readMetricsCsv(dir + "/metrics.csv");
    } catch (const rt::DataError &e) {
      std::cerr << "aec: error: " << e.what() << '\n';
      return false;
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
      return false;
    }
    found.runs.push_back(std::move(result));
    return true;
  };
  auto interrupted = [&] {
    if (!found.runs.empty() && !metric.empty())
      sweep::writePictures(found);
    std::cout << "Sweep interrupted; the runs finished so far are kept. Run "
                 "the same command again to continue.\n";
    return 130;
  };

  if (group) {
    // Every process takes the next run when it finishes one; rank 0 then
    // reads all of them into the tables.
    rt::JobQueue queue(*group, jobs);
    int status = 0;
    for (int64_t job; (job = queue.next(status)) >= 0;) {
      // An exception must not leave the queue waiting for this process.
      try {
        status = trainJob(job);
      } catch (const std::exception &e) {
        std::cerr << "aec: error: " << e.what() << '\n';
        status = 1;
      }
    }
    int worst = queue.finish();
    group->stopTogether();
    if (!group->isRoot())
      return worst;
    // The tables hold every run finished, also when the sweep stopped
    // early, as a sweep on one process keeps them.
    for (int64_t job = 0; job < jobs; ++job)
      if (fs::exists(folderOf(job) + "/done") && !collect(job))
        return 1;
    if (!metric.empty() && !found.runs.empty()) {
      if (!sweep::writeResults(found) || !sweep::writeSummary(found))
        return 1;
      if (worst == 0)
        pictures = sweep::writePictures(found);
    }
    if (worst == 130)
      return interrupted();
    if (worst != 0)
      return 1;
  } else {
    // The tables are written again after every run: an interrupted sweep
    // keeps them up to date.
    for (int64_t job = 0; job < jobs; ++job) {
      int code = trainJob(job);
      if (code == 130)
        return interrupted();
      if (code != 0 || !collect(job))
        return 1;
      if (metric.empty())
        continue;
      if (!sweep::writeResults(found) || !sweep::writeSummary(found))
        return 1;
      pictures = sweep::writePictures(found);
    }
  }
  std::cout << "Wrote " << base << "/results.csv, " << base << "/summary.md";
  for (const std::string &png : pictures)
    std::cout << ", " << png;
  std::cout << '\n';
  return 0;
}

} // namespace aenet
