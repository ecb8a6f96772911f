/* sweep_run: running a sweep crash-safely, writing its files, merging
 * shards, and spreading runs over MPI processes.
 *
 * journal.csv holds one line per finished (point, replication): its tipping
 * step and final metrics, each number the shortest decimal that reads back
 * to the same double, so a resumed sweep rebuilds exactly the values of an
 * uninterrupted one.  Its first line carries a fingerprint of every point's
 * resolved scenario; a journal with another fingerprint is refused.  A line
 * cut short by a crash is dropped on resume. */
#include "sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_statistics_double.h>
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
#include "stats.h"

#define MAX_ERRORS_SHOWN 20
#define LINE_MAX_LEN     65536
#define TAG_READY        1
#define TAG_RESULT       2
#define TAG_TASK         3
#define TAG_STOP         4

/* What a sweep's files are made of; shared by sweep_run and sweep_merge. */
typedef struct {
  size_t P, R, M, n_params;
  char (*param)[160];           /* parameter paths */
  char (*metric)[96];           /* metric names */
  char (*cell)[SWEEP_CELL_LEN]; /* [p * n_params + i] */
  double *values;               /* [(p * R + r) * M + m] final metrics */
  long *tip;                    /* [p * R + r] */
  unsigned char *have;          /* [p * R + r] */
  uint64_t fingerprint;
  size_t shard_k, shard_n;
  double work_max; /* bytes of the largest point's workspace */
} sweep_table;

static void table_free(sweep_table *t)
{
  free(t->param);
  free(t->metric);
  free(t->cell);
  free(t->values);
  free(t->tip);
  free(t->have);
  memset(t, 0, sizeof *t);
}

static int table_alloc(sweep_table *t, size_t P, size_t R, size_t M, size_t n_params)
{
  t->P = P;
  t->R = R;
  t->M = M;
  t->n_params = n_params;
  t->param = calloc(n_params, sizeof *t->param);
  t->metric = calloc(M, sizeof *t->metric);
  t->cell = calloc(P * n_params, sizeof *t->cell);
  t->values = calloc(P * R * M, sizeof *t->values);
  t->tip = calloc(P * R, sizeof *t->tip);
  t->have = calloc(P * R, 1);
  if (!t->param || !t->metric || !t->cell || !t->values || !t->tip || !t->have) {
    table_free(t);
    return -1;
  }
  return 0;
}

static uint64_t fnv1a(uint64_t h, const char *text)
{
  for (const unsigned char *c = (const unsigned char *)text; *c; c++)
    h = (h ^ *c) * 0x100000001b3ull;
  return h;
}

/* ------------------------------------------------------------------ files */

static void put(FILE *f, double x)
{
  char b[40];
  out_double(b, sizeof b, x);
  fputc(',', f);
  fputs(b, f);
}

static int point_complete(const sweep_table *t, size_t p)
{
  for (size_t r = 0; r < t->R; r++)
    if (!t->have[p * t->R + r])
      return 0;
  return 1;
}

