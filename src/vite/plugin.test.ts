/**
 * @homeostat/tools/vite in real Vite builds: client builds are instrumented, SSR builds and excluded
 * files are left alone, `production: false` turns it off for builds.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type Rollup } from 'vite';
import homeostat, { moduleFilter, type HomeostatPluginOptions } from './index.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let root: string;

beforeAll(async () => {
  // Inside the repository, so React resolves from its node_modules.
  await mkdir(join(repo, '.tmp'), { recursive: true });
  root = await mkdtemp(join(repo, '.tmp', 'vite-plugin-'));
  await mkdir(join(root, 'src', 'legacy'), { recursive: true });
  await writeFile(join(root, 'src', 'App.jsx'), `import { useState } from 'react';\nexport function App() {\n  const [n, setN] = useState(0);\n  return <button onClick={() => setN(n + 1)}>{n}</button>;\n}\n`);
  await writeFile(join(root, 'src', 'legacy', 'Old.jsx'), `export function Old({ go }) {\n  return <button onClick={() => go(1)}>old</button>;\n}\n`);
  await writeFile(join(root, 'src', 'entry.jsx'), `export { App } from './App.jsx';\nexport { Old } from './legacy/Old.jsx';\n`);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function bundle(options: HomeostatPluginOptions, ssr = false): Promise<string> {
  const out = (await build({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins: [homeostat({ setup: false, ...options })],
    resolve: { alias: [{ find: /^homeostat\/auto$/, replacement: join(repo, 'src/page/auto.ts') }] },
    build: {
      write: false,
      minify: false,
      ...(ssr ? { ssr: 'src/entry.jsx' } : { lib: { entry: 'src/entry.jsx', formats: ['es'] } }),
      rolldownOptions: { external: [/^react/] },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const outputs = Array.isArray(out) ? out : [out];
  return outputs.flatMap((o) => o.output).map((c) => ('code' in c ? c.code : '')).join('\n');
}

describe('@homeostat/tools/vite', () => {
  it('instruments client builds, honouring exclude', async () => {
    const code = await bundle({ exclude: ['**/legacy/**'] });
    expect(code).toContain('"App.onClick"');
    expect(code).toContain('src/App.jsx');
    expect(code).not.toContain('Old.onClick');
  });

  it('leaves SSR builds alone, and builds when production is false', async () => {
    expect(await bundle({}, true)).not.toContain('App.onClick');
    expect(await bundle({ production: false })).not.toContain('App.onClick');
    expect(await bundle({})).toContain('Old.onClick');
  });

  it('filters modules by globs relative to the root, never node_modules or virtual modules', () => {
    const f = moduleFilter('/app', { include: ['src/**/*.{jsx,tsx}'], exclude: 'src/gen/**' });
    expect(f('/app/src/App.jsx')).toBe(true);
    expect(f('/app/src/App.jsx?v=123')).toBe(true);
    expect(f('/app/src/gen/A.jsx')).toBe(false);
    expect(f('/app/src/util.ts')).toBe(false);
    expect(f('/app/node_modules/x/src/A.jsx')).toBe(false);
    expect(f('\0virtual:thing.jsx')).toBe(false);
    expect(f('/elsewhere/src/A.jsx')).toBe(false);
    const d = moduleFilter('/app', {});
    expect(['/app/src/a.js', '/app/src/a.ts', '/app/src/a.mts'].every(d)).toBe(true);
    expect(['/app/src/a.test.tsx', '/app/src/__tests__/a.ts', '/app/src/a.d.ts', '/app/src/a.css'].some(d)).toBe(false);
  });
});
