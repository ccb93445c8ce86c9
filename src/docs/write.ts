/**
 * Atomic writes of a set of files: every file is first written to a temporary file in the same
 * directory, then renamed over its target, so a reader never sees a half-written file and a
 * failure before the renames leaves the old files untouched.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

export async function writeFilesAtomically(files: ReadonlyArray<{ path: string; content: string }>): Promise<void> {
  const temps: Array<{ temp: string; path: string }> = [];
  try {
    for (const f of files) {
      await mkdir(dirname(f.path), { recursive: true });
      const temp = join(dirname(f.path), `.${basename(f.path)}.${process.pid}.${Date.now()}.tmp`);
      temps.push({ temp, path: f.path });
      await writeFile(temp, f.content, 'utf8');
    }
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t.temp, { force: true })));
    throw e;
  }
  for (const t of temps) await rename(t.temp, t.path);
}
