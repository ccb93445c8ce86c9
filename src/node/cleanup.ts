/**
 * What heal must undo if it is interrupted: temporary worktrees, build processes, servers and
 * browsers register here while they exist. Normal code paths still clean up in `finally`; this
 * registry is for SIGINT/SIGTERM/SIGHUP, when no `finally` runs: the handler runs every pending
 * task (newest first), then exits with the signal's conventional code. A second signal exits
 * at once.
 */

export type CleanupTask = () => unknown;

interface Entry {
  label: string;
  run: CleanupTask;
}

const tasks = new Map<number, Entry>();
let nextId = 1;

/** Registers `run` to be done on interruption; the returned function unregisters it (call it once done normally). */
export function registerCleanup(label: string, run: CleanupTask): () => void {
  const id = nextId++;
  tasks.set(id, { label, run });
  return () => {
    tasks.delete(id);
  };
}

/** Labels of what would be cleaned up now, oldest first. */
export function pendingCleanups(): string[] {
  return [...tasks.values()].map((t) => t.label);
}

/**
 * Runs and unregisters every pending task, newest first (a server before the worktree it
 * serves). A task that fails or takes longer than `timeoutMs` does not stop the others.
 * Resolves with the failures, as "label: reason".
 */
export async function runCleanups(timeoutMs = 15_000): Promise<string[]> {
  const failures: string[] = [];
  const entries = [...tasks.entries()].reverse();
  tasks.clear();
  for (const [, { label, run }] of entries) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(run),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`gave up after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (e) {
      failures.push(`${label}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return failures;
}

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type Signal = keyof typeof EXIT_CODES;

let installed = 0;
/** Set the moment a signal arrives: resolves with the exit code once the clean-up is done. */
let interruption: Promise<number> | null = null;

/**
 * Non-null once SIGINT/SIGTERM/SIGHUP arrived: whatever the command does next (a build that
 * died of the same signal rejects with "Building … failed"), the process is exiting with the
 * signal's code after the clean-up, and callers must not exit earlier with another code.
 */
export function interrupted(): Promise<number> | null {
  return interruption;
}

/** True while `installSignalCleanup` is in effect (browsers then leave signals to us). */
export function signalCleanupInstalled(): boolean {
  return installed > 0;
}

export interface SignalCleanupOptions {
  log?: (line: string) => void;
  /** Replaces `process.exit` (tests). */
  exit?: (code: number) => void;
}

/**
 * Handles SIGINT, SIGTERM and SIGHUP for the rest of a long job: cleans up, then exits.
 * Returns a function that removes the handlers again.
 */
export function installSignalCleanup(options: SignalCleanupOptions = {}): () => void {
  // Installed once per process (the CLI does it for every command; heal asks again): a second
  // set of handlers would run an empty clean-up and exit before the first had finished.
  if (installed > 0) {
    installed++;
    let removed = false;
    return () => {
      if (!removed) installed--;
      removed = true;
    };
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let cleaning = false;
  const handlers = new Map<Signal, () => void>();
  for (const signal of Object.keys(EXIT_CODES) as Signal[]) {
    const handler = () => {
      if (cleaning) {
        log(`${signal} again: exiting without finishing the clean-up (left: ${pendingCleanups().join(', ') || 'nothing'})`);
        exit(EXIT_CODES[signal]);
        return;
      }
      cleaning = true;
      log(`${signal}: cleaning up ${tasks.size} temporary resource${tasks.size === 1 ? '' : 's'} before exiting`);
      interruption = runCleanups().then((failures) => {
        for (const f of failures) log(`  could not clean up ${f}`);
        return EXIT_CODES[signal];
      });
      void interruption.then(exit);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  installed++;
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    installed--;
    interruption = null;
  };
}
