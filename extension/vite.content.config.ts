/** Builds the content script as a single classic script (IIFE) next to the other extension files. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { extensionOutDir } from './vite.config.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  publicDir: false,
  build: {
    outDir: extensionOutDir,
    emptyOutDir: false,
    target: 'chrome116',
    sourcemap: true,
    lib: { entry: here('./src/content.ts'), formats: ['iife'], name: 'homeostatContent', fileName: () => 'content.js' },
  },
});
