// Argument checks shared by the API: names looked up in tables, options objects, arrays.
import { invalidArg } from "./errors.js";

/** `table[key]` when `key` is an own property of `table` (never one of Object.prototype's, such as "toString"). */
export function ownValue<V>(table: Readonly<Record<string, V>>, key: unknown): V | undefined {
  return typeof key === "string" && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** `table[key]` for an own key of `table`; else TypeError ERR_INVALID_ARG_VALUE naming the keys. */
export function oneOf<V>(name: string, table: Readonly<Record<string, V>>, key: unknown): V {
  const value = ownValue(table, key);
  if (value === undefined) throw invalidArg(name, `one of ${Object.keys(table).join(", ")}`, key, "ERR_INVALID_ARG_VALUE");
  return value;
}

/** Checks that an options argument is an object (TypeError ERR_INVALID_ARG_TYPE for null, numbers, ...); returns it. */
export function checkOptions<T>(name: string, options: T): T & object {
  if (typeof options !== "object" || options === null) throw invalidArg(name, "of type object", options);
  return options;
}

/**
 * Checks that `array` has no holes (a sparse array such as `["a", , "b"]`): TypeError
 * ERR_INVALID_ARG_VALUE naming the first missing index. An element that is present but
 * `undefined` is not a hole.
 */
export function checkNoHoles(name: string, array: readonly unknown[]): void {
  for (let i = 0; i < array.length; i++) {
    if (!Object.hasOwn(array, i)) {
      throw invalidArg(name, `an array without holes (index ${i} is empty)`, array, "ERR_INVALID_ARG_VALUE");
    }
  }
}
