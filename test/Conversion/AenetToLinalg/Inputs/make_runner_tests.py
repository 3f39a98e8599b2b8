#!/usr/bin/env python3
"""Writes the runner-*.mlir tests of aenet-lower-to-linalg.

Each test lowers small aenet functions with aec's own pipeline
(`aenet-opt --aenet-to-llvm='backend=loops test-harness=true'`: the tests'
@main calls the functions on tensors, hence the option), JITs them with
mlir-runner and checks the printed numbers against
values computed here, independently of the lowering: plain Python in double
precision from the Keras formulas, and every gradient checked against
central finite differences of the Python forward function before it is
written. Run from anywhere: `python3 make_runner_tests.py`; it rewrites the
tests next to this directory.
"""

import math
import re
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
EPS = 1e-7  # Keras's epsilon (bce/cce clip)
# aec's registered pipeline, with the option for modules whose @main calls
# the tested functions on tensors (no aenet-bind-buffers; bufferization
# across function boundaries).
PIPELINE = "--aenet-to-llvm='backend=loops test-harness=true'"

# --------------------------------------------------------------------------
# Formatting: MLIR literals and what printMemrefF32/F64 print
# --------------------------------------------------------------------------


def shape_of(a):
    s = []
    while isinstance(a, list):
        s.append(len(a))
        a = a[0]
    return s


def flat(a):
    return [y for x in a for y in flat(x)] if isinstance(a, list) else [a]


def reshape(values, shape):
    if not shape:
        return values[0]
    n = len(values) // shape[0]
    return [reshape(values[i * n:(i + 1) * n], shape[1:]) for i in range(shape[0])]


def ttype(a, et="f64"):
    return "tensor<%s%s>" % ("".join("%dx" % d for d in shape_of(a)), et)


def literal(a):
    if isinstance(a, list):
        return "[" + ", ".join(literal(x) for x in a) + "]"
    return repr(float(a))


def cfmt(v):
    """C++ `std::cout << double` (precision 6, %g style)."""
    if v == 0:
        return "-0" if math.copysign(1, v) < 0 else "0"
    return "%g" % v


def printed(a):
    """The data lines printMemrefF32/F64 print for |a|: a port of
    MemRefDataPrinter in mlir/ExecutionEngine/RunnerUtils.h."""
    shape = shape_of(a)
    rank = len(shape)
    if rank == 0:
        return ["[" + cfmt(a) + "]"]
    out = []

    def rec(x, dim):
        if dim == 0:
            out.append(cfmt(x))
            return
        out.append("[")
        rec(x[0], dim - 1)
        if len(x) <= 1:
            out.append("]")
            return
        out.append(", " + ("\n" if dim > 1 else ""))
        for i in range(1, len(x)):
            out.append(" " * (rank - dim + 1))
            rec(x[i], dim - 1)
            if i + 1 < len(x):
                out.append(", " + ("\n" if dim > 1 else ""))
        out.append("]")

    rec(a, rank)
    return "".join(out).split("\n")


def check_lines(a):
    lines = printed(a)
    out = []
    for i, line in enumerate(lines):
        # The sign of a zero gradient (-t / p with t = 0 vs. a select) is
        # not part of the contract.
        line = re.sub(r"(?<![\d.e-])-?0(?![\d.e])", "{{-?}}0", line.rstrip())
        # FileCheck reads "[[" as a variable: escape a leading bracket run.
        if line.startswith("[["):
            n = len(line) - len(line.lstrip("["))
            line = "{{" + "\\[" * n + "}}" + line[n:]
        elif line.lstrip().startswith("[["):
            stripped = line.lstrip()
            n = len(stripped) - len(stripped.lstrip("["))
            line = "{{" + "\\[" * n + "}}" + stripped[n:]
        else:
            line = line.strip()
        out.append(("// CHECK: " if i == 0 else "// CHECK-NEXT: ") + line)
    return out


# --------------------------------------------------------------------------
# Finite differences
# --------------------------------------------------------------------------


def fd_grad(f, x, h=1e-6):
    """Gradient of the scalar function f at the flat list x."""
    g = []
    for i in range(len(x)):
        xp, xm = list(x), list(x)
        xp[i] += h
        xm[i] -= h
        g.append((f(xp) - f(xm)) / (2 * h))
    return g


def assert_close(analytic, numeric, what, tol=1e-5):
    for a, n in zip(analytic, numeric):
        if abs(a - n) > tol * max(1.0, abs(a)):
            raise AssertionError("%s: analytic %r vs finite difference %r" % (what, a, n))


# --------------------------------------------------------------------------
# A test file: functions computing tensors, each printed and checked
# --------------------------------------------------------------------------


