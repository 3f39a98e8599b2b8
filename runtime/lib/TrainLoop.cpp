//===- TrainLoop.cpp - Epochs, batches, validation, checkpoints -----------===//
//
// The order of work per batch is fixed (gather, step, check, log),
// and every random draw is a function of (seed, epoch) or (seed, step), so a
// run resumed from any checkpoint replays exactly what the uninterrupted run
// would have done.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/TrainLoop.h"

#include "aenet/Runtime/AtomicFile.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Interrupt.h"
#include "aenet/Runtime/MetricsLog.h"
#include "aenet/Runtime/Progress.h"
#include "aenet/Runtime/Random.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <ostream>
#include <sstream>

namespace aenet::rt {

BatchStep::~BatchStep() = default;
BatchStepSource::~BatchStepSource() = default;

namespace {

std::string formatDouble(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

/// `loss 0.0213 - val_loss 0.0209` style pairs.
std::vector<std::pair<std::string, double>>
named(const std::vector<std::string> &names, const std::vector<double> &values,
      const std::string &prefix = "") {
  std::vector<std::pair<std::string, double>> out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i)
    out.push_back({prefix + names[i], values[i]});
  return out;
}

/// The index of the first value of |values| that is NaN or infinite, or -1.
int firstNonFinite(const std::vector<double> &values) {
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      return static_cast<int>(i);
  return -1;
}

/// "loss" for the first scalar (the total), "'accuracy'" for the others.
std::string scalarTitle(const std::vector<std::string> &names, int index) {
  return index == 0 ? "loss" : "'" + names[index] + "'";
}

// Streams of random draws, kept apart so they never repeat each other.
constexpr uint64_t kStepStream = 0x73746570ull;               // "step"
constexpr uint64_t kEvaluationStream = 0x76616c6e6f697365ull; // "valnoise"
constexpr uint64_t kRankStream = 0x72616e6b00000000ull;       // "rank"

/// The random draws of rank |rank|'s shard: rank 0's are those of a run of
/// one process.
uint64_t rankSeed(uint64_t seed, int rank) {
  return rank == 0 ? seed
                   : mixSeed(seed, kRankStream + static_cast<uint64_t>(rank));
}

/// A hash of every tensor of |store|, names and values.
uint64_t storeHash(const ParameterStore &store) {
  uint64_t h = 0;
  for (const NamedTensor &t : store.snapshot()) {
    h = hashBytes(t.name.data(), t.name.size(), h);
    h = hashBytes(t.data.data(), t.data.size() * sizeof(float), h);
  }
  return h;
}

} // namespace

uint64_t evaluationSeed(int64_t firstRow) {
  return mixSeed(kEvaluationStream, static_cast<uint64_t>(firstRow));
}

std::map<std::string, std::string> LoopState::toMetadata() const {
  std::string joined;
  for (size_t i = 0; i < sums.size(); ++i)
    joined += (i ? "," : "") + formatDouble(sums[i]);
  return {{"epoch", std::to_string(epoch)},
          {"batch_in_epoch", std::to_string(batchInEpoch)},
          {"step", std::to_string(step)},
          {"epoch_sums", joined},
          {"epoch_rows", std::to_string(rows)},
          {"epoch_seconds", formatDouble(seconds)},
          {"batch", std::to_string(batch)}};
}

namespace {

using Metadata = std::map<std::string, std::string>;

/// The checkpoint |path|'s metadata value of |key|.
const std::string &field(const Metadata &m, const std::string &key,
                         const std::string &path) {
  auto it = m.find(key);
  if (it == m.end())
    throw CheckpointError(path, "metadata has no '" + key +
                                    "'; it was not written by aec train");
  return it->second;
}

CheckpointError badField(const std::string &path, const std::string &key,
                         const std::string &value, const std::string &want) {
  return CheckpointError(path, "metadata '" + key + "' is \"" + value +
                                   "\", not " + want);
}

/// A whole number of at least 0, written in decimal and nothing else.
int64_t countField(const Metadata &m, const std::string &key,
                   const std::string &path) {
  const std::string &text = field(m, key, path);
  int64_t value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(),
                                   value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0)
    throw badField(path, key, text, "a whole number of at least 0");
  return value;
}

/// Whether all of |text| is a finite number; sets |value| to it.
bool parseFinite(const std::string &text, double &value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(),
                                   value);
  return ec == std::errc() && end == text.data() + text.size() &&
         std::isfinite(value);
}

} // namespace

