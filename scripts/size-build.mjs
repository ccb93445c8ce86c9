// Builds, as a fresh Vite app would, what each public browser entry costs a page, and sorts the
// output for the size check (`size-limit`, budgets in .size-limit.json):
//   dist/size/<entry>/eager/  what the page loads with the entry (the entry and its static imports)
//   dist/size/<entry>/lazy/   what loads later, when needed (runtime, bridge agent, export, fallback)
//   dist/size/worker.js       the telemetry worker, as the package ships it
// React is left out (a peer dependency the app has anyway), as is Vite's own preload helper
// (dist/size/<entry>/bundler/: any app that splits its code has it). Prints a table of raw,
// gzip and brotli sizes. Run after `npm run build:lib`.
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = join(root, 'e2e/fixtures/size');
const out = join(root, 'dist/size');
const ENTRIES = ['react', 'auto', 'index'];

// The app installs the package: resolve `homeostat` through its package.json "exports".
mkdirSync(join(fixture, 'node_modules'), { recursive: true });
rmSync(join(fixture, 'node_modules/homeostat'), { force: true, recursive: true });
symlinkSync(root, join(fixture, 'node_modules/homeostat'), 'dir');
rmSync(out, { recursive: true, force: true });

const rows = [];
for (const entry of ENTRIES) {
  const dir = join(out, entry);
  const result = await build({
    configFile: false,
    root: fixture,
    logLevel: 'warn',
    build: {
      outDir: dir,
      emptyOutDir: true,
      minify: true,
      target: 'es2022',
      rolldownOptions: {
        input: { [entry]: join(fixture, `${entry}.ts`) },
        preserveEntrySignatures: 'exports-only',
        external: [/^react($|\/)/, /^react-dom($|\/)/],
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: '[name].js',
          manualChunks: (id) => (id.includes('vite/preload-helper') ? 'vite-preload-helper' : undefined),
        },
      },
    },
  });
  const chunks = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output).filter((o) => o.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  // Eager: the entry and everything it imports statically, transitively.
  const eager = new Set();
  const visit = (file) => {
    if (eager.has(file)) return;
    eager.add(file);
    for (const i of byName.get(file)?.imports ?? []) visit(i);
  };
  visit(`${entry}.js`);
  for (const c of chunks) {
    const kind = c.fileName === 'vite-preload-helper.js' ? 'bundler' : eager.has(c.fileName) ? 'eager' : 'lazy';
    mkdirSync(join(dir, kind), { recursive: true });
    renameSync(join(dir, c.fileName), join(dir, kind, c.fileName));
    rows.push({ entry, kind, file: c.fileName, ...sizes(readFileSync(join(dir, kind, c.fileName))) });
  }
}
cpSync(join(root, 'dist/lib/worker.js'), join(out, 'worker.js'));
rows.push({ entry: '-', kind: 'worker', file: 'worker.js', ...sizes(readFileSync(join(out, 'worker.js'))) });

function sizes(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kb = (n) => `${(n / 1000).toFixed(2)} kB`;
const line = (r) => `${r.entry.padEnd(6)} ${r.kind.padEnd(8)} ${r.file.padEnd(28)} ${kb(r.raw).padStart(10)} ${kb(r.gzip).padStart(10)} ${kb(r.brotli).padStart(10)}`;
console.log(`${'entry'.padEnd(6)} ${'kind'.padEnd(8)} ${'file'.padEnd(28)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
for (const r of rows) console.log(line(r));
for (const entry of ENTRIES) {
  const eager = rows.filter((r) => r.entry === entry && r.kind === 'eager');
  const sum = (k) => eager.reduce((a, r) => a + r[k], 0);
  console.log(`${entry}: eager total ${kb(sum('raw'))} raw, ${kb(sum('gzip'))} gzip, ${kb(sum('brotli'))} brotli (per file, summed)`);
}
writeFileSync(join(out, 'sizes.json'), JSON.stringify(rows, null, 2));
void basename;
void dirname;
