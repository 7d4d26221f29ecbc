/*
 * carnet-example: the vendor example host program.
 *
 * A small EHR in C showing how to drive libcarnet, one function per screen of
 * the user guide (almapro-mesvaccins-guide). Every call's result is checked
 * and every failure is shown with the library's message, which is written for
 * the doctor. The EHR keeps its own patient list in a flat file next to the
 * store ("patients.txt": id|family|given|birth date|gender|email).
 *
 *   carnet-example --store DIR [--service URL --enroll-url URL --ca FILE
 *                  --email EMAIL --secret SECRET --practice-id ID] [--english] [--verbose]
 *                  [--script --withdrawal-code CODE --share-code CODE
 *                   --claim-pseudonym NAME --claim-birth-date YYYY-MM-DD]
 *
 * Without --script it shows an interactive menu mirroring the guide's screens.
 * JSON is read and written with cJSON (Debian libcjson-dev, link -lcjson): the
 * documents the library returns are parsed, never searched as text, and every
 * document sent is built by the JSON library, so every string (a patient named
 * O"Brien, a lot number with a backslash) is escaped. Any JSON library does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "carnet.h"


/* ------------------------------------------------------------------ helpers */

/* Shows a failure the way an EHR would: the doctor's message, the input to
 * correct (a real EHR puts the cursor on that field of its form instead of
 * printing it), plus the technical status for the support team. */
static void report(const char *step, carnet_status status, const carnet_error *error) {
    fprintf(stdout, "  !! %s : %s\n", step, error->message[0] != '\0' ? error->message : "(pas de message)");
    if (error->field[0] != '\0') fprintf(stdout, "     champ à corriger : %s\n", error->field);
    fprintf(stdout, "     (détail technique : %s, domaine %d, code %d)\n", carnet_status_string(status),
            (int)error->domain, (int)error->code);
}

static void print_log(void *payload, carnet_log_level level, const char *message) {
    (void)payload;
    fprintf(stderr, "  carnet[%d]: %s\n", (int)level, message);
}

/* Parses a document the library returned and frees the library's string
 * (carnet_string_free, never free). NULL if it is not JSON (never happens
 * with libcarnet, but a host checks). Free the result with cJSON_Delete. */
static cJSON *take_json(char *text) {
    cJSON *document = text != NULL ? cJSON_Parse(text) : NULL;
    carnet_string_free(text);
    return document;
}

/* The string at `key` of an object, or "" (never NULL, so it can be printed). */
static const char *text_of(const cJSON *object, const char *key) {
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsString(value) && value->valuestring != NULL ? value->valuestring : "";
}

static long number_of(const cJSON *object, const char *key) {
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsNumber(value) ? (long)value->valuedouble : -1;
}

static int count_of(const cJSON *object, const char *key) {
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsArray(value) ? cJSON_GetArraySize(value) : 0;
}

static const cJSON *item(const cJSON *object, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(object, key);
}

/* Serialises a document built here (every string escaped by cJSON); the
 * caller frees the text with cJSON_free. NULL when memory runs out. */
static char *print_json(cJSON *document) {
    char *text = document != NULL ? cJSON_PrintUnformatted(document) : NULL;
    cJSON_Delete(document);
    return text;
}

/* ----------------------------------------------------------- patient list */

typedef struct patient {
    char id[64], family[64], given[64], birth[16], gender[16], email[128];
} patient;

#define MAX_PATIENTS 32
static patient patients[MAX_PATIENTS];
static int patient_count = 0;
static char patients_path[1024];

static void save_patients(void) {
    FILE *f = fopen(patients_path, "w");
    int i;
    if (f == NULL) return;
    for (i = 0; i < patient_count; i++) {
        fprintf(f, "%s|%s|%s|%s|%s|%s\n", patients[i].id, patients[i].family, patients[i].given, patients[i].birth,
                patients[i].gender, patients[i].email);
    }
    fclose(f);
}

static void add_patient(const char *id, const char *family, const char *given, const char *birth,
                        const char *gender, const char *email) {
    patient *p;
    if (patient_count >= MAX_PATIENTS) return;
    p = &patients[patient_count++];
    snprintf(p->id, sizeof p->id, "%s", id);
    snprintf(p->family, sizeof p->family, "%s", family);
    snprintf(p->given, sizeof p->given, "%s", given);
    snprintf(p->birth, sizeof p->birth, "%s", birth);
    snprintf(p->gender, sizeof p->gender, "%s", gender);
    snprintf(p->email, sizeof p->email, "%s", email);
}

