/**
 * Builds the npm package: `homeostat` (dist/index.js), `homeostat/react` (dist/react.js),
 * `homeostat/auto` (dist/auto.js, what the build plugin's output imports) and
 * the telemetry worker they start, as ES modules. React stays a peer dependency; everything the
 * worker needs is bundled into its own file, so it works wherever it is served from.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  // Relative asset URLs: the worker is found next to the module that starts it, wherever installed.
  base: './',
  publicDir: false,
  build: {
    outDir: here('./dist/lib'),
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: {
      entry: { index: here('./src/page/index.ts'), react: here('./src/react/index.tsx'), auto: here('./src/page/auto.ts') },
      formats: ['es'],
    },
    rolldownOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/, 'comlink', 'web-vitals', /^web-vitals\//, 'idb', 'zod', '@datadog/sketches-js', 'protobufjs', /^protobufjs\//],
    },
  },
  worker: { format: 'es', rolldownOptions: { output: { entryFileNames: 'worker.js' } } },
});
