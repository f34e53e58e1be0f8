#include "base/status.h"
#include "base/fmt.h"

wr_status wr_fail(struct wr_err *err, wr_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        wr_vformat(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

wr_status wr_err_prefix(struct wr_err *err, wr_status st, const char *fmt, ...)
{
    char prefix[WR_ERR_MSG_MAX];
    char old[WR_ERR_MSG_MAX];
    va_list ap;

    if (!err)
        return st;
    va_start(ap, fmt);
    wr_vformat(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    wr_format(err->msg, sizeof err->msg, "%s%s", prefix, old);
    err->code = st;
    return st;
}

void wr_err_clear(struct wr_err *err)
{
    if (err) {
        err->code = WR_OK;
        err->msg[0] = '\0';
    }
}

const char *wr_status_name(wr_status code)
{
    switch (code) {
    case WR_OK: return "ok";
    case WR_E_INVALID: return "invalid";
    case WR_E_CORRUPT: return "corrupt";
    case WR_E_UNSUPPORTED: return "unsupported";
    case WR_E_NOT_FOUND: return "not found";
    case WR_E_IO: return "i/o error";
    case WR_E_NO_MEMORY: return "out of memory";
    case WR_E_TOO_BIG: return "too big";
    case WR_E_REFUSED: return "refused";
    case WR_E_EXISTS: return "exists";
    case WR_E_CANCELLED: return "cancelled";
    }
    return "unknown";
}
