/*
 * carnet-example: the vendor example host program.
 *
 * A small EHR in C showing how to drive libcarnet, one step per screen of the
 * user guide. Every call's result is checked and every failure is shown with
 * the library's message, which is written for the doctor.
 *
 *   carnet-example --store DIR [--service URL] [--ca FILE] [--english]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carnet.h"

/* Shows a failure the way an EHR would: the doctor's message, plus the
 * technical status for the support team. */
static void report(const char *step, carnet_status status, const carnet_error *error) {
    fprintf(stderr, "[%s] échec : %s\n", step, error->message[0] != '\0' ? error->message : "(pas de message)");
    fprintf(stderr, "[%s] détail technique : %s (domaine %d, code %d)\n", step, carnet_status_string(status),
            (int)error->domain, (int)error->code);
}

static void print_log(void *payload, carnet_log_level level, const char *message) {
    (void)payload;
    fprintf(stderr, "  carnet[%d]: %s\n", (int)level, message);
}

static void usage(const char *program) {
    fprintf(stderr, "usage: %s --store DIR [--service URL] [--ca FILE] [--english] [--verbose]\n", program);
}

int main(int argc, char **argv) {
    carnet_options options;
    carnet_error error;
    carnet_client *client = NULL;
    carnet_status status;
    int i;

    if (carnet_options_init(&options, CARNET_OPTIONS_VERSION) != CARNET_OK) {
        fprintf(stderr, "libcarnet trop ancienne pour ce programme\n");
        return 2;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
            options.store_directory = argv[++i];
        } else if (strcmp(argv[i], "--service") == 0 && i + 1 < argc) {
            options.service_url = argv[++i];
        } else if (strcmp(argv[i], "--ca") == 0 && i + 1 < argc) {
            options.ca_bundle_path = argv[++i];
        } else if (strcmp(argv[i], "--english") == 0) {
            options.locale = CARNET_LOCALE_EN;
        } else if (strcmp(argv[i], "--verbose") == 0) {
            options.log_callback = print_log;
            options.log_level = CARNET_LOG_DEBUG;
        } else {
            usage(argv[0]);
            return 2;
        }
    }

    printf("Carnet %s (en-tête %s, numéro %u)\n", carnet_version_string(), CARNET_VERSION_STRING,
           (unsigned)carnet_version_number());
    if (carnet_version_number() < CARNET_VERSION_NUMBER) {
        fprintf(stderr, "Attention : la bibliothèque est plus ancienne que l'en-tête utilisé à la compilation.\n");
    }

    status = carnet_client_open(&options, &client, &error);
    if (status != CARNET_OK) {
        report("ouverture", status, &error);
        return 1;
    }
    printf("Client ouvert, données locales dans %s\n", options.store_directory);

    carnet_client_close(client);
    printf("Client fermé.\n");
    return 0;
}
