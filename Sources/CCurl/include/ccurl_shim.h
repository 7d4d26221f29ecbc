/* Typed wrappers around libcurl's variadic setopt/getinfo, which Swift cannot
 * call directly. One wrapper per argument type: the compiler checks what the
 * variadic call never could. */
#ifndef CARNET_CCURL_SHIM_H
#define CARNET_CCURL_SHIM_H

#include <curl/curl.h>

typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *userdata);
typedef int (*ccurl_progress_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                             curl_off_t ultotal, curl_off_t ulnow);
typedef CURLcode (*ccurl_ssl_ctx_callback)(CURL *curl, void *ssl_ctx, void *userdata);

CURLcode ccurl_setopt_long(CURL *curl, CURLoption option, long value);
CURLcode ccurl_setopt_off(CURL *curl, CURLoption option, curl_off_t value);
CURLcode ccurl_setopt_string(CURL *curl, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *curl, CURLoption option, void *value);
CURLcode ccurl_setopt_slist(CURL *curl, CURLoption option, struct curl_slist *value);
CURLcode ccurl_setopt_blob(CURL *curl, CURLoption option, const void *data, size_t length);
CURLcode ccurl_setopt_write_callback(CURL *curl, ccurl_data_callback callback, void *userdata);
CURLcode ccurl_setopt_header_callback(CURL *curl, ccurl_data_callback callback, void *userdata);
CURLcode ccurl_setopt_progress_callback(CURL *curl, ccurl_progress_callback callback, void *userdata);
CURLcode ccurl_setopt_ssl_ctx_callback(CURL *curl, ccurl_ssl_ctx_callback callback, void *userdata);

CURLcode ccurl_getinfo_long(CURL *curl, CURLINFO info, long *out);

/* libcurl's version number as text ("7.88.1"); CURLVERSION_NOW is a macro. */
const char *ccurl_version_text(void);

#endif
