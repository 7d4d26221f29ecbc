/* The professional's identity with OpenSSL 3: key generation, certificate
 * requests, PKCS#12 import, certificate details, and the primitives that
 * protect the private key at rest (PBKDF2-SHA256, AES-256-GCM). Swift calls
 * these typed functions; OpenSSL's macros and variadic calls stay here. */
#include "copenssl_shim.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/kdf.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

void copenssl_free(void *pointer) {
    OPENSSL_free(pointer);
}

/* Copies a memory BIO's content into a NUL-terminated OPENSSL_malloc'd string. */
static char *bio_to_string(BIO *bio) {
    char *data = NULL;
    long length = BIO_get_mem_data(bio, &data);
    /* An empty BIO (e.g. a PKCS#12 file without extra chain certificates)
     * may report a NULL pointer: that is an empty string, not a failure. */
    if (length < 0 || (data == NULL && length != 0)) return NULL;
    char *copy = OPENSSL_malloc((size_t)length + 1);
    if (copy == NULL) return NULL;
    if (length > 0) memcpy(copy, data, (size_t)length);
    copy[length] = '\0';
    return copy;
}

int copenssl_random(unsigned char *out, size_t length) {
    if (length > INT32_MAX) return 0;
    return RAND_bytes(out, (int)length) == 1;
}

int copenssl_generate_key_and_csr(const char *common_name, char **out_key_pem, char **out_csr_pem) {
    int ok = 0;
    EVP_PKEY *key = NULL;
    X509_REQ *request = NULL;
    X509_NAME *name = NULL;
    BIO *key_bio = NULL, *csr_bio = NULL;
    *out_key_pem = NULL;
    *out_csr_pem = NULL;

    key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (key == NULL) goto done;
    request = X509_REQ_new();
    name = X509_NAME_new();
    if (request == NULL || name == NULL) goto done;
    if (X509_REQ_set_version(request, 0) != 1) goto done;
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0) != 1)
        goto done;
    if (X509_REQ_set_subject_name(request, name) != 1) goto done;
    if (X509_REQ_set_pubkey(request, key) != 1) goto done;
    if (X509_REQ_sign(request, key, EVP_sha256()) <= 0) goto done;

    key_bio = BIO_new(BIO_s_mem());
    csr_bio = BIO_new(BIO_s_mem());
    if (key_bio == NULL || csr_bio == NULL) goto done;
    if (PEM_write_bio_PrivateKey(key_bio, key, NULL, NULL, 0, NULL, NULL) != 1) goto done;
    if (PEM_write_bio_X509_REQ(csr_bio, request) != 1) goto done;
    *out_key_pem = bio_to_string(key_bio);
    *out_csr_pem = bio_to_string(csr_bio);
    ok = *out_key_pem != NULL && *out_csr_pem != NULL;
    if (!ok) {
        OPENSSL_clear_free(*out_key_pem, *out_key_pem ? strlen(*out_key_pem) : 0);
        OPENSSL_free(*out_csr_pem);
        *out_key_pem = NULL;
        *out_csr_pem = NULL;
    }
done:
    BIO_free(key_bio); /* memory BIOs holding the key are cleared by OpenSSL on free */
    BIO_free(csr_bio);
    X509_NAME_free(name);
    X509_REQ_free(request);
    EVP_PKEY_free(key);
    return ok;
}

/* Classifies why a PKCS#12 file could not be read. */
static int pkcs12_failure_reason(void) {
    unsigned long error;
    int reason = COPENSSL_P12_MALFORMED;
    while ((error = ERR_get_error()) != 0) {
        int lib = ERR_GET_LIB(error);
        int why = ERR_GET_REASON(error);
        if (why == ERR_R_UNSUPPORTED || (lib == ERR_LIB_EVP && why == EVP_R_UNSUPPORTED_ALGORITHM) ||
            (lib == ERR_LIB_EVP && why == EVP_R_UNSUPPORTED_CIPHER)) {
            reason = COPENSSL_P12_LEGACY;
        }
    }
    return reason;
}

/* Whether every encrypted part of a PKCS#12 file uses PBES2 (PBKDF2 with
 * AES): 1 if so, 0 if any part uses a PKCS#12 v1 password-based encryption
 * (RC2-40/128, RC4, 3DES, DES), -1 if the structure cannot be read.
 * OpenSSL 3 refuses RC2 and RC4 without the legacy provider but still reads
 * 3DES; Carnet refuses all of them alike (docs/security.md, "PKCS#12"). */
