/* wtg-rescue (Linux): look inside Windows disks the way the rescue stick does. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static int usage(FILE *out)
{
    fprintf(out,
            "usage: wtg-rescue COMMAND ...\n"
            "  ls [-l] [--dos] DISK[:PART] PATH   list an NTFS directory (or describe a file)\n"
            "  cat DISK[:PART] PATH               write a file's contents to stdout\n"
            "  scan [--json] DISK...              disks, partitions and the Windows found\n"
            "  diagnose [--json] DISKS            findings (failure-mode ids) and the boot verdict\n"
            "  repair [--apply] [--only ACTION] DISKS    plan the repairs; run them with --apply\n"
            "  rebuild --windows DISK:PART [--esp DISK:PART] [--firmware uefi|bios|all]\n"
            "          [--apply] DISKS            bcdboot offline (/f: uefi by default)\n"
            "  undo BACKUP_DIR [--apply] DISKS    restore a backup from the stick\n"
            "  report [--json] DISKS              findings + plan, saved on the stick\n"
            "  rescue-files DISK:PART --user NAME --to DIR [--folders a,b]   copy a user's\n"
            "                                     folders to DIR/NAME with MANIFEST.txt\n"
            "  make-togo --image WIM --stick DEV|IMG ...   a Windows To Go stick (see --help)\n"
            "  install --stick DEV|IMG [--apply]   add the rescue menu to a To Go stick\n"
            "  uninstall --stick DEV|IMG [--apply] put the stick back as it was\n"
            "  DISKS: --disk IMG (repeatable) or block devices, --stick IMG (backups and\n"
            "  reports), --nvram DIR (variables as efivarfs files). Read-only without --apply.\n"
            "\n"
            "DISK is a disk image or a block device; PART a partition number (GPT entry\n"
            "index + 1, or MBR 1-4 primary, 5+ logical). Without PART the whole DISK is\n"
            "the volume. PATH uses '\\' or '/' and is case-insensitive, as on Windows.\n"
            "Junctions and symbolic links are shown, never followed.\n"
            "\n"
            "exit status: 0 ok, 1 not found, 2 usage, 3 disk unreadable,\n"
            "             4 encrypted or unsupported (BitLocker, ReFS, LZX, a link),\n"
            "             5 corrupt structure (the message names it)\n");
    return out == stdout ? EXIT_OK : EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        return usage(stdout);
    if (!strcmp(argv[1], "ls"))
        return wtg_cmd_ls(argc - 1, argv + 1);
    if (!strcmp(argv[1], "cat"))
        return wtg_cmd_cat(argc - 1, argv + 1);
    if (!strcmp(argv[1], "scan"))
        return wtg_cmd_scan(argc - 1, argv + 1);
    if (!strcmp(argv[1], "diagnose"))
        return wtg_cmd_diagnose(argc - 1, argv + 1);
    if (!strcmp(argv[1], "repair"))
        return wtg_cmd_repair(argc - 1, argv + 1);
    if (!strcmp(argv[1], "rebuild"))
        return wtg_cmd_rebuild(argc - 1, argv + 1);
    if (!strcmp(argv[1], "undo"))
        return wtg_cmd_undo(argc - 1, argv + 1);
    if (!strcmp(argv[1], "report"))
        return wtg_cmd_report(argc - 1, argv + 1);
    if (!strcmp(argv[1], "rescue-files"))
        return wtg_cmd_rescue_files(argc - 1, argv + 1);
    if (!strcmp(argv[1], "install") || !strcmp(argv[1], "uninstall"))
        return wtg_cmd_install(argc - 1, argv + 1);
    if (!strcmp(argv[1], "make-togo"))
        return wtg_cmd_make_togo(argc - 1, argv + 1);
    fprintf(stderr, "wtg-rescue: unknown command \"%s\"\n", argv[1]);
    return usage(stderr);
}
