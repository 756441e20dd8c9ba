/* Diagnostics for machines: JSON lines, SARIF 2.1.0 and GitHub workflow commands. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/diag_format.h"
#include "jmap/sanitize.h"
#include "json.h"
#include "safe_text.h"
#include "support.h"

/* Two errors and a warning, one with a hint, one with a message that needs escaping (its
 * newline is sanitised to the four characters \x0a in every format). */
static void fill(jmap_diags *d)
{
    jmap_diags_init(d);
    jmap_diag_add(d, JMAP_SEV_ERROR, "unknown-stage",
                  (jmap_loc){"maps/a map.yaml", 14, 12, 14, 23}, "unknown stage '%s'",
                  "considration");
    jmap_diag_hint(d, "did you mean '%s'?", "consideration");
    jmap_diag_add(d, JMAP_SEV_ERROR, "wrong-type", (jmap_loc){"maps/a map.yaml", 3, 8, 0, 0},
                  "expected a string for 'title', found \"a\\b\"\n100%%, really: yes");
    jmap_diag_add(d, JMAP_SEV_WARNING, "unused-persona", (jmap_loc){"maps/a map.yaml", 7, 9, 7, 11},
                  "persona 'tom' appears in no touchpoint");
}

static char *capture(void (*print)(const jmap_diags *, FILE *), const jmap_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    print(d, f);
    fclose(f);
    return buf;
}

static void json_lines_each_parse_with_every_field(void **state)
{
    (void)state;
    jmap_diags d;
    fill(&d);
    char *out = capture(jmap_diags_print_json, &d);
    size_t lines = 0;
    for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1, lines++) {
        json *j = json_parse(line, (size_t)(nl - line));
        assert_non_null(j);
        assert_string_equal(json_str(j, "file"), "maps/a map.yaml");
        assert_non_null(json_get(j, "line"));
        assert_non_null(json_get(j, "column"));
        assert_non_null(json_str(j, "severity"));
        assert_non_null(json_str(j, "code"));
        assert_non_null(json_str(j, "message"));
        if (lines == 0) {
            assert_int_equal(json_get(j, "line")->number, 14);
            assert_int_equal(json_get(j, "column")->number, 12);
            assert_int_equal(json_get(j, "end_line")->number, 14);
            assert_int_equal(json_get(j, "end_column")->number, 23);
            assert_string_equal(json_str(j, "hint"), "did you mean 'consideration'?");
            assert_string_equal(json_str(j, "severity"), "error");
        }
        if (lines == 1) {
            assert_string_equal(json_str(j, "message"),
                                "expected a string for 'title', found \"a\\b\"\\x0a100%, really: yes");
            assert_null(json_get(j, "hint"));
            assert_null(json_get(j, "end_line"));
        }
        if (lines == 2)
            assert_string_equal(json_str(j, "severity"), "warning");
        json_free(j);
    }
    assert_int_equal(lines, 3);
    free(out);
    jmap_diags_release(&d);
}

static void github_commands_have_the_workflow_form(void **state)
{
    (void)state;
    jmap_diags d;
    fill(&d);
    char *out = capture(jmap_diags_print_github, &d);
    assert_string_equal(
        out,
        "::error file=maps/a map.yaml,line=14,col=12,endLine=14,endColumn=23,title=unknown-stage"
        "::unknown stage 'considration'; did you mean 'consideration'?\n"
        "::error file=maps/a map.yaml,line=3,col=8,title=wrong-type::expected a string for "
        "'title', found \"a\\b\"\\x0a100%25, really: yes\n"
        "::warning file=maps/a map.yaml,line=7,col=9,endLine=7,endColumn=11,title=unused-persona"
        "::persona 'tom' appears in no touchpoint\n");
    free(out);
    jmap_diags_release(&d);
}