/* sweep.csv, sweep_summary.csv and sweep_meta.txt for the points held. */
static int write_files(const char *dir, const sweep_table *t)
{
  out_batch *b = malloc(sizeof *b);
  double *x = malloc(t->R * sizeof *x);
  FILE *f;
  if (!b || !x) {
    free(b);
    free(x);
    return -1;
  }
  out_batch_init(b, dir);
  if (!(f = out_batch_open(b, "sweep.csv")))
    goto publish;
  fputs("point,replication", f);
  for (size_t i = 0; i < t->n_params; i++)
    fprintf(f, ",%s", t->param[i]);
  for (size_t m = 0; m < t->M; m++)
    fprintf(f, ",%s", t->metric[m]);
  fputs(",tip_step\n", f);
  for (size_t p = 0; p < t->P; p++) {
    if (!point_complete(t, p))
      continue;
    for (size_t r = 0; r < t->R; r++) {
      fprintf(f, "%zu,%zu", p, r);
      for (size_t i = 0; i < t->n_params; i++)
        fprintf(f, ",%s", t->cell[p * t->n_params + i]);
      for (size_t m = 0; m < t->M; m++)
        put(f, t->values[(p * t->R + r) * t->M + m]);
      fprintf(f, ",%ld\n", t->tip[p * t->R + r]);
    }
  }
  out_batch_close(b, f);

  if (!(f = out_batch_open(b, "sweep_summary.csv")))
    goto publish;
  fputs("point", f);
  for (size_t i = 0; i < t->n_params; i++)
    fprintf(f, ",%s", t->param[i]);
  for (size_t m = 0; m < t->M; m++)
    fprintf(f, ",%s.mean,%s.lo,%s.hi", t->metric[m], t->metric[m], t->metric[m]);
  fputc('\n', f);
  for (size_t p = 0; p < t->P; p++) {
    if (!point_complete(t, p))
      continue;
    fprintf(f, "%zu", p);
    for (size_t i = 0; i < t->n_params; i++)
      fprintf(f, ",%s", t->cell[p * t->n_params + i]);
    for (size_t m = 0; m < t->M; m++) {
      for (size_t r = 0; r < t->R; r++)
        x[r] = t->values[(p * t->R + r) * t->M + m];
      stats_summary st;
      stats_summarize(x, t->R, &st);
      put(f, st.mean);
      put(f, st.lo);
      put(f, st.hi);
    }
    fputc('\n', f);
  }
  out_batch_close(b, f);

  if (!(f = out_batch_open(b, "sweep_meta.txt")))
    goto publish;
  fprintf(f,
          "lockin sweep %s\nfingerprint %016llx\npoints %zu\nreplications %zu\nparameters "
          "%zu\nmetrics %zu\nshard %zu %zu\n",
          LOCKIN_VERSION, (unsigned long long)t->fingerprint, t->P, t->R, t->n_params, t->M,
          t->shard_k, t->shard_n);
  out_batch_close(b, f);
publish:;
  int rc = out_batch_publish(b);
  free(b);
  free(x);
  return rc;
}

/* --------------------------------------------------------------- journal */

static void journal_header(FILE *f, const sweep_table *t)
{
  fprintf(f, "# lockin sweep journal %016llx points %zu replications %zu metrics %zu\n",
          (unsigned long long)t->fingerprint, t->P, t->R, t->M);
  fputs("point,replication,tip_step", f);
  for (size_t m = 0; m < t->M; m++)
    fprintf(f, ",%s", t->metric[m]);
  fputc('\n', f);
}

/* Parse one journal line into the table; 0 if it is whole and valid. */
static int journal_line(sweep_table *t, char *line, double *row)
{
  char *p = line, *end;
  unsigned long long pt = strtoull(p, &end, 10), rep;
  if (end == p || *end != ',')
    return -1;
  p = end + 1;
  rep = strtoull(p, &end, 10);
  if (end == p || *end != ',')
    return -1;
  p = end + 1;
  long tip = strtol(p, &end, 10);
  if (end == p)
    return -1;
  for (size_t m = 0; m < t->M; m++) {
    if (*end != ',')
      return -1;
    p = end + 1;
    row[m] = strtod(p, &end);
    if (end == p)
      return -1;
  }
  if (*end != '\n' || pt >= t->P || rep >= t->R)
    return -1;
  size_t k = (size_t)pt * t->R + (size_t)rep;
  memcpy(t->values + k * t->M, row, t->M * sizeof *row);
  t->tip[k] = tip;
  t->have[k] = 1;
  return 0;
}

/* Open the journal: on resume read what it holds (refusing another
 * sweep's), drop a line cut short, and append; else start it anew. */
