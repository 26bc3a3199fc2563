/*
 * timeit OUT CMD [ARG]...: run CMD, then write to the file OUT one line,
 *
 *     wall_seconds peak_rss_kb exit_code
 *
 * exit_code is 128+N when CMD died of signal N.  The peak RSS is CMD's
 * own ru_maxrss, from wait4.  The point of this small program: a process
 * started straight from Python inherits Python's memory high-water mark
 * (the kernel carries it across fork and exec), so a small command would
 * look at least as big as the measuring script.  Started from here, it
 * inherits only this program's.
 *
 * Built by bench/run.sh:  cc -O2 -o timeit timeit.c
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct timespec t0, t1;
    struct rusage ru;
    int status, code;
    pid_t pid;
    FILE *out;

    if (argc < 3) {
        fprintf(stderr, "usage: timeit OUT CMD [ARG]...\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    code = WIFEXITED(status) ? WEXITSTATUS(status)
                             : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 2;
    }
    fprintf(out, "%.6f %ld %d\n",
            (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
            ru.ru_maxrss, code);
    return fclose(out) == 0 ? 0 : 2;
}
