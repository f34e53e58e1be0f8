/* hivetool walk [--repeat N] [--strict] FILE...: one line per file,
 *   file=PATH keys=N values=N data_bytes=N checksum=0x%016x
 * --strict validates fully before walking (refusing any finding); --salvage
 * skips what is broken and says how much. The checksum is the sum (mod 2^64) of FNV-1a-64 over one item per key,
 * "K" path, and one per value, "V" path NUL name NUL le32(type) le32(len)
 * data, so two readers agree exactly when they see the same tree. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "commands.h"
#include "regf/regf.h"

#define FNV_BASIS 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

struct tally {
    const struct wr_regf_hive *h;
    uint64_t keys, values, data_bytes, sum;
    uint64_t fnv;
    char name[65536 * 2];
    struct wr_err *err;
};

static uint64_t fnv(uint64_t hash, const void *p, size_t len)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < len; i++)
        hash = (hash ^ b[i]) * FNV_PRIME;
    return hash;
}

static void hash_piece(void *arg, const uint8_t *piece, size_t len)
{
    struct tally *t = arg;
    t->fnv = fnv(t->fnv, piece, len);
}

static wr_status visit_key(void *arg, wr_regf_node key, const char *path, size_t path_len,
                           unsigned depth)
{
    struct tally *t = arg;
    size_t n;
    wr_status st;
    uint8_t head[8];

    (void)depth;
    t->keys++;
    t->sum += fnv(fnv(FNV_BASIS, "K", 1), path, path_len);
    st = wr_regf_value_count(t->h, key, &n, t->err);
    if (st != WR_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        wr_regf_value v;
        size_t size;
        st = wr_regf_value_at(t->h, key, i, &v, t->err);
        if (st == WR_OK)
            st = wr_regf_value_size(t->h, v, &size, t->err);
        if (st != WR_OK)
            return st;
        size_t name_len = wr_regf_value_name_buf(t->h, v, t->name, sizeof t->name);
        uint64_t hash = fnv(fnv(FNV_BASIS, "V", 1), path, path_len);
        hash = fnv(hash, "", 1);
        hash = fnv(hash, t->name, name_len);
        hash = fnv(hash, "", 1);
        wr_put_le32(head, wr_regf_value_type(t->h, v));
        wr_put_le32(head + 4, (uint32_t)size);
        t->fnv = fnv(hash, head, 8);
        st = wr_regf_value_data_pieces(t->h, v, hash_piece, t, t->err);
        if (st != WR_OK)
            return st;
        t->sum += t->fnv;
        t->values++;
        t->data_bytes += size;
    }
    return WR_OK;
}

static int walk_file(const char *file, long repeat, unsigned mode, struct tally *t)
{
    struct wr_err err = { 0 };
    size_t len;
    uint8_t *data = hivetool_read_file(file, &len);

    if (!data)
        return 2;
    for (long r = 0; r < repeat; r++) {
        struct wr_regf_open_opts opts = { .name = file };
        struct wr_regf_hive *h;
        opts.flags = mode;
        wr_status st = wr_regf_open(data, len, &opts, &h, &err);
        if (st != WR_OK) {
            fprintf(stderr, "hivetool: %s\n", err.msg);
            free(data);
            return 1;
        }
        memset(t, 0, offsetof(struct tally, fnv));
        t->h = h;
        t->err = &err;
        struct wr_regf_walker w = { visit_key, t };
        st = wr_regf_walk(h, wr_regf_root(h), &w, &err);
        struct wr_regf_info info;
        wr_regf_get_info(h, &info);
        if (info.salvaged && r == 0)
            fprintf(stderr, "hivetool: %s: salvaged: %zu findings skipped\n", file,
                    info.findings);
        wr_regf_close(h);
        if (st != WR_OK) {
            fprintf(stderr, "hivetool: %s\n", err.msg);
            free(data);
            return 1;
        }
    }
    free(data);
    printf("file=%s keys=%llu values=%llu data_bytes=%llu checksum=0x%016llx\n", file,
           (unsigned long long)t->keys, (unsigned long long)t->values,
           (unsigned long long)t->data_bytes, (unsigned long long)t->sum);
    return 0;
}

int hivetool_cmd_walk(int argc, char **argv)
{
    long repeat = 1;
    unsigned mode = WR_REGF_OPEN_FAST | WR_REGF_OPEN_IGNORE_DIRTY;
    int rc = 0, files = 0;
    struct tally *t = malloc(sizeof *t);

    if (!t)
        return 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
            repeat = strtol(argv[++i], NULL, 10);
            if (repeat < 1)
                repeat = 1;
        } else if (!strcmp(argv[i], "--strict")) {
            mode = 0;
        } else if (!strcmp(argv[i], "--salvage")) {
            mode = WR_REGF_OPEN_SALVAGE;
        } else {
            int r = walk_file(argv[i], repeat, mode, t);
            rc = r > rc ? r : rc;
            files++;
        }
    }
    free(t);
    if (!files) {
        fprintf(stderr, "usage: hivetool walk [--repeat N] [--strict|--salvage] FILE...\n");
        return 2;
    }
    return rc;
}
