/* make-togo's image side, through wimlib: check the WIM/ESD before the
 * stick is touched, list its editions, apply one onto the NTFS partition
 * (libntfs-3g inside wimlib; nothing is mounted). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wimlib.h>

#include "togo.h"

static const char *prop(const WIMStruct *w, int i, const char *name)
{
    const char *v = wimlib_get_image_property(w, i, name);
    return v ? v : "";
}

static void list_images(const WIMStruct *w, int n, int chosen)
{
    printf("Images in the WIM:\n");
    for (int i = 1; i <= n; i++) {
        unsigned long long bytes = strtoull(prop(w, i, "TOTALBYTES"), NULL, 10);
        printf("  %c index %d: %s%s%s (%.1f MiB)\n", i == chosen ? '*' : ' ', i,
               prop(w, i, "NAME"), *prop(w, i, "WINDOWS/EDITIONID") ? ", edition " : "",
               prop(w, i, "WINDOWS/EDITIONID"), (double)bytes / TOGO_MIB);
    }
}

static enum wimlib_progress_status verify_progress(enum wimlib_progress_msg msg, union wimlib_progress_info *info,
                           void *arg)
{
    (void)arg;
    if (msg == WIMLIB_PROGRESS_MSG_VERIFY_STREAMS && info->verify_streams.total_bytes &&
        info->verify_streams.completed_bytes == info->verify_streams.total_bytes) {
        printf("  verified %.1f MiB of file data",
               (double)info->verify_streams.total_bytes / TOGO_MIB);
        fflush(stdout);
    }
    return WIMLIB_PROGRESS_STATUS_CONTINUE;
}

/* The integrity table (when the WIM has one) at open, then every blob's
 * SHA-1 and the metadata: a corrupt image is refused before any write. */
int togo_wim_check(const char *path, int index, bool list_only, struct togo_wim_info *out)
{
    WIMStruct *w = NULL;
    struct wimlib_wim_info info;
    int r;

    memset(out, 0, sizeof *out);
    r = wimlib_open_wim_with_progress(path, WIMLIB_OPEN_FLAG_CHECK_INTEGRITY, &w,
                                      verify_progress, NULL);
    if (r) {
        fprintf(stderr, "make-togo: step \"check the image\": %s: %s; nothing was written\n", path,
                wimlib_get_error_string((enum wimlib_error_code)r));
        return EXIT_BAD_IMAGE_T;
    }
    wimlib_get_wim_info(w, &info);
    out->n_images = (int)info.image_count;
    printf("Image %s: %u image(s), %s integrity table\n", path, info.image_count,
           info.has_integrity_table ? "checked against its" : "no");
    /* One image: no need to ask which. */
    if (!index && !list_only && out->n_images == 1)
        index = 1;
    out->index = index;
    list_images(w, out->n_images, index);
    if (index < 1 || index > out->n_images) {
        if (index)
            fprintf(stderr, "make-togo: refused: the WIM has no index %d (it has 1 to %d); "
                            "nothing was written\n", index, out->n_images);
        wimlib_free(w);
        return index ? EXIT_BAD_IMAGE_T : 0;
    }
    out->total_bytes = strtoull(prop(w, index, "TOTALBYTES"), NULL, 10);
    wr_format(out->name, sizeof out->name, "%s", prop(w, index, "NAME"));
    r = wimlib_verify_wim(w, 0);
    printf("\n");
    if (r) {
        fprintf(stderr, "make-togo: step \"verify the image\": %s is damaged: %s; "
                        "nothing was written\n", path,
                wimlib_get_error_string((enum wimlib_error_code)r));
        wimlib_free(w);
        return EXIT_BAD_IMAGE_T;
    }
    wimlib_free(w);
    return 0;
}

/* Ctrl-C during the apply: wimlib is asked to stop at its next progress
 * call, so the caller still removes the side file and says the state. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

struct apply_progress {
    struct timespec start;
    uint64_t files, files_total;
    double shown;
};

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static enum wimlib_progress_status apply_progress(enum wimlib_progress_msg msg, union wimlib_progress_info *info,
                          void *arg)
{
    struct apply_progress *p = arg;
    const struct wimlib_progress_info_extract *x = &info->extract;

    if (interrupted)
        return WIMLIB_PROGRESS_STATUS_ABORT;
    switch (msg) {
    case WIMLIB_PROGRESS_MSG_EXTRACT_FILE_STRUCTURE:
    case WIMLIB_PROGRESS_MSG_EXTRACT_METADATA:
        p->files = x->current_file_count;
        p->files_total = x->end_file_count;
        break;
    case WIMLIB_PROGRESS_MSG_EXTRACT_STREAMS: {
        double s = since(&p->start), rate = s > 0 ? (double)x->completed_bytes / s : 0;
        /* One line a quarter second is plenty to read, and cheap. */
        if (x->completed_bytes < x->total_bytes && s - p->shown < 0.25)
            break;
        p->shown = s;
        double left = rate > 0 ? (double)(x->total_bytes - x->completed_bytes) / rate : 0;
        printf("\r  applying: %.1f / %.1f MiB, %llu files, %.1f MiB/s, %.0f s left   ",
               (double)x->completed_bytes / TOGO_MIB, (double)x->total_bytes / TOGO_MIB,
               (unsigned long long)(p->files_total ? p->files_total : x->end_file_count),
               rate / TOGO_MIB, left);
        fflush(stdout);
        break;
    }
    default:
        break;
    }
    return WIMLIB_PROGRESS_STATUS_CONTINUE;
}

int togo_wim_apply(const char *path, int index, const char *ntfs_target)
{
    struct apply_progress p = { 0 };
    WIMStruct *w = NULL;
    int r;

    struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;

    clock_gettime(CLOCK_MONOTONIC, &p.start);
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    r = wimlib_open_wim(path, 0, &w);
    if (!r) {
        wimlib_register_progress_function(w, apply_progress, &p);
        r = wimlib_extract_image(w, index, ntfs_target, WIMLIB_EXTRACT_FLAG_NTFS);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    printf("\n");
    if (r && interrupted)
        fprintf(stderr, "make-togo: step \"apply index %d\": interrupted\n", index);
    else if (r)
        fprintf(stderr, "make-togo: step \"apply index %d\": %s\n", index,
                wimlib_get_error_string((enum wimlib_error_code)r));
    else
        printf("  applied in %.1f s\n", since(&p.start));
    wimlib_free(w);
    return r ? -1 : 0;
}
