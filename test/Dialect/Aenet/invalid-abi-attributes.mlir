// RUN: aenet-opt %s -split-input-file -verify-diagnostics

// Tests that an initializer is refused on an argument that is not a
// parameter: the runtime initializes parameters only.
// expected-error @+1 {{'aenet.init' on argument #0, which is not a parameter ('aenet.param')}}
func.func @init_not_param(%x: tensor<3xf32> {aenet.init = #aenet.init<zeros>}) {
  return
}

// -----

// Tests that aenet.init must be an #aenet.init, not a string.
// expected-error @+1 {{'aenet.init' must be an #aenet.init}}
func.func @init_string(%k: tensor<3xf32> {aenet.param = "k", aenet.init = "zeros"}) {
  return
}

// -----

// Tests that an unknown initializer kind is refused where it is written.
// expected-error @+1 {{unknown initializer 'he_normal'}}
func.func @init_kind(%k: tensor<3xf32> {aenet.param = "k", aenet.init = #aenet.init<he_normal>}) {
  return
}

// -----

// Tests that glorot_uniform needs both fans.
// expected-error @+1 {{glorot_uniform needs fan_in and fan_out of at least 1}}
func.func @init_glorot(%k: tensor<3xf32> {aenet.param = "k", aenet.init = #aenet.init<glorot_uniform, fan_in = 3>}) {
  return
}

// -----

// Tests that a field the kind does not take is refused.
// expected-error @+1 {{only constant takes a value}}
func.func @init_field(%k: tensor<3xf32> {aenet.param = "k", aenet.init = #aenet.init<zeros, value = 1.0>}) {
  return
}

// -----

// Tests that block_ones's block must be one of its blocks.
// expected-error @+1 {{block_ones needs 0 <= index < blocks}}
func.func @init_block(%k: tensor<8xf32> {aenet.param = "k", aenet.init = #aenet.init<block_ones, index = 4, blocks = 4>}) {
  return
}

// -----

// Tests that an unknown field name is refused.
// expected-error @+1 {{unknown initializer field 'gain'}}
func.func @init_unknown_field(%k: tensor<3xf32> {aenet.param = "k", aenet.init = #aenet.init<orthogonal, gain = 1>}) {
  return
}
