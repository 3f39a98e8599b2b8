//===- AenetRecurrentOps.td - Recurrent family -------------*- tablegen -*-===//
//
// SimpleRNN, LSTM and GRU over whole sequences, with the gradient ops their
// rules (RecurrentOps.cpp) emit: backpropagation through time of every
// operand in one op, since every step's gradient needs the steps after it.
// The family keeps its gradient ops beside it, as the convolutions do.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RECURRENT_OPS
#define AENET_RECURRENT_OPS

//===----------------------------------------------------------------------===//
// Conventions
//===----------------------------------------------------------------------===//
//
// Batch first, as Keras: `input` [N, T, C]; states [N, H]. Parameters in
// Keras's layouts, gate blocks side by side along the last axis: `kernel`
// [C, G*H], `recurrent_kernel` [H, G*H], `bias` [G*H] (GRU with reset_after:
// [2, 3H], the input bias over the recurrent one). Gates: LSTM i, f, c, o
// (G = 4); GRU z, r, h (G = 3); SimpleRNN one (G = 1). Every op returns the
// sequence of every step's h, [N, T, H], and the final states, so that
// return_sequences picks one or the other and a stateful layer carries the
// final states to its next batch. With z = x_t kernel + h_{t-1} recurrent +
// bias, `a` the activation and `ra` the recurrent activation:
//   rnn:  h_t = a(z)
//   lstm: i, f, o = ra(z_i), ra(z_f), ra(z_o); c_t = f c_{t-1} + i a(z_c);
//         h_t = o a(c_t)
//   gru:  z = ra(x W_z + h U_z + b_z), r = ra(x W_r + h U_r + b_r),
//         reset_after: hh = a(x W_h + b_in_h + r (h U_h + b_rec_h)),
//         otherwise:   hh = a(x W_h + (r h) U_h + b_h);
//         h_t = z h_{t-1} + (1 - z) hh
// The optional `lengths` [N] masks padded steps as Keras's masking does:
// sample n's steps t >= lengths[n] leave its states unchanged, and the
// sequence repeats its last real h there; the final states are those of
// its last real step. Gradients pass such steps through unchanged.

