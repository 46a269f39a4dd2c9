/* src/core/dtoa.h — locale-independent conversions between doubles and text,
 * with JavaScript's number formatting.
 *
 * gqlx_dtoa prints the shortest decimal that reads back as the same double,
 * laid out exactly as ECMAScript's Number::toString(x) (the text
 * String(x) and JSON.stringify give in JavaScript). Neither function looks at
 * the process's or thread's locale, so a host that calls setlocale() cannot
 * turn "1.5" into "1,5". */
#ifndef GQLX_DTOA_H
#define GQLX_DTOA_H

#include <stddef.h>

/* Room gqlx_dtoa needs, terminator included ("-1.2345678901234567e-308" and
 * "-0.0000012345678901234567" are the longest shapes: 25 bytes). */
#define GQLX_DTOA_MAX 32

/* Writes String(x) of JavaScript to out (at least GQLX_DTOA_MAX bytes),
 * NUL-terminated, and returns its length. -0 gives "0", NaN gives "NaN" and
 * the infinities "Infinity" / "-Infinity" (JSON writers print null for
 * those instead). Thread-safe. */
size_t gqlx_dtoa(double x, char *out);

/* strtod() in the "C" locale: parses the NUL-terminated s, stores the end of
 * the number in *end if end is not NULL. Correctly rounded (glibc's strtod
 * is). Thread-safe. */
double gqlx_strtod_c(const char *s, char **end);

#endif
