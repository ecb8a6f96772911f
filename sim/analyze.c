/* analyze: a sweep folder in, indices out (see analyze.h).  Where the SPEC
 * is silent: a list parameter counts as its numeric value, or for text the
 * order of first appearance (PRCC and PRIM rank or cut it like a number);
 * Sobol and Morris use ranges only; bootstrap resamples are seeded with 1. */
#include "analyze.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "output.h"
#include "sweep.h"

#define EXIT_USAGE    2
#define EXIT_FAIL     1
#define LINE_MAX_LEN  (1 << 20)
#define PRIM_ALPHA    0.05
#define PRIM_MIN_MASS 0.05
#define PRIM_DENSITY  0.8
#define BOOT_SEED     1

typedef struct {
  char path[160];
  int is_range, is_log;
  double min, max;
} param_info;

/* What analyze reads of a sweep folder. */
typedef struct {
  size_t P, Q, R, k, n_int, M;
  char design[16];
  long levels;
  char policy[SWEEP_MAX_POLICIES][SCN_NAME_LEN];
  param_info param[SWEEP_MAX_PARAMS];
  char (*metric)[96]; /* [M] names */
  double *x;          /* [p * k + i] parameter values */
  double *v;          /* [((p * Q + q) * R + r) * n_used + u] values of the used metrics */
  size_t n_used, used[ANALYZE_MAX_METRICS * 2 + 1]; /* metric columns read */
} sweep_data;

/* A parsed metric expression. */
typedef struct {
  char text[200];
  size_t col;  /* index into used[] */
  size_t p, q; /* policies; q == Q: none (M@P), p == Q: plain M */
} expr;

static int read_meta(const char *dir, sweep_data *d)
{
  char path[4200], line[512];
  snprintf(path, sizeof path, "%s/sweep_meta.txt", dir);
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "lockin: analyze: %s: cannot read: %s (not a finished sweep's folder?)\n", path,
            strerror(errno));
    return -1;
  }
  size_t shard_k, shard_n;
  unsigned long long fp;
  int n = fscanf(f,
                 "lockin sweep %*s fingerprint %llx points %zu replications %zu parameters %zu "
                 "outcomes %zu metrics %zu shard %zu %zu policies %zu",
                 &fp, &d->P, &d->R, &d->k, &d->n_int, &d->M, &shard_k, &shard_n, &d->Q);
  int ok = n == 9 && d->Q >= 1 && d->Q <= SWEEP_MAX_POLICIES && d->k <= SWEEP_MAX_PARAMS &&
           d->P > 0 && d->R > 0 && d->M > 0 && d->M < 100000 && d->n_int < 100;
  for (size_t q = 0; ok && q < d->Q; q++)
    ok = fscanf(f, "%31s", d->policy[q]) == 1;
  ok = ok && fscanf(f, " design %15s levels %ld", d->design, &d->levels) == 2;
  for (size_t i = 0; ok && i < d->k; i++) {
    char kind[16], scale[16];
    param_info *pi = &d->param[i];
    ok = fscanf(f, " parameter %159s %15s %lf %lf %15s", pi->path, kind, &pi->min, &pi->max,
                scale) == 5;
    pi->is_range = ok && !strcmp(kind, "range");
    pi->is_log = ok && !strcmp(scale, "log");
  }
  (void)line;
  fclose(f);
  if (!ok) {
    fprintf(stderr, "lockin: analyze: %s: not a sweep_meta.txt this version of lockin reads\n",
            path);
    return -1;
  }
  if (shard_n > 1) {
    fprintf(stderr,
            "lockin: analyze: %s holds shard %zu of %zu; merge the shards first "
            "(lockin merge)\n",
            dir, shard_k, shard_n);
    return -1;
  }
  return 0;
}

/* Field after `c` commas of line (0: the first), or NULL. */
static const char *skip_fields(const char *line, size_t c)
{
  for (; c > 0 && line; c--) {
    line = strchr(line, ',');
    line = line ? line + 1 : NULL;
  }
  return line;
}

