/* Shared between the repair files of lib/rescue (not public). */
#ifndef WR_RESCUE_INTERNAL_H
#define WR_RESCUE_INTERNAL_H

#include "rescue/plan.h"
#include "regf/regf.h"

/* One file or variable an apply will change. */
struct wr_rescue_touch {
    bool is_var;
    int esp;                         /* files: model partition */
    char path[WR_NAME_MAX];          /* files: volume path; vars: name */
};

struct wr_rescue_touches {
    struct wr_rescue_touch *v;
    size_t n;
};

wr_status wr_rescue_touch_add(struct wr_rescue_touches *t, bool is_var, int esp,
                              const char *path, struct wr_err *err);

/* Files a boot-file copy writes (dest paths on the ESP), with sources. */
struct wr_rescue_copy {
    char src[WR_NAME_MAX];
    char dst[WR_NAME_MAX];
};
/* Appends every file below src on v (three folders deep) to *list, each
 * named dst + the rest of its path. */
wr_status wr_rescue_copy_list_tree(const struct wr_volume *v, const char *src, const char *dst,
                                   struct wr_rescue_copy **list, size_t *n, struct wr_err *err);
/* Copies each src of `from` to its dst on `to`, making folders. */
wr_status wr_rescue_copy_files(const struct wr_volume *from, const struct wr_volume *to,
                               const struct wr_rescue_copy *list, size_t n, struct wr_err *err);
wr_status wr_rescue_bootfiles_list(const struct wr_rescue_model *m,
                                   const struct wr_rescue_action *a, struct wr_rescue_copy **out,
                                   size_t *n, struct wr_err *err);

/* Backup before writes; the folder name into dir. */
wr_status wr_rescue_backup(const struct wr_rescue_model *m, const struct wr_rescue_touches *t,
                           const struct wr_rescue_apply_opts *o, char dir[WR_NAME_MAX],
                           struct wr_err *err);

/* "gpt:{part guid}" or "mbr:SIG:LBA": how a manifest names an ESP. */
void wr_rescue_part_ident(const struct wr_rescue_model *m, int part, char *buf, size_t size);
int wr_rescue_part_by_ident(const struct wr_rescue_model *m, const char *ident);

/* sha256 over every file of a volume (sorted paths and contents): the
 * ESP's content, independent of where FAT put it. */
wr_status wr_rescue_volume_digest(const struct wr_volume *v, char out[65], struct wr_err *err);
/* Raw partition backup lines for the manifest, and their undo. */
wr_status wr_rescue_backup_raw(const struct wr_rescue_model *m, const struct wr_rescue_touches *t,
                               const struct wr_rescue_apply_opts *o, const char *dir,
                               struct wr_text *man, struct wr_err *err);
wr_status wr_rescue_undo_raw(struct wr_rescue_model *m, const struct wr_volume *stick,
                             const char *dir, char **f, size_t nf, struct wr_text *log,
                             struct wr_err *err);

/* The actions themselves. */
wr_status wr_rescue_do_bcd(struct wr_rescue_model *m, const struct wr_rescue_action *a,
                           const struct wr_rescue_apply_opts *o, struct wr_err *err);
wr_status wr_rescue_build_store(const struct wr_rescue_model *m, int esp, const int *wins,
                                size_t n_wins, const char *seed, struct wr_regf_hive **out,
                                struct wr_err *err);
wr_status wr_rescue_add_loader(struct wr_regf_hive *h, const struct wr_rescue_model *m, int win,
                               const char *seed, struct wr_guid *loader, struct wr_err *err);
wr_status wr_rescue_do_bootfiles(struct wr_rescue_model *m, const struct wr_rescue_action *a,
                                 struct wr_err *err);
wr_status wr_rescue_do_nvram(struct wr_rescue_model *m, const struct wr_rescue_action *a,
                             uint16_t num, struct wr_err *err);
/* The BIOS set (rebuild_bios.c): \bootmgr, \BOOTNXT, \Boot\... with their
 * sources on win's volume; *n = 0 when win has no \Windows\Boot\PCAT\bootmgr.
 * \Boot\BCD is not in the list. */
wr_status wr_rescue_bios_list(const struct wr_rescue_model *m, int win,
                              struct wr_rescue_copy **out, size_t *n, struct wr_err *err);
/* Copies the set and writes \Boot\BCD crash-safely; no backup (apply's). */
wr_status wr_rescue_do_bios(struct wr_rescue_model *m, const struct wr_rescue_action *a,
                            const struct wr_rescue_apply_opts *o, struct wr_err *err);
/* \Boot\BCD re-opened as a store with a {bootmgr}, and \bootmgr there. */
wr_status wr_rescue_verify_bios(const struct wr_volume *v, struct wr_err *err);

/* make_dir for every folder above path (existing ones are fine). */
wr_status wr_rescue_make_parents(const struct wr_volume *v, const char *path,
                                 struct wr_err *err);

#endif
