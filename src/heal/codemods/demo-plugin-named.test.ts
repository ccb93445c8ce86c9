/**
 * heal's codemods on the demo's handlers that only the build plugin names (`App.confirmOrder`,
 * `App.handleSort`: no `useHandler`), located the way heal locates them: the docs analysis'
 * record of the plugin's site, through `handlerLocation`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handlerLocation } from '../../core/diagnose.ts';
import { analyzeProject } from '../../docs/analyze.ts';
import { runCodemod } from '../apply.ts';

const SOURCE = readFileSync('src/demo/src/App.tsx', 'utf8');

describe('codemods on plugin-named demo handlers', () => {
  it('wraps App.confirmOrder’s updates in a transition, and in useTransition with isPending', async () => {
    const analysis = await analyzeProject('src/demo/src');
    const facts = analysis.handlers.find((h) => h.name === 'App.confirmOrder');
    expect(facts, analysis.handlers.map((h) => h.name).join(', ')).toBeTruthy();
    expect(facts!.kind).toBe('auto');
    const where = handlerLocation(facts!);
    expect(where).toMatchObject({ file: 'App.tsx', at: { line: expect.any(Number) } });

    const plain = runCodemod({ codemod: 'transition', ...where, handler: 'App.confirmOrder', setters: ['setOrder', 'setCart'] }, SOURCE, 'App.tsx');
    expect(plain.edits).toEqual([expect.stringMatching(/setOrder\(…\) now runs in startTransition/), expect.stringMatching(/setCart\(…\) now runs in startTransition/)]);
    const body = (src: string) => src.slice(src.indexOf('function confirmOrder'), src.indexOf('/** Sends the cart'));
    expect(body(plain.after)).toMatch(/startTransition\(\(\) => setOrder\(/);
    expect(body(plain.after)).toMatch(/startTransition\(\(\) => setCart\(/);
    // Nothing outside confirmOrder (and the import) changed.
    const outside = (src: string) => src.replace(body(src), '').replace(/^import [^;]*from 'react';$/m, '');
    expect(outside(plain.after)).toBe(outside(SOURCE));

    const pending = runCodemod({ codemod: 'pending-transition', ...where, handler: 'App.confirmOrder', component: 'App', setters: ['setOrder', 'setCart'] }, SOURCE, 'App.tsx');
    expect(pending.after).toMatch(/const \[\w*[Pp]ending\w*, start\w*Transition\] = useTransition\(\);/);
    expect(pending.edits.join('\n')).toMatch(/confirmOrder/);
  });

  it('says App.handleSort already runs its update as a transition', async () => {
    const analysis = await analyzeProject('src/demo/src');
    const facts = analysis.handlers.find((h) => h.name === 'App.handleSort')!;
    expect(facts).toBeTruthy();
    expect(() => runCodemod({ codemod: 'transition', ...handlerLocation(facts), handler: 'App.handleSort', setters: ['setSort'] }, SOURCE, 'App.tsx')).toThrow(/transition/i);
  });
});
