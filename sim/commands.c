/* commands: run, compare, sweep and check (see commands.h). */
#include "commands.h"

#include <inttypes.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef LOCKIN_MPI
#include <mpi.h>
#endif

#include "market.h"
#include "montecarlo.h"
#include "output.h"
#include "report.h"
#include "scenario.h"
#include "signals.h"
#include "stats.h"
#include "sweep.h"

#define MIN_BATCH 10 /* replications per batch with --precision, at least */

/* GSL's handler has no user pointer, so a GSL error is recorded here and
 * turned into exit status 1 with nothing written. */
static atomic_int gsl_failed;

static void on_gsl_error(const char *reason, const char *file, int line, int gsl_errno)
{
  fprintf(stderr, "lockin: GSL error %d at %s:%d: %s\n", gsl_errno, file, line, reason);
  atomic_store(&gsl_failed, 1);
}

void commands_init(void)
{
  gsl_set_error_handler(on_gsl_error);
  atomic_store(&gsl_failed, 0);
  signals_install();
  signals_reset();
}

/* Load file (NULL: the built-in default) with the command line's
 * overrides; a malloc'd scenario, or NULL with *rc set. */
/* The scenario of `file`, whose text is `text` when it has been read
 * already (a pipe can be read once), NULL to read it here. */
static scenario *load_from(const options *o, const char *file, const char *text, char **resolved,
                           int *rc)
{
  scenario *s = malloc(sizeof *s);
  scn_errors *err = malloc(sizeof *err);
  if (!s || !err) {
    free(s);
    free(err);
    *rc = EXIT_FAIL;
    return NULL;
  }
  scn_overrides ov = {.sets = o->sets,
                      .n_sets = o->n_sets,
                      .replications = o->max_r,
                      .has_seed = (o->given & OPT_S) != 0,
                      .seed = o->seed};
  *rc = text ? scenario_load_string(text, file, &ov, s, resolved, err)
             : scenario_load(file, &ov, s, resolved, err);
  if (*rc != 0) {
    scn_errors_print(err, stderr);
    free(s);
    s = NULL;
  } else if (!o->quiet || !strcmp(o->cmd, "check")) {
    scn_warnings_print(err, stderr);
  }
  free(err);
  return s;
}

static scenario *load(const options *o, const char *file, char **resolved, int *rc)
{
  return load_from(o, file, NULL, resolved, rc);
}

/* The resolved text again with `replications` set to what ran (after
 * --precision), so the folder's scenario.cfg reproduces its results.
 * Replaces *resolved; 0, or -1 (out of memory). */
