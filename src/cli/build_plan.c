#include "build_plan.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jmap/arena.h"
#include "jmap/sanitize.h"
#include "cli.h"

void build_plan_init(build_plan *p)
{
    memset(p, 0, sizeof(*p));
}

void build_plan_release(build_plan *p)
{
    free(p->inputs);
    free(p->outputs);
    memset(p, 0, sizeof(*p));
}

static void identify(build_plan_file *f)
{
    struct stat st;
    if (strcmp(f->path, "-") == 0) {
        f->have_id = fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode);
    } else {
        f->have_id = stat(f->path, &st) == 0; /* through links: the file itself */
    }
    f->regular = f->have_id && S_ISREG(st.st_mode);
    if (f->have_id) {
        f->dev = (unsigned long long)st.st_dev;
        f->ino = (unsigned long long)st.st_ino;
    }
    if (strcmp(f->path, "-") != 0 && lstat(f->path, &st) == 0 && S_ISLNK(st.st_mode)) {
        f->have_link_id = true;
        f->link_dev = (unsigned long long)st.st_dev;
        f->link_ino = (unsigned long long)st.st_ino;
    }
}

void build_plan_input(build_plan *p, const char *path)
{
    p->inputs = jmap_xgrow(p->inputs, &p->cap_inputs, p->n_inputs + 1, sizeof(build_plan_file));
    build_plan_file *f = &p->inputs[p->n_inputs++];
    *f = (build_plan_file){.path = path};
    identify(f);
}

void build_plan_output(build_plan *p, const char *path, const char *writer)
{
    if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0 ||
        strcmp(path, "/dev/stderr") == 0)
        return;
    p->outputs =
        jmap_xgrow(p->outputs, &p->cap_outputs, p->n_outputs + 1, sizeof(build_plan_file));
    build_plan_file *f = &p->outputs[p->n_outputs++];
    *f = (build_plan_file){.path = path, .writer = writer};
    identify(f);
}

static bool same_file(const build_plan_file *a, const build_plan_file *b)
{
    return (a->have_id && b->have_id && a->dev == b->dev && a->ino == b->ino) ||
           (a->have_link_id && b->have_link_id && a->link_dev == b->link_dev &&
            a->link_ino == b->link_ino);
}

/* An output is an input when the name, or what it leads to, is the input file. */
static bool overwrites(const build_plan_file *out, const build_plan_file *in)
{
    if (!in->regular) /* reading /dev/null and writing it is fine */
        return false;
    return (out->have_id && out->dev == in->dev && out->ino == in->ino) ||
           (out->have_link_id && out->link_dev == in->dev && out->link_ino == in->ino);
}

static int by_path(const void *a, const void *b)
{
    const build_plan_file *const *x = a, *const *y = b;
    int c = strcmp((*x)->path, (*y)->path);
    return c ? c : (*x < *y ? -1 : *x > *y);
}

static void report_duplicate(const build_plan_file *a, const build_plan_file *b, jmap_diags *d)
{
    char *out = jmap_sanitize(a->path);
    char *wa = a->writer ? jmap_sanitize(a->writer) : NULL;
    char *wb = b->writer ? jmap_sanitize(b->writer) : NULL;
    jmap_loc at = {.file = out};
    if (wa && wb && strcmp(wa, wb) == 0)
        jmap_diag_add(d, JMAP_SEV_ERROR, "duplicate-output", at, "'%s' would write '%s' twice",
                      wa, out);
    else if (wa && wb)
        jmap_diag_add(d, JMAP_SEV_ERROR, "duplicate-output", at,
                      "'%s' and '%s' would both write '%s'", wa, wb, out);
    else
        jmap_diag_add(d, JMAP_SEV_ERROR, "duplicate-output", at,
                      "the depfile '%s' is also an output of '%s'", out, wa ? wa : wb);
    free(out);
    free(wa);
    free(wb);
}

/* The folder an output goes to may not be reached through a link out of where its path
 * starts (src/cli/input.c): a committed `public -> /home/runner` must not steer writes. The
 * output itself may be a link: it is replaced, never followed. */
static void check_folder(const build_plan_file *out, char **last, jmap_diags *d)
{
    const char *slash = strrchr(out->path, '/');
    if (!slash || slash == out->path)
        return;
    char *dir = jmap_xstrndup(out->path, (size_t)(slash - out->path));
    if (*last && strcmp(*last, dir) == 0) {
        free(dir);
        return; /* one report per folder, and one walk for the outputs of a batch */
    }
    free(*last);
    *last = dir;
    char *anchor = NULL;
    if (cli_links_stay_inside(dir, &anchor))
        return;
    char *shown = jmap_sanitize(dir);
    jmap_diag_add(d, JMAP_SEV_ERROR, "path-outside-tree", (jmap_loc){.file = shown},
                  "output folder '%s' leads through a symbolic link outside '%s'", shown, anchor);
    jmap_diag_hint(d, "jmap writes through links only while they stay inside the folder the "
                      "path starts from; name the real folder");
    free(shown);
    free(anchor);
}

bool build_plan_check(build_plan *p, jmap_diags *d)
{
    size_t before = d->n_errors;
    char *last = NULL;
    for (size_t i = 0; i < p->n_outputs; i++)
        check_folder(&p->outputs[i], &last, d);
    free(last);
    for (size_t i = 0; i < p->n_outputs; i++) {
        const build_plan_file *out = &p->outputs[i];
        for (size_t j = 0; j < p->n_inputs; j++) {
            const build_plan_file *in = &p->inputs[j];
            if (!overwrites(out, in))
                continue;
            char *o = jmap_sanitize(out->path), *s = jmap_sanitize(in->path);
            jmap_diag_add(d, JMAP_SEV_ERROR, "output-overwrites-input", (jmap_loc){.file = o},
                          "%s '%s' would overwrite the input '%s'",
                          out->writer ? "output" : "depfile", o, s);
            free(o);
            free(s);
            break;
        }
    }
    /* The same name twice (sorted, so a large batch is not quadratic), then the same file
     * under two names: existing files only, which are few. */
    const build_plan_file **sorted = jmap_xcalloc(p->n_outputs ? p->n_outputs : 1,
                                                  sizeof(*sorted));
    for (size_t i = 0; i < p->n_outputs; i++)
        sorted[i] = &p->outputs[i];
    qsort(sorted, p->n_outputs, sizeof(*sorted), by_path);
    for (size_t i = 1; i < p->n_outputs; i++) {
        if (strcmp(sorted[i - 1]->path, sorted[i]->path) == 0)
            report_duplicate(sorted[i - 1], sorted[i], d);
    }
    free(sorted);
    for (size_t i = 0; i < p->n_outputs; i++) {
        for (size_t j = i + 1; j < p->n_outputs; j++) {
            const build_plan_file *a = &p->outputs[i], *b = &p->outputs[j];
            if (strcmp(a->path, b->path) != 0 && (a->have_id || a->have_link_id) &&
                same_file(a, b))
                report_duplicate(a, b, d);
        }
    }
    return d->n_errors == before;
}
