#include "jmap/number.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"

bool jmap_number_syntax(const char *s, size_t len, bool integer)
{
    const char *p = s, *end = s + len;
    size_t whole = 0, frac = 0;
    if (p < end && (*p == '+' || *p == '-'))
        p++;
    while (p < end && *p >= '0' && *p <= '9') {
        p++;
        whole++;
    }
    if (integer)
        return whole > 0 && p == end;
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            p++;
            frac++;
        }
    }
    if (whole + frac == 0)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        size_t exp = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            p++;
            exp++;
        }
        if (exp == 0)
            return false;
    }
    return p == end;
}

/* strtod in the C locale whatever the process's is, on a NUL-terminated copy. */
static double c_strtod(const char *s, size_t len)
{
    char small[64];
    char *buf = len < sizeof small ? small : jmap_xmalloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    double v;
    const char *dp = localeconv()->decimal_point;
    locale_t c;
    if ((dp[0] == '.' && dp[1] == '\0') || !(c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0))) {
        v = strtod(buf, NULL);
    } else {
        locale_t old = uselocale(c);
        v = strtod(buf, NULL);
        uselocale(old);
        freelocale(c);
    }
    if (buf != small)
        free(buf);
    return v;
}

/*
 * Clinger's fast path: when the significant digits make an integer m < 2^53 and the decimal
 * exponent e is within ±22, both m and 10^|e| are exact doubles, so the one multiplication or
 * division IEEE 754 rounds correctly gives the nearest double, as strtod would. That covers
 * what KPI exports hold (12.5, 0.031, 1250000) without strtod's cost; the rest goes to strtod.
 */
double jmap_number_value(const char *s, size_t len)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = s, *end = s + len;
    bool neg = false;
    if (p < end && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    uint64_t m = 0;
    int digits = 0; /* significant digits in m */
    long e = 0;
    bool point = false;
    for (; p < end && ((*p >= '0' && *p <= '9') || *p == '.'); p++) {
        if (*p == '.') {
            point = true;
            continue;
        }
        if (m == 0 && *p == '0') {
            e -= point; /* a leading zero: only the point's place counts */
            continue;
        }
        if (++digits > 19)
            return c_strtod(s, len);
        m = m * 10 + (uint64_t)(*p - '0');
        e -= point;
    }
    if (p < end) { /* the exponent */
        p++;
        bool eneg = false;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        long x = 0;
        for (; p < end; p++) {
            if (x > 100000)
                return c_strtod(s, len);
            x = x * 10 + (*p - '0');
        }
        e += eneg ? -x : x;
    }
    if (m == 0)
        return neg ? -0.0 : 0.0;
    if (m > (UINT64_C(1) << 53) || e < -22 || e > 22)
        return c_strtod(s, len);
    double v = (double)m;
    v = e < 0 ? v / pow10[-e] : v * pow10[e];
    return neg ? -v : v;
}
