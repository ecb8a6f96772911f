/* floor: the unavoidable work of lockin's step, and nothing else, as a
 * yardstick for `make bench` (issue 12).  Not part of the product.
 *
 * The same market as the benchmark's case: N developers in mean field, one
 * segment, 5 vendors, the neutral hub live from the start and a vendor hub
 * from step 12, every developer active, 120 steps, revision rate 0.0417 a
 * step, temperature 1.  Each step:
 *   - the per-step tables: for every cell (vendor, hub) the part of the
 *     utility every developer shares (price-performance, maturity, peer
 *     shares, catalog, tilt, subsidy), from the counts;
 *   - the revisers by geometric skipping over the developers, one Philox
 *     uniform per skip (Random123, as lockin);
 *   - for each reviser its utility in every live cell (its tastes times the
 *     price-performance and neutrality terms, its switching costs by
 *     tenure), their exps in one vectorised loop, one Philox uniform, the
 *     cell it picks by the cumulative weights;
 *   - the counts and the tenure updated.
 * No metrics, no checks, no catalogs or money: what any implementation of
 * SPEC's step must do at the least.  Built with -O3 -ffast-math so that
 * the exps vectorise (glibc's libmvec): a floor, not a rival.
 *
 * Prints the nanoseconds per developer-step of the steps (best of 3). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <Random123/philox.h>

#define J     5
#define K     2
#define C     (J * K)
#define STEPS 120

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Two uniforms in (0, 1) from one Philox block keyed by (seed, counter). */
static inline void uniform2(uint64_t seed, uint32_t a, uint32_t b, uint32_t c, double u[2])
{
  philox4x32_ctr_t ctr = {{a, b, c, 0}};
  philox4x32_key_t key = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
  philox4x32_ctr_t r = philox4x32(ctr, key);
  u[0] = ((double)((uint64_t)r.v[0] << 21 ^ r.v[1]) + 0.5) * 0x1p-53;
  u[1] = ((double)((uint64_t)r.v[2] << 21 ^ r.v[3]) + 0.5) * 0x1p-53;
}

typedef struct {
  double bpp, bn, kappa; /* tastes: price-performance, neutrality, switching */
  int32_t sv, sh;        /* steps of the last vendor and hub switch */
  uint8_t cell;
} dev;

int main(int argc, char **argv)
{
  size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
  dev *d = malloc(n * sizeof *d);
  uint32_t *rev = malloc(n * sizeof *rev); /* this step's revisers */
  if (!d || !rev)
    return 1;
  /* Tastes drawn once (set-up is not what this measures). */
  long nv[J] = {0}, nh[K] = {0};
  const double share0[J] = {0.88, 0.06, 0.01, 0.03, 0.02};
  for (size_t i = 0; i < n; i++) {
    double u[2];
    uniform2(7, (uint32_t)i, 0, 1, u);
    d[i].bpp = 3.0 * exp(0.5 * (u[0] - 0.5));
    d[i].bn = 1.0 * exp(0.5 * (u[1] - 0.5));
    d[i].kappa = exp(0.5 * (u[0] * u[1] - 0.25));
    double x = (double)i / (double)n, acc = 0;
    int j = 0;
    while (j + 1 < J && x >= (acc += share0[j]))
      j++;
    d[i].cell = (uint8_t)(j * K);
    d[i].sv = d[i].sh = 0;
    nv[j]++;
    nh[0]++;
  }
  const double lambda = 0.0417, log1m = log1p(-lambda), mu = 1.0;
  const double maturity[J] = {1.0, 0.6, 0.3, 0.5, 0.5}, neutral[K] = {0.95, 0.2};
  double best = INFINITY;
  for (int rep = 0; rep < 3; rep++) {
    double t0 = now();
    long revisions = 0;
    for (int32_t t = 0; t < STEPS; t++) {
      int live = t >= 12 ? K : 1, cells = J * live;
      /* The step's tables: what every developer shares, per cell. */
      double base[C], lnpp[J], trust[K];
      for (int j = 0; j < J; j++)
        lnpp[j] = 0.25 * t / 12.0;
      for (int k = 0; k < live; k++)
        trust[k] = neutral[k];
      for (int j = 0; j < J; j++)
        for (int k = 0; k < live; k++)
          base[j * live + k] = 2.0 * maturity[j] + 1.5 * (double)nv[j] / (double)n +
                               1.0 * log1p(2.5e6 + 1e4 * t) + 1.0 * (double)nh[k] / (double)n +
                               (k == 1 && j == 0 ? 0.8 + 0.5 : 0.0);
      /* The revisers, by geometric skipping, listed first so that the
       * choices can prefetch the developers they will read. */
      uint32_t draw = 0;
      size_t nr = 0;
      for (size_t i = 0;; i++) {
        double u[2];
        uniform2(11, draw++, (uint32_t)t, 2, u);
        i += (size_t)floor(log(u[0]) / log1m);
        if (i >= n)
          break;
        rev[nr++] = (uint32_t)i;
      }
      for (size_t r = 0; r < nr; r++) {
        if (r + 8 < nr)
          __builtin_prefetch(&d[rev[r + 8]], 1);
        size_t i = rev[r];
        double u[2];
        dev *x = &d[i];
        int j0 = x->cell / K, k0 = x->cell % K;
        int32_t tv = t - x->sv, th = t - x->sh;
        double vcost = x->kappa * (1.0 + 0.03 * (tv < 36 ? tv : 36));
        double hcost = 0.3 + 0.0 * (th < 36 ? th : 36);
        double v[C], w[C], top = -INFINITY;
        for (int c = 0; c < cells; c++) {
          int j = c / live, k = c % live;
          v[c] = base[c] + x->bpp * lnpp[j] + x->bn * trust[k] - (j != j0 ? vcost : 0.0) -
                 (k != k0 ? hcost : 0.0);
          top = v[c] > top ? v[c] : top;
        }
#pragma omp simd
        for (int c = 0; c < cells; c++)
          w[c] = exp((v[c] - top) / mu);
        double total = 0;
        for (int c = 0; c < cells; c++)
          total += w[c];
        uniform2(11, (uint32_t)i, (uint32_t)t, 3, u);
        double target = u[0] * total, acc = 0;
        int pick = cells - 1;
        for (int c = 0; c < cells; c++)
          if (target < (acc += w[c])) {
            pick = c;
            break;
          }
        int j = pick / live, k = pick % live;
        nv[j0]--, nh[k0]--, nv[j]++, nh[k]++;
        if (j != j0)
          x->sv = t;
        if (k != k0)
          x->sh = t;
        x->cell = (uint8_t)(j * K + k);
        revisions++;
      }
    }
    double secs = now() - t0;
    best = secs < best ? secs : best;
    if (rep == 2)
      printf("floor: %.2f ns per developer-step (best of 3; %ld choices in the last)\n",
             best * 1e9 / ((double)n * STEPS), revisions);
  }
  free(d);
  free(rev);
  return 0;
}
