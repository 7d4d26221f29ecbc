#include "copenssl_shim.h"

static int copenssl_tls_apply_policy(SSL_CTX *ctx, const char *host) {
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

static int policy_index = -1;
static CRYPTO_ONCE policy_index_once = CRYPTO_ONCE_STATIC_INIT;

static void policy_index_init(void) {
    policy_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

/* Keeps OpenSSL's verdict (curl installs no callback of its own) and notes a verified leaf. */
static int policy_verify_callback(int preverify_ok, X509_STORE_CTX *store) {
    if (preverify_ok == 1 && X509_STORE_CTX_get_error_depth(store) == 0 && policy_index >= 0) {
        SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
        SSL_CTX *ctx = ssl != NULL ? SSL_get_SSL_CTX(ssl) : NULL;
        copenssl_tls_policy *policy = ctx != NULL ? SSL_CTX_get_ex_data(ctx, policy_index) : NULL;
        if (policy != NULL) policy->server_verified = 1;
    }
    return preverify_ok;
}

int copenssl_tls_apply_policy_state(SSL_CTX *ctx, copenssl_tls_policy *policy) {
    if (ctx == NULL || policy == NULL) return 0;
    if (copenssl_tls_apply_policy(ctx, policy->host) != 1) return 0;
    if (CRYPTO_THREAD_run_once(&policy_index_once, policy_index_init) != 1 || policy_index < 0) return 0;
    if (SSL_CTX_set_ex_data(ctx, policy_index, policy) != 1) return 0;
    /* Same mode as curl chose (SSL_VERIFY_PEER); only the callback is added. */
    SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), policy_verify_callback);
    return 1;
}
