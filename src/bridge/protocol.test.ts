import { describe, expect, it } from 'vitest';
import { sampleTick } from '../../extension/panel/test-fixtures.ts';
import { contentToWorkerSchema, extensionMessageSchema, pageMessageSchema, parse } from './protocol.ts';

describe('bridge protocol', () => {
  it('accepts what the page agent produces from real aggregates', () => {
    expect(parse(pageMessageSchema, sampleTick()).ok).toBe(true);
  });

  it('accepts ticks from a page running an older Homeostat, without the fields added since, with their defaults', () => {
    const t = sampleTick();
    const old = {
      ...t,
      tracks: undefined,
      bridgeMs: undefined,
      calls: t.calls.map(({ id, handler, start, duration, settle, blockingMs, interactionMs, resultMs, longestFrameMs, mode, outcome, error }) => ({ id, handler, start, duration, settle, blockingMs, interactionMs, resultMs, longestFrameMs, mode, outcome, error })),
    };
    const r = parse(pageMessageSchema, old);
    expect(r.ok).toBe(true);
    const v = r.ok && r.value.type === 'tick' ? r.value : null;
    expect(v?.tracks).toBe(false);
    expect(v?.calls[0]).toMatchObject({ sequence: -1, parent: null, commits: 0, renderMs: null, styleLayoutMs: null });
  });

  it('refuses commands from the page, oversized data and wrong types, naming the field', () => {
    expect(parse(pageMessageSchema, { type: 'request', id: 1, op: 'clear' }).ok).toBe(false);
    const big = { ...sampleTick(), calls: new Array(1001).fill(sampleTick().calls[0]) };
    const r = parse(pageMessageSchema, big);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^calls/) });
    const long = sampleTick();
    long.snapshot.handlers[0]!.handler = 'x'.repeat(201);
    expect(parse(pageMessageSchema, long).ok).toBe(false);
    expect(parse(pageMessageSchema, { ...sampleTick(), totalCalls: -1 }).ok).toBe(false);
  });

  it('accepts the requests the extension sends and nothing else', () => {
    expect(parse(extensionMessageSchema, { type: 'request', id: 3, op: 'import', json: '{}' }).ok).toBe(true);
    expect(parse(extensionMessageSchema, { type: 'request', id: 3, op: 'import' }).ok).toBe(false);
    expect(parse(extensionMessageSchema, { type: 'request', id: 3, op: 'eval', code: '1' }).ok).toBe(false);
    expect(parse(contentToWorkerSchema, { kind: 'rejected', total: 2, reason: 'x' }).ok).toBe(true);
  });
});