static void load_patients(const char *store) {
    FILE *f;
    char line[512];
    snprintf(patients_path, sizeof patients_path, "%s/patients.txt", store);
    f = fopen(patients_path, "r");
    if (f == NULL) {
        /* A fresh EHR: two patients of the practice. */
        add_patient("P0001", "DUPONT", "Jeanne", "1950-04-02", "female", "jeanne.dupont@example.org");
        add_patient("P0002", "DURAND", "Ambroise", "2012-01-09", "male", "famille.durand@example.org");
        save_patients();
        return;
    }
    while (fgets(line, sizeof line, f) != NULL && patient_count < MAX_PATIENTS) {
        char *fields[6];
        int n = 0;
        char *token = strtok(line, "|\n");
        while (token != NULL && n < 6) {
            fields[n++] = token;
            token = strtok(NULL, "|\n");
        }
        if (n == 6) add_patient(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
    }
    fclose(f);
}


/* ------------------------------------------------------------ the screens */

/* "Récupérer le certificat" */
static int screen_activate(carnet_client *client, const char *withdrawal_code) {
    carnet_error error = CARNET_ERROR_INIT;
    char *json = NULL;
    cJSON *certificate;
    carnet_status status = carnet_certificate_enroll(client, withdrawal_code, &json, &error);
    printf("\n== Activer le service : récupérer le certificat avec le code de retrait\n");
    if (status != CARNET_OK) {
        report("certificat", status, &error);
        return 0;
    }
    certificate = take_json(json);
    printf("  Certificat installé pour %s, valable encore %ld jours.\n", text_of(certificate, "common_name"),
           number_of(certificate, "days_left"));
    cJSON_Delete(certificate);
    return 1;
}

/* "AlmaPro recherche dans sa base de données si un CVE a déjà été associé" */
static int screen_open_vaccination(carnet_client *client, const patient *p) {
    carnet_error error = CARNET_ERROR_INIT;
    char *carnet_id = NULL;
    carnet_status status = carnet_link_get(client, p->id, &carnet_id, &error);
    printf("\n== Ouverture du module de vaccination : %s %s\n", p->given, p->family);
    if (status == CARNET_OK) {
        printf("  Carnet associé : %s\n", carnet_id);
        carnet_string_free(carnet_id);
        return 1;
    }
    if (status == CARNET_E_NOT_FOUND) {
        printf("  Aucun carnet associé : créer un carnet, ou récupérer un carnet existant avec un code de partage.\n");
        return 0;
    }
    report("recherche du carnet", status, &error);
    return 0;
}

/* The FHIR Patient of one of the EHR's patients. */
static cJSON *patient_resource(const patient *p) {
    cJSON *resource = cJSON_CreateObject(), *name = cJSON_CreateObject(), *telecom = cJSON_CreateObject();
    cJSON_AddStringToObject(resource, "resourceType", "Patient");
    cJSON_AddStringToObject(name, "family", p->family);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(name, "given"), cJSON_CreateString(p->given));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(resource, "name"), name);
    cJSON_AddStringToObject(resource, "birthDate", p->birth);
    cJSON_AddStringToObject(resource, "gender", p->gender);
    cJSON_AddStringToObject(telecom, "system", "email");
    cJSON_AddStringToObject(telecom, "value", p->email);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(resource, "telecom"), telecom);
    return resource;
}

/* "Créer le carnet de vaccination électronique" */
static int screen_create(carnet_client *client, const patient *p) {
    carnet_error error = CARNET_ERROR_INIT;
    char *body = print_json(patient_resource(p)), *json = NULL;
    cJSON *created;
    const cJSON *name, *given;
    carnet_status status;
    printf("\n== Créer le carnet de vaccination électronique de %s %s\n", p->given, p->family);
    if (body == NULL) {
        printf("  !! création : mémoire insuffisante\n");
        return 0;
    }
    status = carnet_record_create(client, p->id, body, &json, &error);
    cJSON_free(body);
    if (status != CARNET_OK) {
        report("création", status, &error);
        return 0;
    }
    created = take_json(json);
    name = cJSON_GetArrayItem(item(created, "name"), 0);
    given = cJSON_GetArrayItem(item(name, "given"), 0);
    printf("  Carnet créé pour %s %s (UUID %s) ; un email est envoyé au patient avec son code de partage.\n",
           cJSON_IsString(given) ? given->valuestring : "", text_of(name, "family"), text_of(created, "id"));
    cJSON_Delete(created);
    return 1;
}

