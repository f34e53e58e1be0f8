/* wtg-rescue make-togo: a Windows To Go stick from Linux. Check the image,
 * check and wipe the stick (asking first), GPT + FAT32 ESP + NTFS Windows
 * (+ FAT32 data), apply the image with wimlib, the To Go flags in SYSTEM,
 * the BCD and boot files through the engine, the rescue app, a report. */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "togo.h"

static int help(FILE *out)
{
    fprintf(out,
        "usage: wtg-rescue make-togo --image install.wim|install.esd [--index N]\n"
        "           --stick DEV|IMG [--size SIZE] [--data-partition SIZE] [--app APP.efi]\n"
        "           [--yes]\n"
        "       wtg-rescue make-togo --repair-only --stick DEV|IMG [--app APP.efi]\n"
        "       wtg-rescue make-togo --image FILE --list\n"
        "\n"
        "Builds a Windows To Go stick: checks the image (its integrity table when it has\n"
        "one, then every file's hash), lists its editions, refuses a mounted or internal\n"
        "disk or one too small, shows the disk and asks before wiping (unless --yes);\n"
        "GPT with a FAT32 ESP (%u MiB), an NTFS Windows partition and, with\n"
        "--data-partition SIZE, a FAT32 data partition at the end; applies index N with\n"
        "wimlib; sets PortableOperatingSystem=1, SanPolicy=4 and BootDriverFlags|=0x14 in\n"
        "SYSTEM (the old hive kept as config\\SYSTEM.wtg-rescue-N.bak; a dirty hive is\n"
        "first recovered from its logs); writes the BCD and boot files as `wtg-rescue\n"
        "rebuild` does (UEFI); installs the rescue app as \\EFI\\BOOT\\BOOTX64.EFI with\n"
        "`default togo`; then what bcdboot /f ALL writes for BIOS, from the image's\n"
        "\\Windows\\Boot\\PCAT (skipped when it has none): \\bootmgr, \\Boot\\..., and\n"
        "\\Boot\\BCD. That BIOS set is for parity only: the stick is GPT, without MBR boot\n"
        "code, so a BIOS PC does not start it. Saves a report on the ESP\n"
        "(\\wtg-rescue\\make-togo-report.txt).\n"
        "\n"
        "  --size SIZE       an image file is created or grown to SIZE (e.g. 64G, 600M);\n"
        "                    a new image without --size is 32G (sparse), the Windows To Go\n"
        "                    minimum; smaller sticks are allowed with a warning. Never\n"
        "                    shrinks a file; refused for a block device (used whole)\n"
        "  --app APP.efi     the rescue app (default: wtg-rescue.efi beside this program)\n"
        "  --repair-only     redo the flags, BCD, boot files and app on an existing To Go\n"
        "                    stick; the Windows partition's files are not touched (except\n"
        "                    SYSTEM and its backup)\n"
        "\n"
        "Unlike the rest of wtg-rescue, make-togo WRITES NTFS: through libntfs-3g (wimlib's\n"
        "apply, and the SYSTEM hive). It does so only on the stick it is building.\n"
        "On an image file the NTFS partition is built in a sparse side file IMG.ntfs.*\n"
        "and copied in. WTG_TOGO_FAKE_SYSFS=\"removable=0,bus=ata\" makes the target\n"
        "look internal (for tests of the refusal).\n"
        "\n"
        "exit status: 0 done, 2 usage, 3 I/O, 5 bad image or index, 6 refused (nothing\n"
        "             written), 7 a step failed (the message says which, and the state)\n",
        TOGO_ESP_MIB);
    return out == stdout ? EXIT_OK : EXIT_USAGE;
}

