/* signals: a run or a sweep killed by SIGINT or SIGTERM in the middle
 * stops with status 128 + signal, a run writes nothing, and a sweep's
 * journal lets --resume finish with the bytes of an uninterrupted sweep.
 * Nothing here waits a fixed time for the work to reach a point: the run
 * is far too long to finish before its signal, and the sweep is signalled
 * once its journal holds runs.  The bound on the time to stop is loose, a
 * guard against a stop that never comes, not a benchmark. */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define STOP_WITHIN 10.0 /* seconds from the signal to the exit, at most */
#define POLL_US     2000 /* microseconds between looks at the journal */

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

static size_t lines_of(const char *path)
{
  FILE *f = fopen(path, "r");
  size_t n = 0;
  int c;
  while (f && (c = fgetc(f)) != EOF)
    n += c == '\n';
  if (f)
    fclose(f);
  return n;
}

/* Whether process pid runs lockin yet (its exec done: Name in
 * /proc/PID/status) and catches signal sig (SigCgt), so that a signal is
 * not sent before the handlers are installed.  Before the exec the child
 * is a copy of this test, whose handlers (valgrind's, say) are not
 * lockin's. */
static int catches(pid_t pid, int sig)
{
  char path[64], line[256], name[64] = "";
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  FILE *f = fopen(path, "r");
  unsigned long long mask = 0;
  while (f && fgets(line, sizeof line, f)) {
    if (sscanf(line, "Name: %63s", name) == 1)
      continue;
    if (sscanf(line, "SigCgt: %llx", &mask) == 1)
      break;
  }
  if (f)
    fclose(f);
  return !strcmp(name, "lockin") && ((mask >> (sig - 1)) & 1u);
}

/* Whether the file at path holds `what`. */
static int strstr_file(const char *path, const char *what)
{
  char *text = slurp(path);
  int yes = text && strstr(text, what) != NULL;
  free(text);
  return yes;
}

/* Start args in a child; once it catches sig and `path` has at least
 * `lines` lines (NULL: no file to wait for), send sig.  Returns the exit status and the seconds
 * from the signal to the exit. */
static int kill_child(const char *const *args, int sig, const char *path, size_t lines,
                      double *took)
{
  pid_t pid = spawn_lockin(args, 0);
  while (!catches(pid, sig) || (path && lines_of(path) < lines)) {
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid)
      return -1; /* finished before it was signalled: the test is wrong */
    usleep(POLL_US);
  }
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
  /* Minutes of work: the signal always comes long before the end. */
  const char *args[] = {
      "run", "--set", "population.developers=500000", "-r", "400", "-j", "2", "--quiet", "-o",
      out,   NULL};
  double took;
  int sigs[2] = {SIGINT, SIGTERM};
  for (int k = 0; k < 2; k++) {
    int rc = kill_child(args, sigs[k], NULL, 0, &took);
    assert_int_equal(rc, 128 + sigs[k]);
    assert_true(took < STOP_WITHIN);
    struct stat st;
    assert_true(stat(out, &st) != 0); /* nothing written */
  }
}

/* A signal while lockin waits on a FIFO that no one writes (a scenario
 * from `<(...)` whose writer hangs) stops it with 128 + the signal, for
 * run, check and compare; nothing is written. */
static void test_stops_while_reading(void **state)
{
  (void)state;
  char fifo[300], out[300];
  snprintf(fifo, sizeof fifo, "%s/wait.fifo", tmp);
  snprintf(out, sizeof out, "%s/fifo_out", tmp);
  const char *run[] = {"run", fifo, "--quiet", "-o", out, NULL};
  const char *check[] = {"check", fifo, NULL};
  const char *compare[] = {"compare", "scenarios/accept.cfg", fifo, "--quiet", "-o", out, NULL};
  const char *const *cmds[3] = {run, check, compare};
  for (int c = 0; c < 3; c++) {
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid_t pid = spawn_lockin(cmds[c], 0);
    while (!catches(pid, SIGTERM))
      usleep(POLL_US);
    usleep(50000); /* into the open() that waits for a writer */
    kill(pid, SIGTERM);
    int status = 0;
    /* Had the signal come just before the open(), the open would wait on:
     * a writer that closes at once lets it go on, to the same status. */
    for (int i = 0; i < 500 && waitpid(pid, &status, WNOHANG) != pid; i++) {
      if (i == 250) {
        int fd = open(fifo, O_WRONLY | O_NONBLOCK);
        if (fd >= 0)
          close(fd);
      }
      usleep(10000);
      if (i == 499)
        fail_msg("command %d did not stop", c);
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 128 + SIGTERM);
    struct stat st;
    assert_true(stat(out, &st) != 0);
  }
  unlink(fifo);
}

