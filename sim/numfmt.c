/* numfmt: the shortest decimal that reads back to the same double. */
#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

void out_double(char *buf, size_t n, double x)
{
  if (whole_number(buf, n, x))
    return;
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, n, "%.*g", prec, x);
    if (strtod(buf, NULL) == x)
      return;
  }
}
