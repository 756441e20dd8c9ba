#include "jmap/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"

/* The text of a file, kept so that diagnostics can quote its lines after the documents that
 * came from it are freed. */
struct jmap_diag_source {
    jmap_diag_source *next;
    const char *file; /* interned */
    char *text;
    size_t len;
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

void jmap_diag_add(jmap_diags *d, jmap_severity sev, const char *code, jmap_loc at,
                   const char *fmt, ...)
{
    if (sev == JMAP_SEV_WARNING && d->werror)
        sev = JMAP_SEV_ERROR;
    if (sev == JMAP_SEV_ERROR)
        d->n_errors++;
    else if (sev == JMAP_SEV_WARNING)
        d->n_warnings++;
    /* The cap is per severity, so a flood of warnings never hides the errors. */
    size_t kept = sev == JMAP_SEV_ERROR ? d->n_errors : sev == JMAP_SEV_WARNING ? d->n_warnings
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

void jmap_diags_keep_source(jmap_diags *d, const char *file, const char *text, size_t len)
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
    s->next = d->sources;
    d->sources = s;
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

static const jmap_diag_source *find_source(const jmap_diags *d, const char *file)
{
    for (const jmap_diag_source *s = d->sources; s; s = s->next) {
        if (s->file == file)
            return s;
    }
    return NULL;
}

/* Start and length of 1-based line `line`, or false past the end. */
static bool find_line(const jmap_diag_source *s, unsigned line, const char **start, size_t *len)
{
    const char *p = s->text, *end = s->text + s->len;
    for (unsigned l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return false;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (n && p[n - 1] == '\r')
        n--;
    *start = p;
    *len = n;
    return true;
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

/* The quoted line with a caret under the column and tildes to the end of the value, as gcc
 * prints it. Columns count code points; tabs are copied so that the caret lines up. */
static void print_excerpt(const jmap_diag_source *s, const jmap_diag *g, FILE *out, bool color)
{
    const char *line;
    size_t len;
    if (g->loc.line == 0 || !find_line(s, g->loc.line, &line, &len))
        return;
    /* A long line (minified YAML) would flood the terminal; quote at most 200 bytes. */
    size_t shown = len > 200 ? 200 : len;
    while (shown < len && is_utf8_cont((unsigned char)line[shown]))
        shown++;
    fprintf(out, "%5u | %.*s%s\n", g->loc.line, (int)shown, line, shown < len ? " …" : "");
    fputs("      | ", out);
    unsigned col = 1;
    size_t i = 0;
    while (i < shown && col < g->loc.col) {
        fputc(line[i] == '\t' ? '\t' : ' ', out);
        i++;
        while (i < shown && is_utf8_cont((unsigned char)line[i]))
            i++;
        col++;
    }
    if (col < g->loc.col) {
        fputc('\n', out);
        return;
    }
    if (color)
        fputs(C_GREEN, out);
    fputc('^', out);
    if (g->loc.end_line == g->loc.line && g->loc.end_col > g->loc.col) {
        unsigned last = g->loc.end_col;
        for (unsigned c = g->loc.col + 1; c <= last && c < g->loc.col + 200; c++)
            fputc('~', out);
    }
    if (color)
        fputs(C_RESET, out);
    fputc('\n', out);
}

void jmap_diag_print(const jmap_diags *d, const jmap_diag *g, FILE *out,
                     const jmap_diag_print_opts *o)
{
    static const char *const names[] = {"note", "warning", "error"};
    static const char *const colors[] = {C_CYAN, C_MAGENTA, C_RED};
    bool color = o && o->color;
    if (color)
        fputs(C_BOLD, out);
    fputs(g->loc.file ? g->loc.file : "jmap", out);
    if (g->loc.line)
        fprintf(out, ":%u:%u", g->loc.line, g->loc.col);
    fputs(": ", out);
    if (color)
        fprintf(out, "%s%s:%s ", colors[g->sev], names[g->sev], C_RESET);
    else
        fprintf(out, "%s: ", names[g->sev]);
    fputs(g->msg, out);
    if (g->hint)
        fprintf(out, "; %s", g->hint);
    if (g->code)
        fprintf(out, " [%s]", g->code);
    fputc('\n', out);
    if (o && o->excerpt && g->loc.file) {
        const jmap_diag_source *s = find_source(d, g->loc.file);
        if (s)
            print_excerpt(s, g, out, color);
    }
}

void jmap_diags_print(const jmap_diags *d, FILE *out, const jmap_diag_print_opts *o)
{
    for (size_t i = 0; i < d->n_items; i++)
        jmap_diag_print(d, &d->items[i], out, o);
    if (d->n_dropped) {
        const char *file = d->n_items ? d->items[d->n_items - 1].loc.file : NULL;
        fprintf(out, "%s%s%zu more diagnostic%s not shown (see --max-errors)\n", file ? file : "",
                file ? ": note: " : "jmap: note: ", d->n_dropped, d->n_dropped == 1 ? "" : "s");
    }
}
