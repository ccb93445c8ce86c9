/**
 * What a failed command tells the user, and with which exit code. Every command shares one
 * convention (the README's table):
 *
 *   0 ok · 1 found problems or failed · 2 bad input (an invalid file, an unknown option)
 *   3 unresolved (could not decide) · 130/143/129 interrupted (SIGINT/SIGTERM/SIGHUP)
 *
 * Bad input is said in one line naming the file (or option), the field and what was expected:
 * Node's parseArgs messages and zod's issue lists are rewritten here rather than shown raw.
 */
import { UsageError } from './command.ts';
import { describeFsError } from './paths.ts';

export const EXIT = { ok: 0, failed: 1, badInput: 2, unresolved: 3 } as const;

/** The file-format errors of sessions, specs, docs, recordings and field sources: bad input. */
const FORMAT_ERRORS = new Set(['SessionFormatError', 'SpecFormatError', 'DocsFormatError', 'RecordingFormatError', 'FieldSourceError']);

export interface Described {
  code: number;
  /** One line (no newline), without the `homeostat <command>: ` prefix. */
  message: string;
  /** The command's usage is worth pointing at (an option or argument was wrong). */
  usage: boolean;
}

/** Maps any error a command threw to its exit code and one human line. */
export function describeError(e: unknown, options: ReadonlyArray<string> = []): Described {
  if (e instanceof UsageError) return { code: EXIT.badInput, message: oneLine(e.message), usage: true };
  const code = (e as { code?: unknown }).code;
  if (e instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return { code: EXIT.badInput, message: parseArgsMessage(code, e.message, options), usage: true };
  }
  if (e instanceof Error && FORMAT_ERRORS.has(e.name)) return { code: EXIT.badInput, message: formatErrorMessage(e), usage: false };
  const fs = describeFsError(e);
  if (fs) return { code: EXIT.failed, message: fs, usage: false };
  return { code: EXIT.failed, message: oneLine(e instanceof Error ? e.message : String(e)), usage: false };
}

/** Node's parseArgs messages, e.g. "Option '--runs' argument is ambiguous. Did you forget…", as one plain line. */
export function parseArgsMessage(code: string, message: string, options: ReadonlyArray<string> = []): string {
  const quoted = /'(-{1,2}[^'\s]+)'/.exec(message)?.[1];
  const flag = quoted?.replace(/\s.*$/, '');
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = flag ? closest(flag.replace(/^-+/, ''), options) : null;
      return `unknown option ${flag ?? ''}${near ? `; did you mean --${near}?` : ''}`.trim();
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/ambiguous/.test(message)) {
        // `--runs --json`: the value looks like the next option.
        return `${flag} needs a value; the next argument starts with '-' (write ${flag}=<value> if that is the value)`;
      }
      if (/does not take an argument/.test(message)) return `${flag} takes no value`;
      return `${flag ?? 'an option'} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /Unexpected argument '([^']*)'/.exec(message)?.[1];
      return `unexpected argument ${arg !== undefined ? JSON.stringify(arg) : ''}: this command takes options only`.replace('  ', ' ');
    }
    default:
      return oneLine(message);
  }
}

/**
 * "file: not a valid Homeostat session: session.id: expected a string, got nothing (and 20
 * more problems)". The first problem names the field; the count says how many more there are.
 */
function formatErrorMessage(e: Error): string {
  const { source, file, line, issues } = e as Error & { source?: unknown; file?: unknown; line?: unknown; issues?: unknown };
  if (!Array.isArray(issues) || issues.length === 0) return oneLine(e.message);
  const where = typeof source === 'string' ? source : typeof file === 'string' ? `${file}${typeof line === 'number' ? `:${line}` : ''}` : '';
  const what = /: (not a [^:\n]+):/.exec(e.message)?.[1];
  const list = issues.filter((i): i is string => typeof i === 'string');
  const more = list.filter((i) => !/^…and \d+ more$/.test(i));
  const extra = Number(/^…and (\d+) more$/.exec(list[list.length - 1] ?? '')?.[1] ?? 0);
  const others = more.length - 1 + extra;
  const first = humanIssue(more[0] ?? '');
  return `${where ? `${where}: ` : ''}${what ? `${what}: ` : ''}${first}${others > 0 ? ` (and ${others} more problem${others === 1 ? '' : 's'})` : ''}`;
}

/** zod's "Invalid input: expected string, received undefined" as "expected a string, got nothing". */
export function humanIssue(issue: string): string {
  return oneLine(
    issue
      .replace(/Invalid input: expected (\w+), received undefined/, (_m, want: string) => `missing; expected ${article(want)}`)
      .replace(/Invalid input: expected (\w+), received (\w+)/, (_m, want: string, got: string) => `expected ${article(want)}, got ${article(got)}`)
      .replace(/Invalid option: expected one of (.+)$/, (_m, list: string) => `expected one of ${list}`)
      .replace(/Invalid input: expected/, 'expected'),
  );
}

function article(type: string): string {
  if (type === 'null' || type === 'undefined') return type;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ').trim();
}

/** The option `name` most likely meant (a prefix of it, or at most two edits away), if any. */
function closest(name: string, options: ReadonlyArray<string>): string | null {
  const prefixed = options.filter((o) => o.startsWith(name));
  if (prefixed.length === 1) return prefixed[0]!;
  let best: string | null = null;
  let bestDistance = 3;
  for (const o of options) {
    const d = distance(name, o);
    if (d < bestDistance) [best, bestDistance] = [o, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}
