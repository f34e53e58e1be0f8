/* wr_nvram over GetVariable / SetVariable / GetNextVariableName. Names
 * are ASCII in lib/ (Boot####, BootOrder, BootNext); the firmware's are
 * UCS-2, so anything outside ASCII is skipped when listing rather than
 * mangled into a name that would then not round-trip. */
#include <efi.h>
#include <efilib.h>

#include "base/fmt.h"
#include "glue/nvram_efi.h"

#define NAME16_MAX (WR_EFIVAR_NAME_MAX + 1)

static BOOLEAN name_to16(const char *name, CHAR16 out[NAME16_MAX])
{
    UINTN i = 0;

    for (; name[i]; i++) {
        if (i + 1 >= NAME16_MAX || (unsigned char)name[i] >= 0x80)
            return FALSE;
        out[i] = (CHAR16)name[i];
    }
    out[i] = 0;
    return TRUE;
}

static BOOLEAN name_from16(const CHAR16 *in, char out[WR_EFIVAR_NAME_MAX])
{
    UINTN i = 0;

    for (; in[i]; i++) {
        if (i + 1 >= WR_EFIVAR_NAME_MAX || in[i] >= 0x80)
            return FALSE;
        out[i] = (char)in[i];
    }
    out[i] = '\0';
    return TRUE;
}

static wr_status efi_fail(struct wr_err *err, EFI_STATUS s, const char *what, const char *name)
{
    if (s == EFI_NOT_FOUND)
        return wr_fail(err, WR_E_NOT_FOUND, "variable %s not found", name);
    if (s == EFI_OUT_OF_RESOURCES)
        return wr_fail(err, WR_E_TOO_BIG, "%s %s: the firmware's variable store is full",
                       what, name);
    if (s == EFI_WRITE_PROTECTED || s == EFI_SECURITY_VIOLATION)
        return wr_fail(err, WR_E_REFUSED, "%s %s: the firmware refused (write protected)",
                       what, name);
    return wr_fail(err, WR_E_IO, "%s %s: firmware error 0x%llx", what, name,
                   (unsigned long long)s);
}

static wr_status nv_get(void *ctx, const char *name, const struct wr_guid *guid, uint32_t *attrs,
                        uint8_t **data, size_t *len, struct wr_err *err)
{
    CHAR16 n16[NAME16_MAX];
    EFI_GUID g;
    UINT32 a = 0;
    UINTN size = 0;
    EFI_STATUS s;
    uint8_t *buf;

    (void)ctx;
    if (!name_to16(name, n16))
        return wr_fail(err, WR_E_INVALID, "variable name %s is not plain ASCII", name);
    memcpy(&g, guid->b, sizeof g);
    s = uefi_call_wrapper(RT->GetVariable, 5, n16, &g, &a, &size, NULL);
    if (s != EFI_BUFFER_TOO_SMALL)
        return s == EFI_SUCCESS ? wr_fail(err, WR_E_CORRUPT, "variable %s: size 0?", name)
                                : efi_fail(err, s, "reading", name);
    buf = wr_alloc(size ? size : 1);
    if (!buf)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory reading variable %s", name);
    s = uefi_call_wrapper(RT->GetVariable, 5, n16, &g, &a, &size, buf);
    if (s != EFI_SUCCESS) {
        wr_free(buf);
        return efi_fail(err, s, "reading", name);
    }
    *data = buf;
    *len = size;
    if (attrs)
        *attrs = a;
    return WR_OK;
}

static wr_status nv_set(void *ctx, const char *name, const struct wr_guid *guid, uint32_t attrs,
                        const uint8_t *data, size_t len, struct wr_err *err)
{
    CHAR16 n16[NAME16_MAX];
    EFI_GUID g;
    EFI_STATUS s;

    (void)ctx;
    if (!name_to16(name, n16))
        return wr_fail(err, WR_E_INVALID, "variable name %s is not plain ASCII", name);
    if (len == 0)
        return wr_fail(err, WR_E_INVALID, "variable %s: an empty write would delete it", name);
    memcpy(&g, guid->b, sizeof g);
    s = uefi_call_wrapper(RT->SetVariable, 5, n16, &g, attrs, len, (void *)data);
    return s == EFI_SUCCESS ? WR_OK : efi_fail(err, s, "writing", name);
}

static wr_status nv_del(void *ctx, const char *name, const struct wr_guid *guid,
                        struct wr_err *err)
{
    CHAR16 n16[NAME16_MAX];
    EFI_GUID g;
    EFI_STATUS s;

    (void)ctx;
    if (!name_to16(name, n16))
        return wr_fail(err, WR_E_INVALID, "variable name %s is not plain ASCII", name);
    memcpy(&g, guid->b, sizeof g);
    s = uefi_call_wrapper(RT->SetVariable, 5, n16, &g, 0, 0, NULL);
    return s == EFI_SUCCESS ? WR_OK : efi_fail(err, s, "deleting", name);
}

/* GetNextVariableName walks from the previous name, so the buffer holds
 * the cursor; it grows when the firmware asks for more room. */
static wr_status nv_list(void *ctx, wr_nvram_visit visit, void *arg, struct wr_err *err)
{
    UINTN cap = 256, size;
    CHAR16 *n16 = wr_alloc(cap);
    EFI_GUID g;
    EFI_STATUS s;
    wr_status st = WR_OK;
    char name[WR_EFIVAR_NAME_MAX];
    struct wr_guid wg;

    (void)ctx;
    if (!n16)
        return wr_fail(err, WR_E_NO_MEMORY, "out of memory listing variables");
    for (;;) {
        size = cap;
        s = uefi_call_wrapper(RT->GetNextVariableName, 3, &size, n16, &g);
        if (s == EFI_BUFFER_TOO_SMALL) {
            CHAR16 *grown = wr_realloc(n16, size);

            if (!grown) {
                st = wr_fail(err, WR_E_NO_MEMORY, "out of memory listing variables");
                break;
            }
            n16 = grown;
            cap = size;
            continue;
        }
        if (s == EFI_NOT_FOUND)
            break;
        if (s != EFI_SUCCESS) {
            st = efi_fail(err, s, "listing", "variables");
            break;
        }
        if (!name_from16(n16, name))
            continue;
        memcpy(wg.b, &g, sizeof wg.b);
        st = visit(arg, name, &wg);
        if (st != WR_OK)
            break;
    }
    wr_free(n16);
    return st;
}

static const struct wr_nvram_ops efi_ops = {
    .get = nv_get,
    .set = nv_set,
    .del = nv_del,
    .list = nv_list,
};

void wr_nvram_efi(struct wr_nvram *out)
{
    out->name = "firmware";
    out->ops = &efi_ops;
    out->ctx = NULL;
}
