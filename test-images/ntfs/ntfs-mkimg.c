/* ntfs-mkimg: fills an mkntfs-formatted image file through libntfs-3g,
 * rootless and without FUSE (docs ntfs.md §18). Test-image builder only.
 *
 *   ntfs-mkimg IMAGE OP ARGS... [OP ARGS...]
 *
 * Operations run in order on one mount:
 *   mkdir PATH                 compressdir PATH (files inside are LZNT1)
 *   gen PATH SIZE SEED         deterministic, partly compressible content
 *   put PATH HOSTFILE          text PATH STRING
 *   many DIR COUNT PREFIX dos|nodos     COUNT small files (optional 8.3 names)
 *   frag PATH SIZE SEED        one run per cluster, placed top-down (negative deltas)
 *   link EXISTING NEWPATH      dosname PATH DOSNAME
 *   sparse PATH SIZE SEED      data, a hole, data
 *   ads PATH NAME SIZE SEED    a named stream
 *   junction PATH TARGET       symlink PATH TARGET
 *   wof PATH SIZE SEED ALG     ALG: xpress4k xpress8k xpress16k lzx raw4k
 *   mftfrag DIR COUNT          fragment free space, then grow $MFT by COUNT files
 *   dirty
 * Every regular file's expected content is also written below $EXPECT_DIR
 * (when set), so the test can compare sha256 sums. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ntfs-3g/types.h>
#include <ntfs-3g/attrib.h>
#include <ntfs-3g/bitmap.h>
#include <ntfs-3g/device.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/lcnalloc.h>
#include <ntfs-3g/logging.h>
#include <ntfs-3g/reparse.h>
#include <ntfs-3g/runlist.h>
#include <ntfs-3g/security.h>
#include <ntfs-3g/unistr.h>
#include <ntfs-3g/volume.h>

#include "xpress_enc.h"

static ntfs_volume *vol;

static void die(const char *what, const char *path)
{
    fprintf(stderr, "ntfs-mkimg: %s %s: %s\n", what, path ? path : "", strerror(errno));
    exit(1);
}

static ntfschar *uname(const char *s, int *len)
{
    ntfschar *u = NULL;

    *len = ntfs_mbstoucs(s, &u);
    if (*len < 0)
        die("bad name", s);
    return u;
}

/* Splits "/a/b/c" into the parent inode (opened) and the last name. */
static ntfs_inode *open_parent(const char *path, const char **leaf)
{
    char *dir = strdup(path), *slash = strrchr(dir, '/');
    ntfs_inode *ni;

    *leaf = strrchr(path, '/') + 1;
    if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    ni = ntfs_pathname_to_inode(vol, NULL, dir);
    if (!ni)
        die("no parent directory for", path);
    free(dir);
    return ni;
}

static ntfs_inode *create(const char *path, mode_t type, ntfs_inode **dir_out)
{
    const char *leaf;
    ntfs_inode *dir = open_parent(path, &leaf), *ni;
    int len;
    ntfschar *u = uname(leaf, &len);

    ni = ntfs_create(dir, const_cpu_to_le32(0), u, (u8)len, type);
    if (!ni)
        die("cannot create", path);
    free(u);
    *dir_out = dir;
    return ni;
}

static void done(ntfs_inode *ni, ntfs_inode *dir)
{
    if (ntfs_inode_close_in_dir(ni, dir) || ntfs_inode_close(dir))
        die("close", "");
}

static void expect(const char *path, const uint8_t *data, size_t len)
{
    const char *root = getenv("EXPECT_DIR");
    char full[4096];
    FILE *f;

    if (!root)
        return;
    mkdir(root, 0755);
    snprintf(full, sizeof full, "%s%s", root, path);
    for (char *p = full + strlen(root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(full, 0755);
            *p = '/';
        }
    f = fopen(full, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f))
        die("cannot write expectation", full);
}