/* The value of the part named `part_name` of a Parameters parameter, or "". */
static const char *part_value(const cJSON *parameter, const char *part_name) {
    const cJSON *part;
    cJSON_ArrayForEach(part, item(parameter, "part")) {
        if (strcmp(text_of(part, "name"), part_name) == 0) return text_of(part, "valueString");
    }
    return "";
}

/* "Récupérer un carnet grâce à un code de partage", then choose one and give
 * the holder's birth date. */
static int screen_claim(carnet_client *client, const patient *p, const char *code, const char *pseudonym,
                        const char *birth_date) {
    carnet_error error = CARNET_ERROR_INIT;
    char *json = NULL, *claimed = NULL, chosen[128] = "";
    cJSON *found;
    const cJSON *parameter;
    carnet_status status = carnet_share_code_lookup(client, code, &json, &error);
    printf("\n== Récupérer un carnet existant avec le code de partage du patient\n");
    if (status != CARNET_OK) {
        report("code de partage", status, &error);
        return 0;
    }
    found = take_json(json);
    printf("  Pseudo                  Action\n");
    cJSON_ArrayForEach(parameter, item(found, "parameter")) {
        const char *name = part_value(parameter, "pseudonym");
        printf("  %-22s  Demande d'accès à un carnet\n", name);
        if (strcmp(name, pseudonym) == 0) snprintf(chosen, sizeof chosen, "%s", part_value(parameter, "id"));
    }
    cJSON_Delete(found);
    if (chosen[0] == '\0') {
        printf("  Le carnet « %s » n'est pas proposé.\n", pseudonym);
        return 0;
    }
    printf("  Choix : « %s » ; date de naissance du titulaire demandée.\n", pseudonym);
    status = carnet_record_claim(client, p->id, code, chosen, birth_date, &claimed, &error);
    if (status != CARNET_OK) {
        report("accès au carnet", status, &error);
        return 0;
    }
    printf("  Accès accordé : le carnet est associé à %s %s.\n", p->given, p->family);
    carnet_string_free(claimed);
    return 1;
}

/* "Exporter les vaccins cochés dans AlmaPro": lists the carnet's vaccinations
 * and imports them all under new EHR ids. */
static void screen_import(carnet_client *client, const patient *p) {
    carnet_error error = CARNET_ERROR_INIT;
    char *json = NULL, *mapping_text;
    cJSON *bundle, *mapping, *imported;
    const cJSON *entry;
    int n = 0;
    carnet_status status = carnet_vaccinations_list(client, p->id, &json, &error);
    printf("\n== Vaccins du carnet partagé de %s %s\n", p->given, p->family);
    if (status != CARNET_OK) {
        report("liste des vaccins", status, &error);
        return;
    }
    bundle = take_json(json);
    mapping = cJSON_CreateObject();
    imported = cJSON_AddArrayToObject(mapping, "imported");
    cJSON_ArrayForEach(entry, item(bundle, "entry")) {
        const cJSON *resource = item(entry, "resource");
        const cJSON *coding = cJSON_GetArrayItem(item(item(resource, "vaccineCode"), "coding"), 0);
        const char *display = text_of(coding, "display");
        char host_id[160];
        cJSON *pair;
        if (strcmp(text_of(resource, "resourceType"), "Immunization") != 0) continue;
        printf("  [x] %.10s  %s\n", text_of(resource, "occurrenceDateTime"), display[0] ? display : "(vaccin)");
        n++;
        snprintf(host_id, sizeof host_id, "IMP-%s-%d", p->id, n);
        pair = cJSON_CreateObject();
        cJSON_AddStringToObject(pair, "immunization_id", text_of(resource, "id"));
        cJSON_AddStringToObject(pair, "host_vaccination_id", host_id);
        cJSON_AddItemToArray(imported, pair);
    }
    cJSON_Delete(bundle);
    if (n == 0) {
        cJSON_Delete(mapping);
        printf("  (aucun vaccin dans le carnet)\n");
        return;
    }
    mapping_text = print_json(mapping);
    status = mapping_text != NULL ? carnet_vaccinations_accept(client, p->id, mapping_text, &error)
                                  : CARNET_E_OUT_OF_MEMORY;
    cJSON_free(mapping_text);
    if (status != CARNET_OK) {
        report("import", status, &error);
        return;
    }
    printf("  %d vaccin(s) exporté(s) dans le dossier du patient.\n", n);
}

