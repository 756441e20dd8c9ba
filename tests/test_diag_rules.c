/* The rule table of the SARIF log (src/diag_rules.c) against docs/diagnostics.md and against
 * the codes the sources emit, and its Markdown helpers. A failure prints what to change. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jmap/arena.h"
#include "jmap/diag_rules.h"
#include "support.h"

static const char *const level_names[] = {"note", "warning", "error"};
static const char *const level_macros[] = {"NOTE", "WARNING", "ERROR"};

/* One "### code" section of docs/diagnostics.md. */
typedef struct doc_rule {
    char *code;
    int level;         /* -1: no "**level.**" paragraph */
    char *description; /* that paragraph after "**level.** ", white space run together */
    char *fix;         /* the "**Fix:**" paragraph after "**Fix:** ", or NULL */
    int table_level;   /* the severity in the summary table at the top; -1: no row */
} doc_rule;

typedef struct doc {
    doc_rule *rules;
    size_t n, cap;
} doc;

/* White space runs (newlines included) become one space; no space at either end. */
static char *squeeze(const char *s, size_t n)
{
    char *out = jmap_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool space = s[i] == ' ' || s[i] == '\t' || s[i] == '\n';
        if (space) {
            if (k && out[k - 1] != ' ')
                out[k++] = ' ';
        } else {
            out[k++] = s[i];
        }
    }
    while (k && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
    return out;
}

static bool is_code(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    }
    return true;
}

static doc_rule *doc_find(doc *d, const char *code, size_t n)
{
    for (size_t i = 0; i < d->n; i++) {
        if (strlen(d->rules[i].code) == n && strncmp(d->rules[i].code, code, n) == 0)
            return &d->rules[i];
    }
    return NULL;
}

static int level_from(const char *s, size_t n)
{
    for (int i = 0; i < 3; i++) {
        if (strlen(level_names[i]) == n && strncmp(level_names[i], s, n) == 0)
            return i;
    }
    return -1;
}

/* A paragraph of the current section: the "**level.**" and "**Fix:**" ones are kept. */
static void doc_paragraph(doc_rule *r, const char *p, size_t n)
{
    char *text = squeeze(p, n);
    if (r->level < 0 && text[0] == '*' && text[1] == '*') {
        const char *dot = strstr(text + 2, ".** ");
        if (dot && level_from(text + 2, (size_t)(dot - text - 2)) >= 0) {
            r->level = level_from(text + 2, (size_t)(dot - text - 2));
            r->description = jmap_xstrdup(dot + 4);
        }
    } else if (!r->fix && strncmp(text, "**Fix:** ", 9) == 0) {
        r->fix = jmap_xstrdup(text + 9);
    }
    free(text);
}

static void doc_read(doc *d)
{
    memset(d, 0, sizeof *d);
    size_t len = 0;
    char *text = test_read_file(JMAP_SOURCE_DIR "/docs/diagnostics.md", &len);
    doc_rule *cur = NULL;
    const char *para = NULL; /* start of the paragraph being read */
    bool fence = false;
    for (char *line = text, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl)
            nl = line + strlen(line);
        size_t n = (size_t)(nl - line);
        bool blank = strspn(line, " \t") == n;
        if (strncmp(line, "```", 3) == 0)
            fence = !fence;
        if (cur && para && (blank || fence || line[0] == '#' || strncmp(line, "```", 3) == 0)) {
            doc_paragraph(cur, para, (size_t)(line - para));
            para = NULL;
        }
        if (!fence && strncmp(line, "### ", 4) == 0 && is_code(line + 4, n - 4)) {
            d->rules = jmap_xgrow(d->rules, &d->cap, d->n + 1, sizeof(doc_rule));
            cur = &d->rules[d->n++];
            *cur = (doc_rule){.code = squeeze(line + 4, n - 4), .level = -1, .table_level = -1};
        } else if (!fence && line[0] == '#') {
            cur = NULL;
        } else if (cur && !fence && !blank && !para && strncmp(line, "```", 3) != 0) {
            para = line;
        }
        if (!*nl)
            break;
    }
    if (cur && para)
        doc_paragraph(cur, para, strlen(para));
    /* The summary table: | [`code`](#code) | severity | pass | */
    for (char *row = strstr(text, "\n| [`"); row; row = strstr(row + 1, "\n| [`")) {
        const char *code = row + 5;
        const char *end = strchr(code, '`');
        const char *cell = strstr(code, ") | ");
        if (!end || !cell)
            continue;
        cell += 4;
        doc_rule *r = doc_find(d, code, (size_t)(end - code));
        if (r)
            r->table_level = level_from(cell, strcspn(cell, " |"));
        else
            print_error("docs/diagnostics.md: the summary table lists '%.*s', which has no "
                        "section\n",
                        (int)(end - code), code);
    }
    free(text);
}

