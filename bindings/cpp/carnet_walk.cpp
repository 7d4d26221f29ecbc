// The binding walk in C++ (include/carnet.hpp): the guide's main flow against a real service,
// printing the lines bindings/run_walks.py checks (bindings/README.md, "The walk").
//
//   carnet-walk-cpp STORE SERVICE_URL ENROLLMENT_URL CA_FILE EMAIL SECRET WITHDRAWAL_CODE HOST_ID
//
// JSON is read and written with cJSON: the wrapper keeps documents as text, the host brings its
// JSON library.
#include <cjson/cJSON.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "carnet.hpp"

namespace {

using json = std::unique_ptr<cJSON, void (*)(cJSON *)>;

json parse(const std::string &text) {
    json document(cJSON_Parse(text.c_str()), cJSON_Delete);
    if (!document) throw std::runtime_error("JSON illisible");
    return document;
}

std::string text(const cJSON *node) {
    return cJSON_IsString(node) ? std::string(node->valuestring) : std::string();
}

long number(const cJSON *node) { return cJSON_IsNumber(node) ? static_cast<long>(node->valuedouble) : -1; }

std::string print(const json &document) {
    std::unique_ptr<char, void (*)(void *)> out(cJSON_PrintUnformatted(document.get()), cJSON_free);
    return out ? std::string(out.get()) : std::string();
}

// The patient of the walk: a family name with an apostrophe and quotes, an accented given name.
json patient(bool with_birth_date) {
    json p(cJSON_CreateObject(), cJSON_Delete);
    cJSON_AddStringToObject(p.get(), "resourceType", "Patient");
    cJSON *name = cJSON_CreateObject();
    cJSON_AddStringToObject(name, "family", "D'Arc \"la Pucelle\"");
    cJSON *given = cJSON_AddArrayToObject(name, "given");
    cJSON_AddItemToArray(given, cJSON_CreateString("Hélène"));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(p.get(), "name"), name);
    if (with_birth_date) cJSON_AddStringToObject(p.get(), "birthDate", "1950-04-02");
    cJSON_AddStringToObject(p.get(), "gender", "female");
    cJSON *telecom = cJSON_CreateObject();
    cJSON_AddStringToObject(telecom, "system", "email");
    cJSON_AddStringToObject(telecom, "value", "helene.darc@example.org");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(p.get(), "telecom"), telecom);
    return p;
}

json immunization(const std::string &host_id, const std::string &cis, const std::string &display) {
    json i(cJSON_CreateObject(), cJSON_Delete);
    cJSON_AddStringToObject(i.get(), "resourceType", "Immunization");
    cJSON *identifier = cJSON_CreateObject();
    cJSON_AddStringToObject(identifier, "value", host_id.c_str());
    cJSON_AddItemToArray(cJSON_AddArrayToObject(i.get(), "identifier"), identifier);
    cJSON *coding = cJSON_CreateObject();
    cJSON_AddStringToObject(coding, "system", "https://smt.esante.gouv.fr/terminologie-bdpm");
    cJSON_AddStringToObject(coding, "code", cis.c_str());
    cJSON_AddStringToObject(coding, "display", display.c_str());
    cJSON_AddItemToArray(cJSON_AddArrayToObject(cJSON_AddObjectToObject(i.get(), "vaccineCode"), "coding"), coding);
    cJSON_AddStringToObject(i.get(), "occurrenceDateTime", "2025-10-20");
    cJSON_AddStringToObject(i.get(), "lotNumber", "A1234");
    return i;
}

