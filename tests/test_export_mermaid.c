/*
 * The Mermaid export (src/export_mermaid.c): the text for small maps, the score, the escaping,
 * --persona, the mermaid-lossy note; and through the binary: -o .mmd, -f mermaid, -f markdown,
 * -O with several -f, --check, --split-personas, --depfile, --keep-mtime, reproducibility.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "jmap/export_mermaid.h"
#include "support.h"

typedef struct compiled {
    jmap_arena *a;
    jmap_diags d;
    jmap_map *m;
} compiled;

static compiled compile(const char *yaml)
{
    compiled c = {.a = jmap_arena_new()};
    jmap_diags_init(&c.d);
    c.m = test_compile(c.a, yaml, &c.d);
    if (!c.m) {
        char *text = test_diags_text(&c.d);
        print_error("the map does not compile:\n%s", text);
        free(text);
        fail();
    }
    return c;
}

static void release(compiled *c)
{
    jmap_diags_release(&c->d);
    jmap_arena_free(c->a);
}

static char *export(const compiled *c, const char *only, const char *source, bool markdown)
{
    jmap_mermaid_opts o = {.only_persona = only, .source = source, .markdown = markdown};
    size_t len;
    char *text = jmap_export_mermaid_write(c->m, &o, &len);
    assert_int_equal(len, strlen(text));
    return text;
}

#define SMALL_MAP                                                                               \
    "title: Small\n"                                                                           \
    "personas:\n"                                                                              \
    "  - {id: ana, name: Ana}\n"                                                               \
    "  - {id: bo, name: Bo}\n"                                                                 \
    "stages:\n"                                                                                \
    "  - {id: one, name: One}\n"                                                               \
    "  - {id: two, name: Two}\n"                                                               \
    "  - {id: three, name: Three}\n"                                                           \
    "touchpoints:\n"                                                                           \
    "  - {stage: three, name: Late, emotion: 2, personas: [bo]}\n"                             \
    "  - {stage: one, name: Early, emotion: -1, personas: [ana, bo]}\n"                        \
    "  - {stage: one, name: Plain}\n"

static void small_map_text(void **state)
{
    (void)state;
    compiled c = compile(SMALL_MAP);
    char *text = export(&c, NULL, NULL, false);
    /* Three stages, two with touchpoints: two sections, in stage order; a touchpoint without
     * `personas` is every persona's; no emotion scores 3. */
    assert_string_equal(text, "journey\n"
                              "  title Small\n"
                              "  section One\n"
                              "    Early: 2: Ana, Bo\n"
                              "    Plain: 3: Ana, Bo\n"
                              "  section Three\n"
                              "    Late: 5: Bo\n");
    free(text);
    text = export(&c, NULL, "maps/small.yaml", true);
    assert_string_equal(text, "```mermaid\n"
                              "journey\n"
                              "  %% jmap export of small.yaml\n"
                              "  title Small\n"
                              "  section One\n"
                              "    Early: 2: Ana, Bo\n"
                              "    Plain: 3: Ana, Bo\n"
                              "  section Three\n"
                              "    Late: 5: Bo\n"
                              "```\n");
    free(text);
    release(&c);
}

static void persona_keeps_its_touchpoints_and_only_it_as_actor(void **state)
{
    (void)state;
    compiled c = compile(SMALL_MAP);
    char *text = export(&c, "ana", NULL, false);
    assert_string_equal(text, "journey\n"
                              "  title Small\n"
                              "  section One\n"
                              "    Early: 2: Ana\n"
                              "    Plain: 3: Ana\n");
    free(text);
    text = export(&c, "bo", NULL, false);
    assert_string_equal(text, "journey\n"
                              "  title Small\n"
                              "  section One\n"
                              "    Early: 2: Bo\n"
                              "    Plain: 3: Bo\n"
                              "  section Three\n"
                              "    Late: 5: Bo\n");
    free(text);
    release(&c);
}

