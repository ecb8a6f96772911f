/* sweep: a batch of runs over a parameter design (SPEC 11).
 *
 * A sweep file names a scenario and parameters (libconfig paths of the
 * resolved scenario) with value lists or ranges; the design (grid, random,
 * Latin hypercube, Sobol) turns them into points, each a scenario with
 * overrides.  Every point is run under every policy (a name and --set
 * assignments: the decisions compared).  Every point under every policy is
 * loaded and checked before anything runs.  Replication r has the same seed
 * at every point and under every policy (common random numbers). */
#ifndef LOCKIN_SWEEP_H
#define LOCKIN_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "market.h"
#include "scenario.h"

typedef enum {
  DESIGN_GRID,
  DESIGN_RANDOM,
  DESIGN_LHS,
  DESIGN_SOBOL,
  DESIGN_SALTELLI, /* Sobol indices: points base samples x (k + 2) */
  DESIGN_MORRIS    /* elementary effects: points trajectories x (k + 1) */
} sweep_design;

#define SWEEP_MAX_SALTELLI 20 /* parameters: 2k Sobol dimensions, GSL's limit 40 */

#define SWEEP_MAX_PARAMS   40 /* GSL's Sobol generator takes up to 40 dimensions */
#define SWEEP_MAX_POINTS   1000000
#define SWEEP_MAX_VALUES   1000 /* entries of one value list */
#define SWEEP_CELL_LEN     64   /* a parameter value as text */
#define SWEEP_MAX_POLICIES 16
#define SWEEP_SET_LEN      256 /* one of a policy's PATH=VALUE assignments */

typedef struct {
  char path[160];
  unsigned line;                /* of its entry in the sweep file */
  int is_range, is_log, is_int; /* is_int: the key takes whole numbers */
  double min, max;
  size_t n_values;
  char (*values)[SWEEP_CELL_LEN]; /* a list: libconfig literals ("1.5", "\"x\"") */
} sweep_param;

/* A policy (SPEC 11): a name and --set assignments applied after a point's
 * values.  A sweep without policies has the one policy "base". */
typedef struct {
  char name[SCN_NAME_LEN];
  unsigned line; /* of its entry in the sweep file (0: the implicit base) */
  size_t n_sets;
  char (*sets)[SWEEP_SET_LEN];
} sweep_policy;

typedef struct {
  char file[4096]; /* the sweep file */
  char name[SCN_NAME_LEN];
  char scenario[4096]; /* the scenario file, "" for the built-in one */
  char *text;          /* the sweep file's text, read once */
  char *scenario_text; /* the scenario's text, read once (every point loads it) */
  sweep_design design;
  long points, levels, replications;
  uint64_t seed;
  size_t n_params;
  sweep_param params[SWEEP_MAX_PARAMS];
  size_t n_policies;
  sweep_policy policies[SWEEP_MAX_POLICIES];
  size_t n_points;
  /* point p, parameter i: the libconfig literal set and its CSV text */
  char (*lit)[SWEEP_CELL_LEN]; /* [p * n_params + i] */
  char (*cell)[SWEEP_CELL_LEN];
} sweep;

/* Load and check a sweep file and build its points.  0, or 2 with the
 * problems in err. */
int sweep_load(const char *file, sweep *w, scn_errors *err);
void sweep_free(sweep *w);

/* The unit-cube coordinates of the design's points: u[p * n_params + i]
 * (grid: the level index).  For tests, sweep_load and analyze. */
int sweep_design_points(const sweep *w, double *u);

/* Load point p's scenario under policy q: the sweep's scenario with the
 * command line's overrides, then the point's values, the policy's
 * assignments, seed and replications.  resolved and err as scenario_load;
 * errors about a parameter or a policy name the sweep file's line and the
 * point. */
int sweep_point_scenario(const sweep *w, size_t p, size_t q, const scn_overrides *cli, scenario *s,
                         char **resolved, scn_errors *err);

/* The design's name ("grid", ..., "morris"). */
const char *sweep_design_name(sweep_design d);

/* Whether a text is a sweep file's (a top-level `sweep` group). */
int sweep_is_sweep_text(const char *text);

/* sweep_load from the text of `file`, read already (a pipe is read once). */
int sweep_load_text(const char *text, const char *file, sweep *w, scn_errors *err);

/* ------------------------------------------------------------- running */

typedef struct {
  int threads; /* threads of this process */
  int resume;  /* skip the runs journal.csv holds */
  int quiet, progress;
  int timeseries;          /* also sweep_timeseries.csv */
  size_t shard_k, shard_n; /* run points with point % n == k - 1; 1 of 1 by default */
  const char *outdir;
  const scn_overrides *cli; /* the command line's --set */
} sweep_options;

/* Run a loaded sweep: every point checked first, then the runs (threads,
 * or processes under MPI), each appended to journal.csv as it finishes,
 * then sweep.csv and sweep_summary.csv.  Returns the exit status. */
int sweep_run(const sweep *w, const sweep_options *o);

/* Check every point and print the plan: points, runs, and an estimate of
 * time and memory from one calibration run.  Returns the exit status. */
int sweep_check(const sweep *w, const sweep_options *o);

/* Join the folders of the shards of one sweep into the files an unsharded
 * run writes, in outdir (NULL: the folder above the first shard's). */
int sweep_merge(const char *const *dirs, size_t n, const char *outdir, int quiet);

#endif
