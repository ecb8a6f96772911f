/* normal: the standard normal quantile and exp, for the log-normal taste
 * multipliers every replication draws (three per developer).
 *
 * The quantile is Wichura's algorithm AS 241 (PPND16; Applied Statistics
 * 37(3), 1988, 477-484: "accurate to about 1 part in 10^16"), the
 * algorithm of GSL's gsl_cdf_ugaussian_Pinv, its polynomials evaluated by
 * Estrin's scheme and its tails with our own log; exp is a degree-13
 * Taylor polynomial after reducing by multiples of log 2.  Both use only
 * +, -, *, / and sqrt, rounded as IEEE 754 says, so the AVX2 path (four at
 * a time, chosen at run time) and the scalar path give the same bits:
 * tested bit for bit, and against GSL and libm (SPEC 5 allows any quantile
 * accurate to double precision).  Three to four times faster than GSL and
 * libm one at a time (4-7 ns a multiplier, against 17-25, on this
 * project's machines; make bench prints it). */
#ifndef LOCKIN_NORMAL_H
#define LOCKIN_NORMAL_H

#include <stddef.h>

/* The x with Phi(x) = p, for p in [2^-1000, 1 - 2^-53] (every uniform
 * rng_u01 gives is inside); within 1.2e-15 relative of
 * gsl_cdf_ugaussian_Pinv (tested). */
double normal_quantile(double p);

/* exp(x) for |x| <= 700, within 4.5e-16 relative of libm's (tested). */
double normal_exp(double x);

/* out[i] = exp(sigma[i] * Phi^-1(u[i]) - sigma[i]^2 / 2), a log-normal
 * multiplier of mean 1, or exactly 1 where sigma[i] is 0; sigma[i] in
 * [0, 5] (the schema's range of segments.heterogeneity).  The same bits as
 * normal_exp(sigma[i] * normal_quantile(u[i]) - 0.5 * sigma[i] * sigma[i])
 * one at a time. */
void normal_lognormal(const double *sigma, const double *u, double *out, size_t n);

#endif