static void doc_free(doc *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->rules[i].code);
        free(d->rules[i].description);
        free(d->rules[i].fix);
    }
    free(d->rules);
}

/* `s` as adjacent C string literals of at most 100 columns after `indent` spaces. */
static void put_literal(FILE *f, const char *s, int indent)
{
    const int width = 100 - indent - 3; /* quotes and the comma or parenthesis after */
    while (*s) {
        int used = 0;
        size_t take = 0, last_space = 0;
        for (size_t i = 0; s[i]; i++) {
            used += (s[i] == '"' || s[i] == '\\') ? 2 : 1;
            if (used > width && last_space)
                break;
            take = i + 1;
            if (s[i] == ' ')
                last_space = take;
        }
        if (s[take] && last_space)
            take = last_space;
        fputc('"', f);
        for (size_t i = 0; i < take; i++) {
            if (s[i] == '"' || s[i] == '\\')
                fputc('\\', f);
            fputc(s[i], f);
        }
        fputc('"', f);
        s += take;
        if (*s)
            fprintf(f, "\n%*s", indent, "");
    }
}

/* The table entry a documented rule needs, as src/diag_rules.c writes it. */
static void put_entry(FILE *f, const doc_rule *r)
{
    fprintf(f, "    RULE(\"%s\", %s,\n         ", r->code, level_macros[r->level]);
    put_literal(f, r->description, 9);
    fputs(",\n         ", f);
    put_literal(f, r->fix, 9);
    fputs("),\n", f);
}

/* Fails with every problem found at once, each saying what to change. */
static void fail_if_any(char *report, size_t len)
{
    if (len == 0) {
        free(report);
        return;
    }
    fputs(report, stderr); /* not print_error: cmocka cuts its messages at 1,024 bytes */
    free(report);
    fail_msg("the rule table and its sources disagree; see above");
}

static void every_documented_code_has_a_table_entry_that_says_the_same(void **state)
{
    (void)state;
    doc d;
    doc_read(&d);
    assert_true(d.n >= 50); /* the reader found the sections */
    char *report = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&report, &len);
    for (size_t i = 0; i < d.n; i++) {
        const doc_rule *r = &d.rules[i];
        if (r->level < 0 || !r->fix) {
            fprintf(f,
                    "docs/diagnostics.md, section '### %s': it needs a paragraph starting "
                    "'**error.** ' (or warning, note) and one starting '**Fix:** '\n\n",
                    r->code);
            continue;
        }
        if (r->table_level != r->level)
            fprintf(f,
                    "docs/diagnostics.md: the summary table at the top needs the row\n"
                    "| [`%s`](#%s) | %s | <pass> |\n\n",
                    r->code, r->code, level_names[r->level]);
        const jmap_diag_rule *t = jmap_diag_rule_find(r->code);
        if (!t) {
            fprintf(f,
                    "src/diag_rules.c has no entry for '%s', which docs/diagnostics.md "
                    "documents; add it to the table%s%s%s:\n",
                    r->code, i ? " after the entry for '" : "", i ? d.rules[i - 1].code : "",
                    i ? "'" : " at the top");
            put_entry(f, r);
            fputc('\n', f);
        } else if ((int)t->level != r->level || strcmp(t->description, r->description) != 0 ||
                   strcmp(t->fix, r->fix) != 0) {
            fprintf(f,
                    "src/diag_rules.c: the entry for '%s' no longer says what its section of "
                    "docs/diagnostics.md says; replace it with:\n",
                    r->code);
            put_entry(f, r);
            fputc('\n', f);
        }
    }
    size_t n;
    const jmap_diag_rule *rules = jmap_diag_rules(&n);
    for (size_t i = 0; i < n; i++) {
        if (!doc_find(&d, rules[i].code, strlen(rules[i].code)))
            fprintf(f,
                    "src/diag_rules.c has an entry for '%s', which docs/diagnostics.md does "
                    "not document: add a section '### %s' with a '**%s.** ' paragraph and a "
                    "'**Fix:** ' paragraph, and a row in the summary table (or remove the "
                    "entry if the code is gone)\n\n",
                    rules[i].code, rules[i].code, level_names[rules[i].level]);
        for (size_t k = 0; k < i; k++) {
            if (strcmp(rules[k].code, rules[i].code) == 0)
                fprintf(f, "src/diag_rules.c: '%s' has two entries; remove one\n\n", rules[i].code);
        }
    }
    fclose(f);
    doc_free(&d);
    fail_if_any(report, len);
}

