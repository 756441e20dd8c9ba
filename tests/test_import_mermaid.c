/*
 * The Mermaid journey importer: each grammar form, the mapping, clamping, entities, duplicate
 * sections, actor order, quoting that round-trips through jmap's own loader, and the command
 * `jmap import mermaid` (output file, --force, standard input, diagnostics formats).
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jmap/import_mermaid.h"
#include "jmap/jmap.h"
#include "jmap/load.h"
#include "support.h"

/* Parse `text` into *j (in arena a); returns whether it parsed, diagnostics in d. */
static bool parse(jmap_arena *a, const char *text, jmap_mermaid_journey *j, jmap_diags *d)
{
    jmap_diags_init(d);
    return jmap_mermaid_parse(a, "j.mmd", text, strlen(text), j, d);
}

/* Import `text` and compile the result with jmap's own passes; the map must have no error. */
static jmap_map *import_compile(jmap_arena *a, const char *text, char **yaml)
{
    jmap_diags d;
    jmap_diags_init(&d);
    size_t len = 0;
    *yaml = jmap_import_mermaid("j.mmd", "j.mmd", text, strlen(text), &len, &d);
    assert_non_null(*yaml);
    jmap_diags_release(&d);
    jmap_diags_init(&d);
    jmap_limits lim = jmap_limits_default();
    jmap_map *m = jmap_compile(a, "out.yaml", *yaml, len, &lim, &d);
    if (!m)
        fprintf(stderr, "%s\n", *yaml);
    assert_non_null(m);
    jmap_diags_release(&d);
    return m;
}

static void tasks_take_a_score_and_actors_with_or_without_spaces(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_mermaid_journey j;
    jmap_diags d;
    assert_true(parse(a,
                      "journey\nsection S\n  A:5:X\n  B : 4 : X , Y\n\tC: 3:\n  D: 2: Y:\n  E: 1: ,X,,\n",
                      &j, &d));
    assert_int_equal(j.n_tasks, 5);
    assert_string_equal(j.tasks[0].name, "A");
    assert_true(j.tasks[0].score == 5);
    assert_int_equal(j.tasks[0].n_actors, 1);
    assert_string_equal(j.tasks[1].name, "B");
    assert_int_equal(j.tasks[1].n_actors, 2);
    assert_string_equal(j.tasks[1].actors[1], "Y");
    assert_int_equal(j.tasks[2].n_actors, 0); /* an empty actor after a trailing colon */
    assert_int_equal(j.tasks[3].n_actors, 1); /* what follows a third ':' is ignored */
    assert_string_equal(j.tasks[3].actors[0], "Y");
    assert_int_equal(j.tasks[4].n_actors, 1);
    assert_int_equal(j.tasks[4].line, 7);
    assert_int_equal(j.tasks[4].col, 3);
    jmap_diags_release(&d);
    jmap_arena_free(a);
}

static void title_acc_title_and_acc_descr(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_mermaid_journey j;
    jmap_diags d;
    assert_true(parse(a,
                      "journey\n title  T: with colon # comment\naccTitle : AT # kept;\n"
                      "accDescr{ first\n  second\n}\nsection S\n x: 3\n",
                      &j, &d));
    assert_string_equal(j.title, "T: with colon");
    assert_string_equal(j.acc_title, "AT # kept;");
    assert_string_equal(j.acc_descr, "first second");
    jmap_diags_release(&d);
    /* a one-line block, and a statement after its '}' */
    assert_true(parse(a, "journey\naccDescr { one } section S\n x: 3\n", &j, &d));
    assert_string_equal(j.acc_descr, "one");
    assert_int_equal(j.n_sections, 1);
    jmap_diags_release(&d);
    /* an unknown entity in a block is reported in its own line (found by fuzz_mermaid: the
     * place was taken from the joined text, outside the line) */
    assert_true(parse(a, "journey\naccDescr {\n  x\n   #bad; y\n}\nsection S\n x: 3\n", &j,
                      &d));
    assert_string_equal(j.acc_descr, "x #bad; y");
    assert_diag_at(&d, "mermaid-entity", 4, 4);
    jmap_diags_release(&d);
    jmap_arena_free(a);
}

