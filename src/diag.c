#include "jmap/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/sanitize.h"

/* The text of a file, kept so that diagnostics can quote its lines after the documents that
 * came from it are freed. */
typedef struct jmap_line_mark {
    unsigned line;
    size_t start;
} jmap_line_mark;

#define MARK_SPAN 4096

struct jmap_diag_source {
    jmap_diag_source *next;
    const char *file; /* interned */
    char *text;
    size_t len;
    bool csv; /* lines break only at LF, CR and CR LF */
    /* Line lookups cost no more than a few kilobytes of scanning, in any order: `marks` holds
     * the start of the first line after every MARK_SPAN bytes (built on the first lookup), and
     * the line looked up last is kept whole, as a value's lookups repeat it. */
    jmap_line_mark *marks;
    size_t n_marks;
    bool marked;
    unsigned cached_line;
    size_t cached_start, cached_len;
};

void jmap_diags_init(jmap_diags *d)
{
    memset(d, 0, sizeof(*d));
    d->max_items = JMAP_DIAGS_DEFAULT_MAX;
}

void jmap_diags_release(jmap_diags *d)
{
    for (size_t i = 0; i < d->n_items; i++) {
        free(d->items[i].msg);
        free(d->items[i].hint);
    }
    free(d->items);
    jmap_diag_source *s = d->sources;
    while (s) {
        jmap_diag_source *next = s->next;
        free(s->text);
        free(s->marks);
        free(s);
        s = next;
    }
    for (size_t i = 0; i < d->n_files; i++)
        free(d->files[i]);
    free(d->files);
    memset(d, 0, sizeof(*d));
}

const char *jmap_diags_intern(jmap_diags *d, const char *file)
{
    if (!file)
        return NULL;
    for (size_t i = 0; i < d->n_files; i++) {
        if (strcmp(d->files[i], file) == 0)
            return d->files[i];
    }
    d->files = jmap_xgrow(d->files, &d->cap_files, d->n_files + 1, sizeof(char *));
    d->files[d->n_files] = jmap_xstrdup(file);
    return d->files[d->n_files++];
}

void jmap_diag_add(jmap_diags *d, jmap_severity sev, const char *code, jmap_loc at, const char *fmt,
                   ...)
{
    if (sev == JMAP_SEV_WARNING && d->werror)
        sev = JMAP_SEV_ERROR;
    if (sev == JMAP_SEV_ERROR)
        d->n_errors++;
    else if (sev == JMAP_SEV_WARNING)
        d->n_warnings++;
    /* The cap is per severity, so a flood of warnings never hides the errors. */
    size_t kept = sev == JMAP_SEV_ERROR     ? d->n_errors
                  : sev == JMAP_SEV_WARNING ? d->n_warnings
                                            : ++d->n_notes;
    if (d->max_items && kept > d->max_items) {
        d->n_dropped++;
        d->last_dropped = true;
        return;
    }
    d->last_dropped = false;
    d->items = jmap_xgrow(d->items, &d->cap, d->n_items + 1, sizeof(jmap_diag));
    jmap_diag *g = &d->items[d->n_items++];
    g->sev = sev;
    g->code = code;
    g->loc = at;
    g->loc.file = jmap_diags_intern(d, at.file);
    va_list ap;
    va_start(ap, fmt);
    g->msg = jmap_xvprintf(fmt, ap);
    va_end(ap);
    g->hint = NULL;
}

void jmap_diag_hint(jmap_diags *d, const char *fmt, ...)
{
    /* Only the diagnostic just added may take a hint; a dropped one leaves none behind. */
    if (d->last_dropped || d->n_items == 0)
        return;
    jmap_diag *g = &d->items[d->n_items - 1];
    free(g->hint);
    va_list ap;
    va_start(ap, fmt);
    g->hint = jmap_xvprintf(fmt, ap);
    va_end(ap);
}

bool jmap_diags_failed(const jmap_diags *d)
{
    return d->n_errors > 0;
}

static void keep_source(jmap_diags *d, const char *file, const char *text, size_t len, bool csv)
{
    const char *name = jmap_diags_intern(d, file);
    for (jmap_diag_source *s = d->sources; s; s = s->next) {
        if (s->file == name)
            return;
    }
    jmap_diag_source *s = jmap_xcalloc(1, sizeof(*s));
    s->file = name;
    s->text = jmap_xstrndup(text, len);
    s->len = len;
    s->csv = csv;
    s->next = d->sources;
    d->sources = s;
}

void jmap_diags_keep_source(jmap_diags *d, const char *file, const char *text, size_t len)
{
    keep_source(d, file, text, len, false);
}

void jmap_diags_keep_source_csv(jmap_diags *d, const char *file, const char *text, size_t len)
{
    keep_source(d, file, text, len, true);
}

