/**
 * Serves and builds the bundled demo (src/demo) against Homeostat's sources, cross-origin
 * isolated so `performance.now()` has 5 µs resolution instead of 100 µs. The demo names its
 * main handlers by hand and lets the build plugin (`@homeostat/tools/vite`) name the rest.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import homeostat from './src/vite/index.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** COOP + COEP: what makes a page cross-origin isolated. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig(({ mode }) => ({
  root: here('./src/demo'),
  publicDir: here('./public'),
  // main.tsx imports homeostat/react itself (with its docs for the panel): no setup to add; and
  // the package's own worker URL works here, where Homeostat is built from source.
  plugins: [homeostat({ setup: false, worker: 'package' }), react()],
  resolve: {
    alias: [
      { find: /^homeostat\/react$/, replacement: here('./src/react/index.tsx') },
      { find: /^homeostat\/auto$/, replacement: here('./src/page/auto.ts') },
      { find: /^homeostat$/, replacement: here('./src/page/index.ts') },
      // `vite build --mode profiling` keeps React's Profiler timings in a production build.
      ...(mode === 'profiling' ? [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] : []),
    ],
  },
  server: { headers: isolationHeaders, port: 5173 },
  preview: { headers: isolationHeaders, port: 4173 },
  build: { outDir: here('./dist/demo'), emptyOutDir: true, sourcemap: true },
  worker: { format: 'es' },
}));
