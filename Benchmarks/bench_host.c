/*
 * C drivers of the library benchmarks (docs/performance.md), so that no interpreter sits
 * between the clock and libcarnet.
 *
 *   bench_host open <store dir> <libcarnet.so path>
 *       dlopen + carnet_client_open: wall time, and resident memory added to the process
 *       (/proc/self/statm before and after). One JSON line.
 *   bench_host sync <store dir> <libcarnet.so path> <service url> <ca> <secret>
 *       One carnet_sync() (push what the outbox holds, then pull the changes feed): wall time.
 *   bench_host links <store dir> <libcarnet.so path> <count> <lookups>
 *       carnet_link_get on random patients "p<i>" (i < count): p50/p99/max per call; baselines
 *       in the same run: carnet_version_number() (the cost of a call and the clock) and a raw
 *       SQLite primary-key lookup on the same file with a prepared statement.
 *   bench_host search <store dir> <libcarnet.so path> <queries file> <terms file> <runs>
 *       carnet_vaccines_search over the whole catalogue: open time, the first search (the
 *       catalogue is parsed at first use) and the resident memory both add, then p50/p99/max per
 *       call over <runs> passes of the queries (one per line). Baseline in the same run: a naive
 *       scan of the same products (one line of folded terms each, from run_bench.py), strstr on
 *       every line per query, at most 20 hits, no ranking.
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "carnet.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kib(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

typedef carnet_status (*options_init_fn)(carnet_options *, uint32_t);
typedef carnet_status (*open_fn)(const carnet_options *, carnet_client **, carnet_error *);
typedef void (*close_fn)(carnet_client *);
typedef carnet_status (*link_get_fn)(carnet_client *, const char *, char **, carnet_error *);
typedef carnet_status (*sync_fn)(carnet_client *, const char *, char **, carnet_error *);
typedef void (*free_fn)(char *);
typedef uint32_t (*version_fn)(void);
typedef carnet_status (*search_fn)(carnet_client *, const char *, char **, carnet_error *);

struct api {
    void *handle;
    options_init_fn options_init;
    open_fn open;
    close_fn close;
    link_get_fn link_get;
    sync_fn sync;
    free_fn string_free;
    version_fn version_number;
    search_fn search;
};

static int load(const char *path, struct api *api) {
    api->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!api->handle) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 0;
    }
    /* POSIX allows converting dlsym's result to a function pointer; memcpy keeps -pedantic quiet. */
#define SYM(field, name)                                   \
    do {                                                   \
        void *p = dlsym(api->handle, name);                \
        if (!p) return 0;                                  \
        memcpy(&api->field, &p, sizeof p);                 \
    } while (0)
    SYM(options_init, "carnet_options_init");
    SYM(open, "carnet_client_open");
    SYM(close, "carnet_client_close");
    SYM(link_get, "carnet_link_get");
    SYM(sync, "carnet_sync");
    SYM(string_free, "carnet_string_free");
    SYM(version_number, "carnet_version_number");
    SYM(search, "carnet_vaccines_search");
    return 1;
}

static carnet_client *open_client(struct api *api, const char *store, const char *url, const char *ca,
                                  const char *secret) {
    carnet_options options;
    api->options_init(&options, CARNET_OPTIONS_VERSION);
    options.store_directory = store;
    options.service_url = url;
    options.ca_bundle_path = ca;
    options.identity_secret = secret;
    carnet_client *client = NULL;
    carnet_error error = CARNET_ERROR_INIT;
    if (api->open(&options, &client, &error) != CARNET_OK) {
        fprintf(stderr, "open: %s\n", error.message);
        return NULL;
    }
    return client;
}

