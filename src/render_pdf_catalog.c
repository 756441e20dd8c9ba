#define _GNU_SOURCE /* memmem */
#include "render_pdf_catalog.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/sanitize.h"

enum { MAX_FIGURES = 64 };

typedef struct entry {
    long long num;
    size_t at;
} entry;

/* The last occurrence of `word` in pdf[0..len), or NULL. */
static const char *last_of(const char *pdf, size_t len, const char *word)
{
    size_t m = strlen(word);
    for (size_t i = len >= m ? len - m + 1 : 0; i-- > 0;)
        if (memcmp(pdf + i, word, m) == 0)
            return pdf + i;
    return NULL;
}

/* The number after `key` (a name such as "/Size") in trailer[0..n), or -1. */
static long long number_after(const char *trailer, size_t n, const char *key)
{
    const char *k = last_of(trailer, n, key);
    if (!k)
        return -1;
    char *end;
    long long v = strtoll(k + strlen(key), &end, 10);
    return end == k + strlen(key) || v < 0 ? -1 : v;
}

/* `s` as a PDF literal string: bytes outside printable ASCII, and ( ) \, as octal escapes. */
static void put_literal(jmap_strbuf *out, const char *s)
{
    jmap_strbuf_puts(out, "(");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        char e[8];
        if (*c < 0x20 || *c > 0x7e || *c == '(' || *c == ')' || *c == '\\') {
            snprintf(e, sizeof e, "\\%03o", *c);
            jmap_strbuf_puts(out, e);
        } else {
            jmap_strbuf_put(out, (const char *)c, 1);
        }
    }
    jmap_strbuf_puts(out, ")");
}

/* `s` (UTF-8) as a PDF text string: a literal when it is printable ASCII (a quarter of the
 * size), else UTF-16BE with its byte-order mark, in hex. Invalid bytes become U+FFFD. */
static void put_text(jmap_strbuf *out, const char *s)
{
    const unsigned char *c = (const unsigned char *)s;
    while (*c >= 0x20 && *c <= 0x7e)
        c++;
    if (!*c) {
        put_literal(out, s);
        return;
    }
    jmap_strbuf_puts(out, "<FEFF");
    size_t n = strlen(s);
    char hex[16];
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0xFFFD;
        size_t k = jmap_utf8_decode(s + i, n - i, &cp);
        i += k ? k : 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            snprintf(hex, sizeof hex, "%04X%04X", 0xD800u + (unsigned)(cp >> 10),
                     0xDC00u + (unsigned)(cp & 0x3FF));
        } else {
            snprintf(hex, sizeof hex, "%04X", (unsigned)cp);
        }
        jmap_strbuf_puts(out, hex);
    }
    jmap_strbuf_puts(out, ">");
}

/* Copies of Cairo's Figure elements ("N 0 obj\n<< /Type /StructElem\n   /S /Figure ... >>")
 * with /Alt; their numbers and offsets go to `e`. Returns how many. */
static size_t put_figures(const char *pdf, size_t len, const char *end, const char *alt,
                          jmap_strbuf *out, entry *e)
{
    static const char word[] = "/S /Figure\n";
    size_t n = 0;
    for (const char *f = pdf; n < MAX_FIGURES && (f = memmem(f, (size_t)(end - f), word,
                                                             sizeof word - 1)) != NULL;
         f += sizeof word - 1) {
        const char *obj = f;
        while (obj > pdf && !(obj[-1] == '\n' && obj[0] >= '1' && obj[0] <= '9'))
            obj--;
        char *after;
        long long num = strtoll(obj, &after, 10);
        const char *open = strstr(obj, "<<");
        const char *close = open ? strstr(open, ">>") : NULL;
        if (num <= 0 || strncmp(after, " 0 obj", 6) != 0 || !open || open > f || !close ||
            close > end || memchr(open + 2, '<', (size_t)(close - open - 2)))
            continue;
        e[n].num = num;
        e[n].at = len + out->len;
        n++;
        char head[48];
        snprintf(head, sizeof head, "%lld 0 obj\n", num);
        jmap_strbuf_puts(out, head);
        jmap_strbuf_put(out, open, (size_t)(close - open));
        jmap_strbuf_puts(out, "   /Alt ");
        put_text(out, alt);
        jmap_strbuf_puts(out, "\n>>\nendobj\n");
    }
    return n;
}

bool jmap_pdf_catalog_update(const char *pdf, size_t len, const char *lang, const char *alt,
                             jmap_strbuf *out)
{
    const char *sx = last_of(pdf, len, "startxref");
    const char *tr = last_of(pdf, len, "trailer");
    if (!sx || !tr || tr > sx)
        return false;
    size_t tn = (size_t)(sx - tr);
    long long prev = number_after(sx, len - (size_t)(sx - pdf), "startxref");
    long long size = number_after(tr, tn, "/Size");
    long long root = number_after(tr, tn, "/Root");
    long long info = number_after(tr, tn, "/Info");
    if (prev < 0 || size <= 0 || root <= 0 || root >= size)
        return false;
    /* Cairo's catalog: "N 0 obj\n<< ... >>\nendobj", with no dictionary inside it. */
    char head[48];
    snprintf(head, sizeof head, "\n%lld 0 obj", root);
    const char *obj = last_of(pdf, (size_t)(tr - pdf), head);
    if (!obj)
        return false;
    const char *open = strstr(obj, "<<");
    const char *close = open ? strstr(open + 2, ">>") : NULL;
    const char *inner = open ? strstr(open + 2, "<<") : NULL;
    if (!close || close > tr || (inner && inner < close) ||
        last_of(open, (size_t)(close - open), "/Lang"))
        return false;

    if (len > 0 && pdf[len - 1] != '\n')
        jmap_strbuf_puts(out, "\n");
    entry e[MAX_FIGURES + 1];
    size_t n = alt && *alt ? put_figures(pdf, len, tr, alt, out, e) : 0;
    size_t at = len + out->len; /* the catalog's offset */
    char buf[160];
    snprintf(buf, sizeof buf, "%lld 0 obj\n", root);
    jmap_strbuf_puts(out, buf);
    jmap_strbuf_put(out, open, (size_t)(close - open));
    jmap_strbuf_puts(out, "   /MarkInfo << /Marked true >>\n");
    if (lang && *lang) {
        jmap_strbuf_puts(out, "   /Lang ");
        put_literal(out, lang);
        jmap_strbuf_puts(out, "\n");
    }
    jmap_strbuf_puts(out, ">>\nendobj\n");
    size_t xref = len + out->len;
    /* Entries are exactly 20 bytes: ten digits, space, five digits, space, type, space, LF. */
    jmap_strbuf_puts(out, "xref\n");
    e[n].num = root;
    e[n].at = at;
    for (size_t i = 0; i <= n; i++) {
        snprintf(buf, sizeof buf, "%lld 1\n%010zu 00000 n \n", e[i].num, e[i].at);
        jmap_strbuf_puts(out, buf);
    }
    snprintf(buf, sizeof buf, "trailer\n<< /Size %lld\n   /Root %lld 0 R\n", size, root);
    jmap_strbuf_puts(out, buf);
    if (info > 0) {
        snprintf(buf, sizeof buf, "   /Info %lld 0 R\n", info);
        jmap_strbuf_puts(out, buf);
    }
    snprintf(buf, sizeof buf, "   /Prev %lld\n>>\nstartxref\n%zu\n%%%%EOF\n", prev, xref);
    jmap_strbuf_puts(out, buf);
    return true;
}
