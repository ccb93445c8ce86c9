// Emits the package's declarations and points their relative imports at .js, which every
// TypeScript module resolution mode maps back to the .d.ts next to it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const out = 'dist/types';
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
for (const file of walk(out).filter((f) => f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+?)\.tsx?\2/g, '$1$2$3.js$2');
  if (fixed !== text) writeFileSync(file, fixed);
}

// `homeostat/worker` is the telemetry worker's script (served, never imported for values).
writeFileSync(join(out, 'worker.d.ts'), '// The telemetry worker: a script to serve or start (`new Worker(url)`), with no exports.\nexport {};\n');
