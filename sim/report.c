/* report: the printed tables of `run` and `compare` (see report.h). */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define HHI_THRESHOLD 1800.0 /* "highly concentrated", 2023 US merger guidelines */
#define MAX_SHOWN     (SCN_MAX_HUBS + SCN_MAX_VENDORS + 8)

uint32_t report_branch(const mc_results *res, size_t r)
{
  uint32_t b = 0;
  for (size_t k = 0; k < res->s->n_hubs; k++)
    if (res->s->hubs[k].launch == LAUNCH_ON_EVENT && res->outcome[r].launch[k] >= 0)
      b |= 1u << k;
  return b;
}

void report_branch_name(const scenario *s, uint32_t branch, char *buf, size_t n)
{
  size_t used = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < s->n_hubs && used < n; k++)
    if (branch >> k & 1u)
      used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? "+" : "", s->hubs[k].name);
  if (!used)
    snprintf(buf, n, "none");
}

/* "mean +-halfwidth" with decimals to suit the size of the numbers. */
static void fmt_ci(char *buf, size_t n, double mean, double hw)
{
  double a = fabs(mean) > fabs(hw) ? fabs(mean) : fabs(hw);
  int dec = a >= 1000 ? 0 : a >= 10 ? 2 : 4;
  snprintf(buf, n, "%.*f +-%.*f", dec, mean, dec, hw);
}

static void print_row(FILE *f, const char *name, const double *x, size_t R)
{
  double *copy = malloc(R * sizeof *copy);
  if (!copy)
    return;
  memcpy(copy, x, R * sizeof *copy);
  stats_summary st;
  stats_summarize(copy, R, &st);
  fprintf(f, "%-28s %12.4f  [%11.4f, %11.4f] %12.4f %12.4f\n", name, st.mean, st.lo, st.hi, st.p05,
          st.p95);
  free(copy);
}

/* The metrics the tables show: every hub's share, vendor HHI and D1; with
 * `all`, also every vendor's share, hub HHI and cell D1; then the focal
 * hub's owners' value. */
static size_t shown_metrics(const mc_results *res, int all, size_t *show)
{
  const scenario *s = res->s;
  const metric_layout *l = &res->layout;
  size_t n = 0;
  for (size_t k = 0; k < s->n_hubs; k++)
    show[n++] = l->hub_share + k;
  if (all)
    for (size_t j = 0; j < s->n_vendors; j++)
      show[n++] = l->vendor_share + j;
  show[n++] = l->vendor_conc + 0; /* hhi */
  show[n++] = l->vendor_conc + 2; /* d1 */
  if (all) {
    show[n++] = l->hub_conc + 0;
    show[n++] = l->cell_d1;
  }
  show[n++] = l->owners_value + (size_t)s->focal_hub;
  return n;
}

static void tip_label(const scenario *s, char *buf, size_t n)
{
  snprintf(buf, n, "P(%s share < %g)", s->hubs[s->focal_hub].name, s->tipping_threshold);
}

void report_run(FILE *f, const mc_results *res, double secs)
{
  const scenario *s = res->s;
  size_t R = res->R, show[MAX_SHOWN];
  double *col = malloc(R * sizeof *col);
  if (!col)
    return;
  fprintf(f, "lockin %s: %s, %zu replications x %zu steps (%.1f years), %ld developers, %.2f s\n",
          LOCKIN_VERSION, s->name, R, res->T, (double)res->T / (double)s->steps_per_year,
          s->developers, secs);
  fprintf(f, "%-28s %12s  %-25s %12s %12s\n", "at the final step", "mean", "95% CI", "p05", "p95");
  size_t n = shown_metrics(res, 1, show);
  for (size_t x = 0; x < n; x++) {
    char name[96];
    metric_name(s, &res->layout, show[x], name, sizeof name);
    mc_final(res, show[x], col);
    print_row(f, name, col, R);
  }
  for (size_t r = 0; r < R; r++)
    col[r] = res->outcome[r].tip >= 0;
  char label[96];
  tip_label(s, label, sizeof label);
  print_row(f, label, col, R);
  free(col);
  report_branches(f, res, NULL);
}

