/* The JSON Schemas (schema/jmap-*.schema.json, `jmap schema`): what jmap prints is what the
 * repository ships; Debian's python3-jsonschema, a real validator, accepts every example,
 * stage model, starter map and valid golden map and rejects the invalid golden maps whose error
 * a schema can express; maps derived from the schema get the same verdict from `jmap check`;
 * the patterns in rules.c say what the C checks do. tests/schema_check.py does the Python side. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/check_internal.h"
#include "jmap/arena.h"
#include "jmap/rules.h"
#include "jmap/schema.h"
#include "jmap/stages.h"
#include "support.h"

#define SCHEMA_DIR JMAP_SOURCE_DIR "/schema"
#define MAP_SCHEMA SCHEMA_DIR "/jmap-map.schema.json"
#define MODEL_SCHEMA SCHEMA_DIR "/jmap-stage-model.schema.json"
#define CHECKER "/usr/bin/python3 " JMAP_TEST_DIR "/schema_check.py"

static void need_validator(void)
{
    test_need_python_modules("python", "jsonschema, yaml", "python3-jsonschema python3-yaml");
}

/* Run schema_check.py; on failure print what it said. */
static void run_checker(const char *args, bool want_ok)
{
    char *cmd = jmap_xprintf(CHECKER " %s", args), *out, *err;
    int status = test_run(cmd, &out, &err);
    if ((status == 0) != want_ok) {
        /* to stderr first: cmocka cuts its own messages at 1,024 bytes */
        fprintf(stderr, "%s\nexit %d\n%s%s", cmd, status, out, err);
        fail_msg("schema_check.py %s", want_ok ? "failed" : "succeeded");
    }
    free(cmd);
    free(out);
    free(err);
}

/* Paths matching `pattern`, each quoted for the shell, joined by spaces. */
static char *quoted_glob(const char *pattern, size_t *n)
{
    glob_t g;
    char *list = jmap_xstrdup("");
    *n = 0;
    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            char *next = jmap_xprintf("%s '%s'", list, g.gl_pathv[i]);
            free(list);
            list = next;
        }
        *n = g.gl_pathc;
    }
    globfree(&g);
    return list;
}

/* ---- the shipped files and `jmap schema` ------------------------------------------------ */

static void the_shipped_schemas_are_what_jmap_schema_prints(void **state)
{
    (void)state;
    static const struct {
        const char *arg;
        jmap_schema_kind kind;
    } cases[] = {{"", JMAP_SCHEMA_MAP},
                 {"map", JMAP_SCHEMA_MAP},
                 {"model", JMAP_SCHEMA_MODEL},
                 {"stage-model", JMAP_SCHEMA_MODEL}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *path = jmap_xprintf(SCHEMA_DIR "/%s", jmap_schema_file_name(cases[i].kind));
        char *shipped = test_read_file(path, NULL), *out, *err;
        assert_int_equal(test_jmap(&out, &err, "schema %s", cases[i].arg), 0);
        if (strcmp(out, shipped) != 0)
            fail_msg("%s differs from `jmap schema %s`: regenerate it with\n"
                     "  ./build/jmap schema %s > %s",
                     path, cases[i].arg, cases[i].kind == JMAP_SCHEMA_MAP ? "map" : "model", path);
        assert_string_equal(err, "");
        char *lib = jmap_schema_json(cases[i].kind);
        assert_string_equal(lib, shipped);
        free(lib);
        free(out);
        free(err);
        free(shipped);
        free(path);
    }
}

static void jmap_schema_refuses_what_it_does_not_know(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(test_jmap(&out, &err, "schema mapp"), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "unknown schema 'mapp'; expected 'map' or 'model'"));
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "schema map model"), 2);
    assert_non_null(strstr(err, "at most one argument"));
    free(out);
    free(err);
    /* a hostile argument is shown escaped, like every other */
    assert_int_equal(test_jmap(&out, &err, "schema \"$(printf 'x\\033[2J')\""), 2);
    assert_null(strchr(err, '\033'));
    assert_non_null(strstr(err, "x\\x1b[2J"));
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "schema --help"), 0);
    assert_non_null(strstr(out, "usage: jmap schema [map|model]"));
    free(out);
    free(err);
    /* after the argument too, through the command's own option table */
    assert_int_equal(test_jmap(&out, &err, "schema model -h"), 0);
    assert_non_null(strstr(out, "usage: jmap schema [map|model]"));
    assert_null(strstr(out, "\"$schema\""));
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "schema --hepl"), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "unknown option '--hepl'; did you mean '--help'?"));
    free(out);
    free(err);
}

