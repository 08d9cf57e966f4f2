// A small stand-in for mocha's BDD interface (describe, it, before, after, beforeEach, afterEach,
// this.timeout, this.skip), so that the same test files run under runtimes that do not run mocha
// as Node does (Deno, Bun): tests run one after another, each with its hooks and a timeout.

type Body = (this: Context) => unknown;
interface Context {
  timeout(ms?: number): number;
  skip(): never;
}
interface Suite {
  title: string;
  parent?: Suite;
  suites: Suite[];
  tests: { title: string; body: Body }[];
  before: Body[];
  after: Body[];
  beforeEach: Body[];
  afterEach: Body[];
  timeout?: number;
}

/** One test's outcome: its full title, and the error when it failed. */
export interface Outcome {
  title: string;
  state: "passed" | "failed" | "skipped";
  error?: string;
}

const SKIP = Symbol("skip");
const root: Suite = newSuite("");
let current = root;

function newSuite(title: string, parent?: Suite): Suite {
  return { title, parent, suites: [], tests: [], before: [], after: [], beforeEach: [], afterEach: [] };
}

/** Installs describe/it/hooks as globals, as mocha does. */
export function installBdd(): void {
  const g = globalThis as Record<string, unknown>;
  g.describe = (title: string, body: (this: Context) => void) => {
    const suite = newSuite(title, current);
    current.suites.push(suite);
    const outer = current;
    current = suite;
    try {
      body.call(contextOf(suite));
    } finally {
      current = outer;
    }
  };
  g.it = (title: string, body: Body) => current.tests.push({ title, body });
  g.before = (body: Body) => current.before.push(body);
  g.after = (body: Body) => current.after.push(body);
  g.beforeEach = (body: Body) => current.beforeEach.push(body);
  g.afterEach = (body: Body) => current.afterEach.push(body);
}

function contextOf(suite: Suite, test?: { timeout?: number }): Context {
  return {
    timeout(ms?: number) {
      if (ms !== undefined) {
        if (test) test.timeout = ms;
        else suite.timeout = ms;
      }
      return test?.timeout ?? timeoutOf(suite);
    },
    skip(): never {
      throw SKIP;
    },
  };
}

function timeoutOf(suite: Suite | undefined): number {
  for (let s = suite; s; s = s.parent) if (s.timeout !== undefined) return s.timeout;
  return 20_000;
}

/** Calls `body` (sync or async) with a timeout; the timer never keeps the runtime alive by itself. */
async function call(body: Body, context: Context): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => body.call(context)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${context.timeout()} ms`)), context.timeout());
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function fullTitle(suite: Suite, title: string): string {
  const parts = [title];
  for (let s: Suite | undefined = suite; s && s.title; s = s.parent) parts.unshift(s.title);
  return parts.join(" ");
}

const describeError = (error: unknown): string => (error instanceof Error ? error.stack ?? error.message : String(error));

async function runSuite(suite: Suite, outcomes: Outcome[], report: (outcome: Outcome) => void): Promise<void> {
  const record = (outcome: Outcome): void => {
    outcomes.push(outcome);
    report(outcome);
  };
  try {
    for (const hook of suite.before) await call(hook, contextOf(suite));
  } catch (error) {
    const state = error === SKIP ? "skipped" : "failed";
    for (const test of allTests(suite)) record({ title: test, state, error: state === "failed" ? `before hook: ${describeError(error)}` : undefined });
    return;
  }
  for (const test of suite.tests) {
    const title = fullTitle(suite, test.title);
    const own = {};
    const context = contextOf(suite, own);
    let outcome: Outcome = { title, state: "passed" };
    try {
      const chain: Suite[] = [];
      for (let s: Suite | undefined = suite; s; s = s.parent) chain.unshift(s);
      for (const each of chain) for (const hook of each.beforeEach) await call(hook, context);
      await call(test.body, context);
    } catch (error) {
      outcome = error === SKIP ? { title, state: "skipped" } : { title, state: "failed", error: describeError(error) };
    }
    for (let s: Suite | undefined = suite; s; s = s.parent) {
      for (const hook of s.afterEach) {
        try {
          await call(hook, context);
        } catch (error) {
          if (outcome.state !== "failed") outcome = { title, state: "failed", error: `afterEach hook: ${describeError(error)}` };
        }
      }
    }
    record(outcome);
  }
  for (const child of suite.suites) await runSuite(child, outcomes, report);
  for (const hook of suite.after) {
    try {
      await call(hook, contextOf(suite));
    } catch (error) {
      record({ title: fullTitle(suite, "after hook"), state: "failed", error: describeError(error) });
    }
  }
}

function allTests(suite: Suite): string[] {
  return [...suite.tests.map((test) => fullTitle(suite, test.title)), ...suite.suites.flatMap(allTests)];
}

/** Runs every test registered so far, in order; `report` sees each outcome as it comes. */
export async function runAll(report: (outcome: Outcome) => void = () => {}): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  await runSuite(root, outcomes, report);
  return outcomes;
}
