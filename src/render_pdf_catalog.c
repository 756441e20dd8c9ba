#include "render_pdf_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

bool jmap_pdf_catalog_update(const char *pdf, size_t len, const char *lang, jmap_strbuf *out)
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

    size_t at = len + out->len; /* the new object's offset, after anything already in `out` */
    if (len > 0 && pdf[len - 1] != '\n') {
        jmap_strbuf_puts(out, "\n");
        at++;
    }
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
    snprintf(buf, sizeof buf, "xref\n%lld 1\n%010zu 00000 n \n", root, at);
    jmap_strbuf_puts(out, buf);
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