class Test:
    def __init__(self, name, summary, passes=""):
        self.name, self.summary, self.passes = name, summary, passes
        self.consts, self.body, self.checks, self.functions = [], [], [], []
        self.notes = []
        self.n = 0
        self.et_used = set()

    def const(self, a, et="f64"):
        self.n += 1
        v = "%%c%d" % self.n
        self.consts.append("  %s = arith.constant dense<%s> : %s" % (v, literal(a), ttype(a, et)))
        return v

    def const_i64(self, value):
        self.n += 1
        v = "%%c%d" % self.n
        self.consts.append("  %s = arith.constant dense<%d> : tensor<i64>" % (v, value))
        return v

    def op(self, text):
        """Appends |text|, each {r} replaced by a fresh result name; returns
        the names."""
        self.n += 1
        names = ["%%r%d_%d" % (self.n, i) for i in range(text.count("{r}"))]
        for name in names:
            text = text.replace("{r}", name, 1)
        self.body.append("  " + text)
        return names

    def show(self, label, value, typ, expected, et="f64"):
        self.et_used.add(et)
        fn = "printMemrefF64" if et == "f64" else "printMemrefF32"
        self.n += 1
        u = "%%u%d" % self.n
        self.body.append("  %s = tensor.cast %s : %s to tensor<*x%s>" % (u, value, typ, et))
        self.body.append("  call @%s(%s) : (tensor<*x%s>) -> ()" % (fn, u, et))
        self.checks.append("// " + label)
        self.checks += check_lines(expected)

    def write(self):
        lines = [
            "// RUN: aenet-opt %%s %s%s | %%run_main | FileCheck %%s"
            % (self.passes + " " if self.passes else "", PIPELINE),
            "",
            "// " + self.summary,
            "// Generated by Inputs/make_runner_tests.py, which computes the expected",
            "// values in plain Python (double precision) from the Keras formulas and",
            "// checks every gradient against central finite differences. Do not edit;",
            "// rerun the script.",
        ] + self.notes + [""]
        for et in sorted(self.et_used):
            fn = "printMemrefF64" if et == "f64" else "printMemrefF32"
            lines.append("func.func private @%s(tensor<*x%s> {bufferization.access = \"read\"})" % (fn, et))
        lines += [""] + self.functions
        lines += ["func.func @main() {"] + self.consts + self.body + ["  return", "}", ""]
        lines += self.checks
        with open(os.path.join(OUT, self.name), "w") as f:
            f.write("\n".join(lines) + "\n")


# --------------------------------------------------------------------------
# Losses, metrics, regularizers (runner-losses.mlir)
# --------------------------------------------------------------------------


def clip(p):
    return min(max(p, EPS), 1 - EPS)


def loss_term(kind, p, t):
    if kind == "mse":
        return (p - t) ** 2
    if kind == "mae":
        return abs(p - t)
    if kind == "bce":
        pc = clip(p)
        return -(t * math.log(pc) + (1 - t) * math.log(1 - pc))
    pc = clip(p)
    return -t * math.log(pc)


def loss_term_grad(kind, p, t):
    inside = EPS <= p <= 1 - EPS
    if kind == "mse":
        return 2 * (p - t)
    if kind == "mae":
        return (p > t) - (p < t)
    if kind == "bce":
        return (-t / p + (1 - t) / (1 - p)) if inside else 0.0
    return -t / p if inside else 0.0


def loss_value(kind, reduction, P, T, shape):
    """Keras: per-position loss over the last axis, then the mean (or the
    per-sample sum) over the batch."""
    c = shape[-1]
    rows = len(P) // c
    per_row = []
    for r in range(rows):
        terms = [loss_term(kind, P[r * c + j], T[r * c + j]) for j in range(c)]
        per_row.append(sum(terms) if kind == "cce" else sum(terms) / c)
    if reduction == "sum":
        # Per-sample sums over all features, averaged over the batch.
        scale = 1.0 if kind == "cce" else float(c)
        return sum(per_row) * scale / shape[0]
    return sum(per_row) / rows


