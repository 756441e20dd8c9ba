#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "data_internal.h"
#include "jmap/number.h"

/*
 * The values of a data file's cells, and the words for what is wrong with them. Numbers are
 * read by the one number reader (jmap/number.h) in every locale; a spreadsheet saved in a
 * decimal-comma locale writes 12,5, which is the commonest slip, so it gets its own code and
 * the value to write instead.
 */

void data_quote(char *out, size_t cap, const char *s, size_t len)
{
    size_t n = len;
    const char *more = "";
    if (n > DATA_QUOTE_MAX) {
        n = DATA_QUOTE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* do not cut a character in two */
        more = "...";
    }
    /* a NUL would end the message: written as the sanitiser shows other control bytes */
    size_t k = 0;
    for (size_t i = 0; i < n && k + 5 < cap; i++) {
        if (s[i] == '\0') {
            memcpy(out + k, "\\x00", 4);
            k += 4;
        } else {
            out[k++] = s[i];
        }
    }
    snprintf(out + k, cap - k, "%s", more);
}

void data_cell_diag(data_problem *p, const char *code, const char *hint, const char *fmt, ...)
{
    p->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
    snprintf(p->hint, sizeof p->hint, "%s", hint ? hint : "");
}

/* The text with its commas taken as a decimal comma (one, and '.' grouping thousands before it,
 * as de-DE writes 1.234,5) into out: false when that does not make a number. */
static bool as_decimal_comma(const char *s, size_t len, char *out, size_t cap)
{
    const char *comma = memchr(s, ',', len);
    if (!comma || memchr(comma + 1, ',', len - (size_t)(comma - s) - 1) || len >= cap)
        return false;
    size_t k = 0;
    for (const char *p = s; p < s + len; p++) {
        if (*p == '.' && p < comma) {
            /* a thousands point: three digits follow, up to the next point or the comma */
            const char *q = p + 1;
            while (q < comma && *q >= '0' && *q <= '9')
                q++;
            if (q - p != 4 || (*q != '.' && *q != ','))
                return false;
            continue;
        }
        out[k++] = *p == ',' ? '.' : *p;
    }
    out[k] = '\0';
    return jmap_number_syntax(out, k, false);
}

/* The text without commas that group thousands (1,234,567.5) into out: false otherwise. */
static bool without_grouping(const char *s, size_t len, char *out, size_t cap)
{
    if (len >= cap)
        return false;
    const char *dot = memchr(s, '.', len);
    const char *end = dot ? dot : s + len;
    size_t k = 0;
    for (const char *p = s; p < s + len; p++) {
        if (*p == ',') {
            const char *q = p + 1;
            while (q < end && *q >= '0' && *q <= '9')
                q++;
            if (p > end || q - p != 4 || (q < end && *q != ','))
                return false;
            continue;
        }
        out[k++] = *p;
    }
    out[k] = '\0';
    return k < len && jmap_number_syntax(out, k, false);
}

/* How many digits follow the one comma, 0 when there is not exactly one. */
static size_t digits_after_comma(const char *s, size_t len)
{
    const char *comma = memchr(s, ',', len);
    if (!comma || memchr(s, '.', len))
        return 0;
    size_t n = 0;
    for (const char *p = comma + 1; p < s + len && *p >= '0' && *p <= '9'; p++)
        n++;
    return n;
}

/* A few things exports write around numbers, each with its fix. */
static const char *number_hint(const char *s, size_t len)
{
    char last = s[len - 1], first = s[0];
    if (last == '%')
        return "write the number without '%': the KPI's `unit` says what it counts";
    if (first == '$' || last == '$' ||
        (len >= 3 &&
         (memcmp(s, "\xe2\x82\xac", 3) == 0 || memcmp(s + len - 3, "\xe2\x82\xac", 3) == 0)))
        return "write the number without a currency sign: the KPI's `unit` says what it counts";
    if (memchr(s, ' ', len) || memchr(s, '\'', len))
        return "write the number without spaces or thousands separators";
    static const char *const words[] = {"nan",       "inf", "infinity", "-inf", "+inf", "-infinity",
                                        "+infinity", "n/a", "na",       "null", "none", "-"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        if (strlen(words[i]) == len && strncasecmp(s, words[i], len) == 0)
            return "a KPI's value is a finite number: leave the row out when there is none";
    }
    return NULL;
}

bool data_number_read(const char *s, size_t len, const char *column, double *out, data_problem *why)
{
    if (jmap_number_syntax(s, len, false)) {
        double v = jmap_number_value(s, len);
        if (isfinite(v)) {
            *out = v;
            return true;
        }
        char shown[DATA_QUOTE_CAP];
        data_quote(shown, sizeof shown, s, len);
        data_cell_diag(why, "data-not-a-number", NULL, "the number '%s' for '%s' is too large",
                       shown, column);
        return false;
    }
    char shown[DATA_QUOTE_CAP], fixed[DATA_QUOTE_MAX + 1];
    data_quote(shown, sizeof shown, s, len);
    if (as_decimal_comma(s, len, fixed, sizeof fixed)) {
        data_cell_diag(why, "data-decimal-comma", NULL,
                       "'%s' for '%s' has a decimal comma: numbers take '.' in every locale", shown,
                       column);
        char plain[DATA_QUOTE_MAX + 1];
        if (digits_after_comma(s, len) == 3 && without_grouping(s, len, plain, sizeof plain))
            snprintf(why->hint, sizeof why->hint,
                     "write '%s', or '%s' if the comma groups thousands", fixed, plain);
        else
            snprintf(why->hint, sizeof why->hint, "write '%s'", fixed);
        return false;
    }
    data_cell_diag(why, "data-not-a-number", number_hint(s, len),
                   "expected a number for '%s', found '%s'", column, shown);
    if (without_grouping(s, len, fixed, sizeof fixed))
        snprintf(why->hint, sizeof why->hint, "write it without thousands separators: '%s'", fixed);
    return false;
}
