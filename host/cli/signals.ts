// Signals on the command line: the names Node knows (os.constants.signals) with or without SIG,
// in any case, numbers, and the real-time signals as util-linux kill(1) names them (RTMIN+n,
// RTMAX-n, RT<n>); and the lists `pidfd kill -l` and `-L` print.
import os from "node:os";
import { signalNumber } from "../signals.js";
import { UsageError } from "./command.js";

/**
 * The first real-time signal as programs see it: the kernel's is 32, but glibc keeps 32 and 33
 * for itself, so its SIGRTMIN (and kill(1)'s, and the shell's RTMIN) is 34.
 */
export const SIGRTMIN = 34;
/** The last signal Linux has. */
export const SIGRTMAX = 64;

const REALTIME = /^(?:sig)?rt(?:min(?:\+(?<plus>\d+))?|(?<max>max)(?:-(?<minus>\d+))?|(?<offset>\d+))$/i;

/** The named signals, by number (aliases such as IOT after the name they share a number with), without "SIG". */
export const NAMED_SIGNALS: readonly { readonly name: string; readonly number: number }[] = Object.entries(os.constants.signals)
  .map(([name, number]) => ({ name: name.slice(3), number }))
  .sort((a, b) => a.number - b.number);

/**
 * Parses a signal: a number (0..64), a name with or without "SIG" in any case, or a real-time
 * signal: RTMIN, RTMIN+n, RTMAX, RTMAX-n, RT<n> (= RTMIN+n).
 */
export function parseSignal(text: string): number {
  const realtime = REALTIME.exec(text)?.groups;
  if (realtime) {
    const number = realtime.max ? SIGRTMAX - Number(realtime.minus ?? 0) : SIGRTMIN + Number(realtime.plus ?? realtime.offset ?? 0);
    if (number >= SIGRTMIN && number <= SIGRTMAX) return number;
    throw new UsageError(`unknown signal '${text}'`);
  }
  try {
    return /^\d+$/.test(text) ? signalNumber(Number(text)) : signalNumber(text);
  } catch {
    throw new UsageError(`unknown signal '${text}'`);
  }
}

/** How a signal number is shown: its name without SIG ("TERM"), RTMIN, RTMIN+n, RTMAX, or the number (0, 32, 33). */
export function signalLabel(number: number): string {
  const named = NAMED_SIGNALS.find((signal) => signal.number === number);
  if (named) return named.name;
  if (number === SIGRTMIN) return "RTMIN";
  if (number === SIGRTMAX) return "RTMAX";
  if (number > SIGRTMIN && number < SIGRTMAX) return `RTMIN+${number - SIGRTMIN}`;
  return String(number);
}

/** The real-time forms kill -l ends its list with, as util-linux kill(1). */
const REALTIME_FORMS = ["RT<N>", "RTMIN+<N>", "RTMAX-<N>"];
/** The width `kill -l` wraps its list at on a terminal, and a column of `kill -L` (util-linux's). */
const LIST_WIDTH = 72;
const TABLE_COLUMN = 11;

/** `kill -l`: every name, one per line; on a terminal, as many per line as fit in 72 columns. */
export function signalList(terminal: boolean): string {
  const names = [...NAMED_SIGNALS.map((signal) => signal.name), ...REALTIME_FORMS];
  if (!terminal) return `${names.join("\n")}\n`;
  const lines: string[] = [];
  for (const name of names) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 1 + name.length <= LIST_WIDTH) lines[last] += ` ${name}`;
    else lines.push(name);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `kill -L`: number and name of every named signal, then RTMIN and RTMAX, one per line; on a
 * terminal `terminalColumns` wide (0: unknown, taken as 73), in columns of 11 characters.
 */
export function signalTable(terminalColumns: number | null): string {
  const entries = [...NAMED_SIGNALS, { name: "RTMIN", number: SIGRTMIN }, { name: "RTMAX", number: SIGRTMAX }]
    .map(({ name, number }) => `${String(number).padStart(2)} ${name}`);
  if (terminalColumns === null) return `${entries.join("\n")}\n`;
  const perLine = Math.max(1, Math.floor(((terminalColumns || LIST_WIDTH + 1) - 1) / TABLE_COLUMN));
  const lines: string[] = [];
  for (let i = 0; i < entries.length; i += perLine) {
    lines.push(entries.slice(i, i + perLine).map((entry) => entry.padEnd(TABLE_COLUMN)).join("").trimEnd());
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `kill -l <arg>`: a signal number (or 128+n, an exit status such as `$?`) becomes its name, a
 * name becomes its number, a mask 0x<hex> (as in /proc/<pid>/status) becomes the names of its
 * signals, one per line.
 */
export function convertSignal(text: string): string {
  if (/^0x[0-9a-f]+$/i.test(text)) {
    const mask = BigInt(text);
    if (mask >> BigInt(SIGRTMAX) !== 0n) throw new UsageError(`invalid signal mask '${text}': Linux has signals 1..${SIGRTMAX}`);
    const numbers = Array.from({ length: SIGRTMAX }, (_, bit) => bit + 1).filter((number) => ((mask >> BigInt(number - 1)) & 1n) === 1n);
    return numbers.map((number) => `${signalLabel(number)}\n`).join("");
  }
  if (/^\d+$/.test(text)) {
    const status = Number(text);
    const number = status >= 128 && status - 128 <= SIGRTMAX ? status - 128 : status;
    if (number > SIGRTMAX) throw new UsageError(`unknown signal '${text}'`);
    return `${signalLabel(number)}\n`;
  }
  return `${parseSignal(text)}\n`;
}
