//===- PlotTest.cpp - Loss curves and scatter plots through gnuplot -------===//
//
// The real gnuplot draws a 900x600 PNG from metrics.csv or a scatter plot's
// points itself; a missing gnuplot, a failing one and one that hangs
// (stand-in scripts first on $PATH) give the documented messages, and a
// stand-in shows the script's lines where they matter.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Plot.h"

#include "PngInfo.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

using namespace aenet::rt;
using aenet::test::exists;
using aenet::test::messageOf;
using aenet::test::readFile;
using aenet::test::readPngHeader;
using aenet::test::TempDir;
using aenet::test::writeFile;

namespace {

/// Sets $PATH for the lifetime of the object.
class ScopedPath {
public:
  explicit ScopedPath(const std::string &path) {
    const char *old = std::getenv("PATH");
    saved = old ? old : "";
    setenv("PATH", path.c_str(), 1);
  }
  ~ScopedPath() { setenv("PATH", saved.c_str(), 1); }

private:
  std::string saved;
};

/// Puts an executable shell script called gnuplot into |dir|.
void writeFakeGnuplot(const TempDir &dir, const std::string &body) {
  std::string fake = dir.file("gnuplot");
  writeFile(fake, "#!/bin/sh\n" + body);
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
}

std::string metrics(const TempDir &dir) {
  std::string path = dir.file("metrics.csv");
  writeFile(path, "epoch,loss,val_loss\n1,0.9,1.0\n2,0.05,0.08\n3,0.004,"
                  "0.006\n4,0.003,nan\n");
  return path;
}

TEST(PlotTest, DrawsA900x600Png) {
  // gnuplot-nox is installed with the build dependencies (.ci/install-deps).
  TempDir dir;
  std::string png = dir.file("loss.png");
  // A title with gnuplot's quote and enhanced-text characters.
  plotLossCurves(metrics(dir), png, "conv_ae: it's {x}^2 @ 50%",
                 {"loss", "val_loss"});
  aenet::test::PngHeader header = readPngHeader(readFile(png));
  EXPECT_TRUE(header.signatureOk);
  EXPECT_EQ(header.width, 900u);
  EXPECT_EQ(header.height, 600u);
  EXPECT_FALSE(exists(png + ".tmp." + std::to_string(::getpid())));
}

TEST(PlotTest, MissingSeriesIsADataError) {
  TempDir dir;
  std::string csv = metrics(dir);
  EXPECT_EQ(messageOf<DataError>([&] {
              plotLossCurves(csv, dir.file("x.png"), "t", {"acc"});
            }),
            csv + ": no column 'acc' to plot; the columns are epoch, loss, "
                  "val_loss");
  writeFile(csv, "epoch,loss\n");
  EXPECT_EQ(messageOf<DataError>([&] {
              plotLossCurves(csv, dir.file("x.png"), "t", {"loss"});
            }),
            csv + ": no rows to plot");
}

TEST(PlotTest, MissingGnuplotSaysWhatToInstall) {
  TempDir dir;
  std::string csv = metrics(dir);
  std::string png = dir.file("loss.png");
  ScopedPath path(dir.path());
  EXPECT_EQ(messageOf<OutputError>(
                [&] { plotLossCurves(csv, png, "t", {"loss"}); }),
            png + ": gnuplot not found: install gnuplot-nox");
  EXPECT_FALSE(exists(png));
}

TEST(PlotTest, FailingGnuplotReportsItsStderr) {
  TempDir dir;
  std::string csv = metrics(dir);
  std::string png = dir.file("loss.png");
  writeFakeGnuplot(dir, "echo \"line 3: unknown terminal\" >&2\nexit 3\n");
  ScopedPath path(dir.path() + ":/usr/bin:/bin");
  EXPECT_EQ(messageOf<OutputError>(
                [&] { plotLossCurves(csv, png, "t", {"loss"}); }),
            png + ": gnuplot failed (exit status 3): line 3: unknown terminal");
  EXPECT_FALSE(exists(png));
}

TEST(PlotTest, GnuplotReadsTheCsvItself) {
  // The stand-in shows its arguments and the script's plot command: the
  // CSV's own path is ARG1, and its columns are addressed by number.
  TempDir dir;
  std::string csv = metrics(dir);
  std::string png = dir.file("loss.png");
  writeFakeGnuplot(dir,
                   "echo \"$1 $3\" >&2\ngrep -h ARG1 \"$2\" >&2\nexit 1\n");
  ScopedPath path(dir.path() + ":/usr/bin:/bin");
  EXPECT_EQ(messageOf<OutputError>(
                [&] { plotLossCurves(csv, png, "t", {"val_loss"}); }),
            png + ": gnuplot failed (exit status 1): -c " + csv +
                "\nplot ARG1 skip 1 using 1:3 title 'val_loss' with "
                "linespoints pt 7 ps 0.8 lw 2");
}

TEST(PlotTest, HangingGnuplotIsStopped) {
  TempDir dir;
  std::string csv = metrics(dir);
  std::string png = dir.file("loss.png");
  // exec: the process that is killed is the one that sleeps.
  writeFakeGnuplot(dir, "exec sleep 30\n");
  ScopedPath path(dir.path() + ":/usr/bin:/bin");
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(messageOf<OutputError>([&] {
              plotLossCurves(csv, png, "t", {"loss"}, /*timeoutSeconds=*/1);
            }),
            png + ": gnuplot did not finish within 1 seconds and was stopped");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_FALSE(exists(png));
}

} // namespace