static void no_personas_no_actors_and_no_title_no_title_line(void **state)
{
    (void)state;
    compiled c = compile("title: T\n"
                         "personas: [{id: p, name: P}]\n"
                         "stages: [{id: s, name: S}]\n"
                         "touchpoints: [{stage: s, name: N, emotion: 0}]\n");
    char *text = export(&c, NULL, NULL, false);
    assert_string_equal(text, "journey\n  title T\n  section S\n    N: 3: P\n");
    free(text);
    c.m->personas[0].name.s = NULL; /* the writer does not rely on a name: the id */
    text = export(&c, NULL, NULL, false);
    assert_string_equal(text, "journey\n  title T\n  section S\n    N: 3: p\n");
    free(text);
    c.m->touchpoints[0].n_persona_ix = 0; /* a touchpoint for no persona: no actors */
    text = export(&c, NULL, NULL, false);
    assert_string_equal(text, "journey\n  title T\n  section S\n    N: 3\n");
    free(text);
    c.m->title.s = NULL; /* a map always has a title; the writer does not rely on it */
    c.m->stages[0].name.s = NULL;
    text = export(&c, NULL, NULL, false);
    assert_string_equal(text, "journey\n  section s\n    N: 3\n");
    free(text);
    release(&c);
}

static int score(double v)
{
    return jmap_export_mermaid_score((jmap_num){.v = v, .set = true});
}

static void score_rounds_half_away_from_zero(void **state)
{
    (void)state;
    assert_int_equal(jmap_export_mermaid_score((jmap_num){.v = -2, .set = false}), 3);
    for (int e = -2; e <= 2; e++)
        assert_int_equal(score(e), e + 3);
    assert_int_equal(score(0.5), 4);
    assert_int_equal(score(-0.5), 2);
    assert_int_equal(score(0.49), 3);
    assert_int_equal(score(-0.49), 3);
    assert_int_equal(score(1.5), 5);
    assert_int_equal(score(-1.5), 1);
    assert_int_equal(score(1.2), 4);
    assert_int_equal(score(-1.7), 1);
    /* never outside Mermaid's 1..5, whatever the value */
    assert_int_equal(score(7), 5);
    assert_int_equal(score(-7), 1);
    assert_int_equal(score(NAN), 3);
}

static void check_escape(const char *in, jmap_mermaid_field f, const char *want)
{
    char *got = jmap_export_mermaid_escape(in, f);
    if (strcmp(got, want) != 0)
        fail_msg("escape(\"%s\", %d): got \"%s\", want \"%s\"", in ? in : "(null)", (int)f,
                 got, want);
    free(got);
}

static void escape_every_special_character(void **state)
{
    (void)state;
    static const char *const codes[][2] = {
        {":", "#58;"}, {"#", "#35;"}, {";", "#59;"}, {"%", "#37;"},
        {"<", "#60;"}, {">", "#62;"}, {"&", "#38;"}, {"\n", "<br>"},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        char *in = jmap_xprintf("a%sb", codes[i][0]);
        char *want = jmap_xprintf("a%sb", codes[i][1]);
        for (int f = JMAP_MERMAID_TITLE; f <= JMAP_MERMAID_ACTOR; f++)
            check_escape(in, (jmap_mermaid_field)f, want);
        free(in);
        free(want);
    }
    /* a comma splits actors, nothing else */
    check_escape("a,b", JMAP_MERMAID_ACTOR, "a#44;b");
    check_escape("a,b", JMAP_MERMAID_TASK, "a,b");
    check_escape("a,b", JMAP_MERMAID_SECTION, "a,b");
    /* leading and trailing white space would be trimmed; inner kept */
    check_escape(" a b\t", JMAP_MERMAID_TITLE, "#32;a b#9;");
    check_escape("  ", JMAP_MERMAID_ACTOR, "#32;#32;");
    check_escape("", JMAP_MERMAID_TASK, "#32;");
    check_escape(NULL, JMAP_MERMAID_SECTION, "#32;");
    /* a control character cannot be in SVG text */
    check_escape("a\001b\177", JMAP_MERMAID_TASK, "a#65533;b#65533;");
    /* "%%" starts a comment, "%%{" a directive */
    check_escape("50%%{x}", JMAP_MERMAID_TASK, "50#37;#37;{x}");
    /* a task name the lexer would take for a keyword */
    check_escape("journey", JMAP_MERMAID_TASK, "#106;ourney");
    check_escape("TITLE x", JMAP_MERMAID_TASK, "#84;ITLE x");
    check_escape("section", JMAP_MERMAID_TASK, "#115;ection");
    check_escape("accTitle", JMAP_MERMAID_TASK, "#97;ccTitle");
    check_escape("accdescr", JMAP_MERMAID_TASK, "#97;ccdescr");
    check_escape(" journey", JMAP_MERMAID_TASK, "#32;#106;ourney");
    check_escape("journey", JMAP_MERMAID_SECTION, "journey");
    check_escape("my journey", JMAP_MERMAID_TASK, "my journey");
    /* UTF-8 passes as it is */
    check_escape("Zoë → café", JMAP_MERMAID_ACTOR, "Zoë → café");
}