static void comments_directives_and_front_matter(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_mermaid_journey j;
    jmap_diags d;
    assert_true(parse(a,
                      "---\ntitle: FM\ndisplayMode: compact\n---\n%%{init: {\n \"a\": 1\n}}%%\n"
                      "# hash\njourney %% trailing\nsection S\n x: 3\n",
                      &j, &d));
    assert_string_equal(j.title, "FM");
    assert_diag_at(&d, "mermaid-ignored", 3, 1);
    assert_diag_at(&d, "mermaid-ignored", 5, 1);
    jmap_diags_release(&d);
    /* a title statement wins over the front matter's */
    assert_true(parse(a, "---\ntitle: FM\n---\njourney\ntitle Own\nsection S\n x: 3\n", &j, &d));
    assert_string_equal(j.title, "Own");
    jmap_diags_release(&d);
    /* front matter that is no YAML mapping, or no YAML */
    assert_false(parse(a, "---\n- a\n---\njourney\nsection S\n x: 3\n", &j, &d));
    assert_diag_at(&d, "mermaid-syntax", 2, 0);
    jmap_diags_release(&d);
    assert_false(parse(a, "---\na: [\n---\njourney\nsection S\n x: 3\n", &j, &d));
    assert_non_null(test_diag_find(&d, "mermaid-syntax"));
    jmap_diags_release(&d);
    jmap_arena_free(a);
}

static void entities_and_line_breaks(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    const char *unknown = NULL;
    const char *in = "a#35;b #quot;q#quot; #9829; #nbsp;x<br>y<BR/>z</br />w<br\t/>v #0; #1;";
    assert_string_equal(jmap_mermaid_text(a, in, strlen(in), &unknown),
                        "a#b \"q\" \xE2\x99\xA5 x y z w v #0;");
    assert_non_null(unknown); /* #0; is no character */
    assert_string_equal(jmap_mermaid_text(a, "<b>  x\t y <br", 13, NULL), "<b> x y <br");
    assert_string_equal(jmap_mermaid_text(a, "#128578;#x;#;", 13, &unknown), "\xF0\x9F\x99\x82#x;#;");
    assert_string_equal(jmap_mermaid_text(a, "#55296;#9999999;", 16, NULL), "#55296;#9999999;");
    jmap_arena_free(a);
}

static void slugs(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    assert_string_equal(jmap_mermaid_slug(a, "Go to Work!", "x"), "go-to-work");
    assert_string_equal(jmap_mermaid_slug(a, "--A__b--", "x"), "a-b");
    assert_string_equal(jmap_mermaid_slug(a, "日本", "stage"), "stage");
    assert_string_equal(jmap_mermaid_slug(a, "Zoë Æsir Łódź straße ×", "x"), "zoe-aesir-lodz-strasse");
    assert_int_equal(strlen(jmap_mermaid_slug(
                         a, "a very long section name that goes on and on and on and on", "x")),
                     40);
    jmap_arena_free(a);
}

static void mapping_follows_the_issue(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    char *yaml;
    jmap_map *m = import_compile(a,
                                 "journey\naccTitle: Acc\naccDescr: Desc\n"
                                 "section Browse\n  Look: 1: Zed, Amy\n  Think: 3\n"
                                 "section Buy\n  Pay: 5: Amy\nsection Browse\n  Again: 4: Bob\n",
                                 &yaml);
    assert_string_equal(m->title.s, "Acc"); /* accTitle when there is no title */
    assert_string_equal(m->subtitle.s, "Desc");
    assert_int_equal(m->n_personas, 3);
    assert_string_equal(m->personas[0].id.s, "zed");
    assert_string_equal(m->personas[1].id.s, "amy");
    assert_string_equal(m->personas[2].name.s, "Bob");
    assert_int_equal(m->n_stages, 3);
    assert_string_equal(m->stages[2].id.s, "browse-2");
    assert_string_equal(m->stages[2].name.s, "Browse");
    assert_int_equal(m->n_touchpoints, 4);
    assert_true(m->touchpoints[0].emotion.v == -2);
    assert_null(m->touchpoints[1].persona.s); /* no actor: no persona key */
    assert_int_equal(m->touchpoints[1].n_personas, 0);
    assert_true(m->touchpoints[2].emotion.v == 2);
    assert_string_equal(m->touchpoints[3].stage.s, "browse-2");
    /* the key order of SCHEMA.md */
    const char *t = strstr(yaml, "\ntitle:"), *s = strstr(yaml, "\nsubtitle:"),
               *p = strstr(yaml, "\npersonas:"), *st = strstr(yaml, "\nstages:"),
               *tp = strstr(yaml, "\ntouchpoints:");
    assert_true(t && s && p && st && tp && t < s && s < p && p < st && st < tp);
    free(yaml);
    jmap_arena_free(a);
}

