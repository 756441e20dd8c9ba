/* SARIF for code scanning: the rules, invocations and URIs of the logs jmap writes, and
 * Microsoft's SARIF multitool on those logs (the SARIF 2.1.0 schema, and GitHub's ingestion
 * rules). tests/test_diag_rules.c holds the rule table to docs/diagnostics.md. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/diag_format.h"
#include "jmap/diag_rules.h"
#include "jmap/url.h"
#include "json.h"
#include "support.h"

static const char *const level_names[] = {"note", "warning", "error"};

/* ---- the logs: rules, invocations, URIs ------------------------------------------------- */

static char *sarif_of(const jmap_sarif *s, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    jmap_sarif_write(s, f);
    fclose(f);
    return buf;
}

static const json *run_of(const json *log)
{
    return json_at(json_get(log, "runs"), 0);
}

static const json *rules_of(const json *log)
{
    return json_get(json_get(json_get(run_of(log), "tool"), "driver"), "rules");
}

/* A log with one result of every code in the table, and one of a code it lacks. */
static jmap_sarif *every_rule_log(void)
{
    jmap_sarif *s = jmap_sarif_new();
    jmap_diags d;
    size_t n;
    const jmap_diag_rule *rules = jmap_diag_rules(&n);
    /* one list per rule: a single list keeps at most JMAP_DIAGS_DEFAULT_MAX of a severity */
    for (size_t i = 0; i < n; i++) {
        jmap_diags_init(&d);
        jmap_diag_add(&d, rules[i].level, rules[i].code, (jmap_loc){"maps/a.yaml", 2, 3, 2, 5},
                      "a diagnostic of '%s'", rules[i].code);
        jmap_sarif_add(s, &d);
        jmap_diags_release(&d);
    }
    jmap_diags_init(&d);
    jmap_diag_add(&d, JMAP_SEV_WARNING, "not-in-the-table", (jmap_loc){"maps/a.yaml", 1, 1, 0, 0},
                  "a code the table lacks");
    jmap_sarif_add(s, &d);
    jmap_diags_release(&d);
    jmap_sarif_set_outcome(s, 1, true);
    return s;
}

static void every_rule_has_what_code_scanning_shows(void **state)
{
    (void)state;
    jmap_sarif *s = every_rule_log();
    size_t len;
    char *text = sarif_of(s, &len);
    jmap_sarif_free(s);
    json *log = json_parse(text, len);
    assert_non_null(log);
    const json *rules = rules_of(log);
    size_t n;
    const jmap_diag_rule *table = jmap_diag_rules(&n);
    assert_int_equal(rules->n_items, n + 1);
    for (size_t i = 0; i < rules->n_items; i++) {
        const json *r = json_at(rules, i);
        const char *id = json_str(r, "id");
        const jmap_diag_rule *t = jmap_diag_rule_find(id);
        const char *name = json_str(r, "name");
        assert_true(name && name[0] >= 'A' && name[0] <= 'Z' && !strchr(name, '-'));
        const char *summary = json_str(json_get(r, "shortDescription"), "text");
        assert_true(summary && strlen(summary) > 10 && !strchr(summary, '`'));
        for (int k = 0; k < 2; k++) {
            const json *m = json_get(r, k ? "help" : "fullDescription");
            const char *plain = json_str(m, "text"), *md = json_str(m, "markdown");
            assert_true(plain && md && strlen(plain) >= strlen(summary));
            assert_non_null(strstr(plain, summary)); /* the summary opens the description */
            /* links lead somewhere from a code-scanning page, not relative to docs/ */
            assert_null(strstr(md, "](#"));
            assert_null(strstr(md, "](format.md"));
            assert_null(strstr(plain, "\\x0a")); /* the paragraph break is a real one */
        }
        const char *help = json_str(json_get(r, "help"), "markdown");
        const char *uri = json_str(r, "helpUri");
        const char *level = json_str(json_get(r, "defaultConfiguration"), "level");
        if (t) {
            assert_non_null(strstr(help, "\n\n**Fix:** "));
            char *want = jmap_xprintf(JMAP_DOCS_URL "diagnostics.md#%s", id);
            assert_string_equal(uri, want);
            free(want);
            assert_string_equal(level, level_names[t->level]);
        } else {
            assert_string_equal(id, "not-in-the-table");
            assert_string_equal(uri, JMAP_DOCS_URL "diagnostics.md");
            assert_string_equal(level, "warning");
        }
    }
    (void)table;
    /* every result names its rule by index too */
    const json *results = json_get(run_of(log), "results");
    for (size_t i = 0; i < results->n_items; i++) {
        const json *r = json_at(results, i);
        size_t k = (size_t)json_get(r, "ruleIndex")->number;
        assert_string_equal(json_str(json_at(rules, k), "id"), json_str(r, "ruleId"));
    }
    json_free(log);
    free(text);
}