static FILE *journal_open(const char *path, sweep_table *t, int resume, size_t *held)
{
  *held = 0;
  FILE *f = resume ? fopen(path, "r+") : NULL;
  if (!f) {
    if (resume && errno != ENOENT) {
      fprintf(stderr, "lockin: %s: cannot open: %s\n", path, strerror(errno));
      return NULL;
    }
    f = fopen(path, "w");
    if (!f) {
      fprintf(stderr, "lockin: %s: cannot write: %s\n", path, strerror(errno));
      return NULL;
    }
    journal_header(f, t);
    fflush(f);
    return f;
  }
  char *line = malloc(LINE_MAX_LEN);
  double *row = malloc(t->M * sizeof *row);
  char want[160];
  snprintf(want, sizeof want,
           "# lockin sweep journal %016llx points %zu replications %zu "
           "metrics %zu\n",
           (unsigned long long)t->fingerprint, t->P, t->R, t->M);
  long good = 0;
  int ok = line && row && fgets(line, LINE_MAX_LEN, f) && !strcmp(line, want);
  if (!ok) {
    fprintf(stderr,
            "lockin: %s belongs to another sweep (or another version of this one); "
            "remove it, or run without --resume to start over\n",
            path);
    fclose(f);
    f = NULL;
  } else if (fgets(line, LINE_MAX_LEN, f)) { /* the CSV header */
    good = ftell(f);
    while (fgets(line, LINE_MAX_LEN, f)) {
      if (journal_line(t, line, row) != 0)
        break; /* cut short by a crash: everything after it is dropped */
      (*held)++;
      good = ftell(f);
    }
    if (fflush(f) != 0 || ftruncate(fileno(f), good) != 0 || fseek(f, good, SEEK_SET) != 0) {
      fprintf(stderr, "lockin: %s: cannot repair: %s\n", path, strerror(errno));
      fclose(f);
      f = NULL;
    }
  } else {
    fseek(f, 0, SEEK_END); /* only the first line survived: rewrite the header */
    if (ftruncate(fileno(f), 0) == 0 && fseek(f, 0, SEEK_SET) == 0) {
      journal_header(f, t);
      fflush(f);
    }
  }
  free(line);
  free(row);
  return f;
}

static void journal_write(FILE *f, const sweep_table *t, size_t p, size_t r)
{
  size_t k = p * t->R + r;
  fprintf(f, "%zu,%zu,%ld", p, r, t->tip[k]);
  for (size_t m = 0; m < t->M; m++)
    put(f, t->values[k * t->M + m]);
  fputc('\n', f);
  fflush(f); /* a killed process loses at most the line being written */
}

/* ------------------------------------------------------------ validation */

/* Check every point, fill the table's names and cells and fingerprint.
 * Prints the problems; returns the exit status. */
static int check_points(const sweep *w, const sweep_options *o, sweep_table *t, int loud)
{
  scenario *s = malloc(sizeof *s), *first = malloc(sizeof *first);
  scn_errors *err = malloc(sizeof *err);
  int rc = 0;
  size_t shown = 0;
  if (!s || !first || !err) {
    rc = 1;
    goto done;
  }
  uint64_t h = 0xcbf29ce484222325ull;
  double work_max = 0;
  for (size_t p = 0; p < w->n_points; p++) {
    char *resolved = NULL;
    int bad = sweep_point_scenario(w, p, o->cli, p ? s : first, &resolved, err);
    if (bad) {
      size_t kept = err->count < SCN_MAX_ERRORS ? err->count : SCN_MAX_ERRORS;
      for (size_t e = 0; e < kept && loud && shown < MAX_ERRORS_SHOWN; e++, shown++)
        fprintf(stderr, "%s\n", err->msg[e]);
      rc = bad;
    } else if (p > 0 && (s->n_vendors != first->n_vendors || s->n_hubs != first->n_hubs)) {
      if (loud && shown++ < MAX_ERRORS_SHOWN)
        fprintf(stderr,
                "%s:0: sweep: point %zu has other vendors or hubs than point 0; every "
                "point must have the same, so that the metrics line up\n",
                w->file, p);
      rc = 2;
    } else {
      h = fnv1a(h, resolved);
      double wb = mc_workspace_bytes(p ? s : first);
      work_max = wb > work_max ? wb : work_max;
    }
    free(resolved);
  }
  if (loud && shown >= MAX_ERRORS_SHOWN)
    fprintf(stderr, "(more problems not shown)\n");
  if (rc)
    goto done;
  metric_layout l;
  metric_layout_init(&l, first);
  if (table_alloc(t, w->n_points, (size_t)w->replications, l.n, w->n_params) != 0) {
    fprintf(stderr, "lockin: out of memory for %zu points x %ld replications\n", w->n_points,
            w->replications);
    rc = 1;
    goto done;
  }
  for (size_t m = 0; m < l.n; m++)
    metric_name(first, &l, m, t->metric[m], sizeof t->metric[m]);
  for (size_t i = 0; i < w->n_params; i++)
    snprintf(t->param[i], sizeof t->param[i], "%s", w->params[i].path);
  memcpy(t->cell, w->cell, w->n_points * w->n_params * sizeof *t->cell);
  t->fingerprint = h;
  t->work_max = work_max;
done:
  free(s);
  free(first);
  free(err);
  return rc;
}

