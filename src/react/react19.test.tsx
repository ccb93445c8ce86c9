// @vitest-environment jsdom
// homeostat/react must load before react-dom: it installs the DevTools hook react-dom injects into.
import { HomeostatProvider, reactObservation, useHandler } from 'homeostat/react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { startTransition, useState, useTransition } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Attributor } from '../core/attribution.ts';
import type { HandlerCall } from '../core/model.ts';
import { Kind, STRIDE, type WireBatch } from '../core/wire.ts';
import { getRecorder } from '../page/instrument.ts';
import { batcherOf } from '../page/batcher.ts';
import { getClient } from '../page/client.ts';

function Buttons() {
  const [a, setA] = useState(0);
  const [b, setB] = useState(0);
  const [pending, startLocal] = useTransition();
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
      {/* What has committed so far: the tests wait for it instead of sleeping. */}
      <output id="state" data-a={a} data-b={b} data-pending={String(pending)} />
      {Object.entries({ blocking, transition, hookTransition, mixed, none, synced }).map(([name, fn]) => (
        <button key={name} id={name} onClick={fn}>
          {name}
        </button>
      ))}
    </>
  );
}

/** Each button's state updates: +a, +b. */
const EFFECT: Record<string, [number, number]> = { blocking: [1, 0], transition: [0, 1], hookTransition: [0, 1], mixed: [1, 1], none: [0, 0], synced: [1, 0] };
const expected = { a: 0, b: 0 };

/** Waits until React has committed every update requested so far (transitions included). */
async function committed(): Promise<void> {
  await vi.waitFor(
    () => {
      const s = document.getElementById('state');
      expect(s && [Number(s.dataset['a']), Number(s.dataset['b']), s.dataset['pending']]).toEqual([expected.a, expected.b, 'false']);
    },
    { timeout: 10_000, interval: 5 },
  );
}

async function click(id: string): Promise<void> {
  const [da, db] = EFFECT[id]!;
  expected.a += da;
  expected.b += db;
  document.getElementById(id)!.click();
  await committed();
}

/**
 * Takes the batcher's output for the test, once the client's runtime has started: the runtime
 * attaches its own transport when its module has loaded, and one that loads after a test took
 * the batches over would take them back (the test then sees no records at all).
 */
async function ownBatches(): Promise<WireBatch[]> {
  await vi.waitFor(() => expect(getClient().status().transport.kind).toBe('memory'), { timeout: 10_000, interval: 5 });
  const batches: WireBatch[] = [];
  const r = getRecorder();
  batcherOf(r).attach((b) => batches.push(b));
  batcherOf(r).flush();
  batches.length = 0;
  return batches;
}

async function clickAll(ids: string[]): Promise<HandlerCall[]> {
  const batches = await ownBatches();
  const r = getRecorder();
  for (const id of ids) await click(id);
  batcherOf(r).flush();
  batcherOf(r).attach(null);
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
    await committed();
    await vi.waitFor(() => expect(reactObservation()).toMatchObject({ version: expect.stringMatching(/^19\./), lanes: true, commits: 'hook' }));
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

  it("knows a useTransition's isPending commit leaves its transition to come, so the call waits for the second commit", async () => {
    const batches = await ownBatches();
    const r = getRecorder();
    await click('hookTransition');
    batcherOf(r).flush();
    batcherOf(r).attach(null);
    const left: number[] = [];
    for (const b of batches) for (let i = 0; i < b.count; i++) if (b.records[i * STRIDE] === Kind.Commit) left.push(b.records[i * STRIDE + 3]!);
    // isPending=true commits while the transition's lane is pending; the transition's own commit leaves nothing.
    expect(left).toEqual([1, 0]);
    const [call] = await clickAll(['hookTransition']);
    expect(call).toMatchObject({ handler: 'hookTransition', mode: 'transition', commits: 2 });
    // A plain startTransition has one commit, which finishes it.
    const [plain] = await clickAll(['transition']);
    expect(plain).toMatchObject({ handler: 'transition', commits: 1 });
  });

  it('records commits through the hook and render times through the Profiler (development build)', async () => {
    const batches = await ownBatches();
    const r = getRecorder();
    await click('blocking');
    batcherOf(r).flush();
    batcherOf(r).attach(null);
    const kinds: number[] = [];
    for (const b of batches) for (let i = 0; i < b.count; i++) kinds.push(b.records[i * STRIDE]!);
    expect(kinds).toContain(Kind.Commit);
    expect(kinds).toContain(Kind.Profile);
    expect(kinds.indexOf(Kind.Profile)).toBeLessThan(kinds.indexOf(Kind.Commit));
  });
});
