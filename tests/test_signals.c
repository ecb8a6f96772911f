/* signals: a run or a sweep killed by SIGINT or SIGTERM in the middle stops
 * within a second with status 128 + signal, a run writes nothing, and a
 * sweep's journal lets --resume finish with the bytes of an uninterrupted
 * sweep. */
#include "testutil.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define STOP_WITHIN 1.0 /* seconds from the signal to the exit */

static int setup(void **state)
{
  (void)state;
  return tmp_make("signals");
}

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Start args in a child, send sig after `after` seconds; returns the exit
 * status and the seconds from the signal to the exit. */
static int kill_child(const char *const *args, int sig, double after, double *took)
{
  pid_t pid = spawn_lockin(args, 0);
  usleep((useconds_t)(after * 1e6));
  double t0 = now();
  kill(pid, sig);
  int status;
  waitpid(pid, &status, 0);
  *took = now() - t0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_run_stops_and_writes_nothing(void **state)
{
  (void)state;
  char out[300];
  snprintf(out, sizeof out, "%s/run", tmp);
  /* ~20 s of work: the signal comes long before the end. */
  const char *args[] = {
      "run", "--set", "population.developers=500000", "-r", "400", "-j", "2", "--quiet", "-o",
      out,   NULL};
  double took;
  int sigs[2] = {SIGINT, SIGTERM};
  for (int k = 0; k < 2; k++) {
    int rc = kill_child(args, sigs[k], 0.5, &took);
    assert_int_equal(rc, 128 + sigs[k]);
    assert_true(took < STOP_WITHIN);
    struct stat st;
    assert_true(stat(out, &st) != 0); /* nothing written */
  }
}

static void test_sweep_stops_and_resumes(void **state)
{
  (void)state;
  char file[300], whole[300], cut[300], a[400], b[400];
  snprintf(file, sizeof file, "%s/s.cfg", tmp);
  FILE *f = fopen(file, "w");
  fputs("sweep: { name = \"s\"; design = \"grid\"; levels = 4; replications = 3;\n"
        "  parameters = ( { path = \"population.developers\"; min = 100000; max = 200000; },\n"
        "                 { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; } ); };\n",
        f);
  fclose(f);
  snprintf(whole, sizeof whole, "%s/whole", tmp);
  snprintf(cut, sizeof cut, "%s/cut", tmp);
  const char *full[] = {"sweep", file, "--quiet", "-o", whole, NULL};
  assert_int_equal(run_args(full), 0);
  const char *args[] = {"sweep", file, "--quiet", "-o", cut, NULL};
  double took;
  int rc = kill_child(args, SIGTERM, 0.8, &took);
  assert_int_equal(rc, 128 + SIGTERM);
  assert_true(took < STOP_WITHIN);
  snprintf(a, sizeof a, "%s/s/sweep.csv", cut);
  struct stat st;
  assert_true(stat(a, &st) != 0); /* no final files from a stopped sweep */
  const char *resume[] = {"sweep", file, "--quiet", "--resume", "-o", cut, NULL};
  assert_int_equal(run_args(resume), 0);
  snprintf(b, sizeof b, "%s/s/sweep.csv", whole);
  char cmd[900];
  snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
  assert_int_equal(system(cmd), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_run_stops_and_writes_nothing),
      cmocka_unit_test(test_sweep_stops_and_resumes),
  };
  return cmocka_run_group_tests_name("signals", tests, setup, tmp_remove);
}
