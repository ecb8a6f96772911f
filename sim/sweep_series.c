/* sweep_series: sweep_timeseries.csv of `lockin sweep --timeseries` (see
 * sweep_table.h).  The journal's identity (the sweep's fingerprint) is in
 * journal_timeseries.csv.id; the journal holds the CSV header, then each
 * finished cell's T rows,
 * written together and flushed.  Rows are "point,policy,step" and
 * M.mean, M.p05, M.p95 per metric, as shortest exact decimals. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "stats.h"
#include "sweep_table.h"

struct sweep_series {
  const sweep_table *t;
  size_t T, cells;
  char path[4200];
  FILE *f;
  long *offset; /* [cell]: where its rows start in the journal, -1 if not there */
  double **buf; /* [cell]: R x T x M values while the cell runs */
  size_t *have; /* [cell]: runs held in buf */
  double *col;  /* scratch: R values */
};

/* The journal's identity, kept in journal_timeseries.csv.id. */
static void series_id(const sweep_series *s, char *id, size_t size)
{
  snprintf(id, size, "lockin sweep timeseries journal %016llx cells %zu steps %zu metrics %zu\n",
           (unsigned long long)s->t->fingerprint, s->cells, s->T, s->t->M);
}

static void csv_header(FILE *f, const sweep_table *t)
{
  fputs("point,policy,step", f);
  for (size_t m = 0; m < t->M; m++)
    fprintf(f, ",%s.mean,%s.p05,%s.p95", t->metric[m], t->metric[m], t->metric[m]);
  fputc('\n', f);
}

void sweep_series_free(sweep_series *s)
{
  if (!s)
    return;
  if (s->f)
    fclose(s->f);
  for (size_t c = 0; s->buf && c < s->cells; c++)
    free(s->buf[c]);
  free(s->buf);
  free(s->offset);
  free(s->have);
  free(s->col);
  free(s);
}

size_t sweep_series_values(const sweep_series *s)
{
  return s->T * s->t->M;
}

int sweep_series_cell_done(const sweep_series *s, size_t cell)
{
  return s->offset[cell] >= 0;
}

/* Read the journal: cells whose T rows are all there and whole; the file
 * is cut after the last of them.  0, or -1 (another sweep's). */
static int read_journal(sweep_series *s)
{
  char *line = malloc(1 << 20), id[200], *want = NULL;
  size_t want_len = 0;
  FILE *m = open_memstream(&want, &want_len);
  if (m) {
    csv_header(m, s->t);
    fclose(m);
  }
  series_id(s, id, sizeof id);
  int rc = -1;
  if (!line || !want || out_journal_id_check(s->path, id) != 0)
    goto done;
  long good = 0;
  if (fgets(line, 1 << 20, s->f) && strchr(line, '\n')) {
    if (strcmp(line, want) != 0)
      goto done;
    good = ftell(s->f);
  } else { /* the header cut short: start anew */
    if (fflush(s->f) != 0 || ftruncate(fileno(s->f), 0) != 0 || fseek(s->f, 0, SEEK_SET) != 0)
      goto done;
    csv_header(s->f, s->t);
    fflush(s->f);
    rc = 0;
    goto done;
  }
  for (;;) {
    long start = ftell(s->f);
    size_t cell = s->cells, rows = 0;
    while (rows < s->T && fgets(line, 1 << 20, s->f)) {
      size_t len = strlen(line), p, q;
      char *end;
      if (len == 0 || line[len - 1] != '\n')
        break; /* cut short */
      p = strtoul(line, &end, 10);
      if (*end != ',')
        break;
      const char *name = end + 1;
      size_t nlen = strcspn(name, ",");
      for (q = 0; q < s->t->Q; q++)
        if (strlen(s->t->policy[q]) == nlen && !strncmp(s->t->policy[q], name, nlen))
          break;
      size_t c = p * s->t->Q + q;
      if (p >= s->t->P || q >= s->t->Q || (rows > 0 && c != cell) ||
          strtoul(name + nlen + 1, NULL, 10) != rows)
        break;
      cell = c;
      rows++;
    }
    if (rows < s->T || cell >= s->cells)
      break;
    s->offset[cell] = start;
    good = ftell(s->f);
  }
  if (fflush(s->f) == 0 && ftruncate(fileno(s->f), good) == 0 && fseek(s->f, good, SEEK_SET) == 0)
    rc = 0;
done:
  free(want);
  free(line);
  return rc;
}

