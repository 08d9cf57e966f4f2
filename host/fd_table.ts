// A table indexed by fd number, for what this thread keeps per fd (threads.ts, watch.ts).

const PAGE_BITS = 10;
const PAGE_SIZE = 1 << PAGE_BITS;

/**
 * Values by fd, in pages of 1,024 fds, each a dense array made on first use. In one flat array, a
 * single high fd number (a raised fd limit, a program with many files) would turn the array into
 * a dictionary, and every access after that into a hash lookup (~0.2 µs an open + close); a Map
 * reallocates its table as entries come and go.
 */
export class FdTable<T> {
  readonly #pages: ((T | undefined)[] | undefined)[] = [];

  get(fd: number): T | undefined {
    return this.#pages[fd >>> PAGE_BITS]?.[fd & (PAGE_SIZE - 1)];
  }

  set(fd: number, value: T | undefined): void {
    const pages = this.#pages;
    const index = fd >>> PAGE_BITS;
    while (pages.length <= index) pages.push(undefined);
    (pages[index] ??= new Array<T | undefined>(PAGE_SIZE).fill(undefined))[fd & (PAGE_SIZE - 1)] = value;
  }

  /** Calls `visit` for each fd with a value, in fd order. */
  forEach(visit: (value: T, fd: number) => void): void {
    this.#pages.forEach((page, index) => page?.forEach((value, offset) => {
      if (value !== undefined) visit(value, index * PAGE_SIZE + offset);
    }));
  }

  /** Forgets every value. */
  clear(): void {
    this.#pages.length = 0;
  }
}