/* Reads a text file's lines (without their newline) into a malloc'd array; returns the count. */
static long read_lines(const char *path, char ***out) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long count = 0, capacity = 0;
    char **lines = NULL;
    char *line = NULL;
    size_t size = 0;
    ssize_t n;
    while ((n = getline(&line, &size, f)) > 0) {
        if (line[n - 1] == '\n') line[n - 1] = 0;
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 256;
            char **grown = realloc(lines, sizeof(char *) * (size_t)capacity);
            if (!grown) return -1;
            lines = grown;
        }
        lines[count++] = strdup(line);
    }
    free(line);
    fclose(f);
    *out = lines;
    return count;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void summary(const char *name, double *samples, long n) {
    qsort(samples, (size_t)n, sizeof *samples, compare);
    printf("\"%s\": {\"p50_us\": %.3f, \"p99_us\": %.3f, \"max_us\": %.3f}", name, samples[n / 2] * 1e6,
           samples[(n * 99) / 100] * 1e6, samples[n - 1] * 1e6);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: see the comment at the top of bench_host.c\n");
        return 2;
    }
    const char *mode = argv[1], *store = argv[2], *path = argv[3];
    struct api api;
    if (strcmp(mode, "open") == 0) {
        long before = rss_kib();
        double t0 = now();
        if (!load(path, &api)) return 1;
        double t1 = now();
        carnet_client *client = open_client(&api, store, NULL, NULL, NULL);
        double t2 = now();
        long after = rss_kib();
        if (!client) return 1;
        printf("{\"dlopen_ms\": %.3f, \"open_ms\": %.3f, \"total_ms\": %.3f, \"rss_before_kib\": %ld, "
               "\"rss_after_kib\": %ld, \"rss_added_kib\": %ld}\n",
               (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t2 - t0) * 1e3, before, after, after - before);
        api.close(client);
        return 0;
    }
    if (strcmp(mode, "search") == 0 && argc == 7) {
        long runs = strtol(argv[6], NULL, 10);
        char **queries = NULL, **terms = NULL;
        long nq = read_lines(argv[4], &queries), nt = read_lines(argv[5], &terms);
        if (nq <= 0 || nt <= 0 || runs <= 0) return 1;
        long before = rss_kib();
        double t0 = now();
        if (!load(path, &api)) return 1;
        carnet_client *client = open_client(&api, store, NULL, NULL, NULL);
        if (!client) return 1;
        double t1 = now();
        char *out = NULL;
        carnet_error error = CARNET_ERROR_INIT;
        if (api.search(client, queries[0], &out, &error) != CARNET_OK) return 1;
        api.string_free(out);
        double t2 = now();
        long after = rss_kib();
        long n = nq * runs, hits = 0;
        double *samples = malloc(sizeof(double) * (size_t)n);
        if (!samples) return 1;
        for (long r = 0; r < runs; r++) {
            for (long q = 0; q < nq; q++) {
                out = NULL;
                double s0 = now();
                carnet_status status = api.search(client, queries[q], &out, &error);
                api.string_free(out);
                samples[r * nq + q] = now() - s0;
                hits += status == CARNET_OK;
            }
        }
        printf("{\"queries\": %ld, \"runs\": %ld, \"products\": %ld, \"ok\": %ld, \"open_ms\": %.3f, "
               "\"first_search_ms\": %.3f, \"rss_added_kib\": %ld, ",
               nq, runs, nt, hits, (t1 - t0) * 1e3, (t2 - t1) * 1e3, after - before);
        summary("carnet_vaccines_search", samples, n);
        /* The naive baseline: every product's terms scanned for every query. */
        long found = 0;
        for (long r = 0; r < runs; r++) {
            for (long q = 0; q < nq; q++) {
                double s0 = now();
                long k = 0;
                char folded[512];
                size_t len = strlen(queries[q]);
                if (len >= sizeof folded) len = sizeof folded - 1;
                for (size_t i = 0; i < len; i++) {
                    unsigned char c = (unsigned char)queries[q][i];
                    folded[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                }
                folded[len] = 0;
                for (long t = 0; t < nt && k < 20; t++) k += strstr(terms[t], folded) != NULL;
                samples[r * nq + q] = now() - s0;
                found += k;
            }
        }
        printf(", ");
        summary("naive_scan", samples, n);
        printf(", \"naive_hits\": %ld}\n", found);
        api.close(client);
        return 0;
    }
    if (!load(path, &api)) return 1;
    if (strcmp(mode, "sync") == 0 && argc == 7) {
        carnet_client *client = open_client(&api, store, argv[4], argv[5], argv[6]);
        if (!client) return 1;
        char *out = NULL;
        carnet_error error = CARNET_ERROR_INIT;
        double t0 = now();
        carnet_status status = api.sync(client, NULL, &out, &error);
        double t1 = now();
        if (status != CARNET_OK) {
            fprintf(stderr, "sync: %d %s\n", status, error.message);
            return 1;
        }
        const char *pushed = strstr(out, "\"pushed\":");
        long added = 0;
        for (const char *p = strstr(out, "\"immunization\":"); p; p = strstr(p + 1, "\"immunization\":")) added++;
        printf("{\"seconds\": %.6f, \"pushed\": %ld, \"added\": %ld, \"offline\": %s}\n", t1 - t0,
               pushed ? strtol(pushed + 9, NULL, 10) : -1L, added, strstr(out, "\"offline\":true") ? "true" : "false");
        api.string_free(out);
        api.close(client);
        return 0;
    }
    if (strcmp(mode, "links") == 0 && argc == 6) {
        long count = strtol(argv[4], NULL, 10), lookups = strtol(argv[5], NULL, 10);
        carnet_client *client = open_client(&api, store, NULL, NULL, NULL);
        if (!client || count <= 0 || lookups <= 0) return 1;
        double *samples = malloc(sizeof(double) * (size_t)lookups);
        char patient[64];
        carnet_error error = CARNET_ERROR_INIT;
        srand(6);
        /* Warm up: the first call prepares what the store caches. */
        for (long i = 0; i < 1000; i++) {
            char *out = NULL;
            snprintf(patient, sizeof patient, "p%ld", (long)rand() % count);
            api.link_get(client, patient, &out, &error);
            api.string_free(out);
        }
        long found = 0;
        for (long i = 0; i < lookups; i++) {
            char *out = NULL;
            snprintf(patient, sizeof patient, "p%ld", (long)rand() % count);
            double t0 = now();
            carnet_status status = api.link_get(client, patient, &out, &error);
            api.string_free(out);
            samples[i] = now() - t0;
            found += status == CARNET_OK;
        }
        printf("{\"links\": %ld, \"lookups\": %ld, \"found\": %ld, ", count, lookups, found);
        summary("carnet_link_get", samples, lookups);
        for (long i = 0; i < lookups; i++) {
            double t0 = now();
            volatile uint32_t v = api.version_number();
            (void)v;
            samples[i] = now() - t0;
        }
        printf(", ");
        summary("call_and_clock", samples, lookups);
        api.close(client);
        /* Raw SQLite: the same primary-key lookup with one prepared statement. */
        char db_path[4096];
        snprintf(db_path, sizeof db_path, "%s/carnet.sqlite", store);
        sqlite3 *db = NULL;
        sqlite3_stmt *stmt = NULL;
        if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(db, "SELECT carnet_id FROM link WHERE patient_id = ?", -1, &stmt, NULL) != SQLITE_OK)
            return 1;
        for (long i = 0; i < lookups; i++) {
            snprintf(patient, sizeof patient, "p%ld", (long)rand() % count);
            double t0 = now();
            sqlite3_bind_text(stmt, 1, patient, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(stmt) == SQLITE_ROW) {
                char *copy = strdup((const char *)sqlite3_column_text(stmt, 0));
                free(copy);
            }
            sqlite3_reset(stmt);
            samples[i] = now() - t0;
        }
        printf(", ");
        summary("raw_sqlite_prepared", samples, lookups);
        printf("}\n");
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        free(samples);
        return 0;
    }
    fprintf(stderr, "usage: see the comment at the top of bench_host.c\n");
    return 2;
}
