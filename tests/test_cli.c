/* cli: the program end to end, in-process: output files and their headers
 * (SPEC 10), same bytes at any thread count, exit statuses, nothing written
 * on bad input, and scenario.cfg reproducing its run. */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "cli.h"
#include "stats.h"

static int setup(void **state)
{
  (void)state;
  return tmp_make("cli");
}

static int exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

/* 24 steps: the default scenario's rival hub can launch (at step 12), so
 * every test that uses SMALL covers responses too. */
#define SMALL_LOUD "--set", "population.developers=3000", "--set", "steps=24", "-r", "5"
#define SMALL      SMALL_LOUD, "--quiet"

static void test_outputs_and_headers(void **state)
{
  (void)state;
  char out[300], path[400];
  snprintf(out, sizeof out, "%s/a", tmp);
  const char *args[] = {"run", SMALL, "--timeseries", "-o", out, "-j", "1", NULL};
  assert_int_equal(run_args(args), 0);
  snprintf(path, sizeof path, "%s/default/summary.csv", out);
  char *sum = slurp(path);
  assert_non_null(sum);
  assert_true(strncmp(sum,
                      "step,active.mean,active.sd,active.lo,active.hi,active.p05,"
                      "active.p50,active.p95,revisions.mean,",
                      67) == 0);
  assert_non_null(strstr(sum, ",vendor_share.nvidia.mean,"));
  assert_non_null(strstr(sum, ",hub_share.open_hub.p95,vendor_hhi.mean,"));
  assert_non_null(strstr(sum, ",hub_cr1.p95,cell_d1.mean,"));
  assert_non_null(strstr(sum, ",neutrality.open_hub.p95,revenue.hf.mean,"));
  assert_non_null(strstr(sum, ",value.open_hub.p95,owners_value.hf.mean,"));
  assert_non_null(strstr(sum, ",owners_value.open_hub.p95\n"));
  /* header + 24 steps; 1 + 7 * 44 columns */
  size_t lines = 0, commas = 0;
  for (char *c = sum; *c; c++) {
    lines += *c == '\n';
    commas += *c == ',' && lines == 0;
  }
  assert_int_equal(lines, 25);
  assert_int_equal(commas, 7 * 44);
  free(sum);
  snprintf(path, sizeof path, "%s/default/runs.csv", out);
  char *runs = slurp(path);
  assert_non_null(runs);
  const char *head = "replication,seed,tip_step,launch_step.hf,launch_step.nvidia_hub,"
                     "launch_step.open_hub,active,revisions,vendor_switches,";
  assert_true(strncmp(runs, head, strlen(head)) == 0);
  free(runs);
  snprintf(path, sizeof path, "%s/default/timeseries.csv", out);
  char *ts = slurp(path);
  assert_non_null(ts);
  assert_true(strncmp(ts, "replication,step,active,", 24) == 0);
  free(ts);
  snprintf(path, sizeof path, "%s/default/scenario.cfg", out);
  assert_true(exists(path));
}

static void compare_files(const char *a, const char *b, const char *name)
{
  char pa[400], pb[400];
  snprintf(pa, sizeof pa, "%s/default/%s", a, name);
  snprintf(pb, sizeof pb, "%s/default/%s", b, name);
  char *x = slurp(pa), *y = slurp(pb);
  assert_non_null(x);
  assert_non_null(y);
  assert_string_equal(x, y);
  free(x);
  free(y);
}

static void test_same_bytes_any_thread_count(void **state)
{
  (void)state;
  char a[300], b[300], c[300];
  snprintf(a, sizeof a, "%s/j1", tmp);
  snprintf(b, sizeof b, "%s/j2", tmp);
  snprintf(c, sizeof c, "%s/j8", tmp);
  const char *r1[] = {"run", SMALL, "--timeseries", "-o", a, "-j", "1", NULL};
  const char *r2[] = {"run", SMALL, "--timeseries", "-o", b, "-j", "2", NULL};
  const char *r8[] = {"run", SMALL, "--timeseries", "-o", c, "-j", "8", NULL};
  assert_int_equal(run_args(r1), 0);
  assert_int_equal(run_args(r2), 0);
  assert_int_equal(run_args(r8), 0);
  const char *files[] = {"summary.csv", "runs.csv", "timeseries.csv", "scenario.cfg"};
  for (int f = 0; f < 4; f++) {
    compare_files(a, b, files[f]);
    compare_files(a, c, files[f]);
  }
}

