// @vitest-environment jsdom
/**
 * The component the virtual-list codemod adds, run as the app would run it (the typed and the
 * plain variant, and the one over @tanstack/react-virtual, written to files and imported), in a
 * table of 10,000 rows: only a screenful plus overscan is rendered, with <tr> spacers carrying
 * the height of the rows out of view; the row callback gets the real index; scrolling the window
 * renders the rows there, with an even first row (nth-child parity); an emptied list leaves only
 * the spacers. jsdom has no layout: the list's position is what getBoundingClientRect reports,
 * made to follow the window's scroll.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useState, type ReactNode } from 'react';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { virtualListSource } from './virtual-hook.ts';

type Component = <T>(props: { items: readonly T[]; render: (item: T, index: number, items: readonly T[]) => ReactNode; spacer?: 'tr' | 'li' | 'div' }) => ReactNode;

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// Inside node_modules so that the module's imports resolve like the app's.
const DIR = join(process.cwd(), 'node_modules', '.cache', 'homeostat-virtual-list');

async function load(variant: 'ts' | 'js' | 'tanstack'): Promise<Component> {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `VirtualList-${variant}.${variant === 'js' ? 'js' : 'ts'}`);
  writeFileSync(file, virtualListSource(variant !== 'js', 10, variant === 'tanstack' ? 'tanstack' : null));
  const mod = (await import(/* @vite-ignore */ `${file}?v=${Date.now()}`)) as { VirtualList: Component };
  return mod.VirtualList;
}

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const ROW = 20;
let scrollY = 0;
const original = Element.prototype.getBoundingClientRect;
// A fake layout: the table at the top of the document, rows ROW px tall, spacers as tall as their style says.
Element.prototype.getBoundingClientRect = function (this: Element) {
  const body = this.parentElement;
  if (body?.tagName !== 'TBODY') return original.call(this);
  const heightOf = (el: Element) => (el.getAttribute('aria-hidden') === 'true' ? parseFloat((el as HTMLElement).style.height) || 0 : ROW);
  let top = -scrollY;
  for (const el of body.children) {
    if (el === this) break;
    top += heightOf(el);
  }
  const height = heightOf(this);
  return { top, bottom: top + height, left: 0, right: 0, width: 0, height, x: 0, y: top, toJSON: () => ({}) } as DOMRect;
};
Object.defineProperty(window, 'scrollY', { get: () => scrollY, configurable: true });
Object.defineProperty(window, 'pageYOffset', { get: () => scrollY, configurable: true });

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  scrollY = 0;
});

interface Item {
  id: number;
}

function mount(VirtualList: Component, n: number) {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  const calls: number[] = [];
  let set: (n: number) => void = () => undefined;
  function Table() {
    const [items, setItems] = useState<Item[]>(() => Array.from({ length: n }, (_, i) => ({ id: i + 1 })));
    set = (k) => setItems(Array.from({ length: k }, (_, i) => ({ id: i + 1 })));
    return (
      <table>
        <tbody>
          <VirtualList
            items={items}
            render={(item, i, all) => {
              calls.push(i);
              return (
                <tr key={item.id} data-index={i} data-of={all.length}>
                  <td className="col-id">{item.id}</td>
                </tr>
              );
            }}
            spacer="tr"
          />
        </tbody>
      </table>
    );
  }
  act(() => root.render(<Table />));
  cleanup = () => {
    act(() => root.unmount());
    host.remove();
  };
  const rows = () => [...host.querySelectorAll('tbody tr[data-index]')].map((tr) => Number(tr.getAttribute('data-index')));
  const spacers = () => [...host.querySelectorAll('tbody tr[aria-hidden="true"]')].map((tr) => parseFloat((tr as HTMLElement).style.height) || 0);
  return { host, rows, spacers, calls, set: (k: number) => act(() => set(k)) };
}

describe.each(['ts', 'js', 'tanstack'] as const)('VirtualList (%s)', (variant) => {
  it('renders a screenful plus overscan of 10,000 rows, spacers keeping the height of all, the real index to render', async () => {
    const t = mount(await load(variant), 10_000);
    const rows = t.rows();
    expect(rows[0]).toBe(0);
    expect(rows.length).toBeGreaterThan(window.innerHeight / ROW);
    expect(rows.length).toBeLessThan(window.innerHeight / ROW + 30);
    expect(rows).toEqual(rows.map((_, i) => i));
    // Two spacers before (parity, then the rows above), one after, heights in whole rows.
    const [parity, before, after] = t.spacers();
    expect([parity, before]).toEqual([0, 0]);
    expect(after).toBe((10_000 - rows.length) * ROW);
    expect(t.host.querySelector('tr[data-index]')!.getAttribute('data-of')).toBe('10000');
    // A child of tbody: the parity spacer, the before spacer, then the rows.
    expect(t.host.querySelector('tbody')!.children[2]!.getAttribute('data-index')).toBe('0');
  });

  it('scrolling the window renders the rows there (an even first one), and the last at the end', async () => {
    const t = mount(await load(variant), 10_000);
    scrollY = 100_001;
    act(() => {
      window.dispatchEvent(new Event('scroll'));
    });
    await act(() => new Promise((r) => setTimeout(r, 50)));
    const rows = t.rows();
    const first = Math.floor(100_001 / ROW);
    expect(rows[0]! % 2).toBe(0);
    expect(rows[0]).toBeGreaterThanOrEqual(first - 12);
    expect(rows[0]).toBeLessThanOrEqual(first);
    expect(rows[rows.length - 1]).toBeGreaterThanOrEqual(first + Math.floor(window.innerHeight / ROW));
    const [, before, after] = t.spacers();
    expect(before).toBe(rows[0]! * ROW);
    expect(before! + rows.length * ROW + after!).toBe(10_000 * ROW);

    scrollY = 10_000 * ROW - window.innerHeight;
    act(() => {
      window.dispatchEvent(new Event('scroll'));
    });
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(t.rows().at(-1)).toBe(9_999);
    expect(t.spacers()[2]).toBe(0);
  });

  it('an emptied list leaves only the spacers, all of height 0; a new list starts at its top', async () => {
    const t = mount(await load(variant), 10_000);
    t.set(0);
    expect(t.rows()).toEqual([]);
    expect(t.spacers()).toEqual([0, 0, 0]);
    t.set(5);
    expect(t.rows()).toEqual([0, 1, 2, 3, 4]);
  });
});