/* The metric column named name, or M. */
static size_t metric_col(const sweep_data *d, const char *name, size_t len)
{
  for (size_t m = 0; m < d->M; m++)
    if (strlen(d->metric[m]) == len && !strncmp(d->metric[m], name, len))
      return m;
  return d->M;
}

static size_t policy_of(const sweep_data *d, const char *name, size_t len)
{
  for (size_t q = 0; q < d->Q; q++)
    if (strlen(d->policy[q]) == len && !strncmp(d->policy[q], name, len))
      return q;
  return d->Q;
}

/* "M", "M@P" or "M@P-Q"; registers M among the metrics to read.  0, or -1
 * with a message. */
static int parse_expr(sweep_data *d, const char *text, expr *e)
{
  snprintf(e->text, sizeof e->text, "%s", text);
  const char *at = strchr(text, '@');
  size_t mlen = at ? (size_t)(at - text) : strlen(text);
  size_t m = metric_col(d, text, mlen);
  if (m == d->M) {
    fprintf(stderr, "lockin: analyze: \"%s\": no metric \"%.*s\" in sweep.csv (e.g. %s)\n", text,
            (int)mlen, text, d->metric[d->M > 10 ? 10 : 0]);
    return -1;
  }
  e->p = e->q = d->Q;
  if (at) {
    const char *minus = strchr(at + 1, '-');
    size_t plen = minus ? (size_t)(minus - at - 1) : strlen(at + 1);
    e->p = policy_of(d, at + 1, plen);
    if (minus)
      e->q = policy_of(d, minus + 1, strlen(minus + 1));
    if (e->p == d->Q || (minus && e->q == d->Q)) {
      fprintf(stderr, "lockin: analyze: \"%s\": no such policy (the sweep's policies:", text);
      for (size_t q = 0; q < d->Q; q++)
        fprintf(stderr, " %s", d->policy[q]);
      fprintf(stderr, ")\n");
      return -1;
    }
  } else if (d->Q > 1) {
    fprintf(stderr,
            "lockin: analyze: \"%s\": the sweep has %zu policies; say which, %s@%s, or a "
            "difference, %s@%s-%s\n",
            text, d->Q, d->metric[m], d->policy[0], d->metric[m], d->policy[1], d->policy[0]);
    return -1;
  } else {
    e->p = 0;
    e->q = d->Q;
  }
  size_t u = 0;
  while (u < d->n_used && d->used[u] != m)
    u++;
  if (u == d->n_used)
    d->used[d->n_used++] = m;
  e->col = u;
  return 0;
}

/* sweep.csv: the header's metric names, then the used columns and the
 * parameter values.  0, or -1 with a message. */
static int read_header(const char *dir, sweep_data *d, FILE **out)
{
  char path[4200];
  snprintf(path, sizeof path, "%s/sweep.csv", dir);
  FILE *f = fopen(path, "r");
  char *line = malloc(LINE_MAX_LEN);
  d->metric = calloc(d->M, sizeof *d->metric);
  if (!f || !line || !d->metric || !fgets(line, LINE_MAX_LEN, f)) {
    fprintf(stderr, "lockin: analyze: %s: cannot read\n", path);
    if (f)
      fclose(f);
    free(line);
    return -1;
  }
  const char *c = skip_fields(line, 3 + d->k + d->n_int);
  for (size_t m = 0; c && m < d->M; m++) {
    size_t len = strcspn(c, ",\n");
    snprintf(d->metric[m], sizeof d->metric[m], "%.*s", (int)len, c);
    c = skip_fields(c, 1);
  }
  free(line);
  *out = f;
  return 0;
}

