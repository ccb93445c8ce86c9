/** Loads session files given as files or directories (every *.json inside, sorted), validated with zod. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseSessionFile, type SessionFile } from '../core/session.ts';

/**
 * Expands `paths` (files or directories) to session file paths, sorted within each directory,
 * each once. A directory holding replays (`homeostat replay` writes run-N.session.json beside
 * its report and summary.json, one directory per replay) gives its *.session.json files, at any
 * depth: `--sessions .homeostat/replays` is every replay so far. Any other directory gives the
 * *.json files in it (the demo's and the panel's exports).
 */
export async function sessionPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) {
      const replays = await replaySessions(p);
      if (replays.length > 0) {
        out.push(...replays);
        continue;
      }
      const names = (await readdir(p)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
      out.push(...names.map((n) => join(p, n)));
    } else out.push(p);
  }
  return [...new Set(out.map((p) => resolve(p)))];
}

/** Every *.session.json under `dir`, sorted by path. */
async function replaySessions(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.session.json') && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
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
