/**
 * An interrupted command exits with the signal's code (130 SIGINT, 143 SIGTERM) after its
 * clean-up ran, even when the interrupted build then fails with its own error.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/interrupted-build.ts', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'homeostat-signals-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function interrupt(signal: 'SIGINT' | 'SIGTERM', marker: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Its own process group, as a terminal's foreground job: Ctrl-C reaches the build too.
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, marker], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      // Signal once the command has started its build (the condition, not a delay).
      if (d.toString().includes('ready')) process.kill(-child.pid!, signal);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('an interrupted command', () => {
  for (const [signal, expected] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`exits ${expected} after cleaning up on ${signal}, not 1 with the build's error`, async () => {
      const marker = join(tmp, `${signal}.marker`);
      const r = await interrupt(signal, marker);
      expect(r.code, r.stderr).toBe(expected);
      expect(existsSync(marker) && readFileSync(marker, 'utf8')).toBe('cleaned');
      expect(r.stderr).toMatch(new RegExp(`${signal}: cleaning up 1 temporary resource`));
      expect(r.stderr).not.toMatch(/Building .* failed/);
    }, 30_000);
  }
});
