/* Links a Windows program against every function of carnet.h through the import library made
 * from bindings/windows/carnet.def (make bindings-windows-check, mingw-w64): a function the
 * header declares but the .def does not export is an undefined reference here. Never run:
 * the calls sit in a branch no argument count takes. */
#include <stdio.h>

#include "carnet.h"

int main(int argc, char **argv) {
    carnet_options options = CARNET_OPTIONS_INIT;
    carnet_error error = CARNET_ERROR_INIT;
    carnet_client *client = NULL;
    char *out = NULL;
    (void)argv;
    if (argc < 1000) {
        printf("carnet.h %s, every function linked\n", CARNET_VERSION_STRING);
        return 0;
    }
    printf("%s %u %s\n", carnet_version_string(), (unsigned)carnet_version_number(), carnet_status_string(CARNET_OK));
    carnet_error_init(&error, (uint32_t)sizeof error);
    carnet_options_init(&options, CARNET_OPTIONS_VERSION);
    carnet_client_open(&options, &client, &error);
    carnet_client_cancel(client);
    carnet_link_get(client, "p", &out, &error);
    carnet_link_set(client, "p", "c", &error);
    carnet_link_remove(client, "p", &error);
    carnet_certificate_enroll(client, "code", &out, &error);
    carnet_certificate_import_p12(client, "f.p12", "pw", &out, &error);
    carnet_certificate_info(client, &out, &error);
    carnet_certificate_renew(client, &out, &error);
    carnet_record_create(client, "p", "{}", &out, &error);
    carnet_share_code_lookup(client, "code", &out, &error);
    carnet_record_claim(client, "p", "code", "id", "2000-01-01", &out, &error);
    carnet_share_code_resend(client, "p", &error);
    carnet_vaccinations_list(client, "p", &out, &error);
    carnet_vaccinations_accept(client, "p", "{}", &error);
    carnet_vaccination_add(client, "p", "{}", &out, &error);
    carnet_vaccination_update(client, "p", "{}", &out, &error);
    carnet_vaccinations_add(client, "p", "[]", &out, &error);
    carnet_vaccination_remove(client, "p", "v", &error);
    carnet_sync(client, NULL, &out, &error);
    carnet_outbox_status(client, NULL, &out, &error);
    carnet_sync_start(client, 1000, NULL, NULL, &error);
    carnet_sync_stop(client);
    carnet_recommendations_get(client, "p", &out, &error);
    carnet_recommendations_get_with_context(client, "p", NULL, &out, &error);
    carnet_vaccination_dmp_note(client, "p", "v", "{}", &out, &error);
    carnet_vaccines_search(client, "q", &out, &error);
    carnet_catalogue_info(client, &out, &error);
    carnet_catalogue_import(client, "d", &out, &error);
    carnet_vaccine_scan(client, "s", &out, &error);
    carnet_string_free(out);
    carnet_client_close(client);
    return 1;
}
