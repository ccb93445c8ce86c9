/** Loads session files given as files or directories (every *.json inside, sorted), validated with zod. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSessionFile, type SessionFile } from '../core/session.ts';

/** Expands `paths` (files or directories) to session file paths, sorted within each directory. */
export async function sessionPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
      out.push(...names.map((n) => join(p, n)));
    } else out.push(p);
  }
  return out;
}

/** Reads and validates every session; errors name the file and the bad field. */
export async function loadSessions(paths: readonly string[]): Promise<SessionFile[]> {
  const files = await sessionPaths(paths);
  return Promise.all(files.map(async (f) => parseSessionFile(await readFile(f, 'utf8'), f)));
}
