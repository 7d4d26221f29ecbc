/**
 * @file carnet.hpp
 * @brief Header-only C++17 wrapper of carnet.h: RAII client, exceptions, std::string in and out.
 *
 * Nothing here is compiled into libcarnet: the wrapper is inline code over the C functions, so
 * it adds no C++ ABI to the library (a host may use any compiler and standard library).
 *
 * @code
 * carnet::options options;
 * options.store_directory = "C:/ProgramData/EHR/carnet";
 * options.service_url = "https://cve.example.fr/fhir";
 * options.identity_secret = secret;
 * carnet::client client(options);                       // carnet_client_open; closed by ~client
 * try {
 *     std::string carnet_id = client.link_get("P0001");
 * } catch (const carnet::error &e) {                    // every failing status
 *     if (e.status() == CARNET_E_NOT_FOUND) offer_creation();
 *     else show_to_the_doctor(e.what());                // French, never patient data
 * }
 * carnet::change change = client.vaccination_add("P0001", immunization_json);
 * if (change.pending()) tell("sera envoyé dès que possible");
 * @endcode
 *
 * - Strings are UTF-8 `std::string`; JSON documents stay text (use the host's JSON library).
 * - A failing status throws carnet::error (status, domain, code, field, the doctor's message in
 *   what()); ::CARNET_PENDING is not a failure: the calls that may return it give a
 *   carnet::change carrying the status.
 * - A string argument containing a NUL byte is refused (carnet::error, ::CARNET_E_INVALID_ARGUMENT)
 *   instead of being silently cut.
 * - The callbacks (log, background sync events) are std::function; an exception they throw is
 *   caught at the C boundary (it must never unwind into the library) and dropped.
 */
#ifndef CARNET_HPP
#define CARNET_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "carnet.h"

namespace carnet {

/** A failing status, with the library's details. what() is the message for the doctor. */
class error : public std::runtime_error {
public:
    error(carnet_status status, const carnet_error &details)
        : std::runtime_error(details.message), status_(status), domain_(details.domain), code_(details.code),
          field_(details.field) {}
    error(carnet_status status, carnet_error_domain domain, std::string message, std::string field)
        : std::runtime_error(std::move(message)), status_(status), domain_(domain), code_(0),
          field_(std::move(field)) {}

