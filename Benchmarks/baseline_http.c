/*
 * The baselines of the sync benchmarks (docs/performance.md): what a host would do with raw
 * libcurl, one easy handle reused for every request (keep-alive), mutual TLS with the
 * professional's certificate and key in PEM files, the same TLS policy as libcarnet
 * (TLS 1.2 minimum, ECDHE suites, peer and host verified).
 *
 *   baseline_http push <fhir base> <ca> <cert> <key> <carnet id> <count> <identifier system> <prefix>
 *       POSTs <count> Immunizations as conditional creates (If-None-Exist on the identifier),
 *       the same resource and headers libcarnet sends; reads every answer.
 *   baseline_http poll <fhir base> <ca> <cert> <key> <file of carnet ids>
 *       One GET Immunization?patient=<id> per carnet (following `next` pages): per-carnet polling.
 *
 * Prints one JSON line: {"requests": N, "seconds": S, "ok": N, "bytes": N}.
 */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct buffer {
    char *data;
    size_t size, capacity;
};

static size_t on_body(char *ptr, size_t size, size_t count, void *userdata) {
    struct buffer *b = userdata;
    size_t n = size * count;
    if (b->size + n + 1 > b->capacity) {
        size_t cap = b->capacity ? b->capacity * 2 : 4096;
        while (cap < b->size + n + 1) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) return 0;
        b->data = grown;
        b->capacity = cap;
    }
    memcpy(b->data + b->size, ptr, n);
    b->size += n;
    b->data[b->size] = 0;
    return n;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void percent_encode(const char *in, char *out, size_t cap) {
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 4 < cap; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~') {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = 0;
}

static void request_id(char *out) {
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 24; i++) out[i] = hex[rand() & 15];
    out[24] = 0;
}

static CURL *make_handle(const char *ca, const char *cert, const char *key, struct buffer *body) {
    CURL *curl = curl_easy_init();
    if (!curl) return NULL;
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(curl, CURLOPT_SSL_CIPHER_LIST, "ECDHE+AESGCM:ECDHE+CHACHA20");
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca);
    curl_easy_setopt(curl, CURLOPT_SSLCERT, cert);
    curl_easy_setopt(curl, CURLOPT_SSLKEY, key);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "baseline/1");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    return curl;
}

static int push(int argc, char **argv) {
    if (argc != 10) return 2;
    const char *base = argv[2], *ca = argv[3], *cert = argv[4], *key = argv[5], *carnet = argv[6];
    long count = strtol(argv[7], NULL, 10);
    const char *system = argv[8], *prefix = argv[9];
    struct buffer body = {0};
    CURL *curl = make_handle(ca, cert, key, &body);
    if (!curl) return 1;
    char url[1024];
    snprintf(url, sizeof url, "%s/Immunization", base);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    long ok = 0, bytes = 0;
    double started = now();
    for (long i = 0; i < count; i++) {
        char value[128], token[512], encoded[1024], condition[1100], rid[32], rid_header[64], json[2048];
        snprintf(value, sizeof value, "%s-%ld", prefix, i);
        snprintf(token, sizeof token, "%s|%s", system, value);
        percent_encode(token, encoded, sizeof encoded);
        snprintf(condition, sizeof condition, "If-None-Exist: identifier=%s", encoded);
        request_id(rid);
        snprintf(rid_header, sizeof rid_header, "X-Request-Id: %s", rid);
        snprintf(json, sizeof json,
                 "{\"resourceType\":\"Immunization\",\"identifier\":[{\"system\":\"%s\",\"value\":\"%s\"}],"
                 "\"vaccineCode\":{\"coding\":[{\"system\":\"https://smt.esante.gouv.fr/terminologie-bdpm\","
                 "\"code\":\"61921204\",\"display\":\"AGRIPPAL\"}]},\"occurrenceDateTime\":\"2025-10-15\","
                 "\"status\":\"completed\",\"patient\":{\"reference\":\"Patient/%s\"}}",
                 system, value, carnet);
        struct curl_slist *headers = NULL;
        headers = curl_slist_append(headers, "Accept: application/fhir+json");
        headers = curl_slist_append(headers, "Content-Type: application/fhir+json; charset=utf-8");
        headers = curl_slist_append(headers, rid_header);
        headers = curl_slist_append(headers, condition);
        headers = curl_slist_append(headers, "Expect:");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(json));
        curl_easy_setopt(curl, CURLOPT_COPYPOSTFIELDS, json);
        body.size = 0;
        CURLcode rc = curl_easy_perform(curl);
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (rc == CURLE_OK && (status == 200 || status == 201)) ok++;
        else fprintf(stderr, "request %ld: curl %d, HTTP %ld\n", i, (int)rc, status);
        bytes += (long)body.size;
        curl_slist_free_all(headers);
    }
    double elapsed = now() - started;
    printf("{\"requests\": %ld, \"seconds\": %.6f, \"ok\": %ld, \"bytes\": %ld}\n", count, elapsed, ok, bytes);
    curl_easy_cleanup(curl);
    free(body.data);
    return ok == count ? 0 : 1;
}

static int poll_carnets(int argc, char **argv) {
    if (argc != 7) return 2;
    const char *base = argv[2], *ca = argv[3], *cert = argv[4], *key = argv[5];
    FILE *ids = fopen(argv[6], "r");
    if (!ids) return 1;
    struct buffer body = {0};
    CURL *curl = make_handle(ca, cert, key, &body);
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/fhir+json");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    long requests = 0, ok = 0, bytes = 0;
    char line[256];
    double started = now();
    while (fgets(line, sizeof line, ids)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) continue;
        char url[2048];
        snprintf(url, sizeof url, "%s/Immunization?patient=%s&_count=100", base, line);
        for (int page = 0; page < 100; page++) {
            curl_easy_setopt(curl, CURLOPT_URL, url);
            body.size = 0;
            CURLcode rc = curl_easy_perform(curl);
            long status = 0;
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
            requests++;
            bytes += (long)body.size;
            if (rc != CURLE_OK || status != 200) {
                fprintf(stderr, "poll: curl %d, HTTP %ld\n", (int)rc, status);
                break;
            }
            ok++;
            /* Follow a `next` link's _after, like a careful host would. */
            char *next = body.data ? strstr(body.data, "\"relation\":\"next\"") : NULL;
            char *after = next ? strstr(next, "_after=") : NULL;
            if (!after) break;
            after += 7;
            size_t n = strcspn(after, "\"&");
            snprintf(url, sizeof url, "%s/Immunization?patient=%s&_count=100&_after=%.*s", base, line, (int)n, after);
        }
    }
    double elapsed = now() - started;
    fclose(ids);
    printf("{\"requests\": %ld, \"seconds\": %.6f, \"ok\": %ld, \"bytes\": %ld}\n", requests, elapsed, ok, bytes);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    free(body.data);
    return 0;
}

int main(int argc, char **argv) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = 2;
    if (argc > 1 && strcmp(argv[1], "push") == 0) rc = push(argc, argv);
    else if (argc > 1 && strcmp(argv[1], "poll") == 0) rc = poll_carnets(argc, argv);
    if (rc == 2) fprintf(stderr, "usage: see the comment at the top of baseline_http.c\n");
    curl_global_cleanup();
    return rc;
}
