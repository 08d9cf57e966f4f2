// Signal names and numbers, validated the way process.kill() validates them. Runtime-neutral
// (no Node API): the Deno host uses it as it is.
import { checkInt, invalidArg } from "./errors.js";

/**
 * The Linux signals by name, in the asm-generic numbering (include/uapi/asm-generic/signal.h; the
 * same in arch/x86/include/uapi/asm/signal.h), in the order of Node's os.constants.signals, which
 * test/host/neutral_tables.test.ts checks this against. mips, sparc and alpha number them
 * otherwise; the koffi host refuses those architectures (their errno numbering differs too).
 */
export const SIGNALS = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGSTKFLT: 16, SIGCONT: 18,
  SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27,
  SIGWINCH: 28, SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31,
} as const;

/** The name of a Linux signal ("SIGTERM"): every one of them is also a `NodeJS.Signals`. */
export type SignalName = keyof typeof SIGNALS;

/**
 * A signal as every signal parameter takes it: a number (0..64) or a name with or without the
 * "SIG" prefix ("SIGTERM", "TERM"). At run time the name's case does not matter either. The
 * names are those of Node's `NodeJS.Signals`, so that any of its values fits, without naming it
 * (this module needs no Node types); the four Linux lacks are refused at run time, as by
 * process.kill().
 */
export type Signal = SignalName | NonLinuxName | WithoutSig<SignalName | NonLinuxName> | number;
type NonLinuxName = "SIGUNUSED" | "SIGBREAK" | "SIGLOST" | "SIGINFO";
type WithoutSig<Name> = Name extends `SIG${infer Rest}` ? Rest : never;

/** The highest signal number Linux has (SIGRTMAX). */
export const SIGNAL_MAX = 64;

const NAME_TO_NUMBER = new Map<string, number>(Object.entries(SIGNALS));
const NUMBER_TO_NAME = new Map<number, SignalName>();
for (const [name, value] of NAME_TO_NUMBER) {
  if (!NUMBER_TO_NAME.has(value)) NUMBER_TO_NAME.set(value, name as SignalName);
}

/**
 * The number of a signal given as a number (0..64) or a name, with or without "SIG", in any
 * case ("SIGTERM", "term", "15" is not a name). Throws TypeError (ERR_UNKNOWN_SIGNAL) for an
 * unknown name and RangeError (ERR_OUT_OF_RANGE) for a number outside 0..64.
 */
export function signalNumber(signal: number | string, name = "signal"): number {
  if (typeof signal === "number") return checkInt(name, signal, 0, SIGNAL_MAX);
  if (typeof signal !== "string") throw invalidArg(name, "of type number or string", signal);
  const upper = signal.toUpperCase();
  const full = upper.startsWith("SIG") ? upper : `SIG${upper}`;
  const value = NAME_TO_NUMBER.get(full);
  if (value === undefined) {
    const error = new TypeError(`Unknown signal: ${signal}`);
    Object.defineProperty(error, "code", { value: "ERR_UNKNOWN_SIGNAL", enumerable: true });
    throw error;
  }
  return value;
}

/** The name of a signal number ("SIGTERM"), or null for 0 and the real-time signals. */
export function signalName(signal: number): SignalName | null {
  return NUMBER_TO_NAME.get(signal) ?? null;
}
