#include "jmap/provenance.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb.h>
#include <pango/pangofc-font.h>
#include <pango/pangofc-fontmap.h>
#include <yaml.h>

#include "jmap/arena.h"
#include "jmap/model.h"
#include "jmap/sanitize.h"
#include "text_pango.h"

/*
 * The one place that asks every library for its version and fontconfig for the files it
 * draws with, and that composes the generator stamp from them (include/jmap/provenance.h).
 * provenance_stamp.c puts the stamp into outputs and reads it back.
 */

#define FALLBACK_FAMILY "DejaVu Sans" /* text_pango.c appends it to every family list */

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

/* Append at most JMAP_STAMP_FIELD bytes of `s`, other bytes (and a '-' after a '-') as %XX. */
static void put_field(FILE *f, const char *s)
{
    char last = 0;
    for (size_t i = 0; s[i] && i < JMAP_STAMP_FIELD; i++) {
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

char *jmap_provenance_short_version(const char *name)
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
        char *v = n > 0 ? jmap_provenance_short_version(name) : NULL;
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
