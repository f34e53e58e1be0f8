/* ntfs-mkdir IMAGE PATH: creates the folders of PATH (like mkdir -p) in the
 * NTFS filesystem in the file IMAGE, through libntfs-3g, without FUSE or
 * root. ntfs-3g's own tools can copy files (ntfscp) but not make folders,
 * and a scenario "Windows" partition needs \Windows\System32. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ntfs-3g/types.h>
#include <ntfs-3g/volume.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/unistr.h>

/* One level: open NAME under DIR, creating it as a folder when missing. */
static ntfs_inode *enter(ntfs_volume *vol, ntfs_inode *dir, const char *name)
{
    ntfschar *uname = NULL;
    int len = ntfs_mbstoucs(name, &uname);
    ntfs_inode *child;

    if (len < 0)
        return NULL;
    child = ntfs_pathname_to_inode(vol, dir, name);
    if (!child)
        child = ntfs_create(dir, const_cpu_to_le32(0), uname, (u8)len, S_IFDIR);
    free(uname);
    return child;
}

int main(int argc, char **argv)
{
    ntfs_volume *vol;
    ntfs_inode *dir;
    char *path, *part, *save = NULL;
    int status = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: ntfs-mkdir IMAGE /PATH/TO/FOLDER\n");
        return 2;
    }
    vol = ntfs_mount(argv[1], NTFS_MNT_NONE);
    if (!vol) {
        fprintf(stderr, "ntfs-mkdir: cannot open NTFS in %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    dir = ntfs_inode_open(vol, FILE_root);
    path = strdup(argv[2]);
    for (part = strtok_r(path, "/\\", &save); part && dir; part = strtok_r(NULL, "/\\", &save)) {
        ntfs_inode *child = enter(vol, dir, part);

        if (!child) {
            fprintf(stderr, "ntfs-mkdir: cannot create %s in %s: %s\n", part, argv[1],
                    strerror(errno));
            status = 1;
        }
        ntfs_inode_close(dir);
        dir = child;
    }
    if (dir)
        ntfs_inode_close(dir);
    free(path);
    if (ntfs_umount(vol, FALSE) != 0) {
        fprintf(stderr, "ntfs-mkdir: writing %s failed: %s\n", argv[1], strerror(errno));
        status = 1;
    }
    return status;
}
