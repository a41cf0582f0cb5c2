#ifndef SHOPDECK_CCURL_H
#define SHOPDECK_CCURL_H

/// One HTTP POST through the system's libcurl, opened (`dlopen`) at the first request, never
/// at start: linked in, libcurl and the thirty libraries it needs cost every `shopdeck`
/// process about 16 ms to load and relocate (issue 18), and only `shopdeck watch` posts.
///
/// `body` of `length` bytes goes to `url` with the header `Content-Type: application/json;
/// charset=utf-8`; the whole exchange may take `timeout_ms`. Returns 0 when the server
/// answered: `*status` is its HTTP status, and up to `answer_capacity` bytes of its body are in
/// `answer` (`*answer_length` of them; the rest is read and dropped). Returns -1 when it did
/// not: `why` holds libcurl's words for the failure (never the URL), or says libcurl could not
/// be opened. Safe to call from several threads at once.
int ccurl_post(const char *url, const void *body, long length, long timeout_ms,
               long *status, char *answer, long answer_capacity, long *answer_length,
               char *why, long why_capacity);

#endif