/* The Immunization the doctor validated. */
static cJSON *immunization_resource(const char *vaccination_id, const char *cis, const char *display,
                                    const char *date) {
    cJSON *resource = cJSON_CreateObject(), *identifier = cJSON_CreateObject(), *coding = cJSON_CreateObject();
    cJSON_AddStringToObject(resource, "resourceType", "Immunization");
    cJSON_AddStringToObject(identifier, "value", vaccination_id);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(resource, "identifier"), identifier);
    cJSON_AddStringToObject(resource, "status", "completed");
    cJSON_AddStringToObject(coding, "system", "https://smt.esante.gouv.fr/terminologie-bdpm");
    cJSON_AddStringToObject(coding, "code", cis);
    cJSON_AddStringToObject(coding, "display", display);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(cJSON_AddObjectToObject(resource, "vaccineCode"), "coding"), coding);
    cJSON_AddStringToObject(resource, "occurrenceDateTime", date);
    cJSON_AddStringToObject(resource, "lotNumber", "A1234");
    return resource;
}

/* "Saisir le nom du vaccin ou d'une maladie", choose, "Valider": added to the
 * EHR and, by itself, to the shared carnet. */
static void screen_add(carnet_client *client, const patient *p, const char *query, const char *vaccination_id,
                       const char *date) {
    carnet_error error = CARNET_ERROR_INIT;
    char *found = NULL, *state = NULL, *body, cis[32] = "", display[128] = "";
    cJSON *value_set, *state_document;
    const cJSON *first;
    carnet_status status = carnet_vaccines_search(client, query, &found, &error);
    printf("\n== Ajouter un vaccin : recherche « %s »\n", query);
    if (status != CARNET_OK) {
        report("recherche de vaccin", status, &error);
        return;
    }
    value_set = take_json(found);
    first = cJSON_GetArrayItem(item(item(value_set, "expansion"), "contains"), 0);
    snprintf(cis, sizeof cis, "%s", text_of(first, "code"));
    snprintf(display, sizeof display, "%s", text_of(first, "display"));
    cJSON_Delete(value_set);
    if (cis[0] == '\0') {
        printf("  Aucun vaccin trouvé.\n");
        return;
    }
    printf("  Sélection : %s (CIS %s), injection du %s\n", display, cis, date);
    body = print_json(immunization_resource(vaccination_id, cis, display, date));
    if (body == NULL) {
        printf("  !! ajout : mémoire insuffisante\n");
        return;
    }
    status = carnet_vaccination_add(client, p->id, body, &state, &error);
    cJSON_free(body);
    state_document = take_json(state);
    if (status == CARNET_OK) {
        printf("  Ajouté au carnet partagé (Immunization %s).\n", text_of(state_document, "immunization_id"));
    } else if (status == CARNET_PENDING) {
        printf("  Enregistré ; sera envoyé au carnet dès que possible : %s\n", error.message);
    } else {
        report("ajout", status, &error);
    }
    cJSON_Delete(state_document);
}

/* "Modifier" a vaccination already added (here: the lot was mistyped): the correction reaches
 * the carnet by itself, as an update conditioned on the version Carnet last saw. Edited elsewhere
 * meanwhile: nothing is overwritten, CARNET_E_CONFLICT says so (synchronise, look, correct again). */
static void screen_correct(carnet_client *client, const patient *p, const char *vaccination_id, const char *cis,
                           const char *display, const char *date, const char *lot) {
    carnet_error error = CARNET_ERROR_INIT;
    char *state = NULL, *body;
    cJSON *resource = immunization_resource(vaccination_id, cis, display, date), *state_document;
    printf("\n== Modifier la vaccination %s : numéro de lot corrigé\n", vaccination_id);
    cJSON_ReplaceItemInObject(resource, "lotNumber", cJSON_CreateString(lot));
    body = print_json(resource);
    if (body == NULL) {
        printf("  !! modification : mémoire insuffisante\n");
        return;
    }
    carnet_status status = carnet_vaccination_update(client, p->id, body, &state, &error);
    cJSON_free(body);
    state_document = take_json(state);
    if (status == CARNET_OK) {
        printf("  Corrigée dans le carnet partagé (version %ld).\n", number_of(state_document, "version"));
    } else if (status == CARNET_PENDING) {
        printf("  Correction enregistrée ; sera envoyée dès que possible : %s\n", error.message);
    } else {
        report("modification", status, &error);
    }
    cJSON_Delete(state_document);
}

