/* montecarlo: many replications of a scenario on every core.
 *
 * Replication r uses seed rng_replication_seed(seed, r) and writes only its
 * own slot of the results, so results do not depend on the thread count or
 * on which replication finishes first.  With at least as many replications
 * as threads, replications run in parallel; with fewer, each replication's
 * developers are split over the threads instead. */
#ifndef LOCKIN_MONTECARLO_H
#define LOCKIN_MONTECARLO_H

#include <stddef.h>

#include "market.h"
#include "scenario.h"

/* The metrics of R replications of T steps, and their tipping and launch
 * steps. */
typedef struct {
  const scenario *s;
  metric_layout layout;
  size_t R, T;               /* replications held, steps */
  size_t cap;                /* replications there is room for */
  double *values;            /* [r][t][m] */
  market_outcome *outcome;   /* [r] */
  unsigned long long *seeds; /* [r] */
} mc_results;

/* Room for `cap` replications of s; NULL when out of memory. */
mc_results *mc_results_alloc(const scenario *s, size_t cap);
void mc_results_free(mc_results *res);

/* A progress line on stderr: runs done, rate, time left. */
typedef struct {
  int enabled;
  size_t done, total;
  double start, last; /* seconds, monotonic */
  const char *label;
  size_t points_done, points_total; /* sweeps: whole points done, shown when total > 0 */
} mc_progress;

void mc_progress_init(mc_progress *p, int enabled, size_t total, const char *label);
/* One more run done (thread-safe); redraws at most every 0.1 s. */
void mc_progress_step(mc_progress *p);
void mc_progress_done(mc_progress *p);

/* Run replications [r0, r1) of s into res (r1 <= res->cap) with `threads`
 * threads; res->R becomes r1.  Returns 0; 1 if a signal asked to stop (the
 * results are incomplete); -1 if a replication failed (out of memory, a
 * graph that could not be built). */
int mc_replicate(mc_results *res, size_t r0, size_t r1, int threads, mc_progress *p);

/* Final-step values of metric m of replications [0, R) into x. */
void mc_final(const mc_results *res, size_t m, double *x);

/* Index of the metric named `name` ("hub_share.hf"), or -1. */
long mc_metric_index(const mc_results *res, const char *name);

/* Add replications in batches of `batch` until the 95% half-width of the
 * final-step mean of metric m is at most `halfwidth` or res->cap is
 * reached.  Returns 0 or -1 as mc_replicate; res->R says how many ran. */
int mc_until_precise(mc_results *res, size_t m, double halfwidth, size_t batch, int threads,
                     mc_progress *p);

/* The same for two scenarios on common random numbers (compare): batches of
 * both until the paired 95% half-width of the final-step mean of b - a of
 * metric m is at most h, or the cap.  Returns as mc_replicate. */
int mc_compare_until_precise(mc_results *a, mc_results *b, size_t m, double h, size_t batch,
                             int threads, mc_progress *p);

/* Bytes of one replication's workspace for s, with the graph builder's. */
double mc_workspace_bytes(const scenario *s);

/* The one memory estimate of every command: `workers` workspaces of
 * `workspace` bytes, and `runs` results of `per_run` bytes kept (for the
 * quantiles and the files), plus `extra`. */
typedef struct {
  double workspace; /* bytes of one workspace */
  int workers;      /* workspaces at once */
  double results;   /* bytes of results kept, extra included */
  double total;
} mc_memory_plan;

void mc_memory_estimate(double workspace, int workers, double runs, double per_run, double extra,
                        mc_memory_plan *p);

/* The plan of a run of R replications of s with `threads` threads: a
 * workspace per replication that runs at once (one when replications are
 * fewer than threads: they share it), and every replication's results.
 * With b (compare), b's results too; a's and b's replications run one
 * scenario after the other, so only the larger workspace counts. */
void mc_memory_plan_run(const scenario *s, const scenario *b, size_t R, int threads,
                        mc_memory_plan *p);

/* Bytes of memory this process may still use: the least of MemAvailable
 * and the cgroup's limit; the environment variable LOCKIN_MEMORY_LIMIT
 * (bytes) overrides both.  *source says which. */
double mc_memory_available(const char **source);

/* If `need` bytes do not fit, print why with both figures and return -1. */
int mc_memory_check(double need, const char *what);

/* Seconds on a monotonic clock. */
double mc_now(void);

#endif