static void test_resolved_scenario_reproduces(void **state)
{
  (void)state;
  char a[300], b[300], cfg[400];
  snprintf(a, sizeof a, "%s/orig", tmp);
  snprintf(b, sizeof b, "%s/again", tmp);
  /* A segment's whole-number override must be written back as one, a
   * whole number beyond 32 bits with its L, and the largest seed as itself. */
  const char *r1[] = {"run",   SMALL,
                      "--set", "vendors.[1].growth=0.3141592653589793",
                      "--set", "segments.[0].utility.tenure_cap=5",
                      "--set", "value.organisations=5000000000L",
                      "-s",    "18446744073709551615",
                      "-o",    a,
                      NULL};
  assert_int_equal(run_args(r1), 0);
  snprintf(cfg, sizeof cfg, "%s/default/scenario.cfg", a);
  char *text = slurp(cfg);
  assert_non_null(strstr(text, "seed = 18446744073709551615L;"));
  assert_non_null(strstr(text, "organisations = 5000000000L;"));
  free(text);
  const char *r2[] = {"run", cfg, "--quiet", "-o", b, NULL};
  assert_int_equal(run_args(r2), 0);
  compare_files(a, b, "summary.csv");
  compare_files(a, b, "runs.csv");
}

static void test_bad_input_writes_nothing(void **state)
{
  (void)state;
  char out[300], cfg[300];
  snprintf(out, sizeof out, "%s/bad", tmp);
  assert_int_equal(
      tmp_write(cfg, sizeof cfg, "bad.cfg", "steps = 10;\nutility: { temperature = -1.0; };\n"), 0);
  const char *a1[] = {"run", cfg, "-o", out, "--quiet", NULL};
  assert_int_equal(run_args(a1), 2);
  const char *a2[] = {"run", "--set", "nope=1", "-o", out, "--quiet", NULL};
  assert_int_equal(run_args(a2), 2);
  const char *a3[] = {"run", "-r", "0", "-o", out, NULL};
  assert_int_equal(run_args(a3), 2);
  const char *a4[] = {"frobnicate", NULL};
  assert_int_equal(run_args(a4), 2);
  const char *a5[] = {"check", cfg, NULL};
  assert_int_equal(run_args(a5), 2);
  assert_false(exists(out));
  const char *a6[] = {"run", "--bogus", NULL};
  assert_int_equal(run_args(a6), 2);
  const char *a7[] = {"run", "-j", "5000", "-o", out, NULL};
  assert_int_equal(run_args(a7), 2);
  const char *a9[] = {"run", "-s", "-1", "-o", out, NULL}; /* strtoull would wrap it */
  assert_int_equal(run_args(a9), 2);
  const char *a10[] = {"run", "-s", "18446744073709551616", "-o", out, NULL};
  assert_int_equal(run_args(a10), 2);
  const char *a8[] = {"run", tmp, "-o", out, "--quiet", NULL}; /* a folder */
  assert_int_equal(run_args(a8), 2);
  assert_false(exists(out));
}

/* Fewer replications than threads: the developers of one replication are
 * split over threads, and the bytes still do not change. */
static void test_split_replication_same_bytes(void **state)
{
  (void)state;
  static const char *const threads[3] = {"1", "2", "3"};
  char dir[3][300];
  /* 200,000 developers: four chunks of reviser draws; bass entry and a
   * graph exercise the other parallel paths. */
  for (int net = 0; net < 2; net++) {
    for (int k = 0; k < 3; k++) {
      snprintf(dir[k], sizeof dir[k], "%s/split%d", tmp, k);
      const char *args[] = {"run",
                            "--set",
                            "population.developers=200000",
                            "--set",
                            "steps=8",
                            "--set",
                            net ? "network.type=small_world" : "network.type=mean_field",
                            "--set",
                            "population.initial_active=150000",
                            "--set",
                            "population.entry.mode=bass",
                            "--set", /* a launch with an SDK default at step 3 */
                            "events.[0].responses.[0].delay=3",
                            "--set",
                            "events.[0].responses.[0].probability=1",
                            "-r",
                            "1",
                            "--quiet",
                            "--timeseries",
                            "-o",
                            dir[k],
                            "-j",
                            threads[k],
                            NULL};
      assert_int_equal(run_args(args), 0);
    }
    compare_files(dir[0], dir[1], "timeseries.csv");
    compare_files(dir[0], dir[2], "timeseries.csv");
  }
}