static int parse(int argc, char **argv, struct togo_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return help(stdout) - 1;
        if (!strcmp(a, "--yes"))
            o->yes = true;
        else if (!strcmp(a, "--repair-only"))
            o->repair_only = true;
        else if (!strcmp(a, "--list"))
            o->list_only = true;
        else if (!strcmp(a, "--image"))
            slot = &o->image;
        else if (!strcmp(a, "--stick"))
            slot = &o->stick;
        else if (!strcmp(a, "--size"))
            slot = &o->size;
        else if (!strcmp(a, "--data-partition"))
            slot = &o->data_size;
        else if (!strcmp(a, "--app"))
            slot = &o->app;
        else if (!strcmp(a, "--index") && i + 1 < argc)
            o->index = atoi(argv[++i]);
        else {
            fprintf(stderr, "make-togo: unknown option %s\n", a);
            return help(stderr);
        }
        if (slot) {
            if (i + 1 >= argc) {
                fprintf(stderr, "make-togo: %s needs a value\n", a);
                return help(stderr);
            }
            *slot = argv[++i];
        }
    }
    if (o->repair_only && (o->size || o->data_size)) {
        fprintf(stderr, "make-togo: --size and --data-partition are for building a stick; "
                        "--repair-only keeps the partitions it finds\n");
        return EXIT_USAGE;
    }
    if ((!o->image && !o->repair_only) || (!o->stick && !o->list_only) || (o->size && !togo_parse_size(o->size)) ||
        (o->data_size && !togo_parse_size(o->data_size)))
        return help(stderr);
    return 0;
}

static const char *default_app(char *buf, size_t size)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return "wtg-rescue.efi";
    self[n] = 0;
    wr_format(buf, size, "%s/wtg-rescue.efi", dirname(self));
    /* build/asan/bin/wtg-rescue: the app is in build/ */
    if (access(buf, R_OK))
        wr_format(buf, size, "%s/../../wtg-rescue.efi", self);
    return buf;
}

static int stopped(const char *step, const char *state, int rc)
{
    fprintf(stderr, "make-togo: stopped at \"%s\". State of the stick: %s\n", step, state);
    return rc;
}

static int build(const struct togo_opts *o, struct togo_stick *st,
                 const struct togo_wim_info *wi, struct togo_summary *s)
{
    uint64_t data = o->data_size ? togo_parse_size(o->data_size) : 0;
    const char *wiped = "wiped: the old contents are gone; run make-togo again";
    char side[4200];
    int rc;

    /* ESP, GPT slack, NTFS metadata and ~15% for the MFT and clusters. */
    uint64_t need = (TOGO_ESP_MIB + 66) * TOGO_MIB + wi->total_bytes + wi->total_bytes / 7 + data;
    if ((rc = togo_check_target(st, o->size ? togo_parse_size(o->size) : 0, need)))
        return rc;
    if ((rc = togo_confirm(st, o->yes)))
        return rc;
    if (togo_partition(st, data))
        return stopped("partition", "the partition table may be half-written; nothing else "
                                    "was changed", EXIT_FAILED_T);
    if (togo_find_parts(st) || togo_format(st))
        return stopped("format", wiped, EXIT_FAILED_T);
    togo_say(s, "Stick: %s, %llu MiB, GPT", st->path, (unsigned long long)(st->bytes / TOGO_MIB));
    togo_say(s, "  1 ESP FAT32 %llu MiB, GUID %s", (unsigned long long)(st->esp.bytes / TOGO_MIB),
             st->esp.guid);
    togo_say(s, "  2 Windows NTFS %llu MiB, GUID %s",
             (unsigned long long)(st->win.bytes / TOGO_MIB), st->win.guid);
    if (st->has_data)
        togo_say(s, "  3 Data FAT32 %llu MiB, GUID %s",
                 (unsigned long long)(st->data.bytes / TOGO_MIB), st->data.guid);
    if (togo_ntfs_open_side(st, false, side, sizeof side))
        return stopped("format", wiped, EXIT_FAILED_T);
    {
        char start[32], *argv[] = { "mkntfs", "-q", "-F", "-Q", "-L", "Windows", "-p", start,
                                    "-H", "255", "-S", "63", side, NULL };
        wr_format(start, sizeof start, "%llu", (unsigned long long)(st->win.offset / 512));
        if (togo_run("format NTFS (mkntfs)", argv)) {
            togo_ntfs_close_side(st, side, false);
            return stopped("format", wiped, EXIT_FAILED_T);
        }
    }
    printf("Applying index %d (%s) to the NTFS partition:\n", o->index, wi->name);
    if (togo_wim_apply(o->image, o->index, side) || togo_set_flags(side, s)) {
        togo_ntfs_close_side(st, side, false);
        return stopped("apply the image / set the To Go flags",
                       "partitioned and formatted; the Windows partition is incomplete", EXIT_FAILED_T);
    }
    togo_say(s, "Windows: index %d (%s) of %s applied", o->index, wi->name, o->image);
    if (togo_ntfs_close_side(st, side, true))
        return stopped("copy the Windows partition in", "the Windows partition is incomplete",
                       EXIT_FAILED_T);
    return 0;
}

