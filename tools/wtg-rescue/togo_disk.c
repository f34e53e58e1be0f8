/* make-togo's target: is it safe to wipe, the GPT, the filesystems, and
 * the NTFS partition as a file for wimlib and libntfs-3g. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/fs.h>

#include "../common/filedev.h"
#include "base/guid.h"
#include "disk/fsprobe.h"
#include "disk/partition.h"
#include "togo.h"

#define BLOCK (64u * 1024)

static void read_line(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    buf[0] = 0;
    if (f) {
        if (!fgets(buf, (int)size, f))
            buf[0] = 0;
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = 0;
}

/* WTG_TOGO_FAKE_SYSFS="removable=0,bus=ata" stands in for the sysfs
 * answers (tests make an image look like an internal disk). */
static bool fake_sysfs(int *removable, char *bus, size_t size)
{
    const char *f = getenv("WTG_TOGO_FAKE_SYSFS"), *p;
    if (!f || !*f)
        return false;
    if ((p = strstr(f, "removable=")))
        *removable = atoi(p + 10);
    if ((p = strstr(f, "bus=")))
        wr_format(bus, size, "%.*s", (int)strcspn(p + 4, ","), p + 4);
    return true;
}

/* The sysfs directory of a block device node (its real path, whose parents
 * name the bus), found by the node's device number: the node's own name (a
 * /dev/disk/by-id link, a node made with mknod) need not match sysfs. ""
 * when sysfs does not know the number; why in why. */
static void sysfs_dir(const char *dev, char dir[4096], char *why, size_t size)
{
    struct stat st;
    char p[64];

    dir[0] = 0;
    if (stat(dev, &st)) {
        wr_format(why, size, "%s", strerror(errno));
        return;
    }
    if (!S_ISBLK(st.st_mode)) {
        wr_format(why, size, "not a block device");
        return;
    }
    wr_format(p, sizeof p, "/sys/dev/block/%u:%u", major(st.st_rdev), minor(st.st_rdev));
    if (!realpath(p, dir)) {
        wr_format(why, size, "sysfs has no block device %u:%u (%s: %s)", major(st.st_rdev),
                  minor(st.st_rdev), p, strerror(errno));
        dir[0] = 0;
    }
}

static void sysfs_facts(const char *dir, int *removable, char *bus, size_t size)
{
    char path[4200], buf[32];

    wr_format(path, sizeof path, "%s/removable", dir);
    read_line(path, buf, sizeof buf);
    *removable = atoi(buf);
    wr_format(bus, size, "%s", strstr(dir, "/usb") ? "usb" : strstr(dir, "/mmc") ? "mmc"
                                   : strstr(dir, "/nvme") ? "nvme" : strstr(dir, "/ata") ? "ata"
                                   : strstr(dir, "/virtual/") ? "virtual" : "other");
}

/* The device numbers of a disk and its partitions, read from sysfs: a
 * mount names its device by number in mountinfo, whatever path (a
 * /dev/disk/by-id link, another node) was given to mount. */
struct devset {
    dev_t v[130];
    size_t n;
    char holder[64];    /* the first holder met (dm-crypt, LVM, md), "" */
};

static void add_dev(struct devset *s, const char *sysdir)
{
    char p[4200], buf[32];
    unsigned maj, min;

    wr_format(p, sizeof p, "%s/dev", sysdir);
    read_line(p, buf, sizeof buf);
    if (sscanf(buf, "%u:%u", &maj, &min) == 2 && s->n < sizeof s->v / sizeof s->v[0])
        s->v[s->n++] = makedev(maj, min);
}

static void first_holder(struct devset *s, const char *sysdir)
{
    char p[4200];
    DIR *d;
    struct dirent *e;

    wr_format(p, sizeof p, "%s/holders", sysdir);
    if (*s->holder || !(d = opendir(p)))
        return;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            wr_format(s->holder, sizeof s->holder, "%s", e->d_name);
            break;
        }
    closedir(d);
}

