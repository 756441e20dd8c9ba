#include "options.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jmap/arena.h"
#include "jmap/suggest.h"

/* jmap's own options, before any command: `jmap --help`, `jmap --version`. */
static const struct option jmap_longopts[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};
static const cli_option_table jmap_options = {"", jmap_longopts, ":hV"};

const cli_option_table *const *cli_option_tables(size_t *n)
{
    static const cli_option_table *const all[] = {&cli_build_options, &cli_check_options,
                                                  &cli_stages_options, &cli_new_options,
                                                  &cli_schema_options, &cli_import_options,
                                                  &jmap_options};
    *n = sizeof(all) / sizeof(all[0]);
    return all;
}

static size_t count_longopts(const cli_option_table *t)
{
    size_t n = 0;
    while (t->longopts[n].name)
        n++;
    return n;
}

static bool has_short(const cli_option_table *t, int c)
{
    return c > 0 && c < 256 && c != ':' && strchr(t->shortopts, c) != NULL;
}

static bool has_long(const cli_option_table *t, const char *name)
{
    for (const struct option *o = t->longopts; o->name; o++) {
        if (strcmp(o->name, name) == 0)
            return true;
    }
    return false;
}

/* The long name of the option that getopt returns as `val`, if it has one. */
static const char *long_name(const cli_option_table *t, int val)
{
    for (const struct option *o = t->longopts; o->name; o++) {
        if (o->val == val)
            return o->name;
    }
    return NULL;
}

