//===- Plot.h - Loss curves and scatter plots via gnuplot -------*- C++ -*-===//
//
// A training run draws its loss curves from metrics.csv: one line per series
// (e.g. "loss" and "val_loss") against the "epoch" column (or the row number
// if there is none), with a title, axis labels "epoch" and "loss", a legend,
// and a logarithmic y axis when the values span more than two decades.
// After training an autoencoder it draws its codes too: points scattered on
// a plane, one colour per class (latent.png).
//
// The picture is drawn by gnuplot (Debian's gnuplot-nox), run as a separate
// program (llvm::sys::ExecuteAndWait, no shell) on a script in a private
// temporary directory; gnuplot reads metrics.csv itself, its path passed as
// an argument, so no user-supplied path or title is ever parsed by a shell.
// A gnuplot that hangs is stopped after a time limit. The finished PNG is
// then moved into place atomically. The pngcairo terminal is used when
// gnuplot has it, otherwise the libgd png terminal; both give 900x600
// pixels.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_PLOT_H
#define AENET_RUNTIME_PLOT_H

#include <string>
#include <vector>

namespace aenet::rt {

/// How long gnuplot may take for one picture; it needs well under a second.
inline constexpr unsigned kPlotTimeoutSeconds = 60;

/// Draws the columns |series| of the metrics file |csvPath| into the
/// 900x600 PNG |pngPath| under |title|. When the file has a "phase" column
/// (a train block with phases), a dashed line marks where each phase after
/// the first begins, labelled with its number and its name from
/// |phaseNames| (phase 1 first). Throws DataError if the CSV cannot
/// be read, has no rows or lacks a series; OutputError with gnuplot's stderr
/// if gnuplot is missing ("gnuplot not found: install gnuplot-nox") or fails,
/// and OutputError if it runs longer than |timeoutSeconds|.
void plotLossCurves(const std::string &csvPath, const std::string &pngPath,
                    const std::string &title,
                    const std::vector<std::string> &series,
                    unsigned timeoutSeconds = kPlotTimeoutSeconds,
                    const std::vector<std::string> &phaseNames = {});

/// Draws the points |xy| (x0, y0, x1, y1, ...) into the 900x600 PNG
/// |pngPath| under |title|, axes labelled |xLabel| and |yLabel|: in one
/// colour per class with a legend of |classNames| when |labels| gives each
/// point's class (0 .. classNames.size() - 1), in one colour when it is
/// empty. Throws OutputError as plotLossCurves does, and DataError when
/// |labels| does not match the points or names a class out of range.
void plotScatter(const std::string &pngPath, const std::string &title,
                 const std::string &xLabel, const std::string &yLabel,
                 const std::vector<float> &xy,
                 const std::vector<int64_t> &labels,
                 const std::vector<std::string> &classNames,
                 unsigned timeoutSeconds = kPlotTimeoutSeconds);

/// One line of plotBands: |mean| at each |x|, over a shaded band from
/// |low| to |high| (equal to |mean| for no band).
struct BandSeries {
  std::string name;
  std::vector<double> x, mean, low, high;
};

/// Draws each of |series| as a line with points over its band, in one
/// colour per series with a legend, into the 900x600 PNG |pngPath| under
/// |title|. With |xNames|, x = i is labelled |xNames[i]| (values that are
/// names, or numbers spaced as categories). Throws DataError when a series'
/// vectors differ in length, OutputError as plotLossCurves does.
void plotBands(const std::string &pngPath, const std::string &title,
               const std::string &xLabel, const std::string &yLabel,
               const std::vector<BandSeries> &series,
               const std::vector<std::string> &xNames = {},
               unsigned timeoutSeconds = kPlotTimeoutSeconds);

} // namespace aenet::rt

#endif // AENET_RUNTIME_PLOT_H
