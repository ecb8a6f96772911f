/* stats: mean, sd, Student-t interval and quantiles.  Quantiles and the t
 * quantile come from GSL; the mean and the standard deviation are summed
 * here in double precision, because GSL's accumulate in long double, whose
 * width differs between machines (and under valgrind), and the same seed
 * must give the same bytes everywhere. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#define CONFIDENCE 0.95

double stats_halfwidth(double sd, size_t n)
{
  if (n < 2)
    return 0.0;
  /* The t quantile of the last n asked, per thread: a run asks it for one n
   * at every step and metric, and GSL finds it by iteration. */
  static _Thread_local size_t last_n = 0;
  static _Thread_local double last_t = 0;
  if (n != last_n) {
    last_t = gsl_cdf_tdist_Pinv(1.0 - (1.0 - CONFIDENCE) / 2.0, (double)(n - 1));
    last_n = n;
  }
  return last_t * sd / sqrt((double)n);
}

static void insertion_sort(double *x, size_t n)
{
  for (size_t i = 1; i < n; i++) {
    double v = x[i];
    size_t j = i;
    for (; j > 0 && x[j - 1] > v; j--)
      x[j] = x[j - 1];
    x[j] = v;
  }
}

/* Ascending sort: quicksort (median of three, Hoare's partition, which
 * splits runs of equal values evenly) down to insertion sort.  Twice as
 * fast as gsl_sort's heapsort on a step's replicate values, and the sorted
 * array is the same whatever the algorithm (stats_summarize makes -0 +0,
 * the one pair of equal doubles that differ). */
static void sort_doubles(double *x, size_t n)
{
  while (n > 24) {
    double a = x[0], b = x[n / 2], c = x[n - 1];
    double p = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    size_t i = 0, j = n - 1;
    for (;;) {
      while (x[i] < p)
        i++;
      while (x[j] > p)
        j--;
      if (i >= j)
        break;
      double t = x[i];
      x[i++] = x[j];
      x[j--] = t;
    }
    size_t left = j + 1; /* recurse into the smaller part, loop on the larger */
    if (left < n - left) {
      sort_doubles(x, left);
      x += left;
      n -= left;
    } else {
      sort_doubles(x + left, n - left);
      n = left;
    }
  }
  insertion_sort(x, n);
}

double stats_mean(const double *x, size_t n)
{
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += x[i];
  return n ? s / (double)n : 0.0;
}

double stats_sd(const double *x, size_t n, double mean)
{
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += (x[i] - mean) * (x[i] - mean);
  return n > 1 ? sqrt(s / (double)(n - 1)) : 0.0;
}

void stats_summarize(double *x, size_t n, stats_summary *out)
{
  for (size_t i = 0; i < n; i++)
    x[i] += 0.0; /* -0 becomes +0: one sorted order */
  sort_doubles(x, n);
  out->mean = stats_mean(x, n);
  out->sd = stats_sd(x, n, out->mean);
  double h = stats_halfwidth(out->sd, n);
  out->lo = out->mean - h;
  out->hi = out->mean + h;
  out->p05 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.05);
  out->p50 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.50);
  out->p95 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.95);
}

void stats_paired(const double *a, const double *b, size_t R, double *mean, double *hw_paired,
                  double *hw_unpaired)
{
  double *d = calloc(R ? R : 1, sizeof *d);
  *mean = *hw_paired = *hw_unpaired = 0;
  if (!d || R == 0) {
    free(d);
    return;
  }
  for (size_t r = 0; r < R; r++)
    d[r] = b[r] - a[r];
  *mean = stats_mean(d, R);
  double sd = stats_sd(d, R, *mean);
  *hw_paired = stats_halfwidth(sd, R);
  double sa = stats_sd(a, R, stats_mean(a, R)), sb = stats_sd(b, R, stats_mean(b, R));
  double va = sa * sa, vb = sb * sb;
  /* Two independent samples of R each: sd of the difference of means is
   * sqrt((va + vb) / R); stats_halfwidth divides by sqrt(R). */
  *hw_unpaired = stats_halfwidth(sqrt(va + vb), R);
  free(d);
}