/* ---- the codes the sources emit ---------------------------------------------------------- */

typedef struct emitted {
    char **codes, **where;
    size_t n, cap;
} emitted;

/* The text with comments blanked out (string and character literals kept). */
static void strip_comments(char *s)
{
    char quote = 0;
    for (char *p = s; *p; p++) {
        if (quote) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (p[0] == '/' && p[1] == '*') {
            char *end = strstr(p + 2, "*/");
            char *stop = end ? end + 2 : p + strlen(p);
            for (; p < stop; p++)
                if (*p != '\n')
                    *p = ' ';
            p--;
        } else if (p[0] == '/' && p[1] == '/') {
            for (; *p && *p != '\n'; p++)
                *p = ' ';
            p--;
        }
    }
}

/* How a code is written where it is emitted (include/jmap/diag_rules.h lists the same ways;
 * a new way goes in both); the first group is the code. */
static const char *const emit_patterns[] = {
    /* jmap_diag_add(d, JMAP_SEV_ERROR, "code", ...), check_report(c, JMAP_SEV_..., "code" */
    "JMAP_SEV_[A-Z]+[[:space:]]*,[[:space:]]*\"([a-z0-9-]+)\"",
    /* a helper that takes the code second: output_diag(d, "stale-output", ...) */
    "[a-z_]+_diag[[:space:]]*\\([^,()\"]*,[[:space:]]*\"([a-z0-9-]+)\"",
    /* #define NOT_SHOWN_CODE "diagnostics-not-shown" */
    "#define[[:space:]]+[A-Z_]*CODE[[:space:]]+\"([a-z0-9-]+)\"",
};

static void scan_source(emitted *e, const char *path, const char *shown)
{
    size_t len;
    char *text = test_read_file(path, &len);
    strip_comments(text);
    for (size_t k = 0; k < sizeof emit_patterns / sizeof emit_patterns[0]; k++) {
        regex_t re;
        assert_int_equal(regcomp(&re, emit_patterns[k], REG_EXTENDED), 0);
        regmatch_t m[2];
        for (const char *p = text; regexec(&re, p, 2, m, p == text ? 0 : REG_NOTBOL) == 0;
             p += m[0].rm_eo) {
            e->codes = jmap_xgrow(e->codes, &e->cap, e->n + 1, sizeof(char *));
            e->where = realloc(e->where, e->cap * sizeof(char *));
            e->codes[e->n] = jmap_xprintf("%.*s", (int)(m[1].rm_eo - m[1].rm_so), p + m[1].rm_so);
            e->where[e->n++] = jmap_xstrdup(shown);
        }
        regfree(&re);
    }
    free(text);
}

static void scan_dir(emitted *e, const char *dir, const char *shown)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    for (struct dirent *ent; (ent = readdir(dp));) {
        if (ent->d_name[0] == '.')
            continue;
        char *path = jmap_xprintf("%s/%s", dir, ent->d_name);
        char *name = jmap_xprintf("%s/%s", shown, ent->d_name);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        size_t n = strlen(ent->d_name);
        if (S_ISDIR(st.st_mode))
            scan_dir(e, path, name);
        else if (n > 2 && ent->d_name[n - 2] == '.' &&
                 (ent->d_name[n - 1] == 'c' || ent->d_name[n - 1] == 'h'))
            scan_source(e, path, name);
        free(path);
        free(name);
    }
    closedir(dp);
}