static size_t file_rank(const jmap_diags *d, const char *file)
{
    for (size_t i = 0; i < d->n_files; i++) {
        if (d->files[i] == file)
            return i;
    }
    return d->n_files;
}

static bool before(const jmap_diags *d, const jmap_diag *a, const jmap_diag *b)
{
    size_t fa = file_rank(d, a->loc.file), fb = file_rank(d, b->loc.file);
    if (fa != fb)
        return fa < fb;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line;
    return a->loc.col < b->loc.col;
}

void jmap_diags_sort(jmap_diags *d)
{
    /* Insertion sort: stable, and the lists are short (capped) and mostly in order already. */
    for (size_t i = 1; i < d->n_items; i++) {
        jmap_diag g = d->items[i];
        size_t j = i;
        while (j > 0 && before(d, &g, &d->items[j - 1])) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = g;
    }
}

static jmap_diag_source *find_source(const jmap_diags *d, const char *file)
{
    for (jmap_diag_source *s = d->sources; s; s = s->next) {
        if (s->file == file)
            return s;
    }
    return NULL;
}

/* The length of the line break at p (0 when there is none). libyaml, whose marks give the line
 * numbers, breaks lines at LF, CR, CR LF, NEL (U+0085), LS (U+2028) and PS (U+2029); a CSV
 * reader (RFC 4180, spreadsheets) at the first three only. */
static size_t break_len(const jmap_diag_source *s, const char *p, const char *end)
{
    size_t left = (size_t)(end - p);
    if (*p == '\n')
        return 1;
    if (*p == '\r')
        return left > 1 && p[1] == '\n' ? 2 : 1;
    if (s->csv)
        return 0;
    if (left >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0x85)
        return 2;
    if (left >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
        ((unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9))
        return 3;
    return 0;
}

static void build_marks(jmap_diag_source *s)
{
    const char *p = s->text, *end = s->text + s->len;
    size_t cap = 0;
    unsigned line = 1;
    size_t next = 0; /* the first line starting at or after this offset is marked */
    while (p <= end) {
        size_t at = (size_t)(p - s->text);
        if (at >= next) {
            s->marks = jmap_xgrow(s->marks, &cap, s->n_marks + 1, sizeof(jmap_line_mark));
            s->marks[s->n_marks++] = (jmap_line_mark){line, at};
            next = at + MARK_SPAN;
        }
        size_t n = 0;
        while (p < end && (n = break_len(s, p, end)) == 0)
            p++;
        if (p == end)
            break;
        p += n;
        line++;
    }
    s->marked = true;
}

/* Start and length of 1-based line `line`, or false past the end. */
static bool find_line(jmap_diag_source *s, unsigned line, const char **start, size_t *len)
{
    if (line == 0)
        return false;
    if (s->cached_line == line) {
        *start = s->text + s->cached_start;
        *len = s->cached_len;
        return true;
    }
    if (!s->marked)
        build_marks(s);
    /* The last mark at or before the line: every line start between two marks lies within
     * MARK_SPAN bytes of the first. */
    size_t lo = 0, hi = s->n_marks;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->marks[mid].line <= line)
            lo = mid;
        else
            hi = mid;
    }
    const char *p = s->text + s->marks[lo].start, *end = s->text + s->len;
    for (unsigned l = s->marks[lo].line; l < line; l++) {
        size_t n = 0;
        while (p < end && (n = break_len(s, p, end)) == 0)
            p++;
        if (p == end)
            return false;
        p += n;
    }
    const char *q = p;
    while (q < end && break_len(s, q, end) == 0)
        q++;
    s->cached_line = line;
    s->cached_start = (size_t)(p - s->text);
    s->cached_len = (size_t)(q - p);
    *start = p;
    *len = (size_t)(q - p);
    return true;
}

bool jmap_diags_source_line(const jmap_diags *d, const char *file, unsigned line,
                            const char **start, size_t *len)
{
    if (!file || line == 0)
        return false;
    for (jmap_diag_source *s = d->sources; s; s = s->next) {
        if (strcmp(s->file, file) == 0)
            return find_line(s, line, start, len);
    }
    return false;
}

