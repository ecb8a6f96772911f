/* sweep_table: what a sweep's files are made of, shared by running a
 * sweep (sweep_run.c) and writing, journaling and merging its files
 * (sweep_files.c).  Internal to the sweep module. */
#ifndef LOCKIN_SWEEP_TABLE_H
#define LOCKIN_SWEEP_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"
#include "sweep.h"

#define LINE_MAX_LEN 65536 /* longest CSV line read back */

/* Runs are indexed by point p, policy q and replication r:
 * k = (p * Q + q) * R + r (sweep_index). */
#define SWEEP_N_INPUTS 3

typedef struct {
  size_t P, Q, R, M, n_params;
  char (*policy)[SCN_NAME_LEN]; /* policy names */
  size_t n_int;                 /* whole-number columns: tip_step, launch_step.NAME... */
  char (*param)[160];           /* parameter paths */
  char (*intname)[96];          /* names of the whole-number columns */
  char (*metric)[96];           /* metric names */
  char (*cell)[SWEEP_CELL_LEN]; /* [p * n_params + i] */
  double *values;               /* [k * M + m] final metrics */
  long *ints;                   /* [k * n_int + i] */
  unsigned char *have;          /* [k] */
  uint64_t fingerprint;
  char *design_text;           /* sweep_meta.txt's lines on the design and parameters (analyze) */
  char *input[SWEEP_N_INPUTS]; /* what the sweep ran with, kept in its folder (or NULL) */
  size_t shard_k, shard_n;
  double work_max; /* bytes of the largest point's workspace */
  /* Every (point, policy)'s scenario as checked, packed ([p * Q + q], NULL
   * past the budget), so that running a point does not load it again. */
  unsigned char **packed;
  size_t packed_bytes;
  size_t T; /* steps of point 0 (of every point with --timeseries) */
} sweep_table;

/* The files of sweep_table.input: the sweep file and its scenario as read,
 * and the command line's seed, replications and --set overrides. */
extern const char *const sweep_input_names[SWEEP_N_INPUTS];

int sweep_table_alloc(sweep_table *t, size_t P, size_t Q, size_t R, size_t M, size_t n_int,
                      size_t n_params);

static inline size_t sweep_index(const sweep_table *t, size_t p, size_t q, size_t r)
{
  return (p * t->Q + q) * t->R + r;
}
void sweep_table_free(sweep_table *t);
/* Whether every replication of point p under every policy is held. */
int sweep_point_complete(const sweep_table *t, size_t p);
/* --timeseries: every step of every run of a (point, policy) cell is kept
 * until the cell's R replications are done, then its mean, p05 and p95 per
 * step and metric are appended to DIR/journal_timeseries.csv (flushed), and
 * the buffer goes.  sweep_timeseries.csv is assembled from that journal,
 * cells in order, so a resumed sweep writes the bytes of an uninterrupted
 * one; a cell the journal does not hold whole is run again. */
typedef struct sweep_series sweep_series;

/* Open (resume: read, keeping the whole cells, dropping the rest; else
 * start) the series journal in dir for table t with T steps.  NULL with a
 * message. */
sweep_series *sweep_series_open(const char *dir, const sweep_table *t, size_t T, int resume);
void sweep_series_free(sweep_series *s);
/* Whether cell (p * Q + q) is in the journal whole. */
int sweep_series_cell_done(const sweep_series *s, size_t cell);
/* Run k's T x M values; when its cell is complete, journal it.  Not
 * thread-safe: the caller serialises.  0, or -1 (out of memory, a write
 * failed). */
int sweep_series_add(sweep_series *s, size_t k, const double *values);
/* The T x M values of a run, for MPI workers to send. */
size_t sweep_series_values(const sweep_series *s);

/* sweep.csv, sweep_summary.csv, with two or more policies
 * sweep_contrast.csv, what `extra` adds (sweep_timeseries.csv; may be NULL)
 * and sweep_meta.txt of the points held, in dir, as one batch; 0 or -1. */
typedef int (*sweep_extra_files)(out_batch *b, void *ctx);
int sweep_write_files(const char *dir, const sweep_table *t, sweep_extra_files extra, void *ctx);
/* sweep_extra_files for a sweep_series (ctx). */
int sweep_series_files(out_batch *b, void *ctx);
/* The journal at path: on resume read what it holds (refusing another
 * sweep's) and append; else start it anew.  NULL with a message. */
FILE *sweep_journal_open(const char *path, sweep_table *t, int resume, size_t *held);
/* Append run k and flush. */
void sweep_journal_write(FILE *f, const sweep_table *t, size_t k);

#endif