static void the_schemas_are_valid_draft_07_schemas(void **state)
{
    (void)state;
    need_validator();
    run_checker("metaschema " MAP_SCHEMA " " MODEL_SCHEMA, true);
    char *map = test_read_file(MAP_SCHEMA, NULL);
    assert_non_null(strstr(map, "\"$schema\": \"http://json-schema.org/draft-07/schema#\""));
    free(map);
}

/* ---- what must validate ----------------------------------------------------------------- */

/* The first line of every example names the schema, relative to the file, as
 * yaml-language-server reads it. */
static void assert_modeline(const char *path, const char *schema)
{
    char *text = test_read_file(path, NULL);
    char *want = jmap_xprintf("# yaml-language-server: $schema=%s\n", schema);
    if (strncmp(text, want, strlen(want)) != 0)
        fail_msg("%s does not start with the line\n%s", path, want);
    free(want);
    free(text);
}

static void every_example_and_stage_model_validates(void **state)
{
    (void)state;
    need_validator();
    glob_t g;
    assert_int_equal(glob(JMAP_SOURCE_DIR "/examples/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 5);
    for (size_t i = 0; i < g.gl_pathc; i++)
        assert_modeline(g.gl_pathv[i], "../schema/jmap-map.schema.json");
    globfree(&g);
    assert_int_equal(glob(JMAP_SOURCE_DIR "/examples/models/*.yaml", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++)
        assert_modeline(g.gl_pathv[i], "../../schema/jmap-stage-model.schema.json");
    globfree(&g);

    size_t n;
    char *maps = quoted_glob(JMAP_SOURCE_DIR "/examples/*.yaml", &n);
    char *args = jmap_xprintf("valid " MAP_SCHEMA " %s", maps);
    run_checker(args, true);
    free(args);
    free(maps);
    char *models = quoted_glob(JMAP_SOURCE_DIR "/examples/models/*.yaml", &n);
    assert_true(n >= 1);
    char *builtin = quoted_glob(JMAP_SOURCE_DIR "/stages/*.yaml", &n);
    assert_true(n >= 10);
    args = jmap_xprintf("valid " MODEL_SCHEMA " %s %s", models, builtin);
    run_checker(args, true);
    free(args);
    free(models);
    free(builtin);
}

static void every_starter_map_validates(void **state)
{
    (void)state;
    need_validator();
    char *dir = test_tmpdir("schema-starters");
    size_t n;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    char *list = jmap_xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *path = jmap_xprintf("%s/%s.yaml", dir, all[i].id);
        assert_int_equal(test_jmap(NULL, NULL, "new --model %s -o '%s'", all[i].id, path), 0);
        char *next = jmap_xprintf("%s '%s'", list, path);
        free(list);
        list = next;
        free(path);
    }
    char *args = jmap_xprintf("valid " MAP_SCHEMA " %s", list);
    run_checker(args, true);
    free(args);
    free(list);
    free(dir);
}

/* Where jmap wants text it takes any scalar; an editor reading YAML 1.2 sees true, 0x10 and
 * .inf as a boolean and numbers, and must not underline them. */
static void text_that_an_editor_reads_as_numbers_or_booleans_validates(void **state)
{
    (void)state;
    need_validator();
    char *dir = test_tmpdir("schema-scalars");
    char *path = test_put(dir, "map.yaml",
                          "title: true\n"
                          "subtitle: 2026\n"
                          "personas: [{id: true, name: 2026, goals: [yes, 0x10, .inf]},\n"
                          "           {id: 007, name: Bond}]\n"
                          "stages: [{id: a, goal: 1e3}]\n"
                          "touchpoints: [{stage: a, name: 1e3, personas: [\"true\", \"007\"],\n"
                          "               kpis: [{name: 42, target: 1, unit: false}]}]\n");
    assert_int_equal(test_jmap(NULL, NULL, "check --werror '%s'", path), 0);
    char *args = jmap_xprintf("valid " MAP_SCHEMA " '%s'", path);
    run_checker(args, true);
    free(args);
    free(path);
    free(dir);
}

/* ---- the golden maps: the schema's verdict is jmap's ------------------------------------- */

/* Invalid golden maps whose errors no JSON Schema can express: they validate, and jmap
 * rejects them. The test keeps the list honest both ways. */
static const struct {
    const char *file;
    const char *why;
} inexpressible[] = {
    {"control-character.yaml",
     "control characters inside text (tab and line breaks are allowed): a pattern on every text "
     "property would bury the descriptions editors show; YAML lets them in only as escapes"},
    {"duplicate-keys.yaml", "duplicate keys: a parsed document keeps one value per key"},
    {"duplicate-extension-keys.yaml", "duplicate keys: a parsed document keeps one value per key"},
    {"duplicate-ids.yaml", "unique ids: uniqueItems compares whole items, not one key of each"},
    {"unknown-persona.yaml", "a reference to a persona id declared elsewhere in the map"},
    {"unknown-stage.yaml", "a reference to a stage id of the map or of its model"},
    {"too-many-diagnostics.yaml", "its errors are references to an unknown stage"},
    {"cascade-close-match.yaml", "references to an unknown stage and an unknown persona"},
    {"unknown-ids-listed.yaml", "references to persona and stage ids declared elsewhere"},
    {"unknown-stage-builtin-model.yaml", "a reference to a stage id of the map's own stages"},
    {"unknown-model.yaml", "which model ids exist depends on the model path and the install"},
    {"unknown-model-far.yaml", "which model ids exist depends on the model path and the install"},
    {"unknown-model-stage.yaml", "the stage ids of the model the map names, in another file"},
    {"model-not-found.yaml", "whether the stage-model file exists"},
    {"path-outside-tree.yaml", "where a model path leads on the disk"},
};

static bool is_inexpressible(const char *path)
{
    const char *base = strrchr(path, '/') + 1;
    for (size_t i = 0; i < sizeof(inexpressible) / sizeof(inexpressible[0]); i++) {
        if (strcmp(base, inexpressible[i].file) == 0)
            return true;
    }
    return false;
}

static void golden_maps_get_jmaps_verdict_from_the_schema(void **state)
{
    (void)state;
    need_validator();
    glob_t g;
    assert_int_equal(glob(JMAP_TEST_DIR "/golden/diag/*.yaml", 0, NULL, &g), 0);
    assert_int_equal(glob(JMAP_TEST_DIR "/golden/layout/*.yaml", GLOB_APPEND, NULL, &g), 0);
    char *valid = jmap_xstrdup(""), *invalid = jmap_xstrdup(""), *cannot = jmap_xstrdup("");
    size_t n_valid = 0, n_invalid = 0, n_cannot = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *path = g.gl_pathv[i];
        int status = test_jmap(NULL, NULL, "check '%s'", path);
        assert_true(status == 0 || status == 1);
        char **list = status == 0 ? &valid : is_inexpressible(path) ? &cannot : &invalid;
        size_t *count = status == 0 ? &n_valid : is_inexpressible(path) ? &n_cannot : &n_invalid;
        if (status == 0 && is_inexpressible(path))
            fail_msg("%s is listed as an invalid map the schema cannot reject, but jmap "
                     "accepts it",
                     path);
        char *next = jmap_xprintf("%s '%s'", *list, path);
        free(*list);
        *list = next;
        (*count)++;
    }
    globfree(&g);
    assert_true(n_valid >= 5);
    assert_true(n_invalid >= 30);
    assert_int_equal(n_cannot, sizeof(inexpressible) / sizeof(inexpressible[0]));
    char *args = jmap_xprintf("valid " MAP_SCHEMA " %s", valid);
    run_checker(args, true);
    free(args);
    args = jmap_xprintf("invalid " MAP_SCHEMA " %s", invalid);
    run_checker(args, true);
    free(args);
    /* what the schema cannot express, it must not half-express: these validate */
    args = jmap_xprintf("valid " MAP_SCHEMA " %s", cannot);
    run_checker(args, true);
    free(args);
    free(valid);
    free(invalid);
    free(cannot);
}

/* ---- no drift ---------------------------------------------------------------------------- */

/* For every key of every mapping in each schema: values its type, enum, range, pattern and
 * required list accept and reject, each in a small map (or stage model) that `jmap check` must
 * judge the same. */
static void maps_derived_from_the_schema_get_the_same_verdict_from_jmap(void **state)
{
    (void)state;
    need_validator();
    char *dir = test_tmpdir("schema-probes");
    char *args = jmap_xprintf("probe " MAP_SCHEMA " '%s' '%s'", JMAP_BINARY, dir);
    run_checker(args, true);
    free(args);
    free(dir);
    /* stage-model files, each checked through a map that names it */
    dir = test_tmpdir("schema-probes-model");
    args = jmap_xprintf("probe " MODEL_SCHEMA " '%s' '%s'", JMAP_BINARY, dir);
    run_checker(args, true);
    free(args);
    free(dir);
}

/* The rules' patterns, read as POSIX extended regular expressions, accept exactly what the C
 * checks accept, over every short string of the characters that matter. */
static void compare(const char *pattern, bool (*valid)(const char *), const char *alphabet,
                    const char *prefix, size_t max_len)
{
    regex_t re;
    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    size_t k = strlen(alphabet), plen = strlen(prefix);
    char s[32];
    assert_true(plen + max_len < sizeof(s));
    memcpy(s, prefix, plen);
    size_t idx[16] = {0};
    for (size_t len = 0; len <= max_len; len++) {
        memset(idx, 0, sizeof(idx));
        for (;;) {
            for (size_t i = 0; i < len; i++)
                s[plen + i] = alphabet[idx[i]];
            s[plen + len] = '\0';
            bool by_re = regexec(&re, s, 0, NULL, 0) == 0;
            /* the C checks take non-empty strings: emptiness is check_nonempty's */
            if (s[0] && by_re != valid(s))
                fail_msg("'%s': pattern %s says %d, the C check %d", s, pattern, by_re, !by_re);
            size_t i = 0;
            while (i < len && ++idx[i] == k)
                idx[i++] = 0;
            if (i == len)
                break;
        }
    }
    regfree(&re);
}

static void the_patterns_are_the_c_checks(void **state)
{
    (void)state;
    compare(jmap_rule_id.pattern, check_id_valid, "az09-_A. ", "", 3);
    compare(jmap_rule_id.pattern, check_id_valid, "a-_Z", "2", 3);
    compare(jmap_rule_kpi_id.pattern, check_kpi_id_valid, "az.9-_A ", "", 3);
    compare(jmap_rule_kpi_id.pattern, check_kpi_id_valid, "a.-_Z", "2", 3);
    compare(jmap_rule_color.pattern, check_color_valid, "0aFg", "#", 7);
    compare(jmap_rule_color.pattern, check_color_valid, "#0f", "", 5);
    compare(jmap_rule_lang.pattern, check_lang_valid, "aZ1-_", "", 5);
    compare(jmap_rule_lang.pattern, check_lang_valid, "aZ1-", "en-", 6);
    compare(jmap_rule_lang.pattern, check_lang_valid, "a1-", "de-Latn-", 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_shipped_schemas_are_what_jmap_schema_prints),
        cmocka_unit_test(jmap_schema_refuses_what_it_does_not_know),
        cmocka_unit_test(the_patterns_are_the_c_checks),
        cmocka_unit_test(the_schemas_are_valid_draft_07_schemas),
        cmocka_unit_test(every_example_and_stage_model_validates),
        cmocka_unit_test(every_starter_map_validates),
        cmocka_unit_test(text_that_an_editor_reads_as_numbers_or_booleans_validates),
        cmocka_unit_test(golden_maps_get_jmaps_verdict_from_the_schema),
        cmocka_unit_test(maps_derived_from_the_schema_get_the_same_verdict_from_jmap),
    };
    return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
