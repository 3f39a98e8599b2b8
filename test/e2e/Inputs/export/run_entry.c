/* Runs one entry of an exported model on the raw floats of a file and
   writes its output's raw floats: the C program of the export tests.
   Built with -DMODEL=name -DENTRY=predict -DPREFIX=NAME_PREDICT -DIN=X
   -DOUT=RECON (the header's names), and -DHEADER="name.h".

   Usage: run_entry WEIGHTS|- IN.f32 OUT.f32 ROWS */
#include HEADER

#include <stdio.h>
#include <stdlib.h>

#define PASTE(a, b) a##b
#define JOIN(a, b) PASTE(a, b)
#define FN(suffix) JOIN(MODEL, suffix)
#define IN_SIZE JOIN(PREFIX, JOIN(_, JOIN(IN, _SIZE)))
#define OUT_SIZE JOIN(PREFIX, JOIN(_, JOIN(OUT, _SIZE)))

int main(int argc, char **argv) {
  if (argc != 5)
    return 2;
  long rows = atol(argv[4]);
  float *in = malloc(sizeof(float) * IN_SIZE * rows);
  float *out = malloc(sizeof(float) * OUT_SIZE * rows);
  FILE *f = fopen(argv[2], "rb");
  if (!f || fread(in, sizeof(float), IN_SIZE * rows, f) != IN_SIZE * rows) {
    fprintf(stderr, "cannot read %ld rows of %s\n", rows, argv[2]);
    return 1;
  }
  fclose(f);
  /* "-": the weights compiled into the library. */
  MODEL *model = FN(_open)(argv[1][0] == '-' ? NULL : argv[1]);
  if (!model) {
    fprintf(stderr, "open: %s\n", FN(_error)());
    return 1;
  }
  if (JOIN(FN(_), ENTRY)(model, in, out, rows) != 0) {
    fprintf(stderr, "run: %s\n", FN(_error)());
    return 1;
  }
  FN(_close)(model);
  f = fopen(argv[3], "wb");
  fwrite(out, sizeof(float), OUT_SIZE * rows, f);
  fclose(f);
  return 0;
}
