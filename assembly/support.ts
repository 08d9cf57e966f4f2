// Per-feature support cache (pidfd-util-rs AtomicSupported): each feature is probed on the first
// call that needs it and the answer is kept, so an unsupported call costs no syscall afterwards.

export const SUPPORT_UNKNOWN: i32 = 0;
export const SUPPORT_YES: i32 = 1;
export const SUPPORT_NO: i32 = 2;

export const FEATURE_PIDFD_OPEN: i32 = 0;    // pidfd_open, Linux 5.3
export const FEATURE_PIDFD_GETFD: i32 = 1;   // pidfd_getfd, Linux 5.6
export const FEATURE_GET_INFO: i32 = 2;      // PIDFD_GET_INFO, Linux 6.13
export const FEATURE_PIDFS: i32 = 3;         // pidfs, Linux 6.9
export const FEATURE_FILE_HANDLE: i32 = 4;   // pidfs file handles, Linux 6.13
export const FEATURE_NS_IOCTL: i32 = 5;      // PIDFD_GET_*_NAMESPACE, Linux 6.11
export const FEATURE_PEER_PIDFD: i32 = 6;    // SO_PEERPIDFD, Linux 6.5
export const FEATURE_COUNT: i32 = 7;

const states = new StaticArray<i32>(FEATURE_COUNT);

export function supportOf(feature: i32): i32 {
  return feature >= 0 && feature < FEATURE_COUNT ? unchecked(states[feature]) : -1;
}

export function setSupport(feature: i32, state: i32): void {
  unchecked(states[feature] = state);
}

export function isUnsupported(feature: i32): bool {
  return unchecked(states[feature]) == SUPPORT_NO;
}

export function isUnknown(feature: i32): bool {
  return unchecked(states[feature]) == SUPPORT_UNKNOWN;
}