/* Column `name` of a CSV header line, or -1. */
static int column_of(const char *header, const char *name)
{
  int col = 0;
  size_t n = strlen(name);
  for (const char *p = header; *p && *p != '\n'; col++) {
    if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\n'))
      return col;
    while (*p && *p != ',' && *p != '\n')
      p++;
    if (*p == ',')
      p++;
  }
  return -1;
}

/* Values of column `col` in the rows of a CSV text (after its header). */
static size_t column_values(const char *csv, int col, double *x, size_t max)
{
  const char *p = strchr(csv, '\n');
  size_t n = 0;
  while (p && p[1] && n < max) {
    p++;
    for (int c = 0; c < col; c++)
      p = strchr(p, ',') + 1;
    x[n++] = strtod(p, NULL);
    p = strchr(p, '\n');
  }
  return n;
}

static void test_compare_self_is_zero(void **state)
{
  (void)state;
  char out[300], path[400];
  snprintf(out, sizeof out, "%s/cmp", tmp);
  const char *args[] = {"compare",
                        "scenarios/accept.cfg",
                        "scenarios/accept.cfg",
                        "--set",
                        "population.developers=3000",
                        "--set",
                        "steps=12",
                        "-r",
                        "6",
                        "--quiet",
                        "-o",
                        out,
                        NULL};
  assert_int_equal(run_args(args), 0);
  snprintf(path, sizeof path, "%s/accept_vs_accept/compare.csv", out);
  char *csv = slurp(path);
  assert_non_null(csv);
  assert_true(strncmp(csv,
                      "step,active.a,active.b,active.diff,active.diff_lo,active.diff_hi,"
                      "revisions.a,",
                      72) == 0);
  /* Every .diff, .diff_lo and .diff_hi column is exactly 0. */
  size_t zero_cols = 0;
  for (int col = 1;; col++) {
    int kind = (col - 1) % 5; /* a, b, diff, diff_lo, diff_hi */
    double x[20];
    const char *h = csv;
    for (int c = 0; c < col && h; c++) {
      h = strchr(h, ',');
      h = h && h < strchr(csv, '\n') ? h + 1 : NULL;
    }
    if (!h)
      break;
    double y[30];
    size_t n = column_values(csv, col, y, 30);
    (void)x;
    assert_int_equal(n, 12);
    if (kind >= 2) {
      for (size_t r = 0; r < n; r++)
        assert_true(y[r] == 0.0);
      zero_cols++;
    }
  }
  assert_int_equal(zero_cols, 3 * 44);
  free(csv);
  snprintf(path, sizeof path, "%s/accept_vs_accept/scenario_b.cfg", out);
  assert_true(exists(path));
}

/* Common random numbers at work: decline and accept differ only in their
 * rules, so replication r of each shares its draws and the variance of the
 * paired difference is far below the sum of the two variances (0.11 of it
 * with this seed; an unpaired design would give about 1). */
