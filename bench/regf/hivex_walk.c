/* The peer of `hivetool walk`, built on libhivex: the same line per file
 * (file=PATH keys=N values=N data_bytes=N checksum=0x%016x) with the same
 * FNV-1a-64 item checksum, so the CLI tests can diff the two readers and the
 * benchmark can compare their instruction counts.
 *   hivex_walk [--repeat N] FILE... */
#include <errno.h>
#include <hivex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FNV_BASIS 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull
#define MAX_DEPTH 512

struct tally {
    hive_h *h;
    uint64_t keys, values, data_bytes, sum;
    int failed;
};

static uint64_t fnv(uint64_t hash, const void *p, size_t len)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < len; i++)
        hash = (hash ^ b[i]) * FNV_PRIME;
    return hash;
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void walk_values(struct tally *t, hive_node_h node, const char *path, size_t path_len)
{
    hive_value_h *vals = hivex_node_values(t->h, node);
    if (!vals) {
        t->failed = 1;
        return;
    }
    for (size_t i = 0; vals[i]; i++) {
        hive_type type;
        size_t len;
        char *name = hivex_value_key(t->h, vals[i]);
        char *data = hivex_value_value(t->h, vals[i], &type, &len);
        if (!name || !data) {
            t->failed = 1;
            free(name);
            free(data);
            break;
        }
        uint8_t head[8];
        uint64_t hash = fnv(fnv(FNV_BASIS, "V", 1), path, path_len);
        hash = fnv(hash, "", 1);
        hash = fnv(hash, name, hivex_value_key_len(t->h, vals[i]));
        hash = fnv(hash, "", 1);
        le32(head, (uint32_t)type);
        le32(head + 4, (uint32_t)len);
        hash = fnv(fnv(hash, head, 8), data, len);
        t->sum += hash;
        t->values++;
        t->data_bytes += len;
        free(name);
        free(data);
    }
    free(vals);
}

static void walk_key(struct tally *t, hive_node_h node, char *path, size_t path_len,
                     size_t cap, int depth)
{
    if (depth > MAX_DEPTH || t->failed) {
        t->failed = 1;
        return;
    }
    t->keys++;
    t->sum += fnv(fnv(FNV_BASIS, "K", 1), path, path_len);
    walk_values(t, node, path, path_len);
    hive_node_h *kids = hivex_node_children(t->h, node);
    if (!kids) {
        t->failed = 1;
        return;
    }
    for (size_t i = 0; kids[i] && !t->failed; i++) {
        char *name = hivex_node_name(t->h, kids[i]);
        if (!name) {
            t->failed = 1;
            break;
        }
        size_t n = hivex_node_name_len(t->h, kids[i]);
        if (path_len + 1 + n + 1 > cap) {
            t->failed = 1;
            free(name);
            break;
        }
        path[path_len] = '\\';
        memcpy(path + path_len + 1, name, n);
        free(name);
        walk_key(t, kids[i], path, path_len + 1 + n, cap, depth + 1);
    }
    free(kids);
}

static int walk_file(const char *file, long repeat)
{
    static char path[1 << 20];
    struct tally t;

    for (long r = 0; r < repeat; r++) {
        memset(&t, 0, sizeof t);
        t.h = hivex_open(file, 0);
        if (!t.h) {
            fprintf(stderr, "hivex_walk: %s: %s\n", file, strerror(errno));
            return 1;
        }
        hive_node_h root = hivex_root(t.h);
        char *name = root ? hivex_node_name(t.h, root) : NULL;
        if (!name) {
            fprintf(stderr, "hivex_walk: %s: no root name\n", file);
            hivex_close(t.h);
            return 1;
        }
        size_t n = hivex_node_name_len(t.h, root);
        if (n >= sizeof path) {
            free(name);
            hivex_close(t.h);
            return 1;
        }
        memcpy(path, name, n);
        free(name);
        walk_key(&t, root, path, n, sizeof path, 1);
        hivex_close(t.h);
        if (t.failed) {
            fprintf(stderr, "hivex_walk: %s: walk failed\n", file);
            return 1;
        }
    }
    printf("file=%s keys=%llu values=%llu data_bytes=%llu checksum=0x%016llx\n", file,
           (unsigned long long)t.keys, (unsigned long long)t.values,
           (unsigned long long)t.data_bytes, (unsigned long long)t.sum);
    return 0;
}

int main(int argc, char **argv)
{
    long repeat = 1;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = strtol(argv[++i], NULL, 10);
        else if (walk_file(argv[i], repeat < 1 ? 1 : repeat))
            rc = 1;
    }
    return rc;
}