static void sarif_log_has_the_required_structure(void **state)
{
    (void)state;
    jmap_diags d;
    fill(&d);
    jmap_sarif *s = jmap_sarif_new();
    jmap_sarif_add(s, &d);
    jmap_diags_release(&d); /* the log keeps its own copies */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    jmap_sarif_write(s, f);
    fclose(f);
    jmap_sarif_free(s);

    json *j = json_parse(buf, len);
    assert_non_null(j);
    assert_string_equal(json_str(j, "version"), "2.1.0");
    assert_non_null(json_str(j, "$schema"));
    const json *run = json_at(json_get(j, "runs"), 0);
    assert_non_null(run);
    const json *driver = json_get(json_get(run, "tool"), "driver");
    assert_string_equal(json_str(driver, "name"), "jmap");
    const json *rules = json_get(driver, "rules");
    assert_int_equal(rules->n_items, 3);
    assert_string_equal(json_str(json_at(rules, 0), "id"), "unknown-stage");
    assert_string_equal(json_str(json_at(rules, 2), "id"), "wrong-type");
    const json *results = json_get(run, "results");
    assert_int_equal(results->n_items, 3);
    const json *r0 = json_at(results, 0);
    assert_string_equal(json_str(r0, "ruleId"), "unknown-stage");
    assert_string_equal(json_str(r0, "level"), "error");
    assert_string_equal(json_str(json_get(r0, "message"), "text"),
                        "unknown stage 'considration'; did you mean 'consideration'?");
    const json *loc = json_get(json_at(json_get(r0, "locations"), 0), "physicalLocation");
    assert_string_equal(json_str(json_get(loc, "artifactLocation"), "uri"), "maps/a%20map.yaml");
    const json *region = json_get(loc, "region");
    assert_int_equal(json_get(region, "startLine")->number, 14);
    assert_int_equal(json_get(region, "startColumn")->number, 12);
    assert_int_equal(json_get(region, "endColumn")->number, 24); /* exclusive in SARIF */
    assert_string_equal(json_str(json_at(results, 2), "level"), "warning");
    json_free(j);
    free(buf);
}

static void an_empty_sarif_log_is_still_valid(void **state)
{
    (void)state;
    jmap_sarif *s = jmap_sarif_new();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    jmap_sarif_write(s, f);
    fclose(f);
    jmap_sarif_free(s);
    json *j = json_parse(buf, len);
    assert_non_null(j);
    assert_int_equal(json_get(json_at(json_get(j, "runs"), 0), "results")->n_items, 0);
    json_free(j);
    free(buf);
}

static void format_names_are_recognised(void **state)
{
    (void)state;
    jmap_diag_format f;
    assert_true(jmap_diag_format_from_name("sarif", &f));
    assert_int_equal(f, JMAP_DIAG_SARIF);
    assert_true(jmap_diag_format_from_name("github", &f));
    assert_int_equal(f, JMAP_DIAG_GITHUB);
    assert_false(jmap_diag_format_from_name("xml", &f));
}

/* A hostile file name (not UTF-8, an escape sequence, a newline that would start a forged
 * workflow command) and a message and hint quoting hostile values. */
#define EVIL_FILE "x\xff\x1b]52;c;aGk=\x07\n::error file=a,line=1::forged, really.yaml"

static void fill_hostile(jmap_diags *d)
{
    jmap_diags_init(d);
    jmap_diag_add(d, JMAP_SEV_ERROR, "unknown-stage", (jmap_loc){EVIL_FILE, 2, 3, 2, 5},
                  "unknown stage '%s'", "a\x1b[2J\xc2\x9b\xe2\x80\xae\r\n::warning::b");
    jmap_diag_hint(d, "did you mean '%s'?", "c\x7f\xc0\xaf");
    jmap_diag_add(d, JMAP_SEV_WARNING, "w", (jmap_loc){EVIL_FILE, 3, 1, 0, 0}, "tab\there");
}

/* Valid UTF-8 with no control character other than the newlines that end lines. */
static void assert_clean_output(const char *s, size_t len)
{
    size_t at = test_first_unsafe(s, len);
    if (at < len)
        fail_msg("unsafe byte 0x%02x at %zu in:\n%s", (unsigned char)s[at], at, s);
}

static void json_stays_valid_utf8_for_hostile_names_and_values(void **state)
{
    (void)state;
    jmap_diags d;
    fill_hostile(&d);
    char *out = capture(jmap_diags_print_json, &d);
    assert_clean_output(out, strlen(out));
    size_t lines = 0;
    for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1, lines++) {
        json *j = json_parse(line, (size_t)(nl - line));
        assert_non_null(j);
        /* the decoded strings are safe to print too: the sanitiser ran before the escaping */
        const char *file = json_str(j, "file");
        assert_string_equal(file, "x\\xff\\x1b]52;c;aGk=\\x07\\x0a::error file=a,line=1::forged, "
                                  "really.yaml");
        assert_clean_output(json_str(j, "message"), strlen(json_str(j, "message")));
        if (lines == 0) {
            assert_string_equal(json_str(j, "message"),
                                "unknown stage 'a\\x1b[2J\\u009b\\u202e\\x0d\\x0a::warning::b'");
            assert_string_equal(json_str(j, "hint"), "did you mean 'c\\x7f\\xc0\\xaf'?");
        }
        json_free(j);
    }
    assert_int_equal(lines, 2);
    free(out);
    jmap_diags_release(&d);
}