/* check on a sweep runs one replication to estimate the time: a signal
 * during it stops check with 128 + the signal, promptly.  The replication
 * (a million developers over 100,000 steps) is far too long to finish
 * first; the signal goes once check has printed its plan. */
static void test_check_stops_in_calibration(void **state)
{
  (void)state;
  char sweep_file[300], plan[300];
  snprintf(plan, sizeof plan, "%s/calib.out", tmp);
  assert_int_equal(
      tmp_write(
          sweep_file, sizeof sweep_file, "calib.cfg",
          "sweep: { parameters = ( { path = \"dynamics.multihoming\"; values = [0.5]; } ); };\n"),
      0);
  const char *args[] = {"check", sweep_file,     "--set", "population.developers=1000000",
                        "--set", "steps=100000", "--set", "value.revenue_growth=0.0",
                        NULL};
  pid_t pid = spawn_lockin_to(args, 0, plan);
  int status;
  while (!catches(pid, SIGINT) || !strstr_file(plan, "estimated memory")) {
    if (waitpid(pid, &status, WNOHANG) == pid)
      fail_msg("check finished before it was signalled");
    usleep(POLL_US);
  }
  double t0 = now();
  kill(pid, SIGINT);
  waitpid(pid, &status, 0);
  assert_true(now() - t0 < STOP_WITHIN);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 128 + SIGINT);
  char *text = slurp(plan);
  assert_null(strstr(text, "calibration:")); /* no estimate from a cut run */
  free(text);
}

static void test_sweep_stops_and_resumes(void **state)
{
  (void)state;
  char file[300], whole[300], cut[300], a[400], b[400], journal[400];
  snprintf(file, sizeof file, "%s/s.cfg", tmp);
  FILE *f = fopen(file, "w");
  /* 16 points x 2 policies x 3 replications; small under valgrind */
  fprintf(f,
          "sweep: { name = \"s\"; design = \"grid\"; levels = 4; replications = 3;\n"
          "  parameters = ( { path = \"population.developers\"; min = %d; max = %d; },\n"
          "                 { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; } );\n"
          "  policies = ( { name = \"decline\"; set = []; },\n"
          "    { name = \"accept\"; set = [\"events.[0].decision=accept\"]; } ); };\n",
          test_quick() ? 2000 : 20000, test_quick() ? 4000 : 40000);
  fclose(f);
  snprintf(whole, sizeof whole, "%s/whole", tmp);
  snprintf(cut, sizeof cut, "%s/cut", tmp);
  const char *full[] = {"sweep", file, "--quiet", "-o", whole, NULL};
  assert_int_equal(run_args(full), 0);
  const char *args[] = {"sweep", file, "--quiet", "-j", "1", "-o", cut, NULL};
  snprintf(journal, sizeof journal, "%s/s/journal.csv", cut);
  double took;
  int rc = kill_child(args, SIGTERM, journal, 1 + 3, &took); /* the header + 3 runs */
  assert_int_equal(rc, 128 + SIGTERM);
  assert_true(took < STOP_WITHIN);
  snprintf(a, sizeof a, "%s/s/sweep.csv", cut);
  struct stat st;
  assert_true(stat(a, &st) != 0); /* no final files from a stopped sweep */
  size_t held = lines_of(journal);
  assert_true(held >= 1 + 3 && held < 1 + 96);
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
      cmocka_unit_test(test_stops_while_reading),
      cmocka_unit_test(test_check_stops_in_calibration),
      cmocka_unit_test(test_sweep_stops_and_resumes),
  };
  return cmocka_run_group_tests_name("signals", tests, setup, tmp_remove);
}
