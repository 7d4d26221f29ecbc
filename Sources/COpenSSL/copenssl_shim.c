#include "copenssl_shim.h"

int copenssl_tls_apply_policy(SSL_CTX *ctx, const char *host) {
    if (ctx == NULL) return 0;
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) return 0;
    if (SSL_CTX_get_security_level(ctx) < 2) SSL_CTX_set_security_level(ctx, 2);
    if (host != NULL && host[0] != '\0') {
        X509_VERIFY_PARAM *param = SSL_CTX_get0_param(ctx);
        if (param == NULL) return 0;
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT |
                                                   X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        /* An IP literal is checked against iPAddress SANs, a name against dNSName SANs. */
        if (X509_VERIFY_PARAM_set1_ip_asc(param, host) != 1) {
            ERR_clear_error();
            if (X509_VERIFY_PARAM_set1_host(param, host, 0) != 1) return 0;
        }
    }
    return 1;
}

const char *copenssl_version_text(void) {
    return OpenSSL_version(OPENSSL_VERSION);
}
