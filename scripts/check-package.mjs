// Checks the two packages as they would be published (run after the build):
//  - publint: package.json fields, exports and files agree with what is packed;
//  - @arethetypeswrong/cli: every export resolves to types, under every module resolution an
//    ESM-only package supports;
//  - what installing the browser package brings: `npm install` of its tarball into a fresh app
//    (React excluded: the app has it), counted, and held to a budget.
// Exit 1 on any problem. Uses the npm cache (--prefer-offline): after `npm ci` nothing is downloaded.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Packages a fresh app gets when it installs only `homeostat` (itself included). */
const MAX_INSTALLED = 5;

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const tmp = mkdtempSync(join(tmpdir(), 'homeostat-package-'));
let failed = false;

const run = (cmd, args, cwd = root) => {
  try {
    process.stdout.write(execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    return true;
  } catch (e) {
    process.stdout.write(`${e.stdout ?? ''}${e.stderr ?? ''}`);
    return false;
  }
};

try {
  for (const [name, dir] of [['homeostat', root], ['@homeostat/tools', join(root, 'tools')]]) {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: dir, encoding: 'utf8' }));
    const tarball = join(tmp, packed[0].filename);
    console.log(`\n${name}: ${packed[0].entryCount} files, ${(packed[0].size / 1000).toFixed(1)} kB packed`);
    if (!run(bin('publint'), ['--strict', dir])) failed = true;
    if (!run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'])) failed = true;
    if (name === 'homeostat') {
      const app = join(tmp, 'app');
      execFileSync('mkdir', ['-p', app]);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, dependencies: { homeostat: `file:${tarball}` } }));
      execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app, stdio: 'inherit' });
      const installed = listPackages(join(app, 'node_modules'));
      console.log(`a fresh app that installs only homeostat gets ${installed.length} packages: ${installed.join(', ')}`);
      if (installed.length > MAX_INSTALLED) {
        console.log(`  more than ${MAX_INSTALLED}: keep the browser package's dependencies few and dependency-free`);
        failed = true;
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

/** Every package under node_modules (scoped and nested ones too), as name@version. */
function listPackages(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of readdirSync(join(dir, entry))) out.push(...packageAt(join(dir, entry, sub)));
    } else out.push(...packageAt(join(dir, entry)));
  }
  return out.sort();
}

function packageAt(dir) {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return [];
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  return [`${pkg.name}@${pkg.version}`, ...listPackages(join(dir, 'node_modules'))];
}