static int read_rows(FILE *f, sweep_data *d)
{
  size_t rows = d->P * d->Q * d->R;
  char *line = malloc(LINE_MAX_LEN);
  unsigned char *seen = calloc(rows, 1);
  char(*names)[SWEEP_CELL_LEN] = calloc(d->k * 64 + 1, sizeof *names); /* list texts */
  size_t n_names[SWEEP_MAX_PARAMS] = {0};
  d->x = calloc(d->P * d->k + 1, sizeof *d->x);
  d->v = calloc(rows * d->n_used + 1, sizeof *d->v);
  int rc = -1;
  if (!line || !seen || !names || !d->x || !d->v)
    goto done;
  size_t got = 0;
  while (fgets(line, LINE_MAX_LEN, f)) {
    char *end;
    size_t p = strtoul(line, &end, 10);
    if (*end != ',' || p >= d->P)
      goto bad;
    size_t q = policy_of(d, end + 1, strcspn(end + 1, ","));
    const char *c = skip_fields(end + 1, 1);
    size_t r = c ? strtoul(c, &end, 10) : d->R;
    if (q >= d->Q || r >= d->R || *end != ',')
      goto bad;
    size_t k = (p * d->Q + q) * d->R + r;
    if (seen[k])
      goto bad;
    seen[k] = 1;
    got++;
    c = end + 1;
    for (size_t i = 0; i < d->k; i++) {
      size_t len = strcspn(c, ",");
      char *e2;
      double v = strtod(c, &e2);
      if (e2 != c + len) { /* a text value: its order of first appearance */
        size_t x = 0;
        while (x < n_names[i] &&
               !(strlen(names[i * 64 + x]) == len && !strncmp(names[i * 64 + x], c, len)))
          x++;
        if (x == n_names[i] && x < 64)
          snprintf(names[i * 64 + n_names[i]++], SWEEP_CELL_LEN, "%.*s", (int)len, c);
        v = (double)x;
      }
      d->x[p * d->k + i] = v;
      c = skip_fields(c, 1);
      if (!c)
        goto bad;
    }
    const char *base = skip_fields(c, d->n_int); /* the first metric */
    for (size_t u = 0; base && u < d->n_used; u++) {
      const char *at = skip_fields(base, d->used[u]);
      char *e3;
      double v = at ? strtod(at, &e3) : NAN;
      if (!at || e3 == at)
        goto bad;
      d->v[k * d->n_used + u] = v;
    }
    if (!base)
      goto bad;
  }
  if (got != rows) {
    fprintf(stderr, "lockin: analyze: sweep.csv holds %zu of the sweep's %zu runs\n", got, rows);
    goto done;
  }
  rc = 0;
  goto done;
bad:
  fprintf(stderr, "lockin: analyze: sweep.csv: a line that is not this sweep's: %.80s\n", line);
done:
  free(line);
  free(seen);
  free(names);
  return rc;
}

/* The per-point mean over replications of expression e into y[0..P). */
static void point_means(const sweep_data *d, const expr *e, double *y)
{
  for (size_t p = 0; p < d->P; p++) {
    double s = 0;
    for (size_t r = 0; r < d->R; r++) {
      double a = d->v[((p * d->Q + e->p) * d->R + r) * d->n_used + e->col];
      double b = e->q < d->Q ? d->v[((p * d->Q + e->q) * d->R + r) * d->n_used + e->col] : 0.0;
      s += a - b;
    }
    y[p] = s / (double)d->R;
  }
}

/* The unit-cube coordinate of parameter i's value v. */
static double unit_of(const param_info *pi, double v)
{
  if (!pi->is_range || !(pi->max > pi->min))
    return 0;
  if (pi->is_log)
    return (log(v) - log(pi->min)) / (log(pi->max) - log(pi->min));
  return (v - pi->min) / (pi->max - pi->min);
}

/* ------------------------------------------------------------- printing */

static void put(FILE *f, double x)
{
  char b[40];
  out_double(b, sizeof b, x);
  fputc(',', f);
  fputs(b, f);
}

static size_t *order_by(const double *key, size_t n)
{
  size_t *o = malloc((n ? n : 1) * sizeof *o);
  if (!o)
    return NULL;
  for (size_t i = 0; i < n; i++)
    o[i] = i;
  for (size_t a = 1; a < n; a++) /* insertion sort, descending; n <= 40 */
    for (size_t b = a; b > 0 && key[o[b - 1]] < key[o[b]]; b--) {
      size_t t = o[b];
      o[b] = o[b - 1];
      o[b - 1] = t;
    }
  return o;
}

