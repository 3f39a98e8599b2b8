//===- Summary.cpp - Keras-style model summary ----------------------------===//
//
// The table `aec summary` prints: one row per input and layer, columns sized
// to their contents, then the parameter totals.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Printers.h"

#include <algorithm>
#include <ostream>

namespace aenet {

std::string withThousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

void printSummary(const CheckedProgram &program, int model, std::ostream &os) {
  const ModelGraph &graph = program.models[model];
  using Row = std::vector<std::string>;
  std::vector<Row> rows;

  // A model is sequential when every layer consumes the value made just
  // before it; otherwise show what each layer is connected to.
  bool sequential = true;
  int previous = graph.inputs.empty() ? -1 : graph.inputs[0].value;
  for (const LayerNode &layer : graph.layers) {
    if (layer.operands.size() != 1 || layer.operands[0] != previous)
      sequential = false;
    previous = layer.result;
  }
  sequential &= graph.inputs.size() <= 1;

  for (const InputInfo &input : graph.inputs)
    rows.push_back({input.name, "InputLayer", input.shape.str(), "0", ""});
  bool awaiting = false;
  for (const LayerNode &layer : graph.layers) {
    std::string connected;
    for (int operand : layer.operands)
      connected += (connected.empty() ? "" : ", ") + graph.values[operand].name;
    // Shapes that wait for the data's sequence length have no size yet.
    const ValueInfo &result = graph.values[layer.result];
    awaiting |= result.awaitsLength;
    rows.push_back({layer.name, layerKerasName(layer.spec.kind),
                    result.awaitsLength ? "?" : result.shape.str(),
                    result.awaitsLength ? "?"
                                        : withThousands(layer.paramCount()),
                    connected});
  }

  Row header = {"Layer", "Kind", "Output Shape", "Param #", "Connected to"};
  size_t columns = sequential ? 4 : 5;
  std::vector<size_t> width(columns);
  for (size_t c = 0; c < columns; ++c) {
    width[c] = header[c].size();
    for (const Row &row : rows)
      width[c] = std::max(width[c], row[c].size());
  }
  size_t total = 0;
  for (size_t w : width)
    total += w + 3;
  auto printRow = [&](const Row &row) {
    std::string line = " ";
    for (size_t c = 0; c < columns; ++c) {
      std::string cell = row[c];
      // Right-align the parameter count, as Keras does.
      if (c == 3)
        cell = std::string(width[c] - cell.size(), ' ') + cell;
      else
        cell += std::string(width[c] - cell.size(), ' ');
      line += cell + (c + 1 < columns ? "   " : "");
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    os << line << '\n';
  };

  int64_t params = graph.paramCount();
  int64_t frozen = program.frozenParamCount(model);
  os << "Model: \"" << graph.name << "\"\n";
  os << std::string(total, '_') << '\n';
  printRow(header);
  os << std::string(total, '=') << '\n';
  for (const Row &row : rows)
    printRow(row);
  os << std::string(total, '=') << '\n';
  os << "Total params: " << withThousands(params) << '\n';
  os << "Trainable params: " << withThousands(params - frozen) << '\n';
  os << "Non-trainable params: " << withThousands(frozen) << '\n';
  // Each phase trains its own set: one line per phase, in order.
  if (const TrainPlan *plan = program.trainFor(graph.name))
    for (size_t i = 0; i < plan->phases.size(); ++i) {
      int64_t phaseFrozen = program.frozenParamCount(model, i);
      os << "Phase " << i + 1 << " '" << plan->phases[i].name << "' ("
         << plan->phases[i].epochs << " epochs, "
         << optimizerKindName(plan->phases[i].optimizer.kind) << " lr "
         << plan->phases[i].optimizer.learningRate
         << "): trainable params: " << withThousands(params - phaseFrozen)
         << ", non-trainable params: " << withThousands(phaseFrozen) << '\n';
    }
  if (awaiting)
    os << "(? : the sequence length of the training data fixes these; the "
          "totals leave them out)\n";
  os << std::string(total, '_') << '\n';
}

} // namespace aenet
