/* sweep_files: a sweep's table, its output files, its journal and the
 * merging of shards.
 *
 * journal.csv holds one line per finished (point, replication): its tipping
 * and launch steps and final metrics, each number the shortest decimal that reads back
 * to the same double, so a resumed sweep rebuilds exactly the values of an
 * uninterrupted one.  Its first line carries a fingerprint of every point's
 * resolved scenario; a journal with another fingerprint is refused.  A line
 * cut short by a crash is dropped on resume. */
#include "sweep_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "stats.h"

const char *const sweep_input_names[SWEEP_N_INPUTS] = {"sweep.cfg", "scenario.cfg",
                                                       "overrides.txt"};

void sweep_table_free(sweep_table *t)
{
  free(t->param);
  free(t->policy);
  free(t->intname);
  free(t->metric);
  free(t->cell);
  free(t->values);
  free(t->ints);
  free(t->have);
  free(t->design_text);
  for (int i = 0; i < SWEEP_N_INPUTS; i++)
    free(t->input[i]);
  for (size_t x = 0; t->packed && x < t->P * t->Q; x++)
    free(t->packed[x]);
  free(t->packed);
  memset(t, 0, sizeof *t);
}

int sweep_table_alloc(sweep_table *t, size_t P, size_t Q, size_t R, size_t M, size_t n_int,
                      size_t n_params)
{
  t->P = P;
  t->Q = Q;
  t->R = R;
  t->M = M;
  t->n_int = n_int;
  t->n_params = n_params;
  t->param = calloc(n_params ? n_params : 1, sizeof *t->param);
  t->intname = calloc(n_int ? n_int : 1, sizeof *t->intname);
  t->policy = calloc(Q ? Q : 1, sizeof *t->policy);
  t->metric = calloc(M, sizeof *t->metric);
  t->cell = calloc(P * n_params, sizeof *t->cell);
  t->values = calloc(P * Q * R * M + 1, sizeof *t->values);
  t->ints = calloc(P * Q * R * n_int + 1, sizeof *t->ints);
  t->have = calloc(P * Q * R + 1, 1);
  if (!t->param || !t->intname || !t->policy || !t->metric || !t->cell || !t->values || !t->ints ||
      !t->have) {
    sweep_table_free(t);
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------ files */

static void put(FILE *f, double x)
{
  char b[40];
  out_double(b, sizeof b, x);
  fputc(',', f);
  fputs(b, f);
}

/* ",tip,launch...,m0,m1,..." of run k. */
static void put_run(FILE *f, const sweep_table *t, size_t k)
{
  for (size_t i = 0; i < t->n_int; i++)
    fprintf(f, ",%ld", t->ints[k * t->n_int + i]);
  for (size_t m = 0; m < t->M; m++)
    put(f, t->values[k * t->M + m]);
  fputc('\n', f);
}

/* ",tip_step,launch_step.a,...,m0,m1,..." */
static void put_run_header(FILE *f, const sweep_table *t)
{
  for (size_t i = 0; i < t->n_int; i++)
    fprintf(f, ",%s", t->intname[i]);
  for (size_t m = 0; m < t->M; m++)
    fprintf(f, ",%s", t->metric[m]);
  fputc('\n', f);
}

/* Parse ",tip,launch...,m0,..." at p into run k; the end, or NULL. */
static char *parse_run(sweep_table *t, char *p, size_t k, long *ints, double *row)
{
  char *end = p;
  for (size_t i = 0; i < t->n_int; i++) {
    if (*p != ',')
      return NULL;
    ints[i] = strtol(p + 1, &end, 10);
    if (end == p + 1)
      return NULL;
    p = end;
  }
  for (size_t m = 0; m < t->M; m++) {
    if (*p != ',')
      return NULL;
    row[m] = strtod(p + 1, &end);
    if (end == p + 1)
      return NULL;
    p = end;
  }
  if (*p != '\n')
    return NULL;
  memcpy(t->ints + k * t->n_int, ints, t->n_int * sizeof *ints);
  memcpy(t->values + k * t->M, row, t->M * sizeof *row);
  return p;
}

int sweep_point_complete(const sweep_table *t, size_t p)
{
  for (size_t k = sweep_index(t, p, 0, 0); k < sweep_index(t, p + 1, 0, 0); k++)
    if (!t->have[k])
      return 0;
  return 1;
}

/* ",param1,param2..." of point p. */
static void put_cells(FILE *f, const sweep_table *t, size_t p)
{
  for (size_t i = 0; i < t->n_params; i++)
    fprintf(f, ",%s", t->cell[p * t->n_params + i]);
}

/* Final metric m of the R replications of (p, q) into x. */
static void gather(const sweep_table *t, size_t p, size_t q, size_t m, double *x)
{
  for (size_t r = 0; r < t->R; r++)
    x[r] = t->values[sweep_index(t, p, q, r) * t->M + m];
}

/* sweep.csv, sweep_summary.csv and sweep_meta.txt for the points held. */
/* sweep_summary.csv (contrast 0: every policy, M.mean, M.lo, M.hi) or
 * sweep_contrast.csv (contrast 1: each policy after the first minus the
 * first, replication by replication: the same seeds, common random
 * numbers; M.diff, M.diff_lo, M.diff_hi).  x: scratch of R values. */
static int write_stats(out_batch *b, const sweep_table *t, int contrast, double *x)
{
  FILE *f = out_batch_open(b, contrast ? "sweep_contrast.csv" : "sweep_summary.csv");
  if (!f)
    return -1;
  const char *sfx[2][3] = {{".mean", ".lo", ".hi"}, {".diff", ".diff_lo", ".diff_hi"}};
  fputs("point,policy", f);
  for (size_t i = 0; i < t->n_params; i++)
    fprintf(f, ",%s", t->param[i]);
  for (size_t m = 0; m < t->M; m++)
    for (int c = 0; c < 3; c++)
      fprintf(f, ",%s%s", t->metric[m], sfx[contrast][c]);
  fputc('\n', f);
  for (size_t p = 0; p < t->P; p++) {
    if (!sweep_point_complete(t, p))
      continue;
    for (size_t q = (size_t)contrast; q < t->Q; q++) {
      fprintf(f, "%zu,%s", p, t->policy[q]);
      put_cells(f, t, p);
      for (size_t m = 0; m < t->M; m++) {
        gather(t, p, q, m, x);
        for (size_t r = 0; contrast && r < t->R; r++)
          x[r] -= t->values[sweep_index(t, p, 0, r) * t->M + m];
        stats_summary st;
        stats_summarize(x, t->R, &st);
        put(f, st.mean);
        put(f, st.lo);
        put(f, st.hi);
      }
      fputc('\n', f);
    }
  }
  out_batch_close(b, f);
  return 0;
}

int sweep_write_files(const char *dir, const sweep_table *t, sweep_extra_files extra, void *ctx)
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
  fputs("point,policy,replication", f);
  for (size_t i = 0; i < t->n_params; i++)
    fprintf(f, ",%s", t->param[i]);
  put_run_header(f, t);
  for (size_t p = 0; p < t->P; p++) {
    if (!sweep_point_complete(t, p))
      continue;
    for (size_t q = 0; q < t->Q; q++)
      for (size_t r = 0; r < t->R; r++) {
        fprintf(f, "%zu,%s,%zu", p, t->policy[q], r);
        put_cells(f, t, p);
        put_run(f, t, sweep_index(t, p, q, r));
      }
  }
  out_batch_close(b, f);

  if (write_stats(b, t, 0, x) != 0 || (t->Q > 1 && write_stats(b, t, 1, x) != 0))
    goto publish;
  if (extra && extra(b, ctx) != 0)
    goto publish;
  if (!(f = out_batch_open(b, "sweep_meta.txt")))
    goto publish;
  fprintf(f,
          "lockin sweep %s\nfingerprint %016llx\npoints %zu\nreplications %zu\nparameters "
          "%zu\noutcomes %zu\nmetrics %zu\nshard %zu %zu\npolicies %zu\n",
          LOCKIN_VERSION, (unsigned long long)t->fingerprint, t->P, t->R, t->n_params, t->n_int,
          t->M, t->shard_k, t->shard_n, t->Q);
  for (size_t q = 0; q < t->Q; q++)
    fprintf(f, "%s\n", t->policy[q]);
  fputs(t->design_text ? t->design_text : "", f);
  out_batch_close(b, f);
  for (int i = 0; i < SWEEP_N_INPUTS; i++)
    if (t->input[i])
      out_write_text(b, sweep_input_names[i], t->input[i]);
publish:;
  int rc = out_batch_publish(b);
  free(b);
  free(x);
  return rc;
}

/* --------------------------------------------------------------- journal */

/* The journal's identity, kept in journal.csv.id. */
static void journal_id(const sweep_table *t, char *id, size_t size)
{
  snprintf(id, size,
           "lockin sweep journal %016llx points %zu policies %zu replications %zu metrics %zu\n",
           (unsigned long long)t->fingerprint, t->P, t->Q, t->R, t->M);
}

static void journal_header(FILE *f, const sweep_table *t)
{
  fputs("point,policy,replication", f);
  put_run_header(f, t);
}

/* The index of policy `name` (up to the comma at its end), or Q. */
static size_t policy_index(const sweep_table *t, const char *name, char **end)
{
  const char *c = strchr(name, ',');
  size_t len = c ? (size_t)(c - name) : strlen(name), q = 0;
  while (q < t->Q && !(strlen(t->policy[q]) == len && !strncmp(t->policy[q], name, len)))
    q++;
  *end = (char *)name + len;
  return q;
}

/* Parse one journal line into the table; 0 if it is whole and valid. */
static int journal_line(sweep_table *t, char *line, long *ints, double *row)
{
  char *p = line, *end;
  unsigned long long pt = strtoull(p, &end, 10), rep;
  if (end == p || *end != ',')
    return -1;
  size_t q = policy_index(t, end + 1, &end);
  if (q >= t->Q || *end != ',')
    return -1;
  p = end + 1;
  rep = strtoull(p, &end, 10);
  if (end == p || *end != ',' || pt >= t->P || rep >= t->R)
    return -1;
  size_t k = sweep_index(t, (size_t)pt, q, (size_t)rep);
  if (!parse_run(t, end, k, ints, row))
    return -1;
  t->have[k] = 1;
  return 0;
}

/* A new journal: its identity beside it, then its CSV header. */
static FILE *journal_new(const char *path, const sweep_table *t, const char *id)
{
  if (out_journal_id_write(path, id) != 0)
    return NULL;
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "lockin: %s: cannot write: %s\n", path, strerror(errno));
    return NULL;
  }
  journal_header(f, t);
  fflush(f);
  return f;
}

