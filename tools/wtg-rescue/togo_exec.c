/* make-togo's helpers: running the partitioning and formatting programs
 * without a shell, sizes as the user writes them, the summary text. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "togo.h"

/* Output goes to a temp file shown only on failure: mkntfs and sgdisk are
 * chatty, and their words matter only when they say no. */
int togo_run(const char *step, char *const argv[])
{
    char log[] = "/tmp/wtg-togo-run.XXXXXX";
    int fd = mkstemp(log), status = 0;
    pid_t pid;

    if (fd < 0) {
        fprintf(stderr, "make-togo: %s: cannot make a temp file: %s\n", step, strerror(errno));
        return -1;
    }
    unlink(log);
    pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        execvp(argv[0], argv);
        dprintf(fd, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status)) {
        char buf[2048];
        ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
        buf[n > 0 ? n : 0] = 0;
        fprintf(stderr, "make-togo: %s failed (%s exit %d):\n%s", step, argv[0],
                WIFEXITED(status) ? WEXITSTATUS(status) : -1, buf);
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* "600M", "32G", "1T", or bytes; 0 when malformed. */
uint64_t togo_parse_size(const char *s)
{
    char *end;
    unsigned long long n;

    if (!s || !isdigit((unsigned char)*s))
        return 0;
    errno = 0;
    n = strtoull(s, &end, 10);
    if (errno)
        return 0;
    switch (toupper((unsigned char)*end)) {
    case 0: return n;
    case 'K': n <<= 10; break;
    case 'M': n <<= 20; break;
    case 'G': n <<= 30; break;
    case 'T': n <<= 40; break;
    default: return 0;
    }
    end++;
    if (*end == 'i' || *end == 'I')
        end++;
    if (*end == 'B' || *end == 'b')
        end++;
    return *end ? 0 : n;
}

void togo_say(struct togo_summary *s, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    wr_vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    wr_text_puts(&s->t, line);
    wr_text_puts(&s->t, "\n");
}
