#define _DEFAULT_SOURCE /* wait4() */
/*
 * jmap_bench: whole-process wall time and peak memory of `jmap build` for maps of 24 and 1,000
 * touchpoints (10,000 and 20,000 with --large), of a map with one unbreakable value of 32 and
 * 64 KiB and of maps with four 64 KiB texts, to SVG, PDF and PNG, next to two
 * floors measured in the same run: a process linked to the same libraries that does nothing,
 * and one that also sets up Pango, lays out one line and writes an empty SVG. Figures are medians;
 * ratios are against the Pango floor. See docs/performance.md.
 *
 * The data join (docs/data.md): a 1,000,000-row CSV file (about 45 MB) joined to a 100-KPI map,
 * through `jmap check --data` and `jmap build --dump-layout --data`.
 *
 * Parallel batches (issue 14): 100 distinct maps (five examples in 20 variants each) to SVG in
 * one `jmap build -O` call with -j 1 and -j 2, run alternately.
 *
 * Usage: jmap_bench [RUNS] [--large]   the table (default 7 runs per row); --large adds the
 *                                       maps of 10,000 and 20,000 touchpoints (minutes a run)
 *        jmap_bench --cost [RUNS]  only what the PDF's tags and the SVG's text layer cost
 *                                  (issue 12), alternate runs with and without (default 41)
 *        jmap_bench --text [RUNS]       only the rows of the text engine (jmap's line filling
 *                                       against PangoLayout's, same run)
 *        jmap_bench --batch [RUNS]      the floors and the batch rows only
 *        jmap_bench --gen N [--light]   write the map of N touchpoints to stdout (for
 *                                       profiling; --light: name, action, emotion only)
 *
 * Memory: where the heap's peak goes, by phase and library, for 1,000 touchpoints (and 10,000
 * with --large), from one run with libjmap_memsplit.so preloaded (memsplit.c).
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gen_batch.h"
#include "gen_data.h"
#include "gen_map.h"
#include "memsplit.h"

/* jmap's PNG limits (src/render.c) and its smallest --dpi. */
#define PNG_MAX_SIDE 32767
#define PNG_MAX_PIXELS 400e6
#define MIN_DPI 9
#define DEFAULT_DPI 144

typedef struct sample {
    double ms;
    double cpu_ms; /* user + system time of the child: less disturbed by other load */
    long rss_kb;
    int status;
} sample;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Run argv once with stdout and stderr on /dev/null; wall time, peak RSS and exit status of
 * the child, from wait4(). want_status < 0: any failure is wanted. */
