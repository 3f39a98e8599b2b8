#!/usr/bin/env python3
"""Checks the rmse metric of aec runs (Python 3 standard library only).

Keras's RootMeanSquaredError over an epoch is the root of the mean square
error over all of its samples, not the mean of the batches' roots. These
commands compare what aec reported with computations of their own.

Usage:
  rmse.py epochs METRICS
      In every epoch row of the metrics.csv METRICS, pred_rmse is the square
      root of pred_mse and of loss (the model's one loss, the mse of the same
      pair), and val_pred_rmse the root of val_pred_mse, to 1e-6 relative.
  rmse.py predicted METRICS PREDICTIONS TARGETS BATCH
      The last epoch's val_pred_rmse in METRICS is, to 1e-5 relative, the
      root of the mean square of the predictions 'pred' in the safetensors
      file PREDICTIONS (aec predict, of the last epoch's weights) less the
      targets in column 1 of the CSV file TARGETS; and it differs, by more
      than 1e-3 relative, from the mean of the roots of batches of BATCH
      samples weighted by their sizes (what a per-batch rmse would give).
  rmse.py eval METRICS EVAL_OUTPUT
      The 'pred_rmse X' that aec eval printed in the text file EVAL_OUTPUT is
      the last epoch's val_pred_rmse, to the 4 decimals printed.

Prints what it found and exits 0 when the property holds, 1 when it does not.
"""

import csv
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metrics  # noqa: E402 (Inputs/metrics.py)
import safetensors  # noqa: E402 (Inputs/safetensors.py)


def rows(path):
    _, found = metrics.read(path)
    if not found:
        raise SystemExit("rmse.py: %s has no epoch" % path)
    return found


def close(a, b, relative):
    return abs(a - b) <= relative * max(abs(a), abs(b))


def cmd_epochs(path):
    ok = True
    found = rows(path)
    for row in found:
        pairs = [("pred_rmse", "pred_mse"), ("pred_rmse", "loss"),
                 ("val_pred_rmse", "val_pred_mse")]
        for root, square in pairs:
            r, s = float(row[root]), float(row[square])
            if not close(r, math.sqrt(s), 1e-6):
                print("epoch %s: %s %.9g is not the root of %s %.9g (%.9g)" % (
                    row["epoch"], root, r, square, s, math.sqrt(s)))
                ok = False
    print("%d epochs: %s" % (len(found), "each rmse is the root of its mse"
                             if ok else "MISMATCH"))
    return 0 if ok else 1


def cmd_predicted(path, predictions, targets, batch):
    reported = float(rows(path)[-1]["val_pred_rmse"])
    _, tensors = safetensors.load(predictions)
    dtype, _, raw = tensors["pred"]
    pred = safetensors.values(dtype, raw)
    with open(targets, newline="") as f:
        target = [float(r[1]) for r in list(csv.reader(f))[1:]]
    if len(pred) != len(target):
        raise SystemExit("rmse.py: %d predictions for %d targets" % (
            len(pred), len(target)))
    errors = [(p - t) ** 2 for p, t in zip(pred, target)]
    whole = math.sqrt(sum(errors) / len(errors))
    batch = int(batch)
    per_batch = 0.0
    for begin in range(0, len(errors), batch):
        part = errors[begin:begin + batch]
        per_batch += len(part) * math.sqrt(sum(part) / len(part))
    per_batch /= len(errors)
    ok = close(reported, whole, 1e-5) and not close(reported, per_batch, 1e-3)
    print("val_pred_rmse %.7g: root of the mean square %.7g, mean of the "
          "batches' roots %.7g: %s" % (reported, whole, per_batch,
                                       "as Keras" if ok else "WRONG"))
    return 0 if ok else 1


def cmd_eval(path, eval_output):
    reported = float(rows(path)[-1]["val_pred_rmse"])
    with open(eval_output) as f:
        found = re.search(r"^\s*pred_rmse ([0-9.eE+-]+)\s*$", f.read(), re.M)
    if not found:
        raise SystemExit("rmse.py: no 'pred_rmse X' line in %s" % eval_output)
    printed = float(found.group(1))
    ok = abs(printed - reported) <= 5e-5
    print("aec eval's pred_rmse %s %s val_pred_rmse %.6f" % (
        found.group(1), "matches" if ok else "does NOT match", reported))
    return 0 if ok else 1


def main(argv):
    return metrics.dispatch({"epochs": (cmd_epochs, 1),
                             "predicted": (cmd_predicted, 4),
                             "eval": (cmd_eval, 2)}, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