static void test_common_random_numbers_pair_up(void **state)
{
  (void)state;
  char out[300], path[400];
  const char *names[2] = {"decline", "accept"};
  double x[2][30];
  snprintf(out, sizeof out, "%s/crn", tmp);
  for (int k = 0; k < 2; k++) {
    char file[64];
    snprintf(file, sizeof file, "scenarios/%s.cfg", names[k]);
    const char *args[] = {"run",     file,       "--set", "population.developers=3000",
                          "--set",   "steps=24", "-r",    "30",
                          "--quiet", "-o",       out,     NULL};
    assert_int_equal(run_args(args), 0);
    snprintf(path, sizeof path, "%s/%s/runs.csv", out, names[k]);
    char *runs = slurp(path);
    assert_non_null(runs);
    assert_int_equal(column_values(runs, column_of(runs, "vendor_hhi"), x[k], 30), 30);
    free(runs);
  }
  double ma = 0, mb = 0, md = 0, va = 0, vb = 0, vd = 0;
  for (int r = 0; r < 30; r++) {
    ma += x[0][r] / 30;
    mb += x[1][r] / 30;
    md += (x[1][r] - x[0][r]) / 30;
  }
  for (int r = 0; r < 30; r++) {
    va += (x[0][r] - ma) * (x[0][r] - ma);
    vb += (x[1][r] - mb) * (x[1][r] - mb);
    vd += (x[1][r] - x[0][r] - md) * (x[1][r] - x[0][r] - md);
  }
  assert_true(vd < 0.5 * (va + vb));
}

/* B runs with A's seed and replication count (common random numbers), and
 * scenario_b.cfg says so. */
static void test_compare_uses_one_seed(void **state)
{
  (void)state;
  char a[300], b[300], out[300], path[400];
  snprintf(a, sizeof a, "%s/seed_a.cfg", tmp);
  snprintf(b, sizeof b, "%s/seed_b.cfg", tmp);
  snprintf(out, sizeof out, "%s/seeds", tmp);
  FILE *f = fopen(a, "w");
  fputs("seed = 9; replications = 3; steps = 6; population: { developers = 1000; };\n", f);
  fclose(f);
  f = fopen(b, "w");
  fputs("seed = 5; replications = 7; steps = 6; population: { developers = 1000; };\n", f);
  fclose(f);
  const char *args[] = {"compare", a, b, "--quiet", "-o", out, NULL};
  assert_int_equal(run_args(args), 0);
  snprintf(path, sizeof path, "%s/seed_a_vs_seed_b/scenario_b.cfg", out);
  char *cfg = slurp(path);
  assert_non_null(cfg);
  assert_non_null(strstr(cfg, "\nseed = 9;\n"));
  assert_non_null(strstr(cfg, "\nreplications = 3;\n"));
  free(cfg);
}

static void test_compare_needs_matching_markets(void **state)
{
  (void)state;
  char out[300], cfg[300];
  snprintf(out, sizeof out, "%s/cmpbad", tmp);
  assert_int_equal(tmp_write(cfg, sizeof cfg, "other.cfg",
                             "vendors = ( { name = \"x\"; } ); hubs = ( { name = \"h\"; } );\n"),
                   0);
  const char *args[] = {"compare", "scenarios/accept.cfg", cfg, "--quiet", "-o", out, NULL};
  assert_int_equal(run_args(args), 2);
  const char *one[] = {"compare", "scenarios/accept.cfg", "--quiet", "-o", out, NULL};
  assert_int_equal(run_args(one), 2);
  assert_false(exists(out));
}

/* --precision stops at the first batch boundary (batches of 10 with -j 1)
 * where the 95% half-width is within the target, and equals a plain run
 * with that many replications. */