static sample run_once(char *const argv[], int want_status)
{
    fflush(stdout); /* or the child would print the parent's buffered lines again */
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
    sample s = {now_ms() - t0,
                (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3,
                ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
    if (want_status < 0 ? s.status <= 0 : s.status != want_status) {
        fprintf(stderr, "jmap_bench: '%s %s' exited with %d, not %d\n", argv[0],
                argv[1] ? argv[1] : "", s.status, want_status);
        exit(1);
    }
    return s;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* One warm-up run, then `runs` timed ones: the medians of wall time, CPU time and peak RSS. */
static sample median(char *const argv[], int runs, int want_status)
{
    double *ms = calloc((size_t)runs, sizeof(double));
    double *cpu = calloc((size_t)runs, sizeof(double));
    long *rss = calloc((size_t)runs, sizeof(long));
    if (!ms || !cpu || !rss)
        abort();
    run_once(argv, want_status); /* warm the page cache and fontconfig's cache */
    for (int i = 0; i < runs; i++) {
        sample s = run_once(argv, want_status);
        ms[i] = s.ms;
        cpu[i] = s.cpu_ms;
        rss[i] = s.rss_kb;
    }
    qsort(ms, (size_t)runs, sizeof(double), cmp_double);
    qsort(cpu, (size_t)runs, sizeof(double), cmp_double);
    qsort(rss, (size_t)runs, sizeof(long), cmp_long);
    sample m = {ms[runs / 2], cpu[runs / 2], rss[runs / 2], want_status};
    free(ms);
    free(cpu);
    free(rss);
    return m;
}

/* The page size of the map in points, from the first line of `jmap build --dump-layout`. */
static bool scene_size(const char *map, double *w, double *h)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "'%s' build --dump-layout '%s' 2>/dev/null", JMAP_BINARY, map);
    FILE *p = popen(cmd, "r");
    if (!p)
        return false;
    bool ok = fscanf(p, "scene %lf %lf", w, h) == 2;
    while (fgetc(p) != EOF)
        ;
    return pclose(p) == 0 && ok;
}

/* The largest whole dpi up to 144 at which jmap can draw a w x h pt PNG (its own limits), or
 * 0 when even its smallest dpi is too large. */
static int png_dpi(double w, double h)
{
    for (int dpi = DEFAULT_DPI; dpi >= MIN_DPI; dpi--) {
        double pw = ceil(w * dpi / 72 - 1e-6), ph = ceil(h * dpi / 72 - 1e-6);
        if (pw <= PNG_MAX_SIDE && ph <= PNG_MAX_SIDE && pw * ph <= PNG_MAX_PIXELS)
            return dpi;
    }
    return 0;
}

/* A map whose one touchpoint has four values (action, thought, pain, opportunity) of `unit`
 * repeated to just under 64 KiB, the default --max-string: text that Pango 1.50 once broke
 * into lines in quadratic time. */
static bool write_long_map(const char *path, const char *unit)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fputs("title: Long values\npersonas: [{id: p, name: P}]\nstages: [{id: a}]\n"
          "touchpoints:\n  - stage: a\n    name: N\n",
          f);
    static const char *const keys[] = {"action", "thought", "pain", "opportunity"};
    size_t n = strlen(unit);
    for (size_t k = 0; k < 4; k++) {
        fprintf(f, "    %s: \"", keys[k]);
        for (size_t len = 0; len + n <= 65535; len += n)
            fputs(unit, f);
        fputs("\"\n", f);
    }
    return fclose(f) == 0;
}

