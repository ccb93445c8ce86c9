import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import homeostat from '@homeostat/tools/vite';
import { defineConfig } from 'vite';

// The app's own monorepo alias: `@table/ui` is a workspace package outside this Vite root.
const ui = fileURLToPath(new URL('../packages/ui/src/index.ts', import.meta.url));

export default defineConfig({
  // The one Homeostat line; `include` names the workspace package's sources too.
  plugins: [homeostat({ include: ['src/**', '../packages/ui/src/**'] }), react()],
  resolve: { alias: { '@table/ui': ui } },
});