/* A member that must be there: a log without it fails the test, not the process. */
static const json *member(const json *obj, const char *key)
{
    const json *m = json_get(obj, key);
    if (!m)
        fail_msg("the log has no '%s' where one is expected", key);
    return m;
}

static const char *str_member(const json *obj, const char *key)
{
    const json *m = member(obj, key);
    if (m->kind != JSON_STRING)
        fail_msg("'%s' is not a string", key);
    return m->string;
}

static const json *invocation_of(const json *log)
{
    return json_at(json_get(run_of(log), "invocations"), 0);
}

static void the_invocation_records_the_outcome_and_what_stopped_the_run(void **state)
{
    (void)state;
    jmap_sarif *s = jmap_sarif_new();
    jmap_sarif_set_outcome(s, 2, false);
    jmap_sarif_notify(s, "check: unknown option '--x\x1b[2J'");
    size_t len;
    char *text = sarif_of(s, &len);
    jmap_sarif_free(s);
    json *log = json_parse(text, len);
    assert_non_null(log);
    const json *inv = invocation_of(log);
    assert_int_equal(member(inv, "executionSuccessful")->kind, JSON_BOOL);
    assert_false(member(inv, "executionSuccessful")->boolean);
    assert_int_equal(member(inv, "exitCode")->number, 2);
    const json *note = json_at(json_get(inv, "toolExecutionNotifications"), 0);
    assert_string_equal(str_member(note, "level"), "error");
    assert_string_equal(str_member(member(note, "message"), "text"),
                        "check: unknown option '--x\\x1b[2J'");
    json_free(log);
    free(text);
}

/* Percent-decoding, to show a URI leads back to exactly the bytes of the name. */
static char *uri_decode(const char *s)
{
    char *out = jmap_xmalloc(strlen(s) + 1);
    size_t k = 0;
    for (size_t i = 0; s[i]; i++) {
        unsigned v;
        if (s[i] == '%' && sscanf(s + i + 1, "%2x", &v) == 1) {
            out[k++] = (char)v;
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return out;
}

/* Only RFC 3986's unreserved characters, '/', and '%' beginning an escape. */
static bool uri_path_is_plain(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("-._~/%", *p)))
            return false;
    }
    return true;
}

static const json *artifact_of(const json *result)
{
    return json_get(json_get(json_at(json_get(result, "locations"), 0), "physicalLocation"),
                    "artifactLocation");
}

/* Map names from an untrusted pull request: each is one relative URI under %SRCROOT% that
 * decodes back to the name's exact bytes, whatever it holds. */
static const char *const odd_names[] = {
    "a b.yaml",
    "100%.yaml",
    "#1.yaml",
    "q?x=1&y.yaml",
    "caf\xc3\xa9 \xe2\x82\xac.yaml",
    "tab\there.yaml",
    "nl\nx.yaml",
    "esc\x1b[2J.yaml",
    "\xff\xfe.yaml",
    "%41.yaml",
};
#define N_ODD (sizeof odd_names / sizeof odd_names[0])

