#include "jmap/diag_format.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/sanitize.h"

static const char *const severity_names[] = {"note", "warning", "error"};

/* The final note of a list cut by --max-errors, as the text form words it; it names the file
 * of the last diagnostic kept (there is one: the cap keeps at least one of each severity). */
#define NOT_SHOWN_CODE "diagnostics-not-shown"

static const char *not_shown_file(const jmap_diags *d)
{
    const char *file = d->n_items ? d->items[d->n_items - 1].loc.file : NULL;
    return file ? file : "";
}

static char *not_shown_msg(const jmap_diags *d)
{
    return jmap_xprintf("%zu more diagnostic%s not shown (see --max-errors)", d->n_dropped,
                        d->n_dropped == 1 ? "" : "s");
}

bool jmap_diag_format_from_name(const char *name, jmap_diag_format *out)
{
    static const char *const names[] = {"text", "json", "sarif", "github"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (jmap_diag_format)i;
            return true;
        }
    }
    return false;
}

void jmap_json_string(FILE *out, const char *s)
{
    /* Sanitised first: the result is valid UTF-8 (a byte that is not UTF-8 shows as "\xff"),
     * and a consumer that prints the decoded string prints no control character either. */
    char *clean = jmap_sanitize(s);
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f) /* cannot happen after the sanitiser; kept as a guard */
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
    free(clean);
}

void jmap_diags_print_json(const jmap_diags *d, FILE *out)
{
    for (size_t i = 0; i < d->n_items; i++) {
        const jmap_diag *g = &d->items[i];
        fputs("{\"file\":", out);
        jmap_json_string(out, g->loc.file ? g->loc.file : "");
        if (g->loc.line) {
            fprintf(out, ",\"line\":%u,\"column\":%u", g->loc.line, g->loc.col);
            if (g->loc.end_line)
                fprintf(out, ",\"end_line\":%u,\"end_column\":%u", g->loc.end_line, g->loc.end_col);
        }
        fprintf(out, ",\"severity\":\"%s\",\"code\":", severity_names[g->sev]);
        jmap_json_string(out, g->code ? g->code : "");
        fputs(",\"message\":", out);
        jmap_json_string(out, g->msg);
        if (g->hint) {
            fputs(",\"hint\":", out);
            jmap_json_string(out, g->hint);
        }
        fputs("}\n", out);
    }
    if (d->n_dropped) {
        char *msg = not_shown_msg(d);
        fputs("{\"file\":", out);
        jmap_json_string(out, not_shown_file(d));
        fputs(",\"severity\":\"note\",\"code\":\"" NOT_SHOWN_CODE "\",\"message\":", out);
        jmap_json_string(out, msg);
        fputs("}\n", out);
        free(msg);
    }
}

/* Workflow commands escape '%', CR and LF in the message, and ':' and ',' in properties too.
 * The string is sanitised first, so it holds no CR or LF left to escape, no control character
 * and nothing a log viewer would reorder; the escaping still guards the command's syntax. */
static void github_escape(FILE *out, const char *raw, bool property)
{
    char *clean = jmap_sanitize(raw);
    for (const char *s = clean; *s; s++) {
        if (*s == '%')
            fputs("%25", out);
        else if (*s == '\r')
            fputs("%0D", out);
        else if (*s == '\n')
            fputs("%0A", out);
        else if (property && *s == ':')
            fputs("%3A", out);
        else if (property && *s == ',')
            fputs("%2C", out);
        else
            fputc(*s, out);
    }
    free(clean);
}

void jmap_diags_print_github(const jmap_diags *d, FILE *out)
{
    for (size_t i = 0; i < d->n_items; i++) {
        const jmap_diag *g = &d->items[i];
        fprintf(out, "::%s ", g->sev == JMAP_SEV_NOTE ? "notice" : severity_names[g->sev]);
        fputs("file=", out);
        github_escape(out, g->loc.file ? g->loc.file : "", true);
        if (g->loc.line) {
            fprintf(out, ",line=%u,col=%u", g->loc.line, g->loc.col);
            if (g->loc.end_line)
                fprintf(out, ",endLine=%u,endColumn=%u", g->loc.end_line, g->loc.end_col);
        }
        if (g->code) {
            fputs(",title=", out);
            github_escape(out, g->code, true);
        }
        fputs("::", out);
        github_escape(out, g->msg, false);
        if (g->hint) {
            fputs("; ", out);
            github_escape(out, g->hint, false);
        }
        fputc('\n', out);
    }
    if (d->n_dropped) {
        char *msg = not_shown_msg(d);
        fputs("::notice file=", out);
        github_escape(out, not_shown_file(d), true);
        fputs(",title=" NOT_SHOWN_CODE "::", out);
        github_escape(out, msg, false);
        fputc('\n', out);
        free(msg);
    }
}

/* The SARIF log keeps copies: the jmap_diags it was fed are released file by file. */
typedef struct sarif_result {
    jmap_severity sev;
    char *code, *file, *msg;
    unsigned line, col, end_line, end_col;
} sarif_result;