static void sarif_stays_valid_utf8_for_hostile_names_and_values(void **state)
{
    (void)state;
    jmap_diags d;
    fill_hostile(&d);
    jmap_sarif *s = jmap_sarif_new();
    jmap_sarif_add(s, &d);
    jmap_diags_release(&d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    jmap_sarif_write(s, f);
    fclose(f);
    jmap_sarif_free(s);
    assert_clean_output(buf, len);
    json *j = json_parse(buf, len);
    assert_non_null(j);
    const json *r0 = json_at(json_get(json_at(json_get(j, "runs"), 0), "results"), 0);
    assert_string_equal(json_str(json_get(r0, "message"), "text"),
                        "unknown stage 'a\\x1b[2J\\u009b\\u202e\\x0d\\x0a::warning::b'; did you "
                        "mean 'c\\x7f\\xc0\\xaf'?");
    const json *loc = json_get(json_at(json_get(r0, "locations"), 0), "physicalLocation");
    /* the URI percent-encodes every byte that is not plain: the name can still be found */
    assert_string_equal(json_str(json_get(loc, "artifactLocation"), "uri"),
                        "x%FF%1B%5D52%3Bc%3BaGk%3D%07%0A%3A%3Aerror%20file%3Da%2Cline%3D1%3A%3A"
                        "forged%2C%20really.yaml");
    json_free(j);
    free(buf);
}

static void github_lines_cannot_be_forged(void **state)
{
    (void)state;
    jmap_diags d;
    fill_hostile(&d);
    char *out = capture(jmap_diags_print_github, &d);
    assert_clean_output(out, strlen(out));
    assert_string_equal(
        out,
        "::error file=x\\xff\\x1b]52;c;aGk=\\x07\\x0a%3A%3Aerror file=a%2Cline=1%3A%3Aforged%2C "
        "really.yaml,line=2,col=3,endLine=2,endColumn=5,title=unknown-stage::unknown stage "
        "'a\\x1b[2J\\u009b\\u202e\\x0d\\x0a::warning::b'; did you mean 'c\\x7f\\xc0\\xaf'?\n"
        "::warning file=x\\xff\\x1b]52;c;aGk=\\x07\\x0a%3A%3Aerror file=a%2Cline=1%3A%3Aforged%2C "
        "really.yaml,line=3,col=1,title=w::tab\\x09here\n");
    free(out);
    jmap_diags_release(&d);
}

/* A list cut by --max-errors (here at one per severity): `dropped` errors past the first. */
static void fill_cut(jmap_diags *d, const char *file, size_t dropped)
{
    jmap_diags_init(d);
    d->max_items = 1;
    for (size_t i = 0; i <= dropped; i++)
        jmap_diag_add(d, JMAP_SEV_ERROR, "unknown-stage",
                      (jmap_loc){file, (unsigned)i + 2, 3, 0, 0}, "unknown stage 's%zu'", i);
    jmap_diag_add(d, JMAP_SEV_WARNING, "unused-persona", (jmap_loc){file, 1, 1, 0, 0},
                  "persona 'tom' appears in no touchpoint");
    assert_int_equal(d->n_items, 2);
    assert_int_equal(d->n_dropped, dropped);
}

/* The text form ends a cut list with "note: N more diagnostics not shown"; so does each machine
 * format, as a note with the code diagnostics-not-shown. */
static void json_ends_a_cut_list_with_a_note(void **state)
{
    (void)state;
    jmap_diags d;
    fill_cut(&d, "maps/a.yaml", 2);
    char *out = capture(jmap_diags_print_json, &d);
    char *last = out, *nl;
    size_t lines = 0;
    for (char *line = out; (nl = strchr(line, '\n')); line = nl + 1, lines++)
        last = line;
    assert_int_equal(lines, 3);
    json *j = json_parse(last, strlen(last) - 1);
    assert_non_null(j);
    assert_string_equal(json_str(j, "file"), "maps/a.yaml");
    assert_string_equal(json_str(j, "severity"), "note");
    assert_string_equal(json_str(j, "code"), "diagnostics-not-shown");
    assert_string_equal(json_str(j, "message"), "2 more diagnostics not shown (see --max-errors)");
    assert_null(json_get(j, "line"));
    json_free(j);
    free(out);
    jmap_diags_release(&d);
    /* one dropped: singular; none: no note */
    fill_cut(&d, "maps/a.yaml", 1);
    out = capture(jmap_diags_print_json, &d);
    assert_non_null(
        strstr(out, "\"message\":\"1 more diagnostic not shown (see --max-errors)\"}\n"));
    free(out);
    jmap_diags_release(&d);
    fill_cut(&d, "maps/a.yaml", 0);
    out = capture(jmap_diags_print_json, &d);
    assert_null(strstr(out, "diagnostics-not-shown"));
    free(out);
    jmap_diags_release(&d);
}

static void github_ends_a_cut_list_with_a_notice(void **state)
{
    (void)state;
    jmap_diags d;
    fill_cut(&d, "maps/a:b,c.yaml", 3);
    char *out = capture(jmap_diags_print_github, &d);
    const char *want = "::notice file=maps/a%3Ab%2Cc.yaml,title=diagnostics-not-shown::"
                       "3 more diagnostics not shown (see --max-errors)\n";
    size_t n = strlen(out), w = strlen(want);
    assert_true(n > w);
    assert_string_equal(out + n - w, want);
    assert_true(out[n - w - 1] == '\n'); /* a line of its own */
    free(out);
    jmap_diags_release(&d);
}

/* One note result per file whose list was cut, with its rule in the rule list, so the log
 * stays valid: every result's ruleId names a rule. */
static void sarif_ends_a_cut_list_with_a_note_result(void **state)
{
    (void)state;
    jmap_sarif *s = jmap_sarif_new();
    jmap_diags d;
    fill_cut(&d, "maps/a.yaml", 2);
    jmap_sarif_add(s, &d);
    jmap_diags_release(&d);
    fill_cut(&d, "maps/b.yaml", 1);
    jmap_sarif_add(s, &d);
    jmap_diags_release(&d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    jmap_sarif_write(s, f);
    fclose(f);
    jmap_sarif_free(s);
    json *j = json_parse(buf, len);
    assert_non_null(j);
    const json *run = json_at(json_get(j, "runs"), 0);
    const json *rules = json_get(json_get(json_get(run, "tool"), "driver"), "rules");
    const json *results = json_get(run, "results");
    assert_int_equal(results->n_items, 6);
    size_t notes = 0;
    for (size_t i = 0; i < results->n_items; i++) {
        const json *r = json_at(results, i);
        bool known = false;
        for (size_t k = 0; k < rules->n_items; k++)
            known |= strcmp(json_str(json_at(rules, k), "id"), json_str(r, "ruleId")) == 0;
        assert_true(known);
        if (strcmp(json_str(r, "ruleId"), "diagnostics-not-shown") != 0)
            continue;
        assert_string_equal(json_str(r, "level"), "note");
        const json *loc = json_get(json_at(json_get(r, "locations"), 0), "physicalLocation");
        assert_string_equal(json_str(json_get(loc, "artifactLocation"), "uri"),
                            notes == 0 ? "maps/a.yaml" : "maps/b.yaml");
        /* no line of its own: placed at the file's first line, as SARIF2017 asks */
        const json *region = json_get(loc, "region");
        assert_int_equal(json_get(region, "startLine")->number, 1);
        assert_null(json_get(region, "startColumn"));
        assert_string_equal(json_str(json_get(r, "message"), "text"),
                            notes == 0 ? "2 more diagnostics not shown (see --max-errors)"
                                       : "1 more diagnostic not shown (see --max-errors)");
        notes++;
    }
    assert_int_equal(notes, 2);
    assert_int_equal(rules->n_items, 3); /* diagnostics-not-shown once */
    json_free(j);
    free(buf);
}

/* ---- each promise pinned with an input that tells the right rule from the wrong one ---- */

static char *sarif_text(const jmap_sarif *s, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    jmap_sarif_write(s, f);
    fclose(f);
    return buf;
}

/* A code used by several results, in one file and across files, is one rule: GitHub code
 * scanning rejects a log whose rules repeat an id. */
static void sarif_lists_each_rule_once_however_many_results_use_it(void **state)
{
    (void)state;
    jmap_sarif *s = jmap_sarif_new();
    for (int file = 0; file < 2; file++) {
        jmap_diags d;
        jmap_diags_init(&d);
        const char *name = file ? "b.yaml" : "a.yaml";
        jmap_diag_add(&d, JMAP_SEV_ERROR, "unknown-stage", (jmap_loc){name, 3, 1, 0, 0}, "x");
        jmap_diag_add(&d, JMAP_SEV_ERROR, "unknown-stage", (jmap_loc){name, 9, 1, 0, 0}, "y");
        jmap_diag_add(&d, JMAP_SEV_WARNING, "unused-persona", (jmap_loc){name, 5, 1, 0, 0}, "z");
        jmap_sarif_add(s, &d);
        jmap_diags_release(&d);
    }
    size_t len = 0;
    char *buf = sarif_text(s, &len);
    jmap_sarif_free(s);
    json *j = json_parse(buf, len);
    assert_non_null(j);
    const json *run = json_at(json_get(j, "runs"), 0);
    const json *rules = json_get(json_get(json_get(run, "tool"), "driver"), "rules");
    assert_int_equal(rules->n_items, 2);
    assert_string_equal(json_str(json_at(rules, 0), "id"), "unknown-stage");
    assert_string_equal(json_str(json_at(rules, 1), "id"), "unused-persona");
    const json *results = json_get(run, "results");
    assert_int_equal(results->n_items, 6);
    for (size_t i = 0; i < results->n_items; i++) {
        const char *id = json_str(json_at(results, i), "ruleId");
        assert_true(strcmp(id, "unknown-stage") == 0 || strcmp(id, "unused-persona") == 0);
    }
    json_free(j);
    free(buf);
}

/* Every C0 control and DEL (NUL ends a C string and cannot reach the writer): the literal is
 * valid JSON with no raw control byte in it, and decodes to the sanitiser's visible escape,
 * which holds no control either. 0x10-0x1F are there as much as 0x01-0x0F. */
static void json_string_escapes_every_control_byte(void **state)
{
    (void)state;
    for (unsigned c = 1; c <= 0x7f; c++) {
        if (c >= 0x20 && c < 0x7f)
            continue;
        char in[4] = {'a', (char)c, 'z', '\0'};
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        fputs("{\"s\":", f);
        jmap_json_string(f, in);
        fputs("}", f);
        fclose(f);
        for (size_t i = 0; i < len; i++) {
            if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
                fail_msg("byte 0x%02x written raw: %s", c, buf);
        }
        json *j = json_parse(buf, len);
        if (!j)
            fail_msg("byte 0x%02x: not valid JSON: %s", c, buf);
        char want[16];
        snprintf(want, sizeof want, "a\\x%02xz", c);
        assert_string_equal(json_str(j, "s"), want);
        json_free(j);
        free(buf);
    }
}

/* A map file whose name holds a comma, a colon and control bytes 0x10-0x1F (and more), checked
 * by the real binary in each machine format: the name arrives escaped (a workflow command's
 * properties are split at ',' and ':'), as valid JSON, and with no raw control byte. */
#define ODD_NAME "a,b:c\x01\x07\x10\x11\x15\x1b\x1e\x1f\x7f" "d.yaml"
#define ODD_SHOWN "a,b:c\\x01\\x07\\x10\\x11\\x15\\x1b\\x1e\\x1f\\x7fd.yaml"
#define ODD_GITHUB "a%2Cb%3Ac\\x01\\x07\\x10\\x11\\x15\\x1b\\x1e\\x1f\\x7fd.yaml"

/* A map that draws with one warning (a stage with no touchpoint), named `name` in `dir`. */
static char *put_warned_map(const char *dir, const char *name)
{
    return test_put(dir, name,
                    "title: T\nmodel: three-stage\npersonas: [{id: ana, name: Ana}]\n"
                    "stages: [{id: pre-purchase}]\n");
}

static void a_file_name_with_commas_colons_and_controls_is_escaped_by_the_binary(void **state)
{
    (void)state;
    char *dir = test_tmpdir("diag-format-odd-name");
    char *path = put_warned_map(dir, ODD_NAME);
    char *out = NULL, *err = NULL;

    /* GitHub: each line's properties are exactly file, line, col, endLine, endColumn, title. */
    assert_int_equal(test_jmap(&out, &err, "check --diagnostics github '%s'", path), 0);
    assert_clean_output(out, strlen(out));
    assert_true(strlen(out) > 0);
    for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        assert_true(strncmp(line, "::warning file=", 15) == 0);
        char *props = line + strlen("::warning ");
        char *end = strstr(props, "::");
        assert_non_null(end);
        *end = '\0';
        size_t file_len = strlen(ODD_GITHUB);
        const char *name = strstr(props, ODD_GITHUB);
        if (!name || name[file_len] != ',')
            fail_msg("the file property is not '…/%s': %s", ODD_GITHUB, props);
        static const char *const keys[] = {"file=", "line=", "col=", "endLine=", "endColumn=",
                                           "title="};
        size_t n = 0;
        for (char *prop = strtok(props, ","); prop; prop = strtok(NULL, ","), n++) {
            if (n >= 6 || strncmp(prop, keys[n], strlen(keys[n])) != 0)
                fail_msg("property %zu is '%s'", n, prop);
        }
        assert_int_equal(n, 6);
    }
    free(out);
    free(err);

    /* JSON lines: valid, no raw control byte, the name shown as the sanitiser shows it. */
    assert_int_equal(test_jmap(&out, &err, "check --diagnostics json '%s'", path), 0);
    assert_clean_output(out, strlen(out));
    size_t lines = 0;
    for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1, lines++) {
        json *j = json_parse(line, (size_t)(nl - line));
        assert_non_null(j);
        const char *file = json_str(j, "file");
        size_t fl = strlen(file), sl = strlen(ODD_SHOWN);
        assert_true(fl > sl && strcmp(file + fl - sl, ODD_SHOWN) == 0 && file[fl - sl - 1] == '/');
        json_free(j);
    }
    assert_true(lines > 0);
    free(out);
    free(err);
    free(path);
    free(dir);
}

