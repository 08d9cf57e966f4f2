// User and group names for `pidfd info`, through the system's user and group databases (NSS:
// getpwuid_r/getgrgid_r, sys/users.ts), each id looked up once.
import * as database from "../sys/users.js";

const users = new Map<number, string | null>();
const groups = new Map<number, string | null>();

function cached(names: Map<number, string | null>, id: number, lookUp: (id: number) => string | null): string | null {
  if (!names.has(id)) names.set(id, lookUp(id));
  return names.get(id)!;
}

/** The name of a user id (getpwuid_r: any source nsswitch.conf lists, LDAP and systemd-homed too), or null. */
export function userName(uid: number): string | null {
  return cached(users, uid, database.userName);
}

/** The name of a group id (getgrgid_r), or null. */
export function groupName(gid: number): string | null {
  return cached(groups, gid, database.groupName);
}
