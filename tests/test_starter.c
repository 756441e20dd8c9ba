#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/jmap.h"
#include "jmap/load.h"
#include "jmap/stages.h"
#include "jmap/starter.h"
#include "../src/load_schema.h"

/* `jmap new`, `jmap stages` and `jmap stages ID`: the starter maps must pass check with no
 * diagnostic of any kind, for every built-in model. */

static char *starter_for(const jmap_builtin_stage_model *b)
{
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_limits lim = jmap_limits_default();
    jmap_stage_model *m = jmap_load_stage_model(a, b->file, b->text, b->len, &lim, &d);
    assert_non_null(m);
    assert_int_equal(d.n_items, 0);
    char *text = jmap_starter_map(m, b->id);
    jmap_diags_release(&d);
    jmap_arena_free(a);
    assert_non_null(text);
    return text;
}

static void every_starter_map_compiles_without_any_diagnostic(void **state)
{
    (void)state;
    size_t n;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        char *text = starter_for(&all[i]);
        jmap_arena *a = jmap_arena_new();
        jmap_diags d;
        jmap_diags_init(&d);
        d.werror = true;
        jmap_limits lim = jmap_limits_default();
        jmap_map *map = jmap_compile(a, "starter.yaml", text, strlen(text), &lim, &d);
        if (!map || d.n_items != 0) {
            char *diags = test_diags_text(&d);
            fail_msg("starter map for '%s':\n%s\n%s", all[i].id, diags, text);
        }
        char *line = jmap_xprintf("\nmodel: %s\n", all[i].id);
        assert_non_null(strstr(text, line));
        free(line);

        /* Every stage has a touchpoint and its suggested KPIs; both personas travel. */
        assert_non_null(map->stage_model);
        assert_int_equal(map->n_personas, 2);
        for (size_t s = 0; s < map->n_stages; s++) {
            const jmap_stage *st = &map->stages[s];
            assert_int_equal(st->n_kpis, st->n_suggested_kpis);
            for (size_t k = 0; k < st->n_kpis; k++) {
                assert_string_equal(st->kpis[k].name.s, st->suggested_kpis[k].s);
                assert_true(st->kpis[k].target.set);
            }
            size_t used = 0;
            for (size_t t = 0; t < map->n_touchpoints; t++) {
                const jmap_touchpoint *tp = &map->touchpoints[t];
                used += tp->stage_ix == s;
                assert_non_null(tp->action.s);
                assert_non_null(tp->thought.s);
                assert_true(tp->emotion.set);
                assert_true(tp->pain.s || tp->opportunity.s);
            }
            assert_true(used >= 1 && used <= 2);
        }
        jmap_diags_release(&d);
        jmap_arena_free(a);
        free(text);
    }
}

static void a_starter_on_a_model_without_examples_still_compiles(void **state)
{
    (void)state;
    /* A model file of the user's own: unknown stage ids, a stage with no suggested KPI and
     * text that YAML would misread unless quoted. */
    const char *model = "id: own\n"
                        "name: \"Own: model\"\n"
                        "stages:\n"
                        "  - id: \"no\"\n"
                        "    description: \"Line one\\nline two # not a comment\"\n"
                        "    kpis: [\"Rate: visits\", \"#1 metric\"]\n"
                        "  - id: plain\n";
    jmap_arena *a = jmap_arena_new();
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_limits lim = jmap_limits_default();
    jmap_stage_model *m = jmap_load_stage_model(a, "own.yaml", model, strlen(model), &lim, &d);
    assert_non_null(m);
    assert_int_equal(d.n_items, 0);
    char *text = jmap_starter_map(m, "classic");
    jmap_arena_free(a);
    jmap_diags_release(&d);

    /* Compile it against the same model, written beside it. */
    char *dir = test_tmpdir("starter-own");
    char *model_path = jmap_xprintf("%s/own.yaml", dir);
    test_write_file(model_path, model, strlen(model));
    char *map_path = jmap_xprintf("%s/map.yaml", dir);
    char *p = strstr(text, "\nmodel: classic\n");
    assert_non_null(p);
    char *edited = jmap_xprintf("%.*s\nmodel: own.yaml\n%s", (int)(p - text), text, p + 16);
    a = jmap_arena_new();
    jmap_diags_init(&d);
    d.werror = true;
    jmap_map *map = jmap_compile(a, map_path, edited, strlen(edited), &lim, &d);
    if (!map || d.n_items != 0) {
        char *diags = test_diags_text(&d);
        fail_msg("%s\n%s", diags, edited);
    }
    assert_int_equal(map->n_stages, 2);
    assert_string_equal(map->stages[0].kpis[0].name.s, "Rate: visits");
    assert_string_equal(map->stages[0].kpis[1].name.s, "#1 metric");
    assert_int_equal(map->stages[1].n_kpis, 1);
    jmap_diags_release(&d);
    jmap_arena_free(a);
    free(edited);
    free(map_path);
    free(model_path);
    free(dir);
    free(text);
}

