/* bench: speed and memory of one replication of N = 1,000,000 developers,
 * 120 steps, one thread, for mean field and small world (degree 10).  Each
 * case runs in a child process so its peak memory is its own.  Prints
 * figures; asserts nothing (timing belongs here, never in tests). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "market.h"
#include "rng.h"
#include "scenario.h"

#ifndef BENCH_N
#define BENCH_N "1000000"
#endif

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Runs in the child: prints one line of figures. */
static int bench_case(const char *label, const char *const *sets, size_t n_sets)
{
  scenario *s = malloc(sizeof *s);
  scn_errors *err = malloc(sizeof *err);
  scn_overrides ov = {sets, n_sets};
  if (scenario_load(NULL, &ov, s, NULL, err) != 0) {
    scn_errors_print(err, stderr);
    return 1;
  }
  metric_layout l;
  metric_layout_init(&l, s);
  double *out = malloc((size_t)s->steps * l.n * sizeof *out);
  struct rusage before;
  getrusage(RUSAGE_SELF, &before);
  double t0 = now();
  market *m = market_alloc(s);
  long tip;
  if (!m || market_run(m, rng_replication_seed(1, 0), out, &tip) != 0)
    return 1;
  double secs = now() - t0;
  double choices = 0;
  for (long t = 0; t < s->steps; t++) {
    const double *row = out + (size_t)t * l.n;
    double entered = row[M_ACTIVE] - (t ? out[(size_t)(t - 1) * l.n + M_ACTIVE]
                                        : (double)s->initial_active);
    choices += row[M_REVISIONS] + entered;
  }
  struct rusage after;
  getrusage(RUSAGE_SELF, &after);
  double dev_steps = (double)s->developers * (double)s->steps;
  double peak = (double)after.ru_maxrss * 1024.0; /* KiB */
  double edges = s->network == NET_MEAN_FIELD ? 0.0 : (double)m->graph->n_adj / 2.0;
  double graph_bytes = s->network == NET_MEAN_FIELD
                         ? 0.0
                         : (double)(m->graph->n + 1) * sizeof(size_t) +
                             (double)m->graph->n_adj * sizeof(uint32_t);
  printf("%-26s %7.3f s %9.1f M dev-steps/s %7.2f M choices/s  peak %6.1f B/dev"
         " (%.1f B/dev without the graph, %.0f edges)\n",
         label, secs, dev_steps / secs / 1e6, choices / secs / 1e6,
         peak / (double)s->developers, (peak - graph_bytes) / (double)s->developers, edges);
  fflush(stdout);
  market_free(m);
  free(out);
  free(s);
  free(err);
  return 0;
}

static void in_child(const char *label, const char *const *sets, size_t n)
{
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0)
    _exit(bench_case(label, sets, n));
  int st;
  waitpid(pid, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
    printf("%-26s failed\n", label);
}

int main(void)
{
  printf("lockin %s benchmark: one replication, N = %s, 120 steps, one thread\n",
         LOCKIN_VERSION, BENCH_N);
  const char *mf[] = {"population.developers=" BENCH_N, "replications=1"};
  in_child("mean_field (default)", mf, 2);
  const char *sw[] = {"population.developers=" BENCH_N, "replications=1",
                      "network.type=small_world", "network.degree=10"};
  in_child("small_world, degree 10", sw, 4);
  return 0;
}
