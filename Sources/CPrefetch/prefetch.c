// Everything is the inline function in include/prefetch.h; SwiftPM wants one source file per C target.
#include "prefetch.h"
