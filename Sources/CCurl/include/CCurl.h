// CCurl: libcurl's documented C API (https://curl.se/libcurl/c/), loaded at run time.
//
// radar-rpc talks HTTP through the system's libcurl (`libcurl.so.4`, present on practically every
// Linux; `libcurl.4.dylib` on macOS) without linking it: `ccurl_load` opens it with dlopen on the
// first live request, so a server that never goes upstream (`--demo`) never loads it, starts
// without it, and runs where it is missing. No curl headers are needed to build: the few types,
// constants and functions used are declared here, from curl's ABI-stable interface (SONAME 4,
// unchanged since 2006; every option number below is part of that ABI).
//
// `curl_easy_setopt`, `curl_easy_getinfo` and `curl_multi_setopt` are C variadic functions: they
// are called here through pointers of their own variadic type, with the argument type each option
// documents (long, pointer, function pointer), never through a non-variadic prototype. Swift calls
// the typed wrappers below.
#ifndef CCURL_H
#define CCURL_H

#include <stddef.h>

typedef void CURL;
typedef void CURLM;
typedef int CURLcode;
typedef int CURLMcode;
typedef int CURLoption;
typedef int CURLMoption;
typedef int CURLINFO;

/// A list of strings (`curl_slist_append`), used for request headers.
struct curl_slist {
  char *data;
  struct curl_slist *next;
};

/// What `curl_multi_info_read` returns: `msg == CCURLMSG_DONE` when a transfer ended with `result`.
typedef struct {
  int msg;
  CURL *easy_handle;
  union {
    void *whatever;
    CURLcode result;
  } data;
} CURLMsg;

/// `size_t callback(char *data, size_t size, size_t nmemb, void *userdata)`: CURLOPT_WRITEFUNCTION
/// and CURLOPT_HEADERFUNCTION. Returning anything but `size * nmemb` aborts the transfer.
typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t nmemb, void *userdata);

// Constants, with curl's names (curl/curl.h, curl/multi.h).
enum {
  CCURLE_OK = 0,
  CCURLM_OK = 0,
  CCURLMSG_DONE = 1,
  CCURL_GLOBAL_DEFAULT = 3,

  CCURLOPT_WRITEDATA = 10001,
  CCURLOPT_URL = 10002,
  CCURLOPT_WRITEFUNCTION = 20011,
  CCURLOPT_HTTPHEADER = 10023,
  CCURLOPT_HEADERDATA = 10029,
  CCURLOPT_FOLLOWLOCATION = 52,
  CCURLOPT_SSL_VERIFYPEER = 64,
  CCURLOPT_HEADERFUNCTION = 20079,
  CCURLOPT_HTTPGET = 80,
  CCURLOPT_SSL_VERIFYHOST = 81,
  CCURLOPT_NOSIGNAL = 99,
  CCURLOPT_ACCEPT_ENCODING = 10102,
  CCURLOPT_PRIVATE = 10103,
  CCURLOPT_TIMEOUT_MS = 155,
  CCURLOPT_CONNECTTIMEOUT_MS = 156,
  CCURLOPT_PROTOCOLS = 181,
  CCURLOPT_REDIR_PROTOCOLS = 182,

  CCURLPROTO_HTTP = 1,
  CCURLPROTO_HTTPS = 2,

  CCURLINFO_RESPONSE_CODE = 0x200002,
  CCURLINFO_PRIVATE = 0x100015,

  CCURLMOPT_MAXCONNECTS = 6,
  CCURLMOPT_MAX_HOST_CONNECTIONS = 7,
  CCURLMOPT_MAX_TOTAL_CONNECTIONS = 13,
};

/// Opens libcurl at `path` (a file name dlopen searches for, or a path), checks that it is at
/// least `minimumVersion` (curl's `LIBCURL_VERSION_NUM` encoding, 0xXXYYZZ), resolves every
/// function used here and calls `curl_global_init`. Returns 0 on success; otherwise writes why
/// into `reason` (at most `reasonSize` bytes, NUL-terminated) and returns -1.
///
/// Call it from one thread at a time, before any other function here (curl_global_init is not
/// thread-safe before curl 7.84). Once a library is loaded, calling it again with the same path
/// does nothing, and with another path fails.
int ccurl_load(const char *path, unsigned int minimumVersion, char *reason, size_t reasonSize);

/// The loaded library's version string (`curl_version_info()->version`), or NULL before loading.
const char *ccurl_version(void);

CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *handle);
CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value);
CURLcode ccurl_easy_setopt_callback(CURL *handle, CURLoption option, ccurl_data_callback value);
CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);
const char *ccurl_easy_strerror(CURLcode code);

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *string);
void ccurl_slist_free_all(struct curl_slist *list);

CURLM *ccurl_multi_init(void);
CURLMcode ccurl_multi_cleanup(CURLM *multi);
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *handle);
CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *handle);
CURLMcode ccurl_multi_perform(CURLM *multi, int *runningHandles);
CURLMcode ccurl_multi_poll(CURLM *multi, int timeoutMilliseconds);
CURLMcode ccurl_multi_wakeup(CURLM *multi);
CURLMsg *ccurl_multi_info_read(CURLM *multi, int *messagesLeft);

#endif
