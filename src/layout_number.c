#include "jmap/layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_internal.h"

/*
 * Numbers as a map shows them, with the digits the value needs and no more: the shortest
 * decimal that reads back as the same double, so 0.031 is "0.031", 9.9999999999e15 is not
 * rounded up to "1e16" and 4.9e-324 is not "0". printf finds the digits; the text is then
 * built digit by digit, so no locale (LC_NUMERIC) can change the decimal point or the
 * grouping: "42,000", "0.031", "-1,234.5", "1.23e18", "1.5e-7".
 */

#define MAX_DIGITS 17   /* a double never needs more */
#define FIXED_MIN_EXP -6 /* 0.000001 is written out; 1e-7 takes an exponent */
#define FIXED_MAX_EXP 14 /* 999,999,999,999,999 is written out; 1e15 takes an exponent */

/* Append the decimal digits of `n` with a comma every three from the right. */
static size_t put_grouped(char *out, unsigned long long n)
{
    char digits[24];
    size_t nd = 0;
    do {
        digits[nd++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    size_t k = 0;
    for (size_t i = nd; i-- > 0;) {
        out[k++] = digits[i];
        if (i > 0 && i % 3 == 0)
            out[k++] = ',';
    }
    return k;
}

/*
 * The shortest significant digits of x (finite, > 0) that read back as x, without trailing
 * zeros, and the power of ten of the first: x = d.ddd * 10^exp. printf's "%.*e" rounds
 * correctly, and strtod reads it in the same locale, whatever its decimal point; only the
 * digits and the exponent are taken from the text.
 */
static int shortest_digits(double x, char digits[MAX_DIGITS + 1], int *exp)
{
    char buf[64];
    for (int prec = 1; prec <= MAX_DIGITS; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    int nd = 0;
    const char *p = buf;
    for (; *p && *p != 'e'; p++) {
        if (*p >= '0' && *p <= '9' && nd < MAX_DIGITS)
            digits[nd++] = *p;
    }
    *exp = *p == 'e' ? atoi(p + 1) : 0;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    return nd;
}

/* x (finite, > 0) into out; returns the bytes written (at most 30). */
static size_t put_positive(char *out, double x)
{
    char digits[MAX_DIGITS + 1];
    int exp;
    int nd = shortest_digits(x, digits, &exp);
    size_t k = 0;
    if (exp < FIXED_MIN_EXP || exp > FIXED_MAX_EXP) {
        out[k++] = digits[0];
        if (nd > 1) {
            out[k++] = '.';
            memcpy(out + k, digits + 1, (size_t)nd - 1);
            k += (size_t)nd - 1;
        }
        out[k++] = 'e';
        if (exp < 0)
            out[k++] = '-';
        k += put_grouped(out + k, (unsigned long long)(exp < 0 ? -exp : exp));
        return k;
    }
    /* the whole part: the digits up to the point, zeros past the last */
    unsigned long long whole = 0;
    for (int i = 0; i <= exp; i++)
        whole = whole * 10 + (unsigned long long)(i < nd ? digits[i] - '0' : 0);
    k += put_grouped(out + k, whole);
    int first = exp + 1; /* index in digits of the first decimal; negative: leading zeros */
    if (first < nd) {
        out[k++] = '.';
        for (int i = first; i < 0; i++)
            out[k++] = '0';
        for (int i = first < 0 ? 0 : first; i < nd; i++)
            out[k++] = digits[i];
    }
    return k;
}

char *jmap_format_number(char *buf, size_t size, double v)
{
    char tmp[64];
    size_t k = 0;
    if (isnan(v)) {
        memcpy(tmp, "NaN", 4);
    } else if (isinf(v)) {
        memcpy(tmp, v < 0 ? "-∞" : "∞", v < 0 ? 5 : 4);
    } else if (v == 0) {
        memcpy(tmp, "0", 2); /* -0 too */
    } else {
        if (v < 0)
            tmp[k++] = '-';
        k += put_positive(tmp + k, fabs(v));
        tmp[k] = '\0';
    }
    if (size > 0) {
        size_t len = strlen(tmp);
        if (len >= size)
            len = size - 1;
        memcpy(buf, tmp, len);
        buf[len] = '\0';
    }
    return buf;
}

bool lay_unit_glued(const char *unit)
{
    /* signs are glued to the number ("3.1%"); words get a space ("42,000 people") */
    return unit && (strcmp(unit, "%") == 0 || strcmp(unit, "‰") == 0 || strcmp(unit, "°") == 0);
}

char *lay_quantity(lay *L, const jmap_num *n, const jmap_str *unit)
{
    if (!n->set)
        return NULL;
    char num[64];
    jmap_format_number(num, sizeof num, n->v);
    if (!unit->s || !unit->s[0])
        return jmap_arena_strdup(L->a, num);
    return jmap_arena_printf(L->a, lay_unit_glued(unit->s) ? "%s%s" : "%s %s", num, unit->s);
}
