// The scanning helpers are `static inline` in include/cscan.h; a C target needs one source.
#include "cscan.h"
