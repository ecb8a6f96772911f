/* montecarlo: replications over threads, batches to a target precision,
 * and the progress line. */
#include "montecarlo.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rng.h"
#include "stats.h"

#define PROGRESS_EVERY 0.1 /* seconds between progress redraws */

double mc_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

mc_results *mc_results_alloc(const scenario *s, size_t cap)
{
  mc_results *res = calloc(1, sizeof *res);
  if (!res)
    return NULL;
  res->s = s;
  metric_layout_init(&res->layout, s);
  res->T = (size_t)s->steps;
  res->cap = cap;
  size_t per_rep = res->T * res->layout.n;
  if (cap > 0 && per_rep > SIZE_MAX / sizeof(double) / cap) {
    free(res);
    return NULL;
  }
  res->values = malloc(cap * per_rep * sizeof *res->values);
  res->outcome = malloc((cap ? cap : 1) * sizeof *res->outcome);
  res->seeds = malloc(cap * sizeof *res->seeds);
  if (!res->values || !res->outcome || !res->seeds) {
    mc_results_free(res); /* exception in constructor, avoid memory leak */
    return NULL;
  }
  return res;
}

void mc_results_free(mc_results *res)
{
  if (!res)
    return;
  free(res->values);
  free(res->outcome);
  free(res->seeds);
  free(res);
}

/* ---------------------------------------------------------------- progress */

void mc_progress_init(mc_progress *p, int enabled, size_t total, const char *label)
{
  p->enabled = enabled;
  p->done = 0;
  p->total = total;
  p->start = p->last = mc_now();
  p->label = label;
  p->points_done = p->points_total = 0;
}

static void progress_draw(mc_progress *p, int final)
{
  double now = mc_now(), el = now - p->start;
  if (!final && now - p->last < PROGRESS_EVERY)
    return;
  p->last = now;
  double rate = el > 0 ? (double)p->done / el : 0;
  double left = rate > 0 ? (double)(p->total - p->done) / rate : 0;
  int width = 30, fill = p->total ? (int)((double)width * (double)p->done / (double)p->total) : 0;
  fprintf(stderr, "\r%s [%.*s%*s] ", p->label, fill, "##############################", width - fill,
          "");
  if (p->points_total)
    fprintf(stderr, "%zu/%zu points, ", p->points_done, p->points_total);
  fprintf(stderr, "%zu/%zu runs %.1f/s, %.0f s left ", p->done, p->total, rate, left);
  if (final)
    fputc('\n', stderr);
  fflush(stderr);
}

void mc_progress_step(mc_progress *p)
{
  if (!p || !p->enabled)
    return;
#pragma omp critical(lockin_progress)
  {
    p->done++;
    progress_draw(p, 0);
  }
}

void mc_progress_done(mc_progress *p)
{
  if (p->enabled)
    progress_draw(p, 1);
}

/* -------------------------------------------------------------- replicate */

/* Replication r on workspace m into its slot of res; a failure or stop is
 * recorded in *failed. */
static void one_replication(mc_results *res, market *m, size_t r, atomic_int *failed,
                            mc_progress *p)
{
  res->seeds[r] = rng_replication_seed((uint64_t)res->s->seed, r);
  int rc = market_run(m, res->seeds[r], res->values + r * res->T * res->layout.n, &res->outcome[r]);
  if (rc != 0)
    atomic_store(failed, rc);
  else
    mc_progress_step(p);
}

int mc_replicate(mc_results *res, size_t r0, size_t r1, int threads, mc_progress *p)
{
  const scenario *s = res->s;
  size_t n = r1 - r0;
  atomic_int failed = 0;
  if (threads < 1)
    threads = 1;
  if ((size_t)threads <= n) {
    /* Replications in parallel, one thread each. */
#pragma omp parallel num_threads(threads)
    {
      market *m = market_alloc(s, 1);
      if (!m)
        atomic_store(&failed, -1);
#pragma omp for schedule(dynamic, 1)
      for (size_t r = r0; r < r1; r++) {
        if (!m || atomic_load(&failed))
          continue;
        one_replication(res, m, r, &failed, p);
      }
      market_free(m);
    }
  } else {
    /* Fewer replications than threads: split each one's developers. */
    market *m = market_alloc(s, threads);
    if (!m)
      return -1;
    for (size_t r = r0; r < r1 && !atomic_load(&failed); r++)
      one_replication(res, m, r, &failed, p);
    market_free(m);
  }
  res->R = r1;
  return atomic_load(&failed); /* a failure (-1) can be overwritten by a stop (1) */
}

void mc_final(const mc_results *res, size_t m, double *x)
{
  size_t M = res->layout.n;
  for (size_t r = 0; r < res->R; r++)
    x[r] = res->values[(r * res->T + res->T - 1) * M + m];
}

long mc_metric_index(const mc_results *res, const char *name)
{
  char buf[96];
  for (size_t m = 0; m < res->layout.n; m++) {
    metric_name(res->s, &res->layout, m, buf, sizeof buf);
    if (!strcmp(buf, name))
      return (long)m;
  }
  return -1;
}

