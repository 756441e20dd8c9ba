#include "check_internal.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/sanitize.h"

/* ASCII only, so that the result does not depend on the locale. */
static bool is_lower(char ch)
{
    return ch >= 'a' && ch <= 'z';
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_alpha(char ch)
{
    return is_lower(ch) || (ch >= 'A' && ch <= 'Z');
}

static bool is_hex(char ch)
{
    return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static char to_lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

bool check_id_valid(const char *s)
{
    if (!is_lower(s[0]) && !is_digit(s[0]))
        return false;
    for (const char *p = s + 1; *p; p++) {
        if (!is_lower(*p) && !is_digit(*p) && *p != '-' && *p != '_')
            return false;
    }
    return true;
}

bool check_kpi_id_valid(const char *s)
{
    if (!is_lower(s[0]) && !is_digit(s[0]))
        return false;
    for (const char *p = s + 1; *p; p++) {
        if (!is_lower(*p) && !is_digit(*p) && *p != '-' && *p != '_' && *p != '.')
            return false;
    }
    return true;
}

bool check_color_valid(const char *s)
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 4 && n != 7))
        return false;
    for (size_t i = 1; i < n; i++) {
        if (!is_hex(s[i]))
            return false;
    }
    return true;
}

/* The subtag [s, s + n) is n in [lo, hi] characters each passing `ok`. */
static bool subtag(const char *s, size_t n, size_t lo, size_t hi, bool (*ok)(char))
{
    if (n < lo || n > hi)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!ok(s[i]))
            return false;
    }
    return true;
}

static bool is_alnum(char ch)
{
    return is_alpha(ch) || is_digit(ch);
}

bool check_lang_valid(const char *s)
{
    /* what may come next: 1 a script, 2 a region, 3 only variants */
    int next = 0;
    for (const char *p = s;;) {
        const char *e = strchr(p, '-');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (next == 0) {
            if (!subtag(p, n, 2, 8, is_alpha))
                return false;
            next = 1;
        } else if (next <= 1 && subtag(p, n, 4, 4, is_alpha)) {
            next = 2;
        } else if (next <= 2 && (subtag(p, n, 2, 2, is_alpha) || subtag(p, n, 3, 3, is_digit))) {
            next = 3;
        } else if (subtag(p, n, 5, 8, is_alnum) ||
                   (n == 4 && is_digit(p[0]) && subtag(p + 1, 3, 3, 3, is_alnum))) {
            next = 3;
        } else {
            return false;
        }
        if (!e)
            return true;
        p = e + 1;
    }
}

bool check_blank(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return false;
    }
    return true;
}

const char *check_quote(const char *s, char *buf, size_t size)
{
    return check_quote_n(s, strlen(s), buf, size);
}

const char *check_quote_n(const char *s, size_t len, char *buf, size_t size)
{
    size_t n = jmap_utf8_advance(s, len, 40);
    char *shown = jmap_sanitize_n(s, n);
    snprintf(buf, size, "%s%s", shown, n < len ? "..." : "");
    free(shown);
    return buf;
}

const char *check_number(double v, char *buf, size_t size)
{
    /* Whole numbers in full ("1000", not "1e+03"), as far as a double holds them exactly. */
    if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
        snprintf(buf, size, "%lld", (long long)v);
        return buf;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    /* printf and strtod agree on the locale's decimal point; the message wants '.'. */
    const char *dp = localeconv()->decimal_point;
    size_t dl = strlen(dp);
    char *at = dl && strcmp(dp, ".") != 0 ? strstr(buf, dp) : NULL;
    if (at) {
        *at = '.';
        memmove(at + 1, at + dl, strlen(at + dl) + 1);
    }
    return buf;
}

/* Schemes that make a link run code or read local files when the SVG is opened in a browser. */
static const char *const unsafe_schemes[] = {"javascript", "data", "vbscript", "file"};

static bool scheme_is(const char *s, size_t n, const char *word)
{
    if (strlen(word) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (to_lower(s[i]) != word[i])
            return false;
    }
    return true;
}

/* The length of the scheme before ':', or 0 when the url does not start with one. */
static size_t scheme_len(const char *s)
{
    if (!is_alpha(s[0]))
        return 0;
    size_t n = 1;
    while (is_alpha(s[n]) || is_digit(s[n]) || s[n] == '+' || s[n] == '-' || s[n] == '.')
        n++;
    return s[n] == ':' ? n : 0;
}

/* http(s): "//", then an optional "user@", a host, an optional ":port". */
static bool has_host(const char *rest)
{
    if (rest[0] != '/' || rest[1] != '/')
        return false;
    const char *h = rest + 2;
    size_t end = strcspn(h, "/?#");
    const char *at = memchr(h, '@', end);
    if (at) {
        end -= (size_t)(at + 1 - h);
        h = at + 1;
    }
    size_t host = end;
    const char *colon = memchr(h, ':', end);
    if (colon && h[0] != '[')
        host = (size_t)(colon - h);
    return host > 0;
}

void check_url(checker *c, const jmap_str *url)
{
    const char *s = url->s;
    char q[CHECK_QUOTE_SIZE];
    /* C0, DEL, and past ASCII the C1 controls, bidi controls and invisible characters,
     * which would make a link read as something other than where it goes. */
    for (size_t i = 0, n, len = url->len; i < len; i += n ? n : 1) {
        uint32_t cp = 0;
        n = jmap_utf8_decode(s + i, len - i, &cp);
        if (n == 0 || cp == ' ' || jmap_sanitize_escapes(cp)) {
            check_report(c, JMAP_SEV_ERROR, "invalid-url", url->loc,
                         "url '%s' contains a space or a control character",
                         check_quote_n(s, len, q, sizeof(q))); /* whole: a NUL is shown */
            return;
        }
    }
    size_t n = scheme_len(s);
    if (n == 0) {
        check_report(c, JMAP_SEV_ERROR, "invalid-url", url->loc,
                     "url '%s' has no scheme; expected http, https or mailto",
                     check_quote(s, q, sizeof(q)));
        if (strlen(s) <= 40 && strchr(s, '.') && !strchr(s, ':') && !strchr(s, '@'))
            check_hint(c, "write it as 'https://%s'", s);
        return;
    }
    for (size_t i = 0; i < sizeof(unsafe_schemes) / sizeof(unsafe_schemes[0]); i++) {
        if (scheme_is(s, n, unsafe_schemes[i])) {
            check_report(c, JMAP_SEV_ERROR, "invalid-url", url->loc,
                         "url scheme '%s:' is not allowed: the SVG is opened in browsers, so "
                         "links may only use http, https or mailto",
                         unsafe_schemes[i]);
            return;
        }
    }
    if (scheme_is(s, n, "mailto")) {
        if (s[n + 1] == '\0')
            check_report(c, JMAP_SEV_ERROR, "invalid-url", url->loc,
                         "url 'mailto:' has no address");
        return;
    }
    if (!scheme_is(s, n, "http") && !scheme_is(s, n, "https")) {
        check_report(c, JMAP_SEV_ERROR, "invalid-url", url->loc,
                     "unsupported url scheme '%.*s:'; expected http, https or mailto", (int)n,
                     check_quote(s, q, sizeof(q)));
        return;
    }
    if (!has_host(s + n + 1))
        check_report(c, JMAP_SEV_ERROR, "invalid-url", url->loc, "url '%s' has no host",
                     check_quote(s, q, sizeof(q)));
}