/* Two maps with the same warning, one run: the SARIF log has one rule for both results. */
static void the_binary_writes_one_sarif_rule_for_a_code_in_two_maps(void **state)
{
    (void)state;
    char *dir = test_tmpdir("diag-format-sarif-two");
    char *a = put_warned_map(dir, "a.yaml");
    char *b = put_warned_map(dir, "b.yaml");
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "check --diagnostics sarif '%s' '%s'", a, b), 0);
    json *j = json_parse(out, strlen(out));
    assert_non_null(j);
    const json *run = json_at(json_get(j, "runs"), 0);
    const json *rules = json_get(json_get(json_get(run, "tool"), "driver"), "rules");
    const json *results = json_get(run, "results");
    assert_true(results->n_items > rules->n_items); /* codes repeat */
    /* the rules strictly sorted (so no id twice), each used by a result, each result's rule there */
    for (size_t i = 0; i + 1 < rules->n_items; i++)
        assert_true(strcmp(json_str(json_at(rules, i), "id"),
                           json_str(json_at(rules, i + 1), "id")) < 0);
    size_t *uses = calloc(rules->n_items, sizeof *uses);
    for (size_t r = 0; r < results->n_items; r++) {
        const char *id = json_str(json_at(results, r), "ruleId");
        size_t i = 0;
        while (i < rules->n_items && strcmp(json_str(json_at(rules, i), "id"), id) != 0)
            i++;
        if (i == rules->n_items)
            fail_msg("result %zu: no rule '%s'", r, id);
        uses[i]++;
    }
    for (size_t i = 0; i < rules->n_items; i++)
        assert_true(uses[i] > 0);
    free(uses);
    json_free(j);
    free(out);
    free(err);
    free(a);
    free(b);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_lines_each_parse_with_every_field),
        cmocka_unit_test(github_commands_have_the_workflow_form),
        cmocka_unit_test(sarif_log_has_the_required_structure),
        cmocka_unit_test(an_empty_sarif_log_is_still_valid),
        cmocka_unit_test(format_names_are_recognised),
        cmocka_unit_test(json_stays_valid_utf8_for_hostile_names_and_values),
        cmocka_unit_test(sarif_stays_valid_utf8_for_hostile_names_and_values),
        cmocka_unit_test(github_lines_cannot_be_forged),
        cmocka_unit_test(json_ends_a_cut_list_with_a_note),
        cmocka_unit_test(github_ends_a_cut_list_with_a_notice),
        cmocka_unit_test(sarif_ends_a_cut_list_with_a_note_result),
        cmocka_unit_test(sarif_lists_each_rule_once_however_many_results_use_it),
        cmocka_unit_test(json_string_escapes_every_control_byte),
        cmocka_unit_test(a_file_name_with_commas_colons_and_controls_is_escaped_by_the_binary),
        cmocka_unit_test(the_binary_writes_one_sarif_rule_for_a_code_in_two_maps),
    };
    return cmocka_run_group_tests_name("diag_format", tests, NULL, NULL);
}