static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    fn(out, arg);
    fclose(out);
    return buf;
}

static void list_to(FILE *out, const void *arg)
{
    (void)arg;
    jmap_stage_models_list(out);
}

static void the_list_has_one_line_per_model_with_its_stages(void **state)
{
    (void)state;
    char *text = capture(list_to, NULL);
    size_t n, lines = 0;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, n);
    for (size_t i = 0; i < n; i++) {
        char *start = jmap_xprintf("%s ", all[i].id);
        assert_non_null(strstr(text, start));
        free(start);
    }
    assert_non_null(strstr(text, "awareness → consideration → decision → retention\n"));
    assert_non_null(strstr(text, "Pirate metrics (AARRR)"));
    free(text);
}

static bool described;

static void describe_to(FILE *out, const void *arg)
{
    described = jmap_stage_model_describe(out, arg);
}

static void describe_shows_each_stage_with_its_kpis(void **state)
{
    (void)state;
    char *text = capture(describe_to, "b2b-buying");
    assert_true(described);
    assert_non_null(strstr(text, "B2B buying jobs (Gartner) (b2b-buying)\n"));
    assert_non_null(strstr(text, "6. Consensus creation (consensus-creation)\n"));
    assert_non_null(strstr(text, "Suggested KPIs: Win rate, Sales cycle length, Demo requests\n"));
    free(text);

    text = capture(describe_to, "no-such-model");
    assert_false(described);
    assert_string_equal(text, "");
    free(text);
}

/* ---- the commands' own arguments and a standard output that cannot be written ------------ */

static void stages_and_new_answer_help_and_refuse_stray_arguments(void **state)
{
    (void)state;
    static const struct {
        const char *args;
        int status;
        const char *out; /* how standard output starts; NULL: it stays empty */
        const char *err; /* what standard error holds; NULL: it stays empty */
    } cases[] = {
        {"stages -h", 0, "usage: jmap stages [ID]\n", NULL},
        {"stages --help", 0, "usage: jmap stages [ID]\n", NULL},
        {"stages classic three-stage", 2, NULL, "stages takes at most one model id"},
        {"new -h", 0, "usage: jmap new [--model ID] [-o FILE] [--force]\n", NULL},
        {"new --help", 0, "usage: jmap new [--model ID] [-o FILE] [--force]\n", NULL},
        {"new --frobnicate", 2, NULL, "new: unknown option '--frobnicate'"},
        {"new --model classic start.yaml", 2, NULL, "new: unexpected argument 'start.yaml'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out, *err;
        int status = test_jmap(&out, &err, "%s", cases[i].args);
        bool out_ok = cases[i].out ? strncmp(out, cases[i].out, strlen(cases[i].out)) == 0
                                   : *out == '\0';
        bool err_ok = cases[i].err ? strstr(err, cases[i].err) != NULL : *err == '\0';
        if (status != cases[i].status || !out_ok || !err_ok)
            fail_msg("jmap %s: status %d (want %d)\nstdout: %s\nstderr: %s", cases[i].args,
                     status, cases[i].status, out, err);
        free(out);
        free(err);
    }
}

static void a_starter_that_cannot_be_written_is_an_io_error(void **state)
{
    (void)state;
    char *out, *err;
    /* a device is no existing map that --force would protect: written, and the write fails */
    assert_int_equal(test_jmap(&out, &err, "new --model classic -o /dev/full"), 3);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "/dev/full"));
    assert_non_null(strstr(err, "No space left on device"));
    free(out);
    free(err);
}

