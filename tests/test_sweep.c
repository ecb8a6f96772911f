/* sweep: designs against hand-computed points, checks of sweep files and of
 * every point, common random numbers across points, crash and resume,
 * shards and merge. */
#include "testutil.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "sweep.h"

static int setup(void **state)
{
  (void)state;
  if (tmp_make("sweep") != 0)
    return -1;
  /* A small market: every run takes milliseconds. */
  char path[300];
  snprintf(path, sizeof path, "%s/small.cfg", tmp);
  FILE *f = fopen(path, "w");
  fputs("steps = 24;\npopulation: { developers = 3000; };\n", f);
  fclose(f);
  return 0;
}

static const char *write_sweep(const char *name, const char *body)
{
  static char path[300];
  snprintf(path, sizeof path, "%s/%s", tmp, name);
  FILE *f = fopen(path, "w");
  fputs(body, f);
  fclose(f);
  return path;
}

static void same_file(const char *a, const char *b)
{
  char *x = slurp(a), *y = slurp(b);
  assert_non_null(x);
  assert_non_null(y);
  assert_string_equal(x, y);
  free(x);
  free(y);
}

/* ---------------------------------------------------------------- designs */

static void test_grid_order_and_levels(void **state)
{
  (void)state;
  const char *file = write_sweep(
      "grid.cfg", "sweep: { design = \"grid\"; levels = 3; parameters = (\n"
                  "  { path = \"network.type\"; values = [\"mean_field\", \"small_world\"]; },\n"
                  "  { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; },\n"
                  "  { path = \"vendors.[1].growth\"; min = 0.01; max = 1.0; log = true; }\n"
                  "); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  assert_int_equal(w.n_points, 2 * 3 * 3);
  /* The last parameter varies fastest. */
  static const char *const expect[6][3] = {
      {"mean_field", "0.0", "0.01"}, {"mean_field", "0.0", "0.1"}, {"mean_field", "0.0", "1.0"},
      {"mean_field", "0.5", "0.01"}, {"mean_field", "0.5", "0.1"}, {"mean_field", "0.5", "1.0"}};
  for (size_t p = 0; p < 6; p++)
    for (size_t i = 0; i < 3; i++) {
      if (i == 2 && p % 3 == 1) /* exp(log 0.01 + (log 1 - log 0.01) / 2) */
        assert_close(strtod(w.cell[p * 3 + i], NULL), 0.1, 1e-15);
      else
        assert_string_equal(w.cell[p * 3 + i], expect[p][i]);
    }
  assert_string_equal(w.cell[9 * 3 + 0], "small_world");
  assert_string_equal(w.lit[9 * 3 + 0], "\"small_world\"");
  assert_string_equal(w.cell[17 * 3 + 1], "1.0"); /* ends exactly */
  sweep_free(&w);
}

static void test_lhs_strata(void **state)
{
  (void)state;
  const char *file =
      write_sweep("lhs.cfg", "sweep: { design = \"lhs\"; points = 20; seed = 3;\n"
                             "  parameters = (\n"
                             "  { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; },\n"
                             "  { path = \"dynamics.trust_speed\"; min = 0.0; max = 1.0; },\n"
                             "  { path = \"utility.maturity\"; min = 0.0; max = 10.0; }\n"
                             "); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  assert_int_equal(w.n_points, 20);
  /* Each parameter: one point in each of the 20 equal strata. */
  for (size_t i = 0; i < 3; i++) {
    int seen[20] = {0};
    double width = i == 2 ? 10.0 : 1.0;
    for (size_t p = 0; p < 20; p++) {
      int s = (int)floor(strtod(w.cell[p * 3 + i], NULL) / width * 20.0);
      assert_true(s >= 0 && s < 20);
      seen[s]++;
    }
    for (int s = 0; s < 20; s++)
      assert_int_equal(seen[s], 1);
  }
  sweep_free(&w);
}

static void test_sobol_first_points(void **state)
{
  (void)state;
  const char *file =
      write_sweep("sobol.cfg", "sweep: { design = \"sobol\"; points = 4;\n"
                               "  parameters = (\n"
                               "  { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; },\n"
                               "  { path = \"utility.tilt\"; min = 0.0; max = 2.0; }\n"
                               "); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  /* The Sobol sequence in 2 dimensions starts (1/2, 1/2), (3/4, 1/4),
   * (1/4, 3/4), (3/8, 3/8). */
  static const double u[4][2] = {{0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}};
  for (size_t p = 0; p < 4; p++) {
    assert_close(strtod(w.cell[p * 2], NULL), u[p][0], 0);
    assert_close(strtod(w.cell[p * 2 + 1], NULL), 2.0 * u[p][1], 0);
  }
  sweep_free(&w);
}

static void test_random_and_whole_numbers(void **state)
{
  (void)state;
  const char *body = "sweep: { design = \"random\"; points = 50; seed = %d; parameters = (\n"
                     "  { path = \"population.developers\"; min = 100; max = 200; },\n"
                     "  { path = \"events.[0].amount\"; min = 100.0; max = 1000.0; log = true; },\n"
                     "  { path = \"events.[0].decision\"; values = [\"accept\", \"decline\"]; }\n"
                     "); };\n";
  char text[600];
  snprintf(text, sizeof text, body, 5);
  sweep a, b;
  scn_errors err;
  assert_int_equal(sweep_load(write_sweep("r5.cfg", text), &a, &err), 0);
  assert_int_equal(sweep_load(write_sweep("r5b.cfg", text), &b, &err), 0);
  int decisions[2] = {0, 0};
  for (size_t p = 0; p < 50; p++) {
    char *end;
    long n = strtol(a.cell[p * 3], &end, 10);
    assert_true(*end == '\0' && n >= 100 && n <= 200); /* a whole number */
    double x = strtod(a.cell[p * 3 + 1], NULL);
    assert_true(x >= 100.0 && x <= 1000.0);
    decisions[!strcmp(a.cell[p * 3 + 2], "decline")]++;
    assert_string_equal(a.cell[p * 3 + 1], b.cell[p * 3 + 1]); /* same seed, same points */
  }
  assert_true(decisions[0] > 0 && decisions[1] > 0);
  snprintf(text, sizeof text, body, 6);
  sweep_free(&b);
  assert_int_equal(sweep_load(write_sweep("r6.cfg", text), &b, &err), 0);
  assert_string_not_equal(a.cell[1], b.cell[1]);
  sweep_free(&a);
  sweep_free(&b);
}

/* ---------------------------------------------------------------- checks */

static void test_bad_sweep_files(void **state)
{
  (void)state;
  static const struct {
    const char *text, *msg;
  } bad[] = {
      {"sweep: { desgin = \"grid\"; parameters = ( { path = \"seed\"; values = [1]; } ); };",
       ":1: sweep.desgin: unknown key (did you mean \"design\"?)"},
      {"sweep: { design = \"halton\"; parameters = ( { path = \"seed\"; values = [1]; } ); };",
       ":1: sweep.design: must be one of grid, random, lhs, sobol (got \"halton\")"},
      {"sweep: { replications = 0; parameters = ( { path = \"seed\"; values = [1]; } ); };",
       ":1: sweep.replications: must be in [1, 10000000] (got 0)"},
      {"sweep: { name = \"x\"; };",
       ":1: sweep.parameters: required: a list ( { path = ...; ... }, ... ) of 1 to 40 parameters"},
      {"sweep: { parameters = ( { path = \"seed\"; values = [1]; min = 0.0; max = 1.0; } ); };",
       ":1: sweep.parameters.[0]: give either values or min and max, not both"},
      {"sweep: { parameters = ( { path = \"seed\"; min = 1.0; } ); };",
       ":1: sweep.parameters.[0]: needs values = [...] or finite numbers min and max"},
      {"sweep: { parameters = ( { path = \"seed\"; min = 0.0; max = 1.0; log = true; } ); };",
       ":1: sweep.parameters.[0].min: must be > 0 with log = true"},
      {"sweep: { parameters = ( { path = \"seed\"; min = 2.0; max = 1.0; } ); };",
       ":1: sweep.parameters.[0].max: must be >= min"},
      {"sweep: { parameters = ( { path = \"seed\"; values = [1]; },\n"
       " { path = \"seed\"; values = [2]; } ); };",
       ":2: sweep.parameters.[1].path: \"seed\" is swept twice"},
      {"sweep: { parameters = ( { values = [1]; } ); };",
       ":1: sweep.parameters.[0].path: required: a libconfig path of the scenario"},
      {"nothing = 1;", ":0: sweep: required: a group sweep: { ... }"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *file = write_sweep("bad.cfg", bad[i].text);
    sweep w;
    scn_errors err;
    assert_int_equal(sweep_load(file, &w, &err), 2);
    char want[400];
    snprintf(want, sizeof want, "%s%s", file, bad[i].msg);
    if (strcmp(err.msg[0], want))
      fail_msg("case %zu:\n  got  %s\n  want %s", i, err.msg[0], want);
    sweep_free(&w);
  }
}

/* A bad value at one point names the sweep file's line and the point, and
 * nothing runs. */
static void test_points_checked_before_running(void **state)
{
  (void)state;
  const char *file =
      write_sweep("badpoint.cfg", "sweep: { scenario = \"small.cfg\";\n"
                                  "  parameters = (\n"
                                  "    { path = \"dynamics.multihoming\"; values = [0.5, 1.5]; },\n"
                                  "    { path = \"dynamics.nope\"; values = [1.0]; }\n"
                                  "  ); };\n");
  sweep w;
  scn_errors err;
  assert_int_equal(sweep_load(file, &w, &err), 0);
  scenario s;
  assert_int_equal(sweep_point_scenario(&w, 0, NULL, &s, NULL, &err), 2);
  char want[1024];
  snprintf(want, sizeof want,
           "%s:4: parameters.[1] (dynamics.nope = 1.0), point 0: dynamics.nope: no such key in "
           "the resolved scenario",
           file);
  assert_string_equal(err.msg[0], want);
  sweep_free(&w);
  file =
      write_sweep("badpoint2.cfg", "sweep: { scenario = \"small.cfg\";\n"
                                   "  parameters = (\n"
                                   "    { path = \"dynamics.multihoming\"; values = [0.5, 1.5]; }\n"
                                   "  ); };\n");
  assert_int_equal(sweep_load(file, &w, &err), 0);
  assert_int_equal(sweep_point_scenario(&w, 0, NULL, &s, NULL, &err), 0);
  assert_int_equal(sweep_point_scenario(&w, 1, NULL, &s, NULL, &err), 2);
  snprintf(want, sizeof want,
           "%s:3: parameters.[0] (dynamics.multihoming = 1.5), point 1: dynamics.multihoming: "
           "must be in [0, 1] (got 1.5)",
           file);
  assert_string_equal(err.msg[0], want);
  char out[300], dir[400];
  snprintf(out, sizeof out, "%s/never", tmp);
  const char *args[] = {"sweep", file, "-o", out, "--quiet", NULL};
  assert_int_equal(run_args(args), 2);
  snprintf(dir, sizeof dir, "%s/badpoint2", out);
  struct stat st;
  assert_true(stat(dir, &st) != 0); /* nothing written */
  sweep_free(&w);
}

/* ------------------------------------------------------------------ runs */

static const char *crn_sweep(void)
{
  return write_sweep("crn.cfg", "sweep: { name = \"crn\"; scenario = \"small.cfg\";\n"
                                "  replications = 3; seed = 11; parameters = (\n"
                                "    { path = \"tipping_threshold\"; values = [0.5, 0.9]; },\n"
                                "    { path = \"dynamics.multihoming\"; values = [0.2, 0.8]; }\n"
                                "  ); };\n");
}

/* Replication r has one seed at every point: points that differ only in
 * the tipping threshold have the same final metrics. */
static void test_common_random_numbers_across_points(void **state)
{
  (void)state;
  char out[300], path[400];
  snprintf(out, sizeof out, "%s/crn_out", tmp);
  const char *args[] = {"sweep", crn_sweep(), "-o", out, "--quiet", "-j", "2", NULL};
  assert_int_equal(run_args(args), 0);
  snprintf(path, sizeof path, "%s/crn/sweep.csv", out);
  char *csv = slurp(path);
  assert_non_null(csv);
  /* rows: point 0 (0.5, 0.2) and point 2 (0.9, 0.2), replication by replication */
  char *rows[12] = {0};
  char *line = strchr(csv, '\n') + 1;
  for (int k = 0; k < 12 && line && *line; k++) {
    rows[k] = line;
    line = strchr(line, '\n');
    *line++ = '\0';
  }
  for (int r = 0; r < 3; r++) {
    /* skip "p,r,threshold,multihoming,tip_step,": the launch steps and
     * the final metrics are the same */
    char *a = rows[r], *b = rows[6 + r];
    for (int c = 0; c < 5; c++) {
      a = strchr(a, ',') + 1;
      b = strchr(b, ',') + 1;
    }
    assert_string_equal(a, b);
  }
  free(csv);
}

static size_t journal_lines(const char *path)
{
  FILE *f = fopen(path, "r");
  size_t n = 0;
  int c;
  if (!f)
    return 0;
  while ((c = fgetc(f)) != EOF)
    n += c == '\n';
  fclose(f);
  return n;
}

static const char *slow_sweep(void)
{
  return write_sweep("slow.cfg",
                     "sweep: { name = \"slow\"; scenario = \"small.cfg\";\n"
                     "  replications = 4; design = \"grid\"; levels = 4; parameters = (\n"
                     "    { path = \"population.developers\"; min = 20000; max = 80000; },\n"
                     "    { path = \"dynamics.multihoming\"; min = 0.0; max = 1.0; }\n"
                     "  ); };\n");
}

/* kill -9 in the middle of a sweep, then --resume: the same bytes as an
 * uninterrupted run; a line cut short is dropped; another sweep's journal
 * is refused. */
static void test_resume_after_crash(void **state)
{
  (void)state;
  char full[300], crash[300], a[400], b[400], journal[400];
  snprintf(full, sizeof full, "%s/full", tmp);
  snprintf(crash, sizeof crash, "%s/crash", tmp);
  const char *sweep_file = slow_sweep();
  const char *whole[] = {"sweep", sweep_file, "-o", full, "--quiet", "-j", "2", NULL};
  assert_int_equal(run_args(whole), 0);
  snprintf(journal, sizeof journal, "%s/slow/journal.csv", crash);
  const char *args[] = {"sweep", sweep_file, "-o", crash, "--quiet", "-j", "2", NULL};
  pid_t pid = spawn_lockin(args, 0);
  /* Kill it once a few runs are journaled (2 header lines + runs). */
  for (int i = 0; i < 20000 && journal_lines(journal) < 2 + 5; i++)
    usleep(500);
  kill(pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  size_t held = journal_lines(journal);
  assert_true(held >= 2 + 5);
  if (WIFSIGNALED(status))
    assert_true(held < 2 + 64); /* it was cut off before the end */
  /* A line cut short by the crash. */
  FILE *f = fopen(journal, "a");
  fputs("7,1,-1,123", f);
  fclose(f);
  const char *resume[] = {"sweep", sweep_file, "-o", crash, "--quiet", "--resume", NULL};
  assert_int_equal(run_args(resume), 0);
  const char *files[] = {"sweep.csv", "sweep_summary.csv"};
  for (int k = 0; k < 2; k++) {
    snprintf(a, sizeof a, "%s/slow/%s", full, files[k]);
    snprintf(b, sizeof b, "%s/slow/%s", crash, files[k]);
    same_file(a, b);
  }
  /* Another sweep (another seed) must not use this journal. */
  const char *other[] = {"sweep", sweep_file, "-o", crash, "--quiet", "--resume", "-s", "99", NULL};
  assert_int_equal(run_args(other), 2);
}

/* check SWEEP checks every point and runs one calibration run; nothing is
 * written. */
static void test_check_sweep(void **state)
{
  (void)state;
  const char *good[] = {"check", crn_sweep(), NULL};
  assert_int_equal(run_args(good), 0);
  const char *file = write_sweep("badcheck.cfg", "sweep: { scenario = \"small.cfg\";\n"
                                                 "  parameters = ( { path = \"steps\"; values = "
                                                 "[10, 0]; } ); };\n");
  const char *bad[] = {"check", file, NULL};
  assert_int_equal(run_args(bad), 2);
}

static void test_shards_merge_to_the_whole(void **state)
{
  (void)state;
  char whole[300], sh[300], a[400], b[400], d[3][400];
  snprintf(whole, sizeof whole, "%s/whole", tmp);
  snprintf(sh, sizeof sh, "%s/sharded", tmp);
  const char *file = crn_sweep();
  const char *args[] = {"sweep", file, "-o", whole, "--quiet", NULL};
  assert_int_equal(run_args(args), 0);
  const char *ks[] = {"1/3", "2/3", "3/3"};
  for (int k = 0; k < 3; k++) {
    const char *part[] = {"sweep", file, "-o", sh, "--quiet", "--shard", ks[k], NULL};
    assert_int_equal(run_args(part), 0);
    snprintf(d[k], sizeof d[k], "%s/crn/shard-%d-of-3", sh, k + 1);
  }
  const char *two[] = {"merge", d[0], d[1], "--quiet", NULL};
  assert_int_equal(run_args(two), 2); /* shard 3 missing */
  const char *all[] = {"merge", d[2], d[0], d[1], "--quiet", NULL};
  assert_int_equal(run_args(all), 0);
  const char *files[] = {"sweep.csv", "sweep_summary.csv"};
  for (int k = 0; k < 2; k++) {
    snprintf(a, sizeof a, "%s/crn/%s", whole, files[k]);
    snprintf(b, sizeof b, "%s/crn/%s", sh, files[k]);
    same_file(a, b);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_grid_order_and_levels),
      cmocka_unit_test(test_lhs_strata),
      cmocka_unit_test(test_sobol_first_points),
      cmocka_unit_test(test_random_and_whole_numbers),
      cmocka_unit_test(test_bad_sweep_files),
      cmocka_unit_test(test_points_checked_before_running),
      cmocka_unit_test(test_common_random_numbers_across_points),
      cmocka_unit_test(test_resume_after_crash),
      cmocka_unit_test(test_check_sweep),
      cmocka_unit_test(test_shards_merge_to_the_whole),
  };
  return cmocka_run_group_tests_name("sweep", tests, setup, tmp_remove);
}
