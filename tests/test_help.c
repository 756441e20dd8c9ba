/* The help (src/cli/help.c) and the man page, held to the commands' option tables: an option
 * a command accepts is in `jmap help COMMAND` and in that command's section of docs/jmap.1, so
 * neither can drift from the parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/cli/cli.h"
#include "../src/cli/help.h"
#include "../src/cli/options.h"
#include "support.h"

/* The options every command that reads maps shares (cli_common_option). */
static const struct option common_longopts[] = {CLI_COMMON_LONG_OPTIONS, {NULL, 0, NULL, 0}};

static bool is_common(const char *name)
{
    for (const struct option *o = common_longopts; o->name; o++) {
        if (strcmp(o->name, name) == 0)
            return true;
    }
    return false;
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '-';
}

/* `option` ("--output", "-o") appears in `text` as a word of its own. */
static bool mentions(const char *text, const char *option)
{
    size_t n = strlen(option);
    for (const char *p = strstr(text, option); p; p = strstr(p + 1, option)) {
        if ((p == text || !word_char(p[-1])) && !word_char(p[n]))
            return true;
    }
    return false;
}

static char *help_of(const char *command)
{
    char *out, *err;
    int status = test_jmap(&out, &err, "help %s", command);
    if (status != 0 || *err)
        fail_msg("jmap help %s: status %d, stderr %s", command, status, err);
    free(err);
    return out;
}

/* Every option of every command's table, as "--name" and "-c": `check` says whether `text`
 * for that command has it, and fails naming what is missing where. */
typedef const char *(*text_for)(const cli_option_table *t, const char *option, bool common);

static void each_option(text_for text, const char *where)
{
    size_t n;
    const cli_option_table *const *all = cli_option_tables(&n);
    for (size_t i = 0; i < n; i++) {
        const cli_option_table *t = all[i];
        if (!*t->command)
            continue; /* jmap's own -h and -V: the overview's, tested below */
        for (const struct option *o = t->longopts; o->name; o++) {
            char *opt = jmap_xprintf("--%s", o->name);
            const char *in = text(t, opt, is_common(o->name));
            if (!mentions(in, opt))
                fail_msg("'%s' of 'jmap %s' is missing from %s", opt, t->command, where);
            free(opt);
        }
        for (const char *c = t->shortopts; *c; c++) {
            if (*c == ':')
                continue;
            char opt[3] = {'-', *c, '\0'};
            const char *in = text(t, opt, is_common("quiet") && *c == 'q');
            if (!mentions(in, opt))
                fail_msg("'%s' of 'jmap %s' is missing from %s", opt, t->command, where);
        }
    }
}

static char *help_text;

static const char *help_for(const cli_option_table *t, const char *option, bool common)
{
    (void)option;
    (void)common;
    free(help_text);
    help_text = help_of(t->command);
    return help_text;
}

static void every_option_of_a_command_is_in_its_help(void **state)
{
    (void)state;
    each_option(help_for, "its 'jmap help'");
    free(help_text);
    help_text = NULL;
    /* a short option sits beside its long one: "-o, --output" */
    char *build = help_of("build");
    assert_non_null(strstr(build, "-o, --output FILE"));
    assert_non_null(strstr(build, "-q, --quiet"));
    free(build);
}

/* ---- the man page ------------------------------------------------------------------------- */

static char *man_page;