/* Open the journal: on resume read what it holds (refusing another
 * sweep's), drop a line cut short, and append; else start it anew.  A
 * journal that is empty, or whose header was cut short, holds nothing. */
FILE *sweep_journal_open(const char *path, sweep_table *t, int resume, size_t *held)
{
  *held = 0;
  char id[200];
  journal_id(t, id, sizeof id);
  FILE *f = resume ? out_journal_resume(path) : NULL;
  if (!f) {
    if (resume && errno != ENOENT) {
      fprintf(stderr, "lockin: %s: cannot open: %s\n", path, strerror(errno));
      return NULL;
    }
    return journal_new(path, t, id);
  }
  char *line = malloc(LINE_MAX_LEN), *want = NULL;
  double *row = malloc((t->M + 1) * sizeof *row);
  long *ints = malloc((t->n_int + 1) * sizeof *ints);
  size_t want_len = 0;
  FILE *m = open_memstream(&want, &want_len);
  if (m) {
    journal_header(m, t);
    fclose(m);
  }
  if (!line || !row || !ints || !want) {
    fprintf(stderr, "lockin: %s: out of memory to read it\n", path);
    fclose(f);
    f = NULL;
    goto done;
  }
  int ok = out_journal_id_check(path, id) == 0;
  int got = ok && fgets(line, LINE_MAX_LEN, f);
  if (ok && (!got || !strchr(line, '\n'))) { /* the header cut short */
    fclose(f);
    f = journal_new(path, t, id);
  } else if (!ok || strcmp(line, want) != 0) {
    fprintf(stderr,
            "lockin: %s belongs to another sweep (or another version of this one); "
            "remove it, or run without --resume to start over\n",
            path);
    fclose(f);
    f = NULL;
  } else {
    long good = ftell(f);
    while (fgets(line, LINE_MAX_LEN, f)) {
      if (journal_line(t, line, ints, row) != 0)
        break; /* cut short by a crash: everything after it is dropped */
      (*held)++;
      good = ftell(f);
    }
    if (fflush(f) != 0 || ftruncate(fileno(f), good) != 0 || fseek(f, good, SEEK_SET) != 0) {
      fprintf(stderr, "lockin: %s: cannot repair: %s\n", path, strerror(errno));
      fclose(f);
      f = NULL;
    }
  }
done:
  free(want);
  free(line);
  free(row);
  free(ints);
  return f;
}

