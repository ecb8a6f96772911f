/* scenario_bounds: values that are in range one by one but overflow a
 * double together (a catalog near the largest double, revenue compounding
 * over a long horizon, a subnormal temperature, weights whose sum is
 * infinite) are refused at load, with the figure that would overflow.
 *
 * Each check bounds a quantity of the model from above over the whole
 * horizon, from the scenario alone, and requires the bound to stay below
 * SCN_MAGNITUDE_MAX (1e100), far enough from DBL_MAX (1.8e308) that sums,
 * products and differences of such figures in the metrics stay finite.  The
 * bounds are loose (worst cases, not expectations), so a refused scenario
 * is one whose figures are absurd, never a plausible one. */
#include <float.h>
#include <math.h>
#include <stdio.h>

#include "scenario_internal.h"

#define SCN_MAGNITUDE_MAX 1e100
/* |z| of an inverse normal draw from a uniform in [2^-53, 1 - 2^-53]. */
#define Z_MAX 8.3

/* Largest catalog any hub can reach: every hub's C(0), plus at most every
 * developer publishing uploads_per_publisher models a step with the largest
 * boost, doubled by each response that can mirror a catalog. */
static double catalog_bound(const scenario *s)
{
  double c0 = 0, boost = 0;
  for (size_t k = 0; k < s->n_hubs; k++)
    c0 += s->hubs[k].catalog;
  for (size_t x = 0; x < s->n_events; x++)
    boost += s->events[x].growth_boost * s->events[x].amount / 1000.0;
  double c = c0 + (double)s->steps * s->uploads_per_publisher * (1 + boost) *
                      (double)s->developers * (1 + s->multihoming);
  for (size_t x = 0; x < s->n_events; x++)
    for (size_t y = 0; y < s->events[x].n_responses; y++)
      c *= 1 + s->events[x].responses[y].mirror_fraction;
  return c;
}

/* Largest |utility| of a cell for segment g: each coefficient times the
 * largest its term can be (multipliers at their largest draw). */
static double utility_bound(const scenario *s, size_t g, double catalog)
{
  const scn_segment *sg = &s->segments[g];
  const scn_utility *u = &sg->u;
  double mult = exp(sg->heterogeneity * Z_MAX);
  double lnpp = 0, peer = (double)s->developers, bias = 0, hub = 0;
  for (size_t j = 0; j < s->n_vendors; j++) {
    const scn_vendor *v = &s->vendors[j];
    double x = fabs(log(v->price_performance)) +
               fabs(v->growth) * (double)s->steps / (double)s->steps_per_year;
    lnpp = x > lnpp ? x : lnpp;
    bias += fabs(sg->vendor_bias[j]);
  }
  for (size_t k = 0; k < s->n_hubs; k++)
    for (size_t j = 0; j < s->n_vendors; j++)
      hub += s->hubs[k].subsidy[j];
  double cap = (double)u->tenure_cap;
  return fabs(u->price_performance) * mult * lnpp + fabs(u->maturity) +
         (fabs(u->vendor_network) + fabs(u->hub_network)) * peer +
         fabs(u->catalog) * log1p(catalog) + fabs(u->neutrality) * mult + fabs(u->tilt) + bias +
         hub + mult * (u->vendor_switch_cost + u->vendor_switch_cost_per_step * cap) +
         u->hub_switch_cost + u->hub_switch_cost_per_step * cap;
}

/* Largest value in $M: the revenue rate at its largest growth, for every
 * organisation at the largest segment revenue and monetization, summed over
 * the horizon and the terminal multiple, plus the investments' cash. */
static double money_bound(const scenario *s)
{
  double O = s->organisations > 0 ? (double)s->organisations : (double)s->developers;
  double rev = 0, mon = 0, cash = 0;
  for (size_t g = 0; g < s->n_segments; g++)
    rev = s->segments[g].revenue > rev ? s->segments[g].revenue : rev;
  for (size_t k = 0; k < s->n_hubs; k++)
    mon = s->hubs[k].monetization > mon ? s->hubs[k].monetization : mon;
  for (size_t x = 0; x < s->n_events; x++)
    cash += s->events[x].amount;
  double years = (double)s->steps / (double)s->steps_per_year;
  double growth = exp(fmax(s->revenue_growth, 0) * years);
  return O * rev * mon / 1e6 * growth * (years + s->terminal_multiple) + cash;
}

static void too_big(scn_ctx *c, const config_t *cfg, const char *path, const char *what, double x)
{
  char got[40] = "more than the largest double";
  if (isfinite(x))
    snprintf(got, sizeof got, "%.3g", x);
  scn_fail(c, scn_lookup(cfg, path), NULL,
           "%s can reach %s over the horizon; at most %g, or figures built from it overflow a "
           "double",
           what, got, SCN_MAGNITUDE_MAX);
}

/* Sums that must be finite: a list of n weights at stride bytes from base. */
static void sum_finite(scn_ctx *c, const config_t *cfg, const char *path, const char *what,
                       const char *base, size_t n, size_t stride)
{
  double sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += *(const double *)(base + i * stride);
  if (!isfinite(sum))
    scn_fail(c, scn_lookup(cfg, path), NULL,
             "the %s sum to more than the largest double; scale them down (only their "
             "ratios matter)",
             what);
}

void scn_check_magnitudes(scn_ctx *c, const config_t *cfg)
{
  const scenario *s = c->scn;
  sum_finite(c, cfg, "segments", "segments' weights", (const char *)&s->segments[0].weight,
             s->n_segments, sizeof s->segments[0]);
  sum_finite(c, cfg, "vendors", "vendors' initial shares",
             (const char *)&s->vendors[0].initial_share, s->n_vendors, sizeof s->vendors[0]);
  sum_finite(c, cfg, "hubs", "hubs' initial shares", (const char *)&s->hubs[0].initial_share,
             s->n_hubs, sizeof s->hubs[0]);
  double cat = catalog_bound(s);
  if (!(cat <= SCN_MAGNITUDE_MAX)) {
    too_big(c, cfg, "hubs", "a catalog", cat);
    return; /* the utility bound below would repeat it */
  }
  double umax = 0;
  for (size_t g = 0; g < s->n_segments; g++) {
    double x = utility_bound(s, g, cat);
    umax = x > umax ? x : umax;
  }
  if (!(umax <= SCN_MAGNITUDE_MAX))
    too_big(c, cfg, "utility", "a utility", umax);
  else if (s->temperature > 0 && !(s->temperature >= fmax(umax, 1.0) / 1e300))
    scn_fail(c, scn_lookup(cfg, "utility.temperature"), NULL,
             "%g is so small that utilities (up to %.3g) divided by it overflow; use 0 for the "
             "best cell or at least %.3g",
             s->temperature, umax, fmax(umax, 1.0) / 1e300);
  double money = money_bound(s);
  if (!(money <= SCN_MAGNITUDE_MAX))
    too_big(c, cfg, "value", "a hub's value in $M", money);
}
