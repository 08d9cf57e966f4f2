/* The C reference for `npm run bench`: each operation as a C program would do it, with the same
 * syscalls and buffer sizes as the library's core. A worker: it reads "<op> <n>" lines on stdin,
 * runs the op n times and answers "ok <elapsed ns>" (CLOCK_MONOTONIC), "skip <reason>" or
 * "err <reason>". It only touches itself and children it forks. "quit" ends it.
 * Built by bench/run.ts with the system cc into build/bench/ops. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* struct pidfd_info as the core passes it (80 bytes, PIDFD_INFO_SIZE_VER2). */
struct pidfd_info {
  uint64_t mask, cgroupid;
  uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
  int32_t exit_code;
  uint32_t coredump_mask, coredump_signal;
  uint64_t supported_mask;
};
#define PIDFD_GET_INFO _IOWR(0xFF, 11, struct pidfd_info)
#define PIDFD_GET_PID_NAMESPACE _IO(0xFF, 5)
#define INFO_PID 1u
#define INFO_CREDS 2u
#define INFO_CGROUPID 4u
#define INFO_ALL 0x7fu

static int pidfd_open(pid_t pid, unsigned flags) { return (int)syscall(SYS_pidfd_open, pid, flags); }
static int pidfd_send_signal(int fd, int sig) { return (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0); }
static int pidfd_getfd(int fd, int target) { return (int)syscall(SYS_pidfd_getfd, fd, target, 0); }

static int self_fd = -1, dead_fd = -1, child_fd = -1, remote_target = -1;
static pid_t child_pid = -1;
static volatile uint64_t sink;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int get_info(int fd, uint64_t mask, struct pidfd_info *info) {
  memset(info, 0, sizeof *info);
  info->mask = mask;
  return ioctl(fd, PIDFD_GET_INFO, info);
}

/* One iteration of each op: 0, or -1 with errno when it failed unexpectedly. */
static int op_getpid(void) {
  sink += (uint64_t)getpid();
  return 0;
}
static int op_open_close(void) {
  int fd = pidfd_open(getpid(), 0);
  return fd < 0 ? -1 : close(fd);
}
static int op_signal_self(void) { return pidfd_send_signal(self_fd, 0); }
static int op_signal_dead(void) {
  if (pidfd_send_signal(dead_fd, 0) == 0 || errno != ESRCH) return -1;
  return 0;
}
static int op_get_pid(void) {
  struct pidfd_info info;
  if (get_info(self_fd, INFO_PID, &info) < 0 || !(info.mask & INFO_PID)) return -1;
  sink += info.pid;
  return 0;
}
static int op_get_pid_child(void) {
  struct pidfd_info info;
  if (get_info(child_fd, INFO_PID, &info) < 0 || !(info.mask & INFO_PID)) return -1;
  sink += info.pid;
  return 0;
}
static int op_get_ppid(void) {
  struct pidfd_info info;
  if (get_info(self_fd, INFO_PID, &info) < 0 || !(info.mask & INFO_PID)) return -1;
  sink += info.ppid;
  return 0;
}
static int op_get_creds(void) {
  struct pidfd_info info;
  if (get_info(self_fd, INFO_CREDS, &info) < 0 || !(info.mask & INFO_CREDS)) return -1;
  sink += info.ruid + info.rgid + info.euid + info.egid + info.suid + info.sgid + info.fsuid + info.fsgid;
  return 0;
}
static int op_get_cgroup_id(void) {
  struct pidfd_info info;
  if (get_info(self_fd, INFO_CGROUPID, &info) < 0 || !(info.mask & INFO_CGROUPID)) return -1;
  sink += info.cgroupid;
  return 0;
}
static int op_get_info(void) {
  struct pidfd_info info;
  if (get_info(self_fd, INFO_ALL, &info) < 0) return -1;
  sink += info.pid + info.ppid + info.ruid + info.cgroupid;
  return 0;
}
/* On 64-bit, st_ino of a pidfs pidfd is the process's 64-bit id (the same value as its file handle). */
/* getId as the library's core does it: the pidfs file handle (name_to_handle_at). */
static int op_get_id(void) {
  struct { unsigned int bytes; int type; unsigned char handle[128]; } fh;
  int mount_id;
  uint64_t id;
  fh.bytes = 128;
  if (name_to_handle_at(self_fd, "", (struct file_handle *)&fh, &mount_id, AT_EMPTY_PATH) < 0) return -1;
  memcpy(&id, fh.handle, 8);
  sink += id;
  return 0;
}
static int op_get_namespace_close(void) {
  int fd = ioctl(self_fd, PIDFD_GET_PID_NAMESPACE, 0);
  return fd < 0 ? -1 : close(fd);
}
static int op_try_wait_running(void) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  if (waitid(P_PIDFD, child_fd, &si, WEXITED | WNOHANG) < 0 || si.si_pid != 0) return -1;
  return 0;
}
static int op_get_remote_fd_close(void) {
  int fd = pidfd_getfd(self_fd, remote_target);
  return fd < 0 ? -1 : close(fd);
}