/* Words and numbers: text-like, so LZNT1 and XPRESS find matches. */
static uint8_t *gen_data(size_t size, unsigned seed)
{
    static const char *words[] = { "boot", "manager", "windows", "system32", "config",
                                   "hive", "ntfs", "cluster", "record", "index" };
    uint8_t *d = malloc(size + 1);
    uint32_t x = seed * 2654435761u + 1;
    size_t i = 0;

    while (i < size) {
        char w[32];
        int n;

        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        if (x % 4 == 0)
            n = snprintf(w, sizeof w, "%u ", x % 100000);
        else
            n = snprintf(w, sizeof w, "%s ", words[x % 10]);
        for (int k = 0; k < n && i < size; k++)
            d[i++] = (uint8_t)w[k];
    }
    return d;
}

static void write_attr(ntfs_inode *ni, ATTR_TYPES type, ntfschar *name, u32 nlen,
                       const uint8_t *data, size_t len, const char *path)
{
    ntfs_attr *na;

    if (type == AT_DATA && nlen && ntfs_attr_add(ni, AT_DATA, name, nlen, NULL, 0))
        die("cannot add stream to", path);
    na = ntfs_attr_open(ni, type, name, nlen);
    if (!na)
        die("cannot open data of", path);
    for (size_t off = 0; off < len;) {
        s64 n = ntfs_attr_pwrite(na, (s64)off, (s64)(len - off), data + off);
        if (n <= 0)
            die("write", path);
        off += (size_t)n;
    }
    if (ntfs_attr_pclose(na))
        die("pclose", path);
    ntfs_attr_close(na);
}

static void put_bytes(const char *path, const uint8_t *data, size_t len)
{
    ntfs_inode *dir, *ni = create(path, S_IFREG, &dir);

    write_attr(ni, AT_DATA, AT_UNNAMED, 0, data, len, path);
    done(ni, dir);
    expect(path, data, len);
}

static void op_mkdir(const char *path, bool compressed)
{
    ntfs_inode *dir, *ni = create(path, S_IFDIR, &dir);

    if (compressed) {
        le32 attr = FILE_ATTR_COMPRESSED | FILE_ATTR_DIRECTORY;
        if (ntfs_set_ntfs_attrib(ni, (const char *)&attr, sizeof attr, 0))
            die("cannot set compressed on", path);
    }
    done(ni, dir);
}

static void op_put(const char *path, const char *host)
{
    FILE *f = fopen(host, "rb");
    uint8_t *d = NULL;
    size_t len = 0, cap = 0, n;

    if (!f)
        die("cannot open", host);
    do {
        if (len == cap)
            d = realloc(d, cap = cap ? cap * 2 : 65536);
        n = fread(d + len, 1, cap - len, f);
        len += n;
    } while (n);
    fclose(f);
    put_bytes(path, d, len);
    free(d);
}

static void set_dos_name(const char *path, const char *dos)
{
    const char *leaf;
    ntfs_inode *dir = open_parent(path, &leaf), *ni;
    int len;
    ntfschar *u = uname(leaf, &len);
    u64 ref = ntfs_inode_lookup_by_name(dir, u, len);

    free(u);
    ni = ref == (u64)-1 ? NULL : ntfs_inode_open(vol, MREF(ref));
    if (!ni)
        die("no file", path);
    /* Closes both inodes itself. */
    if (ntfs_set_ntfs_dos_name(ni, dir, dos, strlen(dos), 0))
        die("cannot set DOS name on", path);
}

static void op_many(const char *dir, int count, const char *prefix, bool dos)
{
    char path[1024], text[64], d83[16];

    for (int i = 0; i < count; i++) {
        int n = snprintf(text, sizeof text, "file %d of %s\n", i, dir);

        snprintf(path, sizeof path, "%s/%s%05d.sys", dir, prefix, i);
        put_bytes(path, (const uint8_t *)text, (size_t)n);
        if (dos) {
            snprintf(d83, sizeof d83, "D%07d.SYS", i);
            set_dos_name(path, d83);
        }
    }
}

/* Moves every cluster of na from VCN `keep` on to its own run, from the
 * top of the volume downwards, and lets libntfs-3g write the mapping pairs
 * (and the attribute list when they overflow the record). */
