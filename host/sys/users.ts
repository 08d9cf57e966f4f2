// User and group names from the system's databases through libc: getpwuid_r(3) and
// getgrgid_r(3) follow /etc/nsswitch.conf (files, systemd, LDAP, ...), as id(1) and ls(1) do.
// Bound on first use, through koffi (sys/libc.ts).
import { ERANGE } from "../errno.js";
import { koffi, libc } from "./libc.js";

type Lookup = (id: number, entry: Record<string, unknown>, buf: Uint8Array, buflen: number, result: unknown[]) => number;

interface Lookups {
  getpwuid_r: Lookup;
  getgrgid_r: Lookup;
}

let lookups: Lookups | undefined;

function bind(): Lookups {
  const k = koffi();
  const c = libc();
  // Only the name is read; the other fields are declared so that the structs have glibc's layout.
  k.struct("pidfd_passwd", {
    pw_name: "char *", pw_passwd: "char *", pw_uid: "uint32_t", pw_gid: "uint32_t",
    pw_gecos: "char *", pw_dir: "char *", pw_shell: "char *",
  });
  k.struct("pidfd_group", { gr_name: "char *", gr_passwd: "char *", gr_gid: "uint32_t", gr_mem: "void *" });
  return {
    getpwuid_r: c.func("int getpwuid_r(uint32_t uid, _Out_ pidfd_passwd *pwd, uint8_t *buf, size_t buflen, _Out_ void **result)") as Lookup,
    getgrgid_r: c.func("int getgrgid_r(uint32_t gid, _Out_ pidfd_group *grp, uint8_t *buf, size_t buflen, _Out_ void **result)") as Lookup,
  };
}

/** The first buffer size tried (glibc's _SC_GETPW_R_SIZE_MAX); doubled on ERANGE up to BUFFER_MAX. */
const BUFFER_START = 1024;
const BUFFER_MAX = 1 << 20;

/**
 * Runs a reentrant lookup, growing its string buffer on ERANGE. Returns the entry's `field`, or
 * null when there is no such entry or the lookup fails (a source that cannot be reached, EMFILE).
 */
function lookUp(lookup: Lookup, id: number, field: string): string | null {
  for (let size = BUFFER_START; size <= BUFFER_MAX; size *= 2) {
    const entry: Record<string, unknown> = {};
    const result: unknown[] = [null];
    const rc = lookup(id, entry, new Uint8Array(size), size, result);
    if (rc === ERANGE) continue; // libc's own errno numbers, as Node's
    return rc === 0 && result[0] !== null && typeof entry[field] === "string" ? entry[field] : null;
  }
  return null;
}

/**
 * The name of user `uid`: getpwuid_r(3) (glibc; every source /etc/nsswitch.conf lists for
 * passwd), or null when no source knows it. Loads koffi and libc on the first call.
 */
export function userName(uid: number): string | null {
  lookups ??= bind();
  return lookUp(lookups.getpwuid_r, uid, "pw_name");
}

/**
 * The name of group `gid`: getgrgid_r(3) (every source /etc/nsswitch.conf lists for group), or
 * null when no source knows it. Loads koffi and libc on the first call.
 */
export function groupName(gid: number): string | null {
  lookups ??= bind();
  return lookUp(lookups.getgrgid_r, gid, "gr_name");
}