extern char **environ;
static posix_spawn_file_actions_t devnull_stdio; /* 0-2 on /dev/null, like stdio "ignore" */

/* One child's whole life: posix_spawn(/bin/true) with 0-2 on /dev/null, pidfd_open, waitid(P_PIDFD). */
static int op_spawn_wait(void) {
  static char *const argv[] = {"/bin/true", NULL};
  pid_t pid;
  int err = posix_spawn(&pid, "/bin/true", &devnull_stdio, NULL, argv, environ);
  if (err) {
    errno = err;
    return -1;
  }
  int fd = pidfd_open(pid, 0);
  if (fd < 0) return -1;
  siginfo_t si;
  int rc;
  do rc = waitid(P_PIDFD, fd, &si, WEXITED);
  while (rc < 0 && errno == EINTR);
  close(fd);
  return rc;
}

/* "spawn_concurrent <n>": n children of /bin/true spawned (posix_spawn + pidfd_open) before the
 * first is waited for, then waitid(P_PIDFD) + close for each. Answers "ok <elapsed ns>". */
static void spawn_concurrent(long n) {
  static char *const argv[] = {"/bin/true", NULL};
  int *fds = calloc(n, sizeof *fds);
  int64_t start = now_ns();
  long started = 0;
  for (; started < n; started++) {
    pid_t pid;
    if (posix_spawn(&pid, "/bin/true", &devnull_stdio, NULL, argv, environ) != 0) break;
    if ((fds[started] = pidfd_open(pid, 0)) < 0) break;
  }
  int failed = started < n;
  for (long i = 0; i < started; i++) {
    siginfo_t si;
    int rc;
    do rc = waitid(P_PIDFD, fds[i], &si, WEXITED);
    while (rc < 0 && errno == EINTR);
    if (rc < 0 || si.si_code != CLD_EXITED || si.si_status != 0) failed = 1;
    close(fds[i]);
  }
  int64_t elapsed = now_ns() - start;
  free(fds);
  if (failed) printf("err spawn_concurrent: started %ld of %ld\n", started, n);
  else printf("ok %lld\n", (long long)elapsed);
}

static int64_t *latencies;

/* "exit_latency <n> <spacing ns> <sleeper>": starts n sleepers, each holding the read end of a
 * gate pipe as fd 3 and held by a pidfd in one epoll set; then writes the base time (now + 250 ms)
 * once per child, so child i exits at base + i * spacing (CLOCK_MONOTONIC); reaps each as it polls
 * readable. Answers "ok <latency ns of child 0> ... <n-1> late <children that woke late>". */
static void exit_latency(long n, int64_t spacing, const char *sleeper) {
  latencies = realloc(latencies, n * sizeof *latencies);
  int *fds = calloc(n, sizeof *fds);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int gate[2];
  long started = 0, late = 0, done = 0;
  if (pipe2(gate, O_CLOEXEC) < 0) {
    printf("err exit_latency: pipe2: %s\n", strerror(errno));
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDWR, 0);
  posix_spawn_file_actions_adddup2(&actions, 0, 1);
  posix_spawn_file_actions_adddup2(&actions, 0, 2);
  posix_spawn_file_actions_adddup2(&actions, gate[0], 3);
  char offset[32];
  for (; started < n; started++) {
    snprintf(offset, sizeof offset, "%lld", (long long)(started * spacing));
    char *const argv[] = {(char *)sleeper, offset, NULL};
    pid_t pid;
    if (posix_spawn(&pid, sleeper, &actions, NULL, argv, environ) != 0) break;
    fds[started] = pidfd_open(pid, 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)started};
    if (fds[started] < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fds[started], &ev) < 0) break;
  }
  posix_spawn_file_actions_destroy(&actions);
  close(gate[0]);
  int64_t base = now_ns() + 250000000;
  for (long i = 0; i < started; i++) {
    if (write(gate[1], &base, sizeof base) != sizeof base) break;
  }
  close(gate[1]);
  struct epoll_event events[64];
  while (done < started) {
    int ready = epoll_wait(ep, events, 64, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (int i = 0; i < ready; i++) {
      long child = (long)events[i].data.u64;
      siginfo_t si;
      if (waitid(P_PIDFD, fds[child], &si, WEXITED | WNOHANG) < 0 || si.si_pid == 0) continue;
      latencies[child] = now_ns() - (base + child * spacing);
      if (si.si_code != CLD_EXITED || si.si_status != 0) late++;
      close(fds[child]);
      done++;
    }
  }
  close(ep);
  free(fds);
  if (started < n) {
    printf("err exit_latency: started %ld of %ld: %s\n", started, n, strerror(errno));
    return;
  }
  fputs("ok", stdout);
  for (long i = 0; i < n; i++) printf(" %lld", (long long)latencies[i]);
  printf(" late %ld\n", late);
}

