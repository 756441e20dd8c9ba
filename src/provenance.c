#include "jmap/provenance.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb.h>
#include <pango/pangofc-font.h>
#include <pango/pangofc-fontmap.h>
#include <yaml.h>
#include <zlib.h>

#include "jmap/arena.h"
#include "jmap/model.h"
#include "jmap/sanitize.h"
#include "text_pango.h"

/*
 * The one place that asks every library for its version and fontconfig for the files it
 * draws with, and that writes and reads the generator stamp (include/jmap/provenance.h).
 */

#define STAMP_MAX 1024    /* longer is not a stamp jmap wrote */
#define STAMP_FIELD 64    /* bytes of a font name or version kept in a stamp */
#define READ_MAX 65536    /* bytes of an output read to find its stamp */
#define SVG_PREFIX "<!-- Generator: "
#define SVG_SUFFIX " -->"
#define PNG_KEYWORD "Software"
#define PDF_KEY "/Creator ("
#define FALLBACK_FAMILY "DejaVu Sans" /* text_pango.c appends it to every family list */

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* ---- text helpers ------------------------------------------------------------------------ */

typedef struct text {
    char *s;
    size_t len;
    FILE *f;
} text;

static void text_open(text *t)
{
    t->s = NULL;
    t->len = 0;
    t->f = open_memstream(&t->s, &t->len);
}

static char *text_close(text *t)
{
    fclose(t->f);
    return t->s;
}

/* A byte the stamp keeps as it is: printable ASCII that is harmless in an XML comment, a PDF
 * literal string and a PNG text chunk, and that does not separate the stamp's fields. */
static bool stamp_keeps(unsigned char c)
{
    return c >= 0x20 && c < 0x7f && !strchr("()\\<>&\"';%", c);
}

/* Append at most STAMP_FIELD bytes of `s`, other bytes (and a '-' after a '-') as %XX. */
static void put_field(FILE *f, const char *s)
{
    char last = 0;
    for (size_t i = 0; s[i] && i < STAMP_FIELD; i++) {
        unsigned char c = (unsigned char)s[i];
        if (stamp_keeps(c) && !(c == '-' && last == '-')) {
            fputc(c, f);
            last = (char)c;
        } else {
            fprintf(f, "%%%02X", c);
            last = 'X';
        }
    }
}

/* ---- the libraries ----------------------------------------------------------------------- */

typedef struct library {
    const char *name;
    char version[32];
} library;

#define N_LIBRARIES 5

static void libraries(library out[N_LIBRARIES])
{
    int fc = FcGetVersion();
    out[0] = (library){.name = "cairo"};
    out[1] = (library){.name = "pango"};
    out[2] = (library){.name = "harfbuzz"};
    out[3] = (library){.name = "fontconfig"};
    out[4] = (library){.name = "libyaml"};
    snprintf(out[0].version, sizeof out[0].version, "%s", cairo_version_string());
    snprintf(out[1].version, sizeof out[1].version, "%s", pango_version_string());
    snprintf(out[2].version, sizeof out[2].version, "%s", hb_version_string());
    snprintf(out[3].version, sizeof out[3].version, "%d.%d.%d", fc / 10000, fc / 100 % 100,
             fc % 100);
    snprintf(out[4].version, sizeof out[4].version, "%s", yaml_get_version_string());
}

/* ---- the fonts --------------------------------------------------------------------------- */

/* "Version 3.019;git-0a5106e0b" -> "3.019"; NULL when the name table has no number. */
static char *short_version(const char *name)
{
    const char *p = name;
    while (*p == ' ')
        p++;
    if (strncasecmp(p, "version", 7) == 0)
        p += 7;
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, "; \t");
    if (n == 0 || p[0] < '0' || p[0] > '9')
        return NULL;
    return jmap_xstrndup(p, n);
}

static char *face_version(PangoFont *font, FcPattern *pat)
{
    hb_font_t *hb = pango_font_get_hb_font(font);
    if (hb) {
        char name[128];
        unsigned n = sizeof name;
        hb_ot_name_get_utf8(hb_font_get_face(hb), HB_OT_NAME_ID_VERSION_STRING,
                            HB_LANGUAGE_INVALID, &n, name);
        char *v = n > 0 ? short_version(name) : NULL;
        if (v)
            return v;
    }
    /* The head table's fontRevision, a 16.16 fixed-point number. */
    int rev = 0;
    FcPatternGetInteger(pat, FC_FONTVERSION, 0, &rev);
    return jmap_xprintf("%.3f", rev / 65536.0);
}

static bool fill_face(jmap_font_face *face, const char *style, jmap_fonts *fonts,
                      const jmap_font *want)
{
    PangoFont *font = jmap_fonts_load(fonts, want);
    if (!font)
        return false;
    bool ok = PANGO_IS_FC_FONT(font);
    if (ok) {
        FcPattern *pat = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
        FcChar8 *family = NULL, *file = NULL;
        FcPatternGetString(pat, FC_FAMILY, 0, &family);
        FcPatternGetString(pat, FC_FILE, 0, &file);
        face->style = style;
        face->family = jmap_xstrdup(family ? (const char *)family : "");
        face->file = jmap_xstrdup(file ? (const char *)file : "");
        face->version = face_version(font, pat);
    }
    g_object_unref(font);
    return ok;
}