/* dir: the disk's sysfs directory (sysfs_dir); partitions are the
 * subdirectories with a "partition" file. */
static void disk_devs(const char *dir, struct devset *s)
{
    char sub[4200];
    DIR *d;
    struct dirent *e;

    memset(s, 0, sizeof *s);
    add_dev(s, dir);
    first_holder(s, dir);
    if (!(d = opendir(dir)))
        return;
    while ((e = readdir(d))) {
        wr_format(sub, sizeof sub, "%s/%s/partition", dir, e->d_name);
        if (e->d_name[0] == '.' || access(sub, F_OK))
            continue;
        wr_format(sub, sizeof sub, "%s/%s", dir, e->d_name);
        add_dev(s, sub);
        first_holder(s, sub);
    }
    closedir(d);
}

static bool in_set(const struct devset *s, dev_t dev)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == dev)
            return true;
    return false;
}

/* A block device node (any path) for one of the set. */
static bool names_set(const struct devset *s, const char *path)
{
    struct stat st;
    return path[0] == '/' && stat(path, &st) == 0 && S_ISBLK(st.st_mode) &&
           in_set(s, st.st_rdev);
}

/* A mount of the disk or a partition: by number (mountinfo's third field),
 * or by its source when that is a node (btrfs shows its own numbers). */
static bool mounted(const struct devset *s, char *what, size_t size)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[8192];
    bool hit = false;

    while (f && !hit && fgets(line, sizeof line, f)) {
        unsigned maj, min;
        char mnt[4096] = "", *dash = strstr(line, " - "), src[4096] = "";
        if (sscanf(line, "%*s %*s %u:%u %*s %4095s", &maj, &min, mnt) != 3)
            continue;
        if (dash)
            sscanf(dash + 3, "%*s %4095s", src);
        hit = in_set(s, makedev(maj, min)) || names_set(s, src);
        if (hit)
            wr_format(what, size, "is mounted (%s on %s)", src, mnt);
    }
    if (f)
        fclose(f);
    return hit;
}

static bool swapped(const struct devset *s, char *what, size_t size)
{
    FILE *f = fopen("/proc/swaps", "r");
    char line[4096], name[4096];
    bool hit = false;

    while (f && !hit && fgets(line, sizeof line, f))
        if (sscanf(line, "%4095s", name) == 1 && (hit = names_set(s, name)))
            wr_format(what, size, "is in use as swap (%s)", name);
    if (f)
        fclose(f);
    return hit;
}

/* Mounted, swap, or held by another block device (device mapper: dm-crypt
 * or LVM; md RAID) through the disk or any partition. s: non-empty. */
static bool in_use(const struct devset *s, char *what, size_t size)
{
    if (mounted(s, what, size) || swapped(s, what, size))
        return true;
    if (*s->holder)
        wr_format(what, size, "is held by %s (device mapper or RAID: dm-crypt, LVM, md)",
                  s->holder);
    return *s->holder != 0;
}

/* An image attached to a loop device is in use by whoever attached it. */
static bool image_attached(const char *path, char *loop, size_t size)
{
    char real[4096], p[512], back[4096];
    DIR *d = opendir("/sys/block");
    struct dirent *e;
    bool hit = false;

    if (!d || !realpath(path, real)) {
        if (d)
            closedir(d);
        return false;
    }
    while (!hit && (e = readdir(d))) {
        if (strncmp(e->d_name, "loop", 4))
            continue;
        wr_format(p, sizeof p, "/sys/block/%s/loop/backing_file", e->d_name);
        read_line(p, back, sizeof back);
        if ((hit = !strcmp(back, real)))
            wr_format(loop, size, "/dev/%s", e->d_name);
    }
    closedir(d);
    return hit;
}