static void relative_and_absolute_paths_are_uris(void **state)
{
    (void)state;
    jmap_sarif *s = jmap_sarif_new();
    jmap_diags d;
    jmap_diags_init(&d);
    for (size_t i = 0; i < N_ODD; i++) {
        char *rel = jmap_xprintf("./maps/%s", odd_names[i]);
        char *abs = jmap_xprintf("/srv/ci/%s", odd_names[i]);
        jmap_diag_add(&d, JMAP_SEV_ERROR, "unknown-stage", (jmap_loc){rel, 1, 1, 0, 0}, "r");
        jmap_diag_add(&d, JMAP_SEV_ERROR, "unknown-stage", (jmap_loc){abs, 1, 1, 0, 0}, "a");
        free(rel);
        free(abs);
    }
    jmap_sarif_add(s, &d);
    jmap_diags_release(&d);
    size_t len;
    char *text = sarif_of(s, &len);
    jmap_sarif_free(s);
    json *log = json_parse(text, len);
    assert_non_null(log);
    const json *results = json_get(run_of(log), "results");
    assert_int_equal(results->n_items, 2 * N_ODD);
    for (size_t i = 0; i < results->n_items; i++) {
        const json *r = json_at(results, i);
        const json *art = artifact_of(r);
        const char *uri = json_str(art, "uri");
        bool absolute = strcmp(json_str(json_get(r, "message"), "text"), "a") == 0;
        const char *name = odd_names[i / 2];
        char *want = jmap_xprintf("%s%s", absolute ? "/srv/ci/" : "maps/", name);
        if (absolute) {
            assert_true(strncmp(uri, "file:///", 8) == 0);
            assert_null(json_get(art, "uriBaseId"));
            uri += strlen("file://");
        } else {
            assert_string_equal(str_member(art, "uriBaseId"), "%SRCROOT%");
        }
        if (!uri_path_is_plain(uri))
            fail_msg("'%s' is not a plain URI path", uri);
        char *back = uri_decode(uri);
        assert_string_equal(back, want);
        free(back);
        free(want);
    }
    /* the base is described, without a path that would differ from machine to machine */
    const json *base = json_get(json_get(run_of(log), "originalUriBaseIds"), "%SRCROOT%");
    assert_non_null(json_get(base, "description"));
    assert_null(json_get(base, "uri"));
    json_free(log);
    free(text);
}

/* ---- the binary ----------------------------------------------------------------------- */

#define CLEAN_MAP "title: Clean\n" TEST_VALID_MAP_BODY
/* errors and warnings of several codes, in one map */
#define MIXED_MAP                                                                                  \
    "title: Mixed\nmodel: three-stage\npersonas:\n  - {id: ana, name: Ana}\n"                      \
    "  - {id: tom, name: Tom, color: red}\nstages:\n  - id: pre-purchase\n"                        \
    "touchpoints:\n  - {stage: pre-purchas, name: Search, emotion: 3}\n"                           \
    "  - {stage: purchase, name: Pay, persona: mya, emtion: 1}\n"

static json *log_from(const char *out)
{
    json *log = json_parse(out, strlen(out));
    if (!log)
        fail_msg("not one JSON value:\n%s", out);
    return log;
}

static void a_completed_run_is_successful_with_map_errors_or_without(void **state)
{
    (void)state;
    char *dir = test_tmpdir("sarif-completed");
    char *clean = test_put(dir, "clean.yaml", CLEAN_MAP);
    char *mixed = test_put(dir, "mixed.yaml", MIXED_MAP);
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "check --diagnostics sarif '%s'", clean), 0);
    json *log = log_from(out);
    assert_true(member(invocation_of(log), "executionSuccessful")->boolean);
    assert_int_equal(member(invocation_of(log), "exitCode")->number, 0);
    assert_null(json_get(invocation_of(log), "toolExecutionNotifications"));
    assert_int_equal(json_get(run_of(log), "results")->n_items, 0);
    json_free(log);
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "check --diagnostics sarif '%s'", mixed), 1);
    log = log_from(out);
    assert_true(member(invocation_of(log), "executionSuccessful")->boolean);
    assert_int_equal(member(invocation_of(log), "exitCode")->number, 1);
    assert_true(rules_of(log)->n_items >= 4); /* several codes */
    json_free(log);
    free(out);
    free(err);
    free(clean);
    free(mixed);
    free(dir);
}