static void source_comment_is_one_line(void **state)
{
    (void)state;
    compiled c = compile(SMALL_MAP);
    char *text = export(&c, NULL, "dir/evil\nname\033[2J.yaml", false);
    assert_non_null(strstr(text, "  %% jmap export of evil\\x0aname\\x1b[2J.yaml\n  title Small\n"));
    free(text);
    text = export(&c, NULL, "x%%{init: {'theme': 'dark'}}%%.yaml", false);
    assert_non_null(strstr(text, "  %% jmap export of x#37;#37;{init: {'theme': 'dark'}}#37;#37;.yaml\n"));
    free(text);
    text = export(&c, NULL, "-", false);
    assert_non_null(strstr(text, "  %% jmap export of standard input\n"));
    free(text);
    release(&c);
}

static const char *note_text(const jmap_diags *d)
{
    const jmap_diag *g = test_diag_find(d, "mermaid-lossy");
    return g ? g->msg : NULL;
}

static void lossy_note_counts(void **state)
{
    (void)state;
    compiled c = compile("title: T\n"
                         "subtitle: S\n"
                         "state: future\n"
                         "personas:\n"
                         "  - {id: ana, name: Ana, role: R, goals: [a, b]}\n"
                         "  - {id: bo, name: Bo, role: R2, goals: [c]}\n"
                         "stages:\n"
                         "  - {id: s, name: S, goal: G, description: D,\n"
                         "     kpis: [{name: K, target: 1, actual: 1}]}\n"
                         "  - {id: e, name: E, goal: G2}\n"
                         "touchpoints:\n"
                         "  - {stage: s, name: A, personas: [ana], pain: p, opportunity: o,\n"
                         "     backstage: b, thought: t, action: a, channel: c, owner: w,\n"
                         "     url: 'https://example.com',\n"
                         "     kpis: [{name: K1, target: 1, actual: 1}, {name: K2, target: 1, "
                         "actual: 1}]}\n"
                         "  - {stage: s, name: B, personas: [bo], pain: q}\n");
    jmap_diags d;
    jmap_diags_init(&d);
    assert_int_equal(jmap_export_mermaid_note(c.m, NULL, &d), 23);
    assert_int_equal(d.n_notes, 1);
    assert_string_equal(note_text(&d),
                        "mermaid cannot show 1 subtitle, 1 state, 1 stage without touchpoints, "
                        "2 stage goals, 1 stage description, 3 KPIs, 1 action, 1 thought, "
                        "2 pain points, 1 opportunity, 1 backstage note, 1 channel, 1 owner, "
                        "1 link, 2 persona roles, 3 persona goals");
    assert_string_equal(test_diag_find(&d, "mermaid-lossy")->loc.file, "test.yaml");
    jmap_diags_release(&d);
    /* --persona bo: Bo's touchpoint, stage and persona only */
    jmap_diags_init(&d);
    assert_int_equal(jmap_export_mermaid_note(c.m, "bo", &d), 10);
    assert_string_equal(note_text(&d),
                        "mermaid cannot show 1 subtitle, 1 state, 1 stage without touchpoints, "
                        "2 stage goals, 1 stage description, 1 KPI, 1 pain point, "
                        "1 persona role, 1 persona goal");
    jmap_diags_release(&d);
    release(&c);

    /* nothing lost: no note */
    c = compile("title: T\npersonas: [{id: p, name: P}]\nstages: [{id: s, name: S}]\n"
                "touchpoints: [{stage: s, name: N}]\n");
    jmap_diags_init(&d);
    assert_int_equal(jmap_export_mermaid_note(c.m, NULL, &d), 0);
    assert_int_equal(d.n_items, 0);
    jmap_diags_release(&d);
    release(&c);
}

