#!/usr/bin/env python3
"""Make the supervised CSV files of examples/shampoo_lstm.aenet from shampoo.csv.

shampoo.csv (next to this script) holds the monthly sales of a shampoo over
three years, 36 values in the columns month ("1-01" .. "3-12") and sales. Source:
S. Makridakis, S. C. Wheelwright and R. J. Hyndman, "Forecasting: Methods and
Applications", 3rd ed., Wiley, 1998 (the "shampoo" series of its data sets).

The task, as in the course work: forecast each of the last 12 months one step
ahead from the months before it, walking forward, with a stateful LSTM, and
report the test RMSE in the original units (sales). The series has a trend, so
the network sees the first differences d[t] = sales[t] - sales[t-1], scaled to
[-1, 1] by the smallest and largest difference of the training part only (the
first 24 months), so nothing of the test months leaks into the scale:

  scaled(d) = 2 * (d - lo) / (hi - lo) - 1,   d = (scaled + 1) * (hi - lo) / 2 + lo

Each sample is one step: the input is the scaled difference of the month
before (for the second month, whose previous month has no difference, that
of 0: "no change"), the target the scaled difference of the month. The forecast of month t in sales is then
sales[t-1] + d, d unscaled from the model's output.

Files written next to this script (CSV with a header row; one row per sample,
in time order; the stateful model reads them without shuffling):
  shampoo_train.csv   month,x,y for months 1-02 .. 2-12   (23 samples)
  shampoo_test.csv    month,x,y for months 3-01 .. 3-12   (12 samples)
  shampoo_series.csv  both, months 1-02 .. 3-12           (35 samples)
The first month has no difference and so no sample; the first test sample's
input is the last training month's difference. aec resets a stateful layer's
state at the start of every prediction pass, so the walk-forward forecast
predicts the whole series (shampoo_series.csv) in one pass: the state at each
test month has then seen every month before it, and the last 12 outputs are
the test forecasts.

`make_shampoo_csv.py rmse PREDICTIONS.safetensors` reads the 12 scaled
forecasts of the test months (the F32 tensor `pred`, [12, 1] or the whole
series' [35, 1] of which it takes the last 12, as aec predict writes it),
turns them into sales and prints the test RMSE; `--persistence`
prints the RMSE of the forecast "same as last month" to compare with (136.8).
Standard library only. Exits 1 with a message on a bad file.
"""

import argparse
import json
import math
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN_MONTHS = 24
TEST_MONTHS = 12


class ShampooError(Exception):
    pass


def read_series(path):
    """[(month label, sales)] of shampoo.csv."""
    try:
        with open(path, encoding="ascii") as f:
            lines = [line.strip() for line in f if line.strip()]
    except (OSError, UnicodeDecodeError) as e:
        raise ShampooError("cannot read %s: %s" % (path, e))
    if not lines or lines[0] != "month,sales":
        raise ShampooError("%s: the first line must be 'month,sales'" % path)
    series = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split(",")
        try:
            if len(cells) != 2:
                raise ValueError("%d cells" % len(cells))
            series.append((cells[0], float(cells[1])))
        except ValueError as e:
            raise ShampooError("%s:%d: not 'month,sales': %s" % (path, number, e))
    if len(series) != TRAIN_MONTHS + TEST_MONTHS:
        raise ShampooError("%s holds %d months, not %d"
                           % (path, len(series), TRAIN_MONTHS + TEST_MONTHS))
    return series


def scale_of(sales):
    """(lo, hi): the range of the training months' differences."""
    diffs = [sales[t] - sales[t - 1] for t in range(1, TRAIN_MONTHS)]
    return min(diffs), max(diffs)


def samples(series):
    """[(month, x, y)]: scaled previous and current difference, months 2..36."""
    sales = [s for _, s in series]
    lo, hi = scale_of(sales)
    # diffs[0] = 0: before the second month nothing is known of a change.
    diffs = [0.0] + [sales[t] - sales[t - 1] for t in range(1, len(sales))]
    scaled = [2 * (d - lo) / (hi - lo) - 1 for d in diffs]
    return [(series[t][0], scaled[t - 1], scaled[t])
            for t in range(1, len(sales))]


def write(path, rows):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("month,x,y\n")
        for month, x, y in rows:
            f.write("%s,%.6f,%.6f\n" % (month, x, y))
    print("make_shampoo_csv: wrote %s (%d samples)" % (path, len(rows)))


def read_predictions(path):
    """The values of the F32 tensor 'pred' of a safetensors file."""
    try:
        with open(path, "rb") as f:
            data = f.read()
        (size,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + size])
        info = header["pred"]
        begin, end = info["data_offsets"]
    except (OSError, struct.error, ValueError, KeyError, TypeError) as e:
        raise ShampooError("%s: no F32 tensor 'pred' (%s)" % (path, e))
    if info.get("dtype") != "F32":
        raise ShampooError("%s: 'pred' is %s, not F32" % (path, info.get("dtype")))
    raw = data[8 + size + begin:8 + size + end]
    values = list(struct.unpack("<%df" % (len(raw) // 4), raw))
    if len(values) not in (TEST_MONTHS, TRAIN_MONTHS + TEST_MONTHS - 1):
        raise ShampooError("%s: 'pred' holds %d values, neither the %d test "
                           "months nor the %d of the series"
                           % (path, len(values), TEST_MONTHS,
                              TRAIN_MONTHS + TEST_MONTHS - 1))
    return values[-TEST_MONTHS:]


def rmse(series, scaled_forecasts):
    """Test RMSE in sales of the forecasts, given as scaled differences."""
    sales = [s for _, s in series]
    lo, hi = scale_of(sales)
    errors = []
    for i, p in enumerate(scaled_forecasts):
        t = TRAIN_MONTHS + i
        forecast = sales[t - 1] + (p + 1) * (hi - lo) / 2 + lo
        errors.append(forecast - sales[t])
    return math.sqrt(sum(e * e for e in errors) / len(errors))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", choices=["write", "rmse"],
                        default="write")
    parser.add_argument("predictions", nargs="?",
                        help="rmse: the safetensors file of aec predict")
    parser.add_argument("--persistence", action="store_true",
                        help="rmse: of the forecast 'as last month' instead")
    args = parser.parse_args()
    series = read_series(os.path.join(HERE, "shampoo.csv"))
    if args.command == "write":
        rows = samples(series)
        write(os.path.join(HERE, "shampoo_train.csv"), rows[:-TEST_MONTHS])
        write(os.path.join(HERE, "shampoo_test.csv"), rows[-TEST_MONTHS:])
        write(os.path.join(HERE, "shampoo_series.csv"), rows)
        lo, hi = scale_of([s for _, s in series])
        print("make_shampoo_csv: differences scaled from [%.1f, %.1f]" % (lo, hi))
        return 0
    if args.persistence:
        lo, hi = scale_of([s for _, s in series])
        # A difference of 0, scaled.
        forecasts = [2 * (0 - lo) / (hi - lo) - 1] * TEST_MONTHS
    elif args.predictions:
        forecasts = read_predictions(args.predictions)
    else:
        raise ShampooError("rmse needs a predictions file or --persistence")
    print("test RMSE: %.1f" % rmse(series, forecasts))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ShampooError as e:
        print("make_shampoo_csv: error: %s" % e, file=sys.stderr)
        sys.exit(1)
