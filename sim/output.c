/* output: the files of SPEC section 10.  Numbers are written as the shortest
 * decimal that reads back to the same double, so files are exact and small. */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stats.h"

void out_double(char *buf, size_t n, double x)
{
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, n, "%.*g", prec, x);
    if (strtod(buf, NULL) == x)
      return;
  }
}

int out_mkdirs(const char *path)
{
  char p[4096];
  if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p) {
    fprintf(stderr, "lockin: %s: path too long\n", path);
    return -1;
  }
  for (char *c = p + 1;; c++) {
    if (*c == '/' || *c == '\0') {
      char keep = *c;
      *c = '\0';
      if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "lockin: %s: cannot create folder: %s\n", p, strerror(errno));
        return -1;
      }
      *c = keep;
      if (keep == '\0')
        break;
    }
  }
  return 0;
}

int out_open(out_file *o, const char *dir, const char *name)
{
  if (snprintf(o->final, sizeof o->final, "%s/%s", dir, name) >= (int)sizeof o->final ||
      snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid()) >=
          (int)sizeof o->tmp) {
    fprintf(stderr, "lockin: %s/%s: path too long\n", dir, name);
    return -1;
  }
  o->f = fopen(o->tmp, "w");
  if (!o->f) {
    fprintf(stderr, "lockin: %s: cannot write: %s\n", o->tmp, strerror(errno));
    return -1;
  }
  return 0;
}

void out_abort(out_file *o)
{
  if (o->f)
    fclose(o->f);
  o->f = NULL;
  unlink(o->tmp);
}

int out_commit(out_file *o)
{
  int bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
  int err = errno;
  bad |= fclose(o->f) != 0;
  o->f = NULL;
  if (bad || rename(o->tmp, o->final) != 0) {
    fprintf(stderr, "lockin: %s: write failed: %s\n", o->final, strerror(bad ? err : errno));
    unlink(o->tmp);
    return -1;
  }
  return 0;
}

static void put(FILE *f, double x)
{
  char b[40];
  out_double(b, sizeof b, x);
  fputs(b, f);
}

/* ",x,y,...\n" */
static void put_row(FILE *f, const double *row, size_t n)
{
  for (size_t m = 0; m < n; m++) {
    fputc(',', f);
    put(f, row[m]);
  }
  fputc('\n', f);
}

static void header_metrics(FILE *f, const mc_results *res, const char *const *suffix,
                           size_t n_suffix)
{
  char name[96];
  for (size_t m = 0; m < res->layout.n; m++) {
    metric_name(res->s, &res->layout, m, name, sizeof name);
    for (size_t x = 0; x < n_suffix; x++)
      fprintf(f, ",%s%s", name, suffix[x]);
  }
  fputc('\n', f);
}

int out_write_summary(const char *dir, const mc_results *res)
{
  static const char *const sfx[] = {".mean", ".sd", ".lo", ".hi", ".p05", ".p50", ".p95"};
  out_file o;
  double *col = malloc(res->R * sizeof *col);
  if (!col || out_open(&o, dir, "summary.csv") != 0) {
    free(col);
    return -1;
  }
  size_t M = res->layout.n;
  fputs("step", o.f);
  header_metrics(o.f, res, sfx, 7);
  for (size_t t = 0; t < res->T; t++) {
    fprintf(o.f, "%zu", t);
    for (size_t m = 0; m < M; m++) {
      for (size_t r = 0; r < res->R; r++)
        col[r] = res->values[(r * res->T + t) * M + m];
      stats_summary st;
      stats_summarize(col, res->R, &st);
      double v[7] = {st.mean, st.sd, st.lo, st.hi, st.p05, st.p50, st.p95};
      for (int x = 0; x < 7; x++) {
        fputc(',', o.f);
        put(o.f, v[x]);
      }
    }
    fputc('\n', o.f);
  }
  free(col);
  return out_commit(&o);
}

int out_write_runs(const char *dir, const mc_results *res)
{
  static const char *const none[] = {""};
  out_file o;
  if (out_open(&o, dir, "runs.csv") != 0)
    return -1;
  size_t M = res->layout.n;
  fputs("replication,seed,tip_step", o.f);
  header_metrics(o.f, res, none, 1);
  for (size_t r = 0; r < res->R; r++) {
    fprintf(o.f, "%zu,%llu,%ld", r, res->seeds[r], res->tip[r]);
    put_row(o.f, res->values + (r * res->T + res->T - 1) * M, M);
  }
  return out_commit(&o);
}

int out_write_timeseries(const char *dir, const mc_results *res)
{
  static const char *const none[] = {""};
  out_file o;
  if (out_open(&o, dir, "timeseries.csv") != 0)
    return -1;
  size_t M = res->layout.n;
  fputs("replication,step", o.f);
  header_metrics(o.f, res, none, 1);
  for (size_t r = 0; r < res->R; r++)
    for (size_t t = 0; t < res->T; t++) {
      fprintf(o.f, "%zu,%zu", r, t);
      put_row(o.f, res->values + (r * res->T + t) * M, M);
    }
  return out_commit(&o);
}

int out_write_text(const char *dir, const char *name, const char *text)
{
  out_file o;
  if (out_open(&o, dir, name) != 0)
    return -1;
  fputs(text, o.f);
  return out_commit(&o);
}

int out_write_compare(const char *dir, const mc_results *a, const mc_results *b)
{
  static const char *const sfx[] = {".a", ".b", ".diff", ".diff_lo", ".diff_hi"};
  out_file o;
  size_t R = a->R, M = a->layout.n;
  double *d = malloc(R * sizeof *d);
  if (!d || out_open(&o, dir, "compare.csv") != 0) {
    free(d);
    return -1;
  }
  fputs("step", o.f);
  header_metrics(o.f, a, sfx, 5);
  for (size_t t = 0; t < a->T; t++) {
    fprintf(o.f, "%zu", t);
    double v[5];
    for (size_t m = 0; m < M; m++) {
      double sa = 0, sb = 0;
      for (size_t r = 0; r < R; r++) {
        double xa = a->values[(r * a->T + t) * M + m], xb = b->values[(r * b->T + t) * M + m];
        sa += xa;
        sb += xb;
        d[r] = xb - xa;
      }
      stats_summary st;
      stats_summarize(d, R, &st);
      v[0] = sa / (double)R;
      v[1] = sb / (double)R;
      v[2] = st.mean;
      v[3] = st.lo;
      v[4] = st.hi;
      for (int x = 0; x < 5; x++) {
        fputc(',', o.f);
        put(o.f, v[x]);
      }
    }
    fputc('\n', o.f);
  }
  free(d);
  return out_commit(&o);
}