/* Only looks: the file is made or grown after the user said yes. */
static int size_image(struct togo_stick *st, uint64_t want)
{
    struct stat s;
    uint64_t have = 0;

    if (stat(st->path, &s) == 0)
        have = (uint64_t)s.st_size;
    else if (!want)
        want = TOGO_DEFAULT_IMAGE;  /* sparse: costs only what is written */
    if (want && want < have) {
        fprintf(stderr, "make-togo: --size %llu MiB is less than the image file %s (%llu MiB); "
                        "make-togo grows a file but never shrinks one: leave --size out to use "
                        "all of it (nothing was written)\n", (unsigned long long)(want / TOGO_MIB),
                st->path, (unsigned long long)(have / TOGO_MIB));
        return EXIT_USAGE_T;
    }
    st->grow_to = want > have ? want : 0;
    st->bytes = want > have ? want : have;
    return 0;
}

static int grow_image(const struct togo_stick *st)
{
    int fd = open(st->path, O_RDWR | O_CREAT, 0644);

    if (fd < 0 || ftruncate(fd, (off_t)st->grow_to)) {
        fprintf(stderr, "make-togo: %s: cannot make it %llu bytes: %s\n", st->path,
                (unsigned long long)st->grow_to, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* Without the set of device numbers nothing can be said about mounts:
 * refuse rather than wipe a disk that may be in use. */
static int check_block(struct togo_stick *st, char sys[4096])
{
    char real[4096], p[4200], what[8300];
    struct devset s;
    int fd;

    if (!realpath(st->path, real)) {
        fprintf(stderr, "make-togo: %s: %s\n", st->path, strerror(errno));
        return EXIT_IO_T;
    }
    wr_format(st->path, sizeof st->path, "%s", real);
    sysfs_dir(st->path, sys, what, sizeof what);
    if (*sys) {
        disk_devs(sys, &s);
        if (!s.n)
            wr_format(what, sizeof what, "%s/dev gives no device number", sys);
    }
    if (!*sys || !s.n) {
        fprintf(stderr, "make-togo: cannot tell whether %s is in use: %s; refusing "
                        "(nothing was written)\n", st->path, what);
        return EXIT_REFUSED_T;
    }
    wr_format(p, sizeof p, "%s/partition", sys);
    if (access(p, F_OK) == 0) {
        fprintf(stderr, "make-togo: refused: %s is a partition; give the whole stick "
                        "(nothing was written)\n", st->path);
        return EXIT_REFUSED_T;
    }
    if (in_use(&s, what, sizeof what)) {
        fprintf(stderr, "make-togo: refused: %s or one of its partitions %s; unmount or close "
                        "it first (nothing was written)\n", st->path, what);
        return EXIT_REFUSED_T;
    }
    fd = open(st->path, O_RDONLY);
    if (fd < 0 || ioctl(fd, BLKGETSIZE64, &st->bytes)) {
        fprintf(stderr, "make-togo: %s: %s\n", st->path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return EXIT_IO_T;
    }
    close(fd);
    return 0;
}

int togo_check_target(struct togo_stick *st, uint64_t want, uint64_t need)
{
    struct stat s;
    int removable = 1, rc;
    char bus[32] = "image", loop[64], sys[4096];

    st->is_block = stat(st->path, &s) == 0 && S_ISBLK(s.st_mode);
    if (st->is_block) {
        if ((rc = check_block(st, sys)))
            return rc;
        /* Partitioning less than the disk would leave the GPT's backup at
         * the end of a disk Windows sees whole: say so instead. */
        if (want) {
            fprintf(stderr, "make-togo: --size is for image files; the disk %s is used whole "
                            "(%llu MiB): leave --size out (nothing was written)\n", st->path,
                    (unsigned long long)(st->bytes / TOGO_MIB));
            return EXIT_USAGE_T;
        }
        sysfs_facts(sys, &removable, bus, sizeof bus);
    } else if (stat(st->path, &s) == 0 && !S_ISREG(s.st_mode)) {
        fprintf(stderr, "make-togo: refused: %s is neither a disk nor an image file\n", st->path);
        return EXIT_REFUSED_T;
    } else if (image_attached(st->path, loop, sizeof loop)) {
        fprintf(stderr, "make-togo: refused: %s is attached as %s; detach it first "
                        "(nothing was written)\n", st->path, loop);
        return EXIT_REFUSED_T;
    }
    fake_sysfs(&removable, bus, sizeof bus);
    if (!removable && strcmp(bus, "usb") && strcmp(bus, "image")) {
        fprintf(stderr, "make-togo: refused: %s looks like an internal disk (removable=0, "
                        "bus %s); make-togo only wipes USB sticks and image files "
                        "(nothing was written)\n", st->path, bus);
        return EXIT_REFUSED_T;
    }
    if (!st->is_block && (rc = size_image(st, want)))
        return rc;
    if (st->bytes < need) {
        fprintf(stderr, "make-togo: refused: %s holds %llu MiB; this image needs at least "
                        "%llu MiB (nothing was written)\n", st->path,
                (unsigned long long)(st->bytes / TOGO_MIB),
                (unsigned long long)((need + TOGO_MIB - 1) / TOGO_MIB));
        return EXIT_REFUSED_T;
    }
    if (st->bytes < 32ull * 1024 * TOGO_MIB)
        fprintf(stderr, "make-togo: note: %llu MiB is below the 32 GB Windows To Go asks "
                        "for; Windows will run short of space\n",
                (unsigned long long)(st->bytes / TOGO_MIB));
    return 0;
}

/* What the wipe will destroy: each partition with its size, name and
 * filesystem (label), so the user can recognise the disk. */
static void show_contents(const char *path)
{
    struct wr_filedev f;
    struct wr_partition_table *t = calloc(1, sizeof *t);
    struct wr_err err = { 0 };

    if (!t || wr_filedev_open(&f, path, false, 0, &err)) {
        printf("  (a new image file)\n");
        free(t);
        return;
    }
    if (wr_partition_table_read(&f.dev, t, &err) || t->kind == WR_TABLE_NONE) {
        printf("  no partition table (blank or unknown contents)\n");
    } else {
        printf("  %s partition table, %u partition(s):\n",
               t->kind == WR_TABLE_GPT ? "GPT" : "MBR", t->count);
        for (uint32_t i = 0; i < t->count; i++) {
            const struct wr_partition *p = &t->parts[i];
            struct wr_blockdev_slice sl;
            struct wr_fs_info fs = { 0 };
            if (!wr_blockdev_slice_init(&sl, &f.dev, p->first_lba, p->sector_count, "part",
                                        NULL))
                wr_fs_probe(&sl.dev, &fs, NULL);
            printf("    %u: %llu MiB, %s%s%s%s, partition name \"%s\"\n", p->number,
                   (unsigned long long)(p->sector_count * f.dev.sector_size / TOGO_MIB),
                   wr_fs_name(fs.kind), *fs.label ? " \"" : "", fs.label, *fs.label ? "\"" : "",
                   p->name);
        }
    }
    wr_filedev_close(&f);
    free(t);
}

int togo_confirm(const struct togo_stick *st, bool yes)
{
    char model[128] = "", sys[4096], why[256], p[4200], answer[16];

    if (st->is_block) {
        sysfs_dir(st->path, sys, why, sizeof why);
        wr_format(p, sizeof p, "%s/device/model", sys);
        if (*sys)
            read_line(p, model, sizeof model);
    }
    printf("Target: %s%s%s, %llu MiB (%.1f GB)\n", st->path, *model ? " " : "", model,
           (unsigned long long)(st->bytes / TOGO_MIB), (double)st->bytes / 1e9);
    show_contents(st->path);
    printf("Everything on it will be erased.\n");
    if (yes)
        return 0;
    printf("Type YES to wipe it: ");
    fflush(stdout);
    if (!fgets(answer, sizeof answer, stdin) || strcmp(answer, "YES\n")) {
        fprintf(stderr, "make-togo: cancelled; nothing was written\n");
        return EXIT_REFUSED_T;
    }
    return 0;
}

int togo_partition(struct togo_stick *st, uint64_t data_bytes)
{
    char esp[32], win[32], data[32];
    char *zap[] = { "sgdisk", "--zap-all", st->path, NULL };
    char *argv[24] = { "sgdisk", "-o", "-n", esp, "-t", "1:EF00", "-c",
                       "1:EFI system partition", "-n", win, "-t", "2:0700", "-c",
                       "2:Windows To Go" };
    size_t n = 14;

    wr_format(esp, sizeof esp, "1:2048:+%uM", TOGO_ESP_MIB);
    if (data_bytes) {
        wr_format(win, sizeof win, "2:0:-%lluM", (unsigned long long)(data_bytes / TOGO_MIB));
        wr_format(data, sizeof data, "3:0:0");
        argv[n++] = "-n", argv[n++] = data, argv[n++] = "-t", argv[n++] = "3:0700";
        argv[n++] = "-c", argv[n++] = "3:Data";
    } else {
        wr_format(win, sizeof win, "2:0:0");
    }
    argv[n++] = st->path;
    argv[n] = NULL;
    if (st->grow_to && grow_image(st))
        return -1;
    /* zap-all fails on a blank disk with nothing to zap: not an error. */
    togo_run("clearing the old partition table", zap);
    if (togo_run("partitioning (sgdisk)", argv))
        return -1;
    if (st->is_block) {
        char *reread[] = { "blockdev", "--rereadpt", st->path, NULL };
        if (togo_run("re-reading the partition table", reread))
            return -1;
    }
    return 0;
}

static void part_of(const struct togo_stick *st, const struct wr_partition_table *t,
                    uint32_t num, uint32_t ss, struct togo_part *out)
{
    const struct wr_partition *p = wr_partition_find(t, num);
    size_t len = strlen(st->path);

    memset(out, 0, sizeof *out);
    if (!p)
        return;
    out->offset = p->first_lba * ss;
    out->bytes = p->sector_count * ss;
    wr_guid_format(&p->part_guid, out->guid, false);
    if (!st->is_block)
        return;
    wr_format(out->node, sizeof out->node, "%s%s%u", st->path,
              len && st->path[len - 1] >= '0' && st->path[len - 1] <= '9' ? "p" : "", num);
    /* udev makes the node; without udev (containers) it never comes, and
     * the partition is written at its offset on the whole disk instead. */
    for (int i = 0; i < 50 && access(out->node, F_OK); i++)
        usleep(100 * 1000);
    if (access(out->node, F_OK))
        out->node[0] = 0;
}

int togo_find_parts(struct togo_stick *st)
{
    struct wr_filedev f;
    struct wr_partition_table *t = calloc(1, sizeof *t);
    struct wr_err err = { 0 };
    int rc = 0;

    if (!t || wr_filedev_open(&f, st->path, false, 0, &err)) {
        fprintf(stderr, "make-togo: reading the partition table of %s: %s\n", st->path,
                t ? err.msg : "out of memory");
        free(t);
        return -1;
    }
    if (wr_partition_table_read(&f.dev, t, &err) || t->kind != WR_TABLE_GPT || t->count < 2) {
        fprintf(stderr, "make-togo: %s: no GPT with an ESP and a Windows partition%s%s\n",
                st->path, err.msg[0] ? ": " : "", err.msg);
        rc = -1;
    } else {
        part_of(st, t, 1, f.dev.sector_size, &st->esp);
        part_of(st, t, 2, f.dev.sector_size, &st->win);
        part_of(st, t, 3, f.dev.sector_size, &st->data);
        st->has_data = st->data.bytes != 0;
    }
    if (!st->bytes)
        st->bytes = f.dev.sector_count * f.dev.sector_size;
    wr_filedev_close(&f);
    free(t);
    return rc;
}

static int mkfat(const struct togo_stick *st, const struct togo_part *p, const char *label,
                 const char *step)
{
    char off[32], blocks[32];
    char *argv[16] = { "mkfs.fat", "-F", "32", "-n", (char *)label };
    size_t n = 5;

    /* Small partitions need one-sector clusters to reach FAT32's minimum. */
    if (p->bytes < 512 * TOGO_MIB)
        argv[n++] = "-s", argv[n++] = "1";
    if (p->node[0]) {
        argv[n++] = (char *)p->node;
    } else {
        /* Hidden sectors = the partition's start, as on a real disk. */
        wr_format(off, sizeof off, "--offset=%llu", (unsigned long long)(p->offset / 512));
        argv[n++] = "-h", argv[n++] = off + 9;
        wr_format(blocks, sizeof blocks, "%llu", (unsigned long long)(p->bytes / 1024));
        argv[n++] = off, argv[n++] = (char *)st->path, argv[n++] = blocks;
    }
    argv[n] = NULL;
    return togo_run(step, argv);
}

int togo_format(const struct togo_stick *st)
{
    if (mkfat(st, &st->esp, "WTGESP", "format the ESP (mkfs.fat)"))
        return -1;
    if (st->has_data && mkfat(st, &st->data, "WTGDATA", "format the data partition (mkfs.fat)"))
        return -1;
    return 0;
}

/* --- the NTFS partition as a file ------------------------------------ */

static int copy_blocks(int from, uint64_t from_off, int to, uint64_t to_off, uint64_t bytes,
                       bool only_changed)
{
    static uint8_t a[BLOCK], b[BLOCK], zero[BLOCK];

    for (uint64_t at = 0; at < bytes; at += BLOCK) {
        size_t n = bytes - at < BLOCK ? (size_t)(bytes - at) : BLOCK;
        if (pread(from, a, n, (off_t)(from_off + at)) != (ssize_t)n)
            return -1;
        if (only_changed) {
            ssize_t got = pread(to, b, n, (off_t)(to_off + at));
            if (got == (ssize_t)n && !memcmp(a, b, n))
                continue;
        } else if (!memcmp(a, zero, n)) {
            continue;  /* keep the side file sparse */
        }
        if (pwrite(to, a, n, (off_t)(to_off + at)) != (ssize_t)n)
            return -1;
    }
    return 0;
}

int togo_ntfs_open_side(const struct togo_stick *st, bool copy_in, char *out, size_t size)
{
    int fd, img;

    const char *tmp = getenv("TMPDIR");

    if (st->win.node[0]) {
        wr_format(out, size, "%s", st->win.node);
        return 0;
    }
    /* Beside an image (same filesystem, likely room); never inside /dev. */
    if (st->is_block)
        wr_format(out, size, "%s/wtg-togo-ntfs.XXXXXX", tmp && *tmp ? tmp : "/var/tmp");
    else
        wr_format(out, size, "%s.ntfs.XXXXXX", st->path);
    fd = mkstemp(out);
    if (fd < 0 || ftruncate(fd, (off_t)st->win.bytes)) {
        fprintf(stderr, "make-togo: a side file for the NTFS partition: %s\n", strerror(errno));
        return -1;
    }
    if (copy_in) {
        img = open(st->path, O_RDONLY);
        if (img < 0 || copy_blocks(img, st->win.offset, fd, 0, st->win.bytes, false)) {
            fprintf(stderr, "make-togo: reading the Windows partition: %s\n", strerror(errno));
            if (img >= 0)
                close(img);
            close(fd);
            unlink(out);
            return -1;
        }
        close(img);
    }
    close(fd);
    return 0;
}

int togo_ntfs_close_side(const struct togo_stick *st, const char *side, bool write_back)
{
    int fd, img, rc = 0;

    if (st->win.node[0])
        return 0;
    if (write_back) {
        fd = open(side, O_RDONLY);
        img = open(st->path, O_RDWR);
        if (fd < 0 || img < 0 || copy_blocks(fd, 0, img, st->win.offset, st->win.bytes, true) ||
            fsync(img)) {
            fprintf(stderr, "make-togo: writing the Windows partition into %s: %s\n", st->path,
                    strerror(errno));
            rc = -1;
        }
        if (fd >= 0)
            close(fd);
        if (img >= 0)
            close(img);
    }
    unlink(side);
    return rc;
}
