// User and group names from /etc/passwd and /etc/group (no NSS: names that only LDAP or
// systemd-homed know stay numbers).
import fs from "node:fs";

const tables = new Map<string, Map<number, string>>();

function table(file: string): Map<number, string> {
  let names = tables.get(file);
  if (names) return names;
  names = new Map();
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    // unreadable: every id stays a number
  }
  for (const line of text.split("\n")) {
    const [name, , id] = line.split(":");
    if (!name || id === undefined || !/^\d+$/.test(id)) continue;
    if (!names.has(Number(id))) names.set(Number(id), name);
  }
  tables.set(file, names);
  return names;
}

/** The name of a user id, from /etc/passwd, or null. */
export function userName(uid: number): string | null {
  return table("/etc/passwd").get(uid) ?? null;
}

/** The name of a group id, from /etc/group, or null. */
export function groupName(gid: number): string | null {
  return table("/etc/group").get(gid) ?? null;
}