LoopState LoopState::fromMetadata(const Metadata &m, const std::string &path) {
  LoopState state;
  state.epoch = countField(m, "epoch", path);
  state.batchInEpoch = countField(m, "batch_in_epoch", path);
  state.step = countField(m, "step", path);
  state.rows = countField(m, "epoch_rows", path);
  const std::string &seconds = field(m, "epoch_seconds", path);
  if (!parseFinite(seconds, state.seconds) || state.seconds < 0)
    throw badField(path, "epoch_seconds", seconds,
                   "a finite number of at least 0");
  // Checkpoints written before the batch size was recorded lack it.
  if (m.count("batch"))
    state.batch = countField(m, "batch", path);
  const std::string &sums = field(m, "epoch_sums", path);
  if (!sums.empty()) {
    std::stringstream items(sums);
    bool good = sums.back() != ',';
    for (std::string item; good && std::getline(items, item, ',');)
      good = parseFinite(item, state.sums.emplace_back());
    if (!good)
      throw badField(path, "epoch_sums", sums, "a list of finite numbers");
  }
  if (state.step < state.batchInEpoch || state.step < state.epoch)
    throw CheckpointError(path, "metadata 'step' is " +
                                    std::to_string(state.step) +
                                    ", fewer than the batches done (epoch " +
                                    std::to_string(state.epoch) + ", batch " +
                                    std::to_string(state.batchInEpoch) + ")");
  return state;
}

void LoopState::checkResumable(int64_t samples, int64_t batchSize,
                               size_t scalars, const std::string &path) const {
  auto text = [](int64_t n) { return std::to_string(n); };
  if (batchInEpoch > 0 && batch > 0 && batch != batchSize)
    throw CheckpointError(
        path, "was saved in the middle of epoch " + text(epoch + 1) +
                  " after " + text(batchInEpoch) + " batches of " +
                  text(batch) + " (" + text(rows) + " samples); resuming "
                  "with batch " + text(batchSize) + " would skip or repeat "
                  "samples: resume with --batch " + text(batch));
  int64_t batches = (samples + batchSize - 1) / batchSize;
  if (batchInEpoch > batches)
    throw CheckpointError(path, "metadata 'batch_in_epoch' is " +
                                    text(batchInEpoch) + ", but an epoch of " +
                                    text(samples) + " samples has " +
                                    text(batches) + " batches of " +
                                    text(batchSize));
  int64_t done = std::min(samples, batchInEpoch * batchSize);
  if (rows != done)
    throw CheckpointError(
        path, "metadata 'epoch_rows' is " + text(rows) + ", but " +
                  text(batchInEpoch) + " batches of " + text(batchSize) +
                  " are " + text(done) + " samples (was it saved with " +
                  "another --batch or other data?)");
  if (batchInEpoch > 0 && sums.size() != scalars)
    throw CheckpointError(path, "metadata 'epoch_sums' holds " +
                                    text(int64_t(sums.size())) +
                                    " sums, but the model reports " +
                                    text(int64_t(scalars)) +
                                    " values (its loss and metrics)");
}

TrainLoop::TrainLoop(BatchStepSource &steps, ParameterStore &store,
                     const Dataset &train, const Dataset *validation,
                     LoopOptions options, std::ostream &out)
    : steps_(steps), store_(store), train_(train),
      validation_(validation), options_(std::move(options)), out_(out) {}

void TrainLoop::reportDivergence(const std::string &what, double value,
                                 const std::string &where, int64_t kept) {
  // Every rank saw the same sums, and so stops here too.
  if (options_.group) {
    options_.group->stopTogether();
    if (!options_.group->isRoot())
      return;
  }
  std::cerr << "aec: error: " << what << " became " << value << ' ' << where
            << "; training stopped. The last good checkpoint, "
            << options_.checkpointPath << ", is kept (epoch " << kept
            << "). Try a lower learning rate or gradient clipping.\n";
}

void TrainLoop::saveCheckpoint(
    const LoopState &state, const std::map<std::string, std::string> &extra) {
  if (options_.group && !options_.group->isRoot())
    return;
  std::map<std::string, std::string> metadata = state.toMetadata();
  metadata.insert(extra.begin(), extra.end());
  saveSafetensors(options_.checkpointPath, store_.snapshot(), metadata);
}

void TrainLoop::checkSameParameters(int64_t epoch) {
  const ProcessGroup &group = *options_.group;
  std::vector<uint64_t> hashes = group.gather(storeHash(store_));
  for (int r = 1; r < group.size(); ++r)
    if (hashes[r] != hashes[0]) {
      group.stopTogether();
      throw std::runtime_error(
          "after epoch " + std::to_string(epoch) + " the parameters of rank " +
          std::to_string(r) + " differ from rank 0's (hash " +
          std::to_string(hashes[r]) + " against " +
          std::to_string(hashes[0]) +
          "): the ranks no longer train one model, so training stopped; "
          "the checkpoint of the epoch before is kept");
    }
}

