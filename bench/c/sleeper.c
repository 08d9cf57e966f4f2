/* The child of the exit-notification latency benchmark. argv[1] is its offset in ns; it waits on
 * fd 3 (the gate pipe) for the 8-byte base time the parent writes once every child has started,
 * sleeps until base + offset on CLOCK_MONOTONIC and exits 0 (3 if it woke after its deadline
 * had passed, 2 on a bad gate). So the spawn loop never delays an exit. Built by bench/run.ts,
 * static when the toolchain allows it (no dynamic loading at startup). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) _exit(2);
  long long offset = strtoll(argv[1], NULL, 10);
  int64_t base;
  size_t got = 0;
  while (got < sizeof base) {
    ssize_t n = read(3, (char *)&base + got, sizeof base - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(2);
    got += (size_t)n;
  }
  long long deadline = base + offset;
  struct timespec now, until = {deadline / 1000000000, deadline % 1000000000};
  clock_gettime(CLOCK_MONOTONIC, &now);
  int late = (long long)now.tv_sec * 1000000000 + now.tv_nsec > deadline;
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {}
  _exit(late ? 3 : 0);
}