/* ------------------------------------------------------------- methods */

/* What every method reads: the sweep, the expressions, scratch for a
 * metric's per-point means. */
typedef struct {
  const sweep_data *d;
  const expr *ex;
  size_t n_ex;
  double *fy;
  int quiet;
} method_ctx;

/* sobol.csv and its table (design saltelli).  0, or -1. */
static int write_sobol(out_batch *b, const method_ctx *mc)
{
  const sweep_data *d = mc->d;
  const expr *ex = mc->ex;
  size_t n_ex = mc->n_ex, k = d->k;
  double *fy = mc->fy;
  int quiet = mc->quiet;
  FILE *f = out_batch_open(b, "sobol.csv");
  if (!f)
    return -1;
  fputs("metric,parameter,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi\n", f);
  sobol_index si[SWEEP_MAX_PARAMS];
  size_t n_base = d->P / (k + 2);
  for (size_t x = 0; x < n_ex; x++) {
    point_means(d, &ex[x], fy);
    if (analysis_sobol(fy, n_base, k, BOOT_SEED, si) != 0) {
      if (!quiet)
        printf("\nSobol indices of %s: none (the metric does not vary)\n", ex[x].text);
      continue;
    }
    double key[SWEEP_MAX_PARAMS];
    for (size_t i = 0; i < k; i++) {
      fprintf(f, "%s,%s", ex[x].text, d->param[i].path);
      double v6[6] = {si[i].S1, si[i].S1_lo, si[i].S1_hi, si[i].ST, si[i].ST_lo, si[i].ST_hi};
      for (int c = 0; c < 6; c++)
        put(f, v6[c]);
      fputc('\n', f);
      key[i] = si[i].ST;
    }
    if (quiet)
      continue;
    printf("\nSobol indices of %s (%zu base samples; 95%% bootstrap intervals), by total "
           "effect:\n  %-44s %-26s %-26s\n",
           ex[x].text, n_base, "parameter", "S1 (first order)", "ST (total)");
    size_t *ord = order_by(key, k);
    for (size_t z = 0; ord && z < k; z++) {
      const sobol_index *s = &si[ord[z]];
      char a[40], c2[40];
      snprintf(a, sizeof a, "%.3f [%.3f, %.3f]", s->S1, s->S1_lo, s->S1_hi);
      snprintf(c2, sizeof c2, "%.3f [%.3f, %.3f]", s->ST, s->ST_lo, s->ST_hi);
      printf("  %-44s %-26s %-26s\n", d->param[ord[z]].path, a, c2);
    }
    free(ord);
  }
  out_batch_close(b, f);
  return 0;
}

/* morris.csv and its table (design morris); u: scratch of P x k.  0, or -1. */
static int write_morris(out_batch *b, const method_ctx *mc, double *u)
{
  const sweep_data *d = mc->d;
  const expr *ex = mc->ex;
  size_t n_ex = mc->n_ex, k = d->k;
  double *fy = mc->fy;
  int quiet = mc->quiet;
  for (size_t p = 0; p < d->P; p++)
    for (size_t i = 0; i < k; i++)
      u[p * k + i] = unit_of(&d->param[i], d->x[p * k + i]);
  FILE *f = out_batch_open(b, "morris.csv");
  if (!f)
    return -1;
  fputs("metric,parameter,mu,mu_star,mu_star_lo,mu_star_hi,sigma,effects\n", f);
  morris_index mi[SWEEP_MAX_PARAMS];
  for (size_t x = 0; x < n_ex; x++) {
    point_means(d, &ex[x], fy);
    if (analysis_morris(u, fy, d->P / (k + 1), k, BOOT_SEED, mi) != 0)
      return -1;
    double key[SWEEP_MAX_PARAMS];
    for (size_t i = 0; i < k; i++) {
      fprintf(f, "%s,%s", ex[x].text, d->param[i].path);
      double v5[5] = {mi[i].mu, mi[i].mu_star, mi[i].mu_star_lo, mi[i].mu_star_hi, mi[i].sigma};
      for (int c = 0; c < 5; c++)
        put(f, v5[c]);
      fprintf(f, ",%zu\n", mi[i].n);
      key[i] = mi[i].mu_star;
    }
    if (quiet)
      continue;
    printf("\nMorris elementary effects of %s (per unit of each parameter's range), by "
           "mu*:\n  %-44s %12s %-32s %12s\n",
           ex[x].text, "parameter", "mu", "mu* [95%]", "sigma");
    size_t *ord = order_by(key, k);
    for (size_t z = 0; ord && z < k; z++) {
      const morris_index *m = &mi[ord[z]];
      char a[48];
      snprintf(a, sizeof a, "%.4g [%.4g, %.4g]", m->mu_star, m->mu_star_lo, m->mu_star_hi);
      printf("  %-44s %12.4g %-32s %12.4g\n", d->param[ord[z]].path, m->mu, a, m->sigma);
    }
    free(ord);
  }
  out_batch_close(b, f);
  return 0;
}

