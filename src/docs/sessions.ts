/** Loads session files given as files or directories (every *.json inside, sorted), validated with zod. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseSessionFile, type SessionFile } from '../core/session.ts';

/** Expands `paths` (files or directories) to session file paths, sorted within each directory, each once. */
export async function sessionPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
      out.push(...names.map((n) => join(p, n)));
    } else out.push(p);
  }
  return [...new Set(out.map((p) => resolve(p)))];
}

/**
 * Reads and validates every session; errors name the file and the bad field. A session exported
 * twice (same id) counts once, so merging a directory with a copy does not double its samples.
 */
export async function loadSessions(paths: readonly string[]): Promise<SessionFile[]> {
  const files = await sessionPaths(paths);
  const parsed = await Promise.all(files.map(async (f) => parseSessionFile(await readFile(f, 'utf8'), f)));
  const seen = new Set<string>();
  return parsed.filter((s) => (seen.has(s.session.id) ? false : (seen.add(s.session.id), true)));
}
