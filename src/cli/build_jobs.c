#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "build_job.h"
#include "diag_wire.h"
#include "worker_pool.h"

/*
 * -j N: the maps of a planned batch are drawn by worker processes (worker_pool.h says why
 * processes), and this process prints what each one reports in map order, so that outputs,
 * diagnostics in every format (SARIF gathers them here, as ever), the depfile and the exit
 * status are those of -j 1. A worker sends back, per map: its status, the diagnostics the
 * drawing added (diag_wire.h) and those of --check, then its depfile rule. Each worker writes
 * its map's outputs itself, as -j 1 does: atomically, unchanged ones touched or kept.
 */

typedef struct batch {
    const build_opts *o;
    map_job *jobs;
    size_t *tasks; /* the jobs drawn, by task: those planned without an error */
    size_t printed; /* jobs printed so far, in map order */
    FILE *depfile;
    int worst;
    jmap_fonts *fonts; /* a worker's own, set up on its first map */
} batch;

/* In a worker: draw the map and send back what the parent prints and collects. */
static int work(void *ctx, size_t task, FILE *out)
{
    batch *b = ctx;
    map_job *j = &b->jobs[b->tasks[task]];
    size_t items = j->doc.diags.n_items, files = j->doc.diags.n_files;
    char *rule = NULL;
    size_t rule_len = 0;
    FILE *depfile = b->depfile ? open_memstream(&rule, &rule_len) : NULL;
    int status = build_job_draw(b->o, j, &b->fonts, depfile);
    if (depfile)
        fclose(depfile);
    diag_wire_put(out, &j->doc.diags, items, files);
    diag_wire_put(out, &j->checked, 0, 0);
    if (rule)
        fwrite(rule, 1, rule_len, out); /* the rest of the record */
    free(rule);
    build_job_release(j);
    return status;
}

/* A map no worker could report on: an error of its own, never a silent gap in the batch. */
static int not_drawn(map_job *j, const char *why)
{
    jmap_diag_add(&j->doc.diags, JMAP_SEV_ERROR, "worker-failed", (jmap_loc){.file = j->doc.path},
                  "not drawn: %s", why);
    jmap_diag_hint(&j->doc.diags, "build it again, or on its own with -j 1 to see what stops it");
    return EXIT_MAP;
}

static void finish(batch *b, size_t k, int status)
{
    b->worst = build_worst(b->worst, status);
    build_job_print(b->o, &b->jobs[k]);
    build_job_release(&b->jobs[k]);
}

/* In the parent, in task order: print every map up to this one as -j 1 would. */
static void done(void *ctx, size_t task, int status, const char *data, size_t len,
                 const char *failed)
{
    batch *b = ctx;
    size_t k = b->tasks[task];
    for (; b->printed < k; b->printed++) /* maps that failed before drawing */
        finish(b, b->printed, b->jobs[b->printed].status);
    map_job *j = &b->jobs[k];
    /* A dead worker sent nothing: data is NULL, and NULL + 0 is undefined behaviour in C. */
    const char *p = data, *end = data ? data + len : data;
    if (failed || !data)
        status = not_drawn(j, failed ? failed : "the worker process drawing it sent back nothing");
    else if (!diag_wire_get(&j->doc.diags, &p, end) || !diag_wire_get(&j->checked, &p, end))
        status = not_drawn(j, "the worker process drawing it sent back an unreadable report");
    else if (b->depfile)
        fwrite(p, 1, (size_t)(end - p), b->depfile);
    finish(b, k, status);
    b->printed = k + 1;
}

bool build_jobs_draw(const build_opts *o, map_job *jobs, const jmap_fonts *fonts,
                     FILE *depfile, int *worst)
{
    /* Several maps to --dump-layout all go to standard output, one after the other. */
    if (o->jobs < 2 || fonts || o->dump_layout)
        return false;
    batch b = {.o = o, .jobs = jobs, .depfile = depfile, .worst = *worst};
    b.tasks = jmap_xcalloc(o->n_maps, sizeof(size_t));
    size_t n_tasks = 0, n_drawn = 0;
    for (size_t i = 0; i < o->n_maps; i++) {
        if (jobs[i].status != EXIT_OK)
            continue;
        b.tasks[n_tasks++] = i;
        bool draws = false;
        for (size_t t = 0; t < jobs[i].targets.n_items; t++)
            draws |= JMAP_FORMAT_DRAWN(jobs[i].targets.items[t].format);
        n_drawn += draws;
    }
    /* A Mermaid export is text and takes no time to speak of: forking is for drawings. */
    bool ran = n_drawn >= 2 && worker_pool_run(n_tasks, o->jobs, work, done, &b);
    if (ran) {
        for (; b.printed < o->n_maps; b.printed++) /* failed maps after the last drawn */
            finish(&b, b.printed, jobs[b.printed].status);
        *worst = b.worst;
    }
    free(b.tasks);
    return ran;
}
