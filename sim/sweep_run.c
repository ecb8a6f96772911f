/* sweep_run: checking every point, then running the runs of a sweep on
 * threads or MPI processes, each journaled as it finishes (the journal and
 * the files are sweep_files.c). */
#include "sweep.h"

#include <inttypes.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef LOCKIN_MPI
#include <mpi.h>
#endif

#include "montecarlo.h"
#include "output.h"
#include "rng.h"
#include "signals.h"
#include "schema.h"
#include "stats.h"
#include "sweep_table.h"

#define MAX_ERRORS_SHOWN 20
#define TAG_READY        1
#define TAG_RESULT       2
#define TAG_TASK         3
#define TAG_STOP         4
#define TAG_SERIES       5

/* FNV-1a over n bytes: the sweep's fingerprint hashes every point's
 * scenario as loaded (its packed bytes: numbers, names, no pointers), so a
 * journal or a shard from another sweep, or from a lockin whose scenario
 * differs, is told apart. */
static uint64_t fnv1a(uint64_t h, const unsigned char *b, size_t n)
{
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 0x100000001b3ull;
  return h;
}

/* ------------------------------------------------------------ validation */

/* The design and the parameters' ranges, for analyze (sweep_meta.txt's
 * last lines); NULL when out of memory. */
static char *design_text(const sweep *w)
{
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m)
    return NULL;
  fprintf(m, "design %s levels %ld\n", sweep_design_name(w->design), w->levels);
  for (size_t i = 0; i < w->n_params; i++) {
    const sweep_param *pr = &w->params[i];
    char lo[40], hi[40];
    out_double(lo, sizeof lo, pr->is_range ? pr->min : 0.0);
    out_double(hi, sizeof hi, pr->is_range ? pr->max : (double)pr->n_values);
    fprintf(m, "parameter %s %s %s %s %s\n", pr->path, pr->is_range ? "range" : "values", lo, hi,
            pr->is_log ? "log" : "linear");
  }
  fclose(m);
  return text;
}

/* The table's copies of the sweep file, its scenario (the built-in one's
 * text when it names none) and the command line's overrides. */
static int inputs(const sweep *w, const sweep_options *o, sweep_table *t)
{
  t->input[0] = strdup(w->text ? w->text : "");
  t->input[1] = strdup(w->scenario_text ? w->scenario_text : schema_default_text);
  size_t len;
  FILE *m = open_memstream(&t->input[2], &len);
  if (!m)
    return -1;
  fprintf(m,
          "# lockin sweep: the seed and replications it ran with and the command line's\n"
          "# --set overrides (applied to every point before its values and policy)\n"
          "seed = %" PRIu64 "\nreplications = %ld\n",
          w->seed, w->replications);
  for (size_t i = 0; o->cli && i < o->cli->n_sets; i++)
    fprintf(m, "--set %s\n", o->cli->sets[i]);
  fclose(m);
  return t->input[0] && t->input[1] && t->input[2] ? 0 : -1;
}

/* The problems of the points, each shown once: the same problem at
 * another point (the message but for ", point N") is counted, not shown. */
typedef struct {
  char seen[MAX_ERRORS_SHOWN][320];
  size_t shown, repeats;
} point_errors;

static void point_error(point_errors *pe, const char *msg)
{
  char key[320];
  snprintf(key, sizeof key, "%s", msg);
  char *at = strstr(key, ", point ");
  if (at) {
    char *end = at + 8;
    while (*end >= '0' && *end <= '9')
      end++;
    memmove(at, end, strlen(end) + 1);
  }
  for (size_t k = 0; k < pe->shown && k < MAX_ERRORS_SHOWN; k++)
    if (!strcmp(pe->seen[k], key)) {
      pe->repeats++;
      return;
    }
  if (pe->shown < MAX_ERRORS_SHOWN) {
    memcpy(pe->seen[pe->shown], key, sizeof key);
    fprintf(stderr, "%s\n", msg);
  }
  pe->shown++;
}

/* Check every point, fill the table's names and cells and fingerprint.
 * Prints the problems; returns the exit status. */
/* Bytes of packed scenarios a sweep keeps from its check for its runs;
 * points past it are loaded again when they run. */
#define PACKED_BUDGET (128u << 20)

