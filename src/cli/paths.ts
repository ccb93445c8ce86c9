/**
 * Path arguments checked before any work: each error names the option, the path and what was
 * expected there, instead of a raw ENOENT/ENOTDIR/EISDIR from deep inside a reader.
 */
import { statSync } from 'node:fs';
import { UsageError } from './command.ts';

type Kind = 'directory' | 'file' | 'file or directory';

/** Throws a UsageError unless `path` exists and is a `kind`; `what` says what it should hold. */
export function expectPath(option: string, path: string, kind: Kind, what: string): void {
  let s;
  try {
    s = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${option} ${path} does not exist; expected ${what}`);
    if (code === 'ENOTDIR') throw new UsageError(`${option} ${path}: a part of this path is a file, not a directory; expected ${what}`);
    throw new UsageError(`${option} ${path} cannot be read (${code ?? String(e)}); expected ${what}`);
  }
  if (kind === 'directory' && !s.isDirectory()) throw new UsageError(`${option} ${path} is a file; expected ${what}`);
  if (kind === 'file' && !s.isFile()) throw new UsageError(`${option} ${path} is a directory; expected ${what}`);
  if (kind === 'file or directory' && !s.isFile() && !s.isDirectory()) throw new UsageError(`${option} ${path} is neither a file nor a directory; expected ${what}`);
}

/** A file-system error from anywhere as a sentence naming the path and what went wrong there. */
export function describeFsError(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof err.code !== 'string' || typeof err.path !== 'string') return null;
  const why: Record<string, string> = {
    ENOENT: 'does not exist',
    ENOTDIR: 'was expected to be a directory, but a part of it is a file',
    EISDIR: 'is a directory; a file was expected',
    EACCES: 'is not accessible (permission denied)',
    EPERM: 'is not accessible (operation not permitted)',
    ENOSPC: 'could not be written: no space left on the device',
    EROFS: 'could not be written: read-only file system',
    EEXIST: 'already exists',
  };
  return `${err.path} ${why[err.code] ?? `failed (${err.code})`}${err.syscall ? ` (${err.syscall})` : ''}`;
}
