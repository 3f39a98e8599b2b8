#!/usr/bin/env python3
"""Checks the errors metric of aec runs (Python 3 standard library only).

errors counts the positions (a class target's sample, or each step of a
chars target) whose arg-max prediction is not the target's, summed over a
pass: Karpathy's min-char-rnn's number of wrongly predicted characters.
These commands compare what aec reported with counts of their own.

Usage:
  errors.py epochs METRICS STEPS TRAIN VAL
      In every epoch row of the metrics.csv METRICS, pred_errors is a whole
      number (to 1e-3) and is (1 - pred_accuracy) * STEPS * TRAIN, the wrong
      steps of TRAIN samples of STEPS positions each (to 0.01); the same for
      val_pred_errors with VAL samples unless VAL is 0 (no validation).
  errors.py predicted METRICS EVAL_OUTPUT PREDICTIONS WEIGHTS TEXT WINDOW
      The last epoch's val_pred_errors in METRICS, and the 'pred_errors X'
      that aec eval printed in the text file EVAL_OUTPUT (to its 4
      decimals), are the number of steps whose first arg-max in the
      predictions 'pred' of the safetensors file PREDICTIONS (aec predict,
      of the last epoch's weights) is not the character after it in the
      UTF-8 file TEXT, read as windows of WINDOW characters at every
      position, each character's index its place in the vocabulary saved in
      the checkpoint WEIGHTS.

Prints what it found and exits 0 when the property holds, 1 when it does not.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics  # noqa: E402 (Inputs/metrics.py)
import safetensors  # noqa: E402 (Inputs/safetensors.py)


def rows(path):
    _, found = metrics.read(path)
    if not found:
        raise SystemExit("errors.py: %s has no epoch" % path)
    return found


def check_count(row, prefix, positions):
    errors = float(row[prefix + "errors"])
    accuracy = float(row[prefix + "accuracy"])
    expected = (1 - accuracy) * positions
    if abs(errors - round(errors)) > 1e-3 or abs(errors - expected) > 0.01:
        print("epoch %s: %serrors %.6f is not a whole number or not "
              "(1 - %.9g) * %d = %.6f" % (row["epoch"], prefix, errors,
                                          accuracy, positions, expected))
        return False
    return True


def cmd_epochs(path, steps, train, val):
    steps, train, val = int(steps), int(train), int(val)
    found = rows(path)
    ok = True
    for row in found:
        ok &= check_count(row, "pred_", steps * train)
        if val:
            ok &= check_count(row, "val_pred_", steps * val)
    print("%d epochs: %s" % (len(found), "each count is the wrong share of "
                             "the positions" if ok else "MISMATCH"))
    return 0 if ok else 1


def printed_errors(eval_output):
    with open(eval_output) as f:
        found = re.search(r"^\s*pred_errors ([0-9.eE+-]+)\s*$", f.read(), re.M)
    if not found:
        raise SystemExit("errors.py: no 'pred_errors X' line in %s" %
                         eval_output)
    return float(found.group(1))


def cmd_predicted(path, eval_output, predictions, weights, text, window):
    reported = float(rows(path)[-1]["val_pred_errors"])
    printed = printed_errors(eval_output)
    metadata, _ = safetensors.load(weights)
    vocabulary = metadata["vocabulary"]
    _, tensors = safetensors.load(predictions)
    dtype, shape, raw = tensors["pred"]
    pred = safetensors.values(dtype, raw)
    with open(text, encoding="utf-8", newline="") as f:
        chars = f.read()
    window = int(window)
    samples = len(chars) - window
    if len(shape) != 3 or shape[:2] != [samples, window]:
        raise SystemExit("errors.py: predictions of shape %s for %d windows "
                         "of %d" % (shape, samples, window))
    slots = shape[2]
    wrong = 0
    for s in range(samples):
        for step in range(window):
            row = pred[(s * window + step) * slots:][:slots]
            guess = max(range(slots), key=lambda j: (row[j], -j))
            wrong += guess != vocabulary.index(chars[s + step + 1])
    ok = abs(reported - wrong) < 1e-3 and abs(printed - wrong) <= 5e-5
    print("val_pred_errors %.4f, aec eval's pred_errors %.4f, counted %d "
          "wrong of %d steps: %s" % (reported, printed, wrong,
                                     samples * window,
                                     "matches" if ok else "WRONG"))
    return 0 if ok else 1


def main(argv):
    return metrics.dispatch({"epochs": (cmd_epochs, 4),
                             "predicted": (cmd_predicted, 6)}, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