struct jmap_sarif {
    sarif_result *items;
    size_t n_items, cap;
};

jmap_sarif *jmap_sarif_new(void)
{
    return jmap_xcalloc(1, sizeof(jmap_sarif));
}

void jmap_sarif_free(jmap_sarif *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_items; i++) {
        free(s->items[i].code);
        free(s->items[i].file);
        free(s->items[i].msg);
    }
    free(s->items);
    free(s);
}

void jmap_sarif_add(jmap_sarif *s, const jmap_diags *d)
{
    for (size_t i = 0; i < d->n_items; i++) {
        const jmap_diag *g = &d->items[i];
        s->items = jmap_xgrow(s->items, &s->cap, s->n_items + 1, sizeof(sarif_result));
        sarif_result *r = &s->items[s->n_items++];
        r->sev = g->sev;
        r->code = jmap_xstrdup(g->code ? g->code : "jmap");
        r->file = jmap_xstrdup(g->loc.file ? g->loc.file : "");
        r->msg = g->hint ? jmap_xprintf("%s; %s", g->msg, g->hint) : jmap_xstrdup(g->msg);
        r->line = g->loc.line;
        r->col = g->loc.col;
        r->end_line = g->loc.end_line;
        r->end_col = g->loc.end_col;
    }
    /* A result rather than a toolExecutionNotification: code scanning shows every result (as
     * an alert and a pull-request annotation), but not the notifications of other tools. */
    if (d->n_dropped) {
        s->items = jmap_xgrow(s->items, &s->cap, s->n_items + 1, sizeof(sarif_result));
        sarif_result *r = &s->items[s->n_items++];
        *r = (sarif_result){.sev = JMAP_SEV_NOTE,
                            .code = jmap_xstrdup(NOT_SHOWN_CODE),
                            .file = jmap_xstrdup(not_shown_file(d)),
                            .msg = not_shown_msg(d)};
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* SARIF wants a relative URI; spaces and other unsafe bytes are percent-encoded. */
static void sarif_uri(FILE *out, const char *path)
{
    if (path[0] == '.' && path[1] == '/')
        path += 2;
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/._-~", *p))
            fputc(*p, out);
        else
            fprintf(out, "%%%02X", *p);
    }
    fputc('"', out);
}

void jmap_sarif_write(const jmap_sarif *s, FILE *out)
{
    /* The rules: each code used, once, sorted, so the log is the same from run to run. */
    const char **codes = jmap_xcalloc(s->n_items + 1, sizeof(char *));
    size_t n_codes = 0;
    for (size_t i = 0; i < s->n_items; i++)
        codes[n_codes++] = s->items[i].code;
    qsort(codes, n_codes, sizeof(char *), cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < n_codes; i++) {
        if (u == 0 || strcmp(codes[u - 1], codes[i]) != 0)
            codes[u++] = codes[i];
    }
    n_codes = u;

    fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
          "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n"
          "        \"driver\": {\n          \"name\": \"jmap\",\n",
          out);
    fprintf(out, "          \"version\": \"%s\",\n", JMAP_VERSION);
    fputs("          \"informationUri\": \"https://github.com/jmap/jmap/blob/main/docs/"
          "diagnostics.md\",\n          \"rules\": [",
          out);
    for (size_t i = 0; i < n_codes; i++) {
        fprintf(out, "%s\n            {\"id\": ", i ? "," : "");
        jmap_json_string(out, codes[i]);
        fputs(", \"helpUri\": ", out);
        char *uri =
            jmap_xprintf("https://github.com/jmap/jmap/blob/main/docs/diagnostics.md#%s", codes[i]);
        jmap_json_string(out, uri);
        free(uri);
        fputs("}", out);
    }
    fputs(n_codes ? "\n          ]\n" : "]\n", out);
    fputs("        }\n      },\n      \"columnKind\": \"unicodeCodePoints\",\n"
          "      \"results\": [",
          out);
    for (size_t i = 0; i < s->n_items; i++) {
        const sarif_result *r = &s->items[i];
        fprintf(out, "%s\n        {\n          \"ruleId\": ", i ? "," : "");
        jmap_json_string(out, r->code);
        fprintf(out, ",\n          \"level\": \"%s\",\n          \"message\": {\"text\": ",
                severity_names[r->sev]);
        jmap_json_string(out, r->msg);
        fputs("},\n          \"locations\": [{\"physicalLocation\": {\"artifactLocation\": "
              "{\"uri\": ",
              out);
        sarif_uri(out, r->file);
        fputs("}", out);
        if (r->line) {
            fprintf(out, ", \"region\": {\"startLine\": %u, \"startColumn\": %u", r->line,
                    r->col ? r->col : 1);
            if (r->end_line)
                fprintf(out, ", \"endLine\": %u, \"endColumn\": %u", r->end_line, r->end_col + 1);
            fputs("}", out);
        }
        fputs("}}]\n        }", out);
    }
    fputs(s->n_items ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n", out);
    free(codes);
}