static void test_precision_stops_at_the_right_count(void **state)
{
  (void)state;
  char plain[300], prec[300], again[300], path[400], rbuf[16];
  snprintf(plain, sizeof plain, "%s/plain", tmp);
  snprintf(prec, sizeof prec, "%s/prec", tmp);
  snprintf(again, sizeof again, "%s/again_p", tmp);
  const char *p1[] = {"run",     "--set",    "population.developers=2000",
                      "--set",   "steps=12", "-r",
                      "60",      "-j",       "1",
                      "--quiet", "-o",       plain,
                      NULL};
  assert_int_equal(run_args(p1), 0);
  snprintf(path, sizeof path, "%s/default/runs.csv", plain);
  char *runs = slurp(path);
  assert_non_null(runs);
  int col = column_of(runs, "vendor_hhi");
  assert_true(col > 0);
  double x[60];
  assert_int_equal(column_values(runs, col, x, 60), 60);
  free(runs);
  double hw[7] = {0};
  for (size_t n = 10; n <= 60; n += 10) {
    double mean = 0, ss = 0;
    for (size_t r = 0; r < n; r++)
      mean += x[r] / (double)n;
    for (size_t r = 0; r < n; r++)
      ss += (x[r] - mean) * (x[r] - mean);
    hw[n / 10] = stats_halfwidth(sqrt(ss / (double)(n - 1)), n);
  }
  double target = hw[3] * 1.0000001; /* met at 30 replications at the latest */
  size_t expect = 30;
  for (size_t n = 10; n < 30; n += 10)
    if (hw[n / 10] <= target) {
      expect = n;
      break;
    }
  char popt[64];
  snprintf(popt, sizeof popt, "vendor_hhi=%.17g", target);
  const char *p2[] = {"run",     "--set",       "population.developers=2000",
                      "--set",   "steps=12",    "-r",
                      "60",      "-j",          "1",
                      "--quiet", "--precision", popt,
                      "-o",      prec,          NULL};
  assert_int_equal(run_args(p2), 0);
  snprintf(path, sizeof path, "%s/default/runs.csv", prec);
  runs = slurp(path);
  assert_non_null(runs);
  assert_int_equal(column_values(runs, col, x, 60), expect);
  free(runs);
  snprintf(rbuf, sizeof rbuf, "%zu", expect);
  const char *p3[] = {"run",     "--set",    "population.developers=2000",
                      "--set",   "steps=12", "-r",
                      rbuf,      "-j",       "1",
                      "--quiet", "-o",       again,
                      NULL};
  assert_int_equal(run_args(p3), 0);
  compare_files(prec, again, "summary.csv");
  compare_files(prec, again, "runs.csv");
  /* scenario.cfg records the replications run, not the -r cap: it is the
   * one a plain run of that many replications writes. */
  compare_files(prec, again, "scenario.cfg");
  const char *bad[] = {"run", "--precision", "nope=0.1", "-o", prec, "--quiet", NULL};
  assert_int_equal(run_args(bad), 2);
  const char *bad2[] = {"run", "--precision", "vendor_hhi=-1", "-o", prec, "--quiet", NULL};
  assert_int_equal(run_args(bad2), 2);
  /* Every outcome column of runs.csv is a target; the columns that name a
   * run or an event's step are refused. */
  snprintf(path, sizeof path, "%s/default/runs.csv", plain);
  runs = slurp(path);
  assert_non_null(runs);
  runs[strcspn(runs, "\n")] = '\0';
  int n_cols = 0;
  for (char *c = strtok(runs, ","); c; c = strtok(NULL, ","), n_cols++) {
    int id = !strcmp(c, "replication") || !strcmp(c, "seed"),
        event = !strcmp(c, "tip_step") || !strncmp(c, "launch_step.", 12);
    snprintf(popt, sizeof popt, "%s=1e300", c);
    const char *pa[] = {"run",     "--set",       "population.developers=500",
                        "--set",   "steps=4",     "-r",
                        "10",      "-j",          "1",
                        "--quiet", "--precision", popt,
                        "-o",      again,         NULL};
    if (run_args(pa) != (id || event ? 2 : 0))
      fail_msg("--precision %s", popt);
  }
  assert_true(n_cols > 40);
  free(runs);
}

/* A FIFO at `path` that a child process fills with `text` once. */
static pid_t fifo_with(const char *path, const char *text)
{
  unlink(path);
  assert_int_equal(mkfifo(path, 0600), 0);
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(path, O_WRONLY);
    if (fd >= 0) {
      size_t n = strlen(text);
      if (write(fd, text, n) != (ssize_t)n)
        _exit(1);
      close(fd);
    }
    _exit(0);
  }
  return pid;
}

/* Inputs given as pipes are read once: check checks every file given,
 * run runs the piped scenario (not the built-in default), and compare puts
 * a piped B on A's seed without reading B again. */