static const struct {
    const char *style;
    int weight;
    bool italic;
} styles[] = {
    {"regular", 400, false},
    {"italic", 400, true},
    {"semibold", 600, false},
    {"bold", 700, false},
};

static void find_faces(jmap_provenance *p, jmap_fonts *fonts, const char *family)
{
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
        jmap_font want = {.family = family, .size = 10, .weight = styles[i].weight,
                          .italic = styles[i].italic};
        if (fill_face(&p->faces[p->n_faces], styles[i].style, fonts, &want))
            p->n_faces++;
    }
    /* Characters the family lacks come from the fallback, when it is another file. */
    jmap_font fb = {.family = FALLBACK_FAMILY, .size = 10, .weight = 400};
    jmap_font_face *f = &p->faces[p->n_faces];
    if (p->n_faces > 0 && fill_face(f, "fallback", fonts, &fb)) {
        if (strcmp(f->file, p->faces[0].file) != 0) {
            p->n_faces++;
        } else {
            free(f->family);
            free(f->file);
            free(f->version);
            *f = (jmap_font_face){0};
        }
    }
}

static bool generic_family(const char *family, size_t n)
{
    static const char *const generic[] = {"sans-serif", "sans",  "serif",   "monospace", "mono",
                                          "system-ui",  "cursive", "fantasy", "emoji",   "math"};
    for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++) {
        if (strlen(generic[i]) == n && strncasecmp(family, generic[i], n) == 0)
            return true;
    }
    return false;
}

/* `family` is the n bytes at `name`, blanks around it already trimmed. */
static bool installed(jmap_fonts *fonts, const char *name, size_t n)
{
    if (n == 0)
        return false;
    if (generic_family(name, n))
        return true;
    PangoFontMap *map = jmap_fonts_font_map(fonts);
    FcConfig *config = PANGO_IS_FC_FONT_MAP(map)
                           ? pango_fc_font_map_get_config(PANGO_FC_FONT_MAP(map))
                           : NULL;
    char *family = jmap_xstrndup(name, n);
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
    FcFontSet *set = FcFontList(config, pat, os);
    bool found = set && set->nfont > 0;
    if (set)
        FcFontSetDestroy(set);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    free(family);
    return found;
}

bool jmap_provenance_family_installed(jmap_fonts *fonts, const char *family)
{
    size_t n = strlen(family);
    while (n > 0 && family[n - 1] == ' ')
        n--;
    while (n > 0 && *family == ' ') {
        family++;
        n--;
    }
    return installed(fonts, family, n);
}

bool jmap_provenance_any_installed(jmap_fonts *fonts, const char *families)
{
    for (const char *p = families;;) {
        size_t n = strcspn(p, ",");
        char *one = jmap_xstrndup(p, n);
        bool found = jmap_provenance_family_installed(fonts, one);
        free(one);
        if (found)
            return true;
        if (!p[n])
            return false;
        p += n + 1;
    }
}

const char *jmap_provenance_package(const char *family)
{
    static const struct {
        const char *family, *package;
    } known[] = {
        {"Inter", "fonts-inter"},
        {"DejaVu Sans", "fonts-dejavu-core"},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcasecmp(family, known[i].family) == 0)
            return known[i].package;
    }
    return NULL;
}

/* ---- the provenance ---------------------------------------------------------------------- */

char *jmap_stamp_make(const char *family, const char *version)
{
    library libs[N_LIBRARIES];
    libraries(libs);
    text t;
    text_open(&t);
    fprintf(t.f, "jmap %s; map format %d; font ", JMAP_VERSION, JMAP_FORMAT_VERSION);
    put_field(t.f, family);
    fputc(' ', t.f);
    put_field(t.f, version);
    for (size_t i = 0; i < N_LIBRARIES; i++) {
        fprintf(t.f, "; %s ", libs[i].name);
        put_field(t.f, libs[i].version);
    }
    return text_close(&t);
}

jmap_provenance *jmap_provenance_new(jmap_fonts *fonts, const char *family)
{
    jmap_provenance *p = jmap_xcalloc(1, sizeof *p);
    p->asked = jmap_xstrdup(family && *family ? family : FALLBACK_FAMILY);
    if (fonts) {
        find_faces(p, fonts, p->asked);
        p->fallback = !jmap_provenance_any_installed(fonts, p->asked);
    }
    p->family = jmap_xstrdup(p->n_faces > 0 ? p->faces[0].family : "none");
    p->version = jmap_xstrdup(p->n_faces > 0 ? p->faces[0].version : "0");
    p->stamp = jmap_stamp_make(p->family, p->version);
    return p;
}

void jmap_provenance_free(jmap_provenance *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_faces; i++) {
        free(p->faces[i].family);
        free(p->faces[i].file);
        free(p->faces[i].version);
    }
    free(p->asked);
    free(p->family);
    free(p->version);
    free(p->stamp);
    free(p);
}