static int check_points(const sweep *w, const sweep_options *o, sweep_table *t, int loud)
{
  scenario *s = malloc(sizeof *s), *first = malloc(sizeof *first);
  scn_errors *err = malloc(sizeof *err);
  point_errors *pe = calloc(1, sizeof *pe);
  unsigned char **packed = calloc(w->n_points * w->n_policies, sizeof *packed);
  size_t packed_bytes = 0;
  int rc = 0;
  if (!s || !first || !err || !pe || !packed) {
    rc = 1;
    goto done;
  }
  uint64_t h = 0xcbf29ce484222325ull;
  double work_max = 0;
  size_t Q = w->n_policies;
  for (size_t x = 0; x < w->n_points * Q; x++) {
    size_t p = x / Q, q = x % Q;
    if (signals_caught()) { /* thousands of points take a while */
      if (loud)
        fprintf(stderr, "lockin: stopped by signal %d while checking the points; nothing written\n",
                signals_caught());
      rc = 128 + signals_caught();
      break;
    }
    int bad = sweep_point_scenario(w, p, q, o->cli, x ? s : first, NULL, err);
    if (bad) {
      size_t kept = err->count < SCN_MAX_ERRORS ? err->count : SCN_MAX_ERRORS;
      for (size_t e = 0; e < kept && loud; e++)
        point_error(pe, err->msg[e]);
      rc = bad;
    } else if (x > 0 && o->timeseries && s->steps != first->steps) {
      if (loud && pe->shown++ < MAX_ERRORS_SHOWN)
        fprintf(stderr,
                "%s: sweep: point %zu has %ld steps and point 0 %ld; --timeseries needs the "
                "same steps at every point\n",
                w->file, p, s->steps, first->steps);
      rc = 2;
    } else if (x > 0 && (s->n_vendors != first->n_vendors || s->n_hubs != first->n_hubs)) {
      if (loud && pe->shown++ < MAX_ERRORS_SHOWN)
        fprintf(stderr,
                "%s: sweep: point %zu (policy %s) has other vendors or hubs than point 0; "
                "every point must have the same, so that the metrics line up\n",
                w->file, p, w->policies[q].name);
      rc = 2;
    } else {
      /* Warnings of the first point, once: the same settings are in every
       * point unless a swept parameter or a policy changes them. */
      if (x == 0 && loud && !o->quiet)
        scn_warnings_print(err, stderr);
      double wb = mc_workspace_bytes(x ? s : first);
      work_max = wb > work_max ? wb : work_max;
      /* Packed for the fingerprint, and kept for the run within budget. */
      size_t size = scenario_packed_size(x ? s : first);
      unsigned char *buf = malloc(size);
      if (!buf) {
        rc = 1;
        break;
      }
      scenario_pack(x ? s : first, buf);
      h = fnv1a(h, buf, size);
      if (packed_bytes + size <= PACKED_BUDGET) {
        packed[x] = buf;
        packed_bytes += size;
      } else {
        free(buf);
      }
    }
  }
  if (loud && pe->shown > MAX_ERRORS_SHOWN)
    fprintf(stderr, "(%zu more problems not shown)\n", pe->shown - MAX_ERRORS_SHOWN);
  if (loud && pe->repeats)
    fprintf(stderr, "(the problem%s above at other points: %zu more, not repeated)\n",
            pe->shown > 1 ? "s" : "", pe->repeats);
  if (rc)
    goto done;
  metric_layout l;
  metric_layout_init(&l, first);
  if (sweep_table_alloc(t, w->n_points, Q, (size_t)w->replications, l.n, 1 + first->n_hubs,
                        w->n_params) != 0) {
    fprintf(stderr, "lockin: out of memory for %zu points x %ld replications\n", w->n_points,
            w->replications);
    rc = 1;
    goto done;
  }
  for (size_t m = 0; m < l.n; m++)
    metric_name(first, &l, m, t->metric[m], sizeof t->metric[m]);
  snprintf(t->intname[0], sizeof t->intname[0], "tip_step");
  for (size_t k = 0; k < first->n_hubs; k++)
    snprintf(t->intname[1 + k], sizeof t->intname[0], "launch_step.%s", first->hubs[k].name);
  for (size_t i = 0; i < w->n_params; i++)
    snprintf(t->param[i], sizeof t->param[i], "%s", w->params[i].path);
  for (size_t q = 0; q < Q; q++)
    memcpy(t->policy[q], w->policies[q].name, sizeof t->policy[q]);
  memcpy(t->cell, w->cell, w->n_points * w->n_params * sizeof *t->cell);
  t->fingerprint = h;
  t->work_max = work_max;
  t->packed = packed;
  t->packed_bytes = packed_bytes;
  packed = NULL;
  t->T = (size_t)first->steps;
  t->design_text = design_text(w);
  if (!t->design_text || inputs(w, o, t) != 0) {
    rc = 1;
    goto done;
  }
done:
  free(s);
  free(first);
  free(err);
  free(pe);
  for (size_t x = 0; packed && x < w->n_points * w->n_policies; x++)
    free(packed[x]);
  free(packed);
  return rc;
}

