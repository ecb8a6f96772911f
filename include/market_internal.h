/* market_internal: the market's state, private to the model's sources
 * (market.c, choice.c) and to the tests that check it; everything else sees
 * market.h's verbs.
 *
 * Developers are kept as a structure of arrays (order, cell, seg, choosers),
 * except the fields a choice reads together, which share one 32-byte record
 * (dev_rec) so that a scattered chooser costs one cache miss, not five.  A
 * developer's vendor, hub and activity share one byte (`cell` = vendor * K +
 * hub, CELL_INACTIVE when inactive).  Tenure is stored as the step of the
 * last switch, so a step touches only the developers that choose: its cost
 * follows the number of choices, not N. */
#ifndef LOCKIN_MARKET_INTERNAL_H
#define LOCKIN_MARKET_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "market.h"
#include "network.h"

#define CELL_INACTIVE 255u
#define SEG_PUBLISHER 0x80u /* high bit of seg[i]: developer publishes */
#define SEG_MASK      0x7fu

/* What a choice reads of a developer besides its cell: kept together so a
 * choosing developer costs one cache line here rather than one per field
 * (the choosers are scattered over arrays far larger than the cache). */
typedef struct {
  double bpp;     /* beta_pp_i */
  double bn;      /* beta_n_i */
  double kappa;   /* vendor switching-cost multiplier */
  int32_t sv, sh; /* step of the last vendor / hub switch */
} dev_rec;

/* Changes to the market's counts made by one thread's share of a step's
 * choices; integers, so the merged result does not depend on the split. */
typedef struct {
  _Alignas(64) int64_t nv[SCN_MAX_VENDORS]; /* a cache line of its own per thread */
  int64_t nh[SCN_MAX_HUBS], pub[SCN_MAX_HUBS];
  int64_t ncell[SCN_MAX_VENDORS * SCN_MAX_HUBS];
  int64_t nsh[SCN_MAX_SEGMENTS * SCN_MAX_HUBS]; /* by segment and hub, for revenue */
  int64_t sum_sv;
  size_t revisions, vswitch, hswitch;
} market_tally;

struct market {
  const scenario *s;
  int threads;         /* threads that share one replication's steps */
  int check;           /* run market_check after every step (LOCKIN_CHECK=1) */
  uint64_t key;        /* the replication's seed */
  market_tally *tally; /* one per thread */
  size_t *chunk_count; /* revisers found in each chunk of positions */
  metric_layout layout;
  size_t n, J, K, C; /* developers, vendors, hubs, cells J*K */

  /* developers (structure of arrays) */
  uint32_t *order;   /* active developers first, then inactive */
  uint8_t *cell;     /* vendor*K + hub, or CELL_INACTIVE */
  uint8_t *seg;      /* segment | SEG_PUBLISHER */
  dev_rec *rec;      /* tastes and switch steps */
  uint32_t *chooser; /* this step's choosers: entrants, then revisers */
  uint8_t *choice;   /* their chosen cells */
  network *graph;
  gsl_rng *rng; /* sequential draws */

  /* state of the market */
  size_t active;
  size_t nv[SCN_MAX_VENDORS], nh[SCN_MAX_HUBS];
  size_t ncell[SCN_MAX_VENDORS * SCN_MAX_HUBS];
  size_t pub[SCN_MAX_HUBS];                    /* active publishers per hub */
  size_t nsh[SCN_MAX_SEGMENTS * SCN_MAX_HUBS]; /* active developers by segment and hub */
  int64_t sum_sv;                              /* sum of sv over active developers */
  double S[SCN_MAX_VENDORS];                   /* maturity */
  double catalog[SCN_MAX_HUBS], trust[SCN_MAX_HUBS], neutral[SCN_MAX_HUBS];
  double theta[SCN_MAX_HUBS][SCN_MAX_VENDORS];
  int live[SCN_MAX_HUBS];
  long launch_at[SCN_MAX_EVENTS][SCN_MAX_RESPONSES]; /* step a response launches, -1 */
  long launch_step[SCN_MAX_HUBS];                    /* SPEC 6: 0 at start, -1 never */
  double revenue[SCN_MAX_HUBS];                      /* $M per year at this step */
  double pv[SCN_MAX_HUBS];                           /* discounted revenue up to this step, $M */
  double cash[SCN_MAX_HUBS];  /* discounted cash of accepted investments, $M */
  double stake[SCN_MAX_HUBS]; /* sum of accepted amount / valuation */
  size_t step_revisions, step_vswitch, step_hswitch;

  struct choice_ws *logit; /* the logit's tables: choice.c's workspace */
  uint8_t cell_vendor[SCN_MAX_VENDORS * SCN_MAX_HUBS]; /* cell -> vendor, hub */
  uint8_t cell_hub[SCN_MAX_VENDORS * SCN_MAX_HUBS];
};

#endif
