/* OpenSSL 3 for Swift: the macros Swift cannot import, and the TLS policy
 * applied to every connection libcurl makes (see docs/security.md). */
#ifndef CARNET_COPENSSL_SHIM_H
#define CARNET_COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <stddef.h>

/* The policy of one transport, passed to the SSL_CTX callback of each connection. */
typedef struct copenssl_tls_policy {
    const char *host;    /* NUL-terminated host name or IP literal; owned by the caller */
    int server_verified; /* set to 1 by the handshake once the server's certificate chain verified */
} copenssl_tls_policy;

/* Applies Carnet's TLS policy to a context libcurl is about to use: TLS 1.2 minimum, security
 * level 2 (RSA/DH >= 2048 bits, no SHA-1 signatures), host name checks against subjectAltName only
 * (a certificate naming the host only in its CN is refused); plus a verify callback that records in `policy->server_verified`
 * that the service's certificate passed verification (so a handshake that fails afterwards is
 * about the client's certificate, not the server's ciphers). Returns 1 on success. */
int copenssl_tls_apply_policy_state(SSL_CTX *ctx, copenssl_tls_policy *policy);


/* ---- The professional's identity (copenssl_identity.c) ---- */

/* Frees memory returned by the functions below (OPENSSL_free). */
void copenssl_free(void *pointer);
/* Overwrites memory that held a secret. */
void copenssl_cleanse(void *pointer, size_t length);
/* Cryptographically secure random bytes; 1 on success. */
int copenssl_random(unsigned char *out, size_t length);

/* Generates an EC P-256 key pair and a PKCS#10 request (SHA-256, CN=common_name).
 * Outputs are NUL-terminated PEM strings to free with copenssl_free (clear the
 * key first). Returns 1 on success. */
int copenssl_generate_key_and_csr(const char *common_name, char **out_key_pem, char **out_csr_pem);

enum {
    COPENSSL_P12_OK = 0,
    COPENSSL_P12_WRONG_PASSWORD = 1,
    COPENSSL_P12_LEGACY = 2,       /* encrypted with algorithms OpenSSL 3 disables (RC2-40, 3DES) */
    COPENSSL_P12_MALFORMED = 3,
    COPENSSL_P12_INCOMPLETE = 4    /* no key, no certificate, or they do not match */
};
/* Reads a PKCS#12 file: certificate, private key and extra chain certificates as PEM. */
int copenssl_pkcs12_read(const unsigned char *data, size_t length, const char *password, char **out_cert_pem,
                         char **out_key_pem, char **out_chain_pem);

typedef struct copenssl_certificate_details {
    char subject[512];
    char issuer[512];
    char common_name[256];
    char serial_hex[128];
    int64_t not_before; /* Unix seconds */
    int64_t not_after;
    unsigned char sha256[32];
} copenssl_certificate_details;
/* Parses the first certificate of a PEM text. Returns 1 on success. */
int copenssl_certificate_info(const char *pem, size_t pem_length, copenssl_certificate_details *out);
/* 1 if the PEM private key belongs to the PEM certificate. */
int copenssl_key_matches_certificate(const char *key_pem, size_t key_length, const char *cert_pem,
                                     size_t cert_length);

/* PBKDF2-HMAC-SHA256. Returns 1 on success. */
int copenssl_pbkdf2_sha256(const char *secret, size_t secret_length, const unsigned char *salt, size_t salt_length,
                           uint32_t iterations, unsigned char *out_key, size_t key_length);
/* AES-256-GCM with a 12-byte nonce and a 16-byte tag; the ciphertext has the plaintext's length. */
int copenssl_aes256gcm_seal(const unsigned char key[32], const unsigned char nonce[12], const unsigned char *aad,
                            size_t aad_length, const unsigned char *plain, size_t length, unsigned char *out_cipher,
                            unsigned char out_tag[16]);
/* Returns 1 if the tag verifies (and writes the plaintext), 0 otherwise. */
int copenssl_aes256gcm_open(const unsigned char key[32], const unsigned char nonce[12], const unsigned char *aad,
                            size_t aad_length, const unsigned char *cipher, size_t length, const unsigned char tag[16],
                            unsigned char *out_plain);

#endif
