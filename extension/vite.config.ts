/**
 * Builds the extension's pages and service worker into dist/extension (override with
 * HOMEOSTAT_EXTENSION_OUT). The content script is built separately as one classic script
 * (vite.content.config.ts): Chrome does not load content scripts as modules.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
export const extensionOutDir = process.env['HOMEOSTAT_EXTENSION_OUT'] ?? here('../dist/extension');

export default defineConfig({
  root: here('.'),
  publicDir: here('./public'),
  plugins: [react()],
  base: '/',
  build: {
    outDir: extensionOutDir,
    emptyOutDir: true,
    target: 'chrome116',
    sourcemap: true,
    // The panel (React, recharts, zod) loads from disk once per DevTools window.
    chunkSizeWarningLimit: 1500,
    // No inlined module-preload polyfill: extension pages allow only 'self' scripts.
    modulePreload: false,
    rolldownOptions: {
      input: {
        devtools: here('./devtools.html'),
        panel: here('./panel.html'),
        'service-worker': here('./src/service-worker.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'service-worker' ? 'service-worker.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