class Aenet_RecurrentOp<string mnemonic, bit hasCell, dag attributes,
                        string attributeFormat>
    : Aenet_DiffOp<mnemonic, [AttrSizedOperandSegments]> {
  let arguments = !con(
      (ins Aenet_FloatTensor:$input, Aenet_FloatTensor:$initial_h),
      !if(hasCell, (ins Aenet_FloatTensor:$initial_c), (ins)),
      (ins Aenet_FloatTensor:$kernel, Aenet_FloatTensor:$recurrent_kernel,
           Optional<Aenet_FloatTensor>:$bias,
           Optional<Aenet_FloatTensor>:$lengths),
      attributes);
  let results = !con(
      (outs Aenet_FloatTensor:$sequence, Aenet_FloatTensor:$final_h),
      !if(hasCell, (outs Aenet_FloatTensor:$final_c), (outs)));
  let assemblyFormat = attributeFormat # " $input `,` $initial_h " #
      !if(hasCell, "`,` $initial_c ", "") # [{
    `,` $kernel `,` $recurrent_kernel (`bias` $bias^)?
    (`lengths` $lengths^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Aenet_RnnOp : Aenet_RecurrentOp<"rnn", 0,
    (ins Aenet_ActivationKind:$activation), "$activation"> {
  let summary = "SimpleRNN over a whole sequence: h_t = a(x_t W + h_{t-1} U + b).";
  let description = [{
    See the family's conventions. `activation` is applied to every step's
    sum; Keras's default is tanh.

    ```mlir
    %seq, %h = aenet.rnn tanh %x, %h0, %k, %r bias %b
        : (tensor<128x10x70xf32>, tensor<128x64xf32>, tensor<70x64xf32>,
           tensor<64x64xf32>, tensor<64xf32>)
        -> (tensor<128x10x64xf32>, tensor<128x64xf32>)
    ```
  }];
  let builders = [
    OpBuilder<(ins "::mlir::aenet::ActivationKind":$activation,
                   "::mlir::Value":$input, "::mlir::Value":$initial_h,
                   "::mlir::Value":$kernel, "::mlir::Value":$recurrent_kernel,
                   "::mlir::Value":$bias, "::mlir::Value":$lengths), [{
      auto [sequence, state] = recurrentResultTypes(input, recurrent_kernel);
      build($_builder, $_state, sequence, state, input, initial_h, kernel,
            recurrent_kernel, bias, lengths, activation);
    }]>];
}

def Aenet_LstmOp : Aenet_RecurrentOp<"lstm", 1,
    (ins Aenet_ActivationKind:$activation,
         Aenet_ActivationKind:$recurrent_activation),
    "$activation `,` $recurrent_activation"> {
  let summary = "LSTM over a whole sequence, with its final h and c.";
  let description = [{
    See the family's conventions: gates i, f, c, o; `recurrent_activation`
    (Keras's default sigmoid; hard_sigmoid is Keras 2's clip(0.2 x + 0.5,
    0, 1)) on i, f and o, `activation` (default tanh) on the candidate and
    on c_t.

    ```mlir
    %seq, %h, %c = aenet.lstm tanh, sigmoid %x, %h0, %c0, %k, %r bias %b
        : (tensor<32x600x6xf32>, tensor<32x64xf32>, tensor<32x64xf32>,
           tensor<6x256xf32>, tensor<64x256xf32>, tensor<256xf32>)
        -> (tensor<32x600x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>)
    ```
  }];
  let builders = [
    OpBuilder<(ins "::mlir::aenet::ActivationKind":$activation,
                   "::mlir::aenet::ActivationKind":$recurrent_activation,
                   "::mlir::Value":$input, "::mlir::Value":$initial_h,
                   "::mlir::Value":$initial_c, "::mlir::Value":$kernel,
                   "::mlir::Value":$recurrent_kernel, "::mlir::Value":$bias,
                   "::mlir::Value":$lengths), [{
      auto [sequence, state] = recurrentResultTypes(input, recurrent_kernel);
      build($_builder, $_state, sequence, state, state, input, initial_h,
            initial_c, kernel, recurrent_kernel, bias, lengths, activation,
            recurrent_activation);
    }]>];
}

def Aenet_GruOp : Aenet_RecurrentOp<"gru", 0,
    (ins Aenet_ActivationKind:$activation,
         Aenet_ActivationKind:$recurrent_activation,
         UnitAttr:$reset_after),
    "$activation `,` $recurrent_activation (`reset_after` $reset_after^)?"> {
  let summary = "GRU over a whole sequence, as Keras's (reset_after or not).";
  let description = [{
    See the family's conventions: gates z, r, h. With `reset_after` (Keras's
    default since 2.3) the reset gate multiplies the recurrent projection
    after its bias, and `bias` is [2, 3H] (input bias, recurrent bias);
    without it the reset gate multiplies the state before the projection,
    and `bias` is [3H].

    ```mlir
    %seq, %h = aenet.gru tanh, sigmoid reset_after %x, %h0, %k, %r bias %b
        : (tensor<128x40x70xf32>, tensor<128x128xf32>, tensor<70x384xf32>,
           tensor<128x384xf32>, tensor<2x384xf32>)
        -> (tensor<128x40x128xf32>, tensor<128x128xf32>)
    ```
  }];
  let builders = [
    OpBuilder<(ins "::mlir::aenet::ActivationKind":$activation,
                   "::mlir::aenet::ActivationKind":$recurrent_activation,
                   "bool":$reset_after, "::mlir::Value":$input,
                   "::mlir::Value":$initial_h, "::mlir::Value":$kernel,
                   "::mlir::Value":$recurrent_kernel, "::mlir::Value":$bias,
                   "::mlir::Value":$lengths), [{
      auto [sequence, state] = recurrentResultTypes(input, recurrent_kernel);
      build($_builder, $_state, sequence, state, input, initial_h, kernel,
            recurrent_kernel, bias, lengths, activation, recurrent_activation,
            reset_after);
    }]>];
}

//===----------------------------------------------------------------------===//
// Gradients (backpropagation through time)
//===----------------------------------------------------------------------===//
//
// Each takes its forward op's operands, its results and the gradients of its
// results (zeros where none reached them: the sequence of a many-to-one
// layer), and returns the gradients of input, initial states, kernel,
// recurrent kernel and bias, in the operands' shapes. `bias_grad` is there
// even for a layer without bias (of the shape its bias would have), so that
// every variant has one result list. The lowerings recompute or keep what
// the backward steps need: the loops backend recomputes the gates, the oneDNN
// backend keeps the forward's workspace at the forward's call site.

class Aenet_RecurrentGradOp<string mnemonic, bit hasCell, dag attributes,
                            string attributeFormat>
    : Aenet_Op<mnemonic, [Pure, AttrSizedOperandSegments]> {
  let arguments = !con(
      (ins Aenet_FloatTensor:$input, Aenet_FloatTensor:$initial_h),
      !if(hasCell, (ins Aenet_FloatTensor:$initial_c), (ins)),
      (ins Aenet_FloatTensor:$kernel, Aenet_FloatTensor:$recurrent_kernel,
           Aenet_FloatTensor:$sequence, Aenet_FloatTensor:$final_h),
      !if(hasCell, (ins Aenet_FloatTensor:$final_c), (ins)),
      (ins Aenet_FloatTensor:$sequence_grad, Aenet_FloatTensor:$final_h_grad),
      !if(hasCell, (ins Aenet_FloatTensor:$final_c_grad), (ins)),
      (ins Optional<Aenet_FloatTensor>:$bias,
           Optional<Aenet_FloatTensor>:$lengths),
      attributes);
  let results = !con(
      (outs Aenet_FloatTensor:$input_grad, Aenet_FloatTensor:$initial_h_grad),
      !if(hasCell, (outs Aenet_FloatTensor:$initial_c_grad), (outs)),
      (outs Aenet_FloatTensor:$kernel_grad,
            Aenet_FloatTensor:$recurrent_kernel_grad,
            Aenet_FloatTensor:$bias_grad));
  let assemblyFormat = attributeFormat # " $input `,` $initial_h " #
      !if(hasCell, "`,` $initial_c ", "") #
      " `,` $kernel `,` $recurrent_kernel `,` $sequence `,` $final_h " #
      !if(hasCell, "`,` $final_c ", "") #
      " `,` $sequence_grad `,` $final_h_grad " #
      !if(hasCell, "`,` $final_c_grad ", "") # [{
    (`bias` $bias^)? (`lengths` $lengths^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Aenet_RnnGradOp : Aenet_RecurrentGradOp<"rnn_grad", 0,
    (ins Aenet_ActivationKind:$activation), "$activation"> {
  let summary = "Backpropagation through time of aenet.rnn.";
  let description = [{
    Operands: the rnn's input, initial_h, kernel, recurrent_kernel, its
    sequence and final_h, their gradients, then its bias and lengths if it
    has them.

    ```mlir
    %dx, %dh0, %dk, %dr, %db = aenet.rnn_grad tanh %x, %h0, %k, %r, %seq, %h,
        %dseq, %dh bias %b : (...) -> (...)
    ```
  }];
}

def Aenet_LstmGradOp : Aenet_RecurrentGradOp<"lstm_grad", 1,
    (ins Aenet_ActivationKind:$activation,
         Aenet_ActivationKind:$recurrent_activation),
    "$activation `,` $recurrent_activation"> {
  let summary = "Backpropagation through time of aenet.lstm.";
  let description = [{
    Operands: the lstm's input, initial_h, initial_c, kernel,
    recurrent_kernel, its sequence, final_h and final_c, their gradients,
    then its bias and lengths if it has them.

    ```mlir
    %dx, %dh0, %dc0, %dk, %dr, %db = aenet.lstm_grad tanh, sigmoid %x, %h0,
        %c0, %k, %r, %seq, %h, %c, %dseq, %dh, %dc bias %b lengths %len
        : (...) -> (...)
    ```
  }];
}

def Aenet_GruGradOp : Aenet_RecurrentGradOp<"gru_grad", 0,
    (ins Aenet_ActivationKind:$activation,
         Aenet_ActivationKind:$recurrent_activation,
         UnitAttr:$reset_after),
    "$activation `,` $recurrent_activation (`reset_after` $reset_after^)?"> {
  let summary = "Backpropagation through time of aenet.gru.";
  let description = [{
    Operands: the gru's input, initial_h, kernel, recurrent_kernel, its
    sequence and final_h, their gradients, then its bias and lengths if it
    has them.

    ```mlir
    %dx, %dh0, %dk, %dr, %db = aenet.gru_grad tanh, sigmoid reset_after %x,
        %h0, %k, %r, %seq, %h, %dseq, %dh bias %b : (...) -> (...)
    ```
  }];
}

#endif // AENET_RECURRENT_OPS
