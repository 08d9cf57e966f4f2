// /proc/self/fdinfo/<pidfd> text (fs/pidfs.c pidfd_show_fdinfo):
//   pos:\t0\nflags:\t02000002\nmnt_id:\t4\nino:\t2653\nPid:\t2652\nNSpid:\t2652\t1\n
// `Pid:` is the pid in the reader's pid namespace, 0 when the process is outside it, and -1
// once the process has been reaped. `NSpid:` lists the pid in each nested namespace, outermost
// first (only with CONFIG_PID_NS).

export const FDINFO_NOT_FOUND: i64 = i64.MIN_VALUE;

/** Offset of the value of the line that starts with `key` (e.g. "Pid:"), or -1. */
function findLine(buf: usize, len: u32, key: string): i32 {
  const keyLen = key.length;
  let lineStart: u32 = 0;
  while (lineStart + <u32>keyLen <= len) {
    let matches = true;
    for (let i = 0; i < keyLen; i++) {
      if (<i32>load<u8>(buf + lineStart + i) != key.charCodeAt(i)) { matches = false; break; }
    }
    if (matches) return <i32>(lineStart + <u32>keyLen);
    while (lineStart < len && load<u8>(buf + lineStart) != 0x0a) lineStart++;
    lineStart++;
  }
  return -1;
}

function isBlank(c: u8): bool { return c == 0x20 || c == 0x09; }

/**
 * Parses one decimal integer at `start` (after blanks) and stores where it ends in `end[0]`;
 * FDINFO_NOT_FOUND when there is none before the end of the line or it does not fit in an i32.
 */
function parseInt32(buf: usize, len: u32, start: u32, end: StaticArray<u32>): i64 {
  let p = start;
  while (p < len && isBlank(load<u8>(buf + p))) p++;
  let negative = false;
  if (p < len && load<u8>(buf + p) == 0x2d) { negative = true; p++; }
  let value: i64 = 0;
  let digits = 0;
  while (p < len) {
    const c = load<u8>(buf + p);
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + <i64>(c - 0x30);
    if (value > 0x80000000) return FDINFO_NOT_FOUND;
    digits++;
    p++;
  }
  unchecked(end[0] = p);
  if (digits == 0) return FDINFO_NOT_FOUND;
  if (negative) value = -value;
  if (value > i32.MAX_VALUE || value < i32.MIN_VALUE) return FDINFO_NOT_FOUND;
  return value;
}

const cursor = new StaticArray<u32>(1);

/**
 * The unsigned number in `base` (8 or 10) on the line that starts with `key` (e.g. "flags:"), or
 * -1 when there is no such line, no digits, or the number does not fit in 63 bits.
 */
export function fdinfoUnsigned(buf: usize, len: u32, key: string, base: u32): i64 {
  const at = findLine(buf, len, key);
  if (at < 0) return -1;
  let p = <u32>at;
  while (p < len && isBlank(load<u8>(buf + p))) p++;
  let value: u64 = 0;
  let digits = 0;
  while (p < len) {
    const digit = <u32>load<u8>(buf + p) - 0x30;
    if (digit >= base) break;
    if (value > (<u64>i64.MAX_VALUE - digit) / base) return -1;
    value = value * base + digit;
    digits++;
    p++;
  }
  return digits == 0 ? -1 : <i64>value;
}

/** The `Pid:` value, or FDINFO_NOT_FOUND when the text has no such line (not a pidfd). */
export function fdinfoPid(buf: usize, len: u32): i64 {
  const at = findLine(buf, len, "Pid:");
  if (at < 0) return FDINFO_NOT_FOUND;
  return parseInt32(buf, len, <u32>at, cursor);
}

/**
 * The `NSpid:` entries: returns how many there are (0 when the line is absent) and stores the
 * innermost (last) one in `*innermost`.
 */
export function fdinfoNsPid(buf: usize, len: u32, innermost: StaticArray<i32>): i32 {
  const at = findLine(buf, len, "NSpid:");
  if (at < 0) return 0;
  let count = 0;
  let p = <u32>at;
  while (true) {
    const value = parseInt32(buf, len, p, cursor);
    if (value == FDINFO_NOT_FOUND) break;
    unchecked(innermost[0] = <i32>value);
    count++;
    p = unchecked(cursor[0]);
  }
  return count;
}
