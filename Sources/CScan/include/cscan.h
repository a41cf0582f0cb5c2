#ifndef SHOPDECK_CSCAN_H
#define SHOPDECK_CSCAN_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The delimiter bitmap below by a plain loop (what processors without SSE2 use; the tests
/// hold the SSE2 path to it).
static inline uint64_t cscan_delimiters64_portable(const uint8_t *p, uint8_t sep) {
    uint64_t m = 0;
    for (int i = 0; i < 64; i++) {
        uint8_t c = p[i];
        m |= (uint64_t)(c == sep || c == '\n' || c == '\r') << i;
    }
    return m;
}

/// The CSV parser's delimiter bitmap (`CSVParser.parse`): bit i is set when p[i], 0 <= i < 64,
/// is `sep`, a line feed or a carriage return. Reads exactly 64 bytes from p.
///
/// Written in C because Swift has no way to ask for a byte compare's bit mask (`pmovmskb`):
/// with SSE2, part of every x86-64 processor, it is four 16-byte compares; elsewhere a plain
/// loop gives the same bits. `static inline` so the Swift caller inlines it.
static inline uint64_t cscan_delimiters64(const uint8_t *p, uint8_t sep) {
#if defined(__SSE2__)
    const __m128i s = _mm_set1_epi8((char)sep), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i e = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, s), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr));
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(e) << (16 * k);
    }
    return m;
#else
    return cscan_delimiters64_portable(p, sep);
#endif
}

/// Asks for the cache line holding `p` to be fetched (a read, kept in every cache level): a
/// hint, never a fault, whatever `p` is. Swift has no way to ask for it; batched look-ups in a
/// big hash table use it so their cache misses overlap (`OrderIds.findAll`).
static inline void cscan_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}

#endif