static bool is_utf8_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[1;32m"
#define C_RESET "\033[0m"

/* n copies of ch, in as few writes as the buffer allows (stderr is unbuffered). */
static void repeat(FILE *out, char ch, size_t n)
{
    char buf[256];
    memset(buf, ch, sizeof buf);
    for (; n > sizeof buf; n -= sizeof buf)
        fwrite(buf, 1, sizeof buf, out);
    fwrite(buf, 1, n, out);
}

/* The quoted line with a caret under the column and tildes to the end of the value, as gcc
 * prints it. The line is sanitised (a tab or an escape sequence shows as `\x09`, `\x1b`), so the
 * caret is placed by the columns the sanitised text takes, not by bytes or code points. */
static void print_excerpt(jmap_diag_source *s, const jmap_diag *g, FILE *out, bool color)
{
    const char *line;
    size_t len;
    if (g->loc.line == 0 || !find_line(s, g->loc.line, &line, &len))
        return;
    /* A long line (minified YAML) would flood the terminal; quote at most 200 bytes. */
    size_t shown = len > 200 ? 200 : len;
    /* finish a UTF-8 sequence (at most three more bytes: a run of stray continuation bytes,
     * which the loader reports, must not make the cut go on) */
    for (int k = 0; k < 3 && shown < len && is_utf8_cont((unsigned char)line[shown]); k++)
        shown++;
    fprintf(out, "%5u | ", g->loc.line);
    jmap_sanitize_write(out, line, shown);
    fputs(shown < len ? " …\n" : "\n", out);
    fputs("      | ", out);
    /* Columns count code points, as libyaml's marks do. */
    size_t at = 0;
    unsigned col = 1;
    for (; col < g->loc.col && at < shown; col++)
        at += jmap_utf8_advance(line + at, shown - at, 1);
    if (col < g->loc.col) {
        fputc('\n', out); /* the column is past what is quoted */
        return;
    }
    repeat(out, ' ', jmap_sanitize_width(line, at));
    if (color)
        fputs(C_GREEN, out);
    fputc('^', out);
    /* Underline the character at the column (an escape is several columns wide) and, on the
     * same line, the rest of the value up to end_col. */
    size_t last = 1;
    if (g->loc.end_line == g->loc.line && g->loc.end_col > g->loc.col)
        last = g->loc.end_col - g->loc.col + 1;
    size_t end = at, n = 0;
    for (; n < last && end < len; n++)
        end += jmap_utf8_advance(line + end, len - end, 1);
    /* Past the end of the line (a value that runs on), one column per code point, as before.
     * Measured from the line's start: whether `[` is escaped depends on the `##` before it. */
    size_t width = jmap_sanitize_width(line, end) - jmap_sanitize_width(line, at) + (last - n);
    repeat(out, '~', width > 200 ? 199 : width > 0 ? width - 1 : 0);
    if (color)
        fputs(C_RESET, out);
    fputc('\n', out);
}

/* An untrusted string (a file name, a message that quotes values, a hint) on its way out. */
static void put_clean(FILE *out, const char *s)
{
    jmap_sanitize_write(out, s, strlen(s));
}

/* A file name that starts a line: a `:` first is escaped, so a file named `::error::x.yaml`
 * cannot start a workflow command in a CI log (the sanitiser's lead rule). */
static void put_file(FILE *out, const char *file)
{
    const char *s = file ? file : "jmap";
    jmap_sanitize_write_lead(out, s, strlen(s));
}

void jmap_diag_print(const jmap_diags *d, const jmap_diag *g, FILE *out,
                     const jmap_diag_print_opts *o)
{
    static const char *const names[] = {"note", "warning", "error"};
    static const char *const colors[] = {C_CYAN, C_MAGENTA, C_RED};
    bool color = o && o->color;
    if (color)
        fputs(C_BOLD, out);
    put_file(out, g->loc.file);
    if (g->loc.line)
        fprintf(out, ":%u:%u", g->loc.line, g->loc.col);
    fputs(": ", out);
    if (color)
        fprintf(out, "%s%s:%s ", colors[g->sev], names[g->sev], C_RESET);
    else
        fprintf(out, "%s: ", names[g->sev]);
    put_clean(out, g->msg);
    if (g->hint) {
        fputs("; ", out);
        put_clean(out, g->hint);
    }
    if (g->code)
        fprintf(out, " [%s]", g->code);
    fputc('\n', out);
    if (o && o->excerpt && g->loc.file) {
        jmap_diag_source *s = find_source(d, g->loc.file);
        if (s)
            print_excerpt(s, g, out, color);
    }
}

void jmap_diags_print(const jmap_diags *d, FILE *out, const jmap_diag_print_opts *o)
{
    bool errors_only = o && o->errors_only;
    size_t kept_errors = 0;
    const char *file = NULL;
    for (size_t i = 0; i < d->n_items; i++) {
        if (errors_only && d->items[i].sev != JMAP_SEV_ERROR)
            continue;
        kept_errors += d->items[i].sev == JMAP_SEV_ERROR;
        file = d->items[i].loc.file;
        jmap_diag_print(d, &d->items[i], out, o);
    }
    /* Under errors_only the count is of the errors past the cap, which are still errors. */
    size_t dropped_errors = d->n_errors > kept_errors ? d->n_errors - kept_errors : 0;
    size_t dropped = errors_only ? dropped_errors : d->n_dropped;
    if (dropped) {
        put_file(out, file);
        fprintf(out, ": note: %zu more %s%s not shown (see --max-errors)\n", dropped,
                errors_only ? "error" : "diagnostic", dropped == 1 ? "" : "s");
    }
}
