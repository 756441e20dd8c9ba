#include "jmap/diag_format.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/diag_rules.h"
#include "jmap/sanitize.h"
#include "jmap/url.h"

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

/* The inside of a JSON string literal, after jmap_sanitize(): valid UTF-8 (a byte that is not
 * UTF-8 shows as "\xff"), and a consumer that prints the decoded string prints no control
 * character either. */
static void json_body(FILE *out, const char *s)
{
    char *clean = jmap_sanitize(s);
    for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f) /* cannot happen after the sanitiser; kept as a guard */
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    free(clean);
}

void jmap_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    json_body(out, s);
    fputc('"', out);
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
    char **notes; /* toolExecutionNotifications: what stopped the run */
    size_t n_notes, cap_notes;
    bool failed, have_exit;
    int exit_code;
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
    for (size_t i = 0; i < s->n_notes; i++)
        free(s->notes[i]);
    free(s->notes);
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

void jmap_sarif_set_outcome(jmap_sarif *s, int exit_code, bool successful)
{
    s->exit_code = exit_code;
    s->have_exit = true;
    s->failed = !successful;
}

void jmap_sarif_notify(jmap_sarif *s, const char *message)
{
    s->notes = jmap_xgrow(s->notes, &s->cap_notes, s->n_notes + 1, sizeof(char *));
    s->notes[s->n_notes++] = jmap_xstrdup(message);
}

/* A rule the log describes: its code and the level of the first result that uses it (the
 * default level of a code the table lacks). */
typedef struct sarif_rule {
    const char *code;
    jmap_severity sev;
} sarif_rule;

static int cmp_rule(const void *a, const void *b)
{
    return strcmp(((const sarif_rule *)a)->code, ((const sarif_rule *)b)->code);
}

/* The rules: each code used, once, sorted, so the log is the same from run to run. */
static sarif_rule *used_rules(const jmap_sarif *s, size_t *n)
{
    sarif_rule *rules = jmap_xcalloc(s->n_items + 1, sizeof(sarif_rule));
    for (size_t i = 0; i < s->n_items; i++)
        rules[i] = (sarif_rule){s->items[i].code, s->items[i].sev};
    /* qsort is not stable: an equal code keeps the lowest level seen, whatever the order */
    qsort(rules, s->n_items, sizeof(sarif_rule), cmp_rule);
    size_t u = 0;
    for (size_t i = 0; i < s->n_items; i++) {
        if (u && strcmp(rules[u - 1].code, rules[i].code) == 0) {
            if (rules[i].sev < rules[u - 1].sev)
                rules[u - 1].sev = rules[i].sev;
            continue;
        }
        rules[u++] = rules[i];
    }
    *n = u;
    return rules;
}

static size_t rule_index(const sarif_rule *rules, size_t n, const char *code)
{
    sarif_rule key = {code, JMAP_SEV_NOTE};
    const sarif_rule *r = bsearch(&key, rules, n, sizeof(sarif_rule), cmp_rule);
    return r ? (size_t)(r - rules) : 0;
}

/* One form of a multiformatMessageString: `md` as plain text or as Markdown with absolute
 * links, and when `fix` is given, a paragraph of its own that starts "Fix:". The paragraph
 * break is jmap's own: the sanitiser, which shows every newline of a text as "\x0a", never
 * sees it. */
static void sarif_text(FILE *out, const char *md, const char *fix, bool markdown)
{
    char *(*form)(const char *) = markdown ? jmap_markdown_absolute : jmap_markdown_plain;
    char *a = form(md);
    fputc('"', out);
    json_body(out, a);
    free(a);
    if (fix) {
        char *b = form(fix);
        fputs(markdown ? "\\n\\n**Fix:** " : "\\n\\nFix: ", out);
        json_body(out, b);
        free(b);
    }
    fputc('"', out);
}

/* A multiformatMessageString: {"text": ..., "markdown": ...}. */
static void sarif_message(FILE *out, const char *md, const char *fix)
{
    fputs("{\"text\": ", out);
    sarif_text(out, md, fix, false);
    fputs(", \"markdown\": ", out);
    sarif_text(out, md, fix, true);
    fputs("}", out);
}

/* One reportingDescriptor, described from the table of docs/diagnostics.md (diag_rules.h). A
 * code the table lacks still gets every property code scanning requires, saying just that. */