/* "Scanner la boîte": what the 2D barcode reader types (GS1 DataMatrix: GTIN, expiry, lot) gives
 * the product and the lot to fill the vaccination form with. */
static void screen_scan(carnet_client *client, const char *scanned) {
    carnet_error error = CARNET_ERROR_INIT;
    char *out = NULL;
    cJSON *result;
    printf("\n== Scanner la boîte du vaccin\n");
    carnet_status status = carnet_vaccine_scan(client, scanned, &out, &error);
    if (status != CARNET_OK) {
        report("lecture du code de la boîte", status, &error);
        return;
    }
    result = take_json(out);
    printf("  %s (CIS %s), lot %s, à utiliser avant le %s%s\n", text_of(item(result, "product"), "name"),
           text_of(item(result, "product"), "cis"), text_of(result, "lot"), text_of(result, "expiry"),
           cJSON_IsTrue(item(result, "expired")) ? " : BOÎTE PÉRIMÉE" : "");
    cJSON_Delete(result);
}

/* "À propos": the vaccine catalogue in use and its attribution (NUVA is CC-BY 4.0: shown to the user). */
static void screen_catalogue(carnet_client *client) {
    carnet_error error = CARNET_ERROR_INIT;
    char *out = NULL;
    cJSON *info;
    carnet_status status = carnet_catalogue_info(client, &out, &error);
    printf("\n== Catalogue des vaccins\n");
    if (status != CARNET_OK) {
        report("catalogue", status, &error);
        return;
    }
    info = take_json(out);
    printf("  %ld produits, version %s (%s)\n  %s\n", number_of(info, "product_count"), text_of(info, "version"),
           text_of(info, "origin"), text_of(info, "attribution"));
    cJSON_Delete(info);
}

/* "Envoyer au DMP": the CI-SIS "Note de vaccination" of a vaccination the doctor recorded
 * (docs/dmp.md). Carnet writes the document from what it holds plus what only the EHR knows (its
 * document ids, the patient's identity, the professionals, the practice); the EHR signs and submits
 * it with its own DMP connector. Here it is saved next to the EHR's data. The professionals' and the
 * practice's identifiers below are this demo EHR's configuration. */
/* An identifier {root, extension} of the note's context. */
static cJSON *identifier(const char *root, const char *extension) {
    cJSON *id = cJSON_CreateObject();
    cJSON_AddStringToObject(id, "root", root);
    cJSON_AddStringToObject(id, "extension", extension);
    return id;
}

static cJSON *coded(const char *code, const char *system, const char *display) {
    cJSON *value = cJSON_CreateObject();
    cJSON_AddStringToObject(value, "code", code);
    cJSON_AddStringToObject(value, "system", system);
    cJSON_AddStringToObject(value, "display", display);
    return value;
}

/* The demo practice's doctor, as the note's author and vaccinator. */
static cJSON *doctor(void) {
    cJSON *person = cJSON_CreateObject();
    cJSON_AddStringToObject(person, "rpps", "10001234567");
    cJSON_AddStringToObject(person, "prefix", "DR");
    cJSON_AddStringToObject(person, "given_name", "Claire");
    cJSON_AddStringToObject(person, "family_name", "LEMAIRE");
    cJSON_AddItemToObject(person, "profession", coded("10", "1.2.250.1.71.1.2.7", "Médecin"));
    return person;
}

/* What only the EHR knows for the note: its document ids, the patient's identity, the
 * professionals, the practice (docs/dmp.md). Every string escaped by cJSON. */
