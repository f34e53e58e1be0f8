/* bcdtool: bcdedit's grammar on Linux, for stores that are not running.
 * Options take '/' or '-' and any case (/ENUM, -enum); our own extras use
 * "--" and say so in the help. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bcdtool.h"

bool bcdtool_is_opt(const char *arg, const char *name)
{
    if (arg[0] == '-' && arg[1] == '-')
        arg += 2;
    else if (arg[0] == '/' || arg[0] == '-')
        arg += 1;
    else
        return false;
    return strcasecmp(arg, name) == 0;
}

int bcdtool_error(const char *fmt, ...)
{
    va_list ap;

    fputs("bcdtool: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static int usage(FILE *out)
{
    fputs("usage: bcdtool [/store FILE] COMMAND [ARGS] [/v]\n"
          "\n"
          "Offline bcdedit: reads and edits a BCD store file with bcdedit's commands.\n"
          "Options start with / or - and are case-insensitive. Without /store, the\n"
          "Windows store on a mounted ESP is used when exactly one is found\n"
          "(\\EFI\\Microsoft\\Boot\\BCD under /boot/efi, /efi, /boot or a mounted vfat).\n"
          "\n"
          "bcdedit commands:\n"
          "  /enum [ACTIVE|ALL|FIRMWARE|BOOTAPP|BOOTMGR|OSLOADER|RESUME|INHERIT|{id}] [/v]\n"
          "  /set {id} NAME|custom:XXXXXXXX VALUE...     /deletevalue {id} NAME\n"
          "  /create [{id}] /d TEXT /application osloader|resume|bootsector|startup|bootapp\n"
          "  /create [{id}] /d TEXT /inherit [TYPE]     /create [{id}] /d TEXT /device\n"
          "  /copy {id} /d TEXT                         /delete {id} [/f] [/cleanup|/nocleanup]\n"
          "  /default {id}    /displayorder {id}... [/addfirst|/addlast|/remove]\n"
          "  /bootsequence {id}...    /toolsdisplayorder {id}... [/addfirst|/addlast|/remove]\n"
          "  /timeout SECONDS    /createstore FILE    /export FILE    /import FILE\n"
          "  /debug, /bootdebug, /ems, /bootems [{id}] on|off   ({id} defaults to {default})\n"
          "\n"
          "Ids: {GUID}, {default} and the well-known aliases ({bootmgr}, {fwbootmgr},\n"
          "{memdiag}, {globalsettings}, ...). {current} does not exist offline.\n"
          "\n"
          "Device values: boot | partition=gpt:{DISK}/{PART} | partition=mbr:SIG/OFFSET |\n"
          "  partition=/dev/sdXN | partition=IMAGE:N | ramdisk=[PARENT]PATH,{id} |\n"
          "  file=[PARENT]PATH | vhd=[PARENT]PATH[,locate=custom:X] | locate=custom:X\n"
          "\n"
          "Our extensions (not in bcdedit):\n"
          "  --json      machine-readable dump of the whole store\n"
          "  --check     validate the hive (lib/regf) and the BCD references\n"
          "  --compat    print partitions as bcdedit does for a disk it cannot see\n"
          "              (\"unknown\"); by default they print as partition=gpt:{disk}/{part}\n"
          "              or partition=mbr:SIGNATURE/OFFSET, which /set accepts\n"
          "  --in-place  commit an edit the way Windows does: the changed pages go to\n"
          "              FILE.LOG first, then into FILE itself (default: write FILE.new,\n"
          "              check it, rename it over FILE)\n"
          "  Section headers for object types no bcdedit sample shows are ours:\n"
          "  \"Application (TYPE)\", \"Inherit settings (TYPE)\", \"Object without a type\".\n",
          out);
    return out == stdout ? 0 : 1;
}

/* Pulls the global options out of argv; what is left is the command and
 * its arguments. */
static int parse_globals(struct bcdtool *bt, int argc, char **argv)
{
    bt->args = calloc((size_t)argc + 1, sizeof *bt->args);
    if (!bt->args)
        return bcdtool_error("out of memory");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (bcdtool_is_opt(a, "store")) {
            if (i + 1 >= argc)
                return bcdtool_error("/store needs a file name");
            bt->store_path = argv[++i];
        } else if (bcdtool_is_opt(a, "v")) {
            bt->verbose = true;
        } else if (!strcmp(a, "--json")) {
            bt->json = true;
        } else if (!strcmp(a, "--compat")) {
            bt->compat = true;
        } else if (!strcmp(a, "--in-place")) {
            bt->in_place = true;
        } else if (!bt->command && (a[0] == '/' || a[0] == '-')) {
            bt->command = a;
        } else if (!bt->command) {
            return bcdtool_error("'%s': a command such as /enum was expected (see --help)", a);
        } else {
            bt->args[bt->n_args++] = argv[i];
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct bcdtool bt = { 0 };
    int rc;

    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "/?") || !strcmp(argv[i], "-h"))
            return usage(stdout);
    rc = parse_globals(&bt, argc, argv);
    if (rc)
        return rc;
    if (!bt.command && bt.json)
        bt.command = "--json";
    if (!bt.command || bcdtool_is_opt(bt.command, "enum"))
        rc = bt.json ? bcdtool_cmd_json(&bt) : bcdtool_cmd_enum(&bt);
    else if (!strcmp(bt.command, "--check"))
        rc = bcdtool_cmd_check(&bt);
    else if (!strcmp(bt.command, "--json"))
        rc = bcdtool_cmd_json(&bt);
    else
        rc = bcdtool_run_edit(&bt);
    bcdtool_close(&bt);
    free(bt.args);
    return rc;
}
