/* Helpers shared by the cmocka test programs. */
#ifndef LOCKIN_TESTUTIL_H
#define LOCKIN_TESTUTIL_H

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include <math.h>

#include "cli.h"
#include "market.h"
#include "rng.h"
#include "scenario.h"

/* LOCKIN_QUICK=1 (the valgrind run of CI) shrinks the largest tests; the
 * statistical ones keep their N_SE tolerance, computed from the smaller n. */
static inline int test_quick(void)
{
  return getenv("LOCKIN_QUICK") != NULL;
}

/* How many standard errors a Monte Carlo estimate may be off. */
#define N_SE 4.0

#define assert_close(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

/* Run the lockin binary (LOCKIN_BIN, set by make test; ./lockin otherwise)
 * in a child process: a fresh process, as a user would start it (forking a
 * process whose OpenMP threads already ran is not safe). */
static inline pid_t spawn_lockin_to(const char *const *args, int fsize_limit,
                                    const char *stdout_path)
{
  const char *bin = getenv("LOCKIN_BIN") ? getenv("LOCKIN_BIN") : "./lockin";
  char *argv[40];
  int argc = 0;
  argv[argc++] = (char *)bin;
  for (; *args && argc < 39; args++)
    argv[argc++] = (char *)*args;
  argv[argc] = NULL;
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    if (fsize_limit > 0) {
      struct rlimit lim = {(rlim_t)fsize_limit, (rlim_t)fsize_limit};
      setrlimit(RLIMIT_FSIZE, &lim);
    }
    if (stdout_path) {
      int fd = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd < 0 || dup2(fd, 1) < 0)
        _exit(127);
    }
    execv(bin, argv);
    _exit(127);
  }
  return pid;
}

static inline pid_t spawn_lockin(const char *const *args, int fsize_limit)
{
  return spawn_lockin_to(args, fsize_limit, NULL);
}

/* A temporary folder per test program (tests with files use it). */
static char tmp[256] __attribute__((unused));

static inline int tmp_make(const char *name)
{
  snprintf(tmp, sizeof tmp, "/tmp/lockin_test_%s_XXXXXX", name);
  return mkdtemp(tmp) ? 0 : -1;
}

static inline int tmp_remove(void **state)
{
  (void)state;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
  return system(cmd) == 0 ? 0 : -1;
}

/* Writes body to the file `name` in tmp; its path into path (n bytes).
 * Returns 0 (-1 when it could not, which setups return as failure). */
static inline int tmp_write(char *path, size_t n, const char *name, const char *body)
{
  snprintf(path, n, "%s/%s", tmp, name);
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  int bad = fputs(body, f) < 0;
  return fclose(f) != 0 || bad ? -1 : 0;
}

/* A whole file as a string (caller frees), or NULL. */
static inline char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  size_t got = fread(b, 1, (size_t)n, f);
  b[got] = '\0';
  fclose(f);
  return b;
}

/* lockin ARGS... in this process; the exit status. */
static inline int run_args(const char *const *args)
{
  char *argv[40];
  int argc = 0;
  argv[argc++] = (char *)"lockin";
  for (; *args && argc < 39; args++)
    argv[argc++] = (char *)*args;
  argv[argc] = NULL;
  return cli_main(argc, argv);
}

/* Load scenario text (with optional --set strings) or fail the test. */
static inline void load_ok(const char *text, scenario *s, const char *const *sets, size_t n)
{
  scn_errors *err = malloc(sizeof *err);
  scn_overrides ov = {.sets = sets, .n_sets = n};
  int rc = scenario_load_string(text, "test.cfg", &ov, s, NULL, err);
  if (rc != 0)
    scn_errors_print(err, stderr);
  free(err);
  assert_int_equal(rc, 0);
}

/* Run replication r of s; returns the metrics (caller frees); the tipping
 * and launch steps into *oc when not NULL. */
static inline double *run_rep_oc(const scenario *s, size_t r, market_outcome *oc)
{
  metric_layout l;
  metric_layout_init(&l, s);
  double *out = malloc((size_t)s->steps * l.n * sizeof *out);
  market *m = market_alloc(s, 1);
  assert_non_null(out);
  assert_non_null(m);
  market_outcome o;
  assert_int_equal(market_run(m, rng_replication_seed((uint64_t)s->seed, r), out, &o), 0);
  if (oc)
    *oc = o;
  market_free(m);
  return out;
}

/* run_rep_oc with only the tipping step. */
static inline double *run_rep(const scenario *s, size_t r, long *tip)
{
  market_outcome o;
  double *out = run_rep_oc(s, r, &o);
  if (tip)
    *tip = o.tip;
  return out;
}

#endif
