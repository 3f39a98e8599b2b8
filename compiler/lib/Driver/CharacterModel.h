//===- CharacterModel.h - What aec generate samples from --------*- C++ -*-===//
//
// A character model, seen from the sampling loop: feed it characters, ask
// for the distribution of the next one. Today's implementation runs the
// compiled `predict` on a sliding window of the last T characters (T steps
// of work per character). A stateful recurrent model would implement the
// same interface by running one step per pushed character and carrying its
// state, which is why the loop never sees windows.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_CHARACTERMODEL_H
#define AENET_LIB_DRIVER_CHARACTERMODEL_H

#include "CompiledSteps.h"

#include "aenet/Lang/ModelGraph.h"

#include <string>
#include <vector>

namespace aenet {

/// Where a model reads characters and writes the next one's distribution.
struct CharacterModelShape {
  int input = -1;         ///< the `chars[T, V]` input, an index of inputs
  int64_t window = 0;     ///< T
  int64_t slots = 0;      ///< V
  std::string output;     ///< the softmax layer's name
  int64_t outputRows = 1; ///< 1 for `[V]`, T for `[T, V]` (many-to-many)
  /// A layer carries its state: generation runs one step per character.
  bool stateful = false;
};

/// The shape of |model| as a character model: one `chars[T, V]` input of a
/// fixed length (fixWindow in Generate.cpp gives a `?` one the text
/// source's window) that its layers read (another may be a target), and a
/// softmax layer whose output is `[V]` or `[T, V]` (the last one if
/// several). Empty |problem| on success; otherwise it says what the model
/// lacks.
CharacterModelShape findCharacterModel(const ModelGraph &model,
                                       std::string &problem);

/// A model that gives the probabilities of the next character after the
/// characters pushed so far.
class CharacterModel {
public:
  virtual ~CharacterModel();
  /// Feeds the character of vocabulary index |symbol|.
  virtual void push(int32_t symbol) = 0;
  /// The probabilities of the next character over the model's V slots.
  virtual const float *next() = 0;
};

/// |program| with model |model|'s chars inputs one step long, so that its
/// `predict` reads one character per call and its stateful layers carry
/// the rest: every layer between the input and |shape|'s output must keep
/// the steps (recurrent layers returning sequences, per-step dense and
/// activations). Sets |problem| (and returns |program| unchanged) when one
/// does not. |shape| is updated to one step.
CheckedProgram oneStepProgram(const CheckedProgram &program, int model,
                              CharacterModelShape &shape,
                              std::string &problem);

/// Runs the compiled `predict` of batch 1 and one step on each character
/// pushed, its stateful layers carrying the state: O(1) work a character.
class StatefulStepModel : public CharacterModel {
public:
  StatefulStepModel(BoundEntry &predict, const CharacterModelShape &shape);

  void push(int32_t symbol) override;
  const float *next() override;

private:
  BoundEntry &predict_;
  CharacterModelShape shape_;
  const float *last_ = nullptr;
};

/// Runs the compiled `predict` of batch 1 on the last T characters.
class SlidingWindowModel : public CharacterModel {
public:
  /// |predict| is bound for one row; |context| holds the first T characters
  /// (vocabulary indices).
  SlidingWindowModel(BoundEntry &predict, const CharacterModelShape &shape,
                     std::vector<int32_t> context);

  void push(int32_t symbol) override;
  const float *next() override;

private:
  BoundEntry &predict_;
  CharacterModelShape shape_;
  std::vector<int32_t> window_;
};

} // namespace aenet

#endif // AENET_LIB_DRIVER_CHARACTERMODEL_H
