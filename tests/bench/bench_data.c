#define _DEFAULT_SOURCE /* wait4() */
/*
 * jmap_bench_data: reading a KPI data file of 1,000,000 rows (100 KPIs, about 50 MB) with
 * jmap_data_read, next to a floor measured in the same run: reading the same bytes and passing
 * them through libcsv with callbacks that do nothing. Each measure runs in a child process
 * of its own, so its peak memory (RSS, from wait4) is its own; figures are medians.
 * See docs/performance.md ("Reading data files").
 *
 * Usage: jmap_bench_data [RUNS] [ROWS]     the table (default 5 runs, 1,000,000 rows)
 *        jmap_bench_data --gen ROWS        write the data file to stdout (for profiling)
 */
#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jmap/data.h"

#define N_KPIS 100

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Rows as a nightly export writes them: 100 KPIs, one row per KPI and day going back from
 * 2026-12-31, an actual with three decimals, a target on every other row. */
static void generate(FILE *out, long rows)
{
    static const unsigned char mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    fputs("kpi,date,actual,target\n", out);
    unsigned y = 2026, m = 12, d = 31;
    for (long i = 0; i < rows; i++) {
        int k = (int)(i % N_KPIS);
        if (k == 0 && i > 0) { /* the day before */
            if (--d == 0) {
                if (--m == 0) {
                    m = 12;
                    y--;
                }
                bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                d = mdays[m - 1] + (m == 2 && leap);
            }
        }
        double actual = 1000.0 + (double)((i * 7919) % 100000) / 1000.0;
        if (i % 2)
            fprintf(out, "checkout-conversion-%03d,%04u-%02u-%02u,%.3f,%d\n", k, y, m, d, actual,
                    2000 + k);
        else
            fprintf(out, "checkout-conversion-%03d,%04u-%02u-%02u,%.3f,\n", k, y, m, d, actual);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0) {
        perror(path);
        exit(1);
    }
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(1);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void no_field(void *s, size_t len, void *data)
{
    (void)s;
    (void)len;
    ++*(size_t *)data;
}

static void no_row(int c, void *data)
{
    (void)c;
    (void)data;
}

/* What one child does; returns the rows it saw. */
static size_t work(const char *what, const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    size_t n = 0;
    if (strcmp(what, "floor") == 0) {
        struct csv_parser p;
        csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
        size_t fields = 0;
        csv_parse(&p, text, len, no_field, no_row, &fields);
        csv_fini(&p, no_field, no_row, &fields);
        csv_free(&p);
        n = fields / 4 - 1;
    } else {
        jmap_data_file *f = jmap_data_read(path, text, len, 0);
        n = f->n_rows;
        if (jmap_diags_failed(&f->diags))
            n = 0;
        jmap_data_file_free(f);
    }
    free(text);
    return n;
}

typedef struct sample {
    double ms;
    long rss_kb;
    size_t rows;
} sample;

/* One child: it times its own work (the process start is not the reader's) and sends it back. */
static sample run_once(const char *what, const char *path)
{
    int fd[2];
    if (pipe(fd) != 0) {
        perror("pipe");
        exit(1);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        double t0 = now_ms();
        size_t rows = work(what, path);
        sample s = {now_ms() - t0, 0, rows};
        _exit(write(fd[1], &s, sizeof s) == (ssize_t)sizeof s ? 0 : 1);
    }
    close(fd[1]);
    sample s = {0, 0, 0};
    if (read(fd[0], &s, sizeof s) != (ssize_t)sizeof s) {
        fprintf(stderr, "jmap_bench_data: the '%s' child failed\n", what);
        exit(1);
    }
    close(fd[0]);
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    s.rss_kb = ru.ru_maxrss;
    return s;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static sample median(const char *what, const char *path, int runs)
{
    double ms[64], rss[64];
    sample s = {0, 0, 0};
    for (int i = 0; i < runs; i++) {
        s = run_once(what, path);
        ms[i] = s.ms;
        rss[i] = (double)s.rss_kb;
    }
    qsort(ms, (size_t)runs, sizeof(double), cmp_double);
    qsort(rss, (size_t)runs, sizeof(double), cmp_double);
    return (sample){ms[runs / 2], (long)rss[runs / 2], s.rows};
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--gen") == 0) {
        generate(stdout, atol(argv[2]));
        return 0;
    }
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    long rows = argc > 2 ? atol(argv[2]) : 1000000;
    if (runs < 1 || runs > 64 || rows < 1) {
        fputs("usage: jmap_bench_data [RUNS (1-64)] [ROWS]\n", stderr);
        return 2;
    }
    char path[] = "/tmp/jmap_bench_data_XXXXXX";
    int fd = mkstemp(path);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        perror("mkstemp");
        return 1;
    }
    double t0 = now_ms();
    generate(out, rows);
    fclose(out);
    double gen_ms = now_ms() - t0;
    size_t len;
    free(slurp(path, &len));

    printf("data file: %ld rows, %d KPIs, %.1f MB, generated in %.0f ms (%.2f M rows/s)\n", rows,
           N_KPIS, (double)len / 1e6, gen_ms, (double)rows / gen_ms / 1e3);
    printf("median of %d runs, each in its own process (wall time of the work; peak RSS of "
           "the process)\n\n",
           runs);
    sample floor = median("floor", path, runs);
    sample read = median("read", path, runs);
    if (floor.rows != (size_t)rows || read.rows != (size_t)rows) {
        fprintf(stderr, "jmap_bench_data: rows seen: floor %zu, reader %zu, not %ld\n", floor.rows,
                read.rows, rows);
        unlink(path);
        return 1;
    }
    printf("| %-40s | %9s | %10s | %9s | %13s |\n", "", "wall", "rows/s", "peak RSS", "vs floor");
    printf("|%.*s|%.*s|%.*s|%.*s|%.*s|\n", 42, "------------------------------------------", 11,
           "-----------", 12, "------------", 11, "-----------", 15, "---------------");
    printf("| %-40s | %6.0f ms | %8.2f M | %6.0f MB | %13s |\n",
           "floor: read the bytes, libcsv, no-op", floor.ms, (double)rows / floor.ms / 1e3,
           (double)floor.rss_kb / 1024, "1.0 x");
    printf("| %-40s | %6.0f ms | %8.2f M | %6.0f MB | %4.1f x, %4.2f x |\n",
           "jmap_data_read (bytes included)", read.ms, (double)rows / read.ms / 1e3,
           (double)read.rss_kb / 1024, read.ms / floor.ms,
           (double)read.rss_kb / (double)floor.rss_kb);
    printf("\n(vs floor: time, then peak memory)\n");
    unlink(path);
    return 0;
}
