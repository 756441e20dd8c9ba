#include "jmap/provenance.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "jmap/arena.h"
#include "jmap/png_words.h"
#include "jmap/sanitize.h"
#include "qpdf_lazy.h"

/*
 * The generator stamp in an output: written into the bytes as Cairo streams them out, found
 * again in an output on disk (untrusted: bounded, never through a link or a pipe), and the
 * difference between two stamps put into words for build --check.
 */

#define READ_MAX 65536                  /* bytes of an output read to find its stamp */
#define PDF_READ_MAX (64 * 1024 * 1024) /* bytes of a PDF read whole to find its stamp */
#define SVG_PREFIX "<!-- Generator: "
#define SVG_SUFFIX " -->"
#define PNG_KEYWORD "Software"
#define PDF_KEY "/Creator ("

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* ---- writing the stamp ------------------------------------------------------------------- */

static void be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

unsigned char *jmap_png_text_chunk(const char *keyword, const char *value, size_t *len)
{
    size_t nk = strlen(keyword), nt = strlen(value), data = nk + 1 + nt;
    unsigned char *c = jmap_xmalloc(12 + data);
    be32(c, (uint32_t)data);
    memcpy(c + 4, "tEXt", 4);
    memcpy(c + 8, keyword, nk + 1);
    memcpy(c + 8 + nk + 1, value, nt);
    /* The CRC covers the type and the data, not the length. */
    be32(c + 8 + data, (uint32_t)crc32(0, c + 4, (uInt)(4 + data)));
    *len = 12 + data;
    return c;
}

void jmap_stamper_init(jmap_stamper *s, jmap_format f, const char *stamp, jmap_write_fn write,
                       void *closure)
{
    *s = (jmap_stamper){.write = write, .closure = closure, .format = f, .stamp = stamp};
    s->done = !stamp || f == JMAP_FORMAT_PDF;
}

void jmap_stamper_words(jmap_stamper *s, const char *title, const char *description,
                        const char *lang)
{
    if (s->format != JMAP_FORMAT_PNG || (!title && !description))
        return;
    s->title = title;
    s->description = description;
    s->lang = lang;
    s->done = false;
}

static void out(jmap_stamper *s, const void *data, size_t len)
{
    if (len > 0 && !s->failed && !s->write(s->closure, data, len))
        s->failed = true;
}

/* Where the stamp goes in the held bytes: after the XML declaration's line, or after the PNG
 * signature and IHDR chunk. 0 while more bytes are needed; SIZE_MAX when it goes nowhere. */
static size_t stamp_at(const jmap_stamper *s)
{
    const unsigned char *h = s->held;
    if (s->format == JMAP_FORMAT_PNG) {
        if (s->n_held < 33)
            return 0;
        bool ihdr = memcmp(h, png_signature, 8) == 0 && get_be32(h + 8) == 13 &&
                    memcmp(h + 12, "IHDR", 4) == 0;
        return ihdr ? 33 : SIZE_MAX;
    }
    if (s->n_held < 5)
        return 0;
    if (memcmp(h, "<?xml", 5) != 0)
        return SIZE_MAX;
    for (size_t i = 0; i + 2 < s->n_held; i++) {
        if (h[i] == '?' && h[i + 1] == '>' && h[i + 2] == '\n')
            return i + 3;
    }
    return s->n_held == sizeof s->held ? SIZE_MAX : 0;
}

static void write_stamp(jmap_stamper *s)
{
    if (s->format == JMAP_FORMAT_PNG) {
        size_t n;
        unsigned char *chunk;
        if (s->stamp) {
            chunk = jmap_png_text_chunk(PNG_KEYWORD, s->stamp, &n);
            out(s, chunk, n);
            free(chunk);
        }
        /* the map's words: tEXt when Latin-1 spells them, iTXt (UTF-8) otherwise */
        const char *const keys[2] = {"Title", "Description"};
        const char *const values[2] = {s->title, s->description};
        for (size_t i = 0; i < 2; i++) {
            if (!values[i])
                continue;
            chunk = jmap_png_words_chunk(keys[i], values[i], s->lang, &n);
            out(s, chunk, n);
            free(chunk);
        }
        return;
    }
    out(s, SVG_PREFIX, strlen(SVG_PREFIX));
    out(s, s->stamp, strlen(s->stamp));
    out(s, SVG_SUFFIX "\n", strlen(SVG_SUFFIX) + 1);
}

bool jmap_stamper_put(void *stamper, const unsigned char *data, size_t len)
{
    jmap_stamper *s = stamper;
    while (!s->done && len > 0) {
        size_t n = sizeof s->held - s->n_held;
        if (n > len)
            n = len;
        memcpy(s->held + s->n_held, data, n);
        s->n_held += n;
        data += n;
        len -= n;
        size_t at = stamp_at(s);
        if (at == 0)
            continue;
        s->done = true;
        if (at == SIZE_MAX) {
            out(s, s->held, s->n_held);
        } else {
            out(s, s->held, at);
            write_stamp(s);
            out(s, s->held + at, s->n_held - at);
        }
        s->n_held = 0;
    }
    out(s, data, len);
    return !s->failed;
}