static cJSON *dmp_context(const patient *p, const char *vaccination_id) {
    char extension[160];
    cJSON *context = cJSON_CreateObject(), *document = cJSON_CreateObject(), *person = cJSON_CreateObject(),
          *structure = cJSON_CreateObject();
    snprintf(extension, sizeof extension, "NOTE-%s", vaccination_id);
    cJSON_AddItemToObject(document, "id", identifier("1.2.250.1.999.1.1", extension));
    snprintf(extension, sizeof extension, "SET-%s", vaccination_id);
    cJSON_AddItemToObject(document, "set_id", identifier("1.2.250.1.999.1.2", extension));
    cJSON_AddNumberToObject(document, "version", 1);
    cJSON_AddStringToObject(document, "effective_time", "2025-10-21T10:00:00+02:00");
    cJSON_AddStringToObject(document, "confidentiality", "N");
    cJSON_AddItemToObject(context, "document", document);
    cJSON_AddItemToObject(person, "local_id", identifier("1.2.250.1.999.3", p->id));
    cJSON_AddStringToObject(person, "birth_family_name", p->family);
    cJSON_AddStringToObject(person, "first_birth_given_name", p->given);
    cJSON_AddStringToObject(person, "birth_date", p->birth);
    cJSON_AddStringToObject(person, "gender", strcmp(p->gender, "female") == 0 ? "F"
                                              : strcmp(p->gender, "male") == 0 ? "M" : "U");
    cJSON_AddItemToObject(context, "patient", person);
    cJSON_AddItemToObject(context, "author", doctor());
    cJSON_AddItemToObject(context, "vaccinator", doctor());
    cJSON_AddStringToObject(structure, "id", "31234567890123");
    cJSON_AddStringToObject(structure, "name", "Cabinet du Parc");
    cJSON_AddItemToObject(structure, "facility_type", coded("SA07", "1.2.250.1.71.4.2.4", "Cabinet individuel"));
    cJSON_AddItemToObject(structure, "practice_setting", coded("AMBULATOIRE", "1.2.250.1.213.1.1.4.9", "Ambulatoire"));
    cJSON_AddItemToObject(context, "structure", structure);
    return context;
}

static void screen_dmp_note(carnet_client *client, const patient *p, const char *vaccination_id) {
    carnet_error error = CARNET_ERROR_INIT;
    char path[1100];
    char *xml = NULL, *context = print_json(dmp_context(p, vaccination_id));
    const char *slash = strrchr(patients_path, '/');
    carnet_status status;
    FILE *f;
    int written;
    if (context == NULL) {
        printf("  !! note de vaccination DMP : mémoire insuffisante\n");
        return;
    }
    printf("\n== Note de vaccination pour le DMP (%s)\n", vaccination_id);
    status = carnet_vaccination_dmp_note(client, p->id, vaccination_id, context, &xml, &error);
    cJSON_free(context);
    if (status != CARNET_OK) {
        report("note de vaccination DMP", status, &error);
        return;
    }
    snprintf(path, sizeof path, "%.*s/%s.dmp-note.xml", slash ? (int)(slash - patients_path) : 1,
             slash ? patients_path : ".", vaccination_id);
    f = fopen(path, "w");
    written = f != NULL && fputs(xml, f) >= 0;
    if (f != NULL && fclose(f) != 0) written = 0;
    if (written) {
        printf("  Note enregistrée : %s (%lu octets), à transmettre au DMP.\n", path, (unsigned long)strlen(xml));
    } else {
        printf("  Impossible d'écrire la note dans %s.\n", path);
    }
    carnet_string_free(xml);
}

/* "Synchroniser avec les vaccins partagés" */
static void screen_sync(carnet_client *client, const patient *p) {
    carnet_error error = CARNET_ERROR_INIT;
    char *json = NULL;
    cJSON *sync_report;
    carnet_status status = carnet_sync(client, p ? p->id : NULL, &json, &error);
    printf("\n== Synchroniser avec les vaccins partagés%s%s\n", p ? " : " : "", p ? p->family : "");
    if (status != CARNET_OK) {
        report("synchronisation", status, &error);
        return;
    }
    sync_report = take_json(json);
    printf("  Envoyés : %ld ; nouveaux vaccins à importer : %s ; suppressions à confirmer : %s ;\n"
           "  modifiés ailleurs : %s ; en attente : %s\n",
           number_of(sync_report, "pushed"), count_of(sync_report, "added") ? "oui (voir import)" : "aucun",
           count_of(sync_report, "removed") ? "oui" : "aucune", count_of(sync_report, "changed") ? "oui" : "aucun",
           count_of(sync_report, "pending") ? "oui" : "rien");
    if (cJSON_IsTrue(item(sync_report, "offline"))) printf("  Service injoignable : tout est conservé.\n");
    cJSON_Delete(sync_report);
}

/* "Suppression d'un vaccin" */
static void screen_remove(carnet_client *client, const patient *p, const char *vaccination_id) {
    carnet_error error = CARNET_ERROR_INIT;
    carnet_status status = carnet_vaccination_remove(client, p->id, vaccination_id, &error);
    printf("\n== Supprimer le vaccin %s\n", vaccination_id);
    if (status == CARNET_OK) {
        printf("  Supprimé du dossier et du carnet partagé.\n");
    } else if (status == CARNET_PENDING) {
        printf("  Suppression enregistrée ; sera envoyée dès que possible.\n");
    } else {
        report("suppression", status, &error);
    }
}