static void a_full_standard_output_is_an_io_error_not_success(void **state)
{
    (void)state;
    static const struct {
        const char *args, *err;
    } cases[] = {
        /* printed with stdio: main checks the stream when the command is done */
        {"stages", "jmap: cannot write standard output\n"},
        {"stages classic", "jmap: cannot write standard output\n"},
        /* written by the output writer, which names the file and the reason */
        {"new --model aarrr", "standard output: error: cannot write 'standard output': No space "
                              "left on device [io-error]\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err;
        int status = test_jmap(NULL, &err, "%s >/dev/full", cases[i].args);
        if (status != 3 || strcmp(err, cases[i].err) != 0)
            fail_msg("jmap %s >/dev/full: status %d, stderr '%s'", cases[i].args, status, err);
        free(err);
    }
}

/* ---- the starter's comments say what docs/format.md says ---------------------------------- */

/* The mapping a line of the starter is in: the top level, or an item of a top-level list. */
static const schema *mapping_at(const char *list, int indent)
{
    const schema *top = &jmap_load_map_schema;
    if (indent == 0 || !list)
        return top;
    for (size_t i = 0; i < top->n_fields; i++) {
        if (strcmp(top->fields[i].key, list) == 0)
            return top->fields[i].items;
    }
    return NULL;
}

static const field *field_of(const schema *sc, const char *key)
{
    for (size_t i = 0; sc && i < sc->n_fields; i++) {
        if (strcmp(sc->fields[i].key, key) == 0)
            return &sc->fields[i];
    }
    return NULL;
}

/* The row of docs/format.md's table for `key` under the section of mapping `sc`. */
static char *docs_row(const char *docs, const schema *sc, const char *key)
{
    const char *heading = sc == &jmap_load_map_schema ? "\n## Top-level keys\n"
                          : strcmp(sc->what, "persona") == 0    ? "\n## Personas\n"
                          : strcmp(sc->what, "stage") == 0      ? "\n## Stages\n"
                          : strcmp(sc->what, "touchpoint") == 0 ? "\n## Touchpoints\n"
                                                                : "\n## KPIs\n";
    const char *section = strstr(docs, heading);
    assert_non_null(section);
    char *start = jmap_xprintf("\n| `%s` |", key);
    const char *row = strstr(section, start);
    free(start);
    if (!row)
        return NULL;
    row++;
    return jmap_xstrndup(row, strcspn(row, "\n"));
}

/* The comment of a starter line (its values are plain or quoted, never holding " #"). */
static const char *comment_of(const char *line)
{
    bool quoted = false;
    for (const char *p = line; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        if (!quoted && *p == '#' && (p == line || p[-1] == ' '))
            return p + 1 + (p[1] == ' ');
    }
    return NULL;
}

/* "current | future" on the line of `key`: the words jmap accepts there, in its order, and
 * the ones the docs' row names. */
static void check_words(const char *comment, const field *f, const char *row)
{
    assert_non_null(f);
    assert_non_null(f->rule);
    assert_non_null(f->rule->words);
    char *copy = jmap_xstrdup(comment), *save = NULL;
    size_t n = 0;
    for (char *w = strtok_r(copy, "|", &save); w; w = strtok_r(NULL, "|", &save), n++) {
        while (*w == ' ')
            w++;
        w[strcspn(w, " ")] = '\0';
        assert_true(n < f->rule->n_words);
        assert_string_equal(w, f->rule->words[n]);
        char *ticked = jmap_xprintf("`%s`", w);
        if (!row || !strstr(row, ticked))
            fail_msg("docs/format.md's row for '%s' does not name %s", f->key, ticked);
        free(ticked);
    }
    assert_int_equal(n, f->rule->n_words);
    free(copy);
}

static void the_starter_comments_say_what_docs_format_md_says(void **state)
{
    (void)state;
    char *docs = test_read_file(JMAP_SOURCE_DIR "/docs/format.md", NULL);
    size_t n_models;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n_models);
    size_t n_words = 0, n_keys = 0, n_ranges = 0, n_commands = 0;
    for (size_t m = 0; m < n_models; m++) {
        char *text = starter_for(&all[m]);
        const char *list = NULL;
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            int indent = (int)strspn(line, " -");
            if (indent == 0 && line[0] != '#') {
                static char key[32];
                snprintf(key, sizeof(key), "%.*s", (int)strcspn(line, ":"), line);
                list = key;
            }
            const char *c = comment_of(line);
            if (!c)
                continue;
            /* a commented-out key: "# goal: what ...", a key of this mapping, as documented */
            if (line[strspn(line, " ")] == '#' && strchr(c, ':') && c[0] >= 'a' && c[0] <= 'z' &&
                strcspn(c, ":") < strcspn(c, " ")) {
                char *key = jmap_xstrndup(c, strcspn(c, ":"));
                const schema *sc = mapping_at(list, indent);
                if (!field_of(sc, key))
                    fail_msg("the starter suggests '%s', not a key of a %s", key, sc->what);
                char *row = docs_row(docs, sc, key);
                const char *meaning = c + strlen(key) + 2;
                if (!row || !strstr(row, meaning))
                    fail_msg("the starter says '%s: %s'; docs/format.md says:\n%s", key, meaning,
                             row ? row : "(no row)");
                n_keys++;
                free(row);
                free(key);
                continue;
            }
            /* "current | future" after `key: value` */
            if (strstr(c, " | ")) {
                char *key = jmap_xstrndup(line + indent, strcspn(line + indent, ":"));
                const schema *sc = mapping_at(list, indent);
                char *row = docs_row(docs, sc, key);
                check_words(c, field_of(sc, key), row);
                n_words++;
                free(row);
                free(key);
            }
            /* "emotion from -2 to +2" */
            const char *from = strstr(c, "emotion from ");
            if (from) {
                char *end;
                double lo = strtod(from + 13, &end);
                assert_true(strncmp(end, " to ", 4) == 0);
                double hi = strtod(end + 4, NULL);
                const field *f = field_of(mapping_at("touchpoints", 4), "emotion");
                assert_true(lo == f->rule->min && hi == f->rule->max);
                n_ranges++;
            }
            /* "jmap check map.yaml": a command jmap has */
            const char *cmd = strstr(c, "jmap ");
            if (cmd && line[0] == '#') {
                char *word = jmap_xstrndup(cmd + 5, strcspn(cmd + 5, " "));
                assert_int_equal(test_jmap(NULL, NULL, "%s --help", word), 0);
                free(word);
                n_commands++;
            }
        }
        free(text);
    }
    /* every model's starter has each kind of remark */
    assert_true(n_words >= n_models && n_keys >= n_models && n_ranges >= n_models &&
                n_commands >= 3 * n_models);
    free(docs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_starter_map_compiles_without_any_diagnostic),
        cmocka_unit_test(a_starter_on_a_model_without_examples_still_compiles),
        cmocka_unit_test(the_list_has_one_line_per_model_with_its_stages),
        cmocka_unit_test(describe_shows_each_stage_with_its_kpis),
        cmocka_unit_test(stages_and_new_answer_help_and_refuse_stray_arguments),
        cmocka_unit_test(a_starter_that_cannot_be_written_is_an_io_error),
        cmocka_unit_test(the_starter_comments_say_what_docs_format_md_says),
        cmocka_unit_test(a_full_standard_output_is_an_io_error_not_success),
    };
    return cmocka_run_group_tests_name("starter", tests, NULL, NULL);
}
