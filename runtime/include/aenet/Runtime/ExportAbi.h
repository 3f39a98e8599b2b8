/*===- ExportAbi.h - Between an exported model and its runtime ---*- C -*-===//
//
// `aec export` writes a C file per model that describes its compiled
// programs in these tables and forwards the functions of the model's header
// to libaenet-export (ExportedModel.cpp), which loads the weights, binds
// buffers and runs the programs batch by batch. Plain C: the generated file
// is compiled by the system's C compiler, and the tables are its only
// contract with the runtime.
//
//===----------------------------------------------------------------------===*/

#ifndef AENET_RUNTIME_EXPORTABI_H
#define AENET_RUNTIME_EXPORTABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What an argument of a compiled program holds. */
enum aenet_slot_kind {
  AENET_SLOT_INPUT = 0,         /* [batch, ...] rows from the caller */
  AENET_SLOT_PARAM = 1,         /* a tensor of the weights, by name */
  AENET_SLOT_OUTPUT = 2,        /* [batch, ...] rows to the caller */
  AENET_SLOT_LAYER_STATE = 3,   /* a recurrent layer's state, zero at every
                                   run of a program: rows are sequences of
                                   their own */
  AENET_SLOT_HYPERPARAMETER = 4 /* a scalar fixed at export: |value| */
};

typedef struct aenet_slot {
  int kind;            /* an aenet_slot_kind */
  const char *name;    /* the input, parameter or output name */
  int rank;
  const int64_t *shape; /* batch first for inputs, outputs, states */
  double value;        /* a hyperparameter's value */
} aenet_slot;

/* One entry point compiled for one batch size. */
typedef struct aenet_program {
  int64_t batch;
  int slot_count;
  const aenet_slot *slots;
  /* The argument that takes the oneDNN kernels' call-site table, or -1;
     and how many call sites it has. */
  int sites_arg;
  int64_t sites;
  /* Calls the compiled code: one pointer per argument, a memref
     descriptor's address or the site table. */
  void (*run)(void **args);
} aenet_program;

/* An entry of the header (predict, encode, decode): its programs, the
   largest batch first; the last may be a batch of 1 for the rows a larger
   one leaves over. Its inputs and outputs are the programs' input and output
   slots, in slot order. */
typedef struct aenet_entry {
  const char *name;
  int program_count;
  const aenet_program *programs;
} aenet_entry;

typedef struct aenet_library {
  const char *model;
  int entry_count;
  const aenet_entry *entries;
  /* A safetensors file compiled into the library, or null: the weights are
     read from the path given to aenet_export_open. */
  const unsigned char *weights;
  uint64_t weights_size;
  /* The oneDNN kernels' call-site tables, when a program calls them (null
     otherwise, so that a library without kernels does not link oneDNN). */
  void *(*new_sites)(int64_t count);
  void (*free_sites)(void *sites);
} aenet_library;

typedef struct aenet_model aenet_model;

/* Loads the weights (|weights_path|, or the embedded ones when it is null)
   and prepares every program. Null on an error: aenet_export_error says
   which. */
aenet_model *aenet_export_open(const aenet_library *library,
                               const char *weights_path);
/* Runs entry |entry| on |batch| rows: |inputs| and |outputs| hold one
   pointer per input and output slot of the entry, each to |batch| rows.
   0 on success, -1 on an error (aenet_export_error). A model is used by one
   thread at a time. */
int aenet_export_run(aenet_model *model, int entry,
                     const float *const *inputs, float *const *outputs,
                     int64_t batch);
void aenet_export_close(aenet_model *model);
/* The last error of this thread, or "". */
const char *aenet_export_error(void);

/* The kernel-site tables of the oneDNN kernels (KernelAbi.h). */
void *aenet_export_new_kernel_sites(int64_t count);
void aenet_export_free_kernel_sites(void *sites);

#ifdef __cplusplus
}
#endif

#endif /* AENET_RUNTIME_EXPORTABI_H */