void BatchStep::resetStates() {}

void BatchStep::setBatchShare(double) {}

void BatchStep::gatherAndRun(int64_t rows, int arrays, const Gather &gather,
                             int64_t step, uint64_t seed) {
  for (int a = 0; a < arrays; ++a)
    gather(a, 0, rows, input(a));
  run(step, seed);
}

std::vector<double> TrainLoop::evaluate(const Dataset &data) {
  const size_t k = steps_.scalarNames().size();
  std::vector<double> sums(k, 0);
  std::vector<int64_t> order = data.epochOrder(false, 0, 0);
  int64_t n = data.size();
  const ProcessGroup *group = options_.group;
  for (int64_t begin = 0; begin < n; begin += options_.batch) {
    int64_t end = std::min(n, begin + options_.batch);
    // Each rank evaluates its shard of the batch (none, for a last batch
    // with fewer rows than ranks).
    Shard shard = shardOf(end - begin, group);
    if (shard.count == 0)
      continue;
    int64_t from = begin + shard.first;
    BatchStep &program = steps_.evalStep(shard.count);
    // Every pass starts from zero states, as Keras's after reset_states().
    if (begin == 0)
      program.resetStates();
    program.gatherAndRun(
        shard.count, static_cast<int>(data.arrays().size()),
        [&](int a, int64_t first, int64_t last, float *dst) {
          data.gatherBatch(order, from + first, from + last, a, dst);
        },
        0, evaluationSeed(from));
    for (size_t i = 0; i < k; ++i)
      sums[i] += program.scalars()[i] * static_cast<double>(shard.count);
  }
  if (group)
    group->sum(sums.data(), sums.size());
  return finishScalars(sums, n, steps_.scalarFinishes());
}

