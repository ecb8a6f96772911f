/* output: numbers that read back exactly, and files that are whole or
 * absent: a write failure (a file-size limit standing in for a full disk),
 * an unwritable folder and a memory refusal each end in status 1 with the
 * path named and earlier results left as they were. */
#include "testutil.h"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "montecarlo.h"
#include "cli.h"
#include "output.h"
#include "report.h"

/* Files in dir whose names contain ".tmp.". */
static int setup(void **state)
{
  (void)state;
  return tmp_make("output");
}

static int temporaries(const char *dir)
{
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    n += strstr(e->d_name, ".tmp.") != NULL;
  if (d)
    closedir(d);
  return n;
}

static void test_shortest_round_trip(void **state)
{
  (void)state;
  const double xs[] = {0.1,  1.0 / 3.0, 2.5e-300,           1e22,  123456789.125,
                       -0.0, 0.0417,    9007199254740993.0, 5e-324};
  char b[40];
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    out_double(b, sizeof b, xs[i]);
    assert_true(strtod(b, NULL) == xs[i]);
  }
  out_double(b, sizeof b, 0.1);
  assert_string_equal(b, "0.1");
  out_double(b, sizeof b, 1.0 / 3.0);
  assert_string_equal(b, "0.3333333333333333");
  /* Whole numbers take a path without printf: the same text as "%.15g"
   * around every power of ten, at the 10^15 edge and for -0. */
  char want[40];
  for (int e = 0; e <= 16; e++)
    for (int d = -2; d <= 2; d++)
      for (int sign = -1; sign <= 1; sign += 2) {
        double x = sign * (pow(10, e) + d);
        out_double(b, sizeof b, x);
        snprintf(want, sizeof want, "%.15g", x);
        if (strtod(want, NULL) != x) /* beyond 15 digits: the longer form */
          continue;
        assert_string_equal(b, want);
      }
  out_double(b, sizeof b, -0.0);
  assert_string_equal(b, "-0");
  out_double(b, sizeof b, 1e15);
  assert_string_equal(b, "1e+15");
  out_double(b, sizeof b, 999999999999999.0);
  assert_string_equal(b, "999999999999999");
}

/* out_double's integer path writes what its definition (printf and
 * strtod: the first of %.15g, %.16g, %.17g that reads back) writes, for
 * doubles of every kind its range holds: random bit patterns from 10^-18
 * to 10^18, uniforms, ratios, short decimals and their neighbours, powers
 * of two (a narrower interval below), halves of 16-digit numbers (ties at
 * 16 digits), nines that round up to the next power of ten. */
