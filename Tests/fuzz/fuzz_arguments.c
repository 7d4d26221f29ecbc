/* libFuzzer target for the C boundary of libcarnet.so: every input becomes
 * the string arguments of one entry point (the first byte picks which; the
 * rest is split at NUL bytes), on a client whose service is unreachable
 * (127.0.0.1:9), so validation, the local store and the failure paths run.
 * Built by mk/security.mk against the release library:
 *   clang -fsanitize=fuzzer,address -Iinclude Tests/fuzz/fuzz_arguments.c -lcarnet
 * Properties checked on every input, beyond "never crashes, never hangs":
 *   - the returned status equals error.status, and is a known status;
 *   - on failure every out_* is NULL; on success the out string is valid UTF-8;
 *   - error.message is NUL-terminated inside its buffer and valid UTF-8;
 *   - error.field is NUL-terminated printable ASCII, empty on success;
 *   - an error struct declaring fewer bytes (struct_size) than the library's
 *     layout, or an invalid size, is never written past what it declares. */
#include "carnet.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static carnet_client *client;
static char store[64];

static void fail(const char *what) {
    fprintf(stderr, "FUZZ FAILURE: %s\n", what);
    abort();
}

static int valid_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (len == 0 || i + len > n) return 0;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80) return 0;
        i += len;
    }
    return 1;
}

static void check(carnet_status status, const carnet_error *error, char **out) {
    if (status != error->status) fail("status differs from error.status");
    if ((int)status < 0 || (int)status > 64) fail("unknown status");
    const char *end = memchr(error->message, 0, sizeof error->message);
    if (end == NULL) fail("message not NUL-terminated");
    if (!valid_utf8((const unsigned char *)error->message, (size_t)(end - error->message))) fail("message not UTF-8");
    if (status == CARNET_OK && error->message[0] != 0) fail("message on success");
    const char *field_end = memchr(error->field, 0, sizeof error->field);
    if (field_end == NULL) fail("field not NUL-terminated");
    for (const char *f = error->field; f < field_end; f++)
        if (*f <= 0x20 || *f >= 0x7F) fail("field not printable ASCII");
    if (status == CARNET_OK && error->field[0] != 0) fail("field on success");
    if (out != NULL) {
        if (status != CARNET_OK && status != CARNET_PENDING && *out != NULL) fail("out set on failure");
        if (*out != NULL && !valid_utf8((const unsigned char *)*out, strlen(*out))) fail("out not UTF-8");
        carnet_string_free(*out);
        *out = NULL;
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    snprintf(store, sizeof store, "/tmp/carnet-fuzz-%ld", (long)getpid());
    carnet_options options = CARNET_OPTIONS_INIT;
    options.store_directory = store;
    options.service_url = "https://127.0.0.1:9/fhir";
    options.identity_secret = "fuzz";
    options.connect_timeout_ms = 200;
    options.request_timeout_ms = 500;
    carnet_error error = CARNET_ERROR_INIT;
    if (carnet_client_open(&options, &client, &error) != CARNET_OK) fail(error.message);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 8192) return 0;
    /* Up to five NUL-terminated fields after the selector; missing ones are NULL. */
    char *copy = malloc(size + 5);
    if (copy == NULL) return 0;
    memcpy(copy, data + 1, size - 1);
    memset(copy + size - 1, 0, 6);
    const char *field[5] = {NULL, NULL, NULL, NULL, NULL};
    size_t at = 0;
    for (int i = 0; i < 5 && at < size - 1; i++) {
        field[i] = copy + at;
        at += strlen(copy + at) + 1;
    }
    const char *a = field[0], *b = field[1], *c = field[2], *d = field[3];
    /* A valid size, every other byte poisoned: whatever the library leaves
     * unwritten shows as garbage to the checks. */
    carnet_error error = CARNET_ERROR_INIT;
    memset((char *)&error + sizeof error.struct_size, 0x5A, sizeof error - sizeof error.struct_size);
    char *out = NULL;
    carnet_status status;
    switch (data[0] % 15) {
    case 0: status = carnet_link_set(client, a, b, &error); check(status, &error, NULL); break;
    case 1: status = carnet_link_get(client, a, &out, &error); check(status, &error, &out); break;
    case 2: status = carnet_link_remove(client, a, &error); check(status, &error, NULL); break;
    case 3: status = carnet_vaccines_search(client, a, &out, &error); check(status, &error, &out); break;
    case 4: status = carnet_vaccinations_accept(client, a, b, &error); check(status, &error, NULL); break;
    case 5:
        status = (size % 2) ? carnet_vaccination_update(client, a, b, &out, &error)
                            : carnet_vaccination_add(client, a, b, &out, &error);
        check(status, &error, &out);
        break;
    case 6: status = carnet_vaccination_remove(client, a, b, &error); check(status, &error, NULL); break;
    case 7: status = carnet_record_create(client, a, b, &out, &error); check(status, &error, &out); break;
    case 8: status = carnet_record_claim(client, a, b, c, d, &out, &error); check(status, &error, &out); break;
    case 9: status = carnet_share_code_lookup(client, a, &out, &error); check(status, &error, &out); break;
    case 10: status = carnet_outbox_status(client, a, &out, &error); check(status, &error, &out); break;
    case 11: status = carnet_recommendations_get(client, a, &out, &error); check(status, &error, &out); break;
    case 12: {
        /* Options: every string field from the input, the store fixed. */
        carnet_options options = CARNET_OPTIONS_INIT;
        options.store_directory = store;
        options.service_url = a;
        options.enrollment_url = b;
        options.pinned_public_key = c;
        options.account_email = d;
        options.practice_id = (size % 2) ? c : NULL;
        options.locale = (carnet_locale)(size % 3);
        options.log_level = (carnet_log_level)(size % 6);
        carnet_client *other = NULL;
        status = carnet_client_open(&options, &other, &error);
        check(status, &error, NULL);
        if ((status == CARNET_OK) != (other != NULL)) fail("client handle and status disagree");
        carnet_client_close(other);
        break;
    }
    case 14: {
        /* The error struct a host of another header version allocates: the
         * declared size comes from the input (0..1023 bytes, so sizes below the
         * minimum, the previous layout's and newer ones all occur), followed by
         * a canary that must survive. */
        enum { CANARY = 32 };
        size_t declared = size > 2 ? ((size_t)data[1] | (size_t)data[2] << 8) % 1024 : 0;
        size_t allocated = declared < sizeof(uint32_t) ? sizeof(uint32_t) : declared;
        unsigned char *raw = malloc(allocated + CANARY);
        if (raw == NULL) break;
        memset(raw, 0x5A, allocated + CANARY);
        uint32_t declared32 = (uint32_t)declared;
        memcpy(raw, &declared32, sizeof declared32);
        status = carnet_link_get(client, NULL, &out, (carnet_error *)(void *)raw);
        if (status != CARNET_E_INVALID_ARGUMENT || out != NULL) fail("link_get(NULL) result");
        for (size_t i = allocated; i < allocated + CANARY; i++)
            if (raw[i] != 0x5A) fail("error struct written past its declared size");
        if (declared < 16)
            for (size_t i = sizeof declared32; i < allocated; i++)
                if (raw[i] != 0x5A) fail("error struct without a valid size written");
        free(raw);
        break;
    }
    default: {
        const char *name = carnet_status_string((carnet_status)(int32_t)(size * 2654435761u));
        if (name == NULL || strncmp(name, "CARNET_", 7) != 0) fail("status string");
        break;
    }
    }
    free(copy);
    return 0;
}
