// Checks the two packages as they would be published (run after the build):
//  - publint: package.json fields, exports and files agree with what is packed;
//  - @arethetypeswrong/cli: every export resolves to types, under every module resolution an
//    ESM-only package supports;
//  - what installing the browser package brings: `npm install` of its tarball into a fresh app
//    (React excluded: the app has it), counted, and held to a budget;
//  - the newcomer's path with both tarballs: a fresh Vite app installs them, builds with the
//    plugin and runs `npx homeostat` --version, replay, docs and check (scripts/fresh-cli.mjs).
// Exit 1 on any problem. Uses the npm cache (--prefer-offline): after `npm ci` nothing is downloaded.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFreshCli } from './fresh-cli.mjs';
import { installFresh, listPackages, pack } from './fresh-app.mjs';

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
  const tarballs = {};
  for (const [name, dir] of [['homeostat', root], ['@homeostat/tools', join(root, 'tools')]]) {
    const { tarball, info } = pack(dir, tmp);
    tarballs[name === 'homeostat' ? 'homeostat' : 'tools'] = tarball;
    console.log(`\n${name}: ${info.entryCount} files, ${(info.size / 1000).toFixed(1)} kB packed`);
    if (!run(bin('publint'), ['--strict', dir])) failed = true;
    if (!run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'])) failed = true;
    if (name === 'homeostat') {
      const app = join(tmp, 'app');
      installFresh(app, [], { dependencies: { homeostat: `file:${tarball}` } });
      const installed = listPackages(join(app, 'node_modules'));
      console.log(`a fresh app that installs only homeostat gets ${installed.length} packages: ${installed.join(', ')}`);
      if (installed.length > MAX_INSTALLED) {
        console.log(`  more than ${MAX_INSTALLED}: keep the browser package's dependencies few and dependency-free`);
        failed = true;
      }
    }
  }
  console.log('\nthe newcomer\'s path: a fresh Vite app installs both tarballs and runs npx homeostat');
  const problems = await checkFreshCli(root, join(tmp, 'vite-app'), tarballs);
  if (problems.length > 0) failed = true;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
