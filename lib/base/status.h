/* The one error convention of the project.
 *
 * Every function that can fail returns a wr_status. The function that detects
 * the failure also writes a human-readable message into the caller's
 * struct wr_err, naming the thing that is wrong (file, offset, field). Callers
 * that add context use wr_err_prefix(); nobody re-words a message later. */
#ifndef WR_BASE_STATUS_H
#define WR_BASE_STATUS_H

#include "base/port.h"

typedef enum wr_status {
    WR_OK = 0,
    WR_E_INVALID,      /* bad argument or malformed user input */
    WR_E_CORRUPT,      /* on-disk structure fails a check */
    WR_E_UNSUPPORTED,  /* valid but not handled by us (yet) */
    WR_E_NOT_FOUND,
    WR_E_IO,           /* the device or file failed */
    WR_E_NO_MEMORY,
    WR_E_TOO_BIG,      /* a cap on size, depth or count was reached */
    WR_E_REFUSED,      /* a safety rule said no */
    WR_E_EXISTS,
    WR_E_CANCELLED,
} wr_status;

#define WR_ERR_MSG_MAX 256

struct wr_err {
    wr_status code;
    char msg[WR_ERR_MSG_MAX];
};

/* Record a failure and return its code, so detection sites read
 *   return wr_fail(err, WR_E_CORRUPT, "%s: GPT header CRC mismatch", name);
 * err may be NULL when the caller does not want the text. */
wr_status wr_fail(struct wr_err *err, wr_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepend context ("bcd: ") to the message of the failure st and return
 * st, so `return wr_err_prefix(err, st, "bcd: ")` keeps the failure even
 * when err is NULL. */
wr_status wr_err_prefix(struct wr_err *err, wr_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void wr_err_clear(struct wr_err *err);

/* A short, stable name for a status ("corrupt", "not found", ...). */
const char *wr_status_name(wr_status code);

#endif
