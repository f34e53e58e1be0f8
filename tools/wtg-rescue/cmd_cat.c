/* wtg-rescue cat DISK[:PART] PATH: a file's unnamed stream to stdout,
 * decoded (sparse, LZNT1, WOF XPRESS) and streamed in pieces. */
#include <stdlib.h>
#include <string.h>

#include "volume_open.h"

#define PIECE (64u << 10) /* stays in cache between the read and the write */

int wtg_cmd_cat(int argc, char **argv)
{
    struct target t;
    struct wr_ntfs *v;
    struct wr_ntfs_file *f;
    struct wr_err err = { 0 };
    uint8_t *buf;
    uint64_t size, off = 0;
    int rc;
    wr_status st;

    if (argc != 3) {
        fprintf(stderr, "usage: wtg-rescue cat DISK[:PART] PATH\n");
        return EXIT_USAGE;
    }
    rc = open_ntfs(argv[1], &t, &v);
    if (rc)
        return rc;
    st = wr_ntfs_file_open(v, argv[2], &f, &err);
    buf = st ? NULL : malloc(PIECE);
    if (!st && !buf)
        st = wr_fail(&err, WR_E_NO_MEMORY, "out of memory");
    size = st ? 0 : wr_ntfs_file_size(f);
    while (!st && off < size) {
        size_t n = size - off < PIECE ? (size_t)(size - off) : PIECE;

        st = wr_ntfs_file_read(f, off, buf, n, &err);
        if (!st && fwrite(buf, 1, n, stdout) != n)
            st = wr_fail(&err, WR_E_IO, "stdout: write failed");
        off += n;
    }
    if (!st && fflush(stdout))
        st = wr_fail(&err, WR_E_IO, "stdout: write failed");
    if (st)
        fprintf(stderr, "wtg-rescue: %s\n", err.msg);
    free(buf);
    if (f && !st)
        wr_ntfs_file_close(f);
    wr_ntfs_close(v);
    target_close(&t);
    return exit_for_status(st);
}