/* ---- through the binary ---------------------------------------------------------------- */

static char *read_text(const char *dir, const char *name)
{
    char *path = jmap_xprintf("%s/%s", dir, name);
    size_t len;
    char *text = test_read_file(path, &len);
    free(path);
    return text;
}

static bool exists(const char *dir, const char *name)
{
    char *path = jmap_xprintf("%s/%s", dir, name);
    bool ok = access(path, F_OK) == 0;
    free(path);
    return ok;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

#define WANT_SMALL                                                                              \
    "journey\n"                                                                                \
    "  %% jmap export of m.yaml\n"                                                             \
    "  title Small\n"                                                                          \
    "  section One\n"                                                                          \
    "    Early: 2: Ana, Bo\n"                                                                  \
    "    Plain: 3: Ana, Bo\n"                                                                  \
    "  section Three\n"                                                                        \
    "    Late: 5: Bo\n"

static void build_writes_mmd_and_md(void **state)
{
    (void)state;
    char *dir = test_tmpdir("export-mermaid-build");
    char *map = test_put(dir, "m.yaml", SMALL_MAP);
    char *out, *err;
    /* -o NAME.mmd: the suffix picks the format; the note once */
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o '%s/a.mmd'", map, dir), 0);
    char *text = read_text(dir, "a.mmd");
    assert_string_equal(text, WANT_SMALL);
    assert_int_equal(count(err, "[mermaid-lossy]"), 1);
    assert_non_null(strstr(err, "mermaid cannot show 1 stage without touchpoints"));
    free(out);
    free(err);
    /* twice: byte-identical */
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o '%s/b.mmd'", map, dir), 0);
    char *again = read_text(dir, "b.mmd");
    assert_string_equal(again, text);
    free(again);
    free(out);
    free(err);
    /* -f mermaid to standard output */
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o - -f mermaid", map), 0);
    assert_string_equal(out, WANT_SMALL);
    free(out);
    free(err);
    /* -o NAME.md: the same in a fenced block */
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o '%s/r.md'", map, dir), 0);
    char *md = read_text(dir, "r.md");
    char *want_md = jmap_xprintf("```mermaid\n%s```\n", WANT_SMALL);
    assert_string_equal(md, want_md);
    free(md);
    free(out);
    free(err);
    /* -f markdown wins over the suffix */
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o '%s/x.txt' -f markdown", map, dir), 0);
    md = read_text(dir, "x.txt");
    assert_string_equal(md, want_md);
    free(md);
    free(want_md);
    free(out);
    free(err);
    free(text);
    free(map);
    free(dir);
}

static void out_dir_with_several_formats_and_check(void **state)
{
    (void)state;
    char *dir = test_tmpdir("export-mermaid-outdir");
    char *map = test_put(dir, "m.yaml", SMALL_MAP);
    char *out, *err;
    assert_int_equal(test_jmap(&out, &err,
                               "build '%s' -O '%s/pub' -f svg -f mermaid -f markdown "
                               "--depfile '%s/m.d'",
                               map, dir, dir),
                     0);
    assert_true(exists(dir, "pub/m.svg"));
    char *mmd = read_text(dir, "pub/m.mmd");
    assert_string_equal(mmd, WANT_SMALL);
    free(mmd);
    assert_true(exists(dir, "pub/m.md"));
    assert_int_equal(count(err, "[mermaid-lossy]"), 1); /* once per map */
    char *dep = read_text(dir, "m.d");
    assert_non_null(strstr(dep, "pub/m.mmd"));
    assert_non_null(strstr(dep, "pub/m.md"));
    free(dep);
    free(out);
    free(err);

    /* --check: fresh */
    assert_int_equal(test_jmap(&out, &err, "build --check '%s' -O '%s/pub' -f mermaid -f markdown",
                               map, dir),
                     0);
    assert_null(strstr(err, "stale"));
    free(out);
    free(err);
    /* --check: stale after an edit, and what is stale named */
    char *edited = jmap_xprintf("%s", SMALL_MAP);
    edited[strlen("title: Small") - 1] = 'L'; /* "title: SmalL" */
    free(test_put(dir, "m.yaml", edited));
    free(edited);
    assert_int_equal(test_jmap(&out, &err, "build --check '%s' -O '%s/pub' -f mermaid", map, dir),
                     4);
    assert_non_null(strstr(err, "pub/m.mmd' is stale [stale-output]"));
    free(out);
    free(err);
    mmd = read_text(dir, "pub/m.mmd");
    assert_string_equal(mmd, WANT_SMALL); /* --check wrote nothing */
    free(mmd);
    /* --check -o -: nothing to compare with, nothing written */
    assert_int_equal(test_jmap(&out, &err, "build --check '%s' -o - -f mermaid", map), 0);
    assert_string_equal(out, "");
    free(out);
    free(err);
    /* --check: missing */
    assert_int_equal(test_jmap(&out, &err, "build --check '%s' -O '%s/none' -f markdown", map, dir),
                     4);
    assert_non_null(strstr(err, "none/m.md' is missing [missing-output]"));
    free(out);
    free(err);
    free(map);
    free(dir);
}

static long long mtime_ns(const char *dir, const char *name)
{
    char *path = jmap_xprintf("%s/%s", dir, name);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    free(path);
    return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

static void persona_split_and_keep_mtime(void **state)
{
    (void)state;
    char *dir = test_tmpdir("export-mermaid-persona");
    char *map = test_put(dir, "m.yaml", SMALL_MAP);
    char *out, *err;
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o '%s/p.mmd' --persona ana", map, dir), 0);
    char *text = read_text(dir, "p.mmd");
    assert_string_equal(text, "journey\n"
                              "  %% jmap export of m.yaml\n"
                              "  title Small\n"
                              "  section One\n"
                              "    Early: 2: Ana\n"
                              "    Plain: 3: Ana\n");
    free(text);
    free(out);
    free(err);
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o '%s/s.mmd' --split-personas", map, dir),
                     0);
    text = read_text(dir, "s.bo.mmd");
    assert_non_null(strstr(text, "    Late: 5: Bo\n"));
    assert_null(strstr(text, "Ana"));
    free(text);
    text = read_text(dir, "s.ana.mmd");
    assert_null(strstr(text, "Late"));
    free(text);
    text = read_text(dir, "s.mmd");
    assert_string_equal(text, WANT_SMALL);
    free(text);
    free(out);
    free(err);
    /* an unchanged output is left alone under --keep-mtime */
    char *old = jmap_xprintf("touch -d '2001-01-01 00:00:00' '%s/s.mmd'", dir);
    assert_int_equal(test_run(old, NULL, NULL), 0);
    free(old);
    long long before = mtime_ns(dir, "s.mmd");
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o '%s/s.mmd' --keep-mtime", map, dir), 0);
    assert_true(mtime_ns(dir, "s.mmd") == before);
    free(out);
    free(err);
    /* and touched without it */
    assert_int_equal(test_jmap(&out, &err, "build '%s' -o '%s/s.mmd'", map, dir), 0);
    assert_true(mtime_ns(dir, "s.mmd") > before);
    free(out);
    free(err);
    free(map);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_map_text),
        cmocka_unit_test(persona_keeps_its_touchpoints_and_only_it_as_actor),
        cmocka_unit_test(no_personas_no_actors_and_no_title_no_title_line),
        cmocka_unit_test(score_rounds_half_away_from_zero),
        cmocka_unit_test(escape_every_special_character),
        cmocka_unit_test(source_comment_is_one_line),
        cmocka_unit_test(lossy_note_counts),
        cmocka_unit_test(build_writes_mmd_and_md),
        cmocka_unit_test(out_dir_with_several_formats_and_check),
        cmocka_unit_test(persona_split_and_keep_mtime),
    };
    return cmocka_run_group_tests_name("export_mermaid", tests, NULL, NULL);
}