static void row(const char *label, sample s, const sample *pango)
{
    printf("%-40s %10.2f %8.2f %10.2f %8.2f %10.1f\n", label, s.ms, s.ms / pango->ms, s.cpu_ms,
           s.cpu_ms / pango->cpu_ms, (double)s.rss_kb / 1024);
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* The median of each of two commands, run alternately so that other load on the machine falls
 * on both alike; `b` runs with JMAP_BENCH_UNTAGGED set. */
static void median_pair(char *const a[], char *const b[], int runs, sample *ma, sample *mb)
{
    double *ms = calloc((size_t)runs * 2, sizeof(double));
    double *cpu = calloc((size_t)runs * 2, sizeof(double));
    long *rss = calloc((size_t)runs * 2, sizeof(long));
    if (!ms || !cpu || !rss)
        abort();
    for (int i = -1; i < runs; i++) {
        for (int k = 0; k < 2; k++) {
            if (k == 1)
                setenv("JMAP_BENCH_UNTAGGED", "1", 1);
            sample s = run_once(k ? b : a, 0);
            unsetenv("JMAP_BENCH_UNTAGGED");
            if (i < 0)
                continue; /* the warm-up */
            ms[k * runs + i] = s.ms;
            cpu[k * runs + i] = s.cpu_ms;
            rss[k * runs + i] = s.rss_kb;
        }
    }
    sample *out[2] = {ma, mb};
    for (int k = 0; k < 2; k++) {
        qsort(ms + k * runs, (size_t)runs, sizeof(double), cmp_double);
        qsort(cpu + k * runs, (size_t)runs, sizeof(double), cmp_double);
        qsort(rss + k * runs, (size_t)runs, sizeof(long), cmp_long);
        *out[k] = (sample){ms[k * runs + runs / 2], cpu[k * runs + runs / 2],
                           rss[k * runs + runs / 2], 0};
    }
    free(ms);
    free(cpu);
    free(rss);
}

/* What issue 12's additions cost: the PDF's tags, outline and catalog update, or the SVG's text
 * layer, title, summary and links. The same map drawn with JMAP_BENCH_UNTAGGED (src/render.c)
 * and without, alternately in the same run. */
static void tag_cost(const char *map, const char *dir, const char *format, int runs,
                     const sample *pango)
{
    const bool svg = strcmp(format, "svg") == 0;
    const char *with_name = svg ? "with layer" : "tagged",
               *without_name = svg ? "without" : "untagged";
    char tagged[300], plain[300], label[96];
    snprintf(tagged, sizeof tagged, "%s/cost-tagged.%s", dir, format);
    snprintf(plain, sizeof plain, "%s/cost-untagged.%s", dir, format);
    char *with[] = {JMAP_BINARY, "build", (char *)map, "-o", tagged, NULL};
    char *without[] = {JMAP_BINARY, "build", (char *)map, "-o", plain, NULL};
    sample t, u;
    median_pair(with, without, runs, &t, &u);
    snprintf(label, sizeof label, "  → %s %s", format,
             svg ? "without text layer and links" : "without tags");
    row(label, u, pango);
    snprintf(label, sizeof label, "  → %s %s", format,
             svg ? "with text layer and links" : "tagged");
    row(label, t, pango);
    long long st = file_size(tagged), su = file_size(plain);
    snprintf(label, sizeof label, "  %s / %s: time, cpu", with_name, without_name);
    printf("%-40s %10.3f %8s %10.3f %8s %10s\n", label, t.ms / u.ms, "", t.cpu_ms / u.cpu_ms, "",
           "");
    snprintf(label, sizeof label, "  %s / %s: size", with_name, without_name);
    printf("%-40s %lld / %lld bytes = %.3f\n", label, st, su, su > 0 ? (double)st / (double)su : 0);
}

/* A map whose one touchpoint has one thought of `bytes` letters without a space: a value no line
 * break can split, cut to what shows (docs/performance.md, "Long texts"). */
static bool write_one_long_map(const char *path, size_t bytes)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fputs("title: One long value\npersonas: [{id: p, name: P}]\nstages: [{id: a}]\n"
          "touchpoints:\n  - stage: a\n    name: N\n    thought: \"",
          f);
    for (size_t i = 0; i < bytes; i++)
        fputc('a' + (int)(i % 26), f);
    fputs("\"\n", f);
    return fclose(f) == 0;
}

/* One unbreakable value of 32 KiB and of 64 KiB (just under --max-string) to SVG, and the
 * ratios: linear in the length when the time above the Pango floor at most doubles. */
static bool long_value_rows(const char *dir, int runs, const sample *pango)
{
    static const size_t sizes[] = {32768, 65535};
    sample s[2];
    for (size_t i = 0; i < 2; i++) {
        char map[256], out[300], label[96];
        snprintf(map, sizeof map, "%s/one-long-%zu.yaml", dir, sizes[i]);
        snprintf(out, sizeof out, "%s/one-long-%zu.svg", dir, sizes[i]);
        if (!write_one_long_map(map, sizes[i])) {
            perror(map);
            return false;
        }
        char *cmd[] = {JMAP_BINARY, "build", map, "-o", out, NULL};
        s[i] = median(cmd, runs, 0);
        snprintf(label, sizeof label, "one %zu KiB unbreakable value → svg", (sizes[i] + 1) / 1024);
        row(label, s[i], pango);
    }
    printf("%-40s %10.2f %8s %10.2f\n", "  64 KiB / 32 KiB: time, cpu", s[1].ms / s[0].ms, "",
           s[1].cpu_ms / s[0].cpu_ms);
    printf("%-40s %10.2f %8s %10.2f\n", "  the same above the pango floor",
           (s[1].ms - pango->ms) / (s[0].ms - pango->ms), "",
           (s[1].cpu_ms - pango->cpu_ms) / (s[0].cpu_ms - pango->cpu_ms));
    return true;
}

/* The generated map of `n` touchpoints written to `path`; false (with perror) when it cannot be. */
static bool write_map(const char *path, size_t n, bool light)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return false;
    }
    gen_map(f, n, light);
    return fclose(f) == 0;
}