static void quoting_round_trips_through_the_loader(void **state)
{
    (void)state;
    static const char *const names[] = {
        "a: b",   "x # y", "#35;lead", "- dash",    "? q",  "'single'", "#quot;double#quot;",
        "yes",    "No",    "null",     "~",         "12",   "1.5",      "0x1F",
        "-3",     ".5",    "@at",      "`tick",     "&amp", "*star",    "!bang",
        "%pct",   "|pipe", ">fold",    "[a, b]",    "{a}",  "Zoë 日本", "\xF0\x9F\x99\x82 smile",
        "back\\", "tab\tin"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        jmap_arena *a = jmap_arena_new();
        char *text = jmap_xprintf("journey\ntitle %s\nsection %s\n  %s: 3: %s\n", names[i],
                                  names[i], names[i], names[i]);
        /* what the parser made of the name is what the loader reads back */
        jmap_mermaid_journey j;
        jmap_diags d;
        const char *want = jmap_mermaid_text(a, names[i], strlen(names[i]), NULL);
        if (parse(a, text, &j, &d)) {
            char *yaml;
            jmap_map *m = import_compile(a, text, &yaml);
            assert_string_equal(m->title.s, want);
            assert_string_equal(m->stages[0].name.s, want);
            assert_string_equal(m->touchpoints[0].name.s, want);
            if (!strchr(names[i], ',')) /* a comma separates actors */
                assert_string_equal(m->personas[0].name.s, want);
            free(yaml);
        }
        jmap_diags_release(&d);
        free(text);
        jmap_arena_free(a);
    }
}

static void scores_are_clamped_or_refused(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_mermaid_journey j;
    jmap_diags d;
    assert_true(parse(a, "journey\nsection S\n  x: 6\n  y:-1\n  z: +2.5\n", &j, &d));
    assert_diag_at(&d, "mermaid-score-clamped", 3, 6);
    assert_diag_at(&d, "mermaid-score-clamped", 4, 5);
    assert_true(j.tasks[0].score == 5 && j.tasks[1].score == 1 && j.tasks[2].score == 2.5);
    jmap_diags_release(&d);
    static const char *const bad[] = {"x: 1e1", "x: 3x", "x: .", "x: 5 5", "x:  : a",
                                      "x: 123456789012345678901234567890123"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *text = jmap_xprintf("journey\nsection S\n%s\n", bad[i]);
        assert_false(parse(a, text, &j, &d));
        assert_diag_at(&d, "mermaid-score", 3, 0);
        jmap_diags_release(&d);
        free(text);
    }
    jmap_arena_free(a);
}

static void errors_stop_the_import(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_mermaid_journey j;
    jmap_diags d;
    assert_false(parse(a, "", &j, &d));
    assert_non_null(test_diag_find(&d, "mermaid-not-journey"));
    jmap_diags_release(&d);
    assert_false(parse(a, "erDiagram\n", &j, &d));
    assert_diag_at(&d, "mermaid-not-journey", 1, 1);
    assert_non_null(strstr(d.items[0].msg, "'erDiagram'"));
    jmap_diags_release(&d);
    assert_false(parse(a, "journey\ntitle x; y\nsection S\n a: 3\n", &j, &d));
    assert_diag_at(&d, "mermaid-syntax", 2, 8);
    jmap_diags_release(&d);
    assert_false(parse(a, "journey\nsection S; T\n a: 3\n", &j, &d));
    assert_diag_at(&d, "mermaid-syntax", 2, 10);
    jmap_diags_release(&d);
    assert_false(parse(a, "journey\nsection S\n a; 3\n", &j, &d));
    assert_diag_at(&d, "mermaid-syntax", 3, 3);
    jmap_diags_release(&d);
    /* UTF-16 is named as such */
    assert_false(jmap_mermaid_parse(a, "j.mmd", "\xFF\xFEj\0", 4, &j, &d));
    assert_non_null(test_diag_find(&d, "invalid-encoding"));
    jmap_diags_release(&d);
    assert_false(jmap_mermaid_parse(a, "j.mmd", "journey\n\0", 9, &j, &d));
    assert_diag_at(&d, "invalid-encoding", 2, 1);
    jmap_diags_release(&d);
    jmap_arena_free(a);
}

/* `head`, then `n` copies of `line`, each with its number after it when `numbered`. */
static char *repeat(const char *head, const char *line, size_t n, bool numbered)
{
    size_t cap = strlen(head) + n * (strlen(line) + 24) + 1, len = strlen(head);
    char *t = jmap_xmalloc(cap);
    memcpy(t, head, len + 1);
    for (size_t i = 0; i < n; i++) {
        memcpy(t + len, line, strlen(line) + 1);
        len += strlen(line);
        if (numbered)
            len += (size_t)snprintf(t + len, cap - len, "%zu\n", i);
    }
    return t;
}

