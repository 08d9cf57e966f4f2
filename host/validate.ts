// Argument checks shared by the API: names looked up in tables, options objects, arrays.
import { invalidArg, unknownOption } from "./errors.js";

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

/**
 * What each option of an options object may be: a `typeof` name ("boolean", "string", ...),
 * checked here, or "checked" for an option the function checks itself where it reads it (a
 * range, an AbortSignal, a union).
 */
export type OptionTypes = Readonly<Record<string, "boolean" | "string" | "number" | "bigint" | "function" | "object" | "checked">>;

/**
 * Checks that an options argument is an object (TypeError ERR_INVALID_ARG_TYPE for null,
 * numbers, ...); returns it. With `types`, also that it has no property `types` does not name
 * (TypeError ERR_INVALID_ARG_VALUE naming it: a typo is never ignored) and that each option it
 * names has the type given (ERR_INVALID_ARG_TYPE). An option that is `undefined` is absent.
 */
export function checkOptions<T>(name: string, options: T, types?: OptionTypes): T & object {
  if (typeof options !== "object" || options === null) throw invalidArg(name, "of type object", options);
  if (types) {
    const keys = Object.keys(options);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = (options as Record<string, unknown>)[key];
      const type = Object.hasOwn(types, key) ? types[key] : undefined;
      if (type === undefined) throw unknownOption(name, key, Object.keys(types), value);
      if (value === undefined || type === "checked") continue;
      if (typeof value !== type || (type === "object" && value === null)) throw invalidArg(`${name}.${key}`, `of type ${type}`, value);
    }
  }
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
