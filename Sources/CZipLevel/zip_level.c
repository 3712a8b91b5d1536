#define _GNU_SOURCE
#include "zip_level.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>

/* minizip's declarations (zip.h, from libminizip-dev), with its types spelled out:
 * zipFile is a pointer, uInt is unsigned int, uLong is unsigned long. */
typedef int (*zip_open_fn)(void *file, const char *filename, const void *zipfi,
                           const void *extrafield_local, unsigned int size_extrafield_local,
                           const void *extrafield_global, unsigned int size_extrafield_global,
                           const char *comment, int method, int level, int raw, int windowBits,
                           int memLevel, int strategy, const char *password,
                           unsigned long crcForCrypting, unsigned long versionMadeBy,
                           unsigned long flagBase, int zip64);

enum { zip_deflated = 8, zip_internal_error = -104 };

static _Thread_local int level_on_thread = -1;

int anxin_zip_set_level(int level) {
    int previous = level_on_thread;
    level_on_thread = level < -1 ? -1 : level > 9 ? 9 : level;
    return previous;
}

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extrafield_local, unsigned int size_extrafield_local,
                            const void *extrafield_global, unsigned int size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password,
                            unsigned long crcForCrypting, unsigned long versionMadeBy,
                            unsigned long flagBase, int zip64) {
    static zip_open_fn minizip = NULL;
    zip_open_fn next = __atomic_load_n(&minizip, __ATOMIC_ACQUIRE);
    if (next == NULL) {
        next = (zip_open_fn)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
        if (next == NULL) {
            /* Only a build that links minizip statically can get here: say so, and let the
             * workbook fail as a zip error. */
            fprintf(stderr, "anxin: libminizip's zipOpenNewFileInZip4_64 was not found: %s\n", dlerror());
            return zip_internal_error;
        }
        __atomic_store_n(&minizip, next, __ATOMIC_RELEASE);
    }
    if (method == zip_deflated && level_on_thread != -1) level = level_on_thread;
    return next(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
                size_extrafield_global, comment, method, level, raw, windowBits, memLevel, strategy,
                password, crcForCrypting, versionMadeBy, flagBase, zip64);
}