LoopOutcome TrainLoop::run(LoopState &state,
                           const std::map<std::string, std::string> &metadata) {
  const std::vector<std::string> &names = steps_.scalarNames();
  const size_t k = names.size();
  std::vector<std::string> columns = {"epoch"};
  if (options_.phase > 0)
    columns.push_back("phase");
  columns.insert(columns.end(), names.begin(), names.end());
  if (validation_)
    for (const std::string &name : names)
      columns.push_back("val_" + name);
  columns.push_back("seconds");
  const ProcessGroup *group = options_.group;
  const bool writes = !group || group->isRoot();
  std::optional<MetricsLog> log;
  if (writes) {
    log.emplace(options_.metricsPath, columns);
    // A row written after the checkpoint being resumed is replayed.
    if (log->rowCount() > state.epoch)
      log->truncate(state.epoch);
    // A save killed by SIGKILL leaves its temporary file behind; this run
    // is the next chance to remove it.
    removeStaleTemporaries(options_.checkpointPath);
  }
  state.batch = options_.batch;
  // A fresh run starts with a checkpoint of the initial weights: a run that
  // diverges in its first epoch still leaves a good one, and `--epochs 0`
  // gives the untrained model.
  if (state.step == 0)
    saveCheckpoint(state, metadata);
  InterruptGuard guard;
  const int64_t n = train_.size();
  const int64_t batches = train_.batchCount(options_.batch);
  // Per batch: the scalars' row-weighted sums over the processes and the
  // interrupted flag, then the batch's means.
  std::vector<double> reduced(k + 1), scalars(k);
  while (state.epoch < options_.epochs) {
    std::vector<int64_t> order =
        train_.epochOrder(options_.shuffle, options_.seed, state.epoch);
    if (state.sums.size() != k)
      state.sums.assign(k, 0);
    // Counted over the whole run, so that a phase's epochs read as a part
    // of it.
    std::string epochLabel =
        "Epoch " + std::to_string(state.epoch + 1) + "/" +
        std::to_string(options_.totalEpochs > 0 ? options_.totalEpochs
                                                : options_.epochs) +
        (options_.phaseName.empty() ? "" : " (" + options_.phaseName + ")");
    ProgressBar bar(out_, options_.terminal, batches, epochLabel);
    auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                           start)
          .count();
    };
    for (int64_t b = state.batchInEpoch; b < batches; ++b) {
      int64_t begin = b * options_.batch;
      int64_t end = std::min(n, begin + options_.batch);
      int64_t rows = end - begin;
      // This process's rows of the batch (all of them, alone).
      Shard shard = shardOf(rows, group);
      int64_t from = begin + shard.first;
      BatchStep &program = steps_.trainStep(shard.count);
      if (group)
        program.setBatchShare(static_cast<double>(shard.count) / rows);
      // Stateful layers carry their states from batch to batch within an
      // epoch (a resumed epoch restarts them at its first batch run).
      if (b == state.batchInEpoch ||
          (options_.resetStatesEvery > 0 && b % options_.resetStatesEvery == 0))
        program.resetStates();
      ++state.step;
      program.gatherAndRun(
          shard.count, static_cast<int>(train_.arrays().size()),
          [&](int a, int64_t first, int64_t last, float *dst) {
            train_.gatherBatch(order, from + first, from + last, a, dst);
          },
          state.step - options_.phaseFirstStep,
          rankSeed(mixSeed(mixSeed(options_.seed, kStepStream), state.step),
                   group ? group->rank() : 0));
      // The batch's scalars, row-weighted sums over the ranks, and whether
      // any rank was interrupted: every rank stops after the same batch.
      for (size_t i = 0; i < k; ++i)
        reduced[i] =
            program.scalars()[i] * static_cast<double>(shard.count);
      reduced[k] = guard.interrupted() ? 1 : 0;
      if (group)
        group->sum(reduced.data(), reduced.size());
      const bool interrupted = reduced[k] > 0;
      for (size_t i = 0; i < k; ++i)
        scalars[i] = reduced[i] / static_cast<double>(rows);
      if (int bad = firstNonFinite(scalars); bad >= 0) {
        bar.finish("");
        reportDivergence("the " + scalarTitle(names, bad), scalars[bad],
                         "at epoch " + std::to_string(state.epoch + 1) +
                             ", batch " + std::to_string(b + 1),
                         state.epoch);
        return LoopOutcome::Diverged;
      }
      for (size_t i = 0; i < k; ++i)
        state.sums[i] += reduced[i];
      state.rows += rows;
      state.batchInEpoch = b + 1;
      bar.update(b + 1, named(names, finishScalars(state.sums, state.rows,
                                                   steps_.scalarFinishes())));
      if (interrupted) {
        state.seconds += elapsed();
        bar.finish("");
        saveCheckpoint(state, metadata);
        out_ << "Interrupted at epoch " << state.epoch + 1 << ", batch "
             << b + 1 << "; checkpoint saved to " << options_.checkpointPath
             << ". Continue with --resume.\n";
        return LoopOutcome::Interrupted;
      }
    }
    state.seconds += elapsed();
    std::vector<double> row = {static_cast<double>(state.epoch + 1)};
    if (options_.phase > 0)
      row.push_back(static_cast<double>(options_.phase));
    std::vector<double> means =
        finishScalars(state.sums, state.rows, steps_.scalarFinishes());
    row.insert(row.end(), means.begin(), means.end());
    auto shown = named(names, means);
    if (validation_) {
      std::vector<double> val = evaluate(*validation_);
      // Weights that train to a finite loss can still be broken: the last
      // step of an epoch may send them to infinity, which only the
      // validation pass sees. Such weights are no good checkpoint.
      if (int bad = firstNonFinite(val); bad >= 0) {
        bar.finish("");
        reportDivergence("the validation " + scalarTitle(names, bad),
                         val[bad],
                         "after epoch " + std::to_string(state.epoch + 1),
                         state.epoch);
        return LoopOutcome::Diverged;
      }
      row.insert(row.end(), val.begin(), val.end());
      auto v = named(names, val, "val_");
      shown.insert(shown.end(), v.begin(), v.end());
    }
    row.push_back(state.seconds);
    bar.finish(epochLabel + "  " + ProgressBar::formatValues(shown) + " - " +
               ProgressBar::formatDuration(state.seconds));
    if (group)
      checkSameParameters(state.epoch + 1);
    if (log)
      log->append(row);
    state.epoch += 1;
    state.batchInEpoch = 0;
    state.sums.assign(k, 0);
    state.rows = 0;
    state.seconds = 0;
    saveCheckpoint(state, metadata);
    if (group ? group->max(guard.interrupted() ? 1 : 0) > 0
              : guard.interrupted()) {
      out_ << "Interrupted after epoch " << state.epoch
           << "; checkpoint saved to " << options_.checkpointPath
           << ". Continue with --resume.\n";
      return LoopOutcome::Interrupted;
    }
  }
  return LoopOutcome::Finished;
}

} // namespace aenet::rt
