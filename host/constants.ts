// The kernel constants the host uses, each defined here once, under its kernel name. The core
// exports the same values as immutable globals (assembly/index.ts), and
// test/core/constants.test.ts checks every one that both define against the built core.
// host/sys/simulated.ts keeps its own copies on purpose: it is an independent oracle.

// waitid(2) options and id types (include/uapi/linux/wait.h).
export const WNOHANG = 0x00000001;
export const WSTOPPED = 0x00000002;
export const WEXITED = 0x00000004;
export const WCONTINUED = 0x00000008;
export const WNOWAIT = 0x01000000;
export const __WNOTHREAD = 0x20000000;
export const __WALL = 0x40000000;
export const __WCLONE = 0x80000000;
export const P_ALL = 0;
export const P_PID = 1;
export const P_PGID = 2;
export const P_PIDFD = 3;

// struct pidfd_info mask bits (include/uapi/linux/pidfd.h).
export const PIDFD_INFO_PID = 1 << 0;
export const PIDFD_INFO_CREDS = 1 << 1;
export const PIDFD_INFO_CGROUPID = 1 << 2;
export const PIDFD_INFO_EXIT = 1 << 3;            // Linux 6.15
export const PIDFD_INFO_COREDUMP = 1 << 4;        // Linux 6.16
export const PIDFD_INFO_SUPPORTED_MASK = 1 << 5;  // Linux 6.19
export const PIDFD_INFO_COREDUMP_SIGNAL = 1 << 6; // Linux 6.19

// struct pidfd_info coredump_mask bits (include/uapi/linux/pidfd.h, Linux 6.16).
export const PIDFD_COREDUMPED = 1 << 0;
export const PIDFD_COREDUMP_SKIP = 1 << 1;
export const PIDFD_COREDUMP_USER = 1 << 2;
export const PIDFD_COREDUMP_ROOT = 1 << 3;

// pidfd_send_signal(2) flags (include/uapi/linux/pidfd.h, Linux 6.9).
export const PIDFD_SIGNAL_THREAD = 1 << 0;
export const PIDFD_SIGNAL_THREAD_GROUP = 1 << 1;
export const PIDFD_SIGNAL_PROCESS_GROUP = 1 << 2;

// The core's ABI values (docs/abi.md): the scope argument of send_signal, the option bits of
// open, and the namespace types of get_namespace (the nr of PIDFD_GET_<type>_NAMESPACE).
export const SIGNAL_SCOPE_DEFAULT = 0;
export const SIGNAL_SCOPE_THREAD = 1;
export const SIGNAL_SCOPE_PROCESS = 2;
export const SIGNAL_SCOPE_PROCESS_GROUP = 3;
export const OPEN_THREAD = 1;
export const OPEN_NONBLOCK = 2;
export const NS_CGROUP = 1;
export const NS_IPC = 2;
export const NS_MNT = 3;
export const NS_NET = 4;
export const NS_PID = 5;
export const NS_PID_FOR_CHILDREN = 6;
export const NS_TIME = 7;
export const NS_TIME_FOR_CHILDREN = 8;
export const NS_USER = 9;
export const NS_UTS = 10;

/** The namespace types by name, as PidFd.getNamespace() takes them, with their NS_* codes. */
export const NAMESPACE_TYPES = {
  cgroup: NS_CGROUP, ipc: NS_IPC, mnt: NS_MNT, net: NS_NET, pid: NS_PID, pid_for_children: NS_PID_FOR_CHILDREN,
  time: NS_TIME, time_for_children: NS_TIME_FOR_CHILDREN, user: NS_USER, uts: NS_UTS,
} as const;

// setns(2) flags (include/uapi/linux/sched.h).
export const CLONE_NEWTIME = 0x00000080;
export const CLONE_NEWNS = 0x00020000;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;

// name_to_handle_at(2) flags (include/uapi/linux/fcntl.h).
export const AT_HANDLE_MNT_ID_UNIQUE = 0x001;
export const AT_HANDLE_FID = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;

// _IOC directions, in the generic layout (include/uapi/asm-generic/ioctl.h); the core builds
// request codes in either layout.
export const IOC_NONE = 0;
export const IOC_WRITE = 1;
export const IOC_READ = 2;

// fcntl(2) commands (asm-generic/fcntl.h; the same on every architecture Node runs on).
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_DUPFD_CLOEXEC = 1030;

// epoll (include/uapi/linux/eventpoll.h).
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;
export const EPOLLIN = 0x001;
export const EPOLLOUT = 0x004;
export const EPOLLERR = 0x008;
export const EPOLLHUP = 0x010;
/** include/uapi/linux/eventpoll.h: (1U << 30), reported once until re-armed with EPOLL_CTL_MOD. */
export const EPOLLONESHOT = 0x40000000;

/** prctl(2) options (include/uapi/linux/prctl.h): PR_SET_CHILD_SUBREAPER, Linux 3.4. */
export const PR_SET_CHILD_SUBREAPER = 36;

/** SIGKILL: 9 on every architecture. */
export const SIGKILL = 9;

// The smallest buffers the kernel may fill in full, which the import layer insists on.
/** siginfo_t: 128 bytes everywhere. */
export const SIGINFO_SIZE = 128;
/** struct stat: 144 bytes on x86_64, the largest of the 64-bit layouts. */
export const STAT_SIZE = 144;
/** struct statfs: 120 bytes on 64-bit. */
export const STATFS_SIZE = 120;
/** struct file_handle's header: handle_bytes and handle_type, then the handle. */
export const FILE_HANDLE_HEADER = 8;