static uint64_t xorshift(uint64_t *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static int same_as_printf(double x)
{
  char a[64], b[64];
  out_double(a, sizeof a, x);
  out_double_printf(b, sizeof b, x);
  if (strcmp(a, b) != 0)
    print_message("%.17g: %s, printf %s\n", x, a, b);
  return strcmp(a, b) == 0;
}

static void test_integer_path_as_printf(void **state)
{
  (void)state;
  uint64_t s = 88172645463325252ull;
  int bad = 0;
  for (int i = 0; i < 20000; i++) {
    uint64_t b =
        (xorshift(&s) & 0x800fffffffffffffull) | ((uint64_t)(1023 - 60 + xorshift(&s) % 121) << 52);
    double x;
    memcpy(&x, &b, sizeof x);
    double y = (double)(xorshift(&s) % 10000000) / 1e4;
    bad += !same_as_printf(x);
    bad += !same_as_printf((double)(xorshift(&s) >> 11) * 0x1p-53);
    bad += !same_as_printf((double)(xorshift(&s) % 100000) / (double)(1 + xorshift(&s) % 1000));
    bad += !same_as_printf((double)(xorshift(&s) % 1000000) * pow(10, -(int)(xorshift(&s) % 20)));
    bad += !same_as_printf(nextafter(y, 0)) + !same_as_printf(nextafter(y, 1e300));
    bad += !same_as_printf(ldexp(1.0, (int)(xorshift(&s) % 120) - 60));
    bad +=
        !same_as_printf((double)(xorshift(&s) % 9000000000000000ull + 1000000000000000ull) + 0.5);
  }
  for (int e = -18; e <= 18; e++) {
    double p = pow(10, e);
    bad += !same_as_printf(p) + !same_as_printf(nextafter(p, 0)) +
           !same_as_printf(nextafter(p, 1e300)) + !same_as_printf(-p);
    bad += !same_as_printf(9.9999999999999999 * p) + !same_as_printf(0.99999999999999994 * p);
  }
  assert_int_equal(bad, 0);
  char b[64];
  out_double(b, sizeof b, 0.1);
  assert_string_equal(b, "0.1");
  out_double(b, sizeof b, 1e-5);
  assert_string_equal(b, "1e-05");
  out_double(b, sizeof b, -2.5e16);
  assert_string_equal(b, "-2.5e+16");
  out_double(b, sizeof b, 0.30000000000000004);
  assert_string_equal(b, "0.30000000000000004");
}

static void test_batch_all_or_nothing(void **state)
{
  (void)state;
  char dir[300], path[400];
  snprintf(dir, sizeof dir, "%s/batch", tmp);
  assert_int_equal(out_mkdirs(dir), 0);
  out_batch b;
  out_batch_init(&b, dir);
  FILE *f = out_batch_open(&b, "a.txt");
  fputs("new a", f);
  out_batch_close(&b, f);
  /* Before publishing, nothing is under its final name. */
  snprintf(path, sizeof path, "%s/a.txt", dir);
  assert_null(slurp(path));
  assert_int_equal(out_batch_publish(&b), 0);
  char *a = slurp(path);
  assert_string_equal(a, "new a");
  free(a);
  /* A failed batch publishes nothing and leaves no temporary. */
  out_batch_init(&b, dir);
  f = out_batch_open(&b, "a.txt");
  fputs("newer a", f);
  out_batch_close(&b, f);
  b.failed = 1; /* as a later write failure would */
  assert_int_equal(out_batch_publish(&b), -1);
  a = slurp(path);
  assert_string_equal(a, "new a");
  free(a);
  assert_int_equal(temporaries(dir), 0);
  /* A rename that fails after others succeeded (the third file's
   * temporary is gone) puts every old file back: no mix of old and new. */
  const char *names[3] = {"a.txt", "b.txt", "c.txt"};
  for (int k = 1; k < 3; k++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[k]);
    f = fopen(path, "w");
    fprintf(f, "old %d", k);
    fclose(f);
  }
  out_batch_init(&b, dir);
  for (int k = 0; k < 3; k++) {
    f = out_batch_open(&b, names[k]);
    fputs("newest", f);
    out_batch_close(&b, f);
  }
  unlink(b.file[2].tmp);
  assert_int_equal(out_batch_publish(&b), -1);
  static const char *const want[3] = {"new a", "old 1", "old 2"};
  for (int k = 0; k < 3; k++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[k]);
    a = slurp(path);
    assert_non_null(a);
    assert_string_equal(a, want[k]);
    free(a);
  }
  assert_int_equal(temporaries(dir), 0);
  /* A folder where a file goes is in the way: nothing moves. */
  snprintf(path, sizeof path, "%s/c.txt", dir);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(mkdir(path, 0700), 0);
  out_batch_init(&b, dir);
  for (int k = 0; k < 3; k++) {
    f = out_batch_open(&b, names[k]);
    fputs("newest", f);
    out_batch_close(&b, f);
  }
  assert_int_equal(out_batch_publish(&b), -1);
  snprintf(path, sizeof path, "%s/a.txt", dir);
  a = slurp(path);
  assert_string_equal(a, "new a");
  free(a);
  assert_int_equal(temporaries(dir), 0);
  snprintf(path, sizeof path, "%s/c.txt", dir);
  rmdir(path);
}

/* compare's P(tipping) row: labelled by the focal hub and threshold when
 * A and B share them, else named per scenario below the table. */
static void test_compare_tipping_label(void **state)
{
  (void)state;
  for (int differ = 0; differ < 2; differ++) {
    scenario *s[2];
    mc_results *res[2];
    scn_errors err;
    for (int k = 0; k < 2; k++) {
      char text[200];
      snprintf(text, sizeof text,
               "steps = 4;\ntipping_threshold = %s;\npopulation: { developers = 300; };\n",
               k && differ ? "0.25" : "0.1");
      s[k] = malloc(sizeof *s[k]);
      assert_int_equal(scenario_load_string(text, "t.cfg", NULL, s[k], NULL, &err), 0);
      res[k] = mc_results_alloc(s[k], 3);
      assert_non_null(res[k]);
      assert_int_equal(mc_replicate(res[k], 0, 3, 1, NULL), 0);
    }
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    report_compare(f, res[0], res[1], 0.0);
    fclose(f);
    const char *foot = "(P(tipping) is P(hf share < 0.1) in A and P(hf share < 0.25) in B)";
    if (differ) {
      assert_non_null(strstr(out, "\nP(tipping) "));
      assert_non_null(strstr(out, foot));
    } else {
      assert_non_null(strstr(out, "\nP(hf share < 0.1) "));
      assert_null(strstr(out, "P(tipping)"));
    }
    free(out);
    for (int k = 0; k < 2; k++) {
      mc_results_free(res[k]);
      free(s[k]);
    }
  }
}

