/* market: one replication of the model (SPEC 2-7).  A `market` is the
 * workspace of a replication: every array is allocated by market_alloc, sized
 * for the scenario, and reused by market_run for replication after
 * replication; nothing is allocated inside the step loop.  Its struct is
 * private to the model (market_internal.h): callers see the verbs. */
#ifndef LOCKIN_MARKET_H
#define LOCKIN_MARKET_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "scenario.h"

typedef struct market market;

/* What a replication records besides its metrics (SPEC 7). */
typedef struct {
  long tip;                  /* tip_step: first step the focal hub is below the threshold, -1 */
  long launch[SCN_MAX_HUBS]; /* launch_step of every hub: 0 at the start, -1 if never */
} market_outcome;

/* A workspace for scenario s whose replications use `threads` threads each
 * (1 when replications run in parallel instead). */
market *market_alloc(const scenario *s, int threads);
void market_free(market *m);

/* Run one replication with seed `key` (rng_replication_seed).  Writes the
 * metrics of every step to out[t * layout.n + metric] and the tipping and
 * launch steps to *oc.  Returns 0; 1 if a signal asked to stop first (out
 * incomplete); -1 if the graph could not be built or a figure was not a
 * finite number (said on stderr once; scenario_bounds.c refuses the
 * scenarios known to do that). */
int market_run(market *m, uint64_t key, double *out, market_outcome *oc);

/* market_run in two parts: the initial state and graph of replication
 * `key` (0, or -1 if the graph could not be built), then the T steps. */
int market_start(market *m, uint64_t key);
int market_steps(market *m, uint64_t key, double *out, market_outcome *oc);

/* The invariants of market.c's opening comment, recomputed from the
 * developers after step t, and the step's recorded metrics `row` against
 * their definitions (SPEC 7).  0, or -1 with what is wrong in why.  Run
 * after every step when the environment has LOCKIN_CHECK=1 (make test and
 * the sanitizer build set it); a failure then aborts. */
int market_check(const market *m, long t, const double *row, char *why, size_t n);

/* Bytes of memory a replication of s needs (developers and graph). */
size_t market_bytes(const scenario *s);

#endif