/* ------------------------------------------------------------------ runs */

/* One worker's state: the scenario and workspace of its current point. */
typedef struct {
  scenario *s;
  market *m;
  double *out;
  size_t point;
  int threads;
} worker;

static void worker_free(worker *k)
{
  market_free(k->m);
  free(k->s);
  free(k->out);
  memset(k, 0, sizeof *k);
}

/* Run (p, r) into the table; 0, 1 if a signal asked to stop, or -1. */
static int run_one(const sweep *w, const sweep_options *o, worker *k, sweep_table *t, size_t p,
                   size_t r)
{
  if (!k->m || k->point != p) {
    worker_free(k);
    k->s = malloc(sizeof *k->s);
    scn_errors *err = malloc(sizeof *err);
    int bad = !k->s || !err || sweep_point_scenario(w, p, o->cli, k->s, NULL, err) != 0;
    free(err);
    if (bad)
      return -1;
    metric_layout l;
    metric_layout_init(&l, k->s);
    k->m = market_alloc(k->s, k->threads);
    k->out = malloc((size_t)k->s->steps * l.n * sizeof *k->out);
    if (!k->m || !k->out)
      return -1;
    k->point = p;
  }
  long tip;
  uint64_t key = rng_replication_seed((uint64_t)w->seed, r);
  int rc = market_run(k->m, key, k->out, &tip);
  if (rc != 0)
    return rc;
  size_t idx = p * t->R + r;
  memcpy(t->values + idx * t->M, k->out + (size_t)(k->s->steps - 1) * t->M, t->M * sizeof(double));
  t->tip[idx] = tip;
  return 0;
}

/* Runs of this process, OpenMP over (point, replication) in order. */
static int run_local(const sweep *w, const sweep_options *o, sweep_table *t, const size_t *task,
                     size_t n_task, FILE *journal, mc_progress *prog)
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
      size_t p = task[x] / t->R, r = task[x] % t->R;
      int rc = run_one(w, o, &k, t, p, r);
      if (rc != 0) { /* 1: a signal asked to stop; -1: failed */
#pragma omp atomic write
        failed = rc;
        continue;
      }