bool jmap_stamper_end(jmap_stamper *s)
{
    /* Too short to hold the place of a stamp: passed on as it came. */
    out(s, s->held, s->n_held);
    s->n_held = 0;
    s->done = true;
    return !s->failed;
}

/* ---- reading a stamp back ---------------------------------------------------------------- */

static const unsigned char *find_bytes(const unsigned char *h, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        if (memcmp(h + i, needle, m) == 0)
            return h + i;
    }
    return NULL;
}

/* The bytes from `p` up to `end_mark`, if it comes within JMAP_STAMP_MAX and the text has no NUL.
 */
static char *until(const unsigned char *p, const unsigned char *end, const char *end_mark)
{
    size_t n = (size_t)(end - p);
    const unsigned char *e =
        find_bytes(p, n < JMAP_STAMP_MAX + 8 ? n : JMAP_STAMP_MAX + 8, end_mark);
    if (!e || (size_t)(e - p) > JMAP_STAMP_MAX || memchr(p, 0, (size_t)(e - p)))
        return NULL;
    return jmap_xstrndup((const char *)p, (size_t)(e - p));
}

static char *png_stamp(const unsigned char *d, size_t len)
{
    if (len < 8 || memcmp(d, png_signature, 8) != 0)
        return NULL;
    size_t off = 8;
    while (len - off >= 12) {
        uint32_t n = get_be32(d + off);
        const unsigned char *type = d + off + 4;
        if (n > len - off - 12 || memcmp(type, "IDAT", 4) == 0)
            return NULL;
        const unsigned char *body = type + 4;
        size_t nk = sizeof PNG_KEYWORD; /* with its NUL */
        if (memcmp(type, "tEXt", 4) == 0 && n > nk && n - nk <= JMAP_STAMP_MAX &&
            memcmp(body, PNG_KEYWORD, nk) == 0 && crc32(0, type, 4 + n) == get_be32(body + n) &&
            !memchr(body + nk, 0, n - nk))
            return jmap_xstrndup((const char *)body + nk, n - nk);
        off += 12 + (size_t)n;
    }
    return NULL;
}

/* The last /Creator literal of the PDF's end: cairo writes the document information there. */
static char *pdf_stamp(const unsigned char *d, size_t len)
{
    size_t m = strlen(PDF_KEY);
    for (size_t i = len >= m ? len - m + 1 : 0; i-- > 0;) {
        if (memcmp(d + i, PDF_KEY, m) != 0)
            continue;
        char *s = until(d + i + m, d + len, ")");
        if (s && strchr(s, '\\')) {
            free(s); /* an escaped literal: not one jmap wrote */
            return NULL;
        }
        return s;
    }
    return NULL;
}

/* The /Creator of the document information, through libqpdf: a PDF jmap writes packs it into a
 * compressed object stream (render_pdf_pack.h), where no byte search finds it. */
static char *pdf_info_creator(const unsigned char *d, size_t len)
{
    if (len < 5 || memcmp(d, "%PDF-", 5) != 0)
        return NULL;
    const jmap_qpdf *qp = jmap_qpdf_load(NULL);
    if (!qp)
        return NULL; /* without libqpdf, no stamp: build --check then writes the file again */
    qpdf_data q = qp->init();
    qp->silence_errors(q);
    qp->set_suppress_warnings(q, QPDF_TRUE);
    qp->set_attempt_recovery(q, QPDF_FALSE); /* a damaged file carries no stamp worth trusting */
    char *s = NULL;
    if (!(qp->read_memory(q, "output", (const char *)d, (unsigned long long)len, NULL) &
          QPDF_ERRORS)) {
        qpdf_oh creator =
            qp->oh_get_key(q, qp->oh_get_key(q, qp->get_trailer(q), "/Info"), "/Creator");
        const char *v = NULL;
        size_t n = 0;
        if (qp->oh_is_string(q, creator) && qp->oh_get_value_as_utf8(q, creator, &v, &n) && n > 0 &&
            n <= JMAP_STAMP_MAX && !memchr(v, 0, n) && !qp->has_error(q))
            s = jmap_xstrndup(v, n);
    }
    qp->cleanup(&q);
    return s;
}

