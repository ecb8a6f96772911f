/* cli: parses the command line, loads the scenario, runs the replications
 * (OpenMP over replications, one market workspace per thread) and writes the
 * results.  Replication r always uses seed rng_replication_seed(seed, r) and
 * its own slot of the result array, so the bytes written do not depend on
 * the thread count or on which replication finished first. */
#include "cli.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "market.h"
#include "output.h"
#include "rng.h"
#include "scenario.h"
#include "stats.h"

#define MAX_SETS   250
#define EXIT_USAGE 2
#define EXIT_FAIL  1

/* GSL's handler has no user pointer, so a GSL error is recorded here and
 * turned into exit status 1 with nothing written. */
static atomic_int gsl_failed;

static void on_gsl_error(const char *reason, const char *file, int line, int gsl_errno)
{
  fprintf(stderr, "lockin: GSL error %d at %s:%d: %s\n", gsl_errno, file, line, reason);
  atomic_store(&gsl_failed, 1);
}

typedef struct {
  const char *cmd, *file, *outdir;
  const char *sets[MAX_SETS + 2];
  size_t n_sets;
  char rbuf[64], sbuf[64];
  long threads;
  int timeseries, quiet;
} options;

static void usage(FILE *f)
{
  fputs("usage: lockin run [SCENARIO] [options]    run R replications of a scenario\n"
        "       lockin check SCENARIO              validate, print the resolved run plan\n"
        "       lockin keys                        every scenario key, as a Markdown table\n"
        "options: -r N (replications)  -s SEED  -j THREADS  -o DIR (default results)\n"
        "         --set PATH=VALUE (repeatable)  --timeseries  --quiet\n"
        "Without SCENARIO, run uses the built-in default scenario.\n",
        f);
}

static int parse_long(const char *opt, const char *v, long lo, long *out)
{
  char *end;
  errno = 0;
  long x = v ? strtol(v, &end, 10) : 0;
  if (!v || errno || *end || end == v || x < lo) {
    fprintf(stderr, "lockin: %s: expects a whole number >= %ld (got \"%s\")\n", opt, lo,
            v ? v : "");
    return -1;
  }
  *out = x;
  return 0;
}

static int parse_options(int argc, char **argv, options *o)
{
  memset(o, 0, sizeof *o);
  o->outdir = "results";
  long r = 0, seed = -1;
  int have_r = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "-r")) {
      if (parse_long("-r", next, 1, &r))
        return -1;
      have_r = 1;
      i++;
    } else if (!strcmp(a, "-s")) {
      if (parse_long("-s", next, 0, &seed))
        return -1;
      i++;
    } else if (!strcmp(a, "-j")) {
      if (parse_long("-j", next, 1, &o->threads))
        return -1;
      i++;
    } else if (!strcmp(a, "-o")) {
      if (!next || !*next) {
        fprintf(stderr, "lockin: -o: expects a folder\n");
        return -1;
      }
      o->outdir = next;
      i++;
    } else if (!strcmp(a, "--set") || !strncmp(a, "--set=", 6)) {
      const char *v = a[5] == '=' ? a + 6 : next;
      if (!v) {
        fprintf(stderr, "lockin: --set: expects PATH=VALUE\n");
        return -1;
      }
      if (o->n_sets >= MAX_SETS) {
        fprintf(stderr, "lockin: --set: at most %d\n", MAX_SETS);
        return -1;
      }
      o->sets[o->n_sets++] = v;
      if (a[5] != '=')
        i++;
    } else if (!strcmp(a, "--version") || !strcmp(a, "-h") || !strcmp(a, "--help")) {
      o->cmd = !strcmp(a, "--version") ? "version" : "help";
    } else if (!strcmp(a, "--timeseries")) {
      o->timeseries = 1;
    } else if (!strcmp(a, "--quiet")) {
      o->quiet = 1;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "lockin: unknown option %s\n", a);
      return -1;
    } else if (!o->cmd) {
      o->cmd = a;
    } else if (!o->file) {
      o->file = a;
    } else {
      fprintf(stderr, "lockin: unexpected argument %s\n", a);
      return -1;
    }
  }
  /* -r and -s are overrides like --set, applied last. */
  if (have_r) {
    snprintf(o->rbuf, sizeof o->rbuf, "replications=%ld", r);
    o->sets[o->n_sets++] = o->rbuf;
  }
  if (seed >= 0) {
    snprintf(o->sbuf, sizeof o->sbuf, "seed=%ld", seed);
    o->sets[o->n_sets++] = o->sbuf;
  }
  return 0;
}