    /** The status the call returned. */
    carnet_status status() const noexcept { return status_; }
    /** Its stable name for logs ("CARNET_E_NETWORK"). */
    const char *status_name() const noexcept { return carnet_status_string(status_); }
    carnet_error_domain domain() const noexcept { return domain_; }
    /** The domain's number (SQLite result, CURLcode, HTTP status), 0 when none. */
    std::int32_t code() const noexcept { return code_; }
    /** The input at fault ("birthDate", "patient_id"), empty when none: focus it in the form. */
    const std::string &field() const noexcept { return field_; }

private:
    carnet_status status_;
    carnet_error_domain domain_;
    std::int32_t code_;
    std::string field_;
};

/** What an add, update or remove did: ::CARNET_OK or ::CARNET_PENDING, and the state document. */
struct change {
    carnet_status status = CARNET_OK;
    /** The vaccination's state (JSON; empty for a remove). */
    std::string state_json;
    /** The reason it is pending (the library's message), empty when delivered. */
    std::string message;
    bool pending() const noexcept { return status == CARNET_PENDING; }
};

/** How to open a client (carnet_options); empty strings mean "not set". */
struct options {
    std::string service_url;
    std::string enrollment_url;
    std::string store_directory;
    std::string account_email;
    std::string account_password;
    std::string ca_bundle_path;
    std::string crl_path;
    std::string pinned_public_key;
    std::string identity_secret;
    std::string practice_id;
    /** "Europe/Paris" when empty (options version 3; carnet.h lists the accepted zones). */
    std::string time_zone;
    std::uint32_t connect_timeout_ms = 0;
    std::uint32_t request_timeout_ms = 0;
    carnet_locale locale = CARNET_LOCALE_FR;
    carnet_log_level log_level = CARNET_LOG_WARNING;
    /** Receives the library's log lines (English, no patient data), from any thread. */
    std::function<void(carnet_log_level, const char *)> log;
};

/** Receives background sync events (kind, detail JSON) on the library's thread. */
using event_handler = std::function<void(carnet_event_kind, const std::string &)>;

/** The library's version at run time ("0.2.0"); compare with CARNET_VERSION_STRING. */
inline std::string version() { return carnet_version_string(); }

/** MAJOR * 10000 + MINOR * 100 + PATCH of the library; below CARNET_VERSION_NUMBER, it is older
 *  than this header. */
inline std::uint32_t version_number() noexcept { return carnet_version_number(); }

namespace detail {

/** Checks a string argument for the C call (a NUL byte inside would silently cut it). */
inline const char *c_string(const std::string &value, const char *name) {
    if (value.find('\0') != std::string::npos) {
        throw error(CARNET_E_INVALID_ARGUMENT, CARNET_DOMAIN_VALIDATION,
                    std::string("L'argument « ") + name + " » contient un caractère nul.", name);
    }
    return value.c_str();
}

inline const char *optional_string(const std::string &value, const char *name) {
    return value.empty() ? nullptr : c_string(value, name);
}

/** Takes ownership of a string the library returned (freed with carnet_string_free). */
inline std::string take(char *text) {
    std::unique_ptr<char, void (*)(char *)> owned(text, [](char *p) { carnet_string_free(p); });
    return owned ? std::string(owned.get()) : std::string();
}

inline void check(carnet_status status, const carnet_error &details) {
    if (status != CARNET_OK) throw error(status, details);
}

inline carnet_error new_error() {
    carnet_error details = CARNET_ERROR_INIT;
    return details;
}

}  // namespace detail

/** An open client (carnet_client): owns the handle, closes it when destroyed. Move-only. */
class client {
public:
    explicit client(const options &settings) : log_(std::make_unique<log_function>(settings.log)) {
        carnet_options o;
        if (carnet_options_init(&o, CARNET_OPTIONS_VERSION) != CARNET_OK) {
            throw error(CARNET_E_UNSUPPORTED_VERSION, CARNET_DOMAIN_VALIDATION,
                        "La bibliothèque Carnet est plus ancienne que cet en-tête.", "version");
        }
        o.service_url = detail::optional_string(settings.service_url, "service_url");
        o.enrollment_url = detail::optional_string(settings.enrollment_url, "enrollment_url");
        o.store_directory = detail::optional_string(settings.store_directory, "store_directory");
        o.account_email = detail::optional_string(settings.account_email, "account_email");
        o.account_password = detail::optional_string(settings.account_password, "account_password");
        o.ca_bundle_path = detail::optional_string(settings.ca_bundle_path, "ca_bundle_path");
        o.crl_path = detail::optional_string(settings.crl_path, "crl_path");
        o.pinned_public_key = detail::optional_string(settings.pinned_public_key, "pinned_public_key");
        o.identity_secret = detail::optional_string(settings.identity_secret, "identity_secret");
        o.practice_id = detail::optional_string(settings.practice_id, "practice_id");
        o.time_zone = detail::optional_string(settings.time_zone, "time_zone");
        o.connect_timeout_ms = settings.connect_timeout_ms;
        o.request_timeout_ms = settings.request_timeout_ms;
        o.locale = settings.locale;
        o.log_level = settings.log_level;
        if (*log_) {
            o.log_callback = &client::log_trampoline;
            o.log_payload = log_.get();
        }
        carnet_error details = detail::new_error();
        detail::check(carnet_client_open(&o, &handle_, &details), details);
    }

    ~client() { close(); }
    client(const client &) = delete;
    client &operator=(const client &) = delete;
    client(client &&other) noexcept
        : handle_(std::exchange(other.handle_, nullptr)), log_(std::move(other.log_)),
          events_(std::move(other.events_)) {}
    client &operator=(client &&other) noexcept {
        if (this != &other) {
            close();
            handle_ = std::exchange(other.handle_, nullptr);
            log_ = std::move(other.log_);
            events_ = std::move(other.events_);
        }
        return *this;
    }

    /** Closes now (also done by the destructor); the client is then empty. */
    void close() noexcept {
        if (handle_ != nullptr) carnet_client_close(std::exchange(handle_, nullptr));
    }
    /** Makes the operations running now fail with ::CARNET_E_CANCELLED; never blocks. */
    void cancel() noexcept {
        if (handle_ != nullptr) carnet_client_cancel(handle_);
    }
    /** The C handle, for a function this wrapper does not cover yet. */
    carnet_client *handle() const noexcept { return handle_; }

