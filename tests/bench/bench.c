#define _DEFAULT_SOURCE /* wait4() */
/*
 * jmap_bench: whole-process wall time and peak memory of `jmap build` for maps of 24, 1,000
 * and 10,000 touchpoints to SVG, PDF and PNG, next to two floors measured in the same run:
 * a process linked to the same libraries that does nothing, and one that also sets up Pango,
 * lays out one line and writes an empty SVG. Figures are medians; ratios are against the
 * Pango floor. Usage: jmap_bench [RUNS] (default 7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gen_map.h"

typedef struct sample {
    double ms;
    long rss_kb;
} sample;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Run argv once with stdout and stderr on /dev/null; wall time and peak RSS of the child. */
static sample run_once(char *const argv[])
{
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    sample s = {now_ms() - t0, ru.ru_maxrss};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "jmap_bench: '%s' failed\n", argv[0]);
        exit(1);
    }
    return s;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static sample median(char *const argv[], int runs)
{
    double *ms = calloc((size_t)runs, sizeof(double));
    long rss = 0;
    run_once(argv); /* warm the page cache and fontconfig's cache */
    for (int i = 0; i < runs; i++) {
        sample s = run_once(argv);
        ms[i] = s.ms;
        if (s.rss_kb > rss)
            rss = s.rss_kb;
    }
    qsort(ms, (size_t)runs, sizeof(double), cmp_double);
    sample m = {ms[runs / 2], rss};
    free(ms);
    return m;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 7;
    if (runs < 1)
        runs = 1;
    char dir[] = "/tmp/jmap-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char *floor1[] = {FLOOR_LINK, NULL};
    char *floor2[] = {FLOOR_PANGO, NULL};
    sample f1 = median(floor1, runs * 3);
    sample f2 = median(floor2, runs * 3);
    printf("jmap benchmark, median of %d runs (peak RSS: the largest seen)\n\n", runs);
    printf("%-34s %10s %8s %10s\n", "", "wall ms", "× pango", "peak MB");
    printf("%-34s %10.2f %8.2f %10.1f\n", "floor: linked, does nothing", f1.ms, f1.ms / f2.ms,
           (double)f1.rss_kb / 1024);
    printf("%-34s %10.2f %8.2f %10.1f\n", "floor: pango + one line + empty svg", f2.ms, 1.0,
           (double)f2.rss_kb / 1024);

    static const size_t sizes[] = {24, 1000, 10000};
    static const char *const formats[] = {"svg", "pdf", "png"};
    for (size_t i = 0; i < 3; i++) {
        char map[256];
        snprintf(map, sizeof(map), "%s/map-%zu.yaml", dir, sizes[i]);
        FILE *f = fopen(map, "w");
        if (!f) {
            perror(map);
            return 1;
        }
        gen_map(f, sizes[i]);
        fclose(f);
        for (size_t j = 0; j < 3; j++) {
            char out[300], label[64], dpi[] = "--dpi=72";
            snprintf(out, sizeof(out), "%s/out-%zu.%s", dir, sizes[i], formats[j]);
            /* Large PNGs at 144 dpi would exceed Cairo's 32767-pixel side; draw them at 72. */
            char *cmd[] = {JMAP_BINARY, "build", map, "-o", out, sizes[i] > 24 ? dpi : NULL, NULL};
            int r = sizes[i] > 1000 && j == 2 ? 1 : runs;
            sample s = median(cmd, r);
            snprintf(label, sizeof(label), "%zu touchpoints → %s%s", sizes[i], formats[j],
                     sizes[i] > 24 && j == 2 ? " (72 dpi)" : "");
            printf("%-36s %10.2f %8.2f %10.1f\n", label, s.ms, s.ms / f2.ms,
                   (double)s.rss_kb / 1024);
        }
    }
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
