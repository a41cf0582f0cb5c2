#define _GNU_SOURCE 1
#include "ccurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// libcurl's option and info numbers (curl/curl.h: a type base plus a number, fixed since they
// were added; its development headers are not needed to build shopdeck).
enum {
    OPT_WRITEDATA = 10001, OPT_URL = 10002, OPT_POSTFIELDS = 10015, OPT_HTTPHEADER = 10023,
    OPT_WRITEFUNCTION = 20011, OPT_POST = 47, OPT_POSTFIELDSIZE_LARGE = 30120, OPT_NOSIGNAL = 99,
    OPT_TIMEOUT_MS = 155, OPT_CONNECTTIMEOUT_MS = 156, OPT_PROTOCOLS_STR = 10318,
    INFO_RESPONSE_CODE = 0x200002, GLOBAL_DEFAULT = 3,
};

typedef void CURL;
struct slist;
typedef size_t (*write_fn)(char *, size_t, size_t, void *);

static struct {
    int (*global_init)(long);
    CURL *(*easy_init)(void);
    int (*easy_setopt)(CURL *, int, ...);
    int (*easy_perform)(CURL *);
    int (*easy_getinfo)(CURL *, int, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(int);
    struct slist *(*slist_append)(struct slist *, const char *);
    void (*slist_free_all)(struct slist *);
    const char *missing;
} curl;

static pthread_once_t opened = PTHREAD_ONCE_INIT;

static void open_curl(void) {
    static const char *names[] = { "libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", "libcurl.4.dylib", NULL };
    void *lib = NULL;
    for (int i = 0; names[i] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { curl.missing = "libcurl is not installed (Debian: apt-get install libcurl4)"; return; }
#define LOAD(field, symbol) *(void **)&curl.field = dlsym(lib, symbol); if (!curl.field) { curl.missing = "libcurl lacks " symbol; return; }
    LOAD(global_init, "curl_global_init")
    LOAD(easy_init, "curl_easy_init")
    LOAD(easy_setopt, "curl_easy_setopt")
    LOAD(easy_perform, "curl_easy_perform")
    LOAD(easy_getinfo, "curl_easy_getinfo")
    LOAD(easy_cleanup, "curl_easy_cleanup")
    LOAD(easy_strerror, "curl_easy_strerror")
    LOAD(slist_append, "curl_slist_append")
    LOAD(slist_free_all, "curl_slist_free_all")
#undef LOAD
    // Once, before any thread makes a handle (libcurl's global set-up is not thread-safe).
    if (curl.global_init(GLOBAL_DEFAULT) != 0) curl.missing = "libcurl could not start";
}

/// Where the answer's body goes: kept up to the capacity, the rest dropped (not refused:
/// refusing would make the request fail).
struct sink { char *bytes; long capacity, length; };

static size_t keep(char *data, size_t size, size_t count, void *user) {
    struct sink *s = user;
    size_t n = size * count;
    long room = s->capacity - s->length;
    if (room > 0) {
        size_t take = n < (size_t)room ? n : (size_t)room;
        memcpy(s->bytes + s->length, data, take);
        s->length += (long)take;
    }
    return n;
}

int ccurl_post(const char *url, const void *body, long length, long timeout_ms,
               long *status, char *answer, long answer_capacity, long *answer_length,
               char *why, long why_capacity) {
    *status = 0; *answer_length = 0;
    if (why_capacity > 0) why[0] = 0;
    pthread_once(&opened, open_curl);
    if (curl.missing) { snprintf(why, (size_t)why_capacity, "%s", curl.missing); return -1; }
    CURL *h = curl.easy_init();
    if (!h) { snprintf(why, (size_t)why_capacity, "libcurl could not make a request"); return -1; }
    struct slist *headers = curl.slist_append(NULL, "Content-Type: application/json; charset=utf-8");
    // No "Expect: 100-continue" round trip before a body over 1 KB: robots answer at once.
    struct slist *more = headers ? curl.slist_append(headers, "Expect:") : NULL;
    if (more) headers = more;
    struct sink s = { answer, answer_capacity, 0 };
    write_fn writer = keep;
    curl.easy_setopt(h, OPT_URL, url);
    curl.easy_setopt(h, OPT_PROTOCOLS_STR, "http,https");   // older libcurl: unknown, ignored
    curl.easy_setopt(h, OPT_NOSIGNAL, 1L);                   // threads: no SIGALRM for timeouts
    curl.easy_setopt(h, OPT_POST, 1L);
    curl.easy_setopt(h, OPT_POSTFIELDS, body);
    curl.easy_setopt(h, OPT_POSTFIELDSIZE_LARGE, (long long)length);
    curl.easy_setopt(h, OPT_HTTPHEADER, headers);
    curl.easy_setopt(h, OPT_WRITEFUNCTION, writer);
    curl.easy_setopt(h, OPT_WRITEDATA, &s);
    curl.easy_setopt(h, OPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(h, OPT_CONNECTTIMEOUT_MS, timeout_ms);
    int code = curl.easy_perform(h);
    int result = 0;
    if (code != 0) {
        snprintf(why, (size_t)why_capacity, "%s", curl.easy_strerror(code));
        result = -1;
    } else {
        long answered = 0;
        curl.easy_getinfo(h, INFO_RESPONSE_CODE, &answered);
        *status = answered;
        *answer_length = s.length;
    }
    curl.easy_cleanup(h);
    if (headers) curl.slist_free_all(headers);
    return result;
}