    // --- links
    std::string link_get(const std::string &patient_id) {
        return out(carnet_link_get, detail::c_string(patient_id, "patient_id"));
    }
    void link_set(const std::string &patient_id, const std::string &carnet_id) {
        call(carnet_link_set, detail::c_string(patient_id, "patient_id"), detail::c_string(carnet_id, "carnet_id"));
    }
    void link_remove(const std::string &patient_id) {
        call(carnet_link_remove, detail::c_string(patient_id, "patient_id"));
    }

    // --- the professional's certificate (JSON: docs/schemas/certificate.schema.json)
    std::string certificate_enroll(const std::string &withdrawal_code) {
        return out(carnet_certificate_enroll, detail::c_string(withdrawal_code, "withdrawal_code"));
    }
    std::string certificate_import_p12(const std::string &path, const std::string &password) {
        return out(carnet_certificate_import_p12, detail::c_string(path, "path"),
                   detail::c_string(password, "password"));
    }
    std::string certificate_info() { return out(carnet_certificate_info); }
    /** « Renouveler le certificat »: a new key and certificate, without a withdrawal code. */
    std::string certificate_renew() { return out(carnet_certificate_renew); }

    // --- records and share codes
    std::string record_create(const std::string &patient_id, const std::string &patient_json) {
        return out(carnet_record_create, detail::c_string(patient_id, "patient_id"),
                   detail::c_string(patient_json, "patient_json"));
    }
    std::string share_code_lookup(const std::string &share_code) {
        return out(carnet_share_code_lookup, detail::c_string(share_code, "share_code"));
    }
    std::string record_claim(const std::string &patient_id, const std::string &share_code,
                             const std::string &candidate_id, const std::string &birth_date) {
        return out(carnet_record_claim, detail::c_string(patient_id, "patient_id"),
                   detail::c_string(share_code, "share_code"), detail::c_string(candidate_id, "candidate_id"),
                   detail::c_string(birth_date, "birth_date"));
    }
    void share_code_resend(const std::string &patient_id) {
        call(carnet_share_code_resend, detail::c_string(patient_id, "patient_id"));
    }

    // --- vaccinations
    std::string vaccinations_list(const std::string &patient_id) {
        return out(carnet_vaccinations_list, detail::c_string(patient_id, "patient_id"));
    }
    void vaccinations_accept(const std::string &patient_id, const std::string &mapping_json) {
        call(carnet_vaccinations_accept, detail::c_string(patient_id, "patient_id"),
             detail::c_string(mapping_json, "mapping_json"));
    }
    change vaccination_add(const std::string &patient_id, const std::string &immunization_json) {
        return changed(carnet_vaccination_add, patient_id, immunization_json);
    }
    change vaccination_update(const std::string &patient_id, const std::string &immunization_json) {
        return changed(carnet_vaccination_update, patient_id, immunization_json);
    }
    /** Many vaccinations at once (a JSON array or Bundle): the call's status and the per-item results
     *  (docs/schemas/batch-results.schema.json). Throws only when the whole call fails. */
    change vaccinations_add(const std::string &patient_id, const std::string &immunizations_json) {
        carnet_error details = detail::new_error();
        char *text = nullptr;
        carnet_status status = carnet_vaccinations_add(handle_, detail::c_string(patient_id, "patient_id"),
                                                       detail::c_string(immunizations_json, "immunizations_json"),
                                                       &text, &details);
        const bool filled = text != nullptr;
        std::string results = detail::take(text);
        if (!filled && status != CARNET_PENDING) detail::check(status, details);
        return change{status, std::move(results), status != CARNET_OK ? details.message : ""};
    }
    change vaccination_remove(const std::string &patient_id, const std::string &host_vaccination_id) {
        carnet_error details = detail::new_error();
        carnet_status status = carnet_vaccination_remove(handle_, detail::c_string(patient_id, "patient_id"),
                                                         detail::c_string(host_vaccination_id, "host_vaccination_id"),
                                                         &details);
        if (status != CARNET_PENDING) detail::check(status, details);
        return change{status, std::string(), status == CARNET_PENDING ? details.message : ""};
    }

