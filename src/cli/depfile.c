#include "depfile.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/sanitize.h"

/*
 * What GNU Make 4.3 and Ninja 1.11 both read back unchanged, checked with the tools
 * (tests/test_depfile.c runs them):
 *   - letters, digits, '/', '.', '_', '-', '+', ',', '@', '!', '{', '}', '~' and every byte
 *     from 0x80 (UTF-8) as they are;
 *   - a space as "\ ", '#' as "\#", ':' as "\:" and '$' as "$$".
 * Everything else is refused: control characters (a newline ends the rule and starts another,
 * a tab starts a recipe), ';' (Make reads a recipe after it), '=' (a variable), '|' (order-only
 * prerequisites), '%' (a pattern rule), '*', '?', '[', ']' (Make expands wildcards), '(' and
 * ')' (archive members), '\\' (its meaning depends on what follows), quotes, '&', '<', '>',
 * '^', '`' (Ninja ends a name there), a leading '~' (Make expands ~user) and a trailing ':'
 * (Ninja then keeps the backslash).
 */

static bool plain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80 || strchr("/._-+,@!{}~", c) != NULL;
}

static bool escaped(unsigned char c)
{
    return c == ' ' || c == '#' || c == ':' || c == '$';
}

/* Why a name cannot be written, or NULL when it can. */
static const char *unsafe_reason(const char *name, char *buf, size_t size)
{
    size_t n = strlen(name);
    if (n == 0)
        return "an empty name";
    if (name[0] == '~')
        return "a leading '~'";
    if (name[n - 1] == ':')
        return "a trailing ':'";
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (plain(*p) || escaped(*p))
            continue;
        if (*p < 0x20 || *p == 0x7f)
            snprintf(buf, size, "the control character \\x%02x", *p);
        else if (*p == '\'')
            snprintf(buf, size, "a quote");
        else
            snprintf(buf, size, "'%c'", *p);
        return buf;
    }
    return NULL;
}

bool depfile_check_name(const char *name, const char *file, jmap_diags *d)
{
    char buf[64];
    const char *why = unsafe_reason(name, buf, sizeof buf);
    if (!why)
        return true;
    char *shown = jmap_sanitize(name), *where = jmap_sanitize(file);
    jmap_diag_add(d, JMAP_SEV_ERROR, "unsafe-depfile-name", (jmap_loc){.file = where},
                  "cannot write '%s' into a depfile: make and ninja cannot both read a name "
                  "with %s",
                  shown, why);
    free(shown);
    free(where);
    return false;
}

static void write_name(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '$')
            fputc('$', f);
        else if (escaped((unsigned char)*s))
            fputc('\\', f);
        fputc(*s, f);
    }
}

void depfile_write_rule(FILE *f, const char *const *targets, size_t n_targets,
                        const char *const *prereqs, size_t n_prereqs)
{
    for (size_t i = 0; i < n_targets; i++) {
        if (i)
            fputc(' ', f);
        write_name(f, targets[i]);
    }
    fputc(':', f);
    for (size_t i = 0; i < n_prereqs; i++) {
        fputc(' ', f);
        write_name(f, prereqs[i]);
    }
    fputc('\n', f);
    /* An empty rule for each file the map reads, as `gcc -MP` writes for headers: when a
     * stage-model file is renamed or deleted (and the maps follow), Make takes it for a file
     * with nothing to do instead of stopping at "No rule to make target". */
    for (size_t i = 1; i < n_prereqs; i++) {
        write_name(f, prereqs[i]);
        fputs(":\n", f);
    }
}
