/**
 * Outside a browser (SSR, Node scripts) instrumented code runs exactly as written: nothing is
 * registered or recorded, and the setup the plugin inserts does nothing.
 */
import { describe, expect, it } from 'vitest';
import { enter, enterTop, exit, exitTop, mark, names, ret, retTop, suspend, threw, threwTop, wrap } from './auto.ts';
import { getRecorder } from './instrument.ts';
import { startHomeostat } from '../react/index.tsx';

describe('homeostat/auto on the server', () => {
  it('is a pass-through and starts nothing', () => {
    expect(typeof window).toBe('undefined');
    const table = names('src/App.jsx', ['App.onClick', 1, 1]);
    expect(table).toBeUndefined();
    enterTop(table, 0);
    expect(retTop(7)).toBe(7);
    enterTop(table, 0);
    exitTop();
    enterTop(table, 0);
    threwTop(new Error('x'));
    const token = enter(table, 0);
    expect(token).toBe(-1);
    const v = { v: 1 };
    expect(ret(token, v)).toBe(v);
    expect(suspend(token, v)).toBe(v);
    exit(token);
    threw(token, v);
    const f = () => 1;
    expect(wrap(f, table, 0)).toBe(f);
    mark(f, table, 0);
    expect(Object.getOwnPropertySymbols(f)).toEqual([]);
    expect(getRecorder().allStrings()).not.toContain('App.onClick');
    expect(startHomeostat({ app: 'ssr' })).toBeNull();
    expect('__HOMEOSTAT__' in globalThis).toBe(false);
    // Nothing recorded, nothing counted, nothing left open.
    expect(getRecorder().head).toBe(0);
  });
});
