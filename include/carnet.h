/**
 * @file carnet.h
 * @brief Carnet: connect a host EHR to a shared electronic vaccination record
 *        ("carnet de vaccination électronique", CVE).
 *
 * This header is the whole contract of libcarnet.so.1. It is C99 and C++ clean
 * and depends only on <stddef.h> and <stdint.h>.
 *
 * @section conventions Conventions (see docs/abi.md)
 *
 * - **Names**: functions `carnet_<object>_<verb>`, types `carnet_*`, macros and
 *   enum constants `CARNET_*`.
 * - **Results**: every fallible function returns a ::carnet_status; ::CARNET_OK
 *   (0) is success. Its last parameter is an optional, caller-owned
 *   ::carnet_error that receives the details; pass NULL if you only want the
 *   status. Initialise it with ::CARNET_ERROR_INIT (or carnet_error_init()):
 *   the library writes only as much of it as its `struct_size` declares. On
 *   success the error is reset (status ::CARNET_OK, empty message and field).
 * - **Outputs** are named `out_*`. They are set to NULL (or 0) first and are only
 *   filled on success. Strings the library returns are owned by the caller and
 *   freed with carnet_string_free(), never with free().
 * - **Inputs** are UTF-8, NUL-terminated, and copied before the function
 *   returns: the caller may free or reuse them at once. A NULL, empty, non-UTF-8
 *   or oversized (> 1 MiB, unless stated) argument is refused with
 *   ::CARNET_E_INVALID_ARGUMENT; it never crashes the host. Paths are UTF-8 on
 *   every platform.
 * - **Threads**: every function may be called from any thread. A client handle
 *   is thread-safe; calls on one handle are serialised internally, except
 *   carnet_client_cancel(), which never waits.
 * - **Messages**: ::carnet_error.message is written for the doctor, in French by
 *   default (English with ::CARNET_LOCALE_EN). It never contains patient data
 *   (names, birth dates, INS, share codes) nor secrets.
 */
#ifndef CARNET_H
#define CARNET_H

#include <stddef.h>
#include <stdint.h>

/** @name Export and calling convention
 *  Windows hosts (most French EHRs) build against the DLL with the default
 *  `CARNET_API` (dllimport) and the `__cdecl` convention; define
 *  `CARNET_STATIC` when linking a static build.
 *  @{ */
#if defined(_WIN32) || defined(__CYGWIN__)
#  if defined(CARNET_BUILDING)
#    define CARNET_API __declspec(dllexport)
#  elif defined(CARNET_STATIC)
#    define CARNET_API
#  else
#    define CARNET_API __declspec(dllimport)
#  endif
#  define CARNET_CALL __cdecl
#else
#  define CARNET_API __attribute__((visibility("default")))
#  define CARNET_CALL
#endif
/** @} */

