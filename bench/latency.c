/* Batch-1 latency of an exported encoder (bench/latency.py builds it
   against the header aec export wrote for examples/dense_ae.aenet).

   Usage: latency WEIGHTS CALLS REPEATS
   Prints the median over REPEATS of the mean microseconds per call of
   dense_ae_encode on one row, over CALLS calls each, after 1,000 warm-up
   calls (oneDNN builds its primitives on the first). */
#include "dense_ae.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int ascending(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 4)
    return 2;
  long calls = atol(argv[2]), repeats = atol(argv[3]);
  dense_ae *model = dense_ae_open(argv[1]);
  if (!model) {
    fprintf(stderr, "%s\n", dense_ae_error());
    return 1;
  }
  float x[DENSE_AE_ENCODE_X_SIZE], code[DENSE_AE_ENCODE_CODE_SIZE];
  for (int i = 0; i < DENSE_AE_ENCODE_X_SIZE; ++i)
    x[i] = (float)(i % 17) / 17;
  for (int i = 0; i < 1000; ++i)
    dense_ae_encode(model, x, code, 1);
  double *us = malloc(sizeof(double) * repeats);
  for (long r = 0; r < repeats; ++r) {
    double start = now();
    for (long i = 0; i < calls; ++i)
      dense_ae_encode(model, x, code, 1);
    us[r] = (now() - start) / calls * 1e6;
  }
  qsort(us, repeats, sizeof(double), ascending);
  printf("RESULT {\"us\": %.3f, \"check\": %.6f}\n", us[repeats / 2], code[0]);
  dense_ae_close(model);
  return 0;
}