#pragma omp critical(lockin_journal)
      {
        t->have[task[x]] = 1;
        journal_write(journal, t, p, r);
        prog->points_done += (size_t)point_complete(t, p);
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
 * message is (point, replication, tip, M metrics) as doubles, all exact. */
static int run_master(sweep_table *t, const size_t *task, size_t n_task, FILE *journal,
                      mc_progress *prog, int size)
{
  size_t next = 0, M = t->M;
  int active = size - 1, failed = 0;
  double *msg = malloc((3 + M) * sizeof *msg);
  if (!msg)
    return -1;
  while (active > 0) {
    MPI_Status st;
    MPI_Recv(msg, (int)(3 + M), MPI_DOUBLE, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    if (st.MPI_TAG == TAG_RESULT) {
      if (msg[2] < -1.5) {
        failed = 1; /* the worker could not run it */
      } else {
        size_t p = (size_t)msg[0], r = (size_t)msg[1], k = p * t->R + r;
        t->tip[k] = (long)msg[2];
        memcpy(t->values + k * M, msg + 3, M * sizeof *msg);
        t->have[k] = 1;
        journal_write(journal, t, p, r);
        prog->points_done += (size_t)point_complete(t, p);
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
  return failed ? -1 : 0;
}

static void run_worker(const sweep *w, const sweep_options *o, sweep_table *t)
{
  size_t M = t->M;
  double *msg = malloc((3 + M) * sizeof *msg);
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
    size_t p = (size_t)job / t->R, r = (size_t)job % t->R;
    msg[0] = (double)p;
    msg[1] = (double)r;
    if (run_one(w, o, &k, t, p, r) != 0) {
      msg[2] = -2; /* failure */
    } else {
      msg[2] = (double)t->tip[job];
      memcpy(msg + 3, t->values + job * M, M * sizeof *msg);
    }
    MPI_Send(msg, (int)(3 + M), MPI_DOUBLE, 0, TAG_RESULT, MPI_COMM_WORLD);
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
  double keep = (double)(t.P * t.R) * ((double)t.M * sizeof(double) + 16.0);
  if (mc_memory_check(t.work_max * (o->threads > 0 ? o->threads : 1) + keep, "this sweep") != 0) {
    table_free(&t);
    return 1;
  }
#ifdef LOCKIN_MPI
  if (rank != 0) {
    run_worker(w, o, &t);
    table_free(&t);
    return 0;
  }
#endif
  char dir[4096], path[4200];
  FILE *journal = NULL;
  size_t *task = malloc(t.P * t.R * sizeof *task), n_task = 0, held = 0;
  double t0 = mc_now();
  if (!task || out_dir(w, o, dir, sizeof dir) != 0 || out_mkdirs(dir) != 0)
    goto done;
  snprintf(path, sizeof path, "%s/journal.csv", dir);
  journal = journal_open(path, &t, o->resume, &held);
  if (!journal) {
    rc = 2;
    goto done;
  }
  size_t points_here = 0;
  for (size_t p = 0; p < t.P; p++) {
    if (p % o->shard_n != o->shard_k - 1)
      continue;
    points_here++;
    for (size_t r = 0; r < t.R; r++)
      if (!t.have[p * t.R + r])
        task[n_task++] = p * t.R + r;
  }
  mc_progress prog;
  mc_progress_init(&prog, o->progress, n_task, w->name);
  prog.points_total = points_here;
  for (size_t p = 0; p < t.P; p++)
    prog.points_done += (size_t)(p % o->shard_n == o->shard_k - 1 && point_complete(&t, p));
  int bad;
#ifdef LOCKIN_MPI
  bad = size > 1 ? run_master(&t, task, n_task, journal, &prog, size)
                 : run_local(w, o, &t, task, n_task, journal, &prog);
#else
  bad = run_local(w, o, &t, task, n_task, journal, &prog);
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
    fprintf(stderr, "lockin: a run failed (out of memory, or a graph that could not be "
                    "built); journal.csv keeps the runs done, --resume goes on\n");
    goto done;
  }
  if (fclose(journal) != 0) {
    journal = NULL;
    fprintf(stderr, "lockin: %s: write failed\n", path);
    goto done;
  }
  journal = NULL;
  if (write_files(dir, &t) != 0)
    goto done;
  if (!o->quiet)
    printf("sweep %s: %zu points x %zu replications (%zu runs now, %zu from the journal), "
           "%.2f s\nresults in %s/sweep.csv and sweep_summary.csv\n",
           w->name, points_here, t.R, n_task, held, mc_now() - t0, dir);
  rc = 0;
done:
  if (journal)
    fclose(journal);
  free(task);
  table_free(&t);
  return rc;
}

int sweep_check(const sweep *w, const sweep_options *o)
{
  sweep_table t = {0};
  int rc = check_points(w, o, &t, 1);
  if (rc)
    return rc;
  static const char *const dn[] = {"grid", "random", "lhs", "sobol"};
  size_t runs = t.P * t.R;
  printf("sweep %s (%s): design %s, %zu parameters, %zu points x %zu replications = %zu runs\n",
         w->name, w->file, dn[w->design], w->n_params, t.P, t.R, runs);
  printf("  scenario: %s; every point checked\n", w->scenario[0] ? w->scenario : "(built-in)");
  for (size_t i = 0; i < w->n_params; i++) {
    const sweep_param *pr = &w->params[i];
    if (pr->is_range)
      printf("  %s: %s range [%g, %g]%s\n", pr->path, pr->is_log ? "log" : "linear", pr->min,
             pr->max, pr->is_int ? ", whole numbers" : "");
    else
      printf("  %s: %zu values\n", pr->path, pr->n_values);
  }
  /* Calibration: one replication of the first point. */
  worker k = {NULL, NULL, NULL, 0, 1};
  double t0 = mc_now();
  int bad = run_one(w, o, &k, &t, 0, 0);
  double secs = mc_now() - t0;
  double ws = t.work_max;
  worker_free(&k);
  if (bad) {
    fprintf(stderr, "lockin: the calibration run failed\n");
    table_free(&t);
    return 1;
  }
  int th = o->threads > 0 ? o->threads : 1;
  double keep = (double)runs * ((double)t.M * sizeof(double) + 16.0);
  printf("  calibration: one run of point 0 took %.3f s; estimated time %.0f s with %d "
         "thread%s (runs at other points may differ)\n",
         secs, secs * (double)runs / (double)th, th, th > 1 ? "s" : "");
  const char *source;
  double need = ws * th + keep, have = mc_memory_available(&source);
  printf("  estimated memory: %.1f MiB (%.1f MiB per thread's workspace, %.1f MiB of results); "
         "%.1f MiB available (%s): %s\n",
         need / 1048576.0, ws / 1048576.0, keep / 1048576.0, have / 1048576.0, source,
         need <= have ? "fits" : "DOES NOT FIT, sweep would refuse");
  printf("  output: %s/%s/\n", o->outdir, w->name);
  table_free(&t);
  return 0;
}

/* ------------------------------------------------------------------ merge */

static int read_meta(const char *dir, sweep_table *t, size_t *np)
{
  char path[4200];
  snprintf(path, sizeof path, "%s/sweep_meta.txt", dir);
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "lockin: merge: %s: cannot read: %s\n", path, strerror(errno));
    return -1;
  }
  unsigned long long fp = 0;
  int n = fscanf(f,
                 "lockin sweep %*s fingerprint %llx points %zu replications %zu parameters "
                 "%zu metrics %zu shard %zu %zu",
                 &fp, &t->P, &t->R, np, &t->M, &t->shard_k, &t->shard_n);
  fclose(f);
  if (n != 7) {
    fprintf(stderr, "lockin: merge: %s: not a lockin sweep_meta.txt\n", path);
    return -1;
  }
  t->fingerprint = fp;
  return 0;
}

/* Read one shard's sweep.csv into the merged table. */
static int read_rows(const char *dir, sweep_table *t, int first)
{
  char path[4200];
  snprintf(path, sizeof path, "%s/sweep.csv", dir);
  FILE *f = fopen(path, "r");
  char *line = malloc(LINE_MAX_LEN);
  int rc = -1;
  if (!f || !line) {
    fprintf(stderr, "lockin: merge: %s: cannot read: %s\n", path, strerror(errno));
    goto done;
  }
  if (!fgets(line, LINE_MAX_LEN, f))
    goto bad;
  /* Header: point,replication,<params>,<metrics>,tip_step */
  char *save = NULL, *tok = strtok_r(line, ",\n", &save);
  tok = tok ? strtok_r(NULL, ",\n", &save) : NULL;
  for (size_t i = 0; i < t->n_params; i++) {
    tok = strtok_r(NULL, ",\n", &save);
    if (!tok || (first ? (snprintf(t->param[i], sizeof t->param[i], "%s", tok), 0)
                       : strcmp(t->param[i], tok) != 0))
      goto bad;
  }
  for (size_t m = 0; m < t->M; m++) {
    tok = strtok_r(NULL, ",\n", &save);
    if (!tok || (first ? (snprintf(t->metric[m], sizeof t->metric[m], "%s", tok), 0)
                       : strcmp(t->metric[m], tok) != 0))
      goto bad;
  }
  while (fgets(line, LINE_MAX_LEN, f)) {
    char *p = line, *end;
    size_t pt = (size_t)strtoull(p, &end, 10), r;
    if (*end != ',' || pt >= t->P)
      goto bad;
    r = (size_t)strtoull(end + 1, &end, 10);
    if (*end != ',' || r >= t->R)
      goto bad;
    p = end + 1;
    for (size_t i = 0; i < t->n_params; i++) {
      char *c = strchr(p, ',');
      if (!c)
        goto bad;
      snprintf(t->cell[pt * t->n_params + i], SWEEP_CELL_LEN, "%.*s", (int)(c - p), p);
      p = c + 1;
    }
    size_t k = pt * t->R + r;
    for (size_t m = 0; m < t->M; m++) {
      t->values[k * t->M + m] = strtod(p, &end);
      if (end == p || *end != ',')
        goto bad;
      p = end + 1;
    }
    t->tip[k] = strtol(p, &end, 10);
    if (*end != '\n' || t->have[k])
      goto bad;
    t->have[k] = 1;
  }
  rc = 0;
  goto done;
bad:
  fprintf(stderr, "lockin: merge: %s: not the sweep.csv of this sweep's shard\n", path);
done:
  if (f)
    fclose(f);
  free(line);
  return rc;
}

int sweep_merge(const char *const *dirs, size_t n, const char *outdir, int quiet)
{
  sweep_table t = {0}, first = {0};
  size_t np = 0, np_i;
  char dir[4096];
  if (n == 0) {
    fprintf(stderr, "lockin: merge needs the folders of the shards\n");
    return 2;
  }
  if (read_meta(dirs[0], &first, &np) != 0 || table_alloc(&t, first.P, first.R, first.M, np) != 0)
    return 2;
  t.fingerprint = first.fingerprint;
  t.shard_k = t.shard_n = 1;
  unsigned char *seen = calloc(first.shard_n + 1, 1);
  int rc = 2;
  for (size_t d = 0; seen && d < n; d++) {
    sweep_table m = {0};
    if (read_meta(dirs[d], &m, &np_i) != 0)
      goto done;
    if (m.fingerprint != first.fingerprint || m.P != first.P || m.R != first.R || np_i != np ||
        m.M != first.M || m.shard_n != first.shard_n || m.shard_k < 1 || m.shard_k > m.shard_n) {
      fprintf(stderr, "lockin: merge: %s is not a shard of the same sweep as %s\n", dirs[d],
              dirs[0]);
      goto done;
    }
    if (seen[m.shard_k]) {
      fprintf(stderr, "lockin: merge: shard %zu of %zu given twice\n", m.shard_k, m.shard_n);
      goto done;
    }
    seen[m.shard_k] = 1;
    if (read_rows(dirs[d], &t, d == 0) != 0)
      goto done;
  }
  for (size_t p = 0; seen && p < t.P; p++)
    if (!point_complete(&t, p)) {
      fprintf(stderr,
              "lockin: merge: point %zu is missing (shard %zu of %zu not given or not "
              "finished)\n",
              p, p % first.shard_n + 1, first.shard_n);
      goto done;
    }
  if (outdir) {
    snprintf(dir, sizeof dir, "%s", outdir);
  } else {
    snprintf(dir, sizeof dir, "%s", dirs[0]);
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
      dir[--len] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash)
      *slash = '\0';
    else
      strcpy(dir, ".");
  }
  rc = 1;
  if (out_mkdirs(dir) != 0 || write_files(dir, &t) != 0)
    goto done;
  if (!quiet)
    printf("merged %zu shards: %zu points x %zu replications into %s/sweep.csv and "
           "sweep_summary.csv\n",
           n, t.P, t.R, dir);
  rc = 0;
done:
  free(seen);
  table_free(&t);
  return rc;
}