sweep_series *sweep_series_open(const char *dir, const sweep_table *t, size_t T, int resume)
{
  sweep_series *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->t = t;
  s->T = T;
  s->cells = t->P * t->Q;
  s->offset = malloc(s->cells * sizeof *s->offset);
  s->buf = calloc(s->cells, sizeof *s->buf);
  s->have = calloc(s->cells, sizeof *s->have);
  s->col = malloc(t->R * sizeof *s->col);
  if (!s->offset || !s->buf || !s->have || !s->col) {
    sweep_series_free(s);
    return NULL;
  }
  for (size_t c = 0; c < s->cells; c++)
    s->offset[c] = -1;
  snprintf(s->path, sizeof s->path, "%s/journal_timeseries.csv", dir);
  s->f = resume ? out_journal_resume(s->path) : NULL;
  if (s->f) {
    if (read_journal(s) != 0) {
      fprintf(stderr,
              "lockin: %s belongs to another sweep (or another version of this one); remove "
              "it, or run without --resume to start over\n",
              s->path);
      sweep_series_free(s);
      return NULL;
    }
    return s;
  }
  if (resume && errno != ENOENT) {
    fprintf(stderr, "lockin: %s: cannot open: %s\n", s->path, strerror(errno));
    sweep_series_free(s);
    return NULL;
  }
  char id[200];
  series_id(s, id, sizeof id);
  if (out_journal_id_write(s->path, id) != 0) {
    sweep_series_free(s);
    return NULL;
  }
  s->f = fopen(s->path, "w+");
  if (!s->f) {
    fprintf(stderr, "lockin: %s: cannot write: %s\n", s->path, strerror(errno));
    sweep_series_free(s);
    return NULL;
  }
  csv_header(s->f, t);
  fflush(s->f);
  return s;
}

/* Journal cell c from its buffer: T rows, then flush. */
static int journal_cell(sweep_series *s, size_t c)
{
  const sweep_table *t = s->t;
  size_t M = t->M, R = t->R, p = c / t->Q, q = c % t->Q;
  const double *v = s->buf[c];
  if (fseek(s->f, 0, SEEK_END) != 0)
    return -1;
  s->offset[c] = ftell(s->f);
  for (size_t step = 0; step < s->T; step++) {
    fprintf(s->f, "%zu,%s,%zu", p, t->policy[q], step);
    for (size_t m = 0; m < M; m++) {
      for (size_t r = 0; r < R; r++)
        s->col[r] = v[(r * s->T + step) * M + m];
      stats_summary st;
      stats_summarize(s->col, R, &st);
      double three[3] = {st.mean, st.p05, st.p95};
      for (int x = 0; x < 3; x++) {
        char b[40];
        out_double(b, sizeof b, three[x]);
        fputc(',', s->f);
        fputs(b, s->f);
      }
    }
    fputc('\n', s->f);
  }
  return fflush(s->f) == 0 ? 0 : -1;
}

int sweep_series_add(sweep_series *s, size_t k, const double *values)
{
  const sweep_table *t = s->t;
  size_t c = k / t->R, r = k % t->R, n = s->T * t->M;
  if (s->offset[c] >= 0)
    return 0; /* journaled already (a run repeated after a resume) */
  if (!s->buf[c] && !(s->buf[c] = malloc(t->R * n * sizeof *s->buf[c])))
    return -1;
  memcpy(s->buf[c] + r * n, values, n * sizeof *values);
  if (++s->have[c] < t->R)
    return 0;
  int rc = journal_cell(s, c);
  free(s->buf[c]);
  s->buf[c] = NULL;
  return rc;
}

/* sweep_timeseries.csv: the journal's cells in order. */
int sweep_series_files(out_batch *b, void *ctx)
{
  sweep_series *s = ctx;
  FILE *out = out_batch_open(b, "sweep_timeseries.csv");
  char *line = malloc(1 << 20);
  int rc = -1;
  if (!out || !line)
    goto done;
  csv_header(out, s->t);
  for (size_t c = 0; c < s->cells; c++) {
    if (s->offset[c] < 0)
      continue; /* a point of another shard */
    if (fseek(s->f, s->offset[c], SEEK_SET) != 0)
      goto done;
    for (size_t step = 0; step < s->T; step++) {
      if (!fgets(line, 1 << 20, s->f))
        goto done;
      fputs(line, out);
    }
  }
  rc = 0;
done:
  if (out)
    out_batch_close(b, out);
  if (rc != 0)
    b->failed = 1;
  free(line);
  return rc;
}
