"""The Python stdlib reference for `npm run bench`: each operation as a Python 3 program would do
it with the standard library alone. A worker: it reads "<op> <n>" lines on stdin, runs the op n
times (the loop written inline, as a Python user would) and answers "ok <elapsed ns>", "skip
<reason>" or "err <reason>". It only touches itself and children it forks. "quit" ends it."""
import fcntl
import os
import signal
import struct
import sys
import time

INFO_SIZE = 80  # struct pidfd_info as the library's core passes it (PIDFD_INFO_SIZE_VER2)
PIDFD_GET_INFO = (3 << 30) | (INFO_SIZE << 16) | (0xFF << 8) | 11  # _IOWR(0xFF, 11, 80)
PIDFD_GET_PID_NAMESPACE = (0xFF << 8) | 5  # _IO(0xFF, 5)
INFO_PID, INFO_CREDS, INFO_CGROUPID, INFO_ALL = 1, 2, 4, 0x7F
INFO = struct.Struct("=QQ11Ii")  # mask, cgroupid, pid..fsgid, exit_code (the first 64 bytes)

self_fd = os.pidfd_open(os.getpid())
# A dead process we own: fork, open its pidfd, reap it. The pidfd can never name another one.
dead = os.fork()
if dead == 0:
    os._exit(0)
dead_fd = os.pidfd_open(dead)
os.waitpid(dead, 0)
# A running child for tryWait; it exits when we do, and after 10 minutes at the latest.
parent = os.getpid()
child = os.fork()
if child == 0:
    try:
        deadline = time.monotonic() + 600
        while os.getppid() == parent and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        os._exit(0)
child_fd = os.pidfd_open(child)


def info_buffer(mask):
    buf = bytearray(INFO_SIZE)
    buf[0] = mask
    return buf


def getpid(n):
    for _ in range(n):
        os.getpid()


def open_close(n):
    pid = os.getpid()
    for _ in range(n):
        os.close(os.pidfd_open(pid))


def signal_self(n):
    for _ in range(n):
        signal.pidfd_send_signal(self_fd, 0)


def signal_dead(n):
    for _ in range(n):
        try:
            signal.pidfd_send_signal(dead_fd, 0)
            raise RuntimeError("the dead process answered")
        except ProcessLookupError:
            pass


def get_pid(n):
    for _ in range(n):
        buf = info_buffer(INFO_PID)
        fcntl.ioctl(self_fd, PIDFD_GET_INFO, buf)
        pid = int.from_bytes(buf[16:20], "little")


def get_pid_child(n):
    for _ in range(n):
        buf = info_buffer(INFO_PID)
        fcntl.ioctl(child_fd, PIDFD_GET_INFO, buf)
        pid = int.from_bytes(buf[16:20], "little")


def get_ppid(n):
    for _ in range(n):
        buf = info_buffer(INFO_PID)
        fcntl.ioctl(self_fd, PIDFD_GET_INFO, buf)
        ppid = int.from_bytes(buf[24:28], "little")


def get_creds(n):
    for _ in range(n):
        buf = info_buffer(INFO_CREDS)
        fcntl.ioctl(self_fd, PIDFD_GET_INFO, buf)
        creds = struct.unpack_from("=8I", buf, 28)


def get_cgroup_id(n):
    for _ in range(n):
        buf = info_buffer(INFO_CGROUPID)
        fcntl.ioctl(self_fd, PIDFD_GET_INFO, buf)
        cgroup = int.from_bytes(buf[8:16], "little")


def get_info(n):
    for _ in range(n):
        buf = info_buffer(INFO_ALL)
        fcntl.ioctl(self_fd, PIDFD_GET_INFO, buf)
        info = INFO.unpack_from(buf)


def get_id(n):
    # The library (and the C reference) read the pidfs file handle; the stdlib has no
    # name_to_handle_at, and on 64-bit st_ino of a pidfd is the same 64-bit id.
    for _ in range(n):
        ino = os.fstat(self_fd).st_ino


def get_namespace_close(n):
    for _ in range(n):
        os.close(fcntl.ioctl(self_fd, PIDFD_GET_PID_NAMESPACE, 0))


def try_wait_running(n):
    for _ in range(n):
        if os.waitid(os.P_PIDFD, child_fd, os.WEXITED | os.WNOHANG) is not None:
            raise RuntimeError("the running child has exited")


DEVNULL_STDIO = [
    (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDWR, 0),
    (os.POSIX_SPAWN_DUP2, 0, 1),
    (os.POSIX_SPAWN_DUP2, 0, 2),
]


def spawn_wait(n):
    # One child's whole life: os.posix_spawn with 0-2 on /dev/null, os.pidfd_open, os.waitid(P_PIDFD).
    for _ in range(n):
        pid = os.posix_spawn("/bin/true", ["/bin/true"], os.environ, file_actions=DEVNULL_STDIO)
        fd = os.pidfd_open(pid)
        try:
            os.waitid(os.P_PIDFD, fd, os.WEXITED)
        finally:
            os.close(fd)


OPS = {
    "getpid": getpid,
    "open_close": open_close,
    "alive_live": signal_self,
    "send_signal0": signal_self,
    "alive_dead": signal_dead,
    "signal_dead_throw": signal_dead,
    "get_pid": get_pid,
    "get_pid_child": get_pid_child,
    "get_ppid": get_ppid,
    "get_id": get_id,
    "get_creds": get_creds,
    "get_cgroup_id": get_cgroup_id,
    "get_info": get_info,
    "get_namespace_close": get_namespace_close,
    "try_wait_running": try_wait_running,
    "spawn_wait": spawn_wait,
}


def main():
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        run = OPS.get(words[0])
        if run is None:
            print("skip no stdlib equivalent", flush=True)
            continue
        try:
            start = time.perf_counter_ns()
            run(int(words[1]))
            print(f"ok {time.perf_counter_ns() - start}", flush=True)
        except Exception as error:  # report, keep serving
            print(f"err {words[0]}: {error!r}", flush=True)
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)


main()
