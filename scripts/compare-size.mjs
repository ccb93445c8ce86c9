// What a page pays for Homeostat next to two tools people already embed: web-vitals (the
// metrics library) and react-scan (the React render inspector). Each is installed into a fresh
// app and built the way scripts/size-build.mjs builds Homeostat's entries (Vite, minified,
// es2022, React left out), then measured brotli-compressed; installs are counted the same way
// scripts/check-package.mjs counts them. Needs the npm registry (or a cache holding react-scan)
// and `npm run size` first. Prints a markdown table: `node scripts/compare-size.mjs`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'vite';
import { installFresh, listPackages, pack } from './fresh-app.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const sizes = JSON.parse(readFileSync(join(root, 'dist/size/sizes.json'), 'utf8'));
const TOOLS = {
  'web-vitals': { version: JSON.parse(readFileSync(join(root, 'node_modules/web-vitals/package.json'), 'utf8')).version, entry: "import { onCLS, onINP, onLCP } from 'web-vitals/attribution';\nonCLS(console.log); onINP(console.log); onLCP(console.log);\n" },
  'react-scan': { version: 'latest', entry: "import { scan } from 'react-scan';\nscan({ enabled: true });\n" },
};

const br = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kB = (n) => `${(n / 1000).toFixed(2)} kB`;
const tmp = mkdtempSync(join(tmpdir(), 'homeostat-compare-'));
const rows = [];
let ownInstall = 0;
try {
  {
    const app = join(tmp, 'own');
    installFresh(app, [pack(root, tmp).tarball]);
    ownInstall = listPackages(join(app, 'node_modules')).length;
  }
  for (const [name, tool] of Object.entries(TOOLS)) {
    const app = join(tmp, name);
    installFresh(app, [`${name}@${tool.version}`], { type: 'module' });
    const installed = listPackages(join(app, 'node_modules')).filter((p) => !/^(react|react-dom|scheduler|@types\/react)@/.test(p));
    const version = JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')).version;
    writeFileSync(join(app, 'entry.js'), tool.entry);
    const out = join(app, 'dist');
    await build({
      configFile: false,
      root: app,
      logLevel: 'warn',
      build: {
        outDir: out,
        minify: true,
        target: 'es2022',
        modulePreload: false,
        rolldownOptions: { input: { entry: join(app, 'entry.js') }, external: [/^react($|\/)/, /^react-dom($|\/)/], preserveEntrySignatures: 'exports-only' },
      },
    });
    const js = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, 'assets', f)));
    rows.push([`${name} ${version}`, kB(js.reduce((s, b) => s + br(b), 0)), 'all of it, on every page', String(installed.length)]);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const eager = sizes.filter((s) => s.entry === 'react' && s.kind === 'eager').reduce((n, s) => n + s.brotli, 0);
const runtime = sizes.find((s) => s.entry === 'react' && s.file === 'runtime.js');
rows.unshift([
  'homeostat/react (this package)',
  kB(eager),
  `${kB(runtime.brotli)} when the client starts; the bridge only when a DevTools panel asks; the worker in its own file`,
  String(ownInstall),
]);
console.log('| What the page imports | brotli, loaded with the entry | what loads later | packages installed (React excluded) |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
