/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz.h - what every libFuzzer target of tests/fuzz/ shares: the entry point's prototype
 * (the build's -Wmissing-prototypes wants one), a NUL-terminated copy of the input, the
 * input as a file in a temp folder, and a property check that aborts, so that libFuzzer
 * keeps the input that broke it.
 */
#ifndef WW_FUZZ_H
#define WW_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the input as a C string (heap; an inner NUL ends it early, as it would in the product) */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

static char fuzz_file_dir[64], fuzz_file_path[128];

static void fuzz_file_cleanup(void)
{
    unlink(fuzz_file_path);
    rmdir(fuzz_file_dir);
}

/* the input written to @name alone in a temp folder (made once, under /dev/shm when it can,
 * removed at exit), for parsers that read files; returns the folder */
static inline const char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
    FILE *f;

    if (!fuzz_file_dir[0]) {
        snprintf(fuzz_file_dir, sizeof(fuzz_file_dir), "%s/wwfuzzXXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if (!mkdtemp(fuzz_file_dir))
            abort();
        snprintf(fuzz_file_path, sizeof(fuzz_file_path), "%s/%s", fuzz_file_dir, name);
        atexit(fuzz_file_cleanup);
    }
    f = fopen(fuzz_file_path, "w");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
    return fuzz_file_dir;
}

/* a property the code promises: abort() (a crash to libFuzzer) when it does not hold */
#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);       \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

#endif
