#ifndef SCIMWATCH_PREFETCH_H
#define SCIMWATCH_PREFETCH_H

/// A cache prefetch hint for the hot path's hash tables: Swift has no prefetch intrinsic, and a plain
/// load (the alternative) holds a reorder-buffer slot until its cache miss is served, where a prefetch
/// retires at once and lets a whole batch of misses be in flight together.
static inline void scim_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
