// ExitStatus: a wait(2) status, decoded by the core. Runtime-neutral (no Node API): the Deno
// host uses it as it is, with its own core.
import { checkInt, outOfRange } from "./errors.js";
import type { Core } from "./instance.js";
import { signalName, type SignalName } from "./signals.js";

/** How a process changed state (assembly/wait_status.ts STATUS_*). */
export type ExitKind = "exited" | "signaled" | "stopped" | "continued";
const KINDS: readonly (ExitKind | null)[] = [null, "exited", "signaled", "stopped", "continued"];
const CORE_FLAG = 1 << 11;
const POSSIBLE_STATUSES = "a wait status a process can have (exited: code << 8; killed: signal | 0x80 if it dumped core; "
  + "stopped: signal << 8 | 0x7f; continued: 0xffff)";

/** What every ExitStatus has, whatever its kind. */
export interface ExitStatusCommon {
  /** The wait(2) status integer (what WIFEXITED and friends decode). */
  readonly raw: number;
  /** Whether the kernel wrote a core dump (WCOREDUMP). */
  readonly coreDumped: boolean;
  /** True when the process exited with code 0. */
  readonly success: boolean;
  /** The shell's `$?` for this status: the code, or 128 + the signal number. */
  readonly shellCode: number;
  toString(): string;
  toJSON(): ExitStatusJSON;
}

/** The process exited: `code` is its exit code (0-255). */
export interface ExitedStatus extends ExitStatusCommon {
  readonly kind: "exited"; readonly code: number; readonly signal: null; readonly signalNumber: null;
}

/** A signal killed the process; `signal` is null for real-time signals. */
export interface SignaledStatus extends ExitStatusCommon {
  readonly kind: "signaled"; readonly code: null; readonly signal: SignalName | null; readonly signalNumber: number;
}

/** A signal stopped the process; `signal` is null for real-time signals. */
export interface StoppedStatus extends ExitStatusCommon {
  readonly kind: "stopped"; readonly code: null; readonly signal: SignalName | null; readonly signalNumber: number;
}

/** SIGCONT resumed the stopped process. */
export interface ContinuedStatus extends ExitStatusCommon {
  readonly kind: "continued"; readonly code: null; readonly signal: null; readonly signalNumber: null;
}

/**
 * A process's exit (or stop/continue) status: the wait(2) status integer and what it means,
 * like Node's `(code, signal)` pair plus the core-dump flag. A union on `kind`: checking
 * `status.kind === "exited"` makes `code` a number.
 */
export type ExitStatus = ExitedStatus | SignaledStatus | StoppedStatus | ContinuedStatus;

/** ExitStatus.toJSON()'s result. */
export interface ExitStatusJSON {
  raw: number; kind: ExitKind; code: number | null; signal: string | null; signalNumber: number | null; coreDumped: boolean;
}

/** The ExitStatus class: `status instanceof ExitStatus`, `ExitStatus.fromRaw(1792)`. */
export interface ExitStatusConstructor extends Function {
  readonly prototype: ExitStatus;
  /**
   * Decodes a wait(2) status integer, e.g. 1792 -> exited with code 7. RangeError
   * (ERR_OUT_OF_RANGE) for a number no process's status can be (docs/api.md lists them).
   */
  fromRaw(raw: number): ExitStatus;
}

const ExitStatusClass = class ExitStatus {
  readonly raw: number;
  readonly kind: ExitKind;
  readonly code: number | null;
  readonly signal: SignalName | null;
  readonly signalNumber: number | null;
  readonly coreDumped: boolean;

  private constructor(raw: number, packed: number) {
    const kind = KINDS[(packed >> 8) & 7];
    if (!kind) throw outOfRange("raw", POSSIBLE_STATUSES, raw);
    const value = packed & 0xff;
    this.raw = raw;
    this.kind = kind;
    this.code = kind === "exited" ? value : null;
    this.signalNumber = kind === "signaled" || kind === "stopped" ? value : null;
    this.signal = this.signalNumber === null ? null : signalName(this.signalNumber);
    this.coreDumped = (packed & CORE_FLAG) !== 0;
  }

  static fromRaw(raw: number) {
    return decodeStatus(defaultDecoder(), raw);
  }

  /** @internal */
  static decode(core: Core, raw: number) {
    checkInt("raw", raw, 0, 0xffff);
    return new this(raw, core.exports.decode_status(raw));
  }

  get success(): boolean {
    return this.code === 0;
  }

  get shellCode(): number {
    return this.code ?? 128 + (this.signalNumber ?? 0);
  }

  toString(): string {
    const signal = this.signal ?? `signal ${this.signalNumber}`;
    switch (this.kind) {
      case "exited": return `exited with code ${this.code}`;
      case "signaled": return `killed by ${signal}${this.coreDumped ? " (core dumped)" : ""}`;
      case "stopped": return `stopped by ${signal}`;
      case "continued": return "continued";
    }
  }

  toJSON(): ExitStatusJSON {
    const { raw, kind, code, signal, signalNumber, coreDumped } = this;
    return { raw, kind, code, signal, signalNumber, coreDumped };
  }
};

export const ExitStatus = ExitStatusClass as unknown as ExitStatusConstructor;

let decoder: (() => Core) | undefined;

/**
 * Sets the core that ExitStatus.fromRaw() decodes with (any core: decode_status makes no
 * syscall). host/runtime.ts sets the Node host's; a host in another runtime that wants fromRaw()
 * sets its own, or calls decodeStatus() with its core.
 */
export function setStatusDecoder(core: () => Core): void {
  decoder = core;
}

function defaultDecoder(): Core {
  if (decoder === undefined) throw new Error("pidfd: ExitStatus.fromRaw() needs a core: call setStatusDecoder() first, or decodeStatus(core, raw)");
  return decoder();
}

/**
 * Decodes a wait(2) status integer with `core`'s decode_status (the status layout of the
 * architecture `core` was started for): ExitStatus.fromRaw() with a core of one's own.
 */
export function decodeStatus(core: Core, raw: number): ExitStatus {
  return ExitStatusClass.decode(core, raw) as unknown as ExitStatus;
}

/**
 * The status a process ended with (exited or killed) that the int `raw` is, else null: for the
 * exit_code of PIDFD_INFO_EXIT (Linux 6.15), which is a process's wait status but any int for a
 * kernel thread (kthread_exit()). Decoded by `core`.
 */
export function endStatus(core: Core, raw: number): ExitStatus | null {
  if (raw < 0 || raw > 0xffff) return null;
  const kind = KINDS[(core.exports.decode_status(raw) >> 8) & 7];
  return kind === "exited" || kind === "signaled" ? decodeStatus(core, raw) : null;
}
