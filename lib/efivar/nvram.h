/* Firmware variables as an interface: the UEFI app implements it over
 * GetVariable/SetVariable, the Linux CLI over efivarfs or a directory of
 * saved variables, tests over memory (memnvram). The boot-variable helpers
 * below only go through it. */
#ifndef WR_EFIVAR_NVRAM_H
#define WR_EFIVAR_NVRAM_H

#include "efivar/loadopt.h"

#define WR_EFIVAR_NAME_MAX 64
#define WR_EFIVAR_ATTR_NV_BS_RT 0x7u
/* 8be4df61-93ca-11d2-aa0d-00e098032b8c, where Boot#### and BootOrder live. */
extern const struct wr_guid wr_efivar_global_guid;

typedef wr_status (*wr_nvram_visit)(void *arg, const char *name, const struct wr_guid *guid);

struct wr_nvram_ops {
    /* WR_E_NOT_FOUND when absent; *data is a new allocation. */
    wr_status (*get)(void *ctx, const char *name, const struct wr_guid *guid, uint32_t *attrs,
                     uint8_t **data, size_t *len, struct wr_err *err);
    wr_status (*set)(void *ctx, const char *name, const struct wr_guid *guid, uint32_t attrs,
                     const uint8_t *data, size_t len, struct wr_err *err);
    wr_status (*del)(void *ctx, const char *name, const struct wr_guid *guid,
                     struct wr_err *err);
    wr_status (*list)(void *ctx, wr_nvram_visit visit, void *arg, struct wr_err *err);
};

struct wr_nvram {
    const char *name;           /* for messages: "firmware", "nvram dir x" */
    const struct wr_nvram_ops *ops;
    void *ctx;
};

wr_status wr_nvram_get(const struct wr_nvram *nv, const char *name, const struct wr_guid *guid,
                       uint32_t *attrs, uint8_t **data, size_t *len, struct wr_err *err);
wr_status wr_nvram_set(const struct wr_nvram *nv, const char *name, const struct wr_guid *guid,
                       uint32_t attrs, const uint8_t *data, size_t len, struct wr_err *err);
wr_status wr_nvram_del(const struct wr_nvram *nv, const char *name, const struct wr_guid *guid,
                       struct wr_err *err);
wr_status wr_nvram_list(const struct wr_nvram *nv, wr_nvram_visit visit, void *arg,
                        struct wr_err *err);

/* "Boot%04X" (upper-case hex, as the spec requires). */
void wr_efivar_boot_name(uint16_t num, char buf[16]);
/* True for "Boot" + 4 hex digits; *num gets the number. */
bool wr_efivar_parse_boot_name(const char *name, uint16_t *num);

/* BootOrder as numbers (wr_free *order); absent = empty. */
wr_status wr_efivar_boot_order_get(const struct wr_nvram *nv, uint16_t **order, size_t *n,
                                   struct wr_err *err);
wr_status wr_efivar_boot_order_set(const struct wr_nvram *nv, const uint16_t *order, size_t n,
                                   struct wr_err *err);
/* Reads and decodes Boot####. */
wr_status wr_efivar_boot_get(const struct wr_nvram *nv, uint16_t num,
                             struct wr_efivar_loadopt *out, struct wr_err *err);
/* The lowest number without a Boot#### variable. */
wr_status wr_efivar_free_boot_number(const struct wr_nvram *nv, uint16_t *num,
                                     struct wr_err *err);

/* In-memory variables for tests and the fault injector: after `writes`
 * more set/del calls every later one fails with WR_E_IO. */
struct wr_memnvram;
wr_status wr_memnvram_new(struct wr_memnvram **out, struct wr_err *err);
void wr_memnvram_free(struct wr_memnvram *m);
void wr_memnvram_nvram(struct wr_memnvram *m, struct wr_nvram *out);
void wr_memnvram_cut_after(struct wr_memnvram *m, uint64_t writes);

#endif
