/* report: the tables `run` and `compare` print for a person to read: the
 * final-step summary, the paired differences, and one line per branch (which
 * on_event hubs launched), so that a mean over two bundles of runs is never
 * the only thing shown. */
#ifndef LOCKIN_REPORT_H
#define LOCKIN_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "montecarlo.h"

/* A replication's branch: bit k set when on_event hub k launched. */
uint32_t report_branch(const mc_results *res, size_t r);

/* The branch's name: "none", or the launched hubs joined by "+". */
void report_branch_name(const scenario *s, uint32_t branch, char *buf, size_t n);

/* Final-step table of a run: mean, 95% CI, p05, p95 of the main metrics,
 * then the branches.  `secs` is the run's wall time. */
void report_run(FILE *f, const mc_results *res, double secs);

/* Final-step paired differences B - A (every hub's share, vendor HHI and D1,
 * the focal hub's owners' value, P(tipping)), then each side's branches. */
void report_compare(FILE *f, const mc_results *a, const mc_results *b, double secs);

/* One line per branch that occurred in res (see report_run). */
void report_branches(FILE *f, const mc_results *res, const char *title);

#endif