/* A usage error writes a log that says the run failed, wherever --diagnostics stands. */
static void a_usage_error_writes_a_failed_log(void **state)
{
    (void)state;
    char *dir = test_tmpdir("sarif-usage");
    char *map = test_put(dir, "m.yaml", CLEAN_MAP);
    /* the arguments before the map and after it; no map when `after` is NULL */
    static const char *const commands[][2] = {
        {"check --werorr --diagnostics sarif", ""},
        {"check --diagnostics=sarif --werorr", ""},
        {"check --diag=sarif '--bad\x1b]0;x\x07'", ""},
        {"build --diagnostics sarif", ""}, /* no output given */
        {"build --diagnostics sarif --theme neon", "-o x.svg"},
        {"check --diagnostics sarif", NULL},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char *out = NULL, *err = NULL;
        char *args = commands[i][1]
                         ? jmap_xprintf("%s '%s' %s", commands[i][0], map, commands[i][1])
                         : jmap_xstrdup(commands[i][0]);
        assert_int_equal(test_jmap(&out, &err, "%s", args), 2);
        json *log = log_from(out);
        const json *inv = invocation_of(log);
        if (!inv || member(inv, "executionSuccessful")->boolean)
            fail_msg("'%s' wrote a log that does not say the run failed:\n%s", args, out);
        assert_int_equal(member(inv, "exitCode")->number, 2);
        const json *notes = member(inv, "toolExecutionNotifications");
        const char *msg = str_member(member(json_at(notes, 0), "message"), "text");
        /* the message printed to stderr, after "jmap: ", sanitised in both */
        char *line = jmap_xprintf("jmap: %s\n", msg);
        if (!strstr(err, line))
            fail_msg("'%s': notification '%s' is not what stderr says:\n%s", args, msg, err);
        free(line);
        if (i == 2)
            assert_string_equal(msg, "check: unknown option '--bad\\x1b]0;x\\x07'");
        json_free(log);
        free(args);
        free(out);
        free(err);
    }
    free(map);
    free(dir);
}

static void an_io_error_writes_a_failed_log_with_its_result(void **state)
{
    (void)state;
    char *dir = test_tmpdir("sarif-io");
    char *map = test_put(dir, "m.yaml", CLEAN_MAP);
    char *out = NULL, *err = NULL;
    assert_int_equal(
        test_jmap(&out, &err, "check --diagnostics sarif '%s' '%s/missing.yaml'", map, dir), 3);
    json *log = log_from(out);
    const json *inv = invocation_of(log);
    assert_false(member(inv, "executionSuccessful")->boolean);
    assert_int_equal(member(inv, "exitCode")->number, 3);
    assert_non_null(json_at(json_get(inv, "toolExecutionNotifications"), 0));
    const json *r = json_at(json_get(run_of(log), "results"), 0);
    assert_string_equal(json_str(r, "ruleId"), "io-error");
    json_free(log);
    free(out);
    free(err);
    free(map);
    free(dir);
}

static void help_writes_no_log(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "check --diagnostics sarif --help"), 0);
    assert_null(strstr(out, "\"$schema\""));
    free(out);
    free(err);
}

/* The names of odd_names, as the binary sees them in a folder: relative through a glob (so the
 * shell passes each name whole), absolute as written. */
static void the_binary_writes_uris_that_lead_back_to_each_name(void **state)
{
    (void)state;
    char *dir = test_tmpdir("sarif-names");
    for (size_t i = 0; i < N_ODD; i++)
        free(test_put(dir, odd_names[i], MIXED_MAP));
    char *out = NULL, *err = NULL;
    char *cd = jmap_xprintf("cd '%s' && ", dir);
    assert_int_equal(test_jmap_as(cd, &out, &err, "check --diagnostics sarif ./*.yaml"), 1);
    json *log = log_from(out);
    const json *results = json_get(run_of(log), "results");
    bool *seen = calloc(N_ODD, sizeof(bool));
    for (size_t i = 0; i < results->n_items; i++) {
        const json *art = artifact_of(json_at(results, i));
        assert_string_equal(str_member(art, "uriBaseId"), "%SRCROOT%");
        const char *uri = json_str(art, "uri");
        assert_true(uri_path_is_plain(uri));
        char *back = uri_decode(uri);
        size_t k = 0;
        while (k < N_ODD && strcmp(odd_names[k], back) != 0)
            k++;
        if (k == N_ODD)
            fail_msg("uri '%s' is none of the names", uri);
        seen[k] = true;
        free(back);
    }
    for (size_t k = 0; k < N_ODD; k++)
        assert_true(seen[k]);
    free(seen);
    json_free(log);
    free(out);
    free(err);
    /* absolute */
    char *abs = jmap_xprintf("%s/%s", dir, odd_names[0]);
    assert_int_equal(test_jmap(&out, &err, "check --diagnostics sarif '%s'", abs), 1);
    log = log_from(out);
    const json *art = artifact_of(json_at(json_get(run_of(log), "results"), 0));
    char *enc = jmap_url_encode_path(abs);
    char *want = jmap_xprintf("file://%s", enc);
    assert_string_equal(json_str(art, "uri"), want);
    assert_null(json_get(art, "uriBaseId"));
    free(want);
    free(enc);
    json_free(log);
    free(out);
    free(err);
    free(abs);
    free(cd);
    free(dir);
}

