/* The unit-test harness. Each tests/unit/test_*.c is its own program:
 *
 *   static void gpt_reads_backup(void) { CHECK(...); }
 *   int main(void) { RUN(gpt_reads_backup); return check_done(); }
 *
 * Every test prints one line, "PASS: name", "FAIL: name: why" or
 * "SKIP: name: why"; tests/run-all.sh counts those lines. */
#ifndef WR_TESTS_CHECK_H
#define WR_TESTS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void check_begin(const char *name);
void check_end(void);
void check_failed(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void check_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool check_current_failed(void);
int check_done(void);

/* The shared fixture tree (../shared beside the repo), or NULL when absent.
 * Tests that need it SKIP with a reason naming the missing path. */
const char *check_shared_dir(void);
/* Reads a whole file; NULL on failure (the caller FAILs or SKIPs). */
uint8_t *check_read_file(const char *path, size_t *len);

#define RUN(fn) do { check_begin(#fn); fn(); check_end(); } while (0)

#define CHECK(cond) do { if (!(cond)) { \
    check_failed(__FILE__, __LINE__, "%s", #cond); return; } } while (0)

#define CHECK_MSG(cond, ...) do { if (!(cond)) { \
    check_failed(__FILE__, __LINE__, __VA_ARGS__); return; } } while (0)

#define CHECK_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    if (a_ != b_) { check_failed(__FILE__, __LINE__, "%s == %lld, expected %lld", \
                                 #a, a_, b_); return; } } while (0)

#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) { check_failed(__FILE__, __LINE__, \
        "%s == \"%s\", expected \"%s\"", #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
        return; } } while (0)

/* For wr_status calls: prints the error message when not WR_OK. */
#define CHECK_OK(call, errp) do { int st_ = (int)(call); if (st_ != 0) { \
    check_failed(__FILE__, __LINE__, "%s failed (%d): %s", #call, st_, (errp)->msg); \
    return; } } while (0)

#define SKIP(...) do { check_skip(__VA_ARGS__); return; } while (0)

#endif