static int pkcs12_uses_only_pbes2(PKCS12 *p12, const char *password) {
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    if (safes == NULL) return -1;
    int result = 1;
    for (int i = 0; i < sk_PKCS7_num(safes) && result == 1; i++) {
        PKCS7 *p7 = sk_PKCS7_value(safes, i);
        STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
        int type = OBJ_obj2nid(p7->type);
        if (type == NID_pkcs7_encrypted) {
            if (p7->d.encrypted == NULL || p7->d.encrypted->enc_data == NULL ||
                p7->d.encrypted->enc_data->algorithm == NULL) {
                result = -1;
                break;
            }
            if (OBJ_obj2nid(p7->d.encrypted->enc_data->algorithm->algorithm) != NID_pbes2) {
                result = 0;
                break;
            }
            bags = PKCS12_unpack_p7encdata(p7, password, -1);
        } else if (type == NID_pkcs7_data) {
            bags = PKCS12_unpack_p7data(p7);
        } else {
            continue;
        }
        if (bags == NULL) {
            result = -1;
            break;
        }
        for (int j = 0; j < sk_PKCS12_SAFEBAG_num(bags); j++) {
            const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, j);
            if (PKCS12_SAFEBAG_get_nid(bag) != NID_pkcs8ShroudedKeyBag) continue;
            const X509_SIG *shrouded = PKCS12_SAFEBAG_get0_pkcs8(bag);
            const X509_ALGOR *algorithm = NULL;
            if (shrouded != NULL) X509_SIG_get0(shrouded, &algorithm, NULL);
            if (algorithm == NULL || OBJ_obj2nid(algorithm->algorithm) != NID_pbes2) {
                result = 0;
                break;
            }
        }
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    sk_PKCS7_pop_free(safes, PKCS7_free);
    ERR_clear_error();
    return result;
}

int copenssl_pkcs12_read(const unsigned char *data, size_t length, const char *password, char **out_cert_pem,
                         char **out_key_pem, char **out_chain_pem) {
    int result = COPENSSL_P12_MALFORMED;
    PKCS12 *p12 = NULL;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    BIO *in = NULL, *cert_bio = NULL, *key_bio = NULL, *chain_bio = NULL;
    *out_cert_pem = NULL;
    *out_key_pem = NULL;
    *out_chain_pem = NULL;
    ERR_clear_error();

    if (length > INT32_MAX) goto done;
    in = BIO_new_mem_buf(data, (int)length);
    if (in == NULL) goto done;
    p12 = d2i_PKCS12_bio(in, NULL);
    if (p12 == NULL) goto done;
    /* The MAC is checked first: a wrong password fails here, whatever the
     * encryption algorithm, so it is never mistaken for a legacy file. */
    if (PKCS12_mac_present(p12) && PKCS12_verify_mac(p12, password, -1) != 1) {
        ERR_clear_error();
        result = COPENSSL_P12_WRONG_PASSWORD;
        goto done;
    }
    if (pkcs12_uses_only_pbes2(p12, password) == 0) {
        result = COPENSSL_P12_LEGACY;
        goto done;
    }
    if (PKCS12_parse(p12, password, &key, &cert, &chain) != 1) {
        result = pkcs12_failure_reason();
        goto done;
    }
    if (key == NULL || cert == NULL) {
        result = COPENSSL_P12_INCOMPLETE;
        goto done;
    }
    if (X509_check_private_key(cert, key) != 1) {
        result = COPENSSL_P12_INCOMPLETE;
        goto done;
    }
    cert_bio = BIO_new(BIO_s_mem());
    key_bio = BIO_new(BIO_s_mem());
    chain_bio = BIO_new(BIO_s_mem());
    if (cert_bio == NULL || key_bio == NULL || chain_bio == NULL) goto done;
    if (PEM_write_bio_X509(cert_bio, cert) != 1) goto done;
    if (PEM_write_bio_PrivateKey(key_bio, key, NULL, NULL, 0, NULL, NULL) != 1) goto done;
    for (int i = 0; chain != NULL && i < sk_X509_num(chain); i++) {
        if (PEM_write_bio_X509(chain_bio, sk_X509_value(chain, i)) != 1) goto done;
    }
    *out_cert_pem = bio_to_string(cert_bio);
    *out_key_pem = bio_to_string(key_bio);
    *out_chain_pem = bio_to_string(chain_bio);
    if (*out_cert_pem == NULL || *out_key_pem == NULL || *out_chain_pem == NULL) {
        OPENSSL_free(*out_cert_pem);
        if (*out_key_pem) OPENSSL_clear_free(*out_key_pem, strlen(*out_key_pem));
        OPENSSL_free(*out_chain_pem);
        *out_cert_pem = *out_key_pem = *out_chain_pem = NULL;
        goto done;
    }
    result = COPENSSL_P12_OK;
done:
    ERR_clear_error();
    BIO_free(in);
    BIO_free(cert_bio);
    BIO_free(key_bio);
    BIO_free(chain_bio);
    PKCS12_free(p12);
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    return result;
}

static int64_t asn1_time_to_unix(const ASN1_TIME *time) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (ASN1_TIME_to_tm(time, &tm) != 1) return INT64_MIN;
    /* timegm without the libc extension: days from civil (Howard Hinnant). */
    int64_t y = (int64_t)tm.tm_year + 1900;
    int64_t m = (int64_t)tm.tm_mon + 1;
    int64_t d = tm.tm_mday;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

