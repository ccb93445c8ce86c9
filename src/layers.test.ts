// The one-way layout rule (.dependency-cruiser.cjs) must fail on an upward import, a cycle, or
// Node in a browser layer: run the real rule set on a small tree that breaks each once, and on
// one that breaks none.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'homeostat-layers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [path, text] of Object.entries({ 'tsconfig.json': '{ "compilerOptions": { "allowImportingTsExtensions": true, "module": "preserve", "noEmit": true } }', ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function cruise(dir: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(join(root, 'node_modules/.bin/depcruise'), ['src', '--config', join(root, '.dependency-cruiser.cjs')], { cwd: dir }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as NodeJS.ErrnoException).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

describe('the layer rule', () => {
  it('passes imports that only go down', async () => {
    const dir = tree('ok', {
      'src/core/a.ts': 'export const a = 1;\n',
      'src/heal/b.ts': "import { a } from '../core/a.ts';\nexport const b = a;\n",
    });
    const r = await cruise(dir);
    expect(r.out).toMatch(/no dependency violations/);
    expect(r.code).toBe(0);
  });

  it('fails on an upward import, a cycle and Node in a browser layer, naming each', async () => {
    const dir = tree('bad', {
      'src/core/a.ts': "import { b } from '../heal/b.ts';\nexport const a = b;\n",
      'src/heal/b.ts': 'export const b = 1;\n',
      'src/page/c.ts': "import { d } from './d.ts';\nexport const c = d;\n",
      'src/page/d.ts': "import { c } from './c.ts';\nimport { readFileSync } from 'node:fs';\nexport const d = () => [c, readFileSync];\n",
    });
    const r = await cruise(dir);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/layer-core.*src\/core\/a\.ts/s);
    expect(r.out).toMatch(/no-circular/);
    expect(r.out).toMatch(/browser-without-node.*src\/page\/d\.ts/s);
  });
});