/* prcc.csv and its table (every design but grid).  0, or -1. */
static int write_prcc(out_batch *b, const method_ctx *mc)
{
  const sweep_data *d = mc->d;
  const expr *ex = mc->ex;
  size_t n_ex = mc->n_ex, k = d->k;
  double *fy = mc->fy;
  int quiet = mc->quiet;
  FILE *f = out_batch_open(b, "prcc.csv");
  if (!f)
    return -1;
  fputs("metric,parameter,prcc,lo,hi\n", f);
  prcc_index pc[SWEEP_MAX_PARAMS];
  for (size_t x = 0; x < n_ex; x++) {
    point_means(d, &ex[x], fy);
    if (analysis_prcc(d->x, fy, d->P, k, pc) != 0) {
      if (!quiet)
        printf("\nPRCC of %s: none (too few points, or a metric or parameter that does not "
               "vary)\n",
               ex[x].text);
      continue;
    }
    double key[SWEEP_MAX_PARAMS];
    for (size_t i = 0; i < k; i++) {
      fprintf(f, "%s,%s", ex[x].text, d->param[i].path);
      put(f, pc[i].prcc);
      put(f, pc[i].lo);
      put(f, pc[i].hi);
      fputc('\n', f);
      key[i] = fabs(pc[i].prcc);
    }
    if (quiet)
      continue;
    printf("\nPartial rank correlations with %s (95%% intervals, Fisher z), by size:\n",
           ex[x].text);
    size_t *ord = order_by(key, k);
    for (size_t z = 0; ord && z < k; z++) {
      const prcc_index *c = &pc[ord[z]];
      printf("  %-44s %+.3f [%+.3f, %+.3f]%s\n", d->param[ord[z]].path, c->prcc, c->lo, c->hi,
             c->lo > 0 || c->hi < 0 ? "" : "  (0 inside)");
    }
    free(ord);
  }
  out_batch_close(b, f);
  return 0;
}

/* prim.csv and its table for --discover: where `disc` `op` `thr` holds.
 * 0, -1, or -2 when it holds nowhere. */
