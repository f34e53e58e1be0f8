/* Shared by the files of lib/rescue_files. */
#ifndef WR_RESCUE_FILES_INTERNAL_H
#define WR_RESCUE_FILES_INTERNAL_H

#include "rescue_files/rescue_files.h"

#define RF_PATH_MAX 4096u
#define RF_MAX_DEPTH 64u

/* One folder's entries, copied out of the listing so the walk can recurse
 * without holding the source's directory state. */
struct rf_list {
    struct rf_item {
        char *name;
        bool is_dir, is_reparse;
        uint64_t size;
    } *items;
    size_t n, cap;
};

wr_status wr_rf_list_read(const struct wr_rf_source *src, const char *path, struct rf_list *out,
                       struct wr_err *err);
void wr_rf_list_free(struct rf_list *l);

/* path + '\' + name into out (RF_PATH_MAX); WR_E_TOO_BIG when it does not fit. */
wr_status wr_rf_join(char *out, const char *path, const char *name, struct wr_err *err);

#endif