static void relayout(ntfs_attr *na, s64 keep, const char *path)
{
    s64 cs = vol->cluster_size, n;
    LCN hint = vol->nr_clusters - 2;
    runlist *rl, *old;
    uint8_t *buf = malloc((size_t)cs);

    if (ntfs_attr_map_whole_runlist(na))
        die("map", path);
    n = (na->allocated_size + cs - 1) / cs;
    rl = calloc((size_t)n + 1, sizeof *rl);
    for (s64 i = 0; i < n; i++) {
        runlist *one;
        LCN from = ntfs_rl_vcn_to_lcn(na->rl, i);

        if (i < keep) {
            rl[i] = (runlist){ .vcn = i, .lcn = from, .length = 1 };
            continue;
        }
        for (;;) {
            one = ntfs_cluster_alloc(vol, i, 1, hint, DATA_ZONE);
            if (!one)
                die("cluster alloc", path);
            if (i == 0 || one[0].lcn != rl[i - 1].lcn + 1)
                break;
            /* Adjacent to the previous run: would merge; give it back. */
            ntfs_cluster_free_basic(vol, one[0].lcn, 1);
            free(one);
            hint--;
        }
        rl[i] = (runlist){ .vcn = i, .lcn = one[0].lcn, .length = 1 };
        hint = one[0].lcn - 2;
        free(one);
        if (ntfs_pread(vol->dev, from * cs, cs, buf) != cs ||
            ntfs_pwrite(vol->dev, rl[i].lcn * cs, cs, buf) != cs)
            die("cluster copy", path);
        if (ntfs_cluster_free_basic(vol, from, 1))
            die("free old cluster", path);
    }
    rl[n] = (runlist){ .vcn = n, .lcn = LCN_ENOENT, .length = 0 };
    old = na->rl;
    free(old);
    na->rl = rl;
    NAttrSetRunlistDirty(na);
    if (ntfs_attr_update_mapping_pairs(na, 0))
        die("mapping pairs", path);
    free(buf);
}

static void op_frag(const char *path, size_t size, unsigned seed)
{
    uint8_t *d = gen_data(size, seed);
    ntfs_inode *dir, *ni = create(path, S_IFREG, &dir);
    ntfs_attr *na;

    write_attr(ni, AT_DATA, AT_UNNAMED, 0, d, size, path);
    na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
    if (!na)
        die("open data", path);
    relayout(na, 0, path);
    ntfs_attr_close(na);
    done(ni, dir);
    expect(path, d, size);
    free(d);
}

static void op_link(const char *existing, const char *newpath)
{
    const char *leaf;
    ntfs_inode *ni = ntfs_pathname_to_inode(vol, NULL, existing);
    ntfs_inode *dir = open_parent(newpath, &leaf);
    ntfs_attr *na;
    uint8_t *d;
    int len;
    ntfschar *u = uname(leaf, &len);

    if (!ni || ntfs_link(ni, dir, u, (u8)len))
        die("cannot link", newpath);
    na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
    d = malloc((size_t)na->data_size + 1);
    if (ntfs_attr_pread(na, 0, na->data_size, d) != na->data_size)
        die("read back", existing);
    expect(newpath, d, (size_t)na->data_size);
    ntfs_attr_close(na);
    free(d);
    free(u);
    done(ni, dir);
}

static void op_sparse(const char *path, size_t size, unsigned seed)
{
    uint8_t *d = gen_data(size, seed);
    ntfs_inode *dir, *ni = create(path, S_IFREG, &dir);
    ntfs_attr *na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
    size_t piece = size / 8;

    memset(d + piece, 0, size - 2 * piece);
    if (!na || ntfs_attr_pwrite(na, 0, (s64)piece, d) != (s64)piece ||
        ntfs_attr_pwrite(na, (s64)(size - piece), (s64)piece, d + size - piece) != (s64)piece)
        die("sparse write", path);
    ntfs_attr_close(na);
    done(ni, dir);
    expect(path, d, size);
    free(d);
}