/* A CodeableConcept's words: its first coding's display, else its text. */
static const char *concept_text(const cJSON *concept) {
    const char *display = text_of(cJSON_GetArrayItem(item(concept, "coding"), 0), "display");
    return display[0] != '\0' ? display : text_of(concept, "text");
}

/* "Recommandation CVE" */
static void screen_recommendations(carnet_client *client, const patient *p) {
    carnet_error error = CARNET_ERROR_INIT;
    char *json = NULL;
    cJSON *recommendation;
    const cJSON *each;
    carnet_status status = carnet_recommendations_get(client, p->id, &json, &error);
    printf("\n== Recommandations pour %s %s\n", p->given, p->family);
    if (status != CARNET_OK) {
        report("recommandations", status, &error);
        return;
    }
    recommendation = take_json(json);
    cJSON_ArrayForEach(each, item(recommendation, "recommendation")) {
        const cJSON *forecast = item(each, "forecastStatus");
        const char *state = text_of(forecast, "text");
        printf("  - %-40s %s\n", concept_text(item(each, "targetDisease")),
               state[0] != '\0' ? state : concept_text(forecast));
    }
    cJSON_Delete(recommendation);
}

/* "Renvoi du code de partage au patient" */
static void screen_resend(carnet_client *client, const patient *p) {
    carnet_error error = CARNET_ERROR_INIT;
    carnet_status status = carnet_share_code_resend(client, p->id, &error);
    printf("\n== Renvoyer le code de partage à %s %s\n", p->given, p->family);
    if (status != CARNET_OK) {
        report("renvoi du code", status, &error);
        return;
    }
    printf("  Le code de partage a été renvoyé par email au patient.\n");
}

/* -------------------------------------------------------------- the modes */

typedef struct script_inputs {
    const char *withdrawal_code, *share_code, *claim_pseudonym, *claim_birth_date;
} script_inputs;

static int run_script(carnet_client *client, const script_inputs *in) {
    patient *jeanne = &patients[0], *ambroise = &patients[1];
    if (in->withdrawal_code == NULL || !screen_activate(client, in->withdrawal_code)) return 1;
    if (!screen_open_vaccination(client, jeanne) && !screen_create(client, jeanne)) return 1;
    if (!screen_open_vaccination(client, ambroise)) {
        if (in->share_code == NULL ||
            !screen_claim(client, ambroise, in->share_code, in->claim_pseudonym ? in->claim_pseudonym : "Ambroise",
                          in->claim_birth_date ? in->claim_birth_date : ambroise->birth)) {
            return 1;
        }
    }
    screen_import(client, ambroise);
    screen_add(client, jeanne, "agrippal", "VAC-0001", "2025-10-20");
    screen_sync(client, jeanne);
    screen_remove(client, jeanne, "VAC-0001");
    screen_catalogue(client);
    screen_scan(client, "(01)03400934975448(17)281231(10)A1234");
    screen_add(client, jeanne, "agrippal", "VAC-0002", "2025-10-21");
    screen_correct(client, jeanne, "VAC-0002", "61921204", "AGRIPPAL", "2025-10-21", "B5678");
    screen_dmp_note(client, jeanne, "VAC-0002");
    screen_recommendations(client, jeanne);
    screen_resend(client, jeanne);
    screen_sync(client, NULL);
    printf("\nParcours du guide terminé.\n");
    return 0;
}

static void read_line(const char *prompt, char *out, size_t size) {
    printf("%s", prompt);
    fflush(stdout);
    if (fgets(out, (int)size, stdin) == NULL) {
        out[0] = '\0';
        return;
    }
    out[strcspn(out, "\r\n")] = '\0';
}

