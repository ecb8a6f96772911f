/* sweep_table: what a sweep's files are made of, shared by running a
 * sweep (sweep_run.c) and writing, journaling and merging its files
 * (sweep_files.c).  Internal to the sweep module. */
#ifndef LOCKIN_SWEEP_TABLE_H
#define LOCKIN_SWEEP_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sweep.h"

#define LINE_MAX_LEN 65536 /* longest CSV line read back */

/* Runs are indexed by point p, policy q and replication r:
 * k = (p * Q + q) * R + r (sweep_index). */
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
  char *design_text; /* sweep_meta.txt's lines on the design and parameters (analyze) */
  size_t shard_k, shard_n;
  double work_max; /* bytes of the largest point's workspace */
} sweep_table;

int sweep_table_alloc(sweep_table *t, size_t P, size_t Q, size_t R, size_t M, size_t n_int,
                      size_t n_params);

static inline size_t sweep_index(const sweep_table *t, size_t p, size_t q, size_t r)
{
  return (p * t->Q + q) * t->R + r;
}
void sweep_table_free(sweep_table *t);
/* Whether every replication of point p under every policy is held. */
int sweep_point_complete(const sweep_table *t, size_t p);
/* sweep.csv, sweep_summary.csv, with two or more policies
 * sweep_contrast.csv, and sweep_meta.txt of the points held, in dir, as one
 * batch; 0 or -1. */
int sweep_write_files(const char *dir, const sweep_table *t);
/* The journal at path: on resume read what it holds (refusing another
 * sweep's) and append; else start it anew.  NULL with a message. */
FILE *sweep_journal_open(const char *path, sweep_table *t, int resume, size_t *held);
/* Append run k and flush. */
void sweep_journal_write(FILE *f, const sweep_table *t, size_t k);

#endif