static void op_ads(const char *path, const char *name, size_t size, unsigned seed)
{
    ntfs_inode *ni = ntfs_pathname_to_inode(vol, NULL, path);
    uint8_t *d = gen_data(size, seed);
    int len;
    ntfschar *u = uname(name, &len);

    if (!ni)
        die("no file", path);
    write_attr(ni, AT_DATA, u, (u32)len, d, size, path);
    ntfs_inode_close(ni);
    free(u);
    free(d);
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

/* Junction (0xA0000003) or symlink (0xA000000C) reparse data. */
static void op_link_point(const char *path, const char *target, bool symlink)
{
    ntfs_inode *dir, *ni = create(path, symlink ? S_IFREG : S_IFDIR, &dir);
    uint8_t buf[2048] = { 0 };
    char subst[1024];
    ntfschar *us = NULL, *up = NULL;
    int ls, lp;
    size_t head = symlink ? 20 : 16, n;

    snprintf(subst, sizeof subst, "\\??\\%s", target);
    us = uname(subst, &ls);
    up = uname(target, &lp);
    put32(buf, symlink ? 0xA000000C : 0xA0000003);
    put16(buf + 8, 0);
    put16(buf + 10, (unsigned)ls * 2);
    put16(buf + 12, (unsigned)ls * 2 + (symlink ? 0 : 2));
    put16(buf + 14, (unsigned)lp * 2);
    memcpy(buf + head, us, (size_t)ls * 2);
    memcpy(buf + head + ls * 2 + (symlink ? 0 : 2), up, (size_t)lp * 2);
    n = head + (size_t)ls * 2 + (size_t)lp * 2 + (symlink ? 0 : 4);
    put16(buf + 4, (unsigned)(n - 8));
    if (ntfs_set_ntfs_reparse_data(ni, (const char *)buf, n, 0))
        die("cannot set reparse data on", path);
    free(us);
    free(up);
    done(ni, dir);
}

/* A WOF file: sparse unnamed $DATA of the full size, the chunks in
 * WofCompressedData, and the WOF reparse point (ntfs.md §13). */
static void op_wof(const char *path, size_t size, unsigned seed, const char *alg)
{
    uint8_t *d = gen_data(size, seed), *stream, rp[24] = { 0 };
    uint32_t chunk = strstr(alg, "8k") ? 8192 : strstr(alg, "16k") ? 16384
                     : strcmp(alg, "lzx") == 0 ? 32768 : 4096;
    uint32_t code = strcmp(alg, "lzx") == 0 ? 1 : chunk == 8192 ? 2 : chunk == 16384 ? 3 : 0;
    bool raw = strcmp(alg, "raw4k") == 0 || code == 1;
    size_t chunks = (size + chunk - 1) / chunk, table = chunks ? (chunks - 1) * 4 : 0;
    size_t pos = table;
    ntfs_inode *dir, *ni = create(path, S_IFREG, &dir);
    ntfs_attr *na;
    int len;
    ntfschar *u = uname("WofCompressedData", &len);

    stream = malloc(table + size + chunks * 64 + 16);
    for (size_t c = 0; c < chunks; c++) {
        size_t in = size - c * chunk < chunk ? size - c * chunk : chunk;
        size_t out = raw ? in : xpress_compress(d + c * chunk, in, stream + pos, in);

        if (out == 0 || out >= in) {
            memcpy(stream + pos, d + c * chunk, in);
            out = in;
        }
        pos += out;
        if (c + 1 < chunks)
            put32(stream + 4 * c, (uint32_t)(pos - table));
    }
    write_attr(ni, AT_DATA, u, (u32)len, stream, pos, path);
    na = ntfs_attr_open(ni, AT_DATA, AT_UNNAMED, 0);
    if (!na || ntfs_attr_truncate(na, (s64)size))
        die("cannot size", path);
    ntfs_attr_close(na);
    put32(rp, 0x80000017);
    put16(rp + 4, 16);
    put32(rp + 8, 1);
    put32(rp + 12, 2);
    put32(rp + 16, 1);
    put32(rp + 20, code);
    if (ntfs_set_ntfs_reparse_data(ni, (const char *)rp, sizeof rp, 0))
        die("cannot set WOF reparse point on", path);
    done(ni, dir);
    expect(path, d, size);
    free(u);
    free(d);
    free(stream);
}

/* Creates COUNT files, then scatters $MFT (all but the clusters of its
 * first 16 records) into one-cluster runs, so that its runlist overflows
 * record 0 and $MFT gets its own attribute list (ntfs.md §6). */
static void op_mftfrag(const char *dirpath, int count)
{
    char path[1024];

    op_mkdir(dirpath, false);
    for (int i = 0; i < count; i++) {
        char text[64];
        int n = snprintf(text, sizeof text, "mft file %d\n", i);

        snprintf(path, sizeof path, "%s/m%05d.txt", dirpath, i);
        put_bytes(path, (const uint8_t *)text, (size_t)n);
    }
    relayout(vol->mft_na, (16 * vol->mft_record_size + vol->cluster_size - 1) / vol->cluster_size,
             "$MFT");
}

int main(int argc, char **argv)
{
    int i = 2;

    if (argc < 2) {
        fprintf(stderr, "usage: ntfs-mkimg IMAGE OP ARGS...\n");
        return 2;
    }
    ntfs_log_set_handler(ntfs_log_handler_stderr);
    ntfs_log_set_levels(NTFS_LOG_LEVEL_ERROR | NTFS_LOG_LEVEL_PERROR | NTFS_LOG_LEVEL_CRITICAL);
    vol = ntfs_mount(argv[1], NTFS_MNT_NONE);
    if (!vol)
        die("cannot mount", argv[1]);
    NVolSetCompression(vol);
    while (i < argc) {
        const char *op = argv[i++];
#define ARG(k) (i + (k) < argc ? argv[i + (k)] : (die("missing argument for", op), ""))
        if (!strcmp(op, "mkdir")) {
            op_mkdir(ARG(0), false);
            i += 1;
        } else if (!strcmp(op, "compressdir")) {
            op_mkdir(ARG(0), true);
            i += 1;
        } else if (!strcmp(op, "gen")) {
            size_t n = strtoul(ARG(1), NULL, 0);
            uint8_t *d = gen_data(n, (unsigned)atoi(ARG(2)));
            put_bytes(ARG(0), d, n);
            free(d);
            i += 3;
        } else if (!strcmp(op, "put")) {
            op_put(ARG(0), ARG(1));
            i += 2;
        } else if (!strcmp(op, "text")) {
            put_bytes(ARG(0), (const uint8_t *)ARG(1), strlen(ARG(1)));
            i += 2;
        } else if (!strcmp(op, "many")) {
            op_many(ARG(0), atoi(ARG(1)), ARG(2), !strcmp(ARG(3), "dos"));
            i += 4;
        } else if (!strcmp(op, "frag")) {
            op_frag(ARG(0), strtoul(ARG(1), NULL, 0), (unsigned)atoi(ARG(2)));
            i += 3;
        } else if (!strcmp(op, "link")) {
            op_link(ARG(0), ARG(1));
            i += 2;
        } else if (!strcmp(op, "dosname")) {
            set_dos_name(ARG(0), ARG(1));
            i += 2;
        } else if (!strcmp(op, "sparse")) {
            op_sparse(ARG(0), strtoul(ARG(1), NULL, 0), (unsigned)atoi(ARG(2)));
            i += 3;
        } else if (!strcmp(op, "ads")) {
            op_ads(ARG(0), ARG(1), strtoul(ARG(2), NULL, 0), (unsigned)atoi(ARG(3)));
            i += 4;
        } else if (!strcmp(op, "junction") || !strcmp(op, "symlink")) {
            op_link_point(ARG(0), ARG(1), !strcmp(op, "symlink"));
            i += 2;
        } else if (!strcmp(op, "wof")) {
            op_wof(ARG(0), strtoul(ARG(1), NULL, 0), (unsigned)atoi(ARG(2)), ARG(3));
            i += 4;
        } else if (!strcmp(op, "mftfrag")) {
            op_mftfrag(ARG(0), atoi(ARG(1)));
            i += 2;
        } else if (!strcmp(op, "dirty")) {
            if (ntfs_volume_write_flags(vol, vol->flags | VOLUME_IS_DIRTY))
                die("cannot mark dirty", "");
        } else {
            fprintf(stderr, "ntfs-mkimg: unknown operation %s\n", op);
            return 2;
        }
    }
    if (ntfs_umount(vol, FALSE))
        die("umount", argv[1]);
    return 0;
}