void sweep_journal_write(FILE *f, const sweep_table *t, size_t k)
{
  size_t r = k % t->R, q = k / t->R % t->Q, p = k / t->R / t->Q;
  fprintf(f, "%zu,%s,%zu", p, t->policy[q], r);
  put_run(f, t, k);
  fflush(f); /* a killed process loses at most the line being written */
}

/* ------------------------------------------------------------------ merge */

typedef char policy_names[SWEEP_MAX_POLICIES][SCN_NAME_LEN];

static int read_meta(const char *dir, sweep_table *t, size_t *np, size_t *n_int, policy_names names)
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
                 "%zu outcomes %zu metrics %zu shard %zu %zu policies %zu",
                 &fp, &t->P, &t->R, np, n_int, &t->M, &t->shard_k, &t->shard_n, &t->Q);
  /* Bounded as a sweep file bounds them, and the table of values must fit
   * in memory: a damaged meta file is refused, never allocated. */
  size_t max_metrics = 64 + 16 * (SCN_MAX_VENDORS + SCN_MAX_HUBS);
  int sizes_ok =
      n == 9 && t->P >= 1 && t->P <= SWEEP_MAX_POINTS && t->R >= 1 &&
      t->R <= (size_t)SCN_MAX_REPLICATIONS && *np >= 1 && *np <= SWEEP_MAX_PARAMS && *n_int >= 1 &&
      *n_int <= 1 + SCN_MAX_HUBS && t->M >= 1 && t->M <= max_metrics && t->shard_n >= 1 &&
      t->shard_n <= SWEEP_MAX_POINTS && t->shard_k >= 1 && t->shard_k <= t->shard_n && t->Q >= 1 &&
      t->Q <= SWEEP_MAX_POLICIES &&
      (double)t->P * (double)t->Q * (double)t->R * (double)(t->M + *n_int + 1) * 8.0 < 0x1p40;
  int names_ok = sizes_ok;
  for (size_t q = 0; names_ok && q < t->Q; q++) {
    char name[64];
    names_ok = fscanf(f, "%63s", name) == 1 && strlen(name) < SCN_NAME_LEN;
    if (names_ok)
      snprintf(names[q], SCN_NAME_LEN, "%s", name);
  }
  /* The rest, the design's lines, is carried through as it is. */
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  int c = names_ok ? fgetc(f) : EOF; /* the end of the last name's line */
  while (m && (c = fgetc(f)) != EOF && len < 65536)
    fputc(c, m);
  if (m)
    fclose(m);
  t->design_text = text;
  fclose(f);
  if (!names_ok) {
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
  double *row = malloc((t->M + 1) * sizeof *row);
  long *ints = malloc((t->n_int + 1) * sizeof *ints);
  int rc = -1;
  if (!f || !line || !row || !ints) {
    fprintf(stderr, "lockin: merge: %s: cannot read: %s\n", path, strerror(errno));
    goto done;
  }
  if (!fgets(line, LINE_MAX_LEN, f))
    goto bad;
  /* Header: point,policy,replication,<params>,tip_step,<launch steps>,<metrics> */
  char *save = NULL, *tok = strtok_r(line, ",\n", &save);
  tok = tok ? strtok_r(NULL, ",\n", &save) : NULL;
  tok = tok ? strtok_r(NULL, ",\n", &save) : NULL;
  for (size_t i = 0; i < t->n_params; i++) {
    tok = strtok_r(NULL, ",\n", &save);
    if (!tok || (first ? (snprintf(t->param[i], sizeof t->param[i], "%s", tok), 0)
                       : strcmp(t->param[i], tok) != 0))
      goto bad;
  }
  for (size_t i = 0; i < t->n_int; i++) {
    tok = strtok_r(NULL, ",\n", &save);
    if (!tok || (first ? (snprintf(t->intname[i], sizeof t->intname[i], "%s", tok), 0)
                       : strcmp(t->intname[i], tok) != 0))
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
    size_t q = policy_index(t, end + 1, &end);
    if (q >= t->Q || *end != ',')
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
    size_t k = sweep_index(t, pt, q, r);
    if (t->have[k] || !parse_run(t, p - 1, k, ints, row))
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
  free(row);
  free(ints);
  return rc;
}

/* The shards' sweep_timeseries.csv joined point by point (each shard's
 * rows are in point order; point p is in shard p % N + 1). */
typedef struct {
  const char *const *dirs;
  size_t *dir_of; /* [shard k]: index into dirs */
  size_t P, N;
} merge_series;

static int merge_series_files(out_batch *b, void *ctx)
{
  const merge_series *ms = ctx;
  FILE **in = calloc(ms->N + 1, sizeof *in);
  char **pending = calloc(ms->N + 1, sizeof *pending);
  char *line = malloc(1 << 20);
  FILE *out = out_batch_open(b, "sweep_timeseries.csv");
  int rc = -1;
  if (!in || !pending || !line || !out)
    goto done;
  for (size_t k = 1; k <= ms->N; k++) {
    char path[4200];
    snprintf(path, sizeof path, "%s/sweep_timeseries.csv", ms->dirs[ms->dir_of[k]]);
    in[k] = fopen(path, "r");
    pending[k] = malloc(1 << 20);
    if (!in[k] || !pending[k] || !fgets(line, 1 << 20, in[k])) {
      fprintf(stderr, "lockin: merge: %s: cannot read\n", path);
      goto done;
    }
    if (k == 1)
      fputs(line, out); /* the header */
    if (!fgets(pending[k], 1 << 20, in[k]))
      pending[k][0] = '\0';
  }
  for (size_t p = 0; p < ms->P; p++) {
    size_t k = p % ms->N + 1, rows = 0;
    while (pending[k][0] && strtoull(pending[k], NULL, 10) == p) {
      fputs(pending[k], out);
      rows++;
      if (!fgets(pending[k], 1 << 20, in[k]))
        pending[k][0] = '\0';
    }
    if (rows == 0) {
      fprintf(stderr, "lockin: merge: point %zu is missing from the shards' sweep_timeseries.csv\n",
              p);
      goto done;
    }
  }
  rc = 0;
done:
  if (out)
    out_batch_close(b, out);
  for (size_t k = 0; in && pending && k <= ms->N; k++) {
    if (in[k])
      fclose(in[k]);
    free(pending[k]);
  }
  free(in);
  free(pending);
  free(line);
  return rc;
}

/* Whether the shards' sweep.csv files are large enough for the rows the
 * meta data promises (each row at least two characters a field), so that a
 * damaged meta file cannot make merge allocate more than a few times what
 * it reads. */
static int sizes_fit_files(const char *const *dirs, size_t n, const sweep_table *t, size_t np,
                           size_t ni)
{
  double bytes = 0;
  for (size_t d = 0; d < n; d++) {
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/sweep.csv", dirs[d]);
    if (stat(path, &st) == 0)
      bytes += (double)st.st_size;
  }
  double need = (double)t->P * (double)t->Q * (double)t->R * 2.0 * (double)(3 + np + ni + t->M);
  if (need <= bytes)
    return 1;
  fprintf(stderr,
          "lockin: merge: %s/sweep_meta.txt promises %zu points x %zu policies x %zu "
          "replications, more rows than the shards' sweep.csv files can hold (%.0f bytes); "
          "shards missing, or a damaged meta file\n",
          dirs[0], t->P, t->Q, t->R, bytes);
  return 0;
}

int sweep_merge(const char *const *dirs, size_t n, const char *outdir, int quiet)
{
  sweep_table t = {0}, first = {0};
  size_t np = 0, np_i, ni = 0, ni_i;
  char dir[4096];
  if (n == 0) {
    fprintf(stderr, "lockin: merge needs the folders of the shards\n");
    return 2;
  }
  policy_names names = {{0}}, names_i = {{0}};
  if (read_meta(dirs[0], &first, &np, &ni, names) != 0 ||
      !sizes_fit_files(dirs, n, &first, np, ni) ||
      sweep_table_alloc(&t, first.P, first.Q, first.R, first.M, ni, np) != 0) {
    free(first.design_text);
    return 2;
  }
  memcpy(t.policy, names, first.Q * sizeof names[0]);
  t.design_text = first.design_text;
  first.design_text = NULL;
  for (int i = 0; i < SWEEP_N_INPUTS; i++) { /* the first shard's copies */
    scn_errors none;
    none.count = 0;
    snprintf(dir, sizeof dir, "%s/%s", dirs[0], sweep_input_names[i]);
    if (access(dir, F_OK) == 0)
      t.input[i] = scenario_read_text(dir, &none);
  }
  t.fingerprint = first.fingerprint;
  t.shard_k = t.shard_n = 1;
  unsigned char *seen = calloc(first.shard_n + 1, 1);
  size_t *dir_of = calloc(first.shard_n + 1, sizeof *dir_of), with_series = 0;
  int rc = 2;
  for (size_t d = 0; seen && d < n; d++) {
    sweep_table m = {0};
    int bad_meta = read_meta(dirs[d], &m, &np_i, &ni_i, names_i) != 0;
    int same_design = m.design_text && t.design_text && !strcmp(m.design_text, t.design_text);
    free(m.design_text);
    if (bad_meta)
      goto done;
    if (m.fingerprint != first.fingerprint || m.P != first.P || m.R != first.R || np_i != np ||
        ni_i != ni || m.Q != first.Q || memcmp(names, names_i, first.Q * sizeof names[0]) != 0 ||
        !same_design || m.M != first.M || m.shard_n != first.shard_n || m.shard_k < 1 ||
        m.shard_k > m.shard_n) {
      fprintf(stderr, "lockin: merge: %s is not a shard of the same sweep as %s\n", dirs[d],
              dirs[0]);
      goto done;
    }
    if (seen[m.shard_k]) {
      fprintf(stderr, "lockin: merge: shard %zu of %zu given twice\n", m.shard_k, m.shard_n);
      goto done;
    }
    seen[m.shard_k] = 1;
    if (dir_of)
      dir_of[m.shard_k] = d;
    char ts[4200];
    snprintf(ts, sizeof ts, "%s/sweep_timeseries.csv", dirs[d]);
    with_series += access(ts, R_OK) == 0;
    if (read_rows(dirs[d], &t, d == 0) != 0)
      goto done;
  }
  if (!dir_of || (with_series != 0 && with_series != n)) {
    fprintf(stderr, "lockin: merge: some shards have sweep_timeseries.csv and some do not; run "
                    "them all with --timeseries, or none\n");
    goto done;
  }
  for (size_t p = 0; seen && p < t.P; p++)
    if (!sweep_point_complete(&t, p)) {
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
  merge_series ms = {dirs, dir_of, t.P, first.shard_n};
  if (out_mkdirs(dir) != 0 ||
      sweep_write_files(dir, &t, with_series ? merge_series_files : NULL, &ms) != 0)
    goto done;
  if (!quiet)
    printf("merged %zu shards: %zu points x %zu replications into %s/sweep.csv and "
           "sweep_summary.csv\n",
           n, t.P, t.R, dir);
  rc = 0;
done:
  free(seen);
  free(dir_of);
  sweep_table_free(&t);
  return rc;
}