/* ------------------------------------------------------------------ runs */

/* One worker's state: the scenario and workspace of its current point and
 * policy (cell = p * Q + q). */
typedef struct {
  scenario *s;
  market *m;
  double *out;
  size_t cell;
  int threads;
} worker;

static void worker_free(worker *k)
{
  market_free(k->m);
  free(k->s);
  free(k->out);
  memset(k, 0, sizeof *k);
}

/* Run idx = (p * Q + q) * R + r into the table; 0, 1 if a signal asked to
 * stop, or -1. */
static int run_one(const sweep *w, const sweep_options *o, worker *k, sweep_table *t, size_t idx)
{
  size_t r = idx % t->R, cell = idx / t->R, p = cell / t->Q, q = cell % t->Q;
  if (!k->m || k->cell != cell) {
    worker_free(k);
    k->s = malloc(sizeof *k->s);
    scn_errors *err = malloc(sizeof *err);
    int bad = !k->s || !err;
    if (!bad && t->packed && t->packed[cell])
      scenario_unpack(t->packed[cell], k->s); /* as checked: no second load */
    else if (!bad)
      bad = sweep_point_scenario(w, p, q, o->cli, k->s, NULL, err) != 0;
    free(err);
    if (bad)
      return -1;
    metric_layout l;
    metric_layout_init(&l, k->s);
    k->m = market_alloc(k->s, k->threads);
    k->out = malloc((size_t)k->s->steps * l.n * sizeof *k->out);
    if (!k->m || !k->out)
      return -1;
    k->cell = cell;
  }
  market_outcome oc;
  uint64_t key = rng_replication_seed((uint64_t)w->seed, r);
  int rc = market_run(k->m, key, k->out, &oc);
  if (rc != 0)
    return rc;
  memcpy(t->values + idx * t->M, k->out + (size_t)(k->s->steps - 1) * t->M, t->M * sizeof(double));
  long *ints = t->ints + idx * t->n_int;
  ints[0] = oc.tip;
  for (size_t h = 1; h < t->n_int; h++)
    ints[h] = oc.launch[h - 1];
  return 0;
}

/* Runs of this process, OpenMP over (point, replication) in order. */
static int run_local(const sweep *w, const sweep_options *o, sweep_table *t, const size_t *task,
                     size_t n_task, FILE *journal, sweep_series *series, mc_progress *prog)
{
  int failed = 0;
  int th = o->threads > 0 ? o->threads : 1;
#pragma omp parallel num_threads(th)
  {
    worker k = {NULL, NULL, NULL, 0, 1};
#pragma omp for schedule(dynamic, 1)
    for (size_t x = 0; x < n_task; x++) {
      int stop;
#pragma omp atomic read
      stop = failed;
      if (stop)
        continue;
      size_t p = task[x] / t->R / t->Q;
      int rc = run_one(w, o, &k, t, task[x]);
      if (rc != 0) { /* 1: a signal asked to stop; -1: failed */
#pragma omp atomic write
        failed = rc;
        continue;
      }
      int bad_series = 0;
#pragma omp critical(lockin_journal)
      {
        t->have[task[x]] = 1;
        sweep_journal_write(journal, t, task[x]);
        if (series)
          bad_series = sweep_series_add(series, task[x], k.out) != 0;
        prog->points_done += (size_t)sweep_point_complete(t, p);
      }
      if (bad_series) {
#pragma omp atomic write
        failed = -1;
      }
      mc_progress_step(prog);
    }
    worker_free(&k);
  }
  return failed;
}

