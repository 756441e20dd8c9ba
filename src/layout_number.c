#include "jmap/layout.h"

#include <math.h>
#include <string.h>

#include "layout_internal.h"

/*
 * Numbers as a map shows them, built digit by digit so that no locale (LC_NUMERIC) can change
 * the decimal point or the grouping: "42,000", "0.031", "-1,234.5".
 */

#define MAX_DECIMALS 6

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

char *jmap_format_number(char *buf, size_t size, double v)
{
    char tmp[64];
    size_t k = 0;
    if (isnan(v)) {
        memcpy(tmp, "NaN", 4);
    } else if (isinf(v)) {
        memcpy(tmp, v < 0 ? "-∞" : "∞", v < 0 ? 5 : 4);
    } else {
        double x = fabs(v);
        int exp10 = 0;
        if (x >= 1e15) {
            /* Too big to be a count anybody reads digit by digit: 1.23e18. */
            exp10 = (int)floor(log10(x));
            x /= pow(10, exp10);
        }
        int d = 0;
        double scale = 1;
        while (d < MAX_DECIMALS && x * scale < 1e14) {
            double y = x * scale;
            if (fabs(y - nearbyint(y)) <= 1e-9 * scale * (x > 1 ? x : 1))
                break;
            d++;
            scale *= 10;
        }
        unsigned long long n = (unsigned long long)llround(x * scale);
        unsigned long long p = 1;
        for (int i = 0; i < d; i++)
            p *= 10;
        unsigned long long ip = n / p, fp = n % p;
        if (v < 0 && n > 0)
            tmp[k++] = '-';
        k += put_grouped(tmp + k, ip);
        if (fp > 0) {
            char frac[MAX_DECIMALS + 1];
            for (int i = d - 1; i >= 0; i--) {
                frac[i] = (char)('0' + fp % 10);
                fp /= 10;
            }
            int last = d;
            while (last > 0 && frac[last - 1] == '0')
                last--;
            tmp[k++] = '.';
            memcpy(tmp + k, frac, (size_t)last);
            k += (size_t)last;
        }
        if (exp10 != 0) {
            tmp[k++] = 'e';
            k += put_grouped(tmp + k, (unsigned long long)exp10);
        }
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