static int run_menu(carnet_client *client) {
    char choice[16], a[256], b[256], c[256];
    int current = 0, i;
    for (;;) {
        patient *p = &patients[current];
        printf("\nPatient : %s %s (%s)\n", p->given, p->family, p->id);
        printf(" 1 Activer (code de retrait)   2 Ouvrir la vaccination   3 Créer le carnet\n"
               " 4 Carnet existant (code)      5 Importer les vaccins    6 Ajouter un vaccin\n"
               " 7 Supprimer un vaccin         8 Synchroniser            9 Recommandations\n"
               " r Renvoyer le code            p Changer de patient      q Quitter\n");
        read_line("> ", choice, sizeof choice);
        switch (choice[0]) {
        case '1': read_line("Code de retrait : ", a, sizeof a); screen_activate(client, a); break;
        case '2': screen_open_vaccination(client, p); break;
        case '3': screen_create(client, p); break;
        case '4':
            read_line("Code de partage : ", a, sizeof a);
            read_line("Pseudo du carnet : ", b, sizeof b);
            read_line("Date de naissance du titulaire (AAAA-MM-JJ) : ", c, sizeof c);
            screen_claim(client, p, a, b, c);
            break;
        case '5': screen_import(client, p); break;
        case '6':
            read_line("Nom du vaccin ou de la maladie : ", a, sizeof a);
            read_line("Identifiant du vaccin dans le dossier : ", b, sizeof b);
            read_line("Date d'injection (AAAA-MM-JJ) : ", c, sizeof c);
            screen_add(client, p, a, b, c);
            break;
        case '7': read_line("Identifiant du vaccin : ", a, sizeof a); screen_remove(client, p, a); break;
        case '8': screen_sync(client, p); break;
        case '9': screen_recommendations(client, p); break;
        case 'r': screen_resend(client, p); break;
        case 'p':
            for (i = 0; i < patient_count; i++) printf(" %d %s %s\n", i, patients[i].given, patients[i].family);
            read_line("Numéro : ", a, sizeof a);
            i = atoi(a);
            if (i >= 0 && i < patient_count) current = i;
            break;
        case 'q': case '\0': return 0;
        default: break;
        }
    }
}

static void usage(const char *program) {
    fprintf(stderr,
            "usage: %s --store DIR [--service URL] [--enroll-url URL] [--ca FILE] [--email EMAIL]\n"
            "          [--secret SECRET] [--practice-id ID] [--english] [--verbose]\n"
            "          [--script --withdrawal-code CODE [--share-code CODE --claim-pseudonym NAME\n"
            "           --claim-birth-date YYYY-MM-DD]]\n",
            program);
}

int main(int argc, char **argv) {
    carnet_options options;
    carnet_error error = CARNET_ERROR_INIT;
    carnet_client *client = NULL;
    carnet_status status;
    script_inputs inputs = {NULL, NULL, NULL, NULL};
    int scripted = 0, result, i;

    if (carnet_options_init(&options, CARNET_OPTIONS_VERSION) != CARNET_OK) {
        fprintf(stderr, "libcarnet trop ancienne pour ce programme\n");
        return 2;
    }
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--english") == 0) { options.locale = CARNET_LOCALE_EN; continue; }
        if (strcmp(arg, "--verbose") == 0) {
            options.log_callback = print_log;
            options.log_level = CARNET_LOG_DEBUG;
            continue;
        }
        if (strcmp(arg, "--script") == 0) { scripted = 1; continue; }
        if (value == NULL) { usage(argv[0]); return 2; }
        i++;
        if (strcmp(arg, "--store") == 0) options.store_directory = value;
        else if (strcmp(arg, "--service") == 0) options.service_url = value;
        else if (strcmp(arg, "--enroll-url") == 0) options.enrollment_url = value;
        else if (strcmp(arg, "--ca") == 0) options.ca_bundle_path = value;
        else if (strcmp(arg, "--email") == 0) options.account_email = value;
        else if (strcmp(arg, "--secret") == 0) options.identity_secret = value;
        else if (strcmp(arg, "--practice-id") == 0) options.practice_id = value;
        else if (strcmp(arg, "--withdrawal-code") == 0) inputs.withdrawal_code = value;
        else if (strcmp(arg, "--share-code") == 0) inputs.share_code = value;
        else if (strcmp(arg, "--claim-pseudonym") == 0) inputs.claim_pseudonym = value;
        else if (strcmp(arg, "--claim-birth-date") == 0) inputs.claim_birth_date = value;
        else { usage(argv[0]); return 2; }
    }
    if (options.store_directory == NULL) { usage(argv[0]); return 2; }
    /* The EHR's installation, shared by every workstation of the practice (docs/sync.md): a real
     * EHR generates this id once and keeps it in its database; the demo EHR has a fixed one. */
    if (options.practice_id == NULL) options.practice_id = "demo-ehr-installation-7f3c2a9e";

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
    load_patients(options.store_directory);

    if (scripted) {
        result = run_script(client, &inputs);
    } else if (options.service_url != NULL) {
        result = run_menu(client);
    } else {
        result = 0; /* nothing to talk to: opening and closing is the whole demo */
    }

    carnet_client_close(client);
    printf("Client fermé.\n");
    return result;
}