    // --- sync (JSON: docs/schemas/sync-report.schema.json, outbox-status.schema.json)
    /** Every linked patient. */
    std::string sync() { return out(carnet_sync, static_cast<const char *>(nullptr)); }
    std::string sync(const std::string &patient_id) {
        return out(carnet_sync, detail::c_string(patient_id, "patient_id"));
    }
    std::string outbox_status() { return out(carnet_outbox_status, static_cast<const char *>(nullptr)); }
    std::string outbox_status(const std::string &patient_id) {
        return out(carnet_outbox_status, detail::c_string(patient_id, "patient_id"));
    }
    /** Starts the background sync; `handler` (optional) runs on the library's thread. */
    void sync_start(std::uint32_t interval_ms, event_handler handler = nullptr) {
        carnet_sync_stop(handle_);  // the old handler must not run once replaced
        events_ = std::make_unique<event_handler>(std::move(handler));
        carnet_error details = detail::new_error();
        detail::check(carnet_sync_start(handle_, interval_ms, *events_ ? &client::event_trampoline : nullptr,
                                        events_.get(), &details),
                      details);
    }
    void sync_stop() noexcept {
        if (handle_ != nullptr) carnet_sync_stop(handle_);
    }

    // --- recommendations and the vaccine catalogue
    std::string recommendations_get(const std::string &patient_id) {
        return out(carnet_recommendations_get, detail::c_string(patient_id, "patient_id"));
    }
    /** `context_json` empty: the general population, today. */
    std::string recommendations_get_with_context(const std::string &patient_id, const std::string &context_json) {
        return out(carnet_recommendations_get_with_context, detail::c_string(patient_id, "patient_id"),
                   detail::optional_string(context_json, "context_json"));
    }
    /** The VAC-NOTE CDA document (XML) of a vaccination the host recorded. */
    std::string vaccination_dmp_note(const std::string &patient_id, const std::string &host_vaccination_id,
                                     const std::string &host_context_json) {
        return out(carnet_vaccination_dmp_note, detail::c_string(patient_id, "patient_id"),
                   detail::c_string(host_vaccination_id, "host_vaccination_id"),
                   detail::c_string(host_context_json, "host_context_json"));
    }
    std::string vaccines_search(const std::string &query) {
        return out(carnet_vaccines_search, detail::c_string(query, "query"));
    }
    std::string catalogue_info() { return out(carnet_catalogue_info); }
    std::string catalogue_import(const std::string &directory) {
        return out(carnet_catalogue_import, detail::c_string(directory, "directory"));
    }
    std::string vaccine_scan(const std::string &scanned) {
        return out(carnet_vaccine_scan, detail::c_string(scanned, "scanned"));
    }

private:
    using log_function = std::function<void(carnet_log_level, const char *)>;

    template <typename Function, typename... Args> void call(Function function, Args... args) {
        carnet_error details = detail::new_error();
        detail::check(function(handle_, args..., &details), details);
    }

    template <typename Function, typename... Args> std::string out(Function function, Args... args) {
        carnet_error details = detail::new_error();
        char *text = nullptr;
        carnet_status status = function(handle_, args..., &text, &details);
        std::string result = detail::take(text);
        detail::check(status, details);
        return result;
    }

    template <typename Function>
    change changed(Function function, const std::string &patient_id, const std::string &immunization_json) {
        carnet_error details = detail::new_error();
        char *text = nullptr;
        carnet_status status = function(handle_, detail::c_string(patient_id, "patient_id"),
                                        detail::c_string(immunization_json, "immunization_json"), &text, &details);
        std::string state = detail::take(text);
        if (status != CARNET_PENDING) detail::check(status, details);
        return change{status, std::move(state), status == CARNET_PENDING ? details.message : ""};
    }

    static void CARNET_CALL log_trampoline(void *payload, carnet_log_level level, const char *message) {
        try {
            (*static_cast<log_function *>(payload))(level, message);
        } catch (...) {
            // Never unwind into the library.
        }
    }

    static void CARNET_CALL event_trampoline(void *payload, carnet_event_kind kind, const char *detail_json) {
        try {
            (*static_cast<event_handler *>(payload))(kind, detail_json != nullptr ? detail_json : "");
        } catch (...) {
            // Never unwind into the library.
        }
    }

    carnet_client *handle_ = nullptr;
    // Heap-held so the payload pointers given to the library survive a move of the client.
    std::unique_ptr<log_function> log_;
    std::unique_ptr<event_handler> events_;
};

}  // namespace carnet

#endif /* CARNET_HPP */
