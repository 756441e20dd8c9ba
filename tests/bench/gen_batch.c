#include "gen_batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The keys whose values a reader sees; the line-based edit below knows the examples' style:
 * one `key: value` per line, plain or quoted. */
static const char *const text_keys[] = {"title", "subtitle", "name", "action", "thought",
                                        "pain", "opportunity", "goal", "role", "description",
                                        "backstage"};

/* The value of a `key: value` line (after an optional list dash) when key is a text key and
 * the value a one-line scalar the edit can extend; NULL otherwise. */
static char *text_value(char *line)
{
    char *p = line + strspn(line, " ");
    if (p[0] == '-' && p[1] == ' ')
        p += 2;
    for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0]; i++) {
        size_t n = strlen(text_keys[i]);
        if (strncmp(p, text_keys[i], n) == 0 && p[n] == ':' && p[n + 1] == ' ') {
            char *v = p + n + 2;
            return strchr("[{|>&*!#\n", *v) ? NULL : v;
        }
    }
    return NULL;
}

/* Write `line` with " (vK)" at the end of its text value, inside the quotes of a quoted one
 * and before a comment. */
static void put_variant(FILE *out, char *line, int k)
{
    char *v = text_value(line);
    if (!v) {
        fputs(line, out);
        return;
    }
    char *end = v + strcspn(v, "\n");
    if (*v == '"' || *v == '\'') {
        char *close = strrchr(v + 1, *v);
        if (close && close < end)
            end = close;
    } else {
        char *hash = strstr(v, " #");
        if (hash && hash < end)
            end = hash;
        while (end > v && end[-1] == ' ')
            end--;
    }
    fwrite(line, 1, (size_t)(end - line), out);
    fprintf(out, " (v%d)", k);
    fputs(end, out);
}

bool gen_batch(const char *const *examples, size_t n_examples, int variants, const char *dir,
               char **paths)
{
    size_t n = 0;
    for (size_t e = 0; e < n_examples; e++) {
        const char *base = strrchr(examples[e], '/');
        base = base ? base + 1 : examples[e];
        size_t stem = strcspn(base, ".");
        for (int k = 1; k <= variants; k++) {
            FILE *in = fopen(examples[e], "r");
            if (!in)
                return false;
            size_t len = strlen(dir) + stem + 32;
            char *path = malloc(len);
            if (!path)
                abort();
            snprintf(path, len, "%s/%.*s-v%02d.yaml", dir, (int)stem, base, k);
            FILE *out = fopen(path, "w");
            if (!out) {
                fclose(in);
                free(path);
                return false;
            }
            char *line = NULL;
            size_t cap = 0;
            while (getline(&line, &cap, in) > 0)
                put_variant(out, line, k);
            free(line);
            fclose(in);
            if (fclose(out) != 0) {
                free(path);
                return false;
            }
            paths[n++] = path;
        }
    }
    return true;
}