int copenssl_certificate_info(const char *pem, size_t pem_length, copenssl_certificate_details *out) {
    int ok = 0;
    BIO *in = NULL;
    X509 *cert = NULL;
    memset(out, 0, sizeof *out);
    if (pem_length > INT32_MAX) return 0;
    in = BIO_new_mem_buf(pem, (int)pem_length);
    if (in == NULL) goto done;
    cert = PEM_read_bio_X509(in, NULL, NULL, NULL);
    if (cert == NULL) goto done;
    X509_NAME_oneline(X509_get_subject_name(cert), out->subject, sizeof out->subject);
    X509_NAME_oneline(X509_get_issuer_name(cert), out->issuer, sizeof out->issuer);
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, out->common_name,
                              sizeof out->common_name);
    out->not_before = asn1_time_to_unix(X509_get0_notBefore(cert));
    out->not_after = asn1_time_to_unix(X509_get0_notAfter(cert));
    unsigned int digest_length = 0;
    if (X509_digest(cert, EVP_sha256(), out->sha256, &digest_length) != 1 || digest_length != 32) goto done;
    const ASN1_INTEGER *serial = X509_get0_serialNumber(cert);
    BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
    if (bn != NULL) {
        char *hex = BN_bn2hex(bn);
        if (hex != NULL) {
            strncpy(out->serial_hex, hex, sizeof out->serial_hex - 1);
            OPENSSL_free(hex);
        }
        BN_free(bn);
    }
    ok = out->not_before != INT64_MIN && out->not_after != INT64_MIN;
done:
    ERR_clear_error();
    X509_free(cert);
    BIO_free(in);
    return ok;
}

int copenssl_key_matches_certificate(const char *key_pem, size_t key_length, const char *cert_pem,
                                     size_t cert_length) {
    int ok = 0;
    BIO *key_bio = NULL, *cert_bio = NULL;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    if (key_length > INT32_MAX || cert_length > INT32_MAX) return 0;
    key_bio = BIO_new_mem_buf(key_pem, (int)key_length);
    cert_bio = BIO_new_mem_buf(cert_pem, (int)cert_length);
    if (key_bio == NULL || cert_bio == NULL) goto done;
    key = PEM_read_bio_PrivateKey(key_bio, NULL, NULL, NULL);
    cert = PEM_read_bio_X509(cert_bio, NULL, NULL, NULL);
    if (key == NULL || cert == NULL) goto done;
    ok = X509_check_private_key(cert, key) == 1;
done:
    ERR_clear_error();
    EVP_PKEY_free(key);
    X509_free(cert);
    BIO_free(key_bio);
    BIO_free(cert_bio);
    return ok;
}

int copenssl_pbkdf2_sha256(const char *secret, size_t secret_length, const unsigned char *salt, size_t salt_length,
                           uint32_t iterations, unsigned char *out_key, size_t key_length) {
    if (secret_length > INT32_MAX || salt_length > INT32_MAX || key_length > INT32_MAX || iterations == 0 ||
        iterations > INT32_MAX)
        return 0;
    return PKCS5_PBKDF2_HMAC(secret, (int)secret_length, salt, (int)salt_length, (int)iterations, EVP_sha256(),
                             (int)key_length, out_key) == 1;
}

static int aes_gcm(int encrypt, const unsigned char key[32], const unsigned char nonce[12], const unsigned char *aad,
                   size_t aad_length, const unsigned char *in, size_t length, unsigned char *out,
                   unsigned char tag[16]) {
    int ok = 0, written = 0;
    EVP_CIPHER_CTX *ctx = NULL;
    if (length > INT32_MAX || aad_length > INT32_MAX) return 0;
    ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) goto done;
    if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) != 1) goto done;
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1) goto done;
    if (EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, encrypt) != 1) goto done;
    if (aad_length > 0 && EVP_CipherUpdate(ctx, NULL, &written, aad, (int)aad_length) != 1) goto done;
    if (length > 0 && EVP_CipherUpdate(ctx, out, &written, in, (int)length) != 1) goto done;
    if (!encrypt && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag) != 1) goto done;
    if (EVP_CipherFinal_ex(ctx, out + written, &written) != 1) goto done;
    if (encrypt && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) != 1) goto done;
    ok = 1;
done:
    ERR_clear_error();
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

int copenssl_aes256gcm_seal(const unsigned char key[32], const unsigned char nonce[12], const unsigned char *aad,
                            size_t aad_length, const unsigned char *plain, size_t length, unsigned char *out_cipher,
                            unsigned char out_tag[16]) {
    return aes_gcm(1, key, nonce, aad, aad_length, plain, length, out_cipher, out_tag);
}

int copenssl_aes256gcm_open(const unsigned char key[32], const unsigned char nonce[12], const unsigned char *aad,
                            size_t aad_length, const unsigned char *cipher, size_t length, const unsigned char tag[16],
                            unsigned char *out_plain) {
    unsigned char tag_copy[16];
    memcpy(tag_copy, tag, 16);
    return aes_gcm(0, key, nonce, aad, aad_length, cipher, length, out_plain, tag_copy);
}

void copenssl_cleanse(void *pointer, size_t length) {
    OPENSSL_cleanse(pointer, length);
}