/* A usage error, after "build: " for a command's option and nothing for jmap's own. */
static int reportf(const cli_option_table *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int reportf(const cli_option_table *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = jmap_xvprintf(fmt, ap);
    va_end(ap);
    cli_usage_error("%s%s%s", t->command, *t->command ? ": " : "", msg);
    free(msg);
    return EXIT_USAGE;
}

/* The commands other than t's whose table has the option ("'build' and 'new'"), in a string
 * the caller frees, or NULL when none has it. `name` is a long name, or NULL for short `c`. */
static char *owners(const cli_option_table *t, const char *name, int c, bool *jmap_itself)
{
    size_t n;
    const cli_option_table *const *all = cli_option_tables(&n);
    char *list = NULL;
    size_t found = 0;
    *jmap_itself = false;
    for (size_t i = 0; i < n; i++) {
        if (all[i] == t || !(name ? has_long(all[i], name) : has_short(all[i], c)))
            continue;
        if (!*all[i]->command) {
            *jmap_itself = true;
            continue;
        }
        size_t later = 0; /* how many more owners follow, to place the "and" */
        for (size_t j = i + 1; j < n; j++) {
            if (all[j] != t && *all[j]->command &&
                (name ? has_long(all[j], name) : has_short(all[j], c)))
                later++;
        }
        char *next = jmap_xprintf("%s%s'%s'", list ? list : "",
                                  !found  ? ""
                                  : later ? ", "
                                          : " and ",
                                  all[i]->command);
        free(list);
        list = next;
        found++;
    }
    return list;
}

/* An option of another command, or of jmap itself: say whose it is. */
static bool report_owner(const cli_option_table *t, const char *shown, const char *name, int c)
{
    bool itself;
    char *list = owners(t, name, c, &itself);
    if (list) {
        reportf(t, "'%s' is an option of %s, not of '%s'", shown, list, t->command);
        free(list);
        return true;
    }
    if (itself) {
        reportf(t, "'%s' is an option of jmap itself: 'jmap %s'", shown, shown);
        return true;
    }
    return false;
}

/* The closest long option name to `word`: this command's first, then any other's (whose
 * command is set in *owner, NULL when it is t's). */
static const char *closest_long(const cli_option_table *t, const char *word,
                                const cli_option_table **owner)
{
    size_t n;
    const cli_option_table *const *all = cli_option_tables(&n);
    /* t first (k == 0), then the other commands in their order */
    for (size_t k = 0; k <= n; k++) {
        const cli_option_table *u = k == 0 ? t : all[k - 1];
        if (k > 0 && (u == t || !*u->command))
            continue;
        size_t m = count_longopts(u);
        const char **names = jmap_xcalloc(m + 1, sizeof(char *));
        for (size_t j = 0; j < m; j++)
            names[j] = u->longopts[j].name;
        const char *near = jmap_suggest(word, names, m);
        free(names);
        if (near) {
            *owner = u == t ? NULL : u;
            return near;
        }
    }
    return NULL;
}

/* A word of the command line without a leading "--" and anything from '=' on. */
static char *bare_name(const char *word)
{
    word += strspn(word, "-");
    return jmap_xstrndup(word, strcspn(word, "="));
}

static int unknown_long(const cli_option_table *t, const char *word)
{
    char *name = bare_name(word);
    char *shown = jmap_xprintf("--%s", name);
    /* An abbreviation getopt refused: more than one option starts with it. */
    char *matches = NULL;
    size_t n_matches = 0, len = strlen(name);
    for (const struct option *o = t->longopts; o->name && len; o++) {
        if (strncmp(o->name, name, len) != 0)
            continue;
        bool last = true;
        for (const struct option *p = o + 1; p->name; p++)
            last = last && strncmp(p->name, name, len) != 0;
        char *next = jmap_xprintf("%s%s'--%s'", matches ? matches : "",
                                  !matches ? ""
                                  : last   ? " or "
                                           : ", ",
                                  o->name);
        free(matches);
        matches = next;
        n_matches++;
    }
    if (n_matches > 1) {
        reportf(t, "option '%s' is ambiguous; it could be %s", shown, matches);
    } else if (!report_owner(t, shown, name, 0)) {
        const cli_option_table *owner = NULL;
        const char *near = closest_long(t, name, &owner);
        if (near && owner)
            reportf(t, "unknown option '%s'; did you mean '--%s' (an option of '%s')?", word, near,
                    owner->command);
        else if (near)
            reportf(t, "unknown option '%s'; did you mean '--%s'?", word, near);
        else
            reportf(t, "unknown option '%s'", word); /* as typed, value and all */
    }
    free(matches);
    free(shown);
    free(name);
    return EXIT_USAGE;
}

/* The element of argv that holds short option `c`, just refused by getopt: the one it has
 * finished when `c` ends it, else the one it is still reading. */
static const char *short_word(int argc, char **argv, int c)
{
    const char *prev = optind > 1 ? argv[optind - 1] : NULL;
    if (prev && prev[0] == '-' && prev[1] != '-' && prev[1] && prev[strlen(prev) - 1] == c)
        return prev;
    return optind < argc ? argv[optind] : NULL;
}

/* '-quiet' for '--quiet': a long option name (or a near miss) typed after one dash, which
 * getopt reads as a cluster of short options. NULL unless it looks like one: a file name
 * ('-ofile.svg') has a '.' or a '/'. */
static const char *one_dash_long(const cli_option_table *t, const char *word)
{
    if (!word || word[0] != '-' || word[1] == '-' || strlen(word) < 4 || strpbrk(word, "./="))
        return NULL;
    const cli_option_table *owner = NULL;
    const char *near = closest_long(t, word + 1, &owner);
    return near && !owner ? near : NULL;
}

static int unknown_short(const cli_option_table *t, int argc, char **argv, int c)
{
    char shown[3] = {'-', (char)c, '\0'};
    const char *word = short_word(argc, argv, c);
    const char *near = one_dash_long(t, word);
    if (near)
        return reportf(t, "unknown option '%s' in '%s'; did you mean '--%s'?", shown, word, near);
    /* -O for -o, -F for -f: the other case is one of ours */
    int other = c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : 0;
    if (other && has_short(t, other))
        return reportf(t, "unknown option '%s'; did you mean '-%c'?", shown, other);
    if (!report_owner(t, shown, NULL, c))
        reportf(t, "unknown option '%s'", c > ' ' && c < 127 ? shown : "-?");
    return EXIT_USAGE;
}

int cli_getopt(const cli_option_table *t, int argc, char **argv)
{
    opterr = 0;
    int opt = getopt_long(argc, argv, t->shortopts, t->longopts, NULL);
    const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    bool is_long = strncmp(word, "--", 2) == 0 && word[2];
    if (opt == ':') {
        if (is_long) {
            char *name = bare_name(word);
            reportf(t, "option '--%s' needs a value",
                    long_name(t, optopt) ? long_name(t, optopt) : name);
            free(name);
        } else {
            reportf(t, "option '-%c' needs a value", optopt);
        }
        return CLI_OPT_ERROR;
    }
    if (opt == '?') {
        /* a known option refused: given a value it does not take (--werror=yes) */
        if (optopt && is_long && strchr(word, '=') && long_name(t, optopt)) {
            reportf(t, "option '--%s' takes no value", long_name(t, optopt));
            return CLI_OPT_ERROR;
        }
        if (optopt == 0 || is_long)
            unknown_long(t, word);
        else
            unknown_short(t, argc, argv, optopt);
        return CLI_OPT_ERROR;
    }
    /* '-output x.svg' would be '-o utput' and a map named x.svg; '-opage' is a file "page" */
    if (opt > 0 && opt < 256 && optarg && optarg == word + 2 && word[0] == '-' && word[1] == opt) {
        const char *near = one_dash_long(t, word);
        if (near && near[0] == opt) {
            reportf(t, "'%s' reads as '-%c %s'; did you mean '--%s'?", word, opt, optarg, near);
            return CLI_OPT_ERROR;
        }
    }
    return opt;
}