static void the_limits_of_a_map_hold(void **state)
{
    (void)state;
    jmap_limits lim = jmap_limits_default();
    jmap_arena *a = jmap_arena_new();
    jmap_mermaid_journey j;
    jmap_diags d;
    char *t = repeat("journey\n", "section s\n", lim.max_stages + 1, false);
    assert_false(parse(a, t, &j, &d));
    assert_diag_at(&d, "too-many", (unsigned)lim.max_stages + 2, 1);
    jmap_diags_release(&d);
    free(t);
    /* many repeats of one name get quick, unique ids */
    t = repeat("journey\n", "section s\nx: 3\n", lim.max_stages, false);
    char *yaml;
    jmap_map *m = import_compile(a, t, &yaml);
    assert_string_equal(m->stages[lim.max_stages - 1].id.s, "s-1000");
    free(yaml);
    free(t);
    t = repeat("journey\nsection s\n", "x: 3: a", lim.max_personas + 1, true);
    assert_false(parse(a, t, &j, &d));
    assert_diag_at(&d, "too-many", (unsigned)lim.max_personas + 3, 0);
    jmap_diags_release(&d);
    free(t);
    t = repeat("journey\nsection s\n", "x:3\n", lim.max_touchpoints + 1, false);
    assert_false(parse(a, t, &j, &d));
    assert_diag_at(&d, "too-many", (unsigned)lim.max_touchpoints + 3, 1);
    jmap_diags_release(&d);
    free(t);
    t = repeat("journey\nsection ", "xxxxxxxxxxxxxxxx", lim.max_string_bytes / 16 + 1, false);
    assert_false(parse(a, t, &j, &d));
    assert_diag_at(&d, "string-too-long", 2, 9);
    jmap_diags_release(&d);
    free(t);
    jmap_arena_free(a);
}

static void a_byte_order_mark_and_cr_line_ends(void **state)
{
    (void)state;
    jmap_arena *a = jmap_arena_new();
    jmap_mermaid_journey j;
    jmap_diags d;
    assert_true(parse(a, "\xEF\xBB\xBFjourney\rsection S\r x: 3\r y: 9\r", &j, &d));
    assert_int_equal(j.n_tasks, 2);
    assert_diag_at(&d, "mermaid-score-clamped", 4, 5);
    jmap_diags_release(&d);
    jmap_arena_free(a);
}

/* ---- the command ---- */

static void the_command_writes_stdout_a_file_and_refuses_to_overwrite(void **state)
{
    (void)state;
    char *dir = test_tmpdir("import-mermaid");
    char *in = test_put(dir, "j.mmd", "journey\ntitle T\nsection S\n  x: 3: Ana\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "import mermaid '%s'", in), 0);
    assert_non_null(strstr(out, "title: T\n"));
    char *first = out;
    free(err);
    /* byte-reproducible */
    assert_int_equal(test_jmap(&out, &err, "import mermaid '%s'", in), 0);
    assert_string_equal(first, out);
    free(first);
    free(out);
    free(err);
    char *target = jmap_xprintf("%s/map.yaml", dir);
    assert_int_equal(test_jmap(&out, &err, "import mermaid '%s' -o '%s'", in, target), 0);
    free(out);
    free(err);
    /* the written map checks */
    assert_int_equal(test_jmap(&out, &err, "check '%s'", target), 0);
    free(out);
    free(err);
    /* an existing output needs --force, as jmap new */
    assert_int_equal(test_jmap(&out, &err, "import mermaid '%s' -o '%s'", in, target), 3);
    assert_non_null(strstr(err, "--force"));
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "import mermaid '%s' -o '%s' --force", in, target),
                     0);
    free(out);
    free(err);
    /* never over the Mermaid file itself, --force or not */
    assert_int_equal(test_jmap(&out, &err, "import mermaid '%s' -o '%s' --force", in, in), 2);
    assert_non_null(strstr(err, "output-overwrites-input"));
    char *kept = test_read_file(in, NULL);
    assert_non_null(strstr(kept, "journey"));
    free(kept);
    free(out);
    free(err);
    /* standard input */
    assert_int_equal(test_jmap(&out, &err, "import mermaid - < '%s'", in), 0);
    assert_non_null(strstr(out, "from standard input\n"));
    free(out);
    free(err);
    free(target);
    free(in);
    free(dir);
}