static void test_pipes_read_once(void **state)
{
  (void)state;
  char a[300], b[300], out[300], path[400];
  snprintf(a, sizeof a, "%s/fifo_a", tmp);
  snprintf(b, sizeof b, "%s/fifo_b", tmp);
  snprintf(out, sizeof out, "%s/fifo_out", tmp);
  const char *small = "name = \"piped\"; steps = 5; seed = 4; replications = 2;\n"
                      "population: { developers = 500; };\n";
  pid_t w1 = fifo_with(a, small);
  const char *run[] = {"run", a, "-o", out, "--quiet", NULL};
  assert_int_equal(run_args(run), 0);
  waitpid(w1, NULL, 0);
  snprintf(path, sizeof path, "%s/piped/runs.csv", out);
  char *runs = slurp(path);
  assert_non_null(runs); /* the piped scenario's name and size, not the default's */
  size_t lines = 0;
  for (char *c = runs; *c; c++)
    lines += *c == '\n';
  assert_int_equal(lines, 1 + 2);
  free(runs);
  /* compare: B piped with another seed is put on A's without a second read */
  w1 = fifo_with(a, small);
  pid_t w2 = fifo_with(b, "name = \"other\"; steps = 5; seed = 9; replications = 2;\n"
                          "population: { developers = 500; };\n");
  const char *cmp[] = {"compare", a, b, "-o", out, "--quiet", NULL};
  assert_int_equal(run_args(cmp), 0);
  waitpid(w1, NULL, 0);
  waitpid(w2, NULL, 0);
  snprintf(path, sizeof path, "%s/piped_vs_other/scenario_b.cfg", out);
  char *sb = slurp(path);
  assert_non_null(sb);
  assert_non_null(strstr(sb, "\nseed = 4;"));
  assert_non_null(strstr(sb, "name = \"other\";"));
  free(sb);
  /* check: every file, the worst status */
  w1 = fifo_with(a, small);
  w2 = fifo_with(b, "steps = 0;\n");
  const char *chk[] = {"check", a, b, NULL};
  assert_int_equal(run_args(chk), 2);
  waitpid(w1, NULL, 0);
  waitpid(w2, NULL, 0);
}

/* Every option a command does not take is refused, exit 2, nothing run. */
static void test_options_a_command_does_not_take(void **state)
{
  (void)state;
  const char *bad[][6] = {
      {"sweep", "scenarios/uncertainty_lhs.cfg", "--precision", "vendor_hhi=1", NULL},
      {"sweep", "scenarios/uncertainty_lhs.cfg", "--discover", "active > 1", NULL},
      {"analyze", "results", "-j", "2", NULL},
      {"check", "scenarios/decline.cfg", "--precision", "vendor_hhi=1", NULL},
      {"run", "--resume", NULL},
      {"compare", "scenarios/accept.cfg", "scenarios/decline.cfg", "--shard", "1/2", NULL},
      {"merge", "results", "--set", "seed=2", NULL},
      {"keys", "--quiet", NULL},
      {"run", "--metric", "vendor_hhi", NULL},
  };
  for (size_t x = 0; x < sizeof bad / sizeof bad[0]; x++)
    assert_int_equal(run_args(bad[x]), 2);
}

/* The last row's value of column `name` in a CSV text. */
static double last_value(const char *csv, const char *name)
{
  int col = column_of(csv, name);
  assert_true(col >= 0);
  const char *p = csv + strlen(csv) - 1; /* the final newline */
  while (p > csv && p[-1] != '\n')
    p--;
  for (int c = 0; c < col; c++)
    p = strchr(p, ',') + 1;
  return strtod(p, NULL);
}

/* Output recomputed from its sources: summary.csv's last row from runs.csv
 * (mean, sd, Student-t interval, quantiles), tip_step from the time
 * series, and compare.csv's paired interval from two different scenarios
 * run alone on the same seeds. */
