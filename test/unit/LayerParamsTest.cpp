//===- LayerParamsTest.cpp - Parameters' shapes and initializers ----------===//
//
// Each layer kind's parameters carry Keras's default initializer: kernels
// glorot_uniform with the fans Keras computes from their layout (worked out
// here by hand, channels-first), recurrent kernels orthogonal, biases zeros
// except an LSTM's, whose forget gate starts at one. The recurrent layers do
// not lower to the dialect yet, so this is where their initializers are
// checked.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Layers.h"

#include <gtest/gtest.h>

using namespace aenet;
using rt::InitializerKind;

namespace {

LayerSpec spec(LayerKind kind, int64_t units) {
  LayerSpec s;
  s.kind = kind;
  s.units = units;
  return s;
}

void expectGlorot(const ParamInfo &p, int64_t fanIn, int64_t fanOut) {
  EXPECT_EQ(p.init.kind, InitializerKind::GlorotUniform) << p.name;
  EXPECT_EQ(p.init.fanIn, fanIn) << p.name;
  EXPECT_EQ(p.init.fanOut, fanOut) << p.name;
}

TEST(LayerParams, DenseKernelGlorotBiasZeros) {
  std::vector<ParamInfo> p = layerParams(spec(LayerKind::Dense, 64),
                                         {Shape{784}});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "kernel");
  EXPECT_EQ(p[0].shape, (std::vector<int64_t>{784, 64}));
  expectGlorot(p[0], 784, 64);
  EXPECT_EQ(p[1].name, "bias");
  EXPECT_EQ(p[1].init.kind, InitializerKind::Zeros);
}

TEST(LayerParams, ConvolutionFansCountTheReceptiveField) {
  LayerSpec conv = spec(LayerKind::Conv2D, 16);
  conv.kernel = {3, 5};
  conv.padding = Padding::Same;
  std::vector<ParamInfo> p = layerParams(conv, {Shape{8, 28, 28}});
  ASSERT_EQ(p.size(), 2u);
  // Kernel [16, 8, 3, 5]: fan_in 8*15, fan_out 16*15.
  expectGlorot(p[0], 120, 240);
  EXPECT_EQ(p[1].init.kind, InitializerKind::Zeros);

  // conv2d_transpose from 8 to 16 channels: kernel [8, 16, 3, 5], the fans
  // Keras computes from (kh, kw, 16, 8): fan_in 16*15, fan_out 8*15.
  LayerSpec transpose = conv;
  transpose.kind = LayerKind::Conv2DTranspose;
  p = layerParams(transpose, {Shape{8, 28, 28}});
  EXPECT_EQ(p[0].shape, (std::vector<int64_t>{8, 16, 3, 5}));
  expectGlorot(p[0], 240, 120);
}

TEST(LayerParams, LstmRecurrentOrthogonalAndForgetBias) {
  std::vector<ParamInfo> p = layerParams(spec(LayerKind::LSTM, 128),
                                         {Shape{40, 70}});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].name, "kernel");
  expectGlorot(p[0], 70, 512);
  EXPECT_EQ(p[1].name, "recurrent_kernel");
  EXPECT_EQ(p[1].shape, (std::vector<int64_t>{128, 512}));
  EXPECT_EQ(p[1].init.kind, InitializerKind::Orthogonal);
  EXPECT_EQ(p[2].name, "bias");
  EXPECT_EQ(p[2].shape, (std::vector<int64_t>{512}));
  EXPECT_EQ(p[2].init.kind, InitializerKind::BlockOnes);
  EXPECT_EQ(p[2].init.index, 1);
  EXPECT_EQ(p[2].init.blocks, 4);
}

TEST(LayerParams, GruAndSimpleRnnBiasesAreZeros) {
  std::vector<ParamInfo> gru = layerParams(spec(LayerKind::GRU, 32),
                                           {Shape{10, 70}});
  ASSERT_EQ(gru.size(), 3u);
  expectGlorot(gru[0], 70, 96);
  EXPECT_EQ(gru[1].init.kind, InitializerKind::Orthogonal);
  // reset_after (Keras's default) keeps two biases, [2, 3 units].
  EXPECT_EQ(gru[2].shape, (std::vector<int64_t>{2, 96}));
  EXPECT_EQ(gru[2].init.kind, InitializerKind::Zeros);

  std::vector<ParamInfo> rnn = layerParams(spec(LayerKind::RNN, 64),
                                           {Shape{10, 70}});
  ASSERT_EQ(rnn.size(), 3u);
  expectGlorot(rnn[0], 70, 64);
  EXPECT_EQ(rnn[1].init.kind, InitializerKind::Orthogonal);
  EXPECT_EQ(rnn[2].init.kind, InitializerKind::Zeros);
}

TEST(LayerParams, NoBiasWithoutUseBias) {
  LayerSpec lstm = spec(LayerKind::LSTM, 8);
  lstm.useBias = false;
  std::vector<ParamInfo> p = layerParams(lstm, {Shape{5, 3}});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[1].name, "recurrent_kernel");
}

} // namespace
