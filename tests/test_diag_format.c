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
#include "json.h"
#include "support.h"

/* Two errors and a warning, one with a hint, one with a message that needs escaping. */
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
                                "expected a string for 'title', found \"a\\b\"\n100%, really: yes");
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
        "'title', found \"a\\b\"%0A100%25, really: yes\n"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_lines_each_parse_with_every_field),
        cmocka_unit_test(github_commands_have_the_workflow_form),
        cmocka_unit_test(sarif_log_has_the_required_structure),
        cmocka_unit_test(an_empty_sarif_log_is_still_valid),
        cmocka_unit_test(format_names_are_recognised),
    };
    return cmocka_run_group_tests_name("diag_format", tests, NULL, NULL);
}
