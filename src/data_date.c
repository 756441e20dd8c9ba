#include "jmap/data.h"

#include <stdio.h>
#include <string.h>

#include "data_internal.h"

/*
 * Periods of KPI data: `YYYY-MM-DD` (a day) or `YYYY-MM` (a month, day 0), ISO 8601's calendar
 * date and its reduced form, and nothing looser: exports from every tool can write them, and a
 * date such as 03/04/2026 means different days on either side of the Atlantic.
 */

int jmap_date_cmp(jmap_date a, jmap_date b)
{
    /* Day 0, a whole month, sorts before the month's first day. */
    long ka = (long)a.year * 10000 + a.month * 100 + a.day;
    long kb = (long)b.year * 10000 + b.month * 100 + b.day;
    return (ka > kb) - (ka < kb);
}

static char *put_digits(char *p, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

char *jmap_date_format(jmap_date d, char *buf)
{
    /* Digit by digit, each field to its width, so no value can pass the 11 bytes promised. */
    char *p = put_digits(buf, d.year % 10000, 4);
    *p++ = '-';
    p = put_digits(p, d.month % 100, 2);
    if (d.day) {
        *p++ = '-';
        p = put_digits(p, d.day % 100, 2);
    }
    *p = '\0';
    return buf;
}

static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

static unsigned days_in_month(unsigned year, unsigned month)
{
    static const unsigned char days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

static unsigned number(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

/* "2026-1-5", "2026-10-5" or "2026-1": a month and a day of one or two digits, written out
 * with two for the hint; false when the text is not of that shape or names no real day. */
static bool short_form(const char *s, size_t len, char *out, size_t cap)
{
    if (len < 6 || !digits(s, 4) || s[4] != '-')
        return false;
    unsigned part[2] = {0, 0};
    size_t n = 0, i = 5;
    for (;;) {
        size_t j = i;
        while (j < len && j - i < 2 && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j == i)
            return false;
        part[n++] = number(s + i, j - i);
        if (j == len)
            break;
        if (s[j] != '-' || n == 2)
            return false;
        i = j + 1;
    }
    unsigned year = number(s, 4);
    if (year == 0 || part[0] < 1 || part[0] > 12 ||
        (n == 2 && (part[1] < 1 || part[1] > days_in_month(year, part[0]))))
        return false;
    if (n == 2)
        snprintf(out, cap, "%04u-%02u-%02u", year, part[0], part[1]);
    else
        snprintf(out, cap, "%04u-%02u", year, part[0]);
    return true;
}

bool data_date_read(const char *s, size_t len, jmap_date *out, data_problem *why)
{
    bool month_form = len == 7, day_form = len == 10;
    unsigned year = 0, month = 0, day = 0;
    if ((month_form || day_form) && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
        (month_form || (s[7] == '-' && digits(s + 8, 2)))) {
        year = number(s, 4);
        month = number(s + 5, 2);
        day = day_form ? number(s + 8, 2) : 0;
        if (year > 0 && month >= 1 && month <= 12 &&
            (month_form || (day >= 1 && day <= days_in_month(year, month)))) {
            *out = (jmap_date){(unsigned short)year, (unsigned char)month, (unsigned char)day};
            return true;
        }
    }
    /* What is wrong, worded only now: most dates are right, and the reader is on a budget. */
    char shown[DATA_QUOTE_CAP];
    data_quote(shown, sizeof shown, s, len);
    /* A timestamp (BigQuery, Looker): the day it starts with is what it means. */
    if (len > 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
        digits(s + 8, 2) && (s[10] == 'T' || s[10] == ' ')) {
        data_cell_diag(why, "data-bad-date", NULL,
                       "date '%s' has a time of day: jmap reads days and months", shown);
        snprintf(why->hint, sizeof why->hint, "write '%.10s'", s);
        return false;
    }
    if (!(month_form || day_form) || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
        (day_form && (s[7] != '-' || !digits(s + 8, 2)))) {
        char fixed[24];
        if (short_form(s, len, fixed, sizeof fixed)) {
            data_cell_diag(why, "data-bad-date", NULL,
                           "date '%s' is not ISO 8601: months and days take two digits", shown);
            snprintf(why->hint, sizeof why->hint, "write '%s'", fixed);
        } else {
            data_cell_diag(why, "data-bad-date",
                           "write YYYY-MM-DD for a day (2026-10-31) or YYYY-MM for a month "
                           "(2026-10)",
                           "date '%s' is not ISO 8601", shown);
        }
        return false;
    }
    if (year == 0) {
        data_cell_diag(why, "data-bad-date", NULL, "date '%s' has year 0", shown);
        return false;
    }
    if (month < 1 || month > 12) {
        data_cell_diag(why, "data-bad-date", NULL, "date '%s' does not exist: there is no month %u",
                       shown, month);
        if (day >= 1 && day <= 12 && month <= days_in_month(year, day))
            snprintf(why->hint, sizeof why->hint,
                     "the month comes before the day: '%04u-%02u-%02u'", year, day, month);
        return false;
    }
    data_cell_diag(why, "data-bad-date", NULL, "date '%s' does not exist: %s %u has %u days", shown,
                   month_names[month - 1], year, days_in_month(year, month));
    return false;
}