int walk(char **argv) {
    const std::string patient_id = "P-WALK-1";
    carnet::options options;
    options.store_directory = argv[1];
    options.service_url = argv[2];
    options.enrollment_url = argv[3];
    options.ca_bundle_path = argv[4];
    options.account_email = argv[5];
    options.identity_secret = argv[6];
    std::atomic<int> log_lines{0};
    options.log_level = CARNET_LOG_DEBUG;
    options.log = [&log_lines](carnet_log_level, const char *) { ++log_lines; };  // any thread
    carnet::client client(options);
    std::cout << "version " << carnet::version() << "\n";

    json certificate = parse(client.certificate_enroll(argv[7]));
    std::cout << "enroll common_name=" << text(cJSON_GetObjectItem(certificate.get(), "common_name"))
              << " days_left=" << number(cJSON_GetObjectItem(certificate.get(), "days_left")) << "\n";

    try {
        client.link_get(patient_id);
        std::cout << "link_get found\n";
    } catch (const carnet::error &e) {
        if (e.status() == CARNET_E_NOT_FOUND) std::cout << "link_get not_found\n";
        else throw;
    }

    try {
        client.record_create(patient_id, print(patient(false)));
        std::cout << "invalid none\n";
    } catch (const carnet::error &e) {
        std::cout << "invalid field=" << e.field() << " status=" << e.status_name() << " message=" << e.what()
                  << "\n";
    }

    json created = parse(client.record_create(patient_id, print(patient(true))));
    const cJSON *name = cJSON_GetArrayItem(cJSON_GetObjectItem(created.get(), "name"), 0);
    std::cout << "create family=" << text(cJSON_GetObjectItem(name, "family"))
              << " given=" << text(cJSON_GetArrayItem(cJSON_GetObjectItem(name, "given"), 0)) << "\n";
    std::cout << "linked " << (client.link_get(patient_id) == text(cJSON_GetObjectItem(created.get(), "id"))
                               ? "yes" : "no") << "\n";

    json found = parse(client.vaccines_search("agrippal"));
    const cJSON *first = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(found.get(), "expansion"), "contains"), 0);
    const std::string cis = text(cJSON_GetObjectItem(first, "code"));
    std::cout << "search cis=" << cis << "\n";

    carnet::change added = client.vaccination_add(
        patient_id, print(immunization(argv[8], cis, text(cJSON_GetObjectItem(first, "display")))));
    std::cout << "add state=" << text(cJSON_GetObjectItem(parse(added.state_json).get(), "state")) << "\n";

    json report = parse(client.sync());
    std::cout << "sync pushed=" << number(cJSON_GetObjectItem(report.get(), "pushed"))
              << " added=" << cJSON_GetArraySize(cJSON_GetObjectItem(report.get(), "added"))
              << " pending=" << cJSON_GetArraySize(cJSON_GetObjectItem(report.get(), "pending")) << "\n";

    json bundle = parse(client.vaccinations_list(patient_id));
    const cJSON *entries = cJSON_GetObjectItem(bundle.get(), "entry");
    const cJSON *extension = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(entries, 0), "extension"), 0);
    std::cout << "list entries=" << cJSON_GetArraySize(entries)
              << " host_id=" << text(cJSON_GetObjectItem(extension, "valueString")) << "\n";

    json recommendation = parse(client.recommendations_get(patient_id));
    std::cout << "recommendations count="
              << cJSON_GetArraySize(cJSON_GetObjectItem(recommendation.get(), "recommendation")) << "\n";

    json outbox = parse(client.outbox_status());
    std::cout << "outbox pending=" << cJSON_GetArraySize(cJSON_GetObjectItem(outbox.get(), "pending")) << "\n";

    client.sync_start(100, [](carnet_event_kind, const std::string &) {});
    client.sync_stop();
    std::cout << "background log=" << (log_lines.load() > 0 ? "yes" : "no") << "\n";
    std::cout << "done" << std::endl;
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 9) {
        std::cerr << "usage: " << argv[0]
                  << " STORE SERVICE_URL ENROLLMENT_URL CA_FILE EMAIL SECRET WITHDRAWAL_CODE HOST_ID\n";
        return 2;
    }
    try {
        return walk(argv);
    } catch (const carnet::error &e) {
        std::cout << "failure status=" << e.status_name() << " field=" << e.field() << " message=" << e.what()
                  << std::endl;
    } catch (const std::exception &e) {
        std::cout << "failure " << e.what() << std::endl;
    }
    return 1;
}