static int load(const options *o, scenario *s, char **resolved)
{
  scn_errors *err = malloc(sizeof *err);
  if (!err)
    return EXIT_FAIL;
  scn_overrides ov = {o->sets, o->n_sets};
  int rc = scenario_load(o->file, &ov, s, resolved, err);
  if (rc != 0)
    scn_errors_print(err, stderr);
  free(err);
  return rc;
}

static int threads_wanted(const options *o)
{
#ifdef _OPENMP
  return o->threads > 0 ? (int)o->threads : omp_get_num_procs();
#else
  (void)o;
  return 1;
#endif
}

/* Run replications [0, R) of s into values/tips/seeds.  0 or -1. */
static int replicate(const scenario *s, size_t R, int threads, double *values, long *tips,
                     unsigned long long *seeds)
{
  metric_layout l;
  metric_layout_init(&l, s);
  size_t per_rep = (size_t)s->steps * l.n;
  atomic_int failed = 0;
  if ((size_t)threads > R)
    threads = (int)R;
#pragma omp parallel num_threads(threads)
  {
    market *m = market_alloc(s);
    if (!m)
      atomic_store(&failed, 1);
#pragma omp for schedule(dynamic, 1)
    for (size_t r = 0; r < R; r++) {
      if (!m || atomic_load(&failed))
        continue;
      seeds[r] = rng_replication_seed((uint64_t)s->seed, r);
      if (market_run(m, seeds[r], values + r * per_rep, &tips[r]) != 0)
        atomic_store(&failed, 1);
    }
    market_free(m);
  }
  return atomic_load(&failed) ? -1 : 0;
}

static void print_table(const scenario *s, const run_results *res, double secs)
{
  const metric_layout *l = res->layout;
  size_t M = l->n, T = res->T, R = res->R;
  double *col = malloc(R * sizeof *col);
  if (!col)
    return;
  printf("lockin %s: %s, %zu replications x %zu steps, %ld developers, %.2f s\n", LOCKIN_VERSION,
         s->name, R, T, s->developers, secs);
  printf("%-28s %10s  %-23s %10s %10s\n", "at the final step", "mean", "95% CI", "p05", "p95");
  size_t show[SCN_MAX_HUBS + SCN_MAX_VENDORS + 8], n = 0;
  for (size_t k = 0; k < s->n_hubs; k++)
    show[n++] = l->hub_share + k;
  for (size_t j = 0; j < s->n_vendors; j++)
    show[n++] = l->vendor_share + j;
  show[n++] = l->vendor_conc + 0; /* hhi */
  show[n++] = l->vendor_conc + 2; /* d1 */
  show[n++] = l->hub_conc + 0;
  show[n++] = l->cell_d1;
  for (size_t x = 0; x < n; x++) {
    char name[96];
    metric_name(s, l, show[x], name, sizeof name);
    for (size_t r = 0; r < R; r++)
      col[r] = res->values[(r * T + T - 1) * M + show[x]];
    stats_summary st;
    stats_summarize(col, R, &st);
    printf("%-28s %10.4f  [%9.4f, %9.4f] %10.4f %10.4f\n", name, st.mean, st.lo, st.hi, st.p05,
           st.p95);
  }
  for (size_t r = 0; r < R; r++)
    col[r] = res->tip[r] >= 0;
  stats_summary st;
  stats_summarize(col, R, &st);
  char label[96];
  snprintf(label, sizeof label, "P(%s share < %g)", s->hubs[s->focal_hub].name,
           s->tipping_threshold);
  printf("%-28s %10.4f  [%9.4f, %9.4f]\n", label, st.mean, st.lo, st.hi);
  free(col);
}

