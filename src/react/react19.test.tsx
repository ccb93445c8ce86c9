// @vitest-environment jsdom
// homeostat/react must load before react-dom: it installs the DevTools hook react-dom injects into.
import { HomeostatProvider, reactObservation, useHandler } from 'homeostat/react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { startTransition, useState, useTransition } from 'react';
import { describe, expect, it } from 'vitest';
import { Attributor } from '../core/attribution.ts';
import type { HandlerCall } from '../core/model.ts';
import { Kind, STRIDE, type WireBatch } from '../core/wire.ts';
import { getRecorder } from '../page/instrument.ts';

function Buttons() {
  const [, setA] = useState(0);
  const [, setB] = useState(0);
  const [, startLocal] = useTransition();
  const blocking = useHandler('blocking', () => setA((x) => x + 1));
  const transition = useHandler('transition', () => startTransition(() => setB((x) => x + 1)));
  const hookTransition = useHandler('hookTransition', () => startLocal(() => setB((x) => x + 1)));
  const mixed = useHandler('mixed', () => {
    setA((x) => x + 1);
    startTransition(() => setB((x) => x + 1));
  });
  const none = useHandler('none', () => undefined);
  const synced = useHandler('synced', () => flushSync(() => setA((x) => x + 1)));
  return (
    <>
      {Object.entries({ blocking, transition, hookTransition, mixed, none, synced }).map(([name, fn]) => (
        <button key={name} id={name} onClick={fn}>
          {name}
        </button>
      ))}
    </>
  );
}

const settle = () => new Promise((r) => setTimeout(r, 50));

async function clickAll(ids: string[]): Promise<HandlerCall[]> {
  const batches: WireBatch[] = [];
  const r = getRecorder();
  r.attach((b) => batches.push(b));
  r.flush();
  batches.length = 0;
  for (const id of ids) {
    document.getElementById(id)!.click();
    await settle();
  }
  r.flush();
  r.attach(null);
  const calls: HandlerCall[] = [];
  const strings = r.allStrings();
  const a = new Attributor(
    { call: (c) => calls.push(c), sequence: () => {}, commit: () => {}, vital: () => {}, frame: () => {}, event: () => {} },
    (i) => strings[i]!,
    { hookCommits: true },
  );
  for (const b of batches) a.push(b.records, b.count);
  a.flush();
  return calls;
}

describe('React 19 adapter', () => {
  it('sees React and its commits', async () => {
    const el = document.createElement('div');
    document.body.append(el);
    createRoot(el).render(
      <HomeostatProvider worker={false}>
        <Buttons />
      </HomeostatProvider>,
    );
    await settle();
    expect(reactObservation()).toMatchObject({ version: expect.stringMatching(/^19\./), lanes: true, commits: 'hook' });
  });

  it('classifies each handler by the lanes React gave its updates', async () => {
    const calls = await clickAll(['blocking', 'transition', 'hookTransition', 'mixed', 'none', 'synced']);
    const mode = Object.fromEntries(calls.map((c) => [c.handler, c.mode]));
    expect(mode).toEqual({
      blocking: 'blocking',
      transition: 'transition',
      hookTransition: 'transition',
      mixed: 'mixed',
      none: 'none',
      synced: 'blocking',
    });
    const byName = Object.fromEntries(calls.map((c) => [c.handler, c]));
    expect(byName['blocking']!.updates).toEqual({ blocking: 1, transition: 0 });
    expect(byName['none']!.commits).toBe(0);
    for (const h of ['blocking', 'transition', 'mixed', 'synced']) expect(byName[h]!.commits).toBeGreaterThan(0);
  });

  it('records commits through the hook and render times through the Profiler (development build)', async () => {
    const r = getRecorder();
    const batches: WireBatch[] = [];
    r.attach((b) => batches.push(b));
    r.flush();
    batches.length = 0;
    document.getElementById('blocking')!.click();
    await settle();
    r.flush();
    r.attach(null);
    const kinds: number[] = [];
    for (const b of batches) for (let i = 0; i < b.count; i++) kinds.push(b.records[i * STRIDE]!);
    expect(kinds).toContain(Kind.Commit);
    expect(kinds).toContain(Kind.Profile);
    expect(kinds.indexOf(Kind.Profile)).toBeLessThan(kinds.indexOf(Kind.Commit));
  });
});