/* 20,000 touchpoints to SVG beside the 10,000 of the same run: time and memory should at most
 * double (the target: 20,000 / 10,000 <= 2.1 in both). */
static bool scale_rows(const char *dir, int runs, const sample *pango, const sample *svg10k)
{
    char map[256], out[300];
    snprintf(map, sizeof map, "%s/map-20000.yaml", dir);
    snprintf(out, sizeof out, "%s/out-20000.svg", dir);
    if (!write_map(map, 20000, false))
        return false;
    char *cmd[] = {JMAP_BINARY, "build", map, "-o", out, NULL};
    sample s = median(cmd, runs, 0);
    row("20000 touchpoints → svg", s, pango);
    printf("%-40s %10.2f %8s %10.2f %8s %10.2f\n", "  20,000 / 10,000: time, cpu, peak",
           s.ms / svg10k->ms, "", s.cpu_ms / svg10k->cpu_ms, "",
           (double)s.rss_kb / (double)svg10k->rss_kb);
    return true;
}

/* One `jmap build map -o out` with libjmap_memsplit.so preloaded: the heap in use at its peak,
 * split by the phase that allocated it and the library that asked (memsplit.h). */
static bool memory_split(const char *dir, const char *map, const char *out, const char *what)
{
    char report[300];
    snprintf(report, sizeof report, "%s/memsplit.txt", dir);
    setenv("LD_PRELOAD", MEMSPLIT_LIB, 1);
    setenv("JMAP_MEMSPLIT_OUT", report, 1);
    char *cmd[] = {JMAP_BINARY, "build", (char *)map, "-o", (char *)out, NULL};
    run_once(cmd, 0);
    unsetenv("LD_PRELOAD");
    unsetenv("JMAP_MEMSPLIT_OUT");
    FILE *f = fopen(report, "r");
    if (!f) {
        perror(report);
        return false;
    }
    long long peak = 0, fin_in = 0, fin_out = 0, cls[MS_CLASSES] = {0};
    long rss = 0;
    int ok = fscanf(f, "peak %lld\nfinish_in %lld\nfinish_out %lld\nrss_kb %ld\n", &peak, &fin_in,
                    &fin_out, &rss);
    int ph, lib;
    long long v;
    while (ok == 4 && fscanf(f, "class %d %d %lld\n", &ph, &lib, &v) == 3) {
        if (ph >= 0 && ph < MS_PHASES && lib >= 0 && lib < MS_LIBS)
            cls[ph * MS_LIBS + lib] = v;
    }
    fclose(f);
    if (ok != 4)
        return false;
    static const char *const phases[] = {"start", "load", "layout", "paint", "finish"};
    static const char *const libs[] = {"jmap",  "libyaml", "pango", "fonts",
                                       "cairo", "glib",    "other"};
    const double mb = 1024.0 * 1024.0;
    printf("\nheap at its peak, %s → svg (MB; phase allocated × library asking):\n", what);
    printf("%-10s", "");
    for (int p = 0; p < MS_PHASES; p++)
        printf(" %8s", phases[p]);
    printf(" %8s\n", "all");
    for (int l = 0; l < MS_LIBS; l++) {
        long long sum = 0;
        printf("%-10s", libs[l]);
        for (int p = 0; p < MS_PHASES; p++) {
            sum += cls[p * MS_LIBS + l];
            printf(" %8.1f", (double)cls[p * MS_LIBS + l] / mb);
        }
        printf(" %8.1f\n", (double)sum / mb);
    }
    /* jmap's own: its code's blocks, libyaml's, and the Pango layouts made while measuring. */
    long long own = cls[MS_PHASE_LAYOUT * MS_LIBS + MS_LIB_PANGO];
    for (int p = 0; p < MS_PHASES; p++)
        own += cls[p * MS_LIBS + MS_LIB_JMAP] + cls[p * MS_LIBS + MS_LIB_YAML];
    printf("heap peak %.1f MB, of it jmap's own %.1f MB (%.0f %%); in use when Cairo's finish "
           "began %.1f MB, ended %.1f MB; peak RSS %.1f MB (with the counter's headers)\n",
           (double)peak / mb, (double)own / mb, peak ? 100.0 * (double)own / (double)peak : 0,
           (double)fin_in / mb, (double)fin_out / mb, (double)rss / 1024);
    return true;
}