/* ---- Microsoft's SARIF multitool ------------------------------------------------------- */

#define MULTITOOL_DEFAULT                                                                          \
    "/opt/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"

static const char *need_multitool(void)
{
    return test_need_program("sarif-multitool", "JMAP_SARIF_MULTITOOL", MULTITOOL_DEFAULT,
                             "npm install --prefix /opt/sarif-multitool "
                             "@microsoft/sarif-multitool@5.7.0 && chmod u+x " MULTITOOL_DEFAULT
                             " (.ci/run does both)");
}

/* Notes of the multitool that jmap's logs get on purpose (docs/diagnostics.md, "SARIF for
 * code scanning", says why): a rule id, and the message id when only that one is meant. */
static const char *const accepted_notes[][2] = {
    {"SARIF2002", NULL}, /* message text rather than id and arguments */
    {"SARIF2003", NULL}, /* no versionControlProvenance: upload-sarif adds the commit */
    {"SARIF2006", NULL}, /* URIs not reachable: the tests run offline */
    {"SARIF2009", NULL}, /* rule ids are jmap's kebab-case codes, not "JM1001" */
    {"SARIF2010", NULL}, /* no code snippet */
    {"SARIF2011", NULL}, /* no context region */
    {"SARIF2016", NULL}, /* an absolute path is a file:// URI, as asked for */
    {"SARIF2012", "Note_ProvideMetadataForAllViolatedRules"}, /* a log without results has no
                                                                  rules */
};

static bool accepted(const char *rule, const char *msg_id)
{
    for (size_t i = 0; i < sizeof accepted_notes / sizeof accepted_notes[0]; i++) {
        if (strcmp(accepted_notes[i][0], rule) == 0 &&
            (!accepted_notes[i][1] || (msg_id && strcmp(accepted_notes[i][1], msg_id) == 0)))
            return true;
    }
    return false;
}

/* The level of a result of the multitool's own log: its own, else its rule's default, else
 * SARIF's default, "warning". */
static const char *effective_level(const json *run, const json *r)
{
    const char *level = json_str(r, "level");
    if (level)
        return level;
    const json *rules = json_get(json_get(json_get(run, "tool"), "driver"), "rules");
    const json *idx = json_get(r, "ruleIndex");
    const json *rule = idx ? json_at(rules, (size_t)idx->number) : NULL;
    level = json_str(json_get(rule, "defaultConfiguration"), "level");
    return level ? level : "warning";
}

/* Run the multitool on every log in `paths`; return a report of what it found that is not an
 * accepted note ("" when nothing), and check it read each log (it reports SARIF2003 on every
 * jmap log: a log it could not read yields no result at all, not an error). */