static void sarif_rule_write(FILE *out, const sarif_rule *rule)
{
    const jmap_diag_rule *r = jmap_diag_rule_find(rule->code);
    char *name = jmap_diag_rule_name(rule->code);
    fputs("            {\n              \"id\": ", out);
    jmap_json_string(out, rule->code);
    fputs(",\n              \"name\": ", out);
    jmap_json_string(out, name);
    free(name);
    char *summary = NULL, *help = NULL, *uri = NULL;
    if (r) {
        summary = jmap_diag_rule_summary(r);
        uri = jmap_xprintf(JMAP_DOCS_URL "diagnostics.md#%s", r->code);
    } else {
        help = jmap_xprintf("A diagnostic of jmap (`%s`). [The list of diagnostics](" JMAP_DOCS_URL
                            "diagnostics.md) describes them.",
                            rule->code);
        summary = jmap_diag_rule_summary(&(jmap_diag_rule){rule->code, rule->sev, help, ""});
        uri = jmap_xstrdup(JMAP_DOCS_URL "diagnostics.md");
    }
    fputs(",\n              \"shortDescription\": {\"text\": ", out);
    jmap_json_string(out, summary);
    fputs("},\n              \"fullDescription\": ", out);
    sarif_message(out, r ? r->description : help, NULL);
    fputs(",\n              \"help\": ", out);
    sarif_message(out, r ? r->description : help, r ? r->fix : NULL);
    fputs(",\n              \"helpUri\": ", out);
    jmap_json_string(out, uri);
    fprintf(out, ",\n              \"defaultConfiguration\": {\"level\": \"%s\"}\n            }",
            severity_names[r ? r->level : rule->sev]);
    free(summary);
    free(help);
    free(uri);
}

/* The base every relative path is resolved against. Only described, with no "uri": the
 * directory jmap ran in differs from machine to machine, and the log stays the same bytes on
 * each (docs/diagnostics.md, "SARIF for code scanning"). */
#define SARIF_BASE "%SRCROOT%"

/* An artifactLocation: a relative path is a relative URI against SARIF_BASE ("./" dropped),
 * an absolute one a file:// URI; both percent-encoded. */
static void sarif_location(FILE *out, const char *path)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    bool absolute = path[0] == '/';
    char *enc = jmap_url_encode_path(path);
    char *uri = absolute ? jmap_xprintf("file://%s", enc) : enc;
    fputs("{\"uri\": ", out);
    jmap_json_string(out, uri);
    if (!absolute)
        fputs(", \"uriBaseId\": \"" SARIF_BASE "\"", out);
    fputs("}", out);
    if (absolute)
        free(uri);
    free(enc);
}

static void sarif_invocation(const jmap_sarif *s, FILE *out)
{
    fprintf(out, "      \"invocations\": [\n        {\n          \"executionSuccessful\": %s",
            s->failed ? "false" : "true");
    if (s->have_exit)
        fprintf(out, ",\n          \"exitCode\": %d", s->exit_code);
    if (s->n_notes) {
        fputs(",\n          \"toolExecutionNotifications\": [", out);
        for (size_t i = 0; i < s->n_notes; i++) {
            fprintf(out, "%s\n            {\"level\": \"error\", \"message\": {\"text\": ",
                    i ? "," : "");
            jmap_json_string(out, s->notes[i]);
            fputs("}}", out);
        }
        fputs("\n          ]", out);
    }
    fputs("\n        }\n      ],\n", out);
}

void jmap_sarif_write(const jmap_sarif *s, FILE *out)
{
    size_t n_rules;
    sarif_rule *rules = used_rules(s, &n_rules);

    fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
          "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n"
          "        \"driver\": {\n          \"name\": \"jmap\",\n",
          out);
    fprintf(out, "          \"version\": \"%s\",\n", JMAP_VERSION);
    fputs("          \"informationUri\": \"" JMAP_DOCS_URL "diagnostics.md\",\n"
          "          \"rules\": [",
          out);
    for (size_t i = 0; i < n_rules; i++) {
        fputs(i ? ",\n" : "\n", out);
        sarif_rule_write(out, &rules[i]);
    }
    fputs(n_rules ? "\n          ]\n" : "]\n", out);
    fputs("        }\n      },\n", out);
    sarif_invocation(s, out);
    fputs("      \"originalUriBaseIds\": {\"" SARIF_BASE "\": {\"description\": {\"text\": "
          "\"The directory jmap ran in: relative paths are relative to it.\"}}},\n"
          "      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [",
          out);
    for (size_t i = 0; i < s->n_items; i++) {
        const sarif_result *r = &s->items[i];
        fprintf(out, "%s\n        {\n          \"ruleId\": ", i ? "," : "");
        jmap_json_string(out, r->code);
        fprintf(out, ",\n          \"ruleIndex\": %zu", rule_index(rules, n_rules, r->code));
        fprintf(out, ",\n          \"level\": \"%s\",\n          \"message\": {\"text\": ",
                severity_names[r->sev]);
        jmap_json_string(out, r->msg);
        fputs("},\n          \"locations\": [{\"physicalLocation\": {\"artifactLocation\": ", out);
        sarif_location(out, r->file);
        /* A diagnostic about a whole file (no line) is placed at its first line: code
         * scanning wants a region to show a result in the file, as SARIF2017 says. */
        if (r->line) {
            fprintf(out, ", \"region\": {\"startLine\": %u, \"startColumn\": %u", r->line,
                    r->col ? r->col : 1);
            if (r->end_line)
                fprintf(out, ", \"endLine\": %u, \"endColumn\": %u", r->end_line, r->end_col + 1);
            fputs("}", out);
        } else {
            fputs(", \"region\": {\"startLine\": 1}", out);
        }
        fputs("}}]\n        }", out);
    }
    fputs(s->n_items ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n", out);
    free(rules);
}
