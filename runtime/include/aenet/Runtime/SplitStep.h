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

#include "aenet/Runtime/TrainLoop.h"

#include <cstdint>
#include <vector>

namespace aenet::rt {

/// The threads a step may use: OpenMP's (OMP_NUM_THREADS, else one per
/// core), which oneDNN's kernels use too.
int stepThreads();

/// The sizes of |slices| consecutive slices of |rows| rows, as equal as can
/// be, the larger first.
std::vector<int64_t> sliceRows(int64_t rows, int64_t slices);

class SplitStep : public BatchStep {
public:
  /// A batch of |rows| rows of arrays of |sampleSizes| values per sample;
  /// the batch buffers are owned here, the slices read their rows in place.
  SplitStep(int64_t rows, const std::vector<int64_t> &sampleSizes);

  /// Row |row| of array |index|'s batch buffer: where a slice's input
  /// begins.
  float *rowOf(int index, int64_t row);
  /// Adds |step|, which runs on the next |rows| rows and writes the
  /// gradients into |gradients|, one buffer per entry of the sizes given to
  /// setApply (none when evaluating).
  void addSlice(BatchStep &step, int64_t rows, std::vector<float *> gradients);
  /// Training: |apply| updates the parameters from the first slice's
  /// gradient buffers, of |gradientSizes| values each, once they hold the
  /// whole batch's gradients.
  void setApply(BatchStep &apply, std::vector<int64_t> gradientSizes);

  float *input(int index) override;
  /// Runs the slices at once, slice s > 0 with its random draws keyed by
  /// mixSeed(|seed|, s); then, training, the update.
  void run(int64_t step, uint64_t seed) override;
  /// As run(), each slice's rows gathered by the core that runs it.
  void gatherAndRun(int64_t rows, int arrays, const Gather &gather,
                    int64_t step, uint64_t seed) override;
  const std::vector<double> &scalars() const override { return scalars_; }

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
  /// share of the elements of thread |thread| of |threads|.
  void sumGradients(int thread, int threads);

  int64_t rows_;
  std::vector<int64_t> sampleSizes_;
  std::vector<std::vector<float>> inputs_;
  std::vector<Slice> slices_;
  BatchStep *apply_ = nullptr;
  std::vector<int64_t> gradientSizes_;
  std::vector<double> scalars_;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_SPLITSTEP_H
