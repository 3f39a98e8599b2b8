//===- Generate.cpp - aec generate ----------------------------------------===//
//
// Samples text from a trained character model: the checkpoint gives the
// weights and the vocabulary, the model is compiled for one row, and each
// character is drawn from the softmax at a temperature (Sampling.h) and fed
// back. Plain text prints the prime and what follows it; `--count K` prints
// K names, one per line, each ending where the model writes a newline.
//
//===----------------------------------------------------------------------===//

#include "CharacterModel.h"
#include "TextData.h"

#include "aenet/Driver/Commands.h"
#include "aenet/Lang/Parser.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Random.h"
#include "aenet/Runtime/Sampling.h"

#include <iostream>

namespace aenet {

namespace {

/// The defaults of --length: as Keras's example for text, and longer than
/// almost any name for --count.
constexpr int64_t kTextLength = 400;
constexpr int64_t kNameLength = 40;

/// Prints "aec: error: |message|" and returns the exit status 1.
int fail(const std::string &message) {
  std::cerr << "aec: error: " << message << '\n';
  return 1;
}

/// The model |options| name, else the first with a chars input; -1 after
/// printing why there is none.
int pickModel(const SourceFile &file, const CheckedProgram &program,
              const std::string &name) {
  for (size_t i = 0; i < program.models.size(); ++i) {
    const ModelGraph &model = program.models[i];
    bool hasChars = false;
    for (const InputInfo &input : model.inputs)
      hasChars |= input.kind == InputKind::Chars;
    if (name.empty() ? hasChars : model.name == name)
      return static_cast<int>(i);
  }
  fail(name.empty() ? "no model in " + file.path() +
                          " has a chars input; aec generate samples from "
                          "character models"
                    : "no model named '" + name + "' in " + file.path());
  return -1;
}

/// |program| checked again with the `?` length of |model|'s chars inputs
/// fixed to the window of the text source that trained them, as `aec train`
/// fixes it from its data; a copy of |program| when no chars input has a
/// `?` length or no text source gives one. Null after printing the errors.
std::unique_ptr<CheckedProgram> fixWindow(const SourceFile &file,
                                          const CheckedProgram &program,
                                          const ModelGraph &model) {
  FixedInputs fixed{model.name, {}, {}};
  if (const TrainPlan *plan = program.trainFor(model.name))
    for (const DataSource &source : plan->data)
      if (source.kind == SourceKind::Text)
        for (const std::string &name : source.inputs)
          for (const InputInfo &input : model.inputs)
            if (input.name == name && input.kind == InputKind::Chars &&
                !input.shape.isStatic())
              fixed.shapes[name] = Shape{source.window, input.classes};
  auto resolved = std::make_unique<CheckedProgram>(program);
  if (fixed.shapes.empty())
    return resolved;
  DiagnosticEngine diags(file);
  ast::Program ast = parseProgram(file, diags);
  // The values the program was checked with; they bound once already.
  std::string bound = bindParams(ast, program.params, diags);
  if (!bound.empty()) {
    std::cerr << "aec: error: " << bound << '\n';
    return nullptr;
  }
  *resolved = checkProgram(ast, file, diags, &fixed);
  if (!diags.hasErrors())
    return resolved;
  diags.print(std::cerr);
  return nullptr;
}

/// The first window: the last T characters of |prime|, left-padded with
/// newlines. Throws rt::DataError naming --prime for characters outside
/// |vocabulary| and for a short prime when there is no newline to pad with.
std::vector<int32_t> firstWindow(const std::u32string &prime,
                                 const rt::Vocabulary &vocabulary,
                                 int64_t window, const std::string &weights) {
  std::vector<int32_t> context;
  for (size_t i = 0; i < prime.size(); ++i) {
    int64_t index = vocabulary.indexOf(prime[i]);
    if (index < 0)
      throw rt::DataError("--prime",
                          "character " + std::to_string(i + 1) + ", " +
                              rt::describeCharacter(prime[i]) +
                              ", is not in the vocabulary of " + weights +
                              " (" + std::to_string(vocabulary.size()) +
                              " characters)");
    context.push_back(static_cast<int32_t>(index));
  }
  auto length = static_cast<int64_t>(context.size());
  if (length >= window)
    return {context.end() - window, context.end()};
  int64_t newline = vocabulary.indexOf(U'\n');
  if (newline < 0)
    throw rt::DataError("--prime",
                        "the vocabulary of " + weights + " has no newline to "
                        "fill the window of " + std::to_string(window) +
                        " characters before the prime; give a prime of at "
                        "least " + std::to_string(window) + " characters");
  context.insert(context.begin(), window - length,
                 static_cast<int32_t>(newline));
  return context;
}

/// The distribution to draw the next character from: the model's, at
/// |temperature|, over the vocabulary's slots only (the padding slots were
/// never a target). With |noNewline|, the newline's share goes to the other
/// characters. Throws std::runtime_error if there is nothing to draw from.
std::vector<double> nextDistribution(CharacterModel &model,
                                     const rt::Vocabulary &vocabulary,
                                     double temperature, bool noNewline) {
  std::vector<double> q =
      rt::withTemperature(model.next(), vocabulary.size(), temperature);
  int64_t newline = vocabulary.indexOf(U'\n');
  if (!q.empty() && noNewline && newline >= 0) {
    double rest = 1 - q[newline];
    q[newline] = 0;
    if (rest > 0)
      for (double &w : q)
        w /= rest;
    else
      q.clear();
  }
  if (q.empty())
    throw std::runtime_error(
        "the model's softmax gives no probability to any character it may "
        "write (all zero, or not a number): the weights may have diverged");
  return q;
}

/// |length| characters after the prime.
std::string generateText(CharacterModel &model,
                         const rt::Vocabulary &vocabulary,
                         const GenerateOptions &options, rt::Rng &rng) {
  std::u32string text;
  int64_t length = options.length.value_or(kTextLength);
  for (int64_t i = 0; i < length; ++i) {
    int64_t next = rt::drawIndex(
        nextDistribution(model, vocabulary, options.temperature, false), rng);
    text.push_back(vocabulary.at(next));
    model.push(static_cast<int32_t>(next));
  }
  return rt::encodeUtf8(text);
}

/// |count| names, each ending at a newline or cut after |length|
/// characters (then the model reads a newline, as if the name had ended
/// there). A name's first character is never the newline, so no name is
/// empty and each costs at most |length| draws.
std::string generateNames(CharacterModel &model,
                          const rt::Vocabulary &vocabulary,
                          const GenerateOptions &options, rt::Rng &rng) {
  int64_t length = options.length.value_or(kNameLength);
  int64_t newline = vocabulary.indexOf(U'\n');
  std::string names;
  std::u32string name;
  for (int64_t made = 0; made < *options.count;) {
    int64_t next = rt::drawIndex(nextDistribution(model, vocabulary,
                                                  options.temperature,
                                                  name.empty()),
                                 rng);
    model.push(static_cast<int32_t>(next));
    if (next != newline) {
      name.push_back(vocabulary.at(next));
      if (static_cast<int64_t>(name.size()) < length)
        continue;
      if (newline >= 0)
        model.push(static_cast<int32_t>(newline));
    }
    names += rt::encodeUtf8(name) + '\n';
    name.clear();
    ++made;
  }
  return names;
}

} // namespace

int runGenerate(const SourceFile &file, const CheckedProgram &program,
                const GenerateOptions &options) {
  int modelIndex = pickModel(file, program, options.model);
  if (modelIndex < 0)
    return 1;
  std::unique_ptr<CheckedProgram> resolved =
      fixWindow(file, program, program.models[modelIndex]);
  if (!resolved)
    return 1;
  std::string problem;
  CharacterModelShape shape =
      findCharacterModel(resolved->models[modelIndex], problem);
  if (!problem.empty())
    return fail(problem);
  // A stateful model runs one step per character, carrying its state.
  int64_t window = shape.window;
  if (shape.stateful) {
    *resolved = oneStepProgram(*resolved, modelIndex, shape, problem);
    if (!problem.empty())
      return fail(problem);
  }
  const ModelGraph &model = resolved->models[modelIndex];

  rt::Checkpoint checkpoint;
  rt::Vocabulary vocabulary;
  std::vector<int32_t> context;
  try {
    checkpoint = rt::loadSafetensors(options.weights);
    vocabulary =
        requireVocabulary(checkpoint, options.weights, "aec generate");
    if (vocabulary.size() > shape.slots)
      throw rt::CheckpointError(
          options.weights,
          "its vocabulary has " + std::to_string(vocabulary.size()) +
              " characters, more than the " + std::to_string(shape.slots) +
              " symbols of input '" + model.inputs[shape.input].name + "'");
    std::u32string prime =
        rt::decodeUtf8(options.prime.value_or(""), "--prime");
    // A stateful model reads the prime (at least one character) from its
    // zero state; a windowed one the last T characters.
    context = firstWindow(prime, vocabulary,
                          shape.stateful
                              ? std::max<int64_t>(1, prime.size())
                              : window,
                          options.weights);
  } catch (const rt::FileError &e) {
    return fail(e.what());
  }

  rt::ParameterStore store;
  std::vector<std::string> names;
  std::vector<int64_t> sizes;
  for (const InputInfo &input : model.inputs) {
    names.push_back(input.name);
    sizes.push_back(std::max<int64_t>(0, input.shape.numElements()));
  }
  CompiledSteps steps(file, *resolved, modelIndex, /*batch=*/1,
                      options.backend, store, names, sizes);
  if (!steps.compile())
    return 1;
  uint64_t seed = options.seed ? *options.seed : rt::freshSeed();
  try {
    steps.initializeStore(0);
    store.loadParameters(checkpoint, options.weights);
    std::unique_ptr<CharacterModel> chars;
    if (shape.stateful) {
      auto step = std::make_unique<StatefulStepModel>(steps.predictStep(1),
                                                      shape);
      for (int32_t symbol : context)
        step->push(symbol);
      chars = std::move(step);
    } else {
      chars = std::make_unique<SlidingWindowModel>(steps.predictStep(1), shape,
                                                   std::move(context));
    }
    rt::Rng rng(rt::mixSeed(seed, 0x67656e));  // "gen"
    if (options.count)
      std::cout << generateNames(*chars, vocabulary, options, rng);
    else
      std::cout << options.prime.value_or("")
                << generateText(*chars, vocabulary, options, rng) << '\n';
  } catch (const std::exception &e) {
    return fail(e.what());
  }
  return 0;
}

} // namespace aenet