#define SMALL "--set", "population.developers=2000", "--set", "steps=12", "-r", "4", "--quiet"

/* A full disk, played by a 4 KiB file-size limit in a child process: the
 * run fails with status 1 naming the file, the earlier results stay. */
static void test_disk_full_keeps_earlier_results(void **state)
{
  (void)state;
  char out[300], dir[400], path[500];
  snprintf(out, sizeof out, "%s/full", tmp);
  snprintf(dir, sizeof dir, "%s/default", out);
  const char *first[] = {"run", SMALL, "-o", out, NULL};
  assert_int_equal(run_args(first), 0);
  snprintf(path, sizeof path, "%s/summary.csv", dir);
  char *before = slurp(path);
  assert_non_null(before);
  const char *again[] = {"run", SMALL, "-s", "2", "-o", out, NULL};
  pid_t pid = spawn_lockin(again, 4096);
  int status;
  waitpid(pid, &status, 0);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 1);
  char *after = slurp(path);
  assert_string_equal(before, after);
  assert_int_equal(temporaries(dir), 0);
  free(before);
  free(after);
}

static void test_unwritable_folder(void **state)
{
  (void)state;
  char file[300], out[400];
  assert_int_equal(tmp_write(file, sizeof file, "plain_file", "x"), 0);
  snprintf(out, sizeof out, "%s/sub", file); /* a folder inside a file */
  const char *args[] = {"run", SMALL, "-o", out, NULL};
  assert_int_equal(run_args(args), 1);
}

static void test_memory_refusal(void **state)
{
  (void)state;
  char out[300];
  snprintf(out, sizeof out, "%s/mem", tmp);
  setenv("LOCKIN_MEMORY_LIMIT", "100000", 1);
  const char *args[] = {"run", SMALL, "-o", out, NULL};
  int rc = run_args(args);
  const char *cmp[] = {"compare", "scenarios/accept.cfg", "scenarios/decline.cfg", SMALL, "-o", out,
                       NULL};
  int rc2 = run_args(cmp);
  unsetenv("LOCKIN_MEMORY_LIMIT");
  assert_int_equal(rc, 1);
  assert_int_equal(rc2, 1);
  struct stat st;
  assert_true(stat(out, &st) != 0);
}

/* The estimate counts the workspaces that are in use at once: one per
 * thread, but one in all when replications are fewer than threads (they
 * share it), and for compare the larger of the two scenarios' (they run one
 * after the other); every replication's results are counted. */
static void test_memory_plan_counts_what_runs_at_once(void **state)
{
  (void)state;
  scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b);
  scn_errors *err = malloc(sizeof *err);
  const char *sa[] = {"population.developers=1000"}, *sb[] = {"population.developers=50000"};
  scn_overrides oa = {.sets = sa, .n_sets = 1}, ob = {.sets = sb, .n_sets = 1};
  assert_int_equal(scenario_load_string("", "a.cfg", &oa, a, NULL, err), 0);
  assert_int_equal(scenario_load_string("", "b.cfg", &ob, b, NULL, err), 0);
  double wa = mc_workspace_bytes(a), wb = mc_workspace_bytes(b);
  assert_true(wb > 10 * wa);
  mc_memory_plan one, four, pair;
  mc_memory_plan_run(a, NULL, 1, 8, &one);
  assert_int_equal(one.workers, 1); /* one replication: one shared workspace */
  mc_memory_plan_run(a, NULL, 4, 8, &four);
  assert_int_equal(four.workers, 1); /* 4 < 8 threads: still shared */
  assert_true(fabs(four.results - 4 * one.results) < 1e-6 * four.results);
  mc_memory_plan_run(a, NULL, 100, 8, &four);
  assert_int_equal(four.workers, 8);
  mc_memory_plan_run(a, b, 100, 2, &pair);
  assert_int_equal(pair.workers, 2);
  assert_true(pair.workspace == wb); /* the larger, not the sum */
  assert_true(fabs(pair.total - (2 * wb + pair.results)) < 1e-6 * pair.total);
  assert_true(pair.results > 100 * one.results); /* a's results and b's */
  free(a);
  free(b);
  free(err);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shortest_round_trip),
      cmocka_unit_test(test_integer_path_as_printf),
      cmocka_unit_test(test_memory_plan_counts_what_runs_at_once),
      cmocka_unit_test(test_batch_all_or_nothing),
      cmocka_unit_test(test_compare_tipping_label),
      cmocka_unit_test(test_disk_full_keeps_earlier_results),
      cmocka_unit_test(test_unwritable_folder),
      cmocka_unit_test(test_memory_refusal),
  };
  return cmocka_run_group_tests_name("output", tests, setup, tmp_remove);
}