char *jmap_stamp_find(jmap_format f, const unsigned char *data, size_t len)
{
    switch (f) {
    case JMAP_FORMAT_SVG: {
        const unsigned char *p = find_bytes(data, len, SVG_PREFIX);
        return p ? until(p + strlen(SVG_PREFIX), data + len, SVG_SUFFIX) : NULL;
    }
    case JMAP_FORMAT_PNG:
        return png_stamp(data, len);
    case JMAP_FORMAT_PDF: {
        char *s = pdf_stamp(data, len);
        return s ? s : pdf_info_creator(data, len);
    }
    default: /* the text formats carry no stamp */
        return NULL;
    }
}

char *jmap_stamp_read(const char *path, jmap_format f)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *stamp = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        /* A PDF is read whole (its xref and information may be anywhere) up to PDF_READ_MAX;
         * past that, its last 64 KiB, where an unpacked PDF keeps its information. */
        size_t want = READ_MAX;
        off_t from = 0;
        if (f == JMAP_FORMAT_PDF && st.st_size <= PDF_READ_MAX)
            want = (size_t)st.st_size;
        else if (f == JMAP_FORMAT_PDF)
            from = st.st_size - READ_MAX;
        unsigned char *buf = jmap_xmalloc(want ? want : 1);
        size_t got = 0;
        ssize_t n;
        while (got < want && (n = pread(fd, buf + got, want - got, from + (off_t)got)) > 0)
            got += (size_t)n;
        stamp = jmap_stamp_find(f, buf, got);
        free(buf);
    }
    close(fd);
    return stamp;
}

/* ---- explaining a difference ------------------------------------------------------------- */

enum { F_JMAP, F_FORMAT, F_FONT, F_CAIRO, F_PANGO, F_HARFBUZZ, F_FONTCONFIG, F_LIBYAML, N_FIELDS };

static const char *const field_names[N_FIELDS] = {
    "jmap", "map format", "font", "cairo", "pango", "harfbuzz", "fontconfig", "libyaml",
};

/* Split a stamp into its known fields (each sanitised, at most JMAP_STAMP_FIELD * 2 bytes). */
static void parse_stamp(const char *stamp, char *fields[N_FIELDS])
{
    for (int i = 0; i < N_FIELDS; i++)
        fields[i] = NULL;
    for (const char *p = stamp; *p;) {
        size_t n = strcspn(p, ";");
        for (int i = 0; i < N_FIELDS; i++) {
            size_t k = strlen(field_names[i]);
            if (!fields[i] && n > k + 1 && strncmp(p, field_names[i], k) == 0 && p[k] == ' ') {
                size_t v = n - k - 1;
                fields[i] =
                    jmap_sanitize_n(p + k + 1, v < 2 * JMAP_STAMP_FIELD ? v : 2 * JMAP_STAMP_FIELD);
            }
        }
        p += n;
        while (*p == ';' || *p == ' ')
            p++;
    }
}

static void free_fields(char *fields[N_FIELDS])
{
    for (int i = 0; i < N_FIELDS; i++)
        free(fields[i]);
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* ", and cairo 1.18.0, pango 1.52.0": the libraries (and map format) whose versions differ. */
static void put_differences(FILE *f, char *mine[N_FIELDS], char *other[N_FIELDS])
{
    const char *sep = " and ";
    for (int i = F_FORMAT; i < N_FIELDS; i++) {
        if (i == F_FONT || same(mine[i], other[i]) || !mine[i])
            continue;
        fprintf(f, "%s%s %s", sep, field_names[i], mine[i]);
        sep = ", ";
    }
}

char *jmap_stamp_explain(const char *old, const jmap_provenance *now)
{
    if (old && strcmp(old, now->stamp) == 0)
        return NULL;
    char *was[N_FIELDS], *is[N_FIELDS];
    parse_stamp(now->stamp, is);
    parse_stamp(old ? old : "", was);
    char *msg = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&msg, &len);
    if (!old) {
        fputs("it carries no jmap stamp (an older jmap or another program drew it)", f);
    } else if (!was[F_JMAP]) {
        size_t n = strlen(old);
        char *shown = jmap_sanitize_n(old, n < 2 * JMAP_STAMP_FIELD ? n : 2 * JMAP_STAMP_FIELD);
        fprintf(f, "drawn by '%s%s'", shown, n > 2 * JMAP_STAMP_FIELD ? "…" : "");
        free(shown);
    } else {
        fprintf(f, "drawn with %s by jmap %s", was[F_FONT] ? was[F_FONT] : "an unnamed font",
                was[F_JMAP]);
        put_differences(f, was, is);
    }
    fputs("; this jmap", f);
    if (is[F_JMAP] && !same(was[F_JMAP], is[F_JMAP])) /* this jmap's stamp always names it */
        fprintf(f, " %s", is[F_JMAP]);
    fprintf(f, " draws with %s", is[F_FONT] ? is[F_FONT] : "an unnamed font");
    if (was[F_JMAP])
        put_differences(f, is, was);
    free_fields(was);
    free_fields(is);
    fclose(f);
    return msg;
}
