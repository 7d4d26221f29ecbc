#include "ccurl_shim.h"

CURLcode ccurl_setopt_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}

CURLcode ccurl_setopt_off(CURL *curl, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(curl, option, value);
}

CURLcode ccurl_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}

CURLcode ccurl_setopt_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}

CURLcode ccurl_setopt_slist(CURL *curl, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(curl, option, value);
}

CURLcode ccurl_setopt_blob(CURL *curl, CURLoption option, const void *data, size_t length) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = length;
    blob.flags = CURL_BLOB_COPY; /* curl keeps its own copy: Swift buffers are short-lived */
    return curl_easy_setopt(curl, option, &blob);
}

CURLcode ccurl_setopt_write_callback(CURL *curl, ccurl_data_callback callback, void *userdata) {
    CURLcode rc = curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, callback);
    return rc != CURLE_OK ? rc : curl_easy_setopt(curl, CURLOPT_WRITEDATA, userdata);
}

CURLcode ccurl_setopt_header_callback(CURL *curl, ccurl_data_callback callback, void *userdata) {
    CURLcode rc = curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, callback);
    return rc != CURLE_OK ? rc : curl_easy_setopt(curl, CURLOPT_HEADERDATA, userdata);
}

CURLcode ccurl_setopt_progress_callback(CURL *curl, ccurl_progress_callback callback, void *userdata) {
    CURLcode rc = curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, callback);
    if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_XFERINFODATA, userdata);
    return rc != CURLE_OK ? rc : curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
}

CURLcode ccurl_setopt_ssl_ctx_callback(CURL *curl, ccurl_ssl_ctx_callback callback, void *userdata) {
    CURLcode rc = curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, callback);
    return rc != CURLE_OK ? rc : curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, userdata);
}

CURLcode ccurl_getinfo_long(CURL *curl, CURLINFO info, long *out) {
    return curl_easy_getinfo(curl, info, out);
}

const char *ccurl_version_text(void) {
    curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return info != NULL ? info->version : NULL;
}
