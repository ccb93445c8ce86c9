/**
 * Builds the browser package: `homeostat` (dist/lib/index.js), `homeostat/react` (react.js),
 * `homeostat/auto` (auto.js, what the build plugin's output imports), the chunks they load
 * lazily (the runtime, the bridge agent, the field export, the in-memory fallback) and the
 * telemetry worker, as minified ES modules. React stays a peer dependency; comlink, web-vitals
 * and zod stay dependencies (none has dependencies of its own); everything the worker needs is
 * bundled into its own file, so it works wherever it is served from.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** @datadog/sketches-js loads protobufjs only to encode sketches, which we never do: a stub instead. */
export function stubSketchProto(): Plugin {
  return {
    name: 'homeostat:stub-sketch-proto',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer?.includes('@datadog/sketches-js') && /(^|\/)proto\/compiled(\.js)?$/.test(source)) return here('./src/page/stubs/sketch-proto.cjs');
      return null;
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the worker is found next to the module that starts it, wherever installed.
  base: './',
  publicDir: false,
  plugins: [stubSketchProto()],
  build: {
    outDir: here('./dist/lib'),
    emptyOutDir: true,
    sourcemap: true,
    // The worker is served as it is (no app bundler minifies it): minified like the rest.
    minify: true,
    target: 'es2022',
    lib: {
      entry: { index: here('./src/page/index.ts'), react: here('./src/react/index.tsx'), auto: here('./src/page/auto.ts') },
      formats: ['es'],
    },
    rolldownOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/, 'comlink', 'web-vitals', /^web-vitals\//, 'zod', /^zod\//],
      // Plain names: the app's bundler hashes what it emits; the size check finds them by name.
      output: { chunkFileNames: '[name].js' },
    },
  },
  // One file for the worker, its lazily loaded rescue inlined: a chunk importing "../worker.js"
  // back is a second instance of the worker module wherever the worker itself is loaded under
  // another URL (Vite's dev server adds ?v=…): two services answered every message, and the one
  // never started answered "used before start()".
  worker: { format: 'es', plugins: () => [stubSketchProto()], rolldownOptions: { output: { entryFileNames: 'worker.js', inlineDynamicImports: true } } },
});
