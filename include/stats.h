/* stats: summaries of one quantity over replications (GSL statistics). */
#ifndef LOCKIN_STATS_H
#define LOCKIN_STATS_H

#include <stddef.h>

typedef struct {
  double mean, sd;      /* sd with n - 1 in the denominator; 0 for n = 1 */
  double lo, hi;        /* 95% Student-t interval of the mean */
  double p05, p50, p95; /* quantiles of the sorted values (GSL, linear) */
} stats_summary;

/* Mean of x[0..n) (0 when n = 0) and its standard deviation about `mean`
 * with n - 1 in the denominator (0 when n < 2), summed in double. */
double stats_mean(const double *x, size_t n);
double stats_sd(const double *x, size_t n, double mean);

/* Summarise x[0..n), n >= 1.  Sorts x in place. */
void stats_summarize(double *x, size_t n, stats_summary *out);

/* Half-width of the 95% Student-t interval for sd over n values. */
double stats_halfwidth(double sd, size_t n);

/* Mean of b[r] - a[r] over R pairs, and the 95% half-widths of that mean
 * paired (from the differences) and unpaired (as if a and b were
 * independent samples of R each). */
void stats_paired(const double *a, const double *b, size_t R, double *mean, double *hw_paired,
                  double *hw_unpaired);

#endif
