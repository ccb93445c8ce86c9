/**
 * The bundled demo as a standalone git repository, for `npm start` and the heal tests: a copy of
 * src/demo (app, docs, flows) with its own vite config, under .homeostat/heal/<run>/app so that
 * Node finds this package's node_modules (linked in). Healing it never touches src/demo.
 */
import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromRoot } from '../node/paths.ts';
import type { AppBuild } from './app.ts';
import { git } from './git.ts';

export interface DemoRepo {
  repo: string;
  srcDir: string;
  docsDir: string;
  flows: string[];
  build: AppBuild;
}

const viteConfig = (page: string, react: string) => `// The demo, standalone: Homeostat from this checkout's sources, served cross-origin isolated.
// Its build plugin (@homeostat/tools/vite) names the handlers the demo does not name by hand.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import homeostat from ${JSON.stringify(fromRoot('src', 'vite', 'index.ts'))};

export default defineConfig({
  root: '.',
  plugins: [homeostat({ setup: false, worker: 'package' }), react()],
  resolve: {
    alias: [
      { find: /^homeostat\\/react$/, replacement: ${JSON.stringify(react)} },
      { find: /^homeostat\\/auto$/, replacement: ${JSON.stringify(fromRoot('src', 'page', 'auto.ts'))} },
      { find: /^homeostat$/, replacement: ${JSON.stringify(page)} },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true },
  worker: { format: 'es' },
});
`;

const tsconfig = () =>
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        types: ['vite/client'],
        jsx: 'react-jsx',
        strict: true,
        isolatedModules: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        resolveJsonModule: true,
        noEmit: true,
        paths: {
          homeostat: [fromRoot('src', 'page', 'index.ts')],
          'homeostat/react': [fromRoot('src', 'react', 'index.tsx')],
          'homeostat/auto': [fromRoot('src', 'page', 'auto.ts')],
        },
      },
      include: ['src'],
    },
    null,
    2,
  ) + '\n';

/**
 * Copies an app's folders into `dir/app`, adds a vite config that builds it against this
 * checkout's sources, links node_modules in and commits it as a git repository of its own.
 * `copies` maps a path inside the repository to the file or folder it is copied from.
 */
export async function prepareAppRepo(dir: string, copies: Record<string, string>): Promise<{ repo: string; build: AppBuild }> {
  const repo = join(dir, 'app');
  await mkdir(repo, { recursive: true });
  for (const [to, from] of Object.entries(copies)) await cp(from, join(repo, to), { recursive: true });
  await writeFile(join(repo, 'vite.config.ts'), viteConfig(fromRoot('src', 'page', 'index.ts'), fromRoot('src', 'react', 'index.tsx')));
  // A TypeScript app's own typecheck (heal runs `tsc --noEmit -p tsconfig.json` on every patched tree), against this checkout's sources.
  await writeFile(join(repo, 'tsconfig.json'), tsconfig());
  await writeFile(join(repo, '.gitignore'), 'node_modules\ndist\n');
  await writeFile(join(repo, 'package.json'), JSON.stringify({ name: 'homeostat-app', private: true, type: 'module' }, null, 2) + '\n');
  await symlink(fromRoot('node_modules'), join(repo, 'node_modules'), 'dir');
  await git(repo, ['init', '--quiet', '-b', 'main']);
  await git(repo, ['add', '-A']);
  await git(repo, ['-c', 'user.name=Homeostat demo', '-c', 'user.email=demo@localhost', 'commit', '--quiet', '-m', 'The app']);
  return { repo, build: { command: `node ${JSON.stringify(fromRoot('node_modules', 'vite', 'bin', 'vite.js'))} build --logLevel warn`, outDir: 'dist' } };
}

/** Copies the demo into `dir/app`, commits it, and says how to build it. */
export async function prepareDemoRepo(dir: string): Promise<DemoRepo> {
  const demo = fromRoot('src', 'demo');
  const { repo, build } = await prepareAppRepo(dir, {
    'index.html': join(demo, 'index.html'),
    src: join(demo, 'src'),
    docs: join(demo, 'docs'),
    flows: join(demo, 'flows'),
    public: fromRoot('public'),
  });
  return { repo, srcDir: 'src', docsDir: 'docs', flows: ['flows/catalogue.json', 'flows/invalid-pattern.json'], build };
}