static void test_outputs_recomputed(void **state)
{
  (void)state;
  char out[300], path[400];
  snprintf(out, sizeof out, "%s/recompute", tmp);
  const char *base[] = {"--set",   "population.developers=3000",
                        "--set",   "steps=30",
                        "--set",   "tipping_threshold=0.9",
                        "-r",      "12",
                        "--quiet", "-o",
                        out};
  const char *runs_args[4][16];
  const char *names[2] = {"accept", "decline"};
  char file[2][64];
  for (int x = 0; x < 2; x++) {
    snprintf(file[x], sizeof file[x], "scenarios/%s.cfg", names[x]);
    runs_args[x][0] = "run";
    runs_args[x][1] = file[x];
    for (int k = 0; k < 11; k++)
      runs_args[x][2 + k] = base[k];
    runs_args[x][13] = "--timeseries";
    runs_args[x][14] = NULL;
    assert_int_equal(run_args(runs_args[x]), 0);
  }
  snprintf(path, sizeof path, "%s/decline/runs.csv", out);
  char *runs = slurp(path);
  snprintf(path, sizeof path, "%s/decline/summary.csv", out);
  char *sum = slurp(path);
  snprintf(path, sizeof path, "%s/decline/timeseries.csv", out);
  char *ts = slurp(path);
  assert_non_null(runs);
  assert_non_null(sum);
  assert_non_null(ts);
  const char *metrics[3] = {"vendor_hhi", "hub_share.hf", "owners_value.hf"};
  for (int m = 0; m < 3; m++) {
    double x[12];
    assert_int_equal(column_values(runs, column_of(runs, metrics[m]), x, 12), 12);
    gsl_sort(x, 1, 12);
    double mean = gsl_stats_mean(x, 1, 12), sd = gsl_stats_sd(x, 1, 12);
    double h = gsl_cdf_tdist_Pinv(0.975, 11) * sd / sqrt(12.0);
    const char *sfx[7] = {"mean", "sd", "lo", "hi", "p05", "p50", "p95"};
    double want[7] = {mean,
                      sd,
                      mean - h,
                      mean + h,
                      gsl_stats_quantile_from_sorted_data(x, 1, 12, 0.05),
                      gsl_stats_quantile_from_sorted_data(x, 1, 12, 0.5),
                      gsl_stats_quantile_from_sorted_data(x, 1, 12, 0.95)};
    for (int k = 0; k < 7; k++) {
      char col[96];
      snprintf(col, sizeof col, "%s.%s", metrics[m], sfx[k]);
      assert_close(last_value(sum, col), want[k], 1e-12 * (1 + fabs(want[k])));
    }
    /* the quantiles are ordered: a swap of p05 and p95 would show */
    assert_true(want[4] <= want[5] && want[5] <= want[6]);
  }
  /* tip_step: the first step with hf's share below 0.9, from the series */
  double tip[12], rep[400], step[400], share[400];
  assert_int_equal(column_values(runs, column_of(runs, "tip_step"), tip, 12), 12);
  size_t n = column_values(ts, column_of(ts, "replication"), rep, 400);
  assert_int_equal(n, 12 * 30);
  column_values(ts, column_of(ts, "step"), step, 400);
  column_values(ts, column_of(ts, "hub_share.hf"), share, 400);
  size_t tipped = 0;
  for (size_t r = 0; r < 12; r++) {
    double first = -1;
    for (size_t k = 0; k < n; k++)
      if (rep[k] == (double)r && share[k] < 0.9 && first < 0)
        first = step[k];
    assert_close(tip[r], first, 0);
    tipped += first >= 0;
  }
  assert_true(tipped > 0 && tipped < 12); /* both branches occur */
  /* compare.csv: decline - accept, paired, from the two runs.csv */
  snprintf(path, sizeof path, "%s/accept/runs.csv", out);
  char *runs_a = slurp(path);
  const char *cmp[] = {"compare",
                       "scenarios/accept.cfg",
                       "scenarios/decline.cfg",
                       base[0],
                       base[1],
                       base[2],
                       base[3],
                       base[4],
                       base[5],
                       base[6],
                       base[7],
                       base[8],
                       base[9],
                       base[10],
                       NULL};
  assert_int_equal(run_args(cmp), 0);
  snprintf(path, sizeof path, "%s/accept_vs_decline/compare.csv", out);
  char *c = slurp(path);
  assert_non_null(c);
  for (int m = 0; m < 3; m++) {
    double a[12], b[12], d[12];
    column_values(runs_a, column_of(runs_a, metrics[m]), a, 12);
    column_values(runs, column_of(runs, metrics[m]), b, 12);
    for (int r = 0; r < 12; r++)
      d[r] = b[r] - a[r];
    double mean = gsl_stats_mean(d, 1, 12);
    double h = gsl_cdf_tdist_Pinv(0.975, 11) * gsl_stats_sd(d, 1, 12) / sqrt(12.0);
    char col[96];
    snprintf(col, sizeof col, "%s.diff", metrics[m]);
    assert_close(last_value(c, col), mean, 1e-12 * (1 + fabs(mean)));
    snprintf(col, sizeof col, "%s.diff_lo", metrics[m]);
    assert_close(last_value(c, col), mean - h, 1e-12 * (1 + fabs(mean) + h));
    snprintf(col, sizeof col, "%s.diff_hi", metrics[m]);
    assert_close(last_value(c, col), mean + h, 1e-12 * (1 + fabs(mean) + h));
    assert_true(h > 0); /* two different scenarios: a real interval */
  }
  free(runs);
  free(runs_a);
  free(sum);
  free(ts);
  free(c);
}

