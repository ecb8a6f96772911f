/* output: CSV and scenario files, each written whole or not at all: to a
 * temporary name in the target folder, flushed, then renamed. */
#ifndef LOCKIN_OUTPUT_H
#define LOCKIN_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "market.h"
#include "montecarlo.h"
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

/* The files of SPEC 10 for a run (0, or -1 with a message on stderr). */
int out_write_summary(const char *dir, const mc_results *res);
int out_write_runs(const char *dir, const mc_results *res);
int out_write_timeseries(const char *dir, const mc_results *res);
/* compare.csv: per step and metric A, B and the paired difference B - A
 * with its 95% interval.  a and b have the same metrics and replications. */
int out_write_compare(const char *dir, const mc_results *a, const mc_results *b);
int out_write_text(const char *dir, const char *name, const char *text);

#endif
