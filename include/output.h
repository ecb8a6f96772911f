/* output: CSV and scenario files, each written whole or not at all: to a
 * temporary name in the target folder, flushed, then renamed. */
#ifndef LOCKIN_OUTPUT_H
#define LOCKIN_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "market.h"
#include "scenario.h"

/* The shortest decimal that reads back as exactly x ("0.1", "1e-05"). */
void out_double(char *buf, size_t n, double x);

/* A file being written: FILE on a temporary name until out_commit. */
typedef struct {
  FILE *f;
  char tmp[4096], final[4096];
} out_file;

/* Open dir/name for writing under a temporary name.  Returns 0 or -1 (with
 * a message on stderr naming the path). */
int out_open(out_file *o, const char *dir, const char *name);
/* Flush, sync and rename into place; on any error remove the temporary and
 * return -1 (message on stderr).  out_abort drops the temporary. */
int out_commit(out_file *o);
void out_abort(out_file *o);

/* mkdir -p; 0 or -1 with a message. */
int out_mkdirs(const char *path);

/* Results of a run: R replications of T steps of L->n metrics. */
typedef struct {
  const scenario *s;
  const metric_layout *layout;
  size_t R, T;
  const double *values;            /* [r][t][m] */
  const long *tip;                 /* [r] */
  const unsigned long long *seeds; /* [r] replication seeds */
} run_results;

int out_write_summary(const char *dir, const run_results *res);
int out_write_runs(const char *dir, const run_results *res);
int out_write_timeseries(const char *dir, const run_results *res);
int out_write_text(const char *dir, const char *name, const char *text);

#endif