static void the_command_reports_errors_in_every_format(void **state)
{
    (void)state;
    char *dir = test_tmpdir("import-mermaid-err");
    char *in = test_put(dir, "g.mmd", "graph TD\n  A --> B\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "import mermaid '%s'", in), 1);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "g.mmd:1:1: error: this is a Mermaid 'graph' diagram"));
    free(out);
    free(err);
    /* machine formats go to standard error while the map would go to standard output */
    assert_int_equal(test_jmap(&out, &err, "import mermaid --diagnostics json '%s'", in), 1);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "\"code\":\"mermaid-not-journey\""));
    free(out);
    free(err);
    char *target = jmap_xprintf("%s/o.yaml", dir);
    assert_int_equal(
        test_jmap(&out, &err, "import mermaid --diagnostics github '%s' -o '%s'", in, target), 1);
    assert_non_null(strstr(out, "::error file="));
    free(out);
    free(err);
    struct stat st;
    assert_true(stat(target, &st) != 0); /* nothing written */
    assert_int_equal(
        test_jmap(&out, &err, "import mermaid --diagnostics sarif '%s' -o '%s'", in, target), 1);
    assert_non_null(strstr(out, "mermaid-not-journey"));
    free(out);
    free(err);
    /* -q drops the warnings, --werror makes them errors */
    char *warn = test_put(dir, "w.mmd", "journey\nsection S\n  x: 9: A\n");
    assert_int_equal(test_jmap(&out, &err, "import mermaid -q '%s'", warn), 0);
    assert_string_equal(err, "");
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "import mermaid --werror '%s'", warn), 1);
    assert_non_null(strstr(err, "mermaid-score-clamped"));
    free(out);
    free(err);
    free(warn);
    free(target);
    free(in);
    free(dir);
}

static void the_command_checks_its_arguments(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    assert_int_equal(test_jmap(&out, &err, "import"), 2);
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "import plantuml x"), 2);
    assert_non_null(strstr(err, "'plantuml'"));
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "import mermaid"), 2);
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "import mermaid a b"), 2);
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "import mermaid --nope x"), 2);
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "import mermaid /nonexistent/x.mmd"), 3);
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "import mermaid --max-input-size 5 - < /dev/null"), 1);
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "import -h"), 0);
    assert_non_null(strstr(out, "usage: jmap import mermaid"));
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "import mermaid x --help"), 0);
    free(out);
    free(err);
}

static void a_file_name_cannot_break_out_of_the_comment(void **state)
{
    (void)state;
    jmap_diags d;
    jmap_diags_init(&d);
    size_t len;
    const char *text = "journey\nsection S\n x: 3\n";
    char *yaml = jmap_import_mermaid("x", "a\nb: evil\xC2\x85" "c\xE2\x80\xA8" "d.mmd", text,
                                     strlen(text), &len, &d);
    assert_non_null(yaml);
    /* one comment line, then the map */
    assert_true(yaml[0] == '#');
    assert_non_null(strstr(yaml, "\njmap: 1\n"));
    assert_ptr_equal(strchr(yaml, '\n') + 1, strstr(yaml, "jmap: 1\n"));
    assert_null(strstr(yaml, "\xC2\x85"));
    assert_null(strstr(yaml, "\xE2\x80\xA8"));
    jmap_arena *a = jmap_arena_new();
    jmap_limits lim = jmap_limits_default();
    jmap_diags_release(&d);
    jmap_diags_init(&d);
    assert_non_null(jmap_compile(a, "o.yaml", yaml, len, &lim, &d));
    assert_null(test_diag_find(&d, "unknown-key"));
    jmap_arena_free(a);
    jmap_diags_release(&d);
    free(yaml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tasks_take_a_score_and_actors_with_or_without_spaces),
        cmocka_unit_test(title_acc_title_and_acc_descr),
        cmocka_unit_test(comments_directives_and_front_matter),
        cmocka_unit_test(entities_and_line_breaks),
        cmocka_unit_test(slugs),
        cmocka_unit_test(mapping_follows_the_issue),
        cmocka_unit_test(quoting_round_trips_through_the_loader),
        cmocka_unit_test(scores_are_clamped_or_refused),
        cmocka_unit_test(errors_stop_the_import),
        cmocka_unit_test(a_byte_order_mark_and_cr_line_ends),
        cmocka_unit_test(the_limits_of_a_map_hold),
        cmocka_unit_test(the_command_writes_stdout_a_file_and_refuses_to_overwrite),
        cmocka_unit_test(the_command_reports_errors_in_every_format),
        cmocka_unit_test(the_command_checks_its_arguments),
        cmocka_unit_test(a_file_name_cannot_break_out_of_the_comment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
