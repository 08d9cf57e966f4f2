// struct epoll_event (include/uapi/linux/eventpoll.h): { __poll_t events; __u64 data; }. Packed
// to 12 bytes on x86 (__EPOLL_PACKED), naturally aligned to 16 bytes everywhere else.

import { ARCH_X86, ARCH_X86_64 } from "./arch";

export function epollEventSize(arch: i32): u32 {
  return arch == ARCH_X86_64 || arch == ARCH_X86 ? 12 : 16;
}

/** Writes one struct epoll_event at `at` with `events` and, as its data word, `fd`; returns its size. */
export function encodeEpollEvent(arch: i32, at: usize, events: u32, fd: i32): u32 {
  const size = epollEventSize(arch);
  store<u32>(at, events);
  store<u64>(at + size - 8, <u64><u32>fd);
  return size;
}

/**
 * Rewrites `count` struct epoll_event at `at` (as epoll_wait filled them, with an fd as the data
 * word) as `count` pairs (fd: i32, events: u32), in place: pair i never reaches event i + 1.
 */
export function decodeEpollEvents(arch: i32, at: usize, count: u32): void {
  const size = epollEventSize(arch);
  for (let i: u32 = 0; i < count; i++) {
    const event = at + i * size;
    const events = load<u32>(event);
    const fd = <i32>load<u64>(event + size - 8);
    store<i32>(at + i * 8, fd);
    store<u32>(at + i * 8 + 4, events);
  }
}
