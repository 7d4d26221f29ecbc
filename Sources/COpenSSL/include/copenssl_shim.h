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

/* Applies Carnet's TLS policy to a context libcurl is about to use:
 * TLS 1.2 minimum, security level 2 (RSA/DH >= 2048 bits, no SHA-1 signatures),
 * and host name checks against subjectAltName only (a certificate naming the
 * host only in its CN is refused). Returns 1 on success, 0 on failure. */
int copenssl_tls_apply_policy(SSL_CTX *ctx, const char *host);

/* OpenSSL's version text ("OpenSSL 3.0.x ..."), for diagnostics. */
const char *copenssl_version_text(void);

#endif
