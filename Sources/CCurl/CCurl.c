// The loader and typed wrappers declared in include/CCurl.h.
#include "CCurl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

// The first members of curl's `curl_version_info_data` (curl/curl.h), the only ones read here.
typedef struct {
  int age;
  const char *version;
  unsigned int version_num;
} ccurl_version_info_data;

// The loaded library's functions: filled in by ccurl_load, in one piece and only once it has all
// of them (callers serialise ccurl_load), read-only afterwards.
typedef struct {
  int loaded;
  char path[512];
  const char *version;
  CURLcode (*global_init)(long flags);
  ccurl_version_info_data *(*version_info)(int age);
  CURL *(*easy_init)(void);
  void (*easy_cleanup)(CURL *handle);
  CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
  CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
  const char *(*easy_strerror)(CURLcode code);
  struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
  void (*slist_free_all)(struct curl_slist *list);
  CURLM *(*multi_init)(void);
  CURLMcode (*multi_cleanup)(CURLM *multi);
  CURLMcode (*multi_setopt)(CURLM *multi, CURLMoption option, ...);
  CURLMcode (*multi_add_handle)(CURLM *multi, CURL *handle);
  CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *handle);
  CURLMcode (*multi_perform)(CURLM *multi, int *running);
  CURLMcode (*multi_poll)(CURLM *multi, void *extra, unsigned int extraCount, int timeout, int *numfds);
  CURLMcode (*multi_wakeup)(CURLM *multi);
  CURLMsg *(*multi_info_read)(CURLM *multi, int *left);
} ccurl_functions;

static ccurl_functions curl;

#define RESOLVE(field, name)                                                                       \
  do {                                                                                             \
    *(void **)(&loading.field) = dlsym(handle, name);                                              \
    if (loading.field == NULL) {                                                                   \
      snprintf(reason, reasonSize, "%s has no %s (libcurl 7.68 or later is needed)", path, name);  \
      return -1;                                                                                   \
    }                                                                                              \
  } while (0)

int ccurl_load(const char *path, unsigned int minimumVersion, char *reason, size_t reasonSize) {
  if (curl.loaded && strcmp(path, curl.path) == 0) return 0;
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    const char *error = dlerror();
    snprintf(reason, reasonSize, "%s", error != NULL ? error : path);
    return -1;
  }
  ccurl_functions loading = {0};
  RESOLVE(version_info, "curl_version_info");
  ccurl_version_info_data *info = loading.version_info(0);
  if (info == NULL || info->version_num < minimumVersion) {
    snprintf(reason, reasonSize, "%s is libcurl %s; radar-rpc needs %u.%u or later", path,
             info != NULL && info->version != NULL ? info->version : "(unknown)", minimumVersion >> 16,
             (minimumVersion >> 8) & 0xff);
    dlclose(handle);
    return -1;
  }
  RESOLVE(global_init, "curl_global_init");
  RESOLVE(easy_init, "curl_easy_init");
  RESOLVE(easy_cleanup, "curl_easy_cleanup");
  RESOLVE(easy_setopt, "curl_easy_setopt");
  RESOLVE(easy_getinfo, "curl_easy_getinfo");
  RESOLVE(easy_strerror, "curl_easy_strerror");
  RESOLVE(slist_append, "curl_slist_append");
  RESOLVE(slist_free_all, "curl_slist_free_all");
  RESOLVE(multi_init, "curl_multi_init");
  RESOLVE(multi_cleanup, "curl_multi_cleanup");
  RESOLVE(multi_setopt, "curl_multi_setopt");
  RESOLVE(multi_add_handle, "curl_multi_add_handle");
  RESOLVE(multi_remove_handle, "curl_multi_remove_handle");
  RESOLVE(multi_perform, "curl_multi_perform");
  RESOLVE(multi_poll, "curl_multi_poll");
  RESOLVE(multi_wakeup, "curl_multi_wakeup");
  RESOLVE(multi_info_read, "curl_multi_info_read");
  if (curl.loaded) {
    snprintf(reason, reasonSize, "libcurl is already loaded from %s", curl.path);
    return -1;
  }
  CURLcode initialized = loading.global_init(CCURL_GLOBAL_DEFAULT);
  if (initialized != CCURLE_OK) {
    snprintf(reason, reasonSize, "curl_global_init failed (%s)", loading.easy_strerror(initialized));
    return -1;
  }
  loading.version = info->version;
  snprintf(loading.path, sizeof loading.path, "%s", path);
  loading.loaded = 1;
  curl = loading;
  return 0;
}

const char *ccurl_version(void) { return curl.loaded ? curl.version : NULL; }

CURL *ccurl_easy_init(void) { return curl.easy_init(); }
void ccurl_easy_cleanup(CURL *handle) { curl.easy_cleanup(handle); }

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
  return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_easy_setopt_callback(CURL *handle, CURLoption option, ccurl_data_callback value) {
  return curl.easy_setopt(handle, option, value);
}
CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl.easy_getinfo(handle, info, value);
}
CURLcode ccurl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
  // CURLINFO_PRIVATE is documented as taking a `char **`.
  return curl.easy_getinfo(handle, info, (char **)value);
}
const char *ccurl_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }

struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *string) {
  return curl.slist_append(list, string);
}
void ccurl_slist_free_all(struct curl_slist *list) { curl.slist_free_all(list); }

CURLM *ccurl_multi_init(void) { return curl.multi_init(); }
CURLMcode ccurl_multi_cleanup(CURLM *multi) { return curl.multi_cleanup(multi); }
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
  return curl.multi_setopt(multi, option, value);
}
CURLMcode ccurl_multi_add_handle(CURLM *multi, CURL *handle) { return curl.multi_add_handle(multi, handle); }
CURLMcode ccurl_multi_remove_handle(CURLM *multi, CURL *handle) { return curl.multi_remove_handle(multi, handle); }
CURLMcode ccurl_multi_perform(CURLM *multi, int *running) { return curl.multi_perform(multi, running); }
CURLMcode ccurl_multi_poll(CURLM *multi, int timeout) { return curl.multi_poll(multi, NULL, 0, timeout, NULL); }
CURLMcode ccurl_multi_wakeup(CURLM *multi) { return curl.multi_wakeup(multi); }
CURLMsg *ccurl_multi_info_read(CURLM *multi, int *left) { return curl.multi_info_read(multi, left); }
