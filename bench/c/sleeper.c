/* The child of the exit-notification latency benchmark: sleeps until an absolute CLOCK_MONOTONIC
 * deadline (ns, argv[1]) and exits 0; exits 3 when it started after its deadline (the spawn phase
 * ran late, so that sample measures the spawn loop, not the waiter). Built by bench/run.ts, static
 * when the toolchain allows it (no dynamic loading at startup). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) _exit(2);
  long long deadline = strtoll(argv[1], NULL, 10);
  struct timespec now, until = {deadline / 1000000000, deadline % 1000000000};
  clock_gettime(CLOCK_MONOTONIC, &now);
  int late = (long long)now.tv_sec * 1000000000 + now.tv_nsec > deadline;
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {}
  _exit(late ? 3 : 0);
}
