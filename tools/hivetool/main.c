/* hivetool: check, walk, export, recover and import registry hives. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

#define FILE_MAX ((size_t)1 << 30)

uint8_t *hivetool_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;

    if (!f) {
        fprintf(stderr, "hivetool: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            uint8_t *p = ncap > FILE_MAX + 1 ? NULL : realloc(buf, ncap);
            if (!p) {
                fprintf(stderr, "hivetool: %s: file too large or out of memory\n", path);
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "hivetool: %s: read error\n", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

static int usage(FILE *out)
{
    fprintf(out,
            "usage: hivetool COMMAND ...\n"
            "  check [--json] FILE         validate (exit 0 valid, 1 findings, 2 unreadable)\n"
            "  walk [--repeat N] [--strict|--salvage] FILE...\n"
            "                              count keys/values and print a content checksum\n"
            "  export [--prefix P] FILE [KEY]\n"
            "                              .reg text, as hivexregedit --export prints it\n"
            "  recover FILE -o OUT         apply the logs beside FILE, write a clean hive\n"
            "  import FILE REGFILE         merge a .reg file, crash-safely\n"
            "  new [--minor 3|5] [--root NAME] FILE\n"
            "                              write an empty hive\n");
    return 2;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } cmds[] = {
        { "check", hivetool_cmd_check },     { "walk", hivetool_cmd_walk },
        { "export", hivetool_cmd_export },   { "recover", hivetool_cmd_recover },
        { "import", hivetool_cmd_import },   { "new", hivetool_cmd_new },
    };

    if (argc < 2)
        return usage(stderr);
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
        return usage(stdout), 0;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].run(argc - 1, argv + 1);
    fprintf(stderr, "hivetool: unknown command \"%s\"\n", argv[1]);
    return usage(stderr);
}
