//===- SemaTextSource.cpp - What a text(...) source may feed --------------===//
//
// A `text("file", window = N, step = S)` source feeds a `chars[T, V]` window
// and, optionally, a target whose type decides what the model learns: a
// `class[V]` input receives the character after each window (many-to-one),
// a `chars[T, V]` input the window shifted by one character (many-to-many).
// Every mismatch is reported at the input it concerns, with both types.
//
//===----------------------------------------------------------------------===//

#include "SemaInternal.h"

namespace aenet::sema {

namespace {

/// |input|'s type as written: "class[70]", "chars[40, 70]", "f32[?, 6]".
std::string typeText(const InputInfo &input) {
  std::string extents;
  for (size_t i = 0; i < input.shape.dims.size(); ++i) {
    int64_t d = input.shape.dims[i];
    extents += (i ? ", " : "") + (d < 0 ? std::string("?") : std::to_string(d));
  }
  switch (input.kind) {
  case InputKind::Class:
    return "class[" + std::to_string(input.classes) + "]";
  case InputKind::Chars:
    return "chars[" + extents + "]";
  case InputKind::F32:
    break;
  }
  return "f32[" + extents + "]";
}

} // namespace

bool checkTextSource(const ast::DataStmt &stmt,
                     const std::vector<const InputInfo *> &inputs,
                     DataSource &source, DiagnosticEngine &diags) {
  auto fail = [&](size_t i, const std::string &message) {
    diags.error(stmt.inputs[i].offset, message);
    return false;
  };
  const InputInfo &window = *inputs[0];
  if (window.kind != InputKind::Chars)
    return fail(0, "text feeds a chars input first; '" + window.name +
                       "' is " + typeText(window));
  int64_t length = window.shape.dims[0];
  if (source.window == 0) {
    if (length < 0)
      return fail(0, "input '" + window.name +
                         "' has no fixed length; give text a window = N");
    source.window = length;
  } else if (length >= 0 && source.window != length) {
    return fail(0, "text window " + std::to_string(source.window) +
                       " does not match input '" + window.name +
                       "' of length " + std::to_string(length));
  }
  if (inputs.size() < 2)
    return true;
  const InputInfo &target = *inputs[1];
  std::string classes = std::to_string(window.classes);
  std::string next = "class[" + classes + "]";
  std::string shifted =
      "chars[" + std::to_string(source.window) + ", " + classes + "]";
  bool fits = false;
  if (target.kind == InputKind::Class) {
    fits = target.classes == window.classes;
  } else if (target.kind == InputKind::Chars) {
    int64_t steps = target.shape.dims[0];
    fits = target.classes == window.classes &&
           (steps < 0 || steps == source.window);
  }
  if (!fits)
    return fail(1, "text feeds its second input the next character, " + next +
                       ", or the window shifted by one, " + shifted + "; '" +
                       target.name + "' is " + typeText(target));
  return true;
}

} // namespace aenet::sema
