/* hivetool new [--minor 3|5] [--root NAME] FILE: write an empty hive (root
 * key and one security descriptor), refusing to overwrite FILE. Tests use it
 * to make hives without the fixture corpus. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "regf/regf.h"

int hivetool_cmd_new(int argc, char **argv)
{
    const char *file = NULL, *root = "ROOT";
    unsigned long minor = 3;
    struct wr_err err = { 0 };
    struct wr_regf_hive *h;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--minor") && i + 1 < argc)
            minor = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--root") && i + 1 < argc)
            root = argv[++i];
        else if (!file)
            file = argv[i];
        else
            file = NULL, i = argc;
    }
    if (!file) {
        fprintf(stderr, "usage: hivetool new [--minor 3|5] [--root NAME] FILE\n");
        return 2;
    }
    if (wr_regf_create(root, (uint32_t)minor, &h, &err) != WR_OK) {
        fprintf(stderr, "hivetool: %s\n", err.msg);
        return 1;
    }
    const uint8_t *img;
    size_t len;
    wr_regf_image(h, &img, &len);
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0644);
    bool ok = fd >= 0 && write(fd, img, len) == (ssize_t)len && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    wr_regf_close(h);
    if (!ok) {
        perror(file);
        return 2;
    }
    return 0;
}