#ifdef LOCKIN_MPI
/* Rank 0 hands out runs one at a time (dynamic scheduling, so uneven run
 * times balance) and writes everything; the other ranks compute.  A result
 * message is (run index, 0, status, whole-number columns, M metrics) as
 * doubles, all exact. */
static int run_master(sweep_table *t, const size_t *task, size_t n_task, FILE *journal,
                      sweep_series *series, mc_progress *prog, int size)
{
  size_t next = 0, M = t->M, I = t->n_int, V = series ? sweep_series_values(series) : 0;
  int active = size - 1, failed = 0;
  double *msg = malloc((3 + I + M) * sizeof *msg), *values = malloc((V + 1) * sizeof *values);
  if (!msg || !values) {
    free(msg);
    free(values);
    return -1;
  }
  while (active > 0) {
    MPI_Status st;
    MPI_Recv(msg, (int)(3 + I + M), MPI_DOUBLE, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    if (st.MPI_TAG == TAG_RESULT && V > 0) /* then the run's steps */
      MPI_Recv(values, (int)V, MPI_DOUBLE, st.MPI_SOURCE, TAG_SERIES, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
    if (st.MPI_TAG == TAG_RESULT) {
      if (msg[2] != 0) {
        failed = 1; /* the worker could not run it */
      } else {
        size_t k = (size_t)msg[0], p = k / t->R / t->Q;
        for (size_t i = 0; i < I; i++)
          t->ints[k * I + i] = (long)msg[3 + i];
        memcpy(t->values + k * M, msg + 3 + I, M * sizeof *msg);
        t->have[k] = 1;
        sweep_journal_write(journal, t, k);
        if (series && sweep_series_add(series, k, values) != 0)
          failed = 1;
        prog->points_done += (size_t)sweep_point_complete(t, p);
        mc_progress_step(prog);
      }
    }
    if (next < n_task && !failed) {
      unsigned long long job = task[next++];
      MPI_Send(&job, 1, MPI_UNSIGNED_LONG_LONG, st.MPI_SOURCE, TAG_TASK, MPI_COMM_WORLD);
    } else {
      unsigned long long none = 0;
      MPI_Send(&none, 1, MPI_UNSIGNED_LONG_LONG, st.MPI_SOURCE, TAG_STOP, MPI_COMM_WORLD);
      active--;
    }
  }
  free(msg);
  free(values);
  return failed ? -1 : 0;
}

static void run_worker(const sweep *w, const sweep_options *o, sweep_table *t)
{
  size_t M = t->M, I = t->n_int;
  double *msg = malloc((3 + I + M) * sizeof *msg);
  if (!msg)
    MPI_Abort(MPI_COMM_WORLD, 1);
  worker k = {NULL, NULL, NULL, 0, o->threads > 0 ? o->threads : 1};
  MPI_Send(msg, 0, MPI_DOUBLE, 0, TAG_READY, MPI_COMM_WORLD);
  for (;;) {
    unsigned long long job;
    MPI_Status st;
    MPI_Recv(&job, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    if (st.MPI_TAG == TAG_STOP)
      break;
    msg[0] = (double)job;
    msg[1] = 0;
    msg[2] = run_one(w, o, &k, t, (size_t)job) != 0; /* 1: failure */
    for (size_t i = 0; i < I; i++)
      msg[3 + i] = (double)t->ints[job * I + i];
    memcpy(msg + 3 + I, t->values + job * M, M * sizeof *msg);
    MPI_Send(msg, (int)(3 + I + M), MPI_DOUBLE, 0, TAG_RESULT, MPI_COMM_WORLD);
    if (o->timeseries) /* the run's steps (zeros after a failure) */
      MPI_Send(k.out ? k.out : msg, k.out ? (int)((size_t)k.s->steps * M) : 0, MPI_DOUBLE, 0,
               TAG_SERIES, MPI_COMM_WORLD);
  }
  worker_free(&k);
  free(msg);
}
#endif

static int mpi_rank_size(int *size)
{
  *size = 1;
#ifdef LOCKIN_MPI
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, size);
  return rank;
#else
  return 0;
#endif
}

static int out_dir(const sweep *w, const sweep_options *o, char *dir, size_t n)
{
  int len = o->shard_n > 1 ? snprintf(dir, n, "%s/%s/shard-%zu-of-%zu", o->outdir, w->name,
                                      o->shard_k, o->shard_n)
                           : snprintf(dir, n, "%s/%s", o->outdir, w->name);
  if (len < 0 || (size_t)len >= n) {
    fprintf(stderr, "lockin: %s: path too long\n", o->outdir);
    return -1;
  }
  return 0;
}

/* The runs this process must do: this shard's points, every run the
 * journal lacks, and with series every run of a cell its journal lacks (the
 * steps of those runs were not kept).  Returns the shard's points. */
static size_t list_tasks(const sweep_table *t, const sweep_options *o, const sweep_series *series,
                         size_t *task, size_t *n_task)
{
  size_t points_here = 0;
  *n_task = 0;
  for (size_t p = 0; p < t->P; p++) {
    if (p % o->shard_n != o->shard_k - 1)
      continue;
    points_here++;
    for (size_t k = sweep_index(t, p, 0, 0); k < sweep_index(t, p + 1, 0, 0); k++)
      if (!t->have[k] || (series && !sweep_series_cell_done(series, k / t->R)))
        task[(*n_task)++] = k;
  }
  return points_here;
}

/* A sweep's memory: a workspace per thread, every run's final values, the
 * packed scenarios kept from the check, and with --timeseries the steps of
 * the open cells (about one per thread, and one more). */
static void sweep_memory_plan(const sweep_table *t, const sweep_options *o, mc_memory_plan *p)
{
  int th = o->threads > 0 ? o->threads : 1;
  double runs = (double)(t->P * t->Q * t->R);
  if (runs < th)
    th = (int)runs; /* workspaces are per run that runs at once */
  double series =
      o->timeseries ? (double)(th + 1) * (double)t->R * (double)t->T * (double)t->M * sizeof(double)
                    : 0.0;
  mc_memory_estimate(t->work_max, th, runs, (double)(t->M + t->n_int) * sizeof(double) + 1.0,
                     series + (double)t->packed_bytes, p); /* and the kept scenarios */
}

int sweep_run(const sweep *w, const sweep_options *o)
{
  int size, rank = mpi_rank_size(&size);
  sweep_table t = {0};
  int rc = check_points(w, o, &t, rank == 0);
  if (rc)
    return rc;
  t.shard_k = o->shard_k;
  t.shard_n = o->shard_n;
  rc = 1;
  mc_memory_plan plan;
  sweep_memory_plan(&t, o, &plan);
  if (mc_memory_check(plan.total, "this sweep") != 0) {
    sweep_table_free(&t);
    return 1;
  }
#ifdef LOCKIN_MPI
  if (rank != 0) {
    run_worker(w, o, &t);
    sweep_table_free(&t);
    return 0;
  }
#endif
  char dir[4096], path[4200];
  FILE *journal = NULL;
  sweep_series *series = NULL;
  size_t *task = malloc(t.P * t.Q * t.R * sizeof *task + 1), n_task = 0, held = 0;
  double t0 = mc_now();
  if (!task || out_dir(w, o, dir, sizeof dir) != 0 || out_mkdirs(dir) != 0)
    goto done;
  snprintf(path, sizeof path, "%s/journal.csv", dir);
  journal = sweep_journal_open(path, &t, o->resume, &held);
  if (!journal) {
    rc = 2;
    goto done;
  }
  if (o->timeseries && !(series = sweep_series_open(dir, &t, t.T, o->resume))) {
    rc = 2;
    goto done;
  }
  size_t points_here = list_tasks(&t, o, series, task, &n_task);
  mc_progress prog;
  mc_progress_init(&prog, o->progress, n_task, w->name);
  prog.points_total = points_here;
  for (size_t p = 0; p < t.P; p++)
    prog.points_done += (size_t)(p % o->shard_n == o->shard_k - 1 && sweep_point_complete(&t, p));
  int bad;
#ifdef LOCKIN_MPI
  bad = size > 1 ? run_master(&t, task, n_task, journal, series, &prog, size)
                 : run_local(w, o, &t, task, n_task, journal, series, &prog);
#else
  bad = run_local(w, o, &t, task, n_task, journal, series, &prog);
#endif
  mc_progress_done(&prog);
  if (bad > 0 || signals_caught()) {
    size_t done_now = 0;
    for (size_t x = 0; x < n_task; x++)
      done_now += t.have[task[x]];
    fprintf(stderr, "lockin: stopped by signal %d; journal.csv holds %zu runs, --resume goes on\n",
            signals_caught(), held + done_now);
    rc = 128 + signals_caught();
    goto done;
  }
  if (bad) {
    fprintf(stderr, "lockin: a run failed (out of memory, a graph that could not be built, or a "
                    "figure that overflowed); journal.csv keeps the runs done\n");
    goto done;
  }
  if (fclose(journal) != 0) {
    journal = NULL;
    fprintf(stderr, "lockin: %s: write failed\n", path);
    goto done;
  }
  journal = NULL;
  if (sweep_write_files(dir, &t, series ? sweep_series_files : NULL, series) != 0)
    goto done;
  if (!o->quiet)
    printf("sweep %s: %zu points x %zu polic%s x %zu replications (%zu runs now, %zu from the "
           "journal), %.2f s\nresults in %s/sweep.csv, sweep_summary.csv%s\n",
           w->name, points_here, t.Q, t.Q > 1 ? "ies" : "y", t.R, n_task, held, mc_now() - t0, dir,
           t.Q > 1 ? " and sweep_contrast.csv" : "");
  rc = 0;
done:
  if (journal)
    fclose(journal);
  sweep_series_free(series);
  free(task);
  sweep_table_free(&t);
  return rc;
}

int sweep_check(const sweep *w, const sweep_options *o)
{
  sweep_table t = {0};
  int rc = check_points(w, o, &t, 1);
  if (rc)
    return rc;
  size_t runs = t.P * t.Q * t.R;
  printf("sweep %s (%s): design %s, %zu parameters, %zu points x %zu polic%s x %zu replications "
         "= %zu runs\n",
         w->name, w->file, sweep_design_name(w->design), w->n_params, t.P, t.Q,
         t.Q > 1 ? "ies" : "y", t.R, runs);
  for (size_t q = 0; q < w->n_policies; q++) {
    printf("  policy %s:", w->policies[q].name);
    for (size_t i = 0; i < w->policies[q].n_sets; i++)
      printf(" --set %s", w->policies[q].sets[i]);
    printf("%s\n", w->policies[q].n_sets ? "" : " (the scenario as it is)");
  }
  printf("  scenario: %s; every point checked\n", w->scenario[0] ? w->scenario : "(built-in)");
  for (size_t i = 0; i < w->n_params; i++) {
    const sweep_param *pr = &w->params[i];
    if (pr->is_range)
      printf("  %s: %s range [%g, %g]%s\n", pr->path, pr->is_log ? "log" : "linear", pr->min,
             pr->max, pr->is_int ? ", whole numbers" : "");
    else
      printf("  %s: %zu values\n", pr->path, pr->n_values);
  }
  /* The memory first: a sweep that cannot fit is not calibrated. */
  int th = o->threads > 0 ? o->threads : 1;
  mc_memory_plan plan;
  sweep_memory_plan(&t, o, &plan);
  const char *source;
  double have = mc_memory_available(&source);
  int fits = plan.total <= have;
  printf("  estimated memory: %.1f MiB (%.1f MiB per thread's workspace x %d, %.1f MiB of "
         "results); %.1f MiB available (%s): %s\n",
         plan.total / 1048576.0, plan.workspace / 1048576.0, plan.workers, plan.results / 1048576.0,
         have / 1048576.0, source, fits ? "fits" : "DOES NOT FIT, sweep would refuse");
  if (fits) {
    /* Calibration: one replication of the first point (the plan so far
     * shown first; a signal stops it, and the caller says so). */
    fflush(stdout);
    worker k = {NULL, NULL, NULL, 0, 1};
    double t0 = mc_now();
    int bad = run_one(w, o, &k, &t, 0);
    double secs = mc_now() - t0;
    worker_free(&k);
    if (bad) {
      if (!signals_caught())
        fprintf(stderr, "lockin: the calibration run failed\n");
      sweep_table_free(&t);
      return 1;
    }
    printf("  calibration: one run of point 0 took %.3f s; estimated time %.0f s with %d "
           "thread%s (runs at other points may differ)\n",
           secs, secs * (double)runs / (double)th, th, th > 1 ? "s" : "");
  }
  printf("  output: %s/%s/\n", o->outdir, w->name);
  sweep_table_free(&t);
  return 0;
}