static char *validate(const char *tool, const char *dir, const char *const *paths, size_t n)
{
    char *report = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&report, &len);
    char *outlog = jmap_xprintf("%s/validation.sarif", dir);
    char *cmd = NULL;
    size_t cmd_len = 0;
    FILE *c = open_memstream(&cmd, &cmd_len);
    /* No network (the URI-reachability rule fails at once), no ICU needed, and the bundle's
     * native libraries unpacked under the build tree rather than $HOME. */
    fprintf(c,
            "HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY= "
            "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 "
            "DOTNET_BUNDLE_EXTRACT_BASE_DIR='%s/dotnet-bundle' timeout 300 '%s' validate "
            "--rule-kind 'Gh;Sarif' --level 'Error;Warning;Note' --log ForceOverwrite "
            "-o '%s'",
            JMAP_BUILD_DIR, tool, outlog);
    for (size_t i = 0; i < n; i++)
        fprintf(c, " '%s'", paths[i]);
    fclose(c);
    char *console = NULL;
    int status = test_run(cmd, &console, NULL);
    size_t out_len = 0;
    char *out = status == 0 ? test_read_file(outlog, &out_len) : NULL;
    json *log = out ? json_parse(out, out_len) : NULL;
    if (!log) {
        fprintf(f, "the multitool failed (status %d):\n%s\n", status, console);
    } else {
        const json *run = run_of(log);
        const json *results = json_get(run, "results");
        size_t *canary = calloc(n, sizeof(size_t));
        for (size_t i = 0; results && i < results->n_items; i++) {
            const json *r = json_at(results, i);
            const char *rule = json_str(r, "ruleId");
            const char *level = effective_level(run, r);
            const json *msg = json_get(r, "message");
            const char *msg_id = json_str(msg, "id");
            const char *uri = json_str(artifact_of(r), "uri");
            for (size_t k = 0; k < n; k++) {
                const char *base = strrchr(paths[k], '/') + 1;
                size_t bl = strlen(base), ul = uri ? strlen(uri) : 0;
                if (strcmp(rule, "SARIF2003") == 0 && ul > bl && strcmp(uri + ul - bl, base) == 0)
                    canary[k]++;
            }
            if (strcmp(level, "note") == 0 && accepted(rule, msg_id))
                continue;
            fprintf(f, "%s %s in %s: %s", level, rule, uri ? uri : "?",
                    json_str(msg, "text") ? json_str(msg, "text") : msg_id);
            const json *args = json_get(msg, "arguments");
            for (size_t a = 0; args && a < args->n_items; a++)
                fprintf(f, " [%s]", json_at(args, a)->string);
            fputc('\n', f);
        }
        for (size_t k = 0; k < n; k++) {
            if (!canary[k])
                fprintf(f,
                        "the multitool did not read %s (no SARIF2003 note): it reports "
                        "nothing for a log it cannot load\n",
                        paths[k]);
        }
        free(canary);
        if (len)
            fprintf(f, "\nthe multitool said:\n%s\n", console);
    }
    fclose(f);
    json_free(log);
    free(out);
    free(console);
    free(cmd);
    free(outlog);
    return report;
}

/* Write the stdout of a jmap run into dir/name; returns the path. */
static char *keep_log(const char *dir, const char *name, int want, const char *cd, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));
static char *keep_log(const char *dir, const char *name, int want, const char *cd, const char *fmt,
                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *args = jmap_xvprintf(fmt, ap);
    va_end(ap);
    char *out = NULL, *err = NULL;
    int status = test_jmap_as(cd ? cd : "", &out, &err, "%s", args);
    if (status != want)
        fail_msg("jmap %s: status %d, not %d\n%s", args, status, want, err);
    char *path = test_put(dir, name, out);
    free(out);
    free(err);
    free(args);
    return path;
}