static const struct { const char *name; int (*run)(void); } OPS[] = {
  {"getpid", op_getpid},
  {"open_close", op_open_close},
  {"alive_live", op_signal_self},
  {"alive_dead", op_signal_dead},
  {"signal_dead_throw", op_signal_dead},
  {"send_signal0", op_signal_self},
  {"get_pid", op_get_pid},
  {"get_pid_child", op_get_pid_child},
  {"get_ppid", op_get_ppid},
  {"get_id", op_get_id},
  {"get_creds", op_get_creds},
  {"get_cgroup_id", op_get_cgroup_id},
  {"get_info", op_get_info},
  {"get_namespace_close", op_get_namespace_close},
  {"try_wait_running", op_try_wait_running},
  {"get_remote_fd_close", op_get_remote_fd_close},
  {"spawn_wait", op_spawn_wait},
};

static void setup(void) {
  self_fd = pidfd_open(getpid(), 0);
  /* A dead process we own: fork, open its pidfd, reap it. The pidfd can never name another one. */
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  dead_fd = pidfd_open(dead, 0);
  waitpid(dead, NULL, 0);
  /* A running child for tryWait: it dies with us, and after 10 minutes at the latest. */
  child_pid = fork();
  if (child_pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    alarm(600);
    for (;;) pause();
  }
  child_fd = pidfd_open(child_pid, 0);
  remote_target = open("/dev/null", O_RDONLY | O_CLOEXEC);
  posix_spawn_file_actions_init(&devnull_stdio);
  posix_spawn_file_actions_addopen(&devnull_stdio, 0, "/dev/null", O_RDWR, 0);
  posix_spawn_file_actions_adddup2(&devnull_stdio, 0, 1);
  posix_spawn_file_actions_adddup2(&devnull_stdio, 0, 2);
}

static void teardown(void) {
  if (child_pid > 0) {
    kill(child_pid, SIGKILL);
    waitpid(child_pid, NULL, 0);
  }
}

int main(void) {
  char line[4352], op[128], path[4096];
  long long spacing;
  long n;
  setup();
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (self_fd < 0 || dead_fd < 0 || child_fd < 0) {
    printf("err setup: %s\n", strerror(errno));
  } else {
    printf("ready\n");
  }
  while (fgets(line, sizeof line, stdin)) {
    if (!strncmp(line, "quit", 4)) break;
    if (sscanf(line, "exit_latency %ld %lld %4095s", &n, &spacing, path) == 3 && n > 0) {
      exit_latency(n, spacing, path);
      continue;
    }
    if (sscanf(line, "spawn_concurrent %ld", &n) == 1 && n > 0) {
      spawn_concurrent(n);
      continue;
    }
    if (sscanf(line, "%127s %ld", op, &n) != 2 || n <= 0) {
      printf("err bad command\n");
      continue;
    }
    int (*run)(void) = NULL;
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
      if (!strcmp(op, OPS[i].name)) run = OPS[i].run;
    }
    if (!run) {
      printf("skip no C version\n");
      continue;
    }
    int64_t start = now_ns();
    int rc = 0;
    for (long i = 0; i < n && rc == 0; i++) rc = run();
    int64_t elapsed = now_ns() - start;
    if (rc < 0) printf("err %s: %s\n", op, strerror(errno));
    else printf("ok %lld\n", (long long)elapsed);
  }
  teardown();
  return 0;
}