def losses_test():
    test = Test("runner-losses.mlir",
                "Tests the numbers losses, their gradients, metrics and regularizers compute (f64).")
    P = [[0.2, 0.7, 0.1], [0.9, 1.0, 0.0]]
    T = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    p, t = test.const(P), test.const(T)
    dl = 0.5
    dlv = test.const(dl)
    typ = ttype(P)
    fp, ft = flat(P), flat(T)
    for kind, red in [("mse", "mean"), ("mae", "sum"), ("bce", "mean"), ("cce", "mean"), ("mse", "sum")]:
        value = loss_value(kind, red, fp, ft, shape_of(P))
        (l,) = test.op("{r} = aenet.loss %s %s %s, %s : %s, %s -> tensor<f64>" % (kind, red, p, t, typ, typ))
        test.show("%s %s loss" % (kind, red), l, "tensor<f64>", value)
        # The gradient: analytic, checked against finite differences away
        # from the clip bounds and from mae's kink.
        n = len(fp)
        c = shape_of(P)[-1]
        if red == "sum":
            factor = 1.0 / shape_of(P)[0]
        elif kind == "cce":
            factor = 1.0 / (n // c)
        else:
            factor = 1.0 / n
        grad = [dl * factor * loss_term_grad(kind, a, b) for a, b in zip(fp, ft)]
        numeric = fd_grad(lambda x: dl * loss_value(kind, red, x, ft, shape_of(P)), fp)
        for i, (a, b) in enumerate(zip(fp, ft)):
            if EPS < a < 1 - EPS and a != b:
                assert_close([grad[i]], [numeric[i]], "%s %s grad" % (kind, red))
        (g,) = test.op("{r} = aenet.loss_grad %s %s %s, %s, %s : %s, %s, tensor<f64>" % (kind, red, p, t, dlv, typ, typ))
        test.show("%s %s loss_grad (dL = %g)" % (kind, red, dl), g, typ, reshape(grad, shape_of(P)))

    # accuracy: arg-max rows [1, 1] vs [1, 0]; pixel_accuracy: 5 of 6.
    def argmax(row):
        return max(range(len(row)), key=lambda j: (row[j], -j))
    acc = sum(argmax(a) == argmax(b) for a, b in zip(P, T)) / len(P)
    (a,) = test.op("{r} = aenet.metric accuracy %s, %s : %s, %s -> tensor<f64>" % (p, t, typ, typ))
    test.show("accuracy", a, "tensor<f64>", acc)
    pix = sum((x >= 0.5) == (y >= 0.5) for x, y in zip(fp, ft)) / len(fp)
    (a,) = test.op("{r} = aenet.metric pixel_accuracy %s, %s : %s, %s -> tensor<f64>" % (p, t, typ, typ))
    test.show("pixel_accuracy", a, "tensor<f64>", pix)
    (a,) = test.op("{r} = aenet.metric bce %s, %s : %s, %s -> tensor<f64>" % (p, t, typ, typ))
    test.show("bce metric", a, "tensor<f64>", loss_value("bce", "mean", fp, ft, shape_of(P)))

    # A rank-3 cce: averaged over the middle axis too.
    P3 = [[[0.7, 0.2, 0.1], [0.3, 0.3, 0.4]], [[0.05, 0.9, 0.05], [0.5, 0.25, 0.25]]]
    T3 = [[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]]
    p3, t3 = test.const(P3), test.const(T3)
    typ3 = ttype(P3)
    (l,) = test.op("{r} = aenet.loss cce mean %s, %s : %s, %s -> tensor<f64>" % (p3, t3, typ3, typ3))
    test.show("rank-3 cce loss", l, "tensor<f64>", loss_value("cce", "mean", flat(P3), flat(T3), shape_of(P3)))
    # errors: the steps whose arg-maxes differ (sample 1's second), per
    # sample: 1 of 4 steps over 2 samples, where accuracy is 3 of 4.
    steps3 = [(a, b) for pa, ta in zip(P3, T3) for a, b in zip(pa, ta)]
    wrong = sum(argmax(a) != argmax(b) for a, b in steps3)
    (e,) = test.op("{r} = aenet.metric errors %s, %s : %s, %s -> tensor<f64>" % (p3, t3, typ3, typ3))
    test.show("rank-3 errors", e, "tensor<f64>", wrong / len(P3))

    # Regularizers: l1 = f sum|x| / batch, l2 = f sum w^2.
    X = [[0.5, -1.5, 0.0], [2.0, -0.25, 1.0]]
    x = test.const(X)
    fx = flat(X)
    f1, f2 = 0.01, 0.001
    l1 = lambda v: f1 * sum(abs(e) for e in v) / len(X)
    l2 = lambda v: f2 * sum(e * e for e in v)
    (r,) = test.op("{r} = aenet.l1_activity %s {factor = 0.01 : f64} : %s -> tensor<f64>" % (x, ttype(X)))
    test.show("l1_activity", r, "tensor<f64>", l1(fx))
    g1 = [dl * f1 / len(X) * ((e > 0) - (e < 0)) for e in fx]
    assert_close([g for g, e in zip(g1, fx) if e != 0],
                 [g for g, e in zip(fd_grad(lambda v: dl * l1(v), fx), fx) if e != 0], "l1 grad")
    (r,) = test.op("{r} = aenet.l1_activity_grad %s, %s {factor = 0.01 : f64} : %s, tensor<f64>" % (x, dlv, ttype(X)))
    test.show("l1_activity_grad (dL = %g)" % dl, r, ttype(X), reshape(g1, shape_of(X)))
    (r,) = test.op("{r} = aenet.l2_weight %s {factor = 0.001 : f64} : %s -> tensor<f64>" % (x, ttype(X)))
    test.show("l2_weight", r, "tensor<f64>", l2(fx))
    g2 = [dl * 2 * f2 * e for e in fx]
    assert_close(g2, fd_grad(lambda v: dl * l2(v), fx), "l2 grad")
    (r,) = test.op("{r} = aenet.l2_weight_grad %s, %s {factor = 0.001 : f64} : %s, tensor<f64>" % (x, dlv, ttype(X)))
    test.show("l2_weight_grad (dL = %g)" % dl, r, ttype(X), reshape(g2, shape_of(X)))
    # mean_abs: the mean of |x| over every element, signs included.
    (r,) = test.op("{r} = aenet.metric mean_abs %s : %s -> tensor<f64>" % (x, ttype(X)))
    test.show("mean_abs metric", r, "tensor<f64>", sum(abs(e) for e in fx) / len(fx))
    test.write()


# --------------------------------------------------------------------------
# Layers and their gradients (runner-layers.mlir)
# --------------------------------------------------------------------------

ACTIVATIONS = {
    "relu": lambda x: max(x, 0.0),
    "sigmoid": lambda x: 1 / (1 + math.exp(-x)),
    "tanh": math.tanh,
    "hard_sigmoid": lambda x: min(max(0.2 * x + 0.5, 0.0), 1.0),
    "relu6": lambda x: min(max(x, 0.0), 6.0),
    "leaky_relu": lambda x: x if x > 0 else 0.2 * x,
    "elu": lambda x: x if x > 0 else math.expm1(x),
}

# Derivatives written from x (the lowering uses y): an independent route.
DERIVATIVES = {
    "relu": lambda x: 1.0 if x > 0 else 0.0,
    "sigmoid": lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2,
    "tanh": lambda x: 1 / math.cosh(x) ** 2,
    "hard_sigmoid": lambda x: 0.2 if -2.5 < x < 2.5 else 0.0,
    "relu6": lambda x: 1.0 if 0 < x < 6 else 0.0,
    "leaky_relu": lambda x: 1.0 if x > 0 else 0.2,
    "elu": lambda x: 1.0 if x > 0 else math.exp(x),
}


def softmax_rows(v, c):
    out = []
    for r in range(len(v) // c):
        row = v[r * c:(r + 1) * c]
        m = max(row)
        e = [math.exp(a - m) for a in row]
        s = sum(e)
        out += [a / s for a in e]
    return out


def layers_test():
    test = Test("runner-layers.mlir",
                "Tests the numbers dense, activations and their gradients compute (f64).")
    # dense on a rank-3 input: [2, 2, 3] x [3, 2] + [2].
    X = [[[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], [[0.25, -2.0, 1.5], [4.0, 1.0, -3.0]]]
    K = [[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]]
    Bv = [0.1, -0.2]
    x, k, b = test.const(X), test.const(K), test.const(Bv)
    rows = [r for s in X for r in s]
    Y = [[sum(r[i] * K[i][j] for i in range(3)) + Bv[j] for j in range(2)] for r in rows]
    (y,) = test.op("{r} = aenet.dense %s, %s, %s : (%s, %s, %s) -> tensor<2x2x2xf64>" % (x, k, b, ttype(X), ttype(K), ttype(Bv)))
    test.show("dense", y, "tensor<2x2x2xf64>", reshape(flat(Y), [2, 2, 2]))
    # Gradients of L = sum(DY * dense(X)) w.r.t. X, K, b.
    DY = [[[1.0, -1.0], [0.5, 2.0]], [[-0.5, 0.25], [3.0, 1.0]]]
    dy = test.const(DY)
    dyr = [r for s in DY for r in s]
    dX = [[sum(d[j] * K[i][j] for j in range(2)) for i in range(3)] for d in dyr]
    dK = [[sum(rows[m][i] * dyr[m][j] for m in range(4)) for j in range(2)] for i in range(3)]
    dB = [sum(dyr[m][j] for m in range(4)) for j in range(2)]

    def total(xs, ks, bs):
        xr = [xs[m * 3:(m + 1) * 3] for m in range(4)]
        return sum(dyr[m][j] * (sum(xr[m][i] * ks[i * 2 + j] for i in range(3)) + bs[j])
                   for m in range(4) for j in range(2))
    assert_close(flat(dX), fd_grad(lambda v: total(v, flat(K), Bv), flat(X)), "dense dx")
    assert_close(flat(dK), fd_grad(lambda v: total(flat(X), v, Bv), flat(K)), "dense dk")
    assert_close(dB, fd_grad(lambda v: total(flat(X), flat(K), v), Bv), "dense db")
    (g,) = test.op("{r} = aenet.dense_grad_input %s, %s : %s, %s -> %s" % (dy, k, ttype(DY), ttype(K), ttype(X)))
    test.show("dense_grad_input = dy kernel^T", g, ttype(X), reshape(flat(dX), [2, 2, 3]))
    (g,) = test.op("{r} = aenet.dense_grad_kernel %s, %s : %s, %s -> %s" % (x, dy, ttype(X), ttype(DY), ttype(K)))
    test.show("dense_grad_kernel = x^T dy", g, ttype(K), dK)
    (g,) = test.op("{r} = aenet.dense_grad_bias %s : %s -> %s" % (dy, ttype(DY), ttype(Bv)))
    test.show("dense_grad_bias", g, ttype(Bv), dB)

    # Activations on values away from the kinks, and their gradients.
    A = [[-3.0, -0.7, 0.3, 1.2], [2.0, -1.5, 7.0, 0.05]]
    D = [[0.5, -1.0, 2.0, 0.25], [-0.75, 1.5, 1.0, -2.0]]
    a, d = test.const(A), test.const(D)
    typ = ttype(A)
    fa, fd = flat(A), flat(D)
    for kind in ACTIVATIONS:
        f, df = ACTIVATIONS[kind], DERIVATIVES[kind]
        (yv,) = test.op("{r} = aenet.activation %s %s : %s" % (kind, a, typ))
        test.show(kind, yv, typ, reshape([f(v) for v in fa], [2, 4]))
        grad = [dv * df(v) for v, dv in zip(fa, fd)]
        assert_close(grad, fd_grad(lambda v: sum(dv * f(e) for e, dv in zip(v, fd)), fa), kind)
        (gv,) = test.op("{r} = aenet.activation_grad %s %s, %s : %s" % (kind, yv, d, typ))
        test.show(kind + " gradient", gv, typ, reshape(grad, [2, 4]))
    sm = softmax_rows(fa, 4)
    (yv,) = test.op("{r} = aenet.activation softmax %s : %s" % (a, typ))
    test.show("softmax", yv, typ, reshape(sm, [2, 4]))
    # J^T dy with J = diag(s) - s s^T, per row.
    grad = []
    for r in range(2):
        s, g = sm[r * 4:(r + 1) * 4], fd[r * 4:(r + 1) * 4]
        dot = sum(u * v for u, v in zip(s, g))
        grad += [s[i] * (g[i] - dot) for i in range(4)]
    assert_close(grad, fd_grad(lambda v: sum(dv * e for e, dv in zip(softmax_rows(v, 4), fd)), fa), "softmax")
    (gv,) = test.op("{r} = aenet.activation_grad softmax %s, %s : %s" % (yv, d, typ))
    test.show("softmax gradient", gv, typ, reshape(grad, [2, 4]))
    (yv,) = test.op("{r} = aenet.activation linear %s : %s" % (a, typ))
    test.show("linear", yv, typ, A)

    # add, scale, reshape (row-major).
    (s,) = test.op("{r} = aenet.add %s, %s : %s" % (a, d, typ))
    test.show("add", s, typ, reshape([u + v for u, v in zip(fa, fd)], [2, 4]))
    (s,) = test.op("{r} = aenet.scale %s {factor = -2.5 : f64} : %s" % (a, typ))
    test.show("scale", s, typ, reshape([-2.5 * u for u in fa], [2, 4]))
    (s,) = test.op("{r} = aenet.reshape %s : %s -> tensor<2x2x2xf64>" % (a, typ))
    test.show("reshape", s, "tensor<2x2x2xf64>", reshape(fa, [2, 2, 2]))
    test.write()


# --------------------------------------------------------------------------
# Optimizer updates and clipping (runner-optimizers.mlir)
# --------------------------------------------------------------------------


def optimizers_test():
    test = Test("runner-optimizers.mlir",
                "Tests the numbers the optimizer updates and gradient clipping compute (f64).")
    P = [0.5, -1.0, 2.0, 0.0]
    G = [0.1, -0.4, 0.0, 2.0]
    S1 = [0.01, 0.2, 0.05, 0.0]
    S2 = [0.3, -0.1, 0.0, 0.02]
    p, g, s1, s2 = test.const(P), test.const(G), test.const(S1), test.const(S2)
    T = "tensor<4xf64>"

    def show_all(label, names, values):
        for i, (n, v) in enumerate(zip(names, values)):
            test.show("%s result %d" % (label, i), n, T, v)

    # The learning rate is a scalar operand (a step function's argument).
    lr = 0.1
    rate = test.const(lr)
    names = test.op("{r} = aenet.sgd_update %s, %s, %s : (%s, %s, tensor<f64>) -> %s" % (p, g, rate, T, T, T))
    show_all("sgd", names, [[a - lr * b for a, b in zip(P, G)]])

    m = 0.9
    for nesterov in (False, True):
        v = [m * vv - lr * gg for vv, gg in zip(S2, G)]
        newp = [pp + m * vv - lr * gg if nesterov else pp + vv for pp, vv, gg in zip(P, v, G)]
        names = test.op("{r}, {r} = aenet.momentum_update %s, %s, %s, %s {momentum = 0.9 : f64, nesterov = %s} : (%s, %s, %s, tensor<f64>) -> (%s, %s)"
                        % (p, g, s2, rate, "true" if nesterov else "false", T, T, T, T, T))
        show_all("momentum nesterov=%s" % nesterov, names, [newp, v])

    # Adam at step t = 3.
    step = 3.0
    stepv = test.const(step)
    lr, b1, b2, e = 0.01, 0.9, 0.999, 1e-7
    lr_t = lr * math.sqrt(1 - b2 ** step) / (1 - b1 ** step)
    mm = [b1 * a + (1 - b1) * b for a, b in zip(S2, G)]
    vv = [b2 * a + (1 - b2) * b * b for a, b in zip(S1, G)]
    newp = [a - lr_t * x / (math.sqrt(y) + e) for a, x, y in zip(P, mm, vv)]
    rate = test.const(lr)
    names = test.op("{r}, {r}, {r} = aenet.adam_update %s, %s, %s, %s, %s, %s {beta1 = 0.9 : f64, beta2 = 0.999 : f64, epsilon = 1.0e-07 : f64} : (%s, %s, %s, %s, tensor<f64>, tensor<f64>) -> (%s, %s, %s)"
                    % (p, g, s2, s1, stepv, rate, T, T, T, T, T, T, T))
    show_all("adam t=3", names, [newp, mm, vv])

    # RMSProp without and with momentum.
    lr, rho, mom, e = 0.01, 0.9, 0.5, 1e-7
    ms = [rho * a + (1 - rho) * b * b for a, b in zip(S1, G)]
    step_ = [lr * b / (math.sqrt(a) + e) for a, b in zip(ms, G)]
    rate = test.const(lr)
    names = test.op("{r}, {r} = aenet.rmsprop_update %s, %s, %s, %s {epsilon = 1.0e-07 : f64, momentum = 0.0 : f64, rho = 0.9 : f64} : (%s, %s, %s, tensor<f64>) -> (%s, %s)"
                    % (p, g, s1, rate, T, T, T, T, T))
    show_all("rmsprop", names, [[a - b for a, b in zip(P, step_)], ms])
    buf = [mom * a + b for a, b in zip(S2, step_)]
    names = test.op("{r}, {r}, {r} = aenet.rmsprop_update %s, %s, %s, %s, %s {epsilon = 1.0e-07 : f64, momentum = 0.5 : f64, rho = 0.9 : f64} : (%s, %s, %s, %s, tensor<f64>) -> (%s, %s, %s)"
                    % (p, g, s1, s2, rate, T, T, T, T, T, T, T))
    show_all("rmsprop momentum", names, [[a - b for a, b in zip(P, buf)], ms, buf])

    # Adagrad.
    lr, e = 0.05, 1e-7
    acc = [a + b * b for a, b in zip(S1, G)]
    rate = test.const(lr)
    names = test.op("{r}, {r} = aenet.adagrad_update %s, %s, %s, %s {epsilon = 1.0e-07 : f64} : (%s, %s, %s, tensor<f64>) -> (%s, %s)"
                    % (p, g, s1, rate, T, T, T, T, T))
    show_all("adagrad", names, [[a - lr * b / (math.sqrt(c) + e) for a, b, c in zip(P, G, acc)], acc])

    # Adadelta, at a rate other than Keras's 1.0 so that the rate counts.
    lr, rho, e = 0.5, 0.95, 1e-7
    ag = [rho * a + (1 - rho) * b * b for a, b in zip(S1, G)]
    delta = [math.sqrt(d + e) / math.sqrt(a + e) * b for a, b, d in zip(ag, G, S1)]
    ad = [rho * d + (1 - rho) * x * x for d, x in zip(S1, delta)]
    rate = test.const(lr)
    names = test.op("{r}, {r}, {r} = aenet.adadelta_update %s, %s, %s, %s, %s {epsilon = 1.0e-07 : f64, rho = 0.95 : f64} : (%s, %s, %s, %s, tensor<f64>) -> (%s, %s, %s)"
                    % (p, g, s1, s1, rate, T, T, T, T, T, T, T))
    show_all("adadelta", names, [[a - lr * x for a, x in zip(P, delta)], ag, ad])

    # Clipping: by value, and by norm above and below the threshold.
    (c,) = test.op("{r} = aenet.clip_by_value %s {limit = 0.25 : f64} : %s" % (g, T))
    test.show("clip_by_value 0.25", c, T, [min(max(a, -0.25), 0.25) for a in G])
    norm = math.sqrt(sum(a * a for a in G))
    for max_norm in (1.0, 5.0):
        (c,) = test.op("{r} = aenet.clip_by_norm %s {max_norm = %r : f64} : %s" % (g, max_norm, T))
        f = max_norm / norm if norm > max_norm else 1.0
        test.show("clip_by_norm %g (norm %g)" % (max_norm, norm), c, T, [a * f for a in G])
    Z = [0.0, 0.0, 0.0, 0.0]
    (c,) = test.op("{r} = aenet.clip_by_norm %s {max_norm = 1.0 : f64} : %s" % (test.const(Z), T))
    test.show("clip_by_norm of a zero gradient", c, T, Z)
    test.write()


# --------------------------------------------------------------------------
# The counter-based RNG (runner-random.mlir), as documented in Random.h
# --------------------------------------------------------------------------

M64 = (1 << 64) - 1


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def rng_hash(seed, salt, n):
    key = (seed & M64) ^ ((salt * 0x9E3779B97F4A7C15) & M64)
    return mix(key ^ ((n * 0xD1B54A32D192ED03) & M64))


def uniform(h, p):
    return (h >> (64 - p)) * 2.0 ** -p


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


def random_test():
    test = Test("runner-random.mlir",
                "Tests that dropout, dropout_grad and gaussian_noise produce the masks and\n"
                "// noise of the counter-based hash documented in Random.h (f32 and f64).")
    seed, salt, rate = 42, 3, 0.5
    shape = [4, 8]
    n = shape[0] * shape[1]
    ones = reshape([1.0] * n, shape)
    sv = test.const_i64(seed)
    for et, p in (("f32", 24), ("f64", 53)):
        x = test.const(ones, et)
        typ = ttype(ones, et)
        keep = [uniform(rng_hash(seed, salt, i), p) >= rate for i in range(n)]
        expected = reshape([2.0 if k else 0.0 for k in keep], shape)
        (d,) = test.op("{r} = aenet.dropout %s, %s {rate = 0.5 : f64, salt = 3 : i64} : %s, tensor<i64>" % (x, sv, typ))
        test.show("dropout %s (kept %d of %d)" % (et, sum(keep), n), d, typ, expected, et)
        (d,) = test.op("{r} = aenet.dropout_grad %s, %s {rate = 0.5 : f64, salt = 3 : i64} : %s, tensor<i64>" % (x, sv, typ))
        test.show("dropout_grad %s: the same mask" % et, d, typ, expected, et)
    # A different salt gives a different mask; rate 0.25 keeps ~3/4.
    x = test.const(ones)
    keep = [uniform(rng_hash(seed, 7, i), 53) >= 0.25 for i in range(n)]
    (d,) = test.op("{r} = aenet.dropout %s, %s {rate = 0.25 : f64, salt = 7 : i64} : %s, tensor<i64>" % (x, sv, ttype(ones)))
    test.show("dropout f64 rate 0.25 salt 7 (kept %d of %d)" % (sum(keep), n), d, ttype(ones),
              reshape([4.0 / 3.0 if k else 0.0 for k in keep], shape))
    # Gaussian noise on zeros is the Box-Muller sample scaled by the
    # deviation operand.
    Z = reshape([0.0] * 12, [3, 4])
    z = test.const(Z)
    stddev = test.const(0.5)
    noise = []
    for i in range(12):
        u1 = uniform(rng_hash(seed, salt, 2 * i), 53)
        u2 = uniform(rng_hash(seed, salt, 2 * i + 1), 53)
        noise.append(0.5 * math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2))
    (gn,) = test.op("{r} = aenet.gaussian_noise %s, %s, %s {salt = 3 : i64} : %s, tensor<i64>, tensor<f64>" % (z, sv, stddev, ttype(Z)))
    test.show("gaussian_noise f64 (stddev 0.5)", gn, ttype(Z), reshape(noise, [3, 4]))
    test.write()


# --------------------------------------------------------------------------
# Whole training steps (runner-train-step.mlir): autodiff, then lowering
# --------------------------------------------------------------------------


def matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))]
            for i in range(len(a))]