/* Print a string from a font file or the command line through the sanitiser. */
static void put_clean(FILE *out, const char *s)
{
    jmap_sanitize_write(out, s, strlen(s));
}

void jmap_provenance_print(const jmap_provenance *p, FILE *out)
{
    library libs[N_LIBRARIES];
    libraries(libs);
    for (size_t i = 0; i < N_LIBRARIES; i++)
        fprintf(out, "%s %s\n", libs[i].name, libs[i].version);
    fputs("font ", out);
    put_clean(out, p->family);
    fputc(' ', out);
    put_clean(out, p->version);
    if (p->fallback) {
        fputs(" (standing in for '", out);
        put_clean(out, p->asked);
        fputs("', which is not installed", out);
        const char *pkg = jmap_provenance_package(p->asked);
        if (pkg)
            fprintf(out, ": install %s", pkg);
        fputc(')', out);
    }
    fputc('\n', out);
    for (size_t i = 0; i < p->n_faces; i++) {
        const jmap_font_face *f = &p->faces[i];
        fprintf(out, "  %-9s ", f->style);
        size_t w = jmap_sanitize_write(out, f->version, strlen(f->version));
        fprintf(out, "%*s", w < 8 ? (int)(8 - w) : 1, "");
        put_clean(out, f->file);
        if (strcmp(f->family, p->family) != 0) {
            fputs(" (", out);
            put_clean(out, f->family);
            fputc(')', out);
        }
        fputc('\n', out);
    }
    fputs("stamp ", out);
    put_clean(out, p->stamp);
    fputc('\n', out);
}

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
        unsigned char *chunk = jmap_png_text_chunk(PNG_KEYWORD, s->stamp, &n);
        out(s, chunk, n);
        free(chunk);
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

/* The bytes from `p` up to `end_mark`, if it comes within STAMP_MAX and the text has no NUL. */
static char *until(const unsigned char *p, const unsigned char *end, const char *end_mark)
{
    size_t n = (size_t)(end - p);
    const unsigned char *e = find_bytes(p, n < STAMP_MAX + 8 ? n : STAMP_MAX + 8, end_mark);
    if (!e || (size_t)(e - p) > STAMP_MAX || memchr(p, 0, (size_t)(e - p)))
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
        if (memcmp(type, "tEXt", 4) == 0 && n > nk && n - nk <= STAMP_MAX &&
            memcmp(body, PNG_KEYWORD, nk) == 0 &&
            crc32(0, type, 4 + n) == get_be32(body + n) && !memchr(body + nk, 0, n - nk))
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

char *jmap_stamp_find(jmap_format f, const unsigned char *data, size_t len)
{
    switch (f) {
    case JMAP_FORMAT_SVG: {
        const unsigned char *p = find_bytes(data, len, SVG_PREFIX);
        return p ? until(p + strlen(SVG_PREFIX), data + len, SVG_SUFFIX) : NULL;
    }
    case JMAP_FORMAT_PNG:
        return png_stamp(data, len);
    case JMAP_FORMAT_PDF:
        return pdf_stamp(data, len);
    }
    return NULL;
}

char *jmap_stamp_read(const char *path, jmap_format f)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *stamp = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t from = f == JMAP_FORMAT_PDF && st.st_size > READ_MAX ? st.st_size - READ_MAX : 0;
        unsigned char *buf = jmap_xmalloc(READ_MAX);
        size_t got = 0;
        ssize_t n;
        while (got < READ_MAX &&
               (n = pread(fd, buf + got, READ_MAX - got, from + (off_t)got)) > 0)
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

/* Split a stamp into its known fields (each sanitised, at most STAMP_FIELD * 2 bytes). */
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
                fields[i] = jmap_sanitize_n(p + k + 1, v < 2 * STAMP_FIELD ? v : 2 * STAMP_FIELD);
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
    text t;
    text_open(&t);
    if (!old) {
        fputs("it carries no jmap stamp (an older jmap or another program drew it)", t.f);
    } else if (!was[F_JMAP]) {
        size_t n = strlen(old);
        char *shown = jmap_sanitize_n(old, n < 2 * STAMP_FIELD ? n : 2 * STAMP_FIELD);
        fprintf(t.f, "drawn by '%s%s'", shown, n > 2 * STAMP_FIELD ? "…" : "");
        free(shown);
    } else {
        fprintf(t.f, "drawn with %s by jmap %s", was[F_FONT] ? was[F_FONT] : "an unnamed font",
                was[F_JMAP]);
        put_differences(t.f, was, is);
    }
    fputs("; this jmap", t.f);
    if (!same(was[F_JMAP], is[F_JMAP]))
        fprintf(t.f, " %s", is[F_JMAP]);
    fprintf(t.f, " draws with %s", is[F_FONT]);
    if (was[F_JMAP])
        put_differences(t.f, is, was);
    free_fields(was);
    free_fields(is);
    return text_close(&t);
}
