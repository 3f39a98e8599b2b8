//===- SplitStep.h - A batch step run as slices, one per core ---*- C++ -*-===//
//
// A step of a model whose rows are independent of each other (no stateful
// layer, no statistic over the batch) can run as slices of the batch's rows,
// one per core, each with single-threaded kernels, its gradients summed
// before one optimizer update. That is one parallel region per step instead
// of a fork and join per kernel: a small model's kernels take 30-100 us,
// about what waking a sleeping thread for each costs, so splitting every
// kernel across the cores gained nothing on the dense AE (issue 11).
//
// Every loss and metric is a mean over rows (or a count per row), and so is
// every gradient: the batch's value is the slices' weighted by their rows.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_SPLITSTEP_H
#define AENET_RUNTIME_SPLITSTEP_H

#include "aenet/Runtime/GradientExchange.h"
#include "aenet/Runtime/TrainLoop.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace aenet::rt {

/// The threads a step may use: OpenMP's (OMP_NUM_THREADS, else one per
/// core), which oneDNN's kernels use too.
int stepThreads();

/// The sizes of |slices| consecutive slices of |rows| rows, as equal as can
/// be, the larger first.
std::vector<int64_t> sliceRows(int64_t rows, int64_t slices);

class SplitStep : public BatchStep, private GradientListener {
public:
  /// A batch of |rows| rows of arrays of |sampleSizes| values per sample;
  /// the batch buffers are owned here, the slices read their rows in place.
  SplitStep(int64_t rows, const std::vector<int64_t> &sampleSizes);

  /// Row |row| of array |index|'s batch buffer: where a slice's input
  /// begins.
  float *rowOf(int index, int64_t row);
  /// Adds |step|, which runs on the next |rows| rows and writes the
  /// gradients into |gradients|, one buffer per entry of the sizes given to
  /// setApply, in the order compiled code numbers them (none when
  /// evaluating).
  void addSlice(BatchStep &step, int64_t rows, std::vector<float *> gradients);
  /// Training: |apply| updates the parameters from the first slice's
  /// gradient buffers, of |gradientSizes| values each, once they hold the
  /// whole batch's gradients.
  void setApply(BatchStep &apply, std::vector<int64_t> gradientSizes);
  /// Training on several processes: the batch's gradients are summed over
  /// the ranks of |group| before the update, each gradient as soon as every
  /// slice has finished it (GradientExchange.h), weighted by this rank's
  /// share of the batch (setBatchShare). Call after the slices and setApply.
  void exchangeGradients(const ProcessGroup &group);
  void setBatchShare(double share) override {
    exchangeWeight_ = static_cast<float>(share);
  }
  /// The exchange, once exchangeGradients() made one.
  const GradientExchange *exchange() const { return exchange_.get(); }

  float *input(int index) override;
  /// Runs the slices at once, slice s > 0 with its random draws keyed by
  /// mixSeed(|seed|, s); then, training, the update.
  void run(int64_t step, uint64_t seed) override;
  /// As run(), each slice's rows gathered by the core that runs it.
  void gatherAndRun(int64_t rows, int arrays, const Gather &gather,
                    int64_t step, uint64_t seed) override;
  const std::vector<double> &scalars() const override { return scalars_; }
  /// Resets every slice's carried states.
  void resetStates() override;

private:
  struct Slice {
    BatchStep *step;
    int64_t first, rows;
    std::vector<float *> gradients;
  };
  /// Gathers slice |s|'s rows by |gather| (when not null) and runs it.
  void runSlice(int s, int arrays, const Gather *gather, int64_t step,
                uint64_t seed);
  /// run() and gatherAndRun(): |gather| may be null.
  void runSlices(int arrays, const Gather *gather, int64_t step,
                 uint64_t seed);
  /// gradients[g] of slice 0 = the rows-weighted sum over the slices; the
  /// share of the elements of thread |thread| of |threads|, of every
  /// gradient or of gradient |only|.
  static constexpr size_t kAllGradients = ~size_t(0);
  void sumGradients(int thread, int threads, size_t only = kAllGradients);
  /// gradients[g] of slice 0 = the rows-weighted sum over the slices, all
  /// of it (the last slice to finish gradient g does it, exchanging).
  void sumGradient(size_t g);
  /// A slice finished gradient |ordinal| (aenet_gradient_ready, while
  /// exchanging): the last slice to finish it sums it and hands it to the
  /// exchange.
  void gradientReady(int64_t ordinal) override;

  int64_t rows_;
  std::vector<int64_t> sampleSizes_;
  std::vector<std::vector<float>> inputs_;
  std::vector<Slice> slices_;
  BatchStep *apply_ = nullptr;
  std::vector<int64_t> gradientSizes_;
  std::vector<double> scalars_;
  std::unique_ptr<GradientExchange> exchange_;
  float exchangeWeight_ = 1;
  /// Per gradient, the slices that finished it in this step.
  std::unique_ptr<std::atomic<int>[]> finished_;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_SPLITSTEP_H
