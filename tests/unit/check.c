#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *current;
static bool failed, skipped;
static int n_pass, n_fail, n_skip;

void check_begin(const char *name)
{
    current = name;
    failed = skipped = false;
}

void check_end(void)
{
    if (failed)
        n_fail++;
    else if (skipped)
        n_skip++;
    else {
        n_pass++;
        printf("PASS: %s\n", current);
    }
    fflush(stdout);
}

void check_failed(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    printf("FAIL: %s: %s:%d: ", current, file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    failed = true;
}

void check_skip(const char *fmt, ...)
{
    va_list ap;
    printf("SKIP: %s: ", current);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    skipped = true;
}

bool check_current_failed(void)
{
    return failed;
}

int check_done(void)
{
    fprintf(stderr, "%d passed, %d failed, %d skipped\n", n_pass, n_fail, n_skip);
    return n_fail ? 1 : 0;
}

const char *check_shared_dir(void)
{
    const char *dir = getenv("WR_SHARED");
    struct stat st;

    if (!dir || !*dir)
        dir = "../shared";
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? dir : NULL;
}

uint8_t *check_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long size;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)size + 1);
        if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)size;
    }
    fclose(f);
    return buf;
}
