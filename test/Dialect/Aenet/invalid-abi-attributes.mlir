// RUN: aenet-opt %s -split-input-file -verify-diagnostics

// Tests that an initializer is refused on an argument that is not a
// parameter: the runtime initializes parameters only.
// expected-error @+1 {{'aenet.init' on argument #0, which has no 'aenet.param'}}
func.func @init_not_param(%x: tensor<3xf32> {aenet.init = #aenet.init<zeros>}) {
  return
}

// -----

// Tests that aenet.init must be an #aenet.init, not a string.
// expected-error @+1 {{'aenet.init' (argument #1) must be an #aenet.init}}
func.func @init_string(%x: tensor<3xf32>, %k: tensor<3xf32> {aenet.param = "k", aenet.init = "zeros"}) {
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

// -----

// Tests that an aenet.* name the dialect does not declare is refused, so a
// misspelt ABI attribute cannot be ignored.
// expected-error @+1 {{unknown attribute 'aenet.parm' (argument #0)}}
func.func @unknown_arg(%k: tensor<3xf32> {aenet.parm = "k"}) {
  return
}

// -----

// Tests that an unknown aenet.* function attribute is refused.
// expected-error @+1 {{unknown attribute 'aenet.outputs'}}
func.func @unknown_function() attributes {aenet.outputs = ["x"]} {
  return
}

// -----

// Tests that a parameter name must be a string.
// expected-error @+1 {{'aenet.param' (argument #0) must be a string}}
func.func @param_type(%k: tensor<3xf32> {aenet.param = 3 : i64}) {
  return
}

// -----

// Tests that an input name must be a string.
// expected-error @+1 {{'aenet.input' (argument #0) must be a string}}
func.func @input_type(%x: tensor<3xf32> {aenet.input}) {
  return
}

// -----

// Tests that the seed marker is a unit attribute.
// expected-error @+1 {{'aenet.seed' (argument #0) must be a unit attribute}}
func.func @seed_type(%s: tensor<i64> {aenet.seed = 1 : i64}) {
  return
}

// -----

// Tests that the step marker is a unit attribute.
// expected-error @+1 {{'aenet.step' (argument #0) must be a unit attribute}}
func.func @step_type(%t: tensor<f32> {aenet.step = "t"}) {
  return
}

// -----

// Tests that the learning-rate argument is marked with the rate, a positive
// float.
// expected-error @+1 {{'aenet.learning_rate' (argument #0) must be a positive float}}
func.func @learning_rate_type(%lr: tensor<f32> {aenet.learning_rate}) {
  return
}

// -----

// expected-error @+1 {{'aenet.learning_rate' (argument #0) must be a positive float}}
func.func @learning_rate_zero(%lr: tensor<f32> {aenet.learning_rate = 0.0 : f64}) {
  return
}

// -----

// Tests that the learning rate is one number.
// expected-error @+1 {{'aenet.learning_rate' on argument #0, which is not a float scalar but 'tensor<2xf32>'}}
func.func @learning_rate_shape(%lr: tensor<2xf32> {aenet.learning_rate = 1.0e-3 : f64}) {
  return
}

// -----

// Tests that a hyperparameter argument is marked with its name and a finite
// value, nothing else.
// expected-error @+1 {{'aenet.hyperparameter' (argument #0) must be {name = "...", value = <finite float>}}}
func.func @hyperparameter_unnamed(%s: tensor<f32> {aenet.hyperparameter = {value = 0.5 : f64}}) {
  return
}

// -----

// expected-error @+1 {{'aenet.hyperparameter' (argument #0) must be {name = "...", value = <finite float>}}}
func.func @hyperparameter_infinite(%s: tensor<f32> {aenet.hyperparameter = {name = "noise.stddev", value = 0x7FF0000000000000 : f64}}) {
  return
}

// -----

// expected-error @+1 {{'aenet.hyperparameter' (argument #0) must be {name = "...", value = <finite float>}}}
func.func @hyperparameter_extra(%s: tensor<f32> {aenet.hyperparameter = {name = "noise.stddev", value = 0.5 : f64, min = 0.0 : f64}}) {
  return
}

// -----

// Tests that a hyperparameter is one float.
// expected-error @+1 {{'aenet.hyperparameter' on argument #0, which is not a float scalar but 'tensor<3xf32>'}}
func.func @hyperparameter_shape(%s: tensor<3xf32> {aenet.hyperparameter = {name = "noise.stddev", value = 0.5 : f64}}) {
  return
}

// -----

// expected-error @+1 {{'aenet.hyperparameter' on argument #0, which is not a float scalar but 'memref<i64>'}}
func.func @hyperparameter_integer(%s: memref<i64> {aenet.hyperparameter = {name = "noise.stddev", value = 0.5 : f64}}) {
  return
}

// -----

// Tests that a frozen argument must be a parameter.
// expected-error @+1 {{'aenet.frozen' on argument #0, which has no 'aenet.param'}}
func.func @frozen_alone(%x: tensor<3xf32> {aenet.input = "x", aenet.frozen}) {
  return
}

// -----

// Tests that a state's name must be a string.
// expected-error @+1 {{'aenet.state' (argument #0) must be a string}}
func.func @state_type(%m: tensor<3xf32> {aenet.state}) {
  return
}

// -----

// Tests that a stateful layer's carried state is named by a string.
// expected-error @+1 {{'aenet.layer_state' (argument #0) must be a string}}
func.func @layer_state_type(%h: tensor<1x4xf32> {aenet.layer_state = 1 : i64}) {
  return
}

// -----

// Tests that a state's initial value must be a float on a state.
// expected-error @+1 {{'aenet.state_init' (argument #0) must be a float}}
func.func @state_init_type(%m: tensor<3xf32> {aenet.state = "k/m", aenet.state_init = 1 : i64}) {
  return
}

// -----

// Tests that an initial value needs a state to start.
// expected-error @+1 {{'aenet.state_init' on argument #0, which has no 'aenet.state'}}
func.func @state_init_alone(%m: tensor<3xf32> {aenet.state_init = 0.0 : f64}) {
  return
}

// -----

// Tests that the scalars buffer names its scalars with strings.
// expected-error @+1 {{'aenet.scalars' (argument #0) must be an array of strings}}
func.func @scalars_type(%s: memref<2xf32> {aenet.scalars = ["loss", 1 : i64]}) {
  return
}

// -----

// Tests that a scalar's finish names a way the runtime knows.
// expected-error @+1 {{'aenet.finish' (result #0) must be "mean", "sqrt_mean" or "total"}}
func.func @finish_value(%x: tensor<f32>) -> (tensor<f32> {aenet.finish = "root"}) {
  return %x : tensor<f32>
}

// -----

// Tests that the finishes of scalars go beside their names.
// expected-error @+1 {{'aenet.scalar_finishes' on argument #0, which has no 'aenet.scalars'}}
func.func @finishes_alone(%s: memref<2xf32> {aenet.scalar_finishes = ["mean", "sqrt_mean"]}) {
  return
}

// -----

// Tests that there is one finish per scalar.
// expected-error @+1 {{'aenet.scalar_finishes' on argument #0 holds 1 finishes for 2 scalars}}
func.func @finishes_count(%s: memref<2xf32> {aenet.scalar_finishes = ["sqrt_mean"], aenet.scalars = ["loss", "y_rmse"]}) {
  return
}

// -----

// Tests that an output buffer's name must be a string.
// expected-error @+1 {{'aenet.output' (argument #0) must be a string}}
func.func @output_type(%o: memref<2xf32> {aenet.output}) {
  return
}

// -----

// Tests that a result name belongs on results, not arguments.
// expected-error @+1 {{'aenet.name' does not belong on a function argument (argument #0)}}
func.func @name_on_arg(%x: tensor<3xf32> {aenet.name = "x"}) {
  return
}

// -----

// Tests that a result's reported name must be a string.
// expected-error @+1 {{'aenet.name' (result #0) must be a string}}
func.func @name_type(%x: tensor<f32>) -> (tensor<f32> {aenet.name}) {
  return %x : tensor<f32>
}

// -----

// Tests that a gradient result names its parameter with a string.
// expected-error @+1 {{'aenet.gradient' (result #0) must be a string}}
func.func @gradient_type(%x: tensor<3xf32>) -> (tensor<3xf32> {aenet.gradient = 1 : i64}) {
  return %x : tensor<3xf32>
}

// -----

// Tests that an input marker belongs on arguments, not results.
// expected-error @+1 {{'aenet.input' does not belong on a function result (result #0)}}
func.func @input_on_result(%x: tensor<3xf32>) -> (tensor<3xf32> {aenet.input = "x"}) {
  return %x : tensor<3xf32>
}

// -----

// Tests that the differentiate marker is a unit attribute.
// expected-error @+1 {{'aenet.differentiate' must be a unit attribute}}
func.func @differentiate_type() attributes {aenet.differentiate = true} {
  return
}

// -----

// Tests that the optimizer must be an #aenet.optimizer, not the dictionary
// it used to be.
// expected-error @+1 {{'aenet.optimizer' must be an #aenet.optimizer}}
func.func @optimizer_type() attributes {aenet.optimizer = {kind = "sgd"}} {
  return
}

// -----

// Tests that a function attribute does not belong on the module.
// expected-error @+1 {{'aenet.differentiate' does not belong on a module}}
module attributes {aenet.differentiate} {
}

// -----

// Tests that the batch belongs on the module, as an i64.
// expected-error @+1 {{'aenet.batch' must be a non-negative i64}}
module attributes {aenet.batch = "32"} {
}

// -----

// Tests that the batch does not belong on a function.
// expected-error @+1 {{'aenet.batch' does not belong on a function}}
func.func @batch_on_function() attributes {aenet.batch = 32 : i64} {
  return
}

// -----

// Tests that the kernel call site count is a positive i64.
// expected-error @+1 {{'aenet.kernel_sites' must be a positive i64}}
func.func @kernel_sites_type() attributes {aenet.kernel_sites = 0 : i64} {
  return
}

// -----

// Tests that the tile class of the vectorizing passes must be an integer.
func.func @tile_class_type(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'aenet.tile_class' must be an integer}}
  %y = aenet.activation relu %x {aenet.tile_class = "a"} : tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Tests that the kernel site table marker on an argument is a unit
// attribute.
// expected-error @+1 {{'aenet.kernel_sites' (argument #0) must be a unit attribute}}
func.func @kernel_sites_arg(%p: memref<1xf32> {aenet.kernel_sites = 1 : i64}) {
  return
}

// -----

// Tests that an unknown optimizer is refused where it is written.
// expected-error @+1 {{unknown optimizer 'adamw'}}
func.func @optimizer_kind() attributes {aenet.optimizer = #aenet.optimizer<adamw, lr = 0.1>} {
  return
}

// -----

// Tests that every hyperparameter of the kind must be given: the compiler
// has no defaults of its own.
// expected-error @+1 {{adam needs 'beta2'}}
func.func @optimizer_missing() attributes {aenet.optimizer = #aenet.optimizer<adam, lr = 0.1, beta1 = 0.9, epsilon = 1.0e-7>} {
  return
}

// -----

// Tests that a hyperparameter of another kind is refused.
// expected-error @+1 {{sgd has no field 'beta1'}}
func.func @optimizer_foreign() attributes {aenet.optimizer = #aenet.optimizer<sgd, lr = 0.1, momentum = 0.0, nesterov = false, beta1 = 0.9>} {
  return
}

// -----

// Tests that a learning rate must be positive.
// expected-error @+1 {{'lr' must be positive}}
func.func @optimizer_lr() attributes {aenet.optimizer = #aenet.optimizer<adagrad, lr = 0.0, initial_accumulator = 0.1, epsilon = 1.0e-7>} {
  return
}
