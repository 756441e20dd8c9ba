/* The bash, zsh and fish completions of docs/completion/, asked by the real shells what they
 * offer on TAB: every option of every command (from the commands' own getopt tables), the
 * commands, option values, stage models and maps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/cli/help.h"
#include "../src/cli/options.h"
#include "support.h"

#define COMPLETION_DIR JMAP_SOURCE_DIR "/docs/completion"

typedef enum shell { BASH, ZSH, FISH } shell;
static const char *const shell_names[] = {"bash", "zsh", "fish"};

/* The folder the shells run in, holding a map, a file that is no map and a folder. */
static char *work;

static int setup(void **state)
{
    (void)state;
    work = test_tmpdir("completion");
    free(test_put(work, "trip.yaml", "title: T\n"));
    free(test_put(work, "notes.txt", "x"));
    char *sub = jmap_xprintf("%s/maps", work);
    free(test_tmpdir("completion/maps"));
    free(sub);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(work);
    return 0;
}

static void need_shells(void)
{
    test_need_tool("bash", "bash");
    test_need_file("/usr/share/bash-completion/bash_completion", "bash-completion",
                   "bash-completion");
    test_need_tool("zsh", "zsh");
    test_need_tool("fish", "fish");
    test_need_tool("timeout", "coreutils");
}

/* What `sh` offers for the command line `line` (TAB at its end), one candidate a line, each
 * without its description (fish) or a trailing '=' (zsh); jmap itself is the one just built.
 * A shell that hangs is killed after 30 s and fails the test. */
static char *complete(shell sh, const char *line)
{
    char *bin = jmap_xstrdup(JMAP_BINARY);
    *strrchr(bin, '/') = '\0';
    /* the shells write their caches and history under HOME: keep them in the test folder */
    char *env = jmap_xprintf("cd '%s' && HOME='%s' XDG_CONFIG_HOME='%s' XDG_DATA_HOME='%s' "
                             "PATH='%s':\"$PATH\" timeout 30 ",
                             work, work, work, work, bin);
    char *cmd;
    switch (sh) {
    case BASH:
        cmd = jmap_xprintf("%sbash --norc --noprofile '%s/complete.bash' '%s/jmap.bash' '%s'", env,
                           JMAP_TEST_DIR, COMPLETION_DIR, line);
        break;
    case ZSH:
        cmd = jmap_xprintf("%szsh -f '%s/complete.zsh' '%s' '%s'", env, JMAP_TEST_DIR,
                           COMPLETION_DIR, line);
        break;
    default:
        cmd = jmap_xprintf("%sfish --no-config -c 'source $argv[1]; complete -C $argv[2]' "
                           "'%s/jmap.fish' '%s'",
                           env, COMPLETION_DIR, line);
        break;
    }
    char *out, *err;
    int status = test_run(cmd, &out, &err);
    if (status != 0 || *err)
        fail_msg("%s, '%s': status %d\n%s", shell_names[sh], line, status, err);
    free(err);
    free(cmd);
    free(env);
    free(bin);
    /* "--output\tdescription" (fish), "--output=" (zsh): the word alone, then "\n" */
    char *words = jmap_xcalloc(strlen(out) + 2, 1), *w = words;
    for (char *p = out; *p;) {
        size_t n = strcspn(p, "\t\n");
        if (n > 1 && p[n - 1] == '=')
            n--;
        memcpy(w, p, n);
        w += n;
        *w++ = '\n';
        p += strcspn(p, "\n");
        p += *p == '\n';
    }
    free(out);
    return words;
}

/* `word` is one of the lines of `list`. */
static bool offers(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p; p += strcspn(p, "\n") + 1) {
        if (strncmp(p, word, n) == 0 && p[n] == '\n')
            return true;
        if (!p[strcspn(p, "\n")])
            break;
    }
    return false;
}

static size_t count_lines(const char *list)
{
    size_t n = 0;
    for (const char *p = list; *p; p++)
        n += *p == '\n';
    return n;
}

static void the_completion_files_are_valid_scripts(void **state)
{
    (void)state;
    need_shells();
    static const char *const checks[] = {
        "bash -n '" COMPLETION_DIR "/jmap.bash'",
        "zsh -n '" COMPLETION_DIR "/_jmap'",
        "fish --no-execute '" COMPLETION_DIR "/jmap.fish'",
    };
    for (size_t i = 0; i < 3; i++) {
        char *err;
        int status = test_run(checks[i], NULL, &err);
        if (status != 0 || *err)
            fail_msg("%s: status %d\n%s", checks[i], status, err);
        free(err);
    }
}

/* Every long and short option in each command's getopt table is offered after `jmap CMD -`,
 * by every shell: a new option cannot be left out of a completion. */
static void every_option_of_every_command_is_completed_by_every_shell(void **state)
{
    (void)state;
    need_shells();
    size_t n;
    const cli_option_table *const *all = cli_option_tables(&n);
    for (int sh = BASH; sh <= FISH; sh++) {
        for (size_t i = 0; i < n; i++) {
            const cli_option_table *t = all[i];
            char *line =
                *t->command ? jmap_xprintf("jmap %s -", t->command) : jmap_xstrdup("jmap -");
            char *got = complete((shell)sh, line);
            for (const struct option *o = t->longopts; o->name; o++) {
                char *opt = jmap_xprintf("--%s", o->name);
                if (!offers(got, opt))
                    fail_msg("%s does not complete '%s' for '%s':\n%s", shell_names[sh], opt, line,
                             got);
                free(opt);
            }
            for (const char *c = t->shortopts; *c; c++) {
                char opt[3] = {'-', *c, '\0'};
                if (*c != ':' && !offers(got, opt))
                    fail_msg("%s does not complete '%s' for '%s':\n%s", shell_names[sh], opt, line,
                             got);
            }
            free(got);
            free(line);
        }
    }
}

