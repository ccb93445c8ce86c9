// The newcomer's path, scripted: a fresh Vite app (as `npm create vite` makes it) installs the two
// packed tarballs the way the README says, adds the plugin line, builds, and runs the command
// line from its own node_modules: `npx homeostat --version`, `replay` of a recorded click on the
// built app, `docs` from that session, `check` against those docs, and bad input exiting 2.
// Returns the problems found (empty: the path works).
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { installFresh } from './fresh-app.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

/** Serves `dir` on 127.0.0.1 (cross-origin isolated, as Homeostat prefers); resolves to its URL and a close(). */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, path);
    if (!existsSync(file) || path.endsWith('/')) file = join(dir, 'index.html');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** The app's own `npx homeostat …`, asynchronously (the replay needs our server to answer meanwhile). */
function npx(app, args) {
  return new Promise((resolve) => {
    execFile('npx', ['--no-install', 'homeostat', ...args], { cwd: app, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * @param {string} root the repository
 * @param {string} app an empty directory for the app
 * @param {{ homeostat: string, tools: string }} tarballs
 * @returns {Promise<string[]>}
 */
export async function checkFreshCli(root, app, tarballs) {
  const problems = [];
  const expect = (ok, what) => {
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) problems.push(what);
  };
  const versions = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

  // The create-vite .jsx template, with the one line the README adds to its vite config.
  cpSync(join(root, 'e2e/fixtures/vite-jsx'), app, { recursive: true, filter: (src) => !src.includes('node_modules') && !src.endsWith('package.json') });
  installFresh(app, [], {
    type: 'module',
    scripts: { build: 'vite build' },
    dependencies: { homeostat: `file:${tarballs.homeostat}`, react: versions('react'), 'react-dom': versions('react-dom') },
    devDependencies: { '@homeostat/tools': `file:${tarballs.tools}`, vite: versions('vite'), '@vitejs/plugin-react': versions('@vitejs/plugin-react') },
  });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

  const version = await npx(app, ['--version']);
  expect(version.code === 0 && version.stdout.trim() === `homeostat ${pkg.version}`, `npx homeostat --version prints "homeostat ${pkg.version}" (got ${JSON.stringify(version.stdout.trim() || version.stderr.trim())})`);
  const help = await npx(app, ['replay', '--help']);
  expect(help.code === 0 && help.stdout.startsWith('homeostat replay <recording>'), 'npx homeostat replay --help prints its usage, exit 0');

  execFileSync('npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn'], { cwd: app, stdio: 'inherit' });
  expect(existsSync(join(app, 'dist/index.html')), 'the app builds with @homeostat/tools/vite in its vite config');

  writeFileSync(
    join(app, 'click.json'),
    JSON.stringify({
      format: 'homeostat.recording',
      version: 1,
      title: 'Count three clicks',
      viewport: { width: 1280, height: 800, deviceScaleFactor: 1 },
      steps: [
        { type: 'navigate', url: '/' },
        ...Array.from({ length: 3 }, () => ({ type: 'click', target: { selectors: [{ role: 'button', name: 'count is' }] } })),
        { type: 'expectText', text: 'count is 3' },
      ],
    }),
  );
  const server = await serve(join(app, 'dist'));
  try {
    const replay = await npx(app, ['replay', 'click.json', '--url', server.url, '--runs', '1', '--no-warmup', '--out', 'replays']);
    expect(replay.code === 0, `npx homeostat replay click.json --url … exits 0 (got ${replay.code}: ${replay.stderr.trim().split('\n').slice(-2).join(' / ')})`);
  } finally {
    await server.close();
  }
  const docs = await npx(app, ['docs', '--sessions', 'replays']);
  const specs = join(app, 'docs/HANDLER_SPECS.md');
  expect(docs.code === 0 && existsSync(specs) && readFileSync(specs, 'utf8').includes('App.onClick'), `npx homeostat docs --sessions replays documents App.onClick (exit ${docs.code}${docs.code ? `: ${docs.stderr.trim()}` : ''})`);
  const check = await npx(app, ['check', '--sessions', 'replays']);
  expect(check.code === 0, `npx homeostat check --sessions replays exits 0 against the docs it just wrote (got ${check.code})`);
  const bad = await npx(app, ['replay', 'package.json', '--url', 'http://127.0.0.1:1/']);
  expect(bad.code === 2 && bad.stderr.trim().split('\n').length === 1, `an invalid recording exits 2 with one line (got ${bad.code}: ${bad.stderr.trim()})`);
  return problems;
}