static int repair(struct togo_stick *st, struct togo_summary *s)
{
    char side[4200];
    int rc;

    if ((rc = togo_check_target(st, 0, 0)))
        return rc;
    if (togo_find_parts(st) || !st->esp.bytes || !st->win.bytes)
        return stopped("find the stick's partitions", "unchanged", EXIT_FAILED_T);
    togo_say(s, "Stick: %s (repair only: the Windows files were not replaced)", st->path);
    if (togo_ntfs_open_side(st, true, side, sizeof side))
        return stopped("read the Windows partition", "unchanged", EXIT_FAILED_T);
    if (togo_set_flags(side, s)) {
        togo_ntfs_close_side(st, side, false);
        /* A side copy is dropped; a partition node was written in place. */
        return stopped("set the To Go flags",
                       st->win.node[0] ? "the boot files are unchanged; SYSTEM is as the "
                                         "message above says (written in place)"
                                       : "unchanged (the edit was made in a copy, now dropped)",
                       EXIT_FAILED_T);
    }
    if (togo_ntfs_close_side(st, side, true))
        return stopped("write SYSTEM back", "SYSTEM may be half-written; its backup is beside it",
                       EXIT_FAILED_T);
    return 0;
}

int wtg_cmd_make_togo(int argc, char **argv)
{
    struct togo_opts o = { 0 };
    struct togo_stick st = { 0 };
    struct togo_wim_info wi;
    struct togo_summary s = { 0 };
    char appbuf[4200];
    const char *state = "Windows is on the stick, its boot files are not complete; run again "
                        "with --repair-only";
    int rc = parse(argc, argv, &o);

    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    /* Progress and errors interleave in the order they happened. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!o.app)
        o.app = default_app(appbuf, sizeof appbuf);
    if (!o.repair_only || o.list_only) {
        if ((rc = togo_wim_check(o.image, o.list_only ? 0 : o.index, o.list_only, &wi)))
            return rc;
        if (o.list_only)
            return EXIT_OK;
        o.index = wi.index;
        if (!o.index) {
            fprintf(stderr, "make-togo: the WIM has %d images; choose one with --index N "
                            "(nothing was written)\n", wi.n_images);
            return EXIT_USAGE;
        }
    }
    if (access(o.app, R_OK)) {
        fprintf(stderr, "make-togo: the rescue app %s is not readable (--app); nothing was "
                        "written\n", o.app);
        return EXIT_USAGE;
    }
    wr_format(st.path, sizeof st.path, "%s", o.stick);
    togo_say(&s, "wtg-rescue make-togo report");
    rc = o.repair_only ? repair(&st, &s) : build(&o, &st, &wi, &s);
    if (!rc && (rc = togo_boot(&st, o.app, &s, &state)))
        stopped("boot files and BCD", state, rc);
    if (!rc) {
        togo_say(&s, "Result: done. Boot the stick; its menu starts Windows To Go by default.");
        printf("\n%s", s.t.data);
        togo_save_report(&st, &s);
    }
    wr_text_free(&s.t);
    return rc;
}
