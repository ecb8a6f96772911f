/* output: the files of SPEC section 10.  Numbers are written as the shortest
 * decimal that reads back to the same double, so files are exact and small. */
#include "output.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stats.h"

FILE *out_journal_resume(const char *path)
{
  FILE *f = fopen(path, "r+");
  struct stat st;
  if (f && fstat(fileno(f), &st) == 0 && st.st_size == 0) {
    fclose(f);
    errno = ENOENT;
    return NULL;
  }
  return f;
}

int out_journal_id_write(const char *path, const char *id)
{
  char idp[PATH_MAX];
  snprintf(idp, sizeof idp, "%s.id", path);
  FILE *f = fopen(idp, "w");
  int bad = !f || fputs(id, f) < 0;
  if ((f && fclose(f) != 0) || bad) {
    fprintf(stderr, "lockin: %s: cannot write: %s\n", idp, strerror(errno));
    return -1;
  }
  return 0;
}

int out_journal_id_check(const char *path, const char *id)
{
  char idp[PATH_MAX], got[512];
  snprintf(idp, sizeof idp, "%s.id", path);
  FILE *f = fopen(idp, "r");
  if (!f)
    return -1;
  size_t n = fread(got, 1, sizeof got - 1, f);
  fclose(f);
  got[n] = '\0';
  return strcmp(got, id) ? -1 : 0;
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

void out_batch_init(out_batch *b, const char *dir)
{
  memset(b, 0, sizeof *b);
  snprintf(b->dir, sizeof b->dir, "%s", dir);
}

FILE *out_batch_open(out_batch *b, const char *name)
{
  if (b->failed || b->n >= OUT_BATCH_MAX) {
    b->failed = 1;
    return NULL;
  }
  size_t k = b->n;
  char path[sizeof b->file[0].final];
  snprintf(path, sizeof path, "%s/%s", b->dir, name);
  memcpy(b->file[k].final, path, sizeof path);
  snprintf(path, sizeof path, "%s/.%s.tmp.%ld", b->dir, name, (long)getpid());
  memcpy(b->file[k].tmp, path, sizeof path);
  FILE *f = fopen(b->file[k].tmp, "w");
  if (!f) {
    fprintf(stderr, "lockin: %s: cannot write: %s\n", b->file[k].tmp, strerror(errno));
    b->failed = 1;
    return NULL;
  }
  b->n++;
  return f;
}

void out_batch_close(out_batch *b, FILE *f)
{
  const char *path = b->file[b->n - 1].final;
  int bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
  int err = errno;
  if (fclose(f) != 0 && !bad) {
    bad = 1;
    err = errno;
  }
  if (bad) {
    fprintf(stderr, "lockin: %s: write failed: %s\n", path, strerror(err));
    b->failed = 1;
  }
}

/* Put the files moved aside back (k < n of them), drop the new ones. */
static void batch_restore(out_batch *b, const int *aside, size_t n)
{
  for (size_t k = 0; k < n; k++) {
    char bak[sizeof b->file[0].final + 8];
    snprintf(bak, sizeof bak, "%s.old", b->file[k].tmp);
    if (aside[k] && rename(bak, b->file[k].final) != 0)
      fprintf(stderr, "lockin: %s: cannot put back (it is in %s): %s\n", b->file[k].final, bak,
              strerror(errno));
  }
}

/* All or nothing: the old files are moved aside (to hidden names), the new
 * ones renamed in, and only then the old ones removed; a rename that fails
 * puts every old file back. */
int out_batch_publish(out_batch *b)
{
  int rc = b->failed ? -1 : 0, aside[OUT_BATCH_MAX] = {0};
  size_t moved = 0, in = 0;
  char bak[sizeof b->file[0].final + 8];
  struct stat st;
  for (size_t k = 0; rc == 0 && k < b->n; k++)
    if (lstat(b->file[k].final, &st) == 0 && !S_ISREG(st.st_mode)) {
      fprintf(stderr, "lockin: %s: is in the way (not a file); nothing written\n",
              b->file[k].final);
      rc = -1;
    }
  for (; rc == 0 && moved < b->n; moved++) {
    snprintf(bak, sizeof bak, "%s.old", b->file[moved].tmp);
    if (rename(b->file[moved].final, bak) == 0)
      aside[moved] = 1;
    else if (errno != ENOENT) {
      fprintf(stderr, "lockin: %s: cannot move aside: %s\n", b->file[moved].final, strerror(errno));
      rc = -1;
      break;
    }
  }
  for (; rc == 0 && in < b->n; in++)
    if (rename(b->file[in].tmp, b->file[in].final) != 0) {
      fprintf(stderr, "lockin: %s: cannot rename into place: %s\n", b->file[in].final,
              strerror(errno));
      rc = -1;
      break;
    }
  if (rc != 0) {
    for (size_t k = 0; k < in; k++)
      unlink(b->file[k].final);
    batch_restore(b, aside, moved);
  }
  for (size_t k = 0; k < b->n; k++) {
    if (rc != 0)
      unlink(b->file[k].tmp);
    snprintf(bak, sizeof bak, "%s.old", b->file[k].tmp);
    if (rc == 0 && aside[k])
      unlink(bak);
  }
  b->n = 0;
  return rc;
}

static void put(FILE *f, double x)
{
  char b[40];
  out_double(b, sizeof b, x);
  fputs(b, f);
}

/* ",x,y,..." */
static void put_values(FILE *f, const double *v, size_t n)
{
  for (size_t m = 0; m < n; m++) {
    fputc(',', f);
    put(f, v[m]);
  }
}

/* ",x,y,...\n" */
static void put_row(FILE *f, const double *row, size_t n)
{
  put_values(f, row, n);
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

void out_write_summary(out_batch *b, const mc_results *res)
{
  static const char *const sfx[] = {".mean", ".sd", ".lo", ".hi", ".p05", ".p50", ".p95"};
  FILE *f;
  double *col = malloc(res->R * sizeof *col);
  if (!col || !(f = out_batch_open(b, "summary.csv"))) {
    free(col);
    b->failed = 1;
    return;
  }
  size_t M = res->layout.n;
  fputs("step", f);
  header_metrics(f, res, sfx, 7);
  for (size_t t = 0; t < res->T; t++) {
    fprintf(f, "%zu", t);
    for (size_t m = 0; m < M; m++) {
      for (size_t r = 0; r < res->R; r++)
        col[r] = res->values[(r * res->T + t) * M + m];
      stats_summary st;
      stats_summarize(col, res->R, &st);
      double v[7] = {st.mean, st.sd, st.lo, st.hi, st.p05, st.p50, st.p95};
      put_values(f, v, 7);
    }
    fputc('\n', f);
  }
  free(col);
  out_batch_close(b, f);
}

void out_write_runs(out_batch *b, const mc_results *res)
{
  static const char *const none[] = {""};
  FILE *f;
  if (!(f = out_batch_open(b, "runs.csv")))
    return;
  size_t M = res->layout.n;
  fputs("replication,seed,tip_step", f);
  for (size_t k = 0; k < res->s->n_hubs; k++)
    fprintf(f, ",launch_step.%s", res->s->hubs[k].name);
  header_metrics(f, res, none, 1);
  for (size_t r = 0; r < res->R; r++) {
    fprintf(f, "%zu,%llu,%ld", r, res->seeds[r], res->outcome[r].tip);
    for (size_t k = 0; k < res->s->n_hubs; k++)
      fprintf(f, ",%ld", res->outcome[r].launch[k]);
    put_row(f, res->values + (r * res->T + res->T - 1) * M, M);
  }
  out_batch_close(b, f);
}

void out_write_timeseries(out_batch *b, const mc_results *res)
{
  static const char *const none[] = {""};
  FILE *f;
  if (!(f = out_batch_open(b, "timeseries.csv")))
    return;
  size_t M = res->layout.n;
  fputs("replication,step", f);
  header_metrics(f, res, none, 1);
  for (size_t r = 0; r < res->R; r++)
    for (size_t t = 0; t < res->T; t++) {
      fprintf(f, "%zu,%zu", r, t);
      put_row(f, res->values + (r * res->T + t) * M, M);
    }
  out_batch_close(b, f);
}

void out_write_text(out_batch *b, const char *name, const char *text)
{
  FILE *f = out_batch_open(b, name);
  if (!f)
    return;
  fputs(text, f);
  out_batch_close(b, f);
}

void out_write_compare(out_batch *batch, const mc_results *a, const mc_results *b)
{
  static const char *const sfx[] = {".a", ".b", ".diff", ".diff_lo", ".diff_hi"};
  FILE *f;
  size_t R = a->R, M = a->layout.n;
  double *d = malloc(R * sizeof *d);
  if (!d || !(f = out_batch_open(batch, "compare.csv"))) {
    free(d);
    batch->failed = 1;
    return;
  }
  fputs("step", f);
  header_metrics(f, a, sfx, 5);
  for (size_t t = 0; t < a->T; t++) {
    fprintf(f, "%zu", t);
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
      put_values(f, v, 5);
    }
    fputc('\n', f);
  }
  free(d);
  out_batch_close(batch, f);
}