static bool emitted_has(const emitted *e, const char *code)
{
    for (size_t i = 0; i < e->n; i++) {
        if (strcmp(e->codes[i], code) == 0)
            return true;
    }
    return false;
}

static void every_code_the_sources_emit_has_a_table_entry_and_back(void **state)
{
    (void)state;
    emitted e = {0};
    scan_dir(&e, JMAP_SOURCE_DIR "/src", "src");
    /* the scanner sees each way a code is written */
    assert_true(emitted_has(&e, "unknown-stage"));
    assert_true(emitted_has(&e, "stale-output"));
    assert_true(emitted_has(&e, "diagnostics-not-shown"));
    char *report = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&report, &len);
    for (size_t i = 0; i < e.n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen |= strcmp(e.codes[k], e.codes[i]) == 0;
        if (!seen && !jmap_diag_rule_find(e.codes[i]))
            fprintf(f,
                    "%s emits the code '%s', which src/diag_rules.c lacks: document it in "
                    "docs/diagnostics.md (a section '### %s' with a '**error.** ' or "
                    "'**warning.** ' paragraph and a '**Fix:** ' paragraph, and a row in the "
                    "summary table), then add its entry to the table: this test prints the "
                    "entry once the section is there\n\n",
                    e.where[i], e.codes[i], e.codes[i]);
    }
    size_t n;
    const jmap_diag_rule *rules = jmap_diag_rules(&n);
    for (size_t i = 0; i < n; i++) {
        if (!emitted_has(&e, rules[i].code))
            fprintf(f,
                    "src/diag_rules.c has an entry for '%s', but no source under src/ "
                    "emits it the ways this test knows (tests/test_diag_rules.c, emit_patterns): "
                    "remove the entry and its section if the code is gone, or write the code "
                    "where it is emitted as `JMAP_SEV_..., \"%s\"`\n\n",
                    rules[i].code, rules[i].code);
    }
    fclose(f);
    for (size_t i = 0; i < e.n; i++) {
        free(e.codes[i]);
        free(e.where[i]);
    }
    free(e.codes);
    free(e.where);
    fail_if_any(report, len);
}

/* The helpers that turn the table's Markdown into SARIF's text and Markdown forms. */
static void markdown_forms_keep_the_words_and_fix_the_links(void **state)
{
    (void)state;
    char *s = jmap_markdown_plain("A `[a-z]*` id, **bold**, [the format](format.md#lanes), "
                                  "[`x`](#x) and [ not a link.");
    assert_string_equal(s, "A [a-z]* id, bold, the format, x and [ not a link.");
    free(s);
    s = jmap_markdown_absolute("[the format](format.md#lanes), [`x`](#x), `[a](b)`, "
                               "[web](https://example.com/)");
    assert_string_equal(s, "[the format](" JMAP_DOCS_URL "format.md#lanes), [`x`](" JMAP_DOCS_URL
                           "diagnostics.md#x), `[a](b)`, [web](https://example.com/)");
    free(s);
    s = jmap_diag_rule_name("stage-without-kpis");
    assert_string_equal(s, "StageWithoutKpis");
    free(s);
    s = jmap_diag_rule_name("not-a-mapping");
    assert_string_equal(s, "NotaMapping");
    free(s);
    /* the summary is the first sentence: a full stop inside parentheses or code does not end it */
    jmap_diag_rule r = {"x", JMAP_SEV_ERROR, "Past the limit (64 by default, `a. b`). More.", ""};
    s = jmap_diag_rule_summary(&r);
    assert_string_equal(s, "Past the limit (64 by default, a. b).");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_documented_code_has_a_table_entry_that_says_the_same),
        cmocka_unit_test(every_code_the_sources_emit_has_a_table_entry_and_back),
        cmocka_unit_test(markdown_forms_keep_the_words_and_fix_the_links),
    };
    return cmocka_run_group_tests_name("diag_rules", tests, NULL, NULL);
}
