/* commands: the verbs of the command line (run, compare, sweep, check),
 * each from parsed options to files and a printed table.  cli.c parses and
 * dispatches; this module loads, runs (montecarlo, sweep) and writes
 * (output, report).  Nothing is written unless every input is valid and
 * every replication succeeded. */
#ifndef LOCKIN_COMMANDS_H
#define LOCKIN_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"

#define MAX_SETS   250
#define EXIT_USAGE 2
#define EXIT_FAIL  1

#define MAX_FILES 256 /* positional arguments: scenarios, or merge's folders */

typedef struct {
  const char *cmd, *file[MAX_FILES], *outdir;
  size_t n_files;
  int outdir_given, resume;
  size_t shard_k, shard_n;
  const char *sets[MAX_SETS + 4]; /* + -r, -s, and compare's seed and replications */
  size_t n_sets;
  long threads, max_r; /* max_r: -r, 0 when not given */
  uint64_t seed;       /* -s, when OPT_S is given */
  int timeseries, quiet;
  const char *precision_metric;            /* --precision METRIC=HALFWIDTH: points to metric_buf */
  const char *metric[ANALYZE_MAX_METRICS]; /* analyze --metric */
  size_t n_metrics;
  const char *discover; /* analyze --discover */
  unsigned given;       /* OPT_* bits of the options on the command line */
  char metric_buf[96];
  double precision;
} options;

/* The options, as bits, so that each command can refuse what it ignores. */
enum {
  OPT_R = 1u << 0,
  OPT_S = 1u << 1,
  OPT_J = 1u << 2,
  OPT_O = 1u << 3,
  OPT_SET = 1u << 4,
  OPT_TIMESERIES = 1u << 5,
  OPT_QUIET = 1u << 6,
  OPT_PRECISION = 1u << 7,
  OPT_RESUME = 1u << 8,
  OPT_SHARD = 1u << 9,
  OPT_METRIC = 1u << 10,
  OPT_DISCOVER = 1u << 11
};
/* Install the GSL error handler (a GSL error becomes exit status 1 with
 * nothing written) and the signal handlers, and clear what an earlier
 * command in this process left. */
void commands_init(void);

/* Each returns the exit status. */
int command_run(const options *o);
int command_compare(const options *o);
int command_sweep(const options *o, int check); /* check: sweep_check */
int command_check(const options *o);

#endif
