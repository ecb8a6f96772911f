/* output: CSV and scenario files, each written whole or not at all: to a
 * temporary name in the target folder, flushed, then renamed. */
#ifndef LOCKIN_OUTPUT_H
#define LOCKIN_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "montecarlo.h"
#include "numfmt.h"
#include "scenario.h"

/* A set of files written as one: each to a temporary name in the target
 * folder, flushed and synced; only when all of them are complete are they
 * renamed into place, so a folder never holds a mix of old and new files
 * (but for the moment of the renames) and a failure leaves the old ones. */
#define OUT_BATCH_MAX 12
typedef struct {
  char dir[4096];
  size_t n;
  int failed;
  struct {
    char tmp[4200], final[4200];
  } file[OUT_BATCH_MAX];
} out_batch;

void out_batch_init(out_batch *b, const char *dir);
/* A new file `name` of the batch, open for writing; NULL on failure (with a
 * message on stderr naming the path; the batch is then failed). */
FILE *out_batch_open(out_batch *b, const char *name);
/* Flush, sync and close f, the batch's last opened file. */
void out_batch_close(out_batch *b, FILE *f);
/* Rename every file into place if all were written; else remove them.
 * 0, or -1 (messages on stderr). */
int out_batch_publish(out_batch *b);

/* mkdir -p; 0 or -1 with a message. */
int out_mkdirs(const char *path);

/* A journal to resume, open for reading and appending; NULL with errno set,
 * ENOENT when it is missing or empty (nothing to resume: start it anew). */
FILE *out_journal_resume(const char *path);

/* A journal's identity (a sweep's fingerprint and sizes) lives beside it in
 * PATH.id, so the journal itself is a plain CSV that pandas or R read as
 * is.  write: 0 or -1 with a message; check: 0 when PATH.id holds exactly
 * `id`, -1 otherwise (missing, another sweep's, unreadable). */
int out_journal_id_write(const char *path, const char *id);
int out_journal_id_check(const char *path, const char *id);

/* The files of SPEC 10 for a run, added to batch b. */
void out_write_summary(out_batch *b, const mc_results *res);
void out_write_runs(out_batch *b, const mc_results *res);
void out_write_timeseries(out_batch *b, const mc_results *res);
/* compare.csv: per step and metric A, B and the paired difference B - A
 * with its 95% interval.  a and b have the same metrics and replications. */
void out_write_compare(out_batch *batch, const mc_results *a, const mc_results *b);
void out_write_text(out_batch *b, const char *name, const char *text);

#endif
