/**
 * Where each handler the build plugin instrumented is defined, as the plugin saw it at build
 * time. Tools read it (`sources()` on the client, the DevTools panel) to link a handler name to
 * its code; it holds file paths relative to the project root, nothing from the user.
 */

export interface SourceLocation {
  /** Relative to the project root, posix separators. */
  file: string;
  line: number;
  column: number;
}

const byName = new Map<string, SourceLocation>();

/** Registers `[name, line, column, …]` triples of `file`. Later registrations (HMR) replace earlier ones. */
export function registerSources(file: string, flat: ReadonlyArray<string | number>): void {
  for (let i = 0; i + 2 < flat.length; i += 3) {
    byName.set(String(flat[i]), { file, line: Number(flat[i + 1]), column: Number(flat[i + 2]) });
  }
}

/** Every registered handler's source location, by handler name. */
export function handlerSources(): Record<string, SourceLocation> {
  return Object.fromEntries(byName);
}