void report_branches(FILE *f, const mc_results *res, const char *title)
{
  const scenario *s = res->s;
  size_t R = res->R, show[MAX_SHOWN];
  size_t n = shown_metrics(res, 0, show);
  uint32_t *br = malloc((R ? R : 1) * sizeof *br), seen[64];
  double *col = malloc((R ? R : 1) * sizeof *col), *x = malloc((R ? R : 1) * sizeof *x);
  size_t n_seen = 0;
  if (!br || !col || !x)
    goto done;
  for (size_t r = 0; r < R; r++) {
    br[r] = report_branch(res, r);
    size_t b = 0;
    while (b < n_seen && seen[b] != br[r])
      b++;
    if (b == n_seen && n_seen < 64)
      seen[n_seen++] = br[r];
  }
  /* In order of the bit sets: "none" first, then by the hubs' order. */
  for (size_t a = 1; a < n_seen; a++)
    for (size_t b = a; b > 0 && seen[b - 1] > seen[b]; b--) {
      uint32_t t = seen[b];
      seen[b] = seen[b - 1];
      seen[b - 1] = t;
    }
  int width[MAX_SHOWN];
  char name[96], cell[64];
  fprintf(f, "%s\n",
          title ? title
                : "by branch (which on_event hubs launched; mean +- 95% CI half-width "
                  "at the final step):");
  fprintf(f, "  %-24s %5s", "branch", "runs");
  for (size_t m = 0; m < n; m++) {
    metric_name(s, &res->layout, show[m], name, sizeof name);
    width[m] = (int)strlen(name) > 20 ? (int)strlen(name) : 20;
    fprintf(f, "  %-*s", width[m], name);
  }
  fputc('\n', f);
  for (size_t b = 0; b < n_seen; b++) {
    report_branch_name(s, seen[b], name, sizeof name);
    size_t cnt = 0;
    for (size_t r = 0; r < R; r++)
      cnt += br[r] == seen[b];
    fprintf(f, "  %-24s %5zu", name, cnt);
    for (size_t m = 0; m < n; m++) {
      mc_final(res, show[m], col);
      size_t k = 0;
      for (size_t r = 0; r < R; r++)
        if (br[r] == seen[b])
          x[k++] = col[r];
      double mean = stats_mean(x, k);
      double hw = stats_halfwidth(k > 1 ? stats_sd(x, k, mean) : 0.0, k);
      fmt_ci(cell, sizeof cell, mean, hw);
      fprintf(f, "  %-*s", width[m], cell);
    }
    fputc('\n', f);
  }
done:
  free(br);
  free(col);
  free(x);
}

void report_compare(FILE *f, const mc_results *a, const mc_results *b, double secs)
{
  const scenario *s = a->s;
  size_t R = a->R, show[MAX_SHOWN];
  double *xa = malloc((R ? R : 1) * sizeof *xa), *xb = malloc((R ? R : 1) * sizeof *xb);
  if (!xa || !xb) {
    free(xa);
    free(xb);
    return;
  }
  fprintf(f,
          "lockin %s: %s (A) vs %s (B), %zu replications x %zu steps (%.1f years) on common "
          "random numbers, %.2f s\n",
          LOCKIN_VERSION, a->s->name, b->s->name, R, a->T, (double)a->T / (double)s->steps_per_year,
          secs);
  fprintf(f, "%-28s %12s %12s %12s %-14s %-14s %s\n", "at the final step", "A", "B", "B - A",
          "paired 95%", "unpaired 95%", "variance removed by pairing");
  size_t n = shown_metrics(a, 0, show);
  char name[96];
  for (size_t x = 0; x <= n; x++) {
    if (x < n) {
      metric_name(s, &a->layout, show[x], name, sizeof name);
      mc_final(a, show[x], xa);
      mc_final(b, show[x], xb);
    } else {
      tip_label(s, name, sizeof name);
      if (b->s->focal_hub != s->focal_hub || b->s->tipping_threshold != s->tipping_threshold)
        snprintf(name, sizeof name, "P(tipping)");
      for (size_t r = 0; r < R; r++) {
        xa[r] = a->outcome[r].tip >= 0;
        xb[r] = b->outcome[r].tip >= 0;
      }
    }
    double mean, hp, hu;
    stats_paired(xa, xb, R, &mean, &hp, &hu);
    fprintf(f, "%-28s %12.4f %12.4f %+12.4f +- %-11.4f +- %-11.4f ", name, stats_mean(xa, R),
            stats_mean(xb, R), mean, hp, hu);
    if (hu > 0)
      fprintf(f, "%5.1f%%\n", 100.0 * (1.0 - (hp / hu) * (hp / hu)));
    else
      fprintf(f, "    -\n");
  }
  fprintf(f,
          "(vendor_hhi above %.0f is \"highly concentrated\" in the 2023 US merger guidelines; "
          "owners_value in $M)\n",
          HHI_THRESHOLD);
  if (b->s->focal_hub != s->focal_hub || b->s->tipping_threshold != s->tipping_threshold) {
    char la[96], lb[96];
    tip_label(s, la, sizeof la);
    tip_label(b->s, lb, sizeof lb);
    fprintf(f, "(P(tipping) is %s in A and %s in B)\n", la, lb);
  }
  free(xa);
  free(xb);
  char title[160];
  snprintf(title, sizeof title, "A = %s by branch (mean +- 95%% CI half-width):", a->s->name);
  report_branches(f, a, title);
  snprintf(title, sizeof title, "B = %s by branch:", b->s->name);
  report_branches(f, b, title);
}