static int write_prim(out_batch *b, const method_ctx *mc, const expr *disc, const char *op,
                      double thr, const char *discover, int *hit)
{
  const sweep_data *d = mc->d;
  size_t k = d->k;
  double *fy = mc->fy;
  int quiet = mc->quiet;
  point_means(d, disc, fy);
  size_t n_hit = 0;
  for (size_t p = 0; p < d->P; p++) {
    double v = fy[p];
    hit[p] = !strcmp(op, "<")    ? v < thr
             : !strcmp(op, "<=") ? v <= thr
             : !strcmp(op, ">")  ? v > thr
                                 : v >= thr;
    n_hit += (size_t)hit[p];
  }
  prim_result pr;
  if (n_hit == 0) {
    double lo = fy[0], hi = fy[0];
    for (size_t p = 1; p < d->P; p++) {
      lo = fy[p] < lo ? fy[p] : lo;
      hi = fy[p] > hi ? fy[p] : hi;
    }
    fprintf(stderr,
            "lockin: analyze: --discover: %s holds at no point (its per-point means "
            "run from %g to %g)\n",
            discover, lo, hi);
    return -2;
  }
  if (analysis_prim(d->x, hit, d->P, k, PRIM_ALPHA, PRIM_MIN_MASS, PRIM_DENSITY, &pr) != 0)
    return -1;
  FILE *f = out_batch_open(b, "prim.csv");
  if (!f) {
    analysis_prim_free(&pr);
    return -1;
  }
  fputs("step,coverage,density,mass,restricted,chosen", f);
  for (size_t i = 0; i < k; i++)
    fprintf(f, ",%s.lo,%s.hi", d->param[i].path, d->param[i].path);
  fputc('\n', f);
  for (size_t s = 0; s < pr.n_steps; s++) {
    const prim_box *bx = &pr.step[s];
    fprintf(f, "%zu", s);
    put(f, bx->coverage);
    put(f, bx->density);
    put(f, bx->mass);
    fprintf(f, ",%zu,%d", bx->restricted, s == pr.chosen);
    for (size_t i = 0; i < k; i++) {
      put(f, bx->lo[i]);
      put(f, bx->hi[i]);
    }
    fputc('\n', f);
  }
  out_batch_close(b, f);
  if (!quiet) {
    printf("\nPRIM: where %s (%zu of %zu points); peeling alpha %.2f down to mass %.2f, then "
           "pasting\n  %4s %9s %9s %7s %s\n",
           discover, n_hit, d->P, PRIM_ALPHA, PRIM_MIN_MASS, "step", "coverage", "density", "mass",
           "restricted");
    for (size_t s = 0; s < pr.n_steps; s++)
      printf("  %4zu %9.3f %9.3f %7.3f %zu%s\n", s, pr.step[s].coverage, pr.step[s].density,
             pr.step[s].mass, pr.step[s].restricted, s == pr.chosen ? "   <- chosen" : "");
    const prim_box *bx = &pr.step[pr.chosen];
    printf("the chosen box (step %zu): coverage %.3f, density %.3f, mass %.3f\n", pr.chosen,
           bx->coverage, bx->density, bx->mass);
    for (size_t i = 0; i < k; i++) {
      double lo = pr.step[0].lo[i], hi = pr.step[0].hi[i];
      if (bx->lo[i] > lo || bx->hi[i] < hi)
        printf("  %-44s [%.4g, %.4g] of [%.4g, %.4g]\n", d->param[i].path, bx->lo[i], bx->hi[i], lo,
               hi);
    }
  }
  analysis_prim_free(&pr);
  return 0;
}

/* The metric expressions: given, or the focal share, diversity and owners'
 * value (the second policy minus the first with two or more).  How many,
 * or 0 with a message. */
static size_t parse_metrics(sweep_data *d, const analyze_options *o, expr *ex)
{
  const char *defaults[3] = {NULL, "vendor_d1", NULL};
  for (size_t m = 0; m < d->M; m++) {
    if (!defaults[0] && !strncmp(d->metric[m], "hub_share.", 10))
      defaults[0] = d->metric[m];
    if (!defaults[2] && !strncmp(d->metric[m], "owners_value.", 13))
      defaults[2] = d->metric[m];
  }
  char text[200];
  size_t n_given = o->n_metrics, n = 0;
  for (size_t x = 0; x < (n_given ? n_given : 3); x++) {
    const char *t = n_given ? o->metric[x] : defaults[x];
    if (!t)
      continue;
    if (!n_given && d->Q > 1)
      snprintf(text, sizeof text, "%s@%s-%s", t, d->policy[1], d->policy[0]);
    else
      snprintf(text, sizeof text, "%s", t);
    if (parse_expr(d, text, &ex[n]) != 0)
      return 0;
    n++;
  }
  if (n == 0)
    fprintf(stderr, "lockin: analyze: no metric to analyse; name one with --metric\n");
  return n;
}