/* What jmap's own line filling from shaped words saves (issue 14): the same map laid out and
 * drawn with every text through a PangoLayout (JMAP_BENCH_LAYOUT_ONLY_PANGO, src/text_pango.c)
 * and without, in the same run. */
static void text_engine_cost(const char *map, size_t touchpoints, const char *dir, int runs,
                             const sample *pango)
{
    char out[300], label[96];
    snprintf(out, sizeof out, "%s/engine-%zu.svg", dir, touchpoints);
    char *dump[] = {JMAP_BINARY, "build", "--dump-layout", (char *)map, "-o", "/dev/null", NULL};
    char *svg[] = {JMAP_BINARY, "build", (char *)map, "-o", out, NULL};
    char **cmds[] = {dump, svg};
    const char *what[] = {"layout only", "svg"};
    for (size_t c = 0; c < 2; c++) {
        setenv("JMAP_BENCH_LAYOUT_ONLY_PANGO", "1", 1);
        sample old = median(cmds[c], runs, 0);
        unsetenv("JMAP_BENCH_LAYOUT_ONLY_PANGO");
        sample now = median(cmds[c], runs, 0);
        snprintf(label, sizeof label, "  %zu → %s, PangoLayout only", touchpoints, what[c]);
        row(label, old, pango);
        snprintf(label, sizeof label, "  %zu → %s, words", touchpoints, what[c]);
        row(label, now, pango);
        snprintf(label, sizeof label, "  words / PangoLayout: time, cpu");
        printf("%-40s %10.3f %8s %10.3f %8s %10s\n", label, now.ms / old.ms, "",
               now.cpu_ms / old.cpu_ms, "", "");
    }
}

