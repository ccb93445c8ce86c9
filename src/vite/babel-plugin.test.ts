/** `@homeostat/tools/babel` as a Babel config runs it: the app's files, never node_modules. */
import { transformSync } from '@babel/core';
import { describe, expect, it } from 'vitest';
import homeostatBabel from './babel.ts';

const APP = `import { useState } from 'react';
export function Counter() {
  const [n, setN] = useState(0);
  return <button onClick={() => setN(n + 1)}>{n}</button>;
}`;

function transform(filename: string): string {
  return transformSync(APP, { filename, configFile: false, babelrc: false, parserOpts: { plugins: ['jsx'] }, plugins: [[homeostatBabel, { root: '/app' }]] })!.code!;
}

describe('the Babel plugin', () => {
  it("instruments the app's own files", () => {
    expect(transform('/app/src/Counter.jsx')).toContain('homeostat/auto');
  });

  it('leaves node_modules alone, as the Vite plugin does (Next.js passes packages through Babel)', () => {
    expect(transform('/app/node_modules/some-ui/Counter.jsx')).not.toContain('homeostat/auto');
    expect(transform('C:\\\\app\\\\node_modules\\\\homeostat\\\\dist\\\\lib\\\\index.js')).not.toContain('homeostat/auto');
  });
});