static int record_replications(char **resolved, size_t R)
{
  char set[64];
  snprintf(set, sizeof set, "replications=%zu", R);
  const char *sets[1] = {set};
  scn_overrides ov = {.sets = sets, .n_sets = 1};
  scenario *s = malloc(sizeof *s);
  scn_errors *err = malloc(sizeof *err);
  char *again = NULL;
  int rc = s && err ? scenario_load_string(*resolved, "scenario.cfg", &ov, s, &again, err) : 1;
  free(s);
  free(err);
  if (rc != 0) {
    free(again);
    fprintf(stderr, "lockin: could not record the replications run in scenario.cfg\n");
    return -1;
  }
  free(*resolved);
  *resolved = again;
  return 0;
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

static int show_progress(const options *o)
{
  return !o->quiet && isatty(STDERR_FILENO);
}

/* Metric index for --precision, or -1 with a message. */
static long precision_metric(const options *o, const mc_results *res)
{
  long m = mc_metric_index(res, o->precision_metric);
  const char *v = o->precision_metric;
  if (m < 0 && (!strcmp(v, "replication") || !strcmp(v, "seed")))
    fprintf(stderr, "lockin: --precision: %s names a replication, it is not an outcome\n", v);
  else if (m < 0 && (!strcmp(v, "tip_step") || !strncmp(v, "launch_step.", 12)))
    fprintf(stderr,
            "lockin: --precision: %s is the step of an event, -1 when it never happens, so "
            "its mean has no precision to reach; take an outcome such as hub_share.%s\n",
            v, res->s->hubs[res->s->focal_hub].name);
  else if (m < 0)
    fprintf(stderr,
            "lockin: --precision: no metric named \"%s\" (see the columns of "
            "runs.csv, e.g. hub_share.%s or vendor_hhi)\n",
            o->precision_metric, res->s->hubs[res->s->focal_hub].name);
  return m;
}

static size_t batch_size(int threads)
{
  return (size_t)threads * 2 > MIN_BATCH ? (size_t)threads * 2 : MIN_BATCH;
}

/* ------------------------------------------------------------------- run */

/* The files of a run, all or none; a timeseries.csv left by an earlier
 * run with --timeseries goes when this run has none. */
static int publish_run(const char *dir, const mc_results *res, const char *resolved, int timeseries)
{
  out_batch *b = malloc(sizeof *b);
  if (!b)
    return -1;
  out_batch_init(b, dir);
  out_write_summary(b, res);
  out_write_runs(b, res);
  if (timeseries)
    out_write_timeseries(b, res);
  out_write_text(b, "scenario.cfg", resolved);
  int rc = out_batch_publish(b);
  free(b);
  if (rc == 0 && !timeseries) {
    char stale[4200];
    snprintf(stale, sizeof stale, "%s/timeseries.csv", dir);
    unlink(stale);
  }
  return rc;
}

static int publish_compare(const char *dir, const mc_results *a, const mc_results *b,
                           const char *ra, const char *rb)
{
  out_batch *batch = malloc(sizeof *batch);
  if (!batch)
    return -1;
  out_batch_init(batch, dir);
  out_write_compare(batch, a, b);
  out_write_text(batch, "scenario_a.cfg", ra);
  out_write_text(batch, "scenario_b.cfg", rb);
  int rc = out_batch_publish(batch);
  free(batch);
  return rc;
}

/* Exit status and message after a signal asked to stop. */
static void replication_failed(void)
{
  fprintf(stderr, "lockin: a replication failed (out of memory, a graph that could not be built, "
                  "or a figure that overflowed); nothing written\n");
}

static int interrupted(const char *what)
{
  int sig = signals_caught();
  fprintf(stderr, "lockin: stopped by signal %d; %s\n", sig, what);
  return 128 + sig;
}

static int ok_so_far(void)
{
  return !atomic_load(&gsl_failed);
}

int command_run(const options *o)
{
  char *resolved = NULL, dir[4096];
  int rc;
  scenario *s = load(o, o->file[0], &resolved, &rc);
  if (!s)
    return rc;
  mc_results *res = NULL;
  rc = EXIT_FAIL;
  mc_memory_plan plan;
  mc_memory_plan_run(s, NULL, (size_t)s->replications, threads_wanted(o), &plan);
  if (mc_memory_check(plan.total, "this run") != 0)
    goto done;
  res = mc_results_alloc(s, (size_t)s->replications);
  if (!res) {
    fprintf(stderr, "lockin: out of memory for %ld replications x %ld steps of results\n",
            s->replications, s->steps);
    goto done;
  }
  long pm = o->precision_metric ? precision_metric(o, res) : 0;
  if (pm < 0) {
    rc = EXIT_USAGE;
    goto done;
  }
  int th = threads_wanted(o);
  mc_progress prog;
  mc_progress_init(&prog, show_progress(o), res->cap, s->name);
  double t0 = mc_now();
  int bad = o->precision_metric
                ? mc_until_precise(res, (size_t)pm, o->precision, batch_size(th), th, &prog)
                : mc_replicate(res, 0, res->cap, th, &prog);
  mc_progress_done(&prog);
  double secs = mc_now() - t0;
  if (bad > 0 || signals_caught()) {
    rc = interrupted("nothing written");
    goto done;
  }
  if (bad) {
    replication_failed();
    goto done;
  }
  if (!ok_so_far())
    goto done;
  if (snprintf(dir, sizeof dir, "%s/%s", o->outdir, s->name) >= (int)sizeof dir) {
    fprintf(stderr, "lockin: %s: path too long\n", o->outdir);
    goto done;
  }
  if (o->precision_metric && record_replications(&resolved, res->R) != 0)
    goto done;
  if (out_mkdirs(dir) != 0 || publish_run(dir, res, resolved, o->timeseries) != 0)
    goto done;
  if (!o->quiet) {
    report_run(stdout, res, secs);
    if (o->precision_metric) {
      double *x = malloc(res->R * sizeof *x);
      if (x) {
        mc_final(res, (size_t)pm, x);
        double h =
            stats_halfwidth(res->R > 1 ? stats_sd(x, res->R, stats_mean(x, res->R)) : 0, res->R);
        printf("precision: %s half-width %.4g %s %g after %zu replications%s\n",
               o->precision_metric, h, h <= o->precision ? "<=" : ">", o->precision, res->R,
               h <= o->precision ? "" : " (the -r limit)");
        free(x);
      }
    }
    printf("results in %s/\n", dir);
  }
  rc = 0;
done:
  mc_results_free(res);
  free(resolved);
  free(s);
  return rc;
}

/* --------------------------------------------------------------- compare */

/* Same vendors and hubs, by name and order: the metrics line up. */
static int same_metrics(const scenario *a, const scenario *b)
{
  if (a->n_vendors != b->n_vendors || a->n_hubs != b->n_hubs)
    return 0;
  for (size_t j = 0; j < a->n_vendors; j++)
    if (strcmp(a->vendors[j].name, b->vendors[j].name))
      return 0;
  for (size_t k = 0; k < a->n_hubs; k++)
    if (strcmp(a->hubs[k].name, b->hubs[k].name))
      return 0;
  return 1;
}

/* Scenario B of compare, checked against A (same vendors, hubs and steps)
 * and on A's seed and replications (loaded again with them when they
 * differ, so that scenario_b.cfg is what runs); NULL with *rc set. */
static scenario *load_b(const options *o, const scenario *a, char **rb, int *rc)
{
  scenario *b = load(o, o->file[1], rb, rc);
  if (!b)
    return NULL;
  char why[160] = "";
  if (!same_metrics(a, b))
    snprintf(why, sizeof why,
             "must list the same vendors and hubs in the same order, so that "
             "their metrics line up");
  else if (a->steps != b->steps)
    snprintf(why, sizeof why, "must have the same number of steps (%ld and %ld)", a->steps,
             b->steps);
  if (why[0]) {
    fprintf(stderr, "lockin: compare: %s and %s %s\n", o->file[0], o->file[1], why);
    *rc = EXIT_USAGE;
    free(b);
    return NULL;
  }
  if (b->seed == a->seed && b->replications == a->replications)
    return b;
  /* Common random numbers need one seed and one replication count. */
  if (!o->quiet)
    fprintf(stderr, "lockin: compare: using %s's seed %" PRIu64 " and %ld replications for both\n",
            o->file[0], a->seed, a->replications);
  /* Again from B's resolved text, not its file: a pipe is read once. */
  free(b);
  char *text = *rb;
  *rb = NULL;
  options ob = {
      .cmd = o->cmd, .quiet = 1, .max_r = a->replications, .seed = a->seed, .given = OPT_S};
  b = load_from(&ob, o->file[1], text, rb, rc);
  free(text);
  return b;
}

int command_compare(const options *o)
{
  if (o->n_files != 2) {
    fprintf(stderr, "lockin: compare needs two scenario files: lockin compare A B [options]\n");
    return EXIT_USAGE;
  }
  char *ra = NULL, *rb = NULL, dir[4096];
  int rc;
  scenario *a = load(o, o->file[0], &ra, &rc), *b = NULL;
  mc_results *resa = NULL, *resb = NULL;
  if (!a || !(b = load_b(o, a, &rb, &rc)))
    goto done;
  rc = EXIT_FAIL;
  mc_memory_plan plan;
  mc_memory_plan_run(a, b, (size_t)a->replications, threads_wanted(o), &plan);
  if (mc_memory_check(plan.total, "this comparison") != 0)
    goto done;
  resa = mc_results_alloc(a, (size_t)a->replications);
  resb = mc_results_alloc(b, (size_t)a->replications);
  if (!resa || !resb) {
    fprintf(stderr, "lockin: out of memory for the results\n");
    goto done;
  }
  long pm = o->precision_metric ? precision_metric(o, resa) : 0;
  if (pm < 0) {
    rc = EXIT_USAGE;
    goto done;
  }
  int th = threads_wanted(o);
  char label[80];
  snprintf(label, sizeof label, "%s vs %s", a->name, b->name);
  mc_progress prog;
  mc_progress_init(&prog, show_progress(o), 2 * resa->cap, label);
  double t0 = mc_now();
  int bad = o->precision_metric ? mc_compare_until_precise(resa, resb, (size_t)pm, o->precision,
                                                           batch_size(th), th, &prog)
                                : (mc_replicate(resa, 0, resa->cap, th, &prog) ||
                                   mc_replicate(resb, 0, resb->cap, th, &prog));
  mc_progress_done(&prog);
  if (bad || !ok_so_far()) {
    replication_failed();
    goto done;
  }
  double secs = mc_now() - t0;
  if (snprintf(dir, sizeof dir, "%s/%s_vs_%s", o->outdir, a->name, b->name) >= (int)sizeof dir) {
    fprintf(stderr, "lockin: %s: path too long\n", o->outdir);
    goto done;
  }
  if (o->precision_metric &&
      (record_replications(&ra, resa->R) != 0 || record_replications(&rb, resb->R) != 0))
    goto done;
  if (out_mkdirs(dir) != 0 || publish_compare(dir, resa, resb, ra, rb) != 0)
    goto done;
  if (!o->quiet) {
    report_compare(stdout, resa, resb, secs);
    if (o->precision_metric)
      printf("precision: %s, B - A, after %zu replications of each\n", o->precision_metric,
             resa->R);
    printf("results in %s/compare.csv\n", dir);
  }
  rc = 0;
done:
  mc_results_free(resa);
  mc_results_free(resb);
  free(ra);
  free(rb);
  free(a);
  free(b);
  return rc;
}

/* ----------------------------------------------------------------- sweep */

/* A sweep from its file's text (read once). */
static int sweep_from(const options *o, const char *file, const char *text, int check)
{
  sweep *w = malloc(sizeof *w);
  scn_errors *err = malloc(sizeof *err);
  int rc = EXIT_FAIL;
  if (!w || !err)
    goto done;
  /* -r and -s belong to the sweep file's replications and seed: the
   * overrides passed to every point are the --set ones only. */
  scn_overrides cli = {.sets = o->sets, .n_sets = o->n_sets};
  rc = sweep_load_text(text, file, w, err);
  if (rc) {
    scn_errors_print(err, stderr);
    goto done;
  }
  if (o->max_r > 0)
    w->replications = o->max_r;
  if (o->given & OPT_S)
    w->seed = o->seed;
  int size = 1;
#ifdef LOCKIN_MPI
  MPI_Comm_size(MPI_COMM_WORLD, &size);
#endif
  sweep_options so = {.threads = size > 1 && o->threads == 0 ? 1 : threads_wanted(o),
                      .resume = o->resume,
                      .quiet = o->quiet,
                      .progress = show_progress(o),
                      .timeseries = o->timeseries,
                      .shard_k = o->shard_k,
                      .shard_n = o->shard_n,
                      .outdir = o->outdir,
                      .cli = &cli};
  rc = check ? sweep_check(w, &so) : sweep_run(w, &so);
done:
  if (w)
    sweep_free(w);
  free(w);
  free(err);
  return rc;
}

/* ----------------------------------------------------------------- check */

/* Read a file's text once (NULL with the problem printed). */
static char *read_once(const char *file)
{
  scn_errors *err = malloc(sizeof *err);
  if (!err)
    return NULL;
  err->count = 0;
  char *text = scenario_read_text(file, err);
  if (!text)
    scn_errors_print(err, stderr);
  free(err);
  return text;
}

int command_sweep(const options *o, int check)
{
  if (o->n_files != 1) {
    fprintf(stderr, "lockin: sweep takes one sweep file\n");
    return EXIT_USAGE;
  }
  char *text = read_once(o->file[0]);
  if (!text)
    return EXIT_USAGE;
  int rc = sweep_from(o, o->file[0], text, check);
  free(text);
  return rc;
}

/* check of one scenario, from its text. */
static int check_scenario(const options *o, const char *file, const char *text)
{
  int rc;
  scenario *s = load_from(o, file, text, NULL, &rc);
  if (!s)
    return rc;
  metric_layout l;
  metric_layout_init(&l, s);
  int th = threads_wanted(o);
  long R = s->replications;
  printf("scenario %s (%s): %s\n", s->name, file, s->description);
  printf("  %ld replications x %ld steps (%ld per year), seed %" PRIu64 "\n", R, s->steps,
         s->steps_per_year, s->seed);
  printf("  %ld developers (%ld active at start), %zu segments, network %s", s->developers,
         s->initial_active, s->n_segments, scenario_net_name(s->network));
  if (s->network != NET_MEAN_FIELD)
    printf(" (degree %ld)", s->degree);
  printf("\n  %zu vendors, %zu hubs (focal %s), %zu events, %zu metrics per step\n", s->n_vendors,
         s->n_hubs, s->hubs[s->focal_hub].name, s->n_events, l.n);
  const char *source;
  mc_memory_plan plan;
  mc_memory_plan_run(s, NULL, (size_t)R, th, &plan);
  double have = mc_memory_available(&source);
  printf("  estimated memory: %.1f MiB (%.1f MiB per replication workspace x %d, "
         "%.1f MiB of results); %.1f MiB available (%s): %s\n",
         plan.total / 1048576.0, plan.workspace / 1048576.0, plan.workers, plan.results / 1048576.0,
         have / 1048576.0, source, plan.total <= have ? "fits" : "DOES NOT FIT, run would refuse");
  printf("  output: %s/%s/\n", o->outdir, s->name);
  free(s);
  return 0;
}

int command_check(const options *o)
{
  if (o->n_files == 0) {
    fprintf(stderr, "lockin: check needs a scenario or sweep file\n");
    return EXIT_USAGE;
  }
  /* Every file, each read once; the status is the worst of theirs. */
  int worst = 0;
  for (size_t f = 0; f < o->n_files; f++) {
    char *text = read_once(o->file[f]);
    int rc = !text                       ? EXIT_USAGE
             : sweep_is_sweep_text(text) ? sweep_from(o, o->file[f], text, 1)
                                         : check_scenario(o, o->file[f], text);
    free(text);
    worst = rc > worst ? rc : worst;
  }
  return worst;
}
