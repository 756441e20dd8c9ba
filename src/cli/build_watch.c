#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "jmap/arena.h"
#include "jmap/data_paths.h"
#include "jmap/resolve.h"
#include "jmap/sanitize.h"
#include "watch_set.h"

/*
 * --watch: rebuild when the map or its stage-model file changes (watch_set.h says how files
 * are followed). Changes are debounced: a burst of events within DEBOUNCE_MS gives one
 * rebuild. SIGINT and SIGTERM arrive through a signalfd, so they are handled between builds,
 * never in the middle of writing a file; the loop ends with the last build's status.
 */

#define DEBOUNCE_MS 100

/* The files the last look at the map found it depends on; the map comes first. */
typedef struct dep_list {
    char **paths;
    size_t n_paths;
} dep_list;

static void free_deps(dep_list *l)
{
    for (size_t i = 0; i < l->n_paths; i++)
        free(l->paths[i]);
    free(l->paths);
    l->paths = NULL;
    l->n_paths = 0;
}

/*
 * Find the map's stage-model file the way a build does (the resolve pass decides where
 * `model:` points), but whatever the map's or the model's errors: a broken model must stay
 * watched so that fixing it rebuilds. When the map cannot be read or loaded far enough to
 * tell, `out` keeps the files known last time.
 */
static void find_deps(const build_opts *o, dep_list *out)
{
    const char *path = o->maps[0];
    const jmap_limits *lim = &o->common.limits;
    jmap_diags scratch; /* the build reports them; here they are not wanted */
    jmap_diags_init(&scratch);
    size_t len = 0;
    bool is_io = false;
    char *text = jmap_read_file(path, &len, lim, &scratch, &is_io);
    jmap_arena *a = text ? jmap_arena_new() : NULL;
    jmap_map *map = text ? jmap_load_map(a, path, text, len, lim, &scratch) : NULL;
    if (map) {
        char *env = NULL;
        jmap_resolve_opts ro = {0};
        const char **dirs = cli_model_path(&o->common, &ro.n_model_dirs, &env);
        ro.model_dirs = dirs;
        jmap_resolve_with(a, map, lim, &ro, &scratch); /* as cli_doc_compile resolves */
        free(dirs);
        free(env);
        /* the data files: those `data:` names inside the tree (missing ones too: they are
         * waited for), then --data */
        jmap_data_path *dp = NULL;
        size_t n_dp = jmap_data_paths(a, map, &dp, &scratch);
        const char **data = jmap_xcalloc(n_dp + o->common.n_data_files + 1, sizeof(char *));
        size_t n_data = 0;
        for (size_t i = 0; i < n_dp; i++) {
            if (!dp[i].outside)
                data[n_data++] = dp[i].name;
        }
        for (size_t i = 0; i < o->common.n_data_files; i++)
            data[n_data++] = o->common.data_files[i];
        const char **deps = NULL;
        size_t n = build_map_deps(path, map, data, n_data, &deps);
        free_deps(out);
        out->paths = jmap_xcalloc(n + 1, sizeof(char *));
        for (size_t i = 0; i < n; i++) {
            out->paths[out->n_paths++] = jmap_xstrdup(deps[i]);
            if (i == 0 && n == 1 + n_data && map->stage_model_file) /* named, did not load */
                out->paths[out->n_paths++] = jmap_xstrdup(map->stage_model_file);
        }
        free(deps);
        free(data);
    }
    jmap_arena_free(a);
    jmap_diags_release(&scratch);
    free(text);
}

/* A progress line; -q keeps only the ones that report a failure of the watch itself. */
static void stamp(const build_opts *o, bool failure, const char *what)
{
    if (o->common.quiet && !failure)
        return;
    time_t t = time(NULL);
    struct tm tm;
    char when[16];
    strftime(when, sizeof(when), "%H:%M:%S", localtime_r(&t, &tm));
    fprintf(stderr, "jmap: [%s] %s\n", when, what);
    fflush(stderr);
}

static int cannot_watch(const char *path, int err)
{
    char *shown = jmap_sanitize(path);
    fprintf(stderr, "jmap: cannot watch '%s': %s\n", shown, strerror(err));
    free(shown);
    return EXIT_IO;
}

/* Look at the map again and watch what it depends on now (links may have been retargeted);
 * false when nothing at all can be watched. */
static bool rewatch(watch_set *w, const build_opts *o, dep_list *deps)
{
    find_deps(o, deps);
    return watch_set_update(w, deps->paths, deps->n_paths) > 0;
}

int build_watch(const build_opts *o, jmap_fonts **fonts)
{
    const char *path = o->maps[0];
    if (strcmp(path, "-") == 0)
        return cli_usage_error("build: --watch needs a map file, not standard input");
    /* A map that is not there would be waited for forever: say so now. */
    struct stat st;
    if (stat(path, &st) != 0)
        return cannot_watch(path, errno);
    if (S_ISDIR(st.st_mode))
        return cannot_watch(path, EISDIR);

    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    int sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
    watch_set w;
    if (sfd < 0 || !watch_set_init(&w)) {
        fprintf(stderr, "jmap: cannot watch files: %s\n", strerror(errno));
        if (sfd >= 0)
            close(sfd);
        return EXIT_IO;
    }
    dep_list deps = {.paths = jmap_xcalloc(1, sizeof(char *)), .n_paths = 1};
    deps.paths[0] = jmap_xstrdup(path);
    int status = EXIT_IO;
    /* Watch before building, so a save during the build is not missed. */
    if (!rewatch(&w, o, &deps))
        goto out;
    status = build_all(o, fonts);
    stamp(o, false,
          status == EXIT_OK ? "built; watching for changes (Ctrl-C to stop)"
                            : "not built; watching for changes (Ctrl-C to stop)");
    for (;;) {
        struct pollfd fds[2] = {{.fd = sfd, .events = POLLIN}, {.fd = w.fd, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if (fds[0].revents & POLLIN)
            break;
        if (!(fds[1].revents & POLLIN) || !watch_set_changed(&w))
            continue;
        /* Debounce: wait until the burst of events is over. */
        struct pollfd quiet = {.fd = w.fd, .events = POLLIN};
        while (poll(&quiet, 1, DEBOUNCE_MS) > 0)
            watch_set_changed(&w);
        if (!rewatch(&w, o, &deps)) {
            status = EXIT_IO;
            break;
        }
        status = build_all(o, fonts);
        stamp(o, false,
              status == EXIT_OK ? "rebuilt" : "not rebuilt; the last good output is kept");
    }
out:
    if (w.n_items == 0)
        stamp(o, true, "stopped: no file can be watched");
    else
        stamp(o, false, "stopped");
    free_deps(&deps);
    watch_set_release(&w);
    close(sfd);
    return status;
}
