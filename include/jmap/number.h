#ifndef JMAP_NUMBER_H
#define JMAP_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Numbers as jmap reads them, from a map's YAML and from CSV data files alike: a strict,
 * locale-independent syntax (YAML 1.2's core float without .inf and .nan; no hex, no thousands
 * separators, no leading or trailing garbage) read to the nearest double whatever LC_NUMERIC
 * says, so "12.5" is 12.5 in a decimal-comma locale too.
 *
 *   [+-]? ( digits ( '.' digits? )? | '.' digits ) ( [eE] [+-]? digits )?
 */

/** True when the `len` bytes at `s` are a number in that syntax (with `integer`, digits with an
 * optional sign and nothing else). */
bool jmap_number_syntax(const char *s, size_t len, bool integer);

/** The nearest double to the `len` bytes at `s`, which jmap_number_syntax accepted (need not be
 * NUL-terminated): ±HUGE_VAL past the range of doubles, as strtod. */
double jmap_number_value(const char *s, size_t len);

#endif
