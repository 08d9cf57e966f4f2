// Output helpers shared by the subcommands.

/** Prints `value` as one line of JSON; bigints become decimal strings (JSON has no 64-bit integers). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? String(item) : item))}\n`);
}

/** Prints a command's help text on stdout; returns exit code 0. */
export function printHelp(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}