TEST(PlotScatterTest, DrawsClassesAsA900x600Png) {
  TempDir dir;
  std::string png = dir.file("latent.png");
  std::vector<float> xy = {0, 0, 1, 1, -1, 2, 0.5f, -3, NAN, 1};
  plotScatter(png, "vae: it's z", "z[0]", "z[1]", xy, {0, 1, 2, 1, 0},
              {"zero", "o'ne", "two"});
  aenet::test::PngHeader header = readPngHeader(readFile(png));
  EXPECT_TRUE(header.signatureOk);
  EXPECT_EQ(header.width, 900u);
  EXPECT_EQ(header.height, 600u);
  // Without labels: one colour.
  std::string plain = dir.file("plain.png");
  plotScatter(plain, "codes", "pc 1", "pc 2", xy, {}, {});
  EXPECT_TRUE(readPngHeader(readFile(plain)).signatureOk);
}

TEST(PlotScatterTest, LegendOnlyForClasses) {
  // The stand-in shows the script's key lines: a legend box for classes,
  // none (not even an empty box) for points of one colour.
  TempDir dir;
  std::string png = dir.file("latent.png");
  writeFakeGnuplot(dir, "grep -h key \"$2\" >&2\nexit 1\n");
  ScopedPath path(dir.path() + ":/usr/bin:/bin");
  std::vector<float> xy = {0, 0, 1, 1};
  EXPECT_EQ(messageOf<OutputError>([&] {
              plotScatter(png, "t", "x", "y", xy, {0, 1}, {"a", "b"});
            }),
            png + ": gnuplot failed (exit status 1): set key outside right "
                  "top box");
  EXPECT_EQ(messageOf<OutputError>(
                [&] { plotScatter(png, "t", "x", "y", xy, {}, {}); }),
            png + ": gnuplot failed (exit status 1): unset key");
}

TEST(PlotScatterTest, LabelsMustMatchThePoints) {
  TempDir dir;
  std::string png = dir.file("latent.png");
  EXPECT_NE(messageOf<DataError>([&] {
              plotScatter(png, "t", "x", "y", {0, 0, 1, 1}, {0}, {"a"});
            }).find("1 labels for 2 points"),
            std::string::npos);
  EXPECT_NE(messageOf<DataError>([&] {
              plotScatter(png, "t", "x", "y", {0, 0}, {3}, {"a", "b"});
            }).find("class 3 of 2 classes"),
            std::string::npos);
  EXPECT_FALSE(exists(png));
}