static int cmd_run(const options *o)
{
  scenario *s = malloc(sizeof *s);
  char *resolved = NULL;
  if (!s)
    return EXIT_FAIL;
  int rc = load(o, s, &resolved);
  if (rc != 0) {
    free(s);
    return rc;
  }
  metric_layout l;
  metric_layout_init(&l, s);
  size_t R = (size_t)s->replications, T = (size_t)s->steps;
  double *values = malloc(R * T * l.n * sizeof *values);
  long *tips = malloc(R * sizeof *tips);
  unsigned long long *seeds = malloc(R * sizeof *seeds);
  char dir[4096];
  rc = EXIT_FAIL;
  if (!values || !tips || !seeds) {
    fprintf(stderr, "lockin: out of memory for %zu x %zu x %zu results\n", R, T, l.n);
    goto done;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (replicate(s, R, threads_wanted(o), values, tips, seeds) != 0) {
    fprintf(stderr, "lockin: a replication failed (out of memory, or a graph that "
                    "could not be built)\n");
    goto done;
  }
  if (atomic_load(&gsl_failed))
    goto done;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  run_results res = {s, &l, R, T, values, tips, seeds};
  if (snprintf(dir, sizeof dir, "%s/%s", o->outdir, s->name) >= (int)sizeof dir) {
    fprintf(stderr, "lockin: %s: path too long\n", o->outdir);
    goto done;
  }
  if (out_mkdirs(dir) != 0 || out_write_summary(dir, &res) != 0 || out_write_runs(dir, &res) != 0 ||
      (o->timeseries && out_write_timeseries(dir, &res) != 0) ||
      out_write_text(dir, "scenario.cfg", resolved) != 0)
    goto done;
  if (!o->quiet) {
    print_table(s, &res, secs);
    printf("results in %s/\n", dir);
  }
  rc = 0;
done:
  free(values);
  free(tips);
  free(seeds);
  free(resolved);
  free(s);
  return rc;
}

static int cmd_check(const options *o)
{
  if (!o->file) {
    fprintf(stderr, "lockin: check needs a scenario file\n");
    return EXIT_USAGE;
  }
  scenario *s = malloc(sizeof *s);
  if (!s)
    return EXIT_FAIL;
  int rc = load(o, s, NULL);
  if (rc == 0) {
    metric_layout l;
    metric_layout_init(&l, s);
    int th = threads_wanted(o);
    size_t R = (size_t)s->replications;
    double work = (double)market_bytes(s) * (double)(th < (int)R ? th : (int)R);
    double keep = (double)R * (double)s->steps * (double)l.n * sizeof(double);
    printf("scenario %s (%s): %s\n", s->name, o->file, s->description);
    printf("  %ld replications x %ld steps (%ld per year), seed %ld\n", s->replications, s->steps,
           s->steps_per_year, s->seed);
    printf("  %ld developers (%ld active at start), %zu segments, network %s", s->developers,
           s->initial_active, s->n_segments, scenario_net_name(s->network));
    if (s->network != NET_MEAN_FIELD)
      printf(" (degree %ld)", s->degree);
    printf("\n  %zu vendors, %zu hubs (focal %s), %zu events, %zu metrics per step\n", s->n_vendors,
           s->n_hubs, s->hubs[s->focal_hub].name, s->n_events, l.n);
    printf("  estimated memory: %.1f MiB (%.1f MiB per replication workspace x %d threads, "
           "%.1f MiB of results)\n",
           (work + keep) / 1048576.0, (double)market_bytes(s) / 1048576.0,
           th < (int)R ? th : (int)R, keep / 1048576.0);
    printf("  output: %s/%s/\n", o->outdir, s->name);
  }
  free(s);
  return rc;
}

int cli_main(int argc, char **argv)
{
  gsl_set_error_handler(on_gsl_error);
  options *o = malloc(sizeof *o);
  if (!o)
    return EXIT_FAIL;
  int rc;
  if (parse_options(argc, argv, o) != 0) {
    usage(stderr);
    rc = EXIT_USAGE;
  } else if (!o->cmd || !strcmp(o->cmd, "help")) {
    usage(o->cmd ? stdout : stderr);
    rc = o->cmd ? 0 : EXIT_USAGE;
  } else if (!strcmp(o->cmd, "version")) {
    printf("lockin %s\n", LOCKIN_VERSION);
    rc = 0;
  } else if (!strcmp(o->cmd, "run")) {
    rc = cmd_run(o);
  } else if (!strcmp(o->cmd, "check")) {
    rc = cmd_check(o);
  } else if (!strcmp(o->cmd, "keys")) {
    scenario_print_keys(stdout);
    rc = 0;
  } else {
    fprintf(stderr, "lockin: unknown command \"%s\"\n", o->cmd);
    usage(stderr);
    rc = EXIT_USAGE;
  }
  free(o);
  return rc;
}