/* docs/jmap.1 without roff's escapes for a dash and font changes: "\-\-output" is "--output". */
static char *man_plain(void)
{
    char *roff = test_read_file(JMAP_SOURCE_DIR "/docs/jmap.1", NULL);
    char *plain = jmap_xcalloc(strlen(roff) + 1, 1);
    char *w = plain;
    for (const char *p = roff; *p; p++) {
        if (p[0] == '\\' && p[1] == '-') {
            *w++ = '-';
            p++;
        } else if (p[0] == '\\' && p[1] == 'f' && p[2]) {
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    free(roff);
    return plain;
}

/* The text of section `title` (".SH "JMAP BUILD"" or ".SH NAME"), up to the next .SH; a
 * copy the caller frees, "" when there is none. */
static char *man_section(const char *man, const char *title)
{
    char *quoted = jmap_xprintf("\n.SH \"%s\"\n", title);
    char *bare = jmap_xprintf("\n.SH %s\n", title);
    const char *at = strstr(man, quoted);
    size_t skip = strlen(quoted);
    if (!at) {
        at = strstr(man, bare);
        skip = strlen(bare);
    }
    free(quoted);
    free(bare);
    if (!at)
        return jmap_xstrdup("");
    at += skip;
    const char *end = strstr(at, "\n.SH ");
    return jmap_xstrndup(at, end ? (size_t)(end - at) : strlen(at));
}

static char *section_text;

static const char *man_for(const cli_option_table *t, const char *option, bool common)
{
    (void)option;
    free(section_text);
    if (common) {
        section_text = man_section(man_page, "OPTIONS FOR BUILD AND CHECK");
    } else {
        char *title = jmap_xprintf("JMAP %s", t->command);
        for (char *p = title; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        section_text = man_section(man_page, title);
        free(title);
    }
    return section_text;
}

static void every_option_of_a_command_is_in_its_man_page_section(void **state)
{
    (void)state;
    man_page = man_plain();
    each_option(man_for, "its section of docs/jmap.1");
    /* every command with help has a section, and the overview's options one too */
    size_t n;
    const char *const *names = cli_help_commands(&n);
    for (size_t i = 0; i < n; i++) {
        char *title = jmap_xprintf("JMAP %s", names[i]);
        for (char *p = title; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        char *s = man_section(man_page, title);
        if (!*s)
            fail_msg("docs/jmap.1 has no section \"%s\"", title);
        free(s);
        free(title);
    }
    char *global = man_section(man_page, "GLOBAL OPTIONS");
    assert_true(mentions(global, "--version") && mentions(global, "-V"));
    free(global);
    free(section_text);
    section_text = NULL;
    free(man_page);
    man_page = NULL;
}

static void the_man_page_renders_without_a_warning(void **state)
{
    (void)state;
    test_need_tool("groff", "groff-base");
    char *out, *err;
    /* -ww: every warning; -z: format, print nothing */
    int status = test_run("groff -man -Tutf8 -ww -z '" JMAP_SOURCE_DIR "/docs/jmap.1'", &out, &err);
    if (status != 0 || *err)
        fail_msg("groff: status %d\n%s", status, err);
    free(out);
    free(err);
    /* and man reads it as a man page, with a section per command */
    test_need_tool("man", "man-db");
    status = test_run("MANWIDTH=100 man -l '" JMAP_SOURCE_DIR "/docs/jmap.1' 2>&1", &out, NULL);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "JMAP BUILD"));
    assert_non_null(strstr(out, "-q, --quiet"));
    free(out);
}

/* ---- jmap help ---------------------------------------------------------------------------- */

static void help_command_and_command_help_print_the_same_whole_usage(void **state)
{
    (void)state;
    size_t n;
    const cli_option_table *const *all = cli_option_tables(&n);
    for (size_t i = 0; i < n; i++) {
        const char *cmd = all[i]->command;
        if (!*cmd)
            continue;
        char *whole = help_of(cmd);
        char *usage = jmap_xprintf("usage: jmap %s", cmd);
        assert_true(strncmp(whole, usage, strlen(usage)) == 0);
        assert_non_null(strstr(whole, "\nexit status:\n"));
        assert_non_null(strstr(whole, "\nexamples:\n"));
        free(usage);
        /* before and after the command */
        static const char *const spellings[][2] = {
            {"", " --help"}, {"", " -h"}, {"--help ", ""}, {"-h ", ""}};
        for (size_t k = 0; k < 4; k++) {
            char *args = jmap_xprintf("%s%s%s", spellings[k][0], cmd, spellings[k][1]);
            char *out, *err;
            int status = test_jmap(&out, &err, "%s", args);
            if (status != 0 || strcmp(out, whole) != 0 || *err)
                fail_msg("jmap %s: status %d, not what 'jmap help %s' prints:\n%s%s", args, status,
                         cmd, out, err);
            free(out);
            free(err);
            free(args);
        }
        free(whole);
    }
    /* --help after other options and a map goes through each command's parser */
    char *out;
    assert_int_equal(test_jmap(&out, NULL, "check --werror map.yaml --help"), 0);
    assert_true(strncmp(out, "usage: jmap check", 17) == 0);
    free(out);
    assert_int_equal(test_jmap(&out, NULL, "new -m hubspot --help"), 0);
    assert_true(strncmp(out, "usage: jmap new", 15) == 0);
    free(out);
}

static void the_overview_lists_every_command_and_points_at_jmap_help(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(test_jmap(&out, NULL, "--help"), 0);
    size_t n;
    const char *const *names = cli_help_commands(&n);
    assert_true(n >= 6);
    for (size_t i = 0; i < n; i++) {
        char *line = jmap_xprintf("\n  %s ", names[i]);
        if (!strstr(out, line))
            fail_msg("'jmap --help' does not list '%s':\n%s", names[i], out);
        free(line);
    }
    assert_non_null(strstr(out, "jmap help COMMAND"));
    assert_non_null(strstr(out, "'-'"));
    assert_true(mentions(out, "--version") && mentions(out, "-V"));
    free(out);
    /* the help of help, and of the schema command */
    char *help = help_of("help");
    assert_true(strncmp(help, "usage: jmap help [COMMAND]\n", 27) == 0);
    free(help);
    help = help_of("schema");
    assert_true(strncmp(help, "usage: jmap schema [map|model]\n", 31) == 0);
    free(help);
}

static void standard_input_and_quiet_are_documented(void **state)
{
    (void)state;
    static const char *const cmds[] = {"build", "check"};
    for (size_t i = 0; i < 2; i++) {
        char *help = help_of(cmds[i]);
        assert_non_null(strstr(help, "of '-' is read from standard input"));
        assert_non_null(strstr(help, "print errors only"));
        assert_non_null(strstr(help, "json, sarif and github output stays complete"));
        free(help);
    }
    char *man = man_plain();
    char *stdin_section = man_section(man, "STANDARD INPUT");
    assert_non_null(strstr(stdin_section, "is read from standard input"));
    free(stdin_section);
    free(man);
}

static void help_for_an_unknown_command_is_a_usage_error_with_did_you_mean(void **state)
{
    (void)state;
    static const struct {
        const char *args, *err;
    } cases[] = {
        {"help biuld", "jmap: help: unknown command 'biuld'; did you mean 'build'?\n"
                       "try 'jmap --help'\n"},
        {"help chekc", "jmap: help: unknown command 'chekc'; did you mean 'check'?\n"
                       "try 'jmap --help'\n"},
        {"help nosuch", "jmap: help: unknown command 'nosuch'\ntry 'jmap --help'\n"},
        {"help build check", "jmap: help takes at most one command, not 'check'\n"
                             "try 'jmap --help'\n"},
        {"--help shema", "jmap: help: unknown command 'shema'; did you mean 'schema'?\n"
                         "try 'jmap --help'\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out, *err;
        int status = test_jmap(&out, &err, "%s", cases[i].args);
        if (status != 2 || *out || strcmp(err, cases[i].err) != 0)
            fail_msg("jmap %s: status %d\nstdout: %s\nstderr: %s\nwant: %s", cases[i].args, status,
                     out, err, cases[i].err);
        free(out);
        free(err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_option_of_a_command_is_in_its_help),
        cmocka_unit_test(every_option_of_a_command_is_in_its_man_page_section),
        cmocka_unit_test(the_man_page_renders_without_a_warning),
        cmocka_unit_test(help_command_and_command_help_print_the_same_whole_usage),
        cmocka_unit_test(the_overview_lists_every_command_and_points_at_jmap_help),
        cmocka_unit_test(standard_input_and_quiet_are_documented),
        cmocka_unit_test(help_for_an_unknown_command_is_a_usage_error_with_did_you_mean),
    };
    return cmocka_run_group_tests_name("help", tests, NULL, NULL);
}
