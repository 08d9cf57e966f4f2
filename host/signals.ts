// Signal names and numbers, validated the way process.kill() validates them.
import os from "node:os";
import { checkInt, invalidArg } from "./errors.js";

/**
 * A signal as every signal parameter takes it: a number (0..64) or a name with or without the
 * "SIG" prefix ("SIGTERM", "TERM"). At run time the name's case does not matter either.
 */
export type Signal = NodeJS.Signals | WithoutSig<NodeJS.Signals> | number;
type WithoutSig<Name> = Name extends `SIG${infer Rest}` ? Rest : never;

/** The highest signal number Linux has (SIGRTMAX). */
export const SIGNAL_MAX = 64;

const NAME_TO_NUMBER = new Map<string, number>(Object.entries(os.constants.signals));
const NUMBER_TO_NAME = new Map<number, NodeJS.Signals>();
for (const [name, value] of NAME_TO_NUMBER) {
  if (!NUMBER_TO_NAME.has(value)) NUMBER_TO_NAME.set(value, name as NodeJS.Signals);
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
export function signalName(signal: number): NodeJS.Signals | null {
  return NUMBER_TO_NAME.get(signal) ?? null;
}
