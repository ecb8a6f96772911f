/* numfmt: the shortest decimal that reads back to the same double. */
#include "numfmt.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole number below 10^15 in magnitude, as "%.15g" writes it (digits,
 * a sign, "-0" for negative zero), without printf: the counts of every
 * step's row and most scenario keys are such numbers.  0 if x is not one or
 * the buffer is too small. */
static int whole_number(char *buf, size_t n, double x)
{
  if (!(x > -1e15 && x < 1e15) || x != (double)(long long)x || n < 18)
    return 0;
  long long v = (long long)x;
  char tmp[20];
  int len = 0;
  unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
  do {
    tmp[len++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  size_t k = 0;
  if (v < 0 || (v == 0 && signbit(x)))
    buf[k++] = '-';
  while (len)
    buf[k++] = tmp[--len];
  buf[k] = '\0';
  return 1;
}

__extension__ typedef unsigned __int128 u128;

static const uint64_t POW5[28] = {1ull,
                                  5ull,
                                  25ull,
                                  125ull,
                                  625ull,
                                  3125ull,
                                  15625ull,
                                  78125ull,
                                  390625ull,
                                  1953125ull,
                                  9765625ull,
                                  48828125ull,
                                  244140625ull,
                                  1220703125ull,
                                  6103515625ull,
                                  30517578125ull,
                                  152587890625ull,
                                  762939453125ull,
                                  3814697265625ull,
                                  19073486328125ull,
                                  95367431640625ull,
                                  476837158203125ull,
                                  2384185791015625ull,
                                  11920928955078125ull,
                                  59604644775390625ull,
                                  298023223876953125ull,
                                  1490116119384765625ull,
                                  7450580596923828125ull};

static const uint64_t POW10[18] = {1ull,
                                   10ull,
                                   100ull,
                                   1000ull,
                                   10000ull,
                                   100000ull,
                                   1000000ull,
                                   10000000ull,
                                   100000000ull,
                                   1000000000ull,
                                   10000000000ull,
                                   100000000000ull,
                                   1000000000000ull,
                                   10000000000000ull,
                                   100000000000000ull,
                                   1000000000000000ull,
                                   10000000000000000ull,
                                   100000000000000000ull};

static u128 pow5(int k)
{
  return k <= 27 ? (u128)POW5[k] : (u128)POW5[27] * POW5[k - 27];
}

/* N, a P-digit number (or 10^P after rounding up), times 10^(X - P + 1),
 * as "%.*g" with precision P writes it. */
static void write_g(char *buf, int neg, uint64_t N, int P, int X)
{
  if (N == POW10[P]) { /* 9.99.. rounded up to 10.0.. */
    N = POW10[P - 1];
    X++;
  }
  char dig[17];
  for (int i = P - 1; i >= 0; i--) {
    dig[i] = (char)('0' + N % 10);
    N /= 10;
  }
  int L = P; /* significant digits but for trailing zeros */
  while (L > 1 && dig[L - 1] == '0')
    L--;
  char *p = buf;
  if (neg)
    *p++ = '-';
  if (X < -4 || X >= P) {
    *p++ = dig[0];
    if (L > 1) {
      *p++ = '.';
      memcpy(p, dig + 1, (size_t)(L - 1));
      p += L - 1;
    }
    int ax = X < 0 ? -X : X;
    *p++ = 'e';
    *p++ = X < 0 ? '-' : '+';
    if (ax >= 100)
      *p++ = (char)('0' + ax / 100);
    *p++ = (char)('0' + ax / 10 % 10);
    *p++ = (char)('0' + ax % 10);
  } else if (X >= 0) {
    memcpy(p, dig, (size_t)X + 1);
    p += X + 1;
    if (L > X + 1) {
      *p++ = '.';
      memcpy(p, dig + X + 1, (size_t)(L - X - 1));
      p += L - X - 1;
    }
  } else {
    *p++ = '0';
    *p++ = '.';
    for (int i = 0; i < -X - 1; i++)
      *p++ = '0';
    memcpy(p, dig, (size_t)L);
    p += L;
  }
  *p = '\0';
}

/* What the loop of out_double_printf writes, in exact integer arithmetic,
 * for normal x with 10^-16 <= |x| < 10^17; 0 (nothing written) otherwise.
 * x = m 2^e; scaled by 10^k so that 10^16 <= |x| 10^k < 10^17, it is
 * m 5^k / 2^t exactly (a 128-bit numerator), so each precision's correctly
 * rounded digits (ties to even, as printf) and whether they read back to x
 * (strtod's rule: within half an ulp, ties to the even mantissa) are
 * integer comparisons. */
static int exact_double(char *buf, size_t n, double x)
{
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int eb = (int)((bits >> 52) & 0x7ff);
  if (n < 32 || eb == 0 || eb == 0x7ff)
    return 0;
  uint64_t m = (bits & ((1ull << 52) - 1)) | (1ull << 52);
  int e = eb - 1075;
  /* |x| is in [2^(e+52), 2^(e+53)): X = floor(log10 |x|) is this or one more */
  int X = (int)floor((e + 52) * 0.301029995663981195);
  for (int tries = 0; tries < 2; tries++, X++) {
    int k = 16 - X, s = e + k;
    if (k < 0 || k > 32 || s > 8 || s < -100)
      return 0;
    u128 num = (u128)m * pow5(k), ulp = pow5(k);
    int t = s < 0 ? -s : 0;
    if (s > 0) {
      num <<= s;
      ulp <<= s;
    }
    u128 q = num >> t, r = num - (q << t);
    if (q < POW10[16])
      return 0; /* cannot happen: the estimate is never too high */
    if (q >= POW10[17])
      continue;
    for (int P = 15; P <= 17; P++) {
      uint64_t d = POW10[17 - P];
      uint64_t N = (uint64_t)(q / d), rem = (uint64_t)(q % d);
      u128 twice = (((u128)rem << t) + r) << 1, whole = (u128)d << t;
      if (twice > whole || (twice == whole && (N & 1)))
        N++;
      if (P == 17) {
        write_g(buf, (int)(bits >> 63), N, P, X);
        return 1;
      }
      /* N d - x 10^k, times 2^t: |N d - q| <= d, so it fits */
      u128 above = (u128)N * d;
      int below = above < q || (above == q && r > 0);
      u128 dist = below ? ((q - above) << t) + r : ((above - q) << t) - r;
      int narrow = below && m == (1ull << 52) && eb > 1; /* a power of two */
      u128 lhs = narrow ? dist << 2 : dist << 1;
      if (lhs < ulp || (lhs == ulp && !(m & 1))) {
        write_g(buf, (int)(bits >> 63), N, P, X);
        return 1;
      }
    }
  }
  return 0;
}

/* The rule itself: the first of "%.15g", "%.16g", "%.17g" that reads back
 * to x. */
void out_double_printf(char *buf, size_t n, double x)
{
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, n, "%.*g", prec, x);
    if (strtod(buf, NULL) == x)
      return;
  }
}

void out_double(char *buf, size_t n, double x)
{
  if (whole_number(buf, n, x) || exact_double(buf, n, x))
    return;
  out_double_printf(buf, n, x);
}
