import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^homeostat\/react$/, replacement: here('./src/react/index.tsx') },
      { find: /^homeostat$/, replacement: here('./src/page/index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'extension/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    globalSetup: ['./vitest.global-setup.ts'],
  },
});