/* Only the floors and the text engine's rows: `jmap_bench --text [RUNS]`. */
static int text_only(int runs, const char *dir)
{
    char *floor2[] = {FLOOR_PANGO, NULL};
    sample f2 = median(floor2, runs * 3, 0);
    printf("%-40s %10s %8s %10s %8s %10s\n", "", "wall ms", "× pango", "cpu ms", "× pango",
           "peak MB");
    row("floor: pango + one line + empty svg", f2, &f2);
    static const size_t sizes[] = {24, 1000};
    for (size_t i = 0; i < 2; i++) {
        char map[256];
        snprintf(map, sizeof map, "%s/map-%zu.yaml", dir, sizes[i]);
        if (!write_map(map, sizes[i], false))
            return 1;
        text_engine_cost(map, sizes[i], dir, runs, &f2);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}

/* The examples that need no file beside them (kpi-trends reads data, store-visit a model). */
static const char *const batch_examples[] = {"b2b-procurement", "clinic-booking",
                                             "grocery-first-order", "saas-trial",
                                             "subscription-retention"};
#define BATCH_VARIANTS 20
#define BATCH_MAPS (5 * BATCH_VARIANTS)

/* `jmap build` of the whole batch into out/ with -j `jobs`: an argv the caller frees. */
static char **batch_argv(char **maps, const char *out, const char *jobs)
{
    char **argv = calloc(BATCH_MAPS + 7, sizeof(char *));
    if (!argv)
        abort();
    size_t n = 0;
    argv[n++] = JMAP_BINARY;
    argv[n++] = "build";
    for (size_t i = 0; i < BATCH_MAPS; i++)
        argv[n++] = maps[i];
    argv[n++] = "-O";
    argv[n++] = (char *)out;
    argv[n++] = "-j";
    argv[n++] = (char *)jobs;
    return argv;
}

static int cmp_sample_ms(const void *a, const void *b)
{
    return cmp_double(&((const sample *)a)->ms, &((const sample *)b)->ms);
}

/* The median run by wall time, and the median CPU time (both of `runs` samples). */
static sample median_of(sample *s, int runs)
{
    double *cpu = calloc((size_t)runs, sizeof(double));
    if (!cpu)
        abort();
    for (int i = 0; i < runs; i++)
        cpu[i] = s[i].cpu_ms;
    qsort(cpu, (size_t)runs, sizeof(double), cmp_double);
    qsort(s, (size_t)runs, sizeof(sample), cmp_sample_ms);
    sample m = s[runs / 2];
    m.cpu_ms = cpu[runs / 2];
    free(cpu);
    return m;
}

/* Issue 14: 100 distinct maps to SVG in one -O call, drawn by one process and by two workers;
 * the two are run alternately, so a change in the machine's load touches both alike. The CPU
 * time is jmap's and its workers' (wait4 counts the children a process has waited for). */
static bool batch_rows(const char *dir, int runs, const sample *pango)
{
    char maps_dir[300], out[300];
    snprintf(maps_dir, sizeof maps_dir, "%s/batch", dir);
    snprintf(out, sizeof out, "%s/batch-out", dir);
    if (mkdir(maps_dir, 0777) != 0)
        return false;
    char *examples[5], *maps[BATCH_MAPS];
    for (size_t i = 0; i < 5; i++) {
        examples[i] = malloc(400);
        if (!examples[i])
            abort();
        snprintf(examples[i], 400, "%s/%s.yaml", JMAP_EXAMPLES_DIR, batch_examples[i]);
    }
    bool ok = gen_batch((const char *const *)examples, 5, BATCH_VARIANTS, maps_dir, maps);
    for (size_t i = 0; i < 5; i++)
        free(examples[i]);
    if (!ok)
        return false;
    /* Every variant is a valid map without a warning (run_once stops the bench if not). */
    char **check = batch_argv(maps, out, "1");
    check[1] = "check";
    check[2 + BATCH_MAPS] = "--werror";
    check[3 + BATCH_MAPS] = NULL;
    run_once(check, 0);
    free(check);
    char **one = batch_argv(maps, out, "1"), **two = batch_argv(maps, out, "2");
    sample *s1 = calloc((size_t)runs, sizeof(sample)), *s2 = calloc((size_t)runs, sizeof(sample));
    if (!s1 || !s2)
        abort();
    run_once(one, 0); /* warm-up */
    run_once(two, 0);
    for (int i = 0; i < runs; i++) {
        s1[i] = run_once(one, 0);
        s2[i] = run_once(two, 0);
    }
    sample m1 = median_of(s1, runs), m2 = median_of(s2, runs);
    row("100 maps → svg, one -O call, -j 1", m1, pango);
    row("100 maps → svg, one -O call, -j 2", m2, pango);
    printf("%-40s %10.2f %8s %10.2f\n", "  per map, -j 1 (wall, cpu)", m1.ms / BATCH_MAPS, "",
           m1.cpu_ms / BATCH_MAPS);
    printf("%-40s %10.2f %8s %10.2f\n", "  per map, -j 2 (wall, cpu)", m2.ms / BATCH_MAPS, "",
           m2.cpu_ms / BATCH_MAPS);
    printf("%-40s %10.3f %8s %10.3f   (target: wall <= 0.6 on two cores)\n",
           "  -j 2 / -j 1 (wall, cpu)", m2.ms / m1.ms, "", m2.cpu_ms / m1.cpu_ms);
    for (size_t i = 0; i < BATCH_MAPS; i++)
        free(maps[i]);
    free(one);
    free(two);
    free(s1);
    free(s2);
    return true;
}

int main(int argc, char **argv)
{
    bool text = argc > 1 && strcmp(argv[1], "--text") == 0;
    if (text) {
        argc--;
        argv++;
    }
    bool batch_only = argc > 1 && strcmp(argv[1], "--batch") == 0;
    if (batch_only) {
        argv++;
        argc--;
    }
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "--gen") == 0) {
        gen_map(stdout, (size_t)strtoul(argv[2], NULL, 10),
                argc == 4 && strcmp(argv[3], "--light") == 0);
        return 0;
    }
    /* --cost: only what issue 12's additions cost, with many runs (docs/performance.md). */
    bool cost_only = argc > 1 && strcmp(argv[1], "--cost") == 0;
    if (cost_only) {
        argc--;
        argv++;
    }
    int runs = cost_only ? 41 : 7;
    bool large = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--large") == 0)
            large = true;
        else
            runs = atoi(argv[i]);
    }
    if (runs < 1)
        runs = 1;
    char dir[] = "/tmp/jmap-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    if (text)
        return text_only(runs, dir);
    char *floor1[] = {FLOOR_LINK, NULL};
    char *floor2[] = {FLOOR_PANGO, NULL};
    sample f1 = median(floor1, runs * 3, 0);
    sample f2 = median(floor2, runs * 3, 0);
    printf("jmap benchmark: median of %d runs after one warm-up (floors: %d runs)\n\n", runs,
           runs * 3);
    printf("%-40s %10s %8s %10s %8s %10s\n", "", "wall ms", "× pango", "cpu ms", "× pango",
           "peak MB");
    row("floor: linked, does nothing", f1, &f2);
    row("floor: pango + one line + empty svg", f2, &f2);

    if (cost_only) {
        static const size_t cost_sizes[] = {24, 1000};
        for (size_t i = 0; i < 2; i++) {
            char map[256];
            snprintf(map, sizeof map, "%s/map-%zu.yaml", dir, cost_sizes[i]);
            if (!write_map(map, cost_sizes[i], false))
                return 1;
            printf("%zu touchpoints, %d alternating runs\n", cost_sizes[i], runs);
            tag_cost(map, dir, "pdf", runs, &f2);
            tag_cost(map, dir, "svg", runs, &f2);
        }
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : 1;
    }
    if (!batch_rows(dir, runs, &f2)) {
        perror("jmap_bench: the batch");
        return 1;
    }
    if (batch_only) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : 1;
    }

    /* The data join: a million rows for a hundred KPIs, read, checked and joined. */
    {
        char map[256], csv[256], data[300];
        snprintf(map, sizeof map, "%s/data-map.yaml", dir);
        snprintf(csv, sizeof csv, "%s/data-1m.csv", dir);
        snprintf(data, sizeof data, "--data=%s", csv);
        if (!gen_data_map(map, 100) || !gen_data_csv(csv, 1000000, 100)) {
            perror(csv);
            return 1;
        }
        int data_runs = runs < 3 ? runs : 3;
        char *check[] = {JMAP_BINARY, "check", data, map, NULL};
        row("1,000,000 data rows, 100 KPIs → check", median(check, data_runs, 0), &f2);
        char *dump[] = {JMAP_BINARY, "build", "--dump-layout", data, map, "-o", "/dev/null", NULL};
        row("1,000,000 data rows, 100 KPIs → layout", median(dump, data_runs, 0), &f2);
        char *plain[] = {JMAP_BINARY, "check", map, NULL};
        row("the same map without data → check", median(plain, data_runs, 0), &f2);
    }

    static const size_t sizes[] = {24, 1000, 10000};
    static const char *const formats[] = {"svg", "pdf", "png"};
    sample svg10k = {0};
    for (size_t i = 0; i < (large ? 3 : 2); i++) {
        char map[256], label[96];
        snprintf(map, sizeof map, "%s/map-%zu.yaml", dir, sizes[i]);
        if (!write_map(map, sizes[i], false))
            return 1;

        /* Load, check and lay out with Pango, but draw nothing: the share of layout. */
        char *dump[] = {JMAP_BINARY, "build", "--dump-layout", map, "-o", "/dev/null", NULL};
        snprintf(label, sizeof label, "%zu touchpoints → layout only", sizes[i]);
        row(label, median(dump, runs, 0), &f2);

        double w = 0, h = 0;
        if (!scene_size(map, &w, &h)) {
            fprintf(stderr, "jmap_bench: cannot lay out '%s'\n", map);
            return 1;
        }
        for (size_t j = 0; j < 3; j++) {
            char out[300], dpi[32];
            snprintf(out, sizeof out, "%s/out-%zu.%s", dir, sizes[i], formats[j]);
            bool png = j == 2;
            int d = png ? png_dpi(w, h) : DEFAULT_DPI;
            /* Too large at any dpi: time jmap's refusal at its smallest dpi, and say so. */
            snprintf(dpi, sizeof dpi, "--dpi=%d", d ? d : MIN_DPI);
            char *cmd[] = {JMAP_BINARY, "build", map, "-o", out, dpi, NULL};
            sample s = median(cmd, runs, png && d == 0 ? -1 : 0);
            if (png && d == 0)
                snprintf(label, sizeof label, "%zu touchpoints → png REFUSED", sizes[i]);
            else if (png)
                snprintf(label, sizeof label, "%zu touchpoints → png (%d dpi)", sizes[i], d);
            else
                snprintf(label, sizeof label, "%zu touchpoints → %s", sizes[i], formats[j]);
            row(label, s, &f2);
            if (sizes[i] == 10000 && j == 0)
                svg10k = s;
        }
        if (sizes[i] == 24) {
            tag_cost(map, dir, "pdf", runs, &f2);
            tag_cost(map, dir, "svg", runs, &f2);
        }
        if (sizes[i] <= 1000)
            text_engine_cost(map, sizes[i], dir, runs, &f2);
        /* The same SVG in DejaVu Sans, whose shaping is far cheaper than Inter's: how much of
         * the time is the default font's. */
        char out[300];
        snprintf(out, sizeof out, "%s/out-%zu-dejavu.svg", dir, sizes[i]);
        char *dv[] = {JMAP_BINARY, "build", map, "-o", out, "--font", "DejaVu Sans", NULL};
        snprintf(label, sizeof label, "%zu touchpoints → svg in DejaVu Sans", sizes[i]);
        row(label, median(dv, runs, 0), &f2);

        /* The light map: name, action and emotion only. */
        char light[256];
        snprintf(light, sizeof light, "%s/light-%zu.yaml", dir, sizes[i]);
        if (!write_map(light, sizes[i], true))
            return 1;
        snprintf(out, sizeof out, "%s/light-%zu.svg", dir, sizes[i]);
        char *lc[] = {JMAP_BINARY, "build", light, "-o", out, NULL};
        snprintf(label, sizeof label, "%zu touchpoints, light map → svg", sizes[i]);
        row(label, median(lc, runs, 0), &f2);
        printf("%-40s %.0f x %.0f pt\n", "", w, h);
    }
    if (large && !scale_rows(dir, runs, &f2, &svg10k))
        return 1;
    if (!long_value_rows(dir, runs, &f2))
        return 1;

    /* Four 64 KiB values of each kind of text: only what shows is laid out. */
    static const struct {
        const char *name, *unit;
    } kinds[] = {
        {"latin", "a"},
        {"cjk", "\xe6\xbc\xa2"},
        {"marks", "e\xcc\x81\xcc\xa3"},
        {"emoji", "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb"},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char map[256], label[96];
        snprintf(map, sizeof map, "%s/long-%s.yaml", dir, kinds[k].name);
        if (!write_long_map(map, kinds[k].unit)) {
            perror(map);
            return 1;
        }
        for (size_t j = 0; j < 3; j++) {
            char out[300];
            snprintf(out, sizeof out, "%s/long-%s.%s", dir, kinds[k].name, formats[j]);
            char *cmd[] = {JMAP_BINARY, "build", map, "-o", out, NULL};
            snprintf(label, sizeof label, "4 × 64 KiB %s → %s", kinds[k].name, formats[j]);
            row(label, median(cmd, runs, 0), &f2);
        }
    }
    for (size_t i = 1; i < (large ? 3 : 2); i++) {
        char map[256], out[300], what[64];
        snprintf(map, sizeof map, "%s/map-%zu.yaml", dir, sizes[i]);
        snprintf(out, sizeof out, "%s/memsplit.svg", dir);
        snprintf(what, sizeof what, "%zu touchpoints", sizes[i]);
        if (!memory_split(dir, map, out, what))
            return 1;
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