def dense_py(x, w, bias=None):
    y = matmul(x, w)
    if bias is not None:
        y = [[v + bias[j] for j, v in enumerate(row)] for row in y]
    return y


def elementwise(f, a):
    return [elementwise(f, x) for x in a] if isinstance(a, list) else f(a)


def train_step_test():
    test = Test("runner-train-step.mlir",
                "Tests a whole training step: aenet-autodiff, then the lowering, with SGD at\n"
                "// lr = 1 so that each new parameter is w - dL/dw; the expected values are\n"
                "// w minus central finite differences of the loss computed in Python. The\n"
                "// rate is train_step's learning-rate argument, which @main passes as 1: the\n"
                "// optimizer attribute's 0.5 is only the value the argument is marked with.",
                passes="-mlir-very-unsafe-disable-verifier-on-parsing -aenet-autodiff "
                "-aenet-apply-optimizer -verify-each=0 | aenet-opt")
    # @main calls @train_step as it is once both passes ran: the module
    # verifies neither before them nor between them, so the second aenet-opt
    # verifies it when it parses it. The pipeline there starts with the same
    # two passes, which find nothing left to do.
    test.notes.append("// @main calls @train_step as aenet-autodiff and aenet-apply-optimizer make\n"
                      "// it: the input does not verify before both ran, hence no verifier until\n"
                      "// the second aenet-opt parses their output. Its pipeline starts with the\n"
                      "// same two passes, which then find nothing to differentiate.")
    # Head A: dense + elu (with L1 activity) -> dense -> softmax -> cce
    # weighted 0.5, plus L2 on its second kernel.
    X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-2.0, 1.0, 0.75], [0.1, 0.2, 0.3]]
    Y = [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]
    W1 = [[0.2, -0.4, 0.1, 0.6], [-0.3, 0.5, 0.25, -0.1], [0.4, 0.1, -0.2, 0.3]]
    B1 = [0.05, -0.1, 0.03, 0.2]
    W2 = [[0.3, -0.2], [-0.5, 0.4], [0.6, 0.1], [-0.1, -0.3]]
    # Head B: a rank-3 input through dense + tanh, flattened, dense + sigmoid
    # under bce (predictions inside the clip range) plus mse with sum.
    X3 = [[[0.5, -0.25], [1.0, 0.75], [-0.5, 0.2]], [[0.3, 0.9], [-1.2, 0.4], [0.6, -0.8]]]
    T = [[1.0, 0.0], [0.0, 1.0]]
    K1 = [[0.4, -0.6], [0.2, 0.5]]
    K2 = [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2], [0.25, 0.1], [0.6, -0.3], [-0.2, 0.5]]
    C2 = [0.1, -0.05]

    def head_a(w1, b1, w2):
        h = elementwise(lambda v: v if v > 0 else math.expm1(v),
                        dense_py(X, reshape(w1, [3, 4]), b1))
        p = softmax_rows(flat(dense_py(h, reshape(w2, [4, 2]))), 2)
        cce = loss_value("cce", "mean", p, flat(Y), [4, 2])
        l1 = 0.01 * sum(abs(v) for v in flat(h)) / 4
        l2 = 0.001 * sum(v * v for v in w2)
        return 0.5 * cce + l1 + l2

    def head_b(k1, k2, c2):
        rows = [r for sample in X3 for r in sample]
        h = elementwise(math.tanh, dense_py(rows, reshape(k1, [2, 2])))
        f = [flat(h[i * 3:(i + 1) * 3]) for i in range(2)]
        o = elementwise(lambda v: 1 / (1 + math.exp(-v)), dense_py(f, reshape(k2, [6, 2]), c2))
        bce = loss_value("bce", "mean", flat(o), flat(T), [2, 2])
        mse = loss_value("mse", "sum", flat(o), flat(T), [2, 2])
        return bce + mse

    # |h| has a kink at 0 that finite differences would straddle.
    hidden = dense_py(X, W1, B1)
    assert min(abs(v) for v in flat(hidden)) > 1e-3, "move the L1 input off 0"

    def total(w1, b1, w2, k1, k2, c2):
        return head_a(w1, b1, w2) + head_b(k1, k2, c2)

    test.functions += [
        "func.func @train_loss(%x: tensor<4x3xf64> {aenet.input = \"x\"},",
        "                      %w1: tensor<3x4xf64> {aenet.param = \"a1.kernel\"},",
        "                      %b1: tensor<4xf64> {aenet.param = \"a1.bias\"},",
        "                      %w2: tensor<4x2xf64> {aenet.param = \"a2.kernel\"},",
        "                      %y: tensor<4x2xf64> {aenet.input = \"y\"},",
        "                      %x3: tensor<2x3x2xf64> {aenet.input = \"x3\"},",
        "                      %k1: tensor<2x2xf64> {aenet.param = \"b1.kernel\"},",
        "                      %k2: tensor<6x2xf64> {aenet.param = \"b2.kernel\"},",
        "                      %c2: tensor<2xf64> {aenet.param = \"b2.bias\"},",
        "                      %t: tensor<2x2xf64> {aenet.input = \"t\"})",
        "    -> (tensor<f64> {aenet.name = \"loss\"})",
        "    attributes {aenet.differentiate, aenet.optimizer = #aenet.optimizer<sgd, lr = 0.5, momentum = 0.0, nesterov = false>} {",
        "  %h = aenet.dense %x, %w1, %b1 : (tensor<4x3xf64>, tensor<3x4xf64>, tensor<4xf64>) -> tensor<4x4xf64>",
        "  %a = aenet.activation elu %h : tensor<4x4xf64>",
        "  %r1 = aenet.l1_activity %a {factor = 0.01 : f64} : tensor<4x4xf64> -> tensor<f64>",
        "  %o = aenet.dense %a, %w2 : (tensor<4x4xf64>, tensor<4x2xf64>) -> tensor<4x2xf64>",
        "  %p = aenet.activation softmax %o : tensor<4x2xf64>",
        "  %l = aenet.loss cce mean %p, %y : tensor<4x2xf64>, tensor<4x2xf64> -> tensor<f64>",
        "  %lw = aenet.scale %l {factor = 0.5 : f64} : tensor<f64>",
        "  %r2 = aenet.l2_weight %w2 {factor = 0.001 : f64} : tensor<4x2xf64> -> tensor<f64>",
        "  %hb = aenet.dense %x3, %k1 : (tensor<2x3x2xf64>, tensor<2x2xf64>) -> tensor<2x3x2xf64>",
        "  %ab = aenet.activation tanh %hb : tensor<2x3x2xf64>",
        "  %fb = aenet.reshape %ab : tensor<2x3x2xf64> -> tensor<2x6xf64>",
        "  %ob = aenet.dense %fb, %k2, %c2 : (tensor<2x6xf64>, tensor<6x2xf64>, tensor<2xf64>) -> tensor<2x2xf64>",
        "  %pb = aenet.activation sigmoid %ob : tensor<2x2xf64>",
        "  %lb1 = aenet.loss bce mean %pb, %t : tensor<2x2xf64>, tensor<2x2xf64> -> tensor<f64>",
        "  %lb2 = aenet.loss mse sum %pb, %t : tensor<2x2xf64>, tensor<2x2xf64> -> tensor<f64>",
        "  %s1 = aenet.add %lw, %r1 : tensor<f64>",
        "  %s2 = aenet.add %s1, %r2 : tensor<f64>",
        "  %s3 = aenet.add %s2, %lb1 : tensor<f64>",
        "  %s4 = aenet.add %s3, %lb2 : tensor<f64>",
        "  return %s4 : tensor<f64>",
        "}",
        "",
    ]
    values = [X, W1, B1, W2, Y, X3, K1, K2, C2, T]
    consts = [test.const(v) for v in values]
    step = test.const(1.0)
    rate = step  # 1.0, the learning rate
    arg_types = ", ".join(ttype(v) for v in values)
    params = [("a1.kernel", W1), ("a1.bias", B1), ("a2.kernel", W2),
              ("b1.kernel", K1), ("b2.kernel", K2), ("b2.bias", C2)]
    result_types = ", ".join(["tensor<f64>"] + [ttype(v) for _, v in params])
    names = test.op("%s = func.call @train_step(%s) : (%s, tensor<f64>, tensor<f64>) -> (%s)"
                    % (", ".join(["{r}"] * (1 + len(params))), ", ".join(consts + [step, rate]),
                       arg_types, result_types))
    flats = [flat(v) if isinstance(v[0], list) else list(v) for _, v in params]
    test.show("total loss", names[0], "tensor<f64>", total(*flats))
    for k, (pname, value) in enumerate(params):
        grad = fd_grad(lambda v: total(*[v if j == k else f for j, f in enumerate(flats)]),
                       flats[k])
        new = [a - g for a, g in zip(flats[k], grad)]
        test.show("new " + pname, names[1 + k], ttype(value), reshape(new, shape_of(value)))
    test.write()


if __name__ == "__main__":
    losses_test()
    layers_test()
    optimizers_test()
    random_test()
    train_step_test()