/* stderr of an in-process run, and its exit status. */
static char *stderr_of(const char *const *args, int *rc)
{
  char path[400];
  snprintf(path, sizeof path, "%s/stderr.txt", tmp);
  fflush(stderr);
  int saved = dup(2), fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
  assert_true(saved >= 0 && fd >= 0);
  dup2(fd, 2);
  close(fd);
  *rc = run_args(args);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  return slurp(path);
}

/* Settings that can have no effect are warned about on stderr by check,
 * run and compare (exit 0), and not with --quiet. */
static void test_warnings(void **state)
{
  (void)state;
  int rc;
  const char *check[] = {"check", "scenarios/no_event.cfg", NULL};
  char *err = stderr_of(check, &rc);
  assert_int_equal(rc, 0);
  assert_non_null(strstr(err, "warning: scenarios/no_event.cfg:123: hubs.[1].launch: no response "
                              "launches nvidia_hub: it is never live\n"));
  assert_non_null(strstr(err, "warning: scenarios/no_event.cfg:119: hubs: only hf can ever be "
                              "live, so hub-side settings change no choice"));
  free(err);
  char out[300];
  snprintf(out, sizeof out, "%s/warn", tmp);
  const char *run[] = {"run", "scenarios/decline.cfg", SMALL_LOUD, "-o", out, NULL};
  err = stderr_of(run, &rc);
  assert_int_equal(rc, 0);
  assert_non_null(strstr(err, "warning: scenarios/decline.cfg:153: events.[0].responses.[1]: on = "
                              "\"accept\" never matches decision = \"decline\": open_hub cannot "
                              "launch this way\n"));
  free(err);
  const char *quiet[] = {"run", "scenarios/decline.cfg", SMALL_LOUD, "--quiet", "-o", out, NULL};
  err = stderr_of(quiet, &rc);
  assert_int_equal(rc, 0);
  assert_null(strstr(err, "warning:"));
  free(err);
  /* A sweep prints its first point's warnings once. */
  const char *sw[] = {"sweep", "scenarios/uncertainty_lhs.cfg",
                      "-r",    "1",
                      "--set", "population.developers=500",
                      "--set", "steps=3",
                      "-o",    out,
                      NULL};
  err = stderr_of(sw, &rc);
  assert_int_equal(rc, 0);
  const char *w = strstr(err, "warning: scenarios/decline.cfg:153: events.[0].responses.[1]:");
  assert_non_null(w);
  assert_null(strstr(w + 1, "warning: scenarios/decline.cfg:153"));
  free(err);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_outputs_and_headers),
      cmocka_unit_test(test_warnings),
      cmocka_unit_test(test_outputs_recomputed),
      cmocka_unit_test(test_options_a_command_does_not_take),
      cmocka_unit_test(test_pipes_read_once),
      cmocka_unit_test(test_same_bytes_any_thread_count),
      cmocka_unit_test(test_resolved_scenario_reproduces),
      cmocka_unit_test(test_bad_input_writes_nothing),
      cmocka_unit_test(test_split_replication_same_bytes),
      cmocka_unit_test(test_compare_self_is_zero),
      cmocka_unit_test(test_common_random_numbers_pair_up),
      cmocka_unit_test(test_compare_uses_one_seed),
      cmocka_unit_test(test_compare_needs_matching_markets),
      cmocka_unit_test(test_precision_stops_at_the_right_count),
  };
  return cmocka_run_group_tests_name("cli", tests, setup, tmp_remove);
}
