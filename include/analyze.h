/* analyze: `lockin analyze DIR` (SPEC 12).  Reads a finished sweep's folder
 * (sweep_meta.txt and sweep.csv), never reruns the model, computes the
 * indices its design allows over metric expressions (M, M@P, M@P-Q: the
 * per-point mean over replications), prints ranked tables and writes
 * DIR/analysis/{sobol,morris,prcc,prim}.csv. */
#ifndef LOCKIN_ANALYZE_H
#define LOCKIN_ANALYZE_H

#include <stddef.h>

#define ANALYZE_MAX_METRICS 32

typedef struct {
  const char *dir;
  const char *metric[ANALYZE_MAX_METRICS]; /* expressions; none: a default set */
  size_t n_metrics;
  const char *discover; /* "EXPR OP VALUE" for PRIM, or NULL */
  int quiet;
} analyze_options;

/* Returns the exit status: 0, 2 (bad usage, not a sweep folder, a bad
 * expression), 1 (out of memory, a file that cannot be written). */
int analyze_run(const analyze_options *o);

#endif