/* --discover "EXPR OP VALUE" into *disc, op and *thr.  0, or -1 with a
 * message. */
static int parse_discover(sweep_data *d, const char *text, expr *disc, char op[3], double *thr)
{
  char etext[200];
  int used = 0;
  if (sscanf(text, " %199[^<>= ] %2[<>=] %lf %n", etext, op, thr, &used) != 3 ||
      text[used] != '\0' ||
      !(strcmp(op, "<") == 0 || strcmp(op, "<=") == 0 || strcmp(op, ">") == 0 ||
        strcmp(op, ">=") == 0) ||
      !isfinite(*thr)) {
    fprintf(stderr,
            "lockin: analyze: --discover: expects \"EXPR OP VALUE\" with OP one of <, <=, >, "
            ">= (got \"%s\")\n",
            text);
    return -1;
  }
  return parse_expr(d, etext, disc);
}

/* ------------------------------------------------------------------ run */

int analyze_run(const analyze_options *o)
{
  sweep_data d;
  memset(&d, 0, sizeof d);
  out_batch *b = NULL;
  expr ex[ANALYZE_MAX_METRICS + 1];
  size_t n_ex = 0;
  FILE *csv = NULL;
  double *y = NULL, *u = NULL, *fy = NULL;
  int *hit = NULL;
  int rc = EXIT_USAGE;
  if (read_meta(o->dir, &d) != 0 || read_header(o->dir, &d, &csv) != 0)
    goto done;
  expr disc;
  char op[3] = "";
  double thr = 0;
  if ((n_ex = parse_metrics(&d, o, ex)) == 0 ||
      (o->discover && parse_discover(&d, o->discover, &disc, op, &thr) != 0))
    goto done;
  rc = EXIT_FAIL;
  if (read_rows(csv, &d) != 0) {
    rc = EXIT_USAGE;
    goto done;
  }
  y = malloc(d.P * sizeof *y);
  u = malloc(d.P * d.k * sizeof *u + 1);
  fy = malloc(d.P * sizeof *fy);
  hit = malloc(d.P * sizeof *hit);
  b = malloc(sizeof *b);
  char adir[4200];
  snprintf(adir, sizeof adir, "%s/analysis", o->dir);
  if (b)
    out_batch_init(b, adir);
  if (!y || !u || !fy || !hit || !b || out_mkdirs(adir) != 0)
    goto done;
  int saltelli = !strcmp(d.design, "saltelli"), morris = !strcmp(d.design, "morris");
  int ranks = strcmp(d.design, "grid") != 0;
  size_t k = d.k;
  if (!o->quiet)
    printf("lockin analyze %s: design %s, %zu points x %zu polic%s x %zu replications, "
           "%zu parameters; indices of the per-point mean\n",
           o->dir, d.design, d.P, d.Q, d.Q > 1 ? "ies" : "y", d.R, k);

  method_ctx mc = {&d, ex, n_ex, fy, o->quiet};
  if ((saltelli && write_sobol(b, &mc) != 0) || (morris && write_morris(b, &mc, u) != 0) ||
      (ranks && write_prcc(b, &mc) != 0))
    goto done;
  if (o->discover) {
    int pr = write_prim(b, &mc, &disc, op, thr, o->discover, hit);
    if (pr == -2)
      rc = EXIT_USAGE;
    if (pr != 0)
      goto done;
  }
  if (out_batch_publish(b) != 0)
    goto done;
  if (!o->quiet)
    printf("\nresults in %s/\n", adir);
  rc = 0;
done:
  if (b && rc != 0) { /* nothing written: the temporaries go */
    b->failed = 1;
    out_batch_publish(b);
  }
  if (csv)
    fclose(csv);
  free(d.metric);
  free(d.x);
  free(d.v);
  free(y);
  free(u);
  free(fy);
  free(hit);
  free(b);
  return rc;
}
