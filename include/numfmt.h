/* numfmt: numbers as text, exactly.  Dependency-free, so that the scenario
 * loader, the writers and the analysis share one rule without depending on
 * each other. */
#ifndef LOCKIN_NUMFMT_H
#define LOCKIN_NUMFMT_H

#include <stddef.h>

/* The shortest decimal that reads back as exactly x ("0.1", "1e-05"): the
 * first of "%.15g", "%.16g" and "%.17g" that does.  Whole numbers and
 * 10^-16 <= |x| < 10^17 are written without printf, in the same text. */
void out_double(char *buf, size_t n, double x);

/* The same by printf and strtod alone: the rule's definition (tests
 * compare out_double with it). */
void out_double_printf(char *buf, size_t n, double x);

#endif