static void the_multitool_finds_nothing_wrong_with_any_log(void **state)
{
    (void)state;
    const char *tool = need_multitool();
    char *dir = test_tmpdir("sarif-multitool");
    char *maps = jmap_xprintf("%s/maps", dir);
    char *mkdir_cmd = jmap_xprintf("mkdir -p '%s'", maps);
    assert_int_equal(system(mkdir_cmd), 0);
    free(mkdir_cmd);
    char *clean = test_put(maps, "clean.yaml", CLEAN_MAP);
    char *mixed = test_put(maps, "mixed.yaml", MIXED_MAP);
    for (size_t i = 0; i < N_ODD; i++)
        free(test_put(maps, odd_names[i], MIXED_MAP));
    char *cd = jmap_xprintf("cd '%s' && ", dir);
    char *logs[9];
    size_t n = 0;
    logs[n++] = keep_log(dir, "clean.sarif", 0, NULL, "check --diagnostics sarif '%s'", clean);
    logs[n++] = keep_log(dir, "mixed.sarif", 1, cd, "check --diagnostics sarif maps/mixed.yaml");
    logs[n++] = keep_log(dir, "odd.sarif", 1, cd, "check --diagnostics sarif maps/*.yaml");
    logs[n++] = keep_log(dir, "absolute.sarif", 1, NULL,
                         "check --werror --diagnostics sarif '%s' '%s'", mixed, clean);
    logs[n++] = keep_log(dir, "cut.sarif", 1, cd,
                         "check --max-errors 1 --diagnostics sarif maps/mixed.yaml");
    logs[n++] = keep_log(dir, "usage.sarif", 2, cd, "check --werorr --diagnostics sarif m.yaml");
    logs[n++] = keep_log(dir, "io.sarif", 3, cd, "check --diagnostics sarif maps/missing.yaml");
    logs[n++] = keep_log(dir, "plan.sarif", 2, cd,
                         "build --diagnostics sarif -f svg maps/clean.yaml -o maps/clean.yaml");
    /* every rule of the table, and one it lacks */
    jmap_sarif *s = every_rule_log();
    size_t len;
    char *text = sarif_of(s, &len);
    jmap_sarif_free(s);
    logs[n++] = test_put(dir, "every-rule.sarif", text);
    free(text);
    char *report = validate(tool, dir, (const char *const *)logs, n);
    if (*report)
        fail_msg("%s", report);
    free(report);
    for (size_t i = 0; i < n; i++)
        free(logs[i]);
    free(cd);
    free(clean);
    free(mixed);
    free(maps);
    free(dir);
}

/* The check above can fail: a log without descriptions, with a property SARIF does not have,
 * and one the multitool cannot load, are each reported. */
static void the_multitool_check_reports_a_bad_log(void **state)
{
    (void)state;
    const char *tool = need_multitool();
    char *dir = test_tmpdir("sarif-multitool-bad");
    const char *bad =
        "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": \"2.1.0\", "
        "\"runs\": [{\"tool\": {\"driver\": {\"name\": \"jmap\", \"rules\": [{\"id\": \"x\", "
        "\"helpUri\": \"https://example.com/\"}]}}, \"unknownProperty\": 1, \"results\": "
        "[{\"ruleId\": \"x\", \"level\": \"error\", \"message\": {\"text\": \"m.\"}, "
        "\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"a.yaml\"}, "
        "\"region\": {\"startLine\": 1}}}]}]}]}\n";
    char *paths[2];
    paths[0] = test_put(dir, "bad.sarif", bad);
    char *report = validate(tool, dir, (const char *const *)paths, 1);
    assert_non_null(strstr(report, "error GH2012"));
    assert_non_null(strstr(report, "JSON"));
    free(report);
    /* a level SARIF does not have: the log cannot be loaded, and the canary says so */
    char *unloadable = jmap_xstrdup(bad);
    memcpy(strstr(unloadable, "\"error\""), "\"bogus\"", 7);
    paths[1] = test_put(dir, "unloadable.sarif", unloadable);
    report = validate(tool, dir, (const char *const *)paths + 1, 1);
    assert_non_null(strstr(report, "did not read"));
    free(report);
    free(unloadable);
    free(paths[0]);
    free(paths[1]);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_rule_has_what_code_scanning_shows),
        cmocka_unit_test(the_invocation_records_the_outcome_and_what_stopped_the_run),
        cmocka_unit_test(relative_and_absolute_paths_are_uris),
        cmocka_unit_test(a_completed_run_is_successful_with_map_errors_or_without),
        cmocka_unit_test(a_usage_error_writes_a_failed_log),
        cmocka_unit_test(an_io_error_writes_a_failed_log_with_its_result),
        cmocka_unit_test(help_writes_no_log),
        cmocka_unit_test(the_binary_writes_uris_that_lead_back_to_each_name),
        cmocka_unit_test(the_multitool_finds_nothing_wrong_with_any_log),
        cmocka_unit_test(the_multitool_check_reports_a_bad_log),
    };
    return cmocka_run_group_tests_name("sarif", tests, NULL, NULL);
}
