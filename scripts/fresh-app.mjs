// What the package checks share: pack a package as npm would publish it, install something into
// a fresh app from the npm cache, and list what that app got.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Packs the package in `dir` into `dest`; returns the tarball's path and npm's report of it. */
export function pack(dir, dest) {
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: dir, encoding: 'utf8' }));
  return { tarball: join(dest, info.filename), info };
}

/** A fresh app in `app` that installs `specs` (no install scripts, from the cache when it can). */
export function installFresh(app, specs, pkg = {}) {
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, ...pkg }));
  execFileSync('npm', ['install', ...specs, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app, stdio: 'inherit' });
}

/** Every package under node_modules (scoped and nested ones too), as name@version, sorted. */
export function listPackages(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@') ? readdirSync(join(dir, entry)).map((s) => join(dir, entry, s)) : [join(dir, entry)];
    for (const d of dirs) {
      const file = join(d, 'package.json');
      if (!existsSync(file)) continue;
      const p = JSON.parse(readFileSync(file, 'utf8'));
      out.push(`${p.name}@${p.version}`, ...listPackages(join(d, 'node_modules')));
    }
  }
  return out.sort();
}