static void commands_values_models_and_maps_are_completed(void **state)
{
    (void)state;
    need_shells();
    size_t n_commands;
    const char *const *commands = cli_help_commands(&n_commands);
    for (int sh = BASH; sh <= FISH; sh++) {
        const char *name = shell_names[sh];
        char *got = complete((shell)sh, "jmap bu");
        if (strcmp(got, "build\n") != 0)
            fail_msg("%s: 'jmap bu' gives '%s', not build", name, got);
        free(got);

        /* every command, after jmap and after jmap help */
        static const char *const lines[] = {"jmap ", "jmap help "};
        for (size_t l = 0; l < 2; l++) {
            got = complete((shell)sh, lines[l]);
            for (size_t i = 0; i < n_commands; i++) {
                if (!offers(got, commands[i]))
                    fail_msg("%s: '%s' does not offer '%s':\n%s", name, lines[l], commands[i], got);
            }
            assert_int_equal(count_lines(got), n_commands);
            free(got);
        }

        static const struct {
            const char *line;
            const char *want[5];
        } values[] = {
            {"jmap check --diagnostics ", {"text", "json", "sarif", "github"}},
            {"jmap build -f ", {"svg", "pdf", "png", "mermaid", "markdown"}},
            {"jmap build --theme ", {"light", "dark", "print"}},
            {"jmap build --page ", {"fit", "a4", "a3", "letter"}},
            {"jmap check --color ", {"auto", "always", "never"}},
            {"jmap schema ", {"map", "model"}},
            {"jmap new --model hub", {"hubspot"}},
            {"jmap stages three", {"three-stage"}},
            {"jmap build --qu", {"--quiet"}},
            {"jmap build --keep", {"--keep-mtime"}},
        };
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
            got = complete((shell)sh, values[v].line);
            size_t k = 0;
            for (; k < 5 && values[v].want[k]; k++) {
                if (!offers(got, values[v].want[k]))
                    fail_msg("%s: '%s' does not offer '%s':\n%s", name, values[v].line,
                             values[v].want[k], got);
            }
            if (count_lines(got) != k)
                fail_msg("%s: '%s' offers more than it should:\n%s", name, values[v].line, got);
            free(got);
        }

        /* a map: the YAML file and folders, not the text file; '-' for standard input where
         * the shell lists values with their meaning (zsh and fish; bash offers it with the
         * options) */
        got = complete((shell)sh, "jmap check ");
        if (!offers(got, "trip.yaml") || offers(got, "notes.txt") ||
            !(offers(got, "maps") || offers(got, "maps/")))
            fail_msg("%s: 'jmap check ' offers:\n%s", name, got);
        if (sh != BASH && !offers(got, "-"))
            fail_msg("%s: 'jmap check ' does not offer '-':\n%s", name, got);
        free(got);
        got = complete((shell)sh, "jmap build -");
        if (!offers(got, "-") && sh == BASH)
            fail_msg("%s: 'jmap build -' does not offer '-':\n%s", name, got);
        free(got);
    }
}

/* cmake --install puts each file where its shell looks, and the man page in man1. */
static void install_puts_completions_where_the_shells_look(void **state)
{
    (void)state;
    test_need_tool("cmake", "cmake");
    char *prefix = test_tmpdir("completion-install");
    char *cmd =
        jmap_xprintf("cmake --install '%s' --prefix '%s' >/dev/null", JMAP_BUILD_DIR, prefix);
    char *err;
    int status = test_run(cmd, NULL, &err);
    if (status != 0)
        fail_msg("%s: status %d\n%s", cmd, status, err);
    free(err);
    free(cmd);
    static const char *const files[][2] = {
        {"share/bash-completion/completions/jmap", "docs/completion/jmap.bash"},
        {"share/zsh/site-functions/_jmap", "docs/completion/_jmap"},
        {"share/fish/vendor_completions.d/jmap.fish", "docs/completion/jmap.fish"},
        {"share/man/man1/jmap.1", "docs/jmap.1"},
    };
    for (size_t i = 0; i < 4; i++) {
        char *installed = jmap_xprintf("%s/%s", prefix, files[i][0]);
        char *source = jmap_xprintf("%s/%s", JMAP_SOURCE_DIR, files[i][1]);
        char *a = test_read_file(installed, NULL), *b = test_read_file(source, NULL);
        if (strcmp(a, b) != 0)
            fail_msg("%s is not %s", installed, source);
        free(a);
        free(b);
        free(installed);
        free(source);
    }
    free(prefix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_completion_files_are_valid_scripts),
        cmocka_unit_test(every_option_of_every_command_is_completed_by_every_shell),
        cmocka_unit_test(commands_values_models_and_maps_are_completed),
        cmocka_unit_test(install_puts_completions_where_the_shells_look),
    };
    return cmocka_run_group_tests_name("completion", tests, setup, teardown);
}