#ifdef __cplusplus
extern "C" {
#endif

/** @name Version
 *  The header's version; compare with carnet_version_number() at run time to
 *  detect a library older than the header you compiled against.
 *  @{ */
#define CARNET_VERSION_MAJOR 0
#define CARNET_VERSION_MINOR 2
#define CARNET_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH. */
#define CARNET_VERSION_NUMBER \
    (CARNET_VERSION_MAJOR * 10000 + CARNET_VERSION_MINOR * 100 + CARNET_VERSION_PATCH)
#define CARNET_VERSION_STRING "0.2.0"

/**
 * The library's version as text, e.g. "0.2.0".
 * @return a static string owned by the library; never NULL; do not free.
 * @note Thread-safe, never fails.
 */
CARNET_API const char *CARNET_CALL carnet_version_string(void);

/**
 * The library's version as MAJOR * 10000 + MINOR * 100 + PATCH.
 * @note Thread-safe, never fails.
 */
CARNET_API uint32_t CARNET_CALL carnet_version_number(void);
/** @} */

/** @name Status codes
 *  Values are explicit and append-only: a value is never renumbered or reused.
 *  Treat an unknown value as a failure.
 *  @{ */
typedef enum carnet_status {
    /** Success. */
    CARNET_OK = 0,
    /** Accepted and durably recorded, but not yet delivered to the service; it
     *  will be retried. Not a failure: nothing is lost. */
    CARNET_PENDING = 1,
    /** An argument is NULL, empty, not UTF-8, too large or malformed; the
     *  message names which, and ::carnet_error.field holds its name. */
    CARNET_E_INVALID_ARGUMENT = 2,
    /** The thing asked for does not exist (no linked carnet, unknown id). */
    CARNET_E_NOT_FOUND = 3,
    /** The local store could not be read or written (disk full, I/O error,
     *  permissions, database from a newer version). */
    CARNET_E_STORAGE = 4,
    /** The service could not be reached (DNS, connection refused or reset). */
    CARNET_E_NETWORK = 5,
    /** The secure connection was refused (certificate invalid, expired, wrong
     *  host, weak protocol or cipher, pin mismatch). */
    CARNET_E_TLS = 6,
    /** The service answered with an HTTP error not covered by a more precise status. */
    CARNET_E_HTTP = 7,
    /** The professional's credentials are missing or refused (no certificate,
     *  certificate refused or revoked, wrong password). */
    CARNET_E_CREDENTIALS = 8,
    /** The service refused access to this carnet (wrong birth date, access revoked). */
    CARNET_E_ACCESS_DENIED = 9,
    /** Too many failed attempts: locked for a while. */
    CARNET_E_LOCKED = 10,
    /** The record changed elsewhere in the meantime. */
    CARNET_E_CONFLICT = 11,
    /** Stopped by carnet_client_cancel(). */
    CARNET_E_CANCELLED = 12,
    /** The service did not answer in time. */
    CARNET_E_TIMEOUT = 13,
    /** A versioned structure has a version this library does not know. */
    CARNET_E_UNSUPPORTED_VERSION = 14,
    /** Memory could not be allocated. */
    CARNET_E_OUT_OF_MEMORY = 15,
    /** The service answered something that is not valid for the protocol
     *  (malformed JSON, wrong resource type, oversized answer). */
    CARNET_E_PROTOCOL = 16,
    /** The professional's certificate has expired: it must be renewed. */
    CARNET_E_CERTIFICATE_EXPIRED = 17,
    /** A bug in Carnet. Please report it with the log. */
    CARNET_E_INTERNAL = 18,
    /** The withdrawal code ("code de retrait") was refused: wrong, already
     *  used or expired (the message says which when the service tells). */
    CARNET_E_WITHDRAWAL_CODE = 19,
    /** The PKCS#12 file's password is wrong. */
    CARNET_E_PKCS12_PASSWORD = 20,
    /** The PKCS#12 file uses legacy encryption (RC2-40, 3DES) that Carnet
     *  refuses; ask for a modern (AES-256) export. */
    CARNET_E_PKCS12_UNSUPPORTED = 21,
    /** The host's identity secret (::carnet_options.identity_secret) is
     *  missing or does not unlock the stored private key. */
    CARNET_E_IDENTITY_SECRET = 22,
    /** No professional certificate is installed yet: enroll or import one. */
    CARNET_E_NO_CERTIFICATE = 23,
    /** The service refused the record itself (a business rule: date in the
     *  future or before birth, unknown vaccine, missing element). Retrying
     *  will not help; the host must correct it. */
    CARNET_E_REJECTED = 24
} carnet_status;

/**
 * A short, stable English name of a status, for logs ("CARNET_E_NETWORK").
 * @return a static string; never NULL ("CARNET_E_UNKNOWN" for an unknown value); do not free.
 * @note For the doctor, show ::carnet_error.message instead.
 */
CARNET_API const char *CARNET_CALL carnet_status_string(carnet_status status);
/** @} */

/** @name Errors
 *  @{ */

/** Where an error comes from, to read ::carnet_error.code. */
typedef enum carnet_error_domain {
    CARNET_DOMAIN_NONE = 0,
    /** An argument given by the host. code: 0. */
    CARNET_DOMAIN_VALIDATION = 1,
    /** The local SQLite store. code: SQLite extended result code. */
    CARNET_DOMAIN_STORAGE = 2,
    /** The network. code: libcurl CURLcode. */
    CARNET_DOMAIN_NETWORK = 3,
    /** TLS. code: libcurl CURLcode (or X509 verify result when known). */
    CARNET_DOMAIN_TLS = 4,
    /** The service's HTTP answer. code: HTTP status. */
    CARNET_DOMAIN_HTTP = 5,
    /** The professional's certificate or key. code: 0 or an OpenSSL reason. */
    CARNET_DOMAIN_CREDENTIALS = 6,
    /** Inside Carnet. code: 0. */
    CARNET_DOMAIN_INTERNAL = 7
} carnet_error_domain;

/** Size of ::carnet_error.message, including the terminating NUL. */
#define CARNET_ERROR_MESSAGE_SIZE 512

/** Size of ::carnet_error.field, including the terminating NUL. */
#define CARNET_ERROR_FIELD_SIZE 64

/**
 * Details of a failure, filled by the library into memory the caller owns
 * (typically on the stack).
 *
 * The struct can grow: a newer header may append members, never reorder or
 * resize existing ones. The caller states in @ref struct_size how many bytes
 * it allocated (::CARNET_ERROR_INIT and carnet_error_init() set it), and the
 * library writes a member only if it lies entirely within that size, so a
 * host built against an older header is never written past its struct; a
 * host built against a newer header keeps the newer members it initialised
 * (empty) when the library is older. A @ref struct_size below 16 (the four
 * fixed members) or above 65536 is taken for an uninitialised struct: the
 * library then writes nothing into it and only returns the status.
 *
 * @code
 * carnet_error error = CARNET_ERROR_INIT;
 * if (carnet_vaccination_add(client, patient, json, &out, &error) == CARNET_E_INVALID_ARGUMENT
 *     && error.field[0] != '\0')
 *     focus_input(error.field);   // e.g. "vaccineCode", "occurrenceDateTime"
 * @endcode
 * A struct may be reused from call to call: the library never writes
 * @ref struct_size.
 */
typedef struct carnet_error {
    /** Bytes the caller allocated for this struct: `sizeof(carnet_error)` of
     *  the header it was built with. Read, never written, by the library. */
    uint32_t struct_size;
    /** Same value as the function's result. */
    carnet_status status;
    /** Where the error comes from. */
    carnet_error_domain domain;
    /** Domain-specific number (see ::carnet_error_domain); 0 when none. */
    int32_t code;
    /** A sentence for the doctor, UTF-8, NUL-terminated, truncated on a
     *  character boundary; French by default. Empty on success. */
    char message[CARNET_ERROR_MESSAGE_SIZE];
    /** The input at fault, by name, so the host can focus it: a parameter or
     *  ::carnet_options member ("patient_id", "service_url", "version"), or
     *  an element of the FHIR document passed ("name.family", "birthDate",
     *  "identifier[0].value", "vaccineCode.coding", "occurrenceDateTime").
     *  Printable ASCII, NUL-terminated. Filled for every
     *  ::CARNET_E_INVALID_ARGUMENT, for ::CARNET_E_UNSUPPORTED_VERSION of the
     *  options ("version") and for a ::CARNET_E_REJECTED whose rule names one
     *  element ("vaccineCode", "occurrenceDateTime", "birthDate",
     *  "identifier[0].value"); empty otherwise and on success. Never a value
     *  the doctor or the patient typed. */
    char field[CARNET_ERROR_FIELD_SIZE];
} carnet_error;

/** Static initialiser: `carnet_error error = CARNET_ERROR_INIT;` */
#define CARNET_ERROR_INIT { (uint32_t)sizeof(carnet_error), CARNET_OK, CARNET_DOMAIN_NONE, 0, { 0 }, { 0 } }

/**
 * Initialises an error struct the caller allocated (same as
 * ::CARNET_ERROR_INIT), for hosts that cannot use the macro (Delphi, C#):
 * sets @ref carnet_error.struct_size to @p struct_size and zeroes the
 * @p struct_size bytes (status ::CARNET_OK, empty message and field).
 * @param error       the struct to initialise; must not be NULL.
 * @param struct_size `sizeof(carnet_error)` as the caller's header defines it:
 *                    16 to 65536.
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT if @p error is NULL or
 *         @p struct_size is out of range (then nothing is written).
 * @note Thread-safe; never fails otherwise.
 */
CARNET_API carnet_status CARNET_CALL carnet_error_init(carnet_error *error, uint32_t struct_size);
/** @} */

/** @name Options
 *  @{ */

/** Language of the messages the library writes. */
typedef enum carnet_locale {
    CARNET_LOCALE_FR = 0, /**< French (default). */
    CARNET_LOCALE_EN = 1  /**< English. */
} carnet_locale;

/** Log levels, from quietest to most verbose. */
typedef enum carnet_log_level {
    CARNET_LOG_OFF = 0,
    CARNET_LOG_ERROR = 1,
    CARNET_LOG_WARNING = 2,
    CARNET_LOG_INFO = 3,
    CARNET_LOG_DEBUG = 4
} carnet_log_level;

/**
 * Receives the library's log lines. Called on the thread that runs the logging
 * operation (the caller's thread, the background sync thread, or a short-lived
 * thread of the library that sends the requests of a backlog being pushed, one
 * after the other), possibly from several threads at once; must not call back
 * into the same client.
 * @param payload the ::carnet_options.log_payload given at open.
 * @param level   the line's level (never ::CARNET_LOG_OFF).
 * @param message UTF-8 text, valid only during the call; English; never
 *                contains patient data or secrets.
 */
typedef void(CARNET_CALL *carnet_log_callback)(void *payload, carnet_log_level level, const char *message);

/** The version of ::carnet_options this header describes (2 appended @ref practice_id,
 *  3 appended @ref time_zone). */
#define CARNET_OPTIONS_VERSION 3

/**
 * How to open a client. Initialise with ::CARNET_OPTIONS_INIT or
 * carnet_options_init(), then set the fields you need. Strings are copied by
 * carnet_client_open(); NULL means "not set".
 */
typedef struct carnet_options {
    /** Must be ::CARNET_OPTIONS_VERSION (the initialisers set it). */
    uint32_t version;
    /** Base URL of the CVE service's FHIR API, https only, e.g.
     *  "https://cve.example.fr/fhir". Optional at open; required by network calls. */
    const char *service_url;
    /** Base URL of the service's certificate enrollment endpoint (EST, RFC 7030),
     *  reachable without a client certificate, e.g. "https://cve.example.fr:8444".
     *  NULL: the origin of @ref service_url. */
    const char *enrollment_url;
    /** Directory of the local store (created 0700 if missing). Required. */
    const char *store_directory;
    /** The professional's account email. Optional. */
    const char *account_email;
    /** Unused, ignored: kept so the structure's layout does not change. The service
     *  authenticates the professional by the client certificate alone (docs/security.md);
     *  a password here would only be one more secret to keep in memory. */
    const char *account_password;
    /** PEM file of the certification authorities trusted for the service;
     *  NULL uses the system's store. */
    const char *ca_bundle_path;
    /** PEM file of certificate revocation lists (every CA level); NULL: none. */
    const char *crl_path;
    /** Public-key pin in libcurl's form "sha256//BASE64[;sha256//...]"; NULL: none. */
    const char *pinned_public_key;
    /** The host's secret that protects the professional's private key at rest
     *  (see docs/security.md). Kept in memory only. Optional until a
     *  certificate is installed. */
    const char *identity_secret;
    /** Connection timeout in milliseconds; 0 means the default (10 000). */
    uint32_t connect_timeout_ms;
    /** Whole-request timeout in milliseconds; 0 means the default (30 000). */
    uint32_t request_timeout_ms;
    /** Language of error messages; default ::CARNET_LOCALE_FR. */
    carnet_locale locale;
    /** Optional log sink; NULL disables logging. */
    carnet_log_callback log_callback;
    /** Passed back to @ref log_callback unchanged. */
    void *log_payload;
    /** Most verbose level delivered; default ::CARNET_LOG_WARNING. */
    carnet_log_level log_level;
    /* ---- version 2 ---- */
    /** The host's installation: the EHR database every workstation of the practice shares
     *  (docs/sync.md, "A practice, not a workstation"). A globally unique id the host generates
     *  once (a UUID) and keeps in that database: 16 to 64 characters among `A-Z a-z 0-9 - . _`.
     *  It scopes the host's vaccination ids on the wire, so every workstation of the practice
     *  recognises, corrects and removes the practice's vaccinations and none is created twice.
     *  NULL: this store's own scope (one workstation), as in version 1. Not patient data. */
    const char *practice_id;
    /* ---- version 3 ---- */
    /** The time zone of "today" and of every age (the recommendations' assessment date):
     *  "Europe/Paris" (the default when NULL), "America/Guadeloupe", "America/Martinique",
     *  "America/St_Barthelemy", "America/Marigot", "America/Cayenne", "Indian/Reunion",
     *  "Indian/Mayotte", "Pacific/Noumea", "Pacific/Tahiti", "Pacific/Wallis", "UTC", or a fixed
     *  offset "+04:00" / "-03:00". Anything else is ::CARNET_E_INVALID_ARGUMENT (field
     *  `time_zone`). See docs/recommendations.md, "One civil date". */
    const char *time_zone;
} carnet_options;

/** Static initialiser: `carnet_options o = CARNET_OPTIONS_INIT;` */
#define CARNET_OPTIONS_INIT                                                                         \
    { CARNET_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, CARNET_LOCALE_FR, \
      NULL, NULL, CARNET_LOG_WARNING, NULL, NULL }

/**
 * Initialises @p options to the defaults of @p version (same as ::CARNET_OPTIONS_INIT): only
 * the fields of that version are written, so a host compiled with an older header passes its
 * own (smaller) structure and its own version.
 * @param options the structure to fill; must not be NULL.
 * @param version ::CARNET_OPTIONS_VERSION.
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT if @p options is NULL;
 *         ::CARNET_E_UNSUPPORTED_VERSION if this library does not know @p version.
 */
CARNET_API carnet_status CARNET_CALL carnet_options_init(carnet_options *options, uint32_t version);
/** @} */

/** @name Client
 *  @{ */

/** An open connection to the local store and the service. Opaque. */
typedef struct carnet_client carnet_client;

/**
 * Opens a client: validates @p options, creates or opens the local store in
 * ::carnet_options.store_directory (migrating it if needed) and initialises
 * the network layer. Does not contact the service.
 *
 * @param options     must not be NULL; read and copied during the call.
 * @param out_client  receives the new client, or NULL on failure; must not be NULL.
 *                    Close it with carnet_client_close().
 * @param error       optional details.
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT (a member is malformed: the
 *         message and ::carnet_error.field name it);
 *         ::CARNET_E_UNSUPPORTED_VERSION (options version; field "version");
 *         ::CARNET_E_STORAGE (directory or database unusable, or written by a
 *         newer Carnet).
 * @note Several clients may use different store directories at once. Two
 *       clients on the same directory are allowed; SQLite serialises them.
 */
CARNET_API carnet_status CARNET_CALL carnet_client_open(const carnet_options *options, carnet_client **out_client,
                                                        carnet_error *error);

/**
 * Closes a client: stops its background sync, cancels what it is doing, waits
 * for it to stop, and frees it.
 * NULL is accepted and does nothing. The handle must not be used afterwards,
 * and no other thread may be using it when close starts (except to cancel).
 */
CARNET_API void CARNET_CALL carnet_client_close(carnet_client *client);

/**
 * Asks the operations running on @p client to stop as soon as possible; they
 * return ::CARNET_E_CANCELLED. Operations started afterwards run normally.
 * Never blocks; callable from any thread, including a log callback.
 * Recorded vaccinations are never lost by cancelling: they stay pending.
 * @return ::CARNET_OK, or ::CARNET_E_INVALID_ARGUMENT if @p client is NULL.
 */
CARNET_API carnet_status CARNET_CALL carnet_client_cancel(carnet_client *client);
/** @} */

/** @name Links between host patients and carnets
 *  The host's patient id is its own identifier (any UTF-8 text up to 256
 *  bytes, no control characters). It stays on the workstation: it is never
 *  sent to the service nor written to a log. A carnet id is the service's
 *  UUID of the carnet (8-4-4-4-12 hexadecimal; returned in lowercase).
 *  @{ */

/**
 * Is a carnet already linked to this patient? ("AlmaPro recherche dans sa base
 * de données si un CVE a déjà été associé.")
 * @param client        an open client.
 * @param patient_id    the host's patient id.
 * @param out_carnet_id receives the carnet's UUID (free with carnet_string_free()),
 *                      or NULL on failure; must not be NULL.
 * @return ::CARNET_OK; ::CARNET_E_NOT_FOUND when no carnet is linked;
 *         ::CARNET_E_INVALID_ARGUMENT; ::CARNET_E_STORAGE.
 * @note Reads the local store only; never contacts the service.
 */
CARNET_API carnet_status CARNET_CALL carnet_link_get(carnet_client *client, const char *patient_id,
                                                     char **out_carnet_id, carnet_error *error);

/**
 * Records that this patient's carnet is @p carnet_id, replacing any previous
 * link. For hosts that already store carnet UUIDs. Durable when it returns.
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT (e.g. @p carnet_id is not a
 *         UUID); ::CARNET_E_STORAGE.
 * @note Retry: harmless (setting the same link again changes nothing).
 */
CARNET_API carnet_status CARNET_CALL carnet_link_set(carnet_client *client, const char *patient_id,
                                                     const char *carnet_id, carnet_error *error);

/**
 * Forgets this patient's link ("choisir un autre CVE"). The carnet itself is
 * untouched on the service. Removing a link that does not exist succeeds.
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT; ::CARNET_E_STORAGE.
 */
CARNET_API carnet_status CARNET_CALL carnet_link_remove(carnet_client *client, const char *patient_id,
                                                        carnet_error *error);
/** @} */

/** @name The professional's certificate ("Récupérer le certificat")
 *  Every call to the service is mutual TLS with the professional's client
 *  certificate. Its private key is generated on this workstation (or imported
 *  from a PKCS#12 file) and stored only encrypted: AES-256-GCM under a key
 *  derived (PBKDF2-SHA256, 600 000 iterations) from
 *  ::carnet_options.identity_secret, which must be set for these calls and for
 *  every call that reaches the service.
 *
 *  Certificate JSON (`out_json` of the three functions):
 *  @code
 *  { "subject": "/CN=...", "common_name": "...", "issuer": "/CN=...",
 *    "serial_number": "0A1B...", "not_before": "2026-11-30T08:00:00Z",
 *    "not_after": "2027-11-30T08:00:00Z", "days_left": 364, "expired": false,
 *    "sha256": "hex of the certificate's SHA-256" }
 *  @endcode
 *  @{ */

/**
 * Enrolls the professional with the withdrawal code ("code de retrait") the
 * service gave: generates a key pair here, sends a certificate request (EST
 * simpleenroll at ::carnet_options.enrollment_url, authenticated by
 * ::carnet_options.account_email and the code), stores the certificate and the
 * sealed key, replacing any previous identity.
 * @param withdrawal_code the code, as typed by the doctor (at most 256 bytes).
 * @param out_json        receives the certificate JSON above.
 * @return ::CARNET_OK; ::CARNET_E_WITHDRAWAL_CODE (wrong, used or expired code:
 *         the message says which); ::CARNET_E_LOCKED (too many attempts);
 *         ::CARNET_E_IDENTITY_SECRET (no secret to seal the key);
 *         ::CARNET_E_NETWORK, ::CARNET_E_TLS, ::CARNET_E_TIMEOUT; ::CARNET_E_STORAGE.
 * @note Retry after a lost answer: the withdrawal code is single-use, so the retry is
 *        ::CARNET_E_WITHDRAWAL_CODE ("déjà utilisé"): ask the service for a new code.
 */
CARNET_API carnet_status CARNET_CALL carnet_certificate_enroll(carnet_client *client, const char *withdrawal_code,
                                                               char **out_json, carnet_error *error);

/**
 * Imports the professional's certificate and key from a PKCS#12 file
 * protected by a password (the guide's import wizard). Modern files
 * (AES-256/PBKDF2) are accepted; legacy RC2-40/3DES files are refused.
 * @param path     UTF-8 path of the .p12/.pfx file (at most 1 MiB).
 * @param password its password; "" for none; must not be NULL.
 * @param out_json receives the certificate JSON above.
 * @return ::CARNET_OK; ::CARNET_E_PKCS12_PASSWORD; ::CARNET_E_PKCS12_UNSUPPORTED;
 *         ::CARNET_E_INVALID_ARGUMENT (not a PKCS#12 file, unreadable);
 *         ::CARNET_E_CREDENTIALS (no key or certificate inside);
 *         ::CARNET_E_CERTIFICATE_EXPIRED; ::CARNET_E_IDENTITY_SECRET; ::CARNET_E_STORAGE.
 * @note Retry: harmless (the same identity is installed again).
 */
CARNET_API carnet_status CARNET_CALL carnet_certificate_import_p12(carnet_client *client, const char *path,
                                                                   const char *password, char **out_json,
                                                                   carnet_error *error);

/**
 * Renews the installed certificate before it expires ("Renouveler le certificat"), without a
 * withdrawal code: generates a new key pair here, sends a certificate request authenticated by
 * the current certificate over mutual TLS (EST simplereenroll at the origin of
 * ::carnet_options.service_url), stores the new certificate with its key sealed by
 * ::carnet_options.identity_secret, and uses it from then on. The background sync's
 * ::CARNET_EVENT_CERTIFICATE_EXPIRING warning (30 days ahead) points here.
 * @param out_json receives the new certificate's JSON above.
 * @return ::CARNET_OK; ::CARNET_E_NO_CERTIFICATE; ::CARNET_E_CERTIFICATE_EXPIRED (too late to
 *         renew: enroll again with a new withdrawal code); ::CARNET_E_CREDENTIALS (the service
 *         refused the current certificate: the message says whether it was revoked or unknown);
 *         ::CARNET_E_IDENTITY_SECRET; ::CARNET_E_NETWORK, ::CARNET_E_TLS, ::CARNET_E_TIMEOUT;
 *         ::CARNET_E_STORAGE.
 * @note Retry after a lost answer: safe. The certificate the service issued but this store never
 *        received stays unused; the retry renews again with the certificate still installed,
 *        which remains valid until its own expiry.
 */
CARNET_API carnet_status CARNET_CALL carnet_certificate_renew(carnet_client *client, char **out_json,
                                                              carnet_error *error);

/**
 * The installed certificate: subject, issuer, validity, days left. Reads the
 * store only; does not need the identity secret.
 * @return ::CARNET_OK; ::CARNET_E_NO_CERTIFICATE; ::CARNET_E_STORAGE.
 */
CARNET_API carnet_status CARNET_CALL carnet_certificate_info(carnet_client *client, char **out_json,
                                                             carnet_error *error);
/** @} */

/** @name Records and share codes
 *  The patient's carnet ("carnet de vaccination électronique") is a "record"
 *  in this API (`carnet_carnet_*` would stutter) and a FHIR R4 Patient on the
 *  service, whose id is the carnet UUID (`carnet_id`). Create one, or attach
 *  an existing one with the patient's share code ("code de partage"), or send
 *  that code to the patient again. See docs/abi.md, "Vocabulary".
 *  @{ */

/**
 * Creates the patient's carnet ("Créer le carnet de vaccination électronique"),
 * links it to @p patient_id and returns the service's Patient. The service
 * emails the patient their share code.
 * @param patient_json a FHIR R4 Patient with at least `name[0].family`,
 *        `name[0].given[0]`, `birthDate` (YYYY-MM-DD, not in the future),
 *        `gender` (male, female, other, unknown) and a `telecom` of system
 *        `email`; optional `identifier` (INS: system urn:oid:1.2.250.1.213.1.4.8)
 *        and the pseudonym extension (docs/protocol.md). `id` and `meta` are ignored.
 * @param out_json receives the created Patient (with its `id`).
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT naming the missing or wrong
 *         element in ::carnet_error.field ("name.family", "name.given",
 *         "birthDate", "gender", "telecom(email)") so the host can ask for it;
 *         ::CARNET_E_CONFLICT (a carnet is already linked to this patient);
 *         ::CARNET_E_REJECTED; network, TLS and credentials statuses.
 * @note Retry after a lost answer (::CARNET_E_NETWORK, ::CARNET_E_TIMEOUT, 5xx): safe, the
 *        creation key stored before the first attempt is sent again (`Idempotency-Key`), so the
 *        service answers with the carnet created the first time: one carnet, one email.
 */
CARNET_API carnet_status CARNET_CALL carnet_record_create(carnet_client *client, const char *patient_id,
                                                          const char *patient_json, char **out_json,
                                                          carnet_error *error);

/**
 * The carnets a patient's share code opens ("code de partage"), by pseudonym
 * only. `out_json` is a FHIR Parameters resource:
 * @code
 * { "resourceType": "Parameters", "parameter": [
 *     { "name": "candidate", "part": [ { "name": "id", "valueString": "opaque id" },
 *                                      { "name": "pseudonym", "valueString": "Ambroise" } ] }, ... ] }
 * @endcode
 * @return ::CARNET_OK; ::CARNET_E_ACCESS_DENIED (unknown code: the service does
 *         not say more); ::CARNET_E_LOCKED (too many attempts); network statuses.
 */
CARNET_API carnet_status CARNET_CALL carnet_share_code_lookup(carnet_client *client, const char *share_code,
                                                              char **out_json, carnet_error *error);

/**
 * Claims one carnet of a share code with the holder's birth date, links it to
 * @p patient_id and returns its Patient.
 * @param candidate_id an `id` from carnet_share_code_lookup().
 * @param birth_date   the holder's birth date, YYYY-MM-DD.
 * @return ::CARNET_OK; ::CARNET_E_ACCESS_DENIED (code, carnet or date wrong:
 *         the service never says which); ::CARNET_E_LOCKED (five failures lock
 *         the code for a while); ::CARNET_E_INVALID_ARGUMENT (date malformed).
 * @note Retry after a lost answer: safe (claiming a carnet this professional already holds
 *        grants nothing new; the share code stays valid).
 */
CARNET_API carnet_status CARNET_CALL carnet_record_claim(carnet_client *client, const char *patient_id,
                                                         const char *share_code, const char *candidate_id,
                                                         const char *birth_date, char **out_json,
                                                         carnet_error *error);

/**
 * Asks the service to email the share code to the patient again.
 * @return ::CARNET_OK; ::CARNET_E_NOT_FOUND (no linked carnet); ::CARNET_E_LOCKED
 *         (resent too recently); network statuses.
 * @note Retry after a lost answer: the email may go twice, unless the service's rate limit
 *        answers ::CARNET_E_LOCKED (resent too recently): then the first one was sent.
 */
CARNET_API carnet_status CARNET_CALL carnet_share_code_resend(carnet_client *client, const char *patient_id,
                                                              carnet_error *error);
/** @} */

/** @name Vaccinations: import, add, remove, sync
 *  The host identifies each of its vaccinations with its own id (any text up
 *  to 128 bytes), given as `identifier[0].value` of the Immunization it adds.
 *  An add or a remove is written to the local store (with the outbox entry
 *  that delivers it) before the call returns, then pushed at once. If the
 *  service cannot be reached the call returns ::CARNET_PENDING: nothing is
 *  lost, it is pushed by the next carnet_sync() (or background sync).
 *  @{ */

/**
 * The carnet's vaccinations as a FHIR searchset Bundle (all pages). Entries
 * the host already has carry an extension
 * `https://carnet.invalid/fhir/StructureDefinition/host-vaccination-id`
 * with the host's id.
 */
CARNET_API carnet_status CARNET_CALL carnet_vaccinations_list(carnet_client *client, const char *patient_id,
                                                              char **out_json, carnet_error *error);

/**
 * Records which of the carnet's vaccinations the host imported, and under
 * which host ids ("Exporter les vaccins cochés"), and which it chose to
 * ignore, so sync neither proposes them again nor pushes them back:
 * @code
 * { "imported": [ { "immunization_id": "...", "host_vaccination_id": "..." } ],
 *   "ignored": [ "immunization_id", ... ] }
 * @endcode
 * Accepting the same pair twice changes nothing. Accepting a vaccination the
 * host already holds (same host id) acknowledges a `changed` proposal of
 * carnet_sync().
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT; ::CARNET_E_CONFLICT (that
 *         host id already names another vaccination).
 * @note Retry: harmless (accepting the same pairs again changes nothing).
 */
CARNET_API carnet_status CARNET_CALL carnet_vaccinations_accept(carnet_client *client, const char *patient_id,
                                                                const char *mapping_json, carnet_error *error);

/**
 * Adds a vaccination the doctor recorded to the patient's carnet.
 * @param immunization_json a FHIR R4 Immunization with `identifier[0].value` =
 *        the host's vaccination id, `vaccineCode.coding` (the CIS code, system
 *        https://smt.esante.gouv.fr/terminologie-bdpm, plus any NUVA/CIP13/ATC
 *        codings) and `occurrenceDateTime`; `status` defaults to "completed";
 *        `patient` is set by the library.
 * @param out_json receives the vaccination's state (filled for ::CARNET_OK and ::CARNET_PENDING):
 * @code
 * { "host_vaccination_id": "...", "state": "synced" | "pending" | "failed",
 *   "immunization_id": "...", "version": 1,
 *   "status": "CARNET_E_NETWORK", "message": "..."   (when not delivered) }
 * @endcode
 * @return ::CARNET_OK (on the service); ::CARNET_PENDING (recorded, will be
 *         sent); ::CARNET_E_REJECTED (the service refused it: kept as failed
 *         for the host to correct or remove; ::carnet_error.field names the
 *         element when the rule is about one: "occurrenceDateTime",
 *         "vaccineCode", or the FHIRPath the service's OperationOutcome names in
 *         `expression`, e.g. "Immunization.lotNumber", which the message also names);
 *         ::CARNET_E_NOT_FOUND (no linked carnet);
 *         ::CARNET_E_INVALID_ARGUMENT (field: "identifier[0].value",
 *         "vaccineCode.coding", "occurrenceDateTime", or "immunization_json"
 *         for the document as a whole); ::CARNET_E_CONFLICT (this host id is already
 *         recorded with other content: correct it with carnet_vaccination_update()). Adding the
 *         same vaccination twice (a retry after a lost answer) records nothing new and returns its
 *         state.
 */
CARNET_API carnet_status CARNET_CALL carnet_vaccination_add(carnet_client *client, const char *patient_id,
                                                            const char *immunization_json, char **out_json,
                                                            carnet_error *error);

/**
 * Adds many vaccinations of one patient in one call ("Many at once": the EHR's whole history
 * right after carnet_record_create() or carnet_record_claim(), a vaccination session). Every
 * valid item is recorded in one durable transaction (one disk sync for all, not one per item),
 * then the outbox is pushed at once, in FHIR batches when the service offers them.
 * @param immunizations_json a JSON array of Immunizations (each as carnet_vaccination_add()
 *        takes it), or a FHIR Bundle whose `entry[].resource` are; at most 1000 items and 16 MiB.
 * @param out_json receives, in every case but a failure of the whole call:
 * @code
 * { "results": [ { "index": 0, "host_vaccination_id": "...", "result": "CARNET_OK",
 *                  "state": "synced", "immunization_id": "...", "version": 1 },
 *                { "index": 1, "host_vaccination_id": "...", "result": "CARNET_PENDING",
 *                  "state": "pending", "status": "CARNET_E_NETWORK", "message": "..." },
 *                { "index": 2, "result": "CARNET_E_INVALID_ARGUMENT", "state": "not_recorded",
 *                  "status": "CARNET_E_INVALID_ARGUMENT", "field": "occurrenceDateTime", "message": "..." } ],
 *   "delivered": 1, "pending": 1, "refused": 1 }
 * @endcode
 * `result` is what carnet_vaccination_add() would have returned for that item; an item
 * `not_recorded` was not recorded (fix it and send it again); the others are recorded whatever
 * happens next. The same host id twice in one call: the second is `not_recorded`
 * (::CARNET_E_CONFLICT).
 * @return ::CARNET_OK (every item delivered); ::CARNET_PENDING (all recorded, some wait: the
 *         error names the first one's reason); else the first refused item's status, message and
 *         field (`out_json` filled); ::CARNET_E_INVALID_ARGUMENT for an unusable document
 *         (`field` = "immunizations_json"); ::CARNET_E_NOT_FOUND (no linked carnet);
 *         ::CARNET_E_STORAGE (nothing recorded).
 * @note Retry after a lost answer or a crash: harmless (items already recorded record nothing new).
 */
CARNET_API carnet_status CARNET_CALL carnet_vaccinations_add(carnet_client *client, const char *patient_id,
                                                             const char *immunizations_json, char **out_json,
                                                             carnet_error *error);

/**
 * Corrects a vaccination the host holds (lot, date, product, site, dose...): the whole corrected
 * Immunization, same shape as for carnet_vaccination_add(), its `identifier[0].value` naming the
 * vaccination. Durable before the call returns, queued like an add, then sent at once as an update
 * conditioned on the version this store last saw (`If-Match`): if the vaccination was edited on
 * the service meanwhile, nothing is overwritten. A correction of a vaccination never sent travels
 * with its add; of one the service refused, sends it again (the correction may fix what was
 * refused); with a practice id (carnet_options.practice_id), a vaccination recorded on another
 * workstation of the practice is found on the service and corrected.
 * @param out_json receives the vaccination's state, as for carnet_vaccination_add(); for
 *        ::CARNET_E_CONFLICT, only through carnet_sync() / carnet_vaccinations_list(): the error
 *        says it was edited elsewhere.
 * @return ::CARNET_OK (the service holds the correction); ::CARNET_PENDING (recorded, will be
 *         sent); ::CARNET_E_CONFLICT (edited elsewhere meanwhile: look at the carnet's version with
 *         carnet_vaccinations_list(), then call again to send yours deliberately — it is then
 *         conditioned on the version now seen); ::CARNET_E_NOT_FOUND (no linked carnet, or the
 *         vaccination is being removed); ::CARNET_E_REJECTED; ::CARNET_E_INVALID_ARGUMENT as for
 *         carnet_vaccination_add(). A retry after a lost answer sends the same content again:
 *         harmless. The same content twice records nothing.
 */
CARNET_API carnet_status CARNET_CALL carnet_vaccination_update(carnet_client *client, const char *patient_id,
                                                               const char *immunization_json, char **out_json,
                                                               carnet_error *error);

/**
 * Removes a vaccination from the carnet. A vaccination not yet sent is simply
 * cancelled (nothing is sent); one already deleted on the service is a success.
 * Also the way to confirm a deletion made elsewhere (carnet_sync() `removed`).
 * @return ::CARNET_OK; ::CARNET_PENDING; ::CARNET_E_NOT_FOUND (unknown host id).
 * @note Retry: harmless (the DELETE of something already gone is a success).
 */
CARNET_API carnet_status CARNET_CALL carnet_vaccination_remove(carnet_client *client, const char *patient_id,
                                                               const char *host_vaccination_id,
                                                               carnet_error *error);

/**
 * "Synchroniser avec les vaccins partagés": pushes what is pending, pulls what
 * changed elsewhere (one changes feed for all carnets), and reports:
 * @code
 * { "pushed": 2,
 *   "added":   [ { "patient_id": "...", "carnet_id": "...", "immunization": { Immunization },
 *                  "recorded_by": "Dr ... (when the service says who recorded it)" } ],
 *   "removed": [ { "patient_id": "...", "carnet_id": "...", "immunization_id": "...",
 *                  "host_vaccination_id": "..." } ],
 *   "changed": [ { "patient_id": "...", "carnet_id": "...", "host_vaccination_id": "...",
 *                  "immunization": { Immunization, the service's new version } } ],
 *   "pending": [ { "patient_id": "...", "host_vaccination_id": "...", "operation": "add" | "remove",
 *                  "since": "2026-11-30T08:00:00Z", "pending_seconds": 12, "attempts": 1,
 *                  "blocked": false, "status": "CARNET_E_NETWORK", "message": "..." } ],
 *   "offline": true, "status": "...", "message": "..."   (only when the service was unreachable) }
 * @endcode
 * `added` are vaccinations recorded elsewhere, to import (then
 * carnet_vaccinations_accept()); `removed` were deleted elsewhere, to confirm
 * (carnet_vaccination_remove()); `changed` are the host's vaccinations edited
 * elsewhere (the service's version wins), to refresh in the EHR, then
 * acknowledged with carnet_vaccinations_accept() under the same host id.
 * They stay proposed until handled.
 * @param patient_id a patient, or NULL for every linked patient.
 * @return ::CARNET_OK (also when the service is unreachable: see `offline`);
 *         credentials and TLS statuses; ::CARNET_E_STORAGE.
 * @note Retry: harmless (every push is idempotent; a changes page is applied with its cursor).
 */
CARNET_API carnet_status CARNET_CALL carnet_sync(carnet_client *client, const char *patient_id, char **out_json,
                                                 carnet_error *error);

/**
 * What waits in the outbox: `{ "pending": [ ...as in carnet_sync()... ] }`.
 * Reads the store only.
 * @param patient_id a patient, or NULL for all.
 */
CARNET_API carnet_status CARNET_CALL carnet_outbox_status(carnet_client *client, const char *patient_id,
                                                          char **out_json, carnet_error *error);
/** @} */

/** @name Background sync
 *  Instead of (or besides) calling carnet_sync(), a host can let the library
 *  push and pull on a thread of its own. Pushes there respect each item's
 *  retry delay (exponential backoff with jitter, the service's Retry-After).
 *  @{ */

/** What the background sync tells the host. */
typedef enum carnet_event_kind {
    /** Pending changes reached the service. detail: `{"pushed": 3}` */
    CARNET_EVENT_PUSHED = 1,
    /** Changes made elsewhere wait for the host (call carnet_sync() to get
     *  them). detail: `{"added": 1, "removed": 0, "changed": 0}` */
    CARNET_EVENT_CHANGES = 2,
    /** A round failed; reported when the failure starts or changes, not at
     *  every interval. detail: `{"status": "CARNET_E_NETWORK", "message": "..."}` */
    CARNET_EVENT_FAILURE = 3,
    /** The patient withdrew this professional's access: the carnet is frozen
     *  and its pending items are kept as failed. detail:
     *  `{"host_vaccination_id": "...", "status": "...", "message": "..."}` */
    CARNET_EVENT_ACCESS_REVOKED = 4,
    /** The professional's certificate expires within 30 days (at most once a
     *  day). detail: `{"days_left": 12, "not_after": "2027-01-01T00:00:00Z", "action":
     *  "carnet_certificate_renew", "message": "..."}` */
    CARNET_EVENT_CERTIFICATE_EXPIRING = 5
} carnet_event_kind;

/**
 * Receives background sync events. Runs on the library's background thread,
 * never on the host's; must be thread-safe. It may call any function of the
 * same client (including carnet_sync_stop(), which then returns at once).
 * @param detail_json UTF-8 JSON valid during the call only; no patient data
 *                    other than the host's own ids.
 */
typedef void(CARNET_CALL *carnet_event_callback)(void *payload, carnet_event_kind kind, const char *detail_json);

/**
 * Starts pushing and pulling every @p interval_ms on a background thread
 * (replacing a background sync already running). carnet_client_cancel()
 * interrupts the round in progress (the schedule continues);
 * carnet_sync_stop() and carnet_client_close() end the thread promptly.
 * @param interval_ms between rounds: 100 ms to 24 h.
 * @param callback    optional; NULL runs silently.
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT (interval out of range, no
 *         service_url).
 */
CARNET_API carnet_status CARNET_CALL carnet_sync_start(carnet_client *client, uint32_t interval_ms,
                                                       carnet_event_callback callback, void *payload,
                                                       carnet_error *error);

/**
 * Stops the background sync and waits for its thread (a round in progress is
 * cancelled; nothing recorded is lost). Does nothing if none runs.
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT if @p client is NULL.
 */
CARNET_API carnet_status CARNET_CALL carnet_sync_stop(carnet_client *client);
/** @} */

/** @name Recommendations
 *  @{ */

/**
 * "Recommandation CVE": the recommendations for the patient as a FHIR R4
 * ImmunizationRecommendation, as of today (the options' @ref carnet_options.time_zone), for the
 * general population. Same as carnet_recommendations_get_with_context() with a NULL context.
 */
CARNET_API carnet_status CARNET_CALL carnet_recommendations_get(carnet_client *client, const char *patient_id,
                                                                char **out_json, carnet_error *error);

/**
 * The recommendations for the patient, told what the host knows about the person.
 *
 * `out_json` is a FHIR R4 ImmunizationRecommendation: `date` is the assessment date; one
 * `recommendation` per vaccine group with `forecastStatus` (HL7 `due`, `overdue`, `complete`,
 * `immune`, `contraindicated`; the project's `notdue` "not yet due" and `notrecommended` "not
 * recommended for this person now", system `urn:carnet:fhir:CodeSystem:forecast-status`),
 * `dateCriterion` (LOINC 30981-5 earliest, 30980-7 due, 59778-1 overdue, 59777-3 latest),
 * `forecastReason` (the rule's id as a coding, the French sentence for the doctor as `text`), an
 * extension giving the 2025 calendar's section, `doseNumberPositiveInt` and
 * `supportingImmunization`. docs/recommendations.md defines every status, with examples.
 *
 * The service's forecast (`$immds-forecast`, sent the same assessment date and context) is used
 * when it answers. When it cannot be reached (::CARNET_E_NETWORK, a timeout, a 5xx), or has no
 * engine, Carnet computes the forecast itself from the store's copy of the carnet's vaccinations
 * (the host's, and those recorded elsewhere that sync brought), and says so in `meta.tag`
 * (`computed-locally`; `offline` when the service was unreachable) and in an extension
 * `urn:carnet:fhir:StructureDefinition:local-copy-as-of` (valueDateTime: the last time sync
 * brought the service's changes; absent if never). Offline, the birth date comes from
 * `birth_date` in the context, or from what the store saw of the carnet; with neither, the
 * original network failure is returned.
 *
 * @param context_json NULL, or a JSON object (at most 64 KiB), every member optional:
 *   `{"assessment_date": "2026-03-01", "birth_date": "1990-05-04",
 *     "pregnancy": {"weeks_of_amenorrhoea": 24, "days": 3} or {"expected_delivery_date": "2026-05-20"},
 *     "conditions": ["asplenia", "diabetes", ...], "exposures": ["health-worker", "childcare-worker"],
 *     "immunities": ["measles", "DIS011", ...]}`.
 *   `assessment_date` defaults to today; weeks of amenorrhoea are counted on the assessment date.
 *   The vocabularies are listed in docs/recommendations.md ("Context vocabulary"); an unknown member
 *   or word is ::CARNET_E_INVALID_ARGUMENT naming it in `field` (`conditions`,
 *   `pregnancy.weeks_of_amenorrhoea`...).
 * @note Not medical advice: the doctor decides. Read-only; a retry computes again.
 */
CARNET_API carnet_status CARNET_CALL carnet_recommendations_get_with_context(carnet_client *client,
                                                                             const char *patient_id,
                                                                             const char *context_json,
                                                                             char **out_json, carnet_error *error);
/** @} */

/** @name Vaccine search
 *  @{ */

/**
 * "Saisir le nom du vaccin ou d'une maladie": searches Carnet's vaccine
 * catalogue (offline) by product name, disease (French) or code (CIS, CIP13,
 * NUVA, ATC), case- and accent-insensitive, best matches first (at most 20).
 * `out_json` is a FHIR ValueSet whose `expansion.contains[]` hold `system`
 * (CIS), `code`, `display` and one `designation` per target disease.
 * @param query at most 256 bytes.
 */
CARNET_API carnet_status CARNET_CALL carnet_vaccines_search(carnet_client *client, const char *query,
                                                            char **out_json, carnet_error *error);
/** @} */

/** @name Vaccine catalogue
 *  The whole NUVA catalogue (every vaccine product, International Vaccine Codes Initiative, CC-BY
 *  4.0) ships inside the library; a newer release can be imported at run time. The box's
 *  DataMatrix is read against it.
 *  @{ */

/**
 * The catalogue in use: `{ "version", "release_date", "product_count", "source", "origin"
 * ("built-in"; "imported" now, "stored" when read back from the store at open), "attribution",
 * "license" }`. Show the attribution where the
 * catalogue's data is shown (CC-BY).
 * @note Local; never fails but for arguments.
 */
CARNET_API carnet_status CARNET_CALL carnet_catalogue_info(carnet_client *client, char **out_json,
                                                           carnet_error *error);

/**
 * Imports a NUVA release directory (as published: its CSV/YAML files) and puts it in use, all or
 * nothing: persisted in the store (it survives a restart), for this store's clients opened next
 * and this one now. `out_json` is the new catalogue's info, as carnet_catalogue_info() gives it.
 * @param directory the release's folder, at most 4096 bytes.
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT (a malformed release: the message names the
 *         file and ::carnet_error.field is "directory"; the catalogue in use is untouched);
 *         ::CARNET_E_STORAGE.
 * @note Retry: harmless (the same release again).
 */
CARNET_API carnet_status CARNET_CALL carnet_catalogue_import(carnet_client *client, const char *directory,
                                                             char **out_json, carnet_error *error);

/**
 * Reads what a 2D barcode scanner typed from a vaccine box (its GS1 DataMatrix): the element
 * string with or without the `]d2` prefix and with FNC1 as the GS character (0x1D), the
 * human-readable form `(01)...(17)...(10)...(21)...`, or a GS1 Digital Link URL. The GTIN's
 * check digit is verified; a French GTIN is `0` + the box's CIP13.
 * @code
 * { "gtin": "03400930000000", "cip13": "3400930000000", "lot": "X123", "expiry": "2027-05-31",
 *   "serial": "...", "expired": false,
 *   "product": { "name": "...", "cis": "...", "nuva": "...", "atc": "...", "target_diseases": [...] },
 *   "immunization": { "resourceType": "Immunization", "vaccineCode": { "coding": [...] },
 *                     "lotNumber": "X123", "expirationDate": "2027-05-31" } }
 * @endcode
 * `immunization` is ready to complete (identifier, occurrenceDateTime...) and pass to
 * carnet_vaccination_add(). An expired box is returned with `"expired": true` (the host warns).
 * @param scanned at most 1024 bytes.
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT (::carnet_error.field "scanned"; the message
 *         says what is wrong: not a GS1 code, wrong check digit, a malformed lot or date, or a
 *         product the catalogue does not know).
 */
CARNET_API carnet_status CARNET_CALL carnet_vaccine_scan(carnet_client *client, const char *scanned,
                                                         char **out_json, carnet_error *error);
/** @} */

/** @name DMP vaccination note
 *  The CI-SIS "Note de vaccination" (volet Vaccination, modèle VAC-NOTE 2023.01) a French EHR sends
 *  to the patient's DMP / Mon Espace Santé, written from the vaccination the host recorded with
 *  carnet_vaccination_add(). Carnet writes the document only: the DMP submission (DMP web services,
 *  CPS/e-CPS or organisation-certificate authentication, XDS metadata) stays the host's.
 *  docs/dmp.md lists every element and where its value comes from.
 *  @{ */

/**
 * The VAC-NOTE 2023.01 CDA R2 document (UTF-8 XML) of one vaccination the host recorded.
 * From the local store and the catalogue: the date (`occurrenceDateTime`), the product's CIS code
 * and name, its ATC code (the Immunization's ATC coding, else the catalogue's) and ATC class label,
 * the lot (`lotNumber`), the route and site (`route`, `site`: codes of the CI-SIS value sets, or an
 * exact HL7 v3 / SNOMED CT synonym), the dose number (`protocolApplied[0].doseNumberPositiveInt`).
 * From @p host_context_json, what only the host knows:
 * @code
 * { "document": { "id": { "root": "OID or UUID", "extension": "..." }, "set_id": { "root": "...", "extension": "..." },
 *                 "version": 1, "effective_time": "2026-11-30T10:15:00+01:00", "confidentiality": "N",
 *                 "replaces": { "root": "...", "extension": "..." }   (optional: the version it replaces) },
 *   "patient": { "ins": { "value": "15 characters", "oid": "1.2.250.1.213.1.4.8", "qualified": true },   (optional)
 *                "local_id": { "root": "OID", "extension": "..." },   (required unless the INS is qualified)
 *                "birth_family_name": "...", "first_birth_given_name": "...", "birth_given_names": "...",
 *                "used_family_name": "...", "used_given_name": "...", "birth_date": "1979-03-12", "gender": "F" },
 *   "author":     { "rpps": "11 digits", "profession": { "code": "10", "system": "1.2.250.1.71.1.2.7",
 *                   "display": "Médecin" }, "family_name": "...", "given_name": "...", "prefix": "DR" },
 *   "vaccinator": { same members as "author" },
 *   "structure":  { "id": "national structure id", "name": "...",
 *                   "facility_type": { "code", "system", "display" }, "practice_setting": { "code", "system", "display" } },
 *   "immunization_type": "IMMUNIZ" | "INITIMMUNIZ" | "BOOSTER"   (optional, IMMUNIZ by default) }
 * @endcode
 * The INS is written only when `qualified` is true; otherwise the local identifier and the traits.
 * Nothing is invented: what the note needs and is missing is an error naming it.
 * @param host_vaccination_id the host's id of the vaccination (`identifier[0].value` when added).
 * @param out_xml receives the document (free with carnet_string_free()).
 * @return ::CARNET_OK; ::CARNET_E_INVALID_ARGUMENT with ::carnet_error.field naming the JSON path at
 *         fault (`patient.birth_date`, `author.rpps`...) or the Immunization's element the note
 *         requires (`lotNumber`, `vaccineCode.coding`, `route.coding`, `site.coding`,
 *         `occurrenceDateTime`), `vaccinator.rpps` when the Immunization names another vaccinator;
 *         ::CARNET_E_NOT_FOUND (the store holds no such vaccination for this patient, or it is being
 *         removed); ::CARNET_E_STORAGE.
 * @note Local: no network. Retry: harmless (the same inputs give the same document).
 */
CARNET_API carnet_status CARNET_CALL carnet_vaccination_dmp_note(carnet_client *client, const char *patient_id,
                                                                 const char *host_vaccination_id,
                                                                 const char *host_context_json, char **out_xml,
                                                                 carnet_error *error);
/** @} */

/** @name Memory
 *  @{ */

/**
 * Frees a string returned by the library in an `out_*` parameter.
 * NULL is accepted and does nothing.
 */
CARNET_API void CARNET_CALL carnet_string_free(char *string);
/** @} */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CARNET_H */