int mc_until_precise(mc_results *res, size_t m, double halfwidth, size_t batch, int threads,
                     mc_progress *p)
{
  double *x = malloc(res->cap * sizeof *x);
  if (!x)
    return -1;
  int rc = 0;
  size_t r = res->R;
  while (r < res->cap) {
    size_t next = r + batch < res->cap ? r + batch : res->cap;
    if ((rc = mc_replicate(res, r, next, threads, p)) != 0)
      break;
    r = next;
    mc_final(res, m, x);
    double sd = r > 1 ? stats_sd(x, r, stats_mean(x, r)) : INFINITY;
    if (r > 1 && stats_halfwidth(sd, r) <= halfwidth)
      break;
  }
  free(x);
  return rc;
}

/* Batches of both scenarios until the paired half-width of metric m is at
 * most h, or the cap. */
int mc_compare_until_precise(mc_results *a, mc_results *b, size_t m, double h, size_t batch, int th,
                             mc_progress *p)
{
  double *xa = malloc(a->cap * sizeof *xa), *xb = malloc(a->cap * sizeof *xb);
  int rc = 0;
  size_t r = 0;
  while (xa && xb && r < a->cap) {
    size_t next = r + batch < a->cap ? r + batch : a->cap;
    if ((rc = mc_replicate(a, r, next, th, p)) != 0 || (rc = mc_replicate(b, r, next, th, p)) != 0)
      break;
    r = next;
    mc_final(a, m, xa);
    mc_final(b, m, xb);
    double mean = 0, hp = INFINITY, hu = 0;
    if (r > 1)
      stats_paired(xa, xb, r, &mean, &hp, &hu);
    if (hp <= h)
      break;
  }
  if (!xa || !xb)
    rc = -1;
  free(xa);
  free(xb);
  return rc;
}

/* ------------------------------------------------------------------ memory */

double mc_workspace_bytes(const scenario *s)
{
  double work = (double)market_bytes(s), n = (double)s->developers, d = (double)s->degree;
  /* The graph builder's scratch, freed before the first step (network.c). */
  if (s->network == NET_RANDOM_REGULAR)
    work += n * d * 4.0; /* stubs (a row marks its own free slots) */
  else if (s->network == NET_SMALL_WORLD)
    work += n * d / 2.0 * (s->rewire * 24.0 + 0.125) + 8192.0; /* hash, ends, bitset */
  else if (s->network == NET_SCALE_FREE)
    work += n * d * 4.0; /* every edge's two ends: the urn and the edge list */
  return work;
}

void mc_memory_estimate(double workspace, int workers, double runs, double per_run, double extra,
                        mc_memory_plan *p)
{
  p->workspace = workspace;
  p->workers = workers;
  p->results = runs * per_run + extra;
  p->total = workspace * (double)workers + p->results;
}

static double results_per_run(const scenario *s)
{
  metric_layout l;
  metric_layout_init(&l, s);
  return (double)s->steps * (double)l.n * sizeof(double) + sizeof(market_outcome) +
         sizeof(unsigned long long);
}

void mc_memory_plan_run(const scenario *s, const scenario *b, size_t R, int threads,
                        mc_memory_plan *p)
{
  int workers = threads < 1 ? 1 : threads;
  if (R < (size_t)workers)
    workers = R > 0 ? 1 : 0; /* fewer replications: one shared workspace */
  double work = mc_workspace_bytes(s), extra = 0;
  if (b) {
    work = fmax(work, mc_workspace_bytes(b));
    extra = (double)R * results_per_run(b);
  }
  mc_memory_estimate(work, workers, (double)R, results_per_run(s), extra, p);
}

static double meminfo_available(void)
{
  FILE *f = fopen("/proc/meminfo", "r");
  char line[256];
  double kib = -1;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "MemAvailable: %lf kB", &kib) == 1)
      break;
  if (f)
    fclose(f);
  return kib < 0 ? INFINITY : kib * 1024.0;
}

static double cgroup_available(void)
{
  double limit = INFINITY, used = 0;
  FILE *f = fopen("/sys/fs/cgroup/memory.max", "r");
  if (f) {
    if (fscanf(f, "%lf", &limit) != 1)
      limit = INFINITY; /* "max" */
    fclose(f);
    f = fopen("/sys/fs/cgroup/memory.current", "r");
    if (f) {
      if (fscanf(f, "%lf", &used) != 1)
        used = 0;
      fclose(f);
    }
  }
  return limit - used;
}

double mc_memory_available(const char **source)
{
  const char *env = getenv("LOCKIN_MEMORY_LIMIT");
  char *end;
  if (env && *env) {
    double x = strtod(env, &end);
    if (!*end && x >= 0) {
      *source = "LOCKIN_MEMORY_LIMIT";
      return x;
    }
  }
  double mem = meminfo_available(), cg = cgroup_available();
  *source = cg < mem ? "the cgroup's memory.max" : "MemAvailable in /proc/meminfo";
  return cg < mem ? cg : mem;
}

int mc_memory_check(double need, const char *what)
{
  const char *source;
  double have = mc_memory_available(&source);
  if (need <= have)
    return 0;
  double unit = need >= 1073741824.0 ? 1073741824.0 : 1048576.0;
  const char *u = unit > 1048576.0 ? "GiB" : "MiB";
  fprintf(stderr,
          "lockin: %s needs about %.2f %s of memory and %.2f %s is available (%s); use fewer "
          "developers, replications or threads (-j), or shards for a sweep\n",
          what, need / unit, u, have / unit, u, source);
  return -1;
}
