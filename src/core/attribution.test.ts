import { describe, expect, it } from 'vitest';
import { Attributor } from './attribution.ts';
import type { CommitRecord, EventTimingRecord, FrameRecord, HandlerCall, SequenceRecord, VitalRecord } from './model.ts';
import { Stream } from './__tests__/records.ts';

function run(stream: Stream, opts: { until?: number; flush?: boolean; hookCommits?: boolean } = {}) {
  const calls: HandlerCall[] = [];
  const sequences: SequenceRecord[] = [];
  const commits: CommitRecord[] = [];
  const vitals: VitalRecord[] = [];
  const frames: FrameRecord[] = [];
  const events: EventTimingRecord[] = [];
  const a = new Attributor(
    { call: (c) => calls.push(c), sequence: (s) => sequences.push(s), commit: (c) => commits.push(c), vital: (v) => vitals.push(v), frame: (f) => frames.push(f), event: (e) => events.push(e) },
    (id) => stream.strings[id]!,
    { hookCommits: opts.hookCommits ?? true },
  );
  const { records, count } = stream.records();
  a.push(records, count);
  if (opts.until !== undefined) a.advance(opts.until);
  if (opts.flush) a.flush();
  const byName = (h: string) => calls.filter((c) => c.handler === h);
  return { calls, sequences, commits, vitals, frames, events, byName, attributor: a };
}

describe('Attributor', () => {
  it('charges a synchronous React flush to the call whose blocking update caused it', () => {
    const s = new Stream()
      .event(0, 'input', 9)
      .call('onSearch', 1, 10, 11, { blocking: 1, event: 0 })
      .commit(40)
      .syncEnd(1, 41)
      .paint(50);
    const { calls, sequences, commits } = run(s, { until: 5000 });
    expect(calls).toHaveLength(1);
    const c = calls[0]!;
    expect(c.mode).toBe('blocking');
    expect(c.commits).toBe(1);
    expect(c.blockingMs).toBeCloseTo(30);
    expect(c.commitMs).toBeCloseTo(29);
    expect(c.paintMs).toBeCloseTo(40);
    expect(sequences).toEqual([
      expect.objectContaining({ name: 'input:onSearch', start: 9, end: 50, handlers: ['onSearch'], trigger: { type: 'input', timeStamp: 9 } }),
    ]);
    expect(commits).toEqual([expect.objectContaining({ sync: true, calls: [1] })]);
  });

  it('keeps a transition out of the blocking time and holds the sequence open until it commits', () => {
    const s = new Stream()
      .event(0, 'change', 100)
      .call('applyFilters', 1, 101, 102, { transition: 1, event: 0 })
      .paint(110)
      .commit(140)
      .paint(150);
    const { calls, sequences, commits } = run(s, { until: 5000 });
    const c = calls[0]!;
    expect(c.mode).toBe('transition');
    expect(c.blockingMs).toBeCloseTo(1);
    expect(c.commitMs).toBeCloseTo(38);
    expect(c.paintMs).toBeCloseTo(9);
    expect(sequences[0]!.end).toBe(150);
    expect(commits[0]).toMatchObject({ sync: false, calls: [1] });
  });

  it('reports mixed calls and counts the sync commit as their blocking time', () => {
    const s = new Stream()
      .event(0, 'click', 0)
      .call('both', 1, 1, 2, { blocking: 1, transition: 1, event: 0 })
      .commit(12)
      .syncEnd(1, 12.5)
      .commit(60)
      .paint(70);
    const c = run(s, { until: 5000 }).calls[0]!;
    expect(c.mode).toBe('mixed');
    expect(c.commits).toBe(2);
    expect(c.blockingMs).toBeCloseTo(11);
    expect(c.commitMs).toBeCloseTo(58);
  });

  it('groups calls of one event in start order, and attributes the commit only to the call that updated', () => {
    const s = new Stream()
      .event(0, 'input', 0)
      .call('child', 2, 2, 3, { blocking: 1, parent: 1, event: 0 })
      .call('parent', 1, 1, 4, { blocking: 0, event: 0 })
      .commit(20)
      .syncEnd(2, 21)
      .paint(30);
    const { calls, sequences, byName } = run(s, { until: 5000 });
    expect(calls).toHaveLength(2);
    expect(sequences).toHaveLength(1);
    expect(sequences[0]!.handlers).toEqual(['parent', 'child']);
    expect(byName('child')[0]).toMatchObject({ commits: 1, parent: 1, mode: 'blocking' });
    expect(byName('parent')[0]).toMatchObject({ commits: 0, mode: 'none', blockingMs: 3 });
  });

  it('attributes a blocking update React renders in a later task (outside a discrete event)', () => {
    const s = new Stream()
      .call('confirmOrder', 1, 500, 501, { blocking: 1 })
      .syncEnd(1, 501.1)
      .profile(530, 20, 508, 526)
      .commit(530)
      .paint(540);
    const c = run(s, { until: 5000 }).calls[0]!;
    expect(c).toMatchObject({ mode: 'blocking', commits: 1, renderMs: 20 });
    expect(c.commitMs).toBeCloseTo(29);
    // 20 ms of render and 4 ms of commit phase, in one unsliced block.
    expect(c.blockingMs).toBeCloseTo(24);
  });

  it('stops waiting for a deferred commit after two paints (React bailed out of the update)', () => {
    const s = new Stream().call('noChange', 1, 0, 1, { blocking: 1 }).syncEnd(1, 1.1).paint(16).paint(33).commit(40).paint(50);
    const { calls, attributor } = run(s, { until: 5000 });
    expect(calls[0]).toMatchObject({ commits: 0, commitMs: null });
    expect(attributor.unattributed).toBe(1);
  });

  it('counts a commit nobody asked for as unattributed', () => {
    const s = new Stream().commit(5).paint(6);
    const { commits, attributor } = run(s, { flush: true });
    expect(attributor.unattributed).toBe(1);
    expect(commits[0]!.calls).toEqual([]);
  });

  it('times async calls to settle and lets continuations join their sequence', () => {
    const s = new Stream()
      .event(0, 'click', 199)
      .call('checkout', 1, 200, 201, { async: true, event: 0 })
      .paint(210)
      .call('confirmOrder', 2, 450, 451, { blocking: 1 })
      .commit(460)
      .syncEnd(2, 461)
      .settle(1, 470)
      .paint(480);
    const { calls, sequences, byName } = run(s, { until: 5000 });
    expect(sequences).toHaveLength(1);
    expect(sequences[0]!.handlers).toEqual(['checkout', 'confirmOrder']);
    expect(sequences[0]!.end).toBe(480);
    expect(byName('checkout')[0]).toMatchObject({ settle: 270, outcome: 'ok', duration: 1 });
    expect(calls.every((c) => c.sequence === sequences[0]!.id)).toBe(true);
  });

  it('records thrown errors and rejections with their normalised text', () => {
    const s = new Stream()
      .call('parseQuery', 1, 1, 2, { threw: 'SyntaxError: Invalid regular expression: <regexp>: Unterminated group' })
      .call('save', 2, 3, 4, { async: true })
      .settle(2, 9, true, 'TypeError: Failed to fetch')
      .paint(10);
    const { byName } = run(s, { until: 5000 });
    expect(byName('parseQuery')[0]).toMatchObject({
      outcome: 'threw',
      error: { name: 'SyntaxError', message: 'Invalid regular expression: <regexp>: Unterminated group' },
    });
    expect(byName('save')[0]).toMatchObject({ outcome: 'rejected', error: { name: 'TypeError', message: 'Failed to fetch' }, settle: 6 });
  });

  it('puts every call of an explicit sequence under its name, including the call that started it', () => {
    const s = new Stream()
      .event(5, 'click', 298)
      .seqBegin(1, 'checkout-flow', 300)
      .call('validate', 2, 301, 302, { event: 5 })
      .seqEnd(1, 303)
      .call('onClick', 1, 299, 304, { event: 5 })
      .paint(320);
    const { sequences } = run(s, { until: 5000 });
    expect(sequences).toHaveLength(1);
    expect(sequences[0]).toMatchObject({ name: 'checkout-flow', explicit: true, handlers: ['onClick', 'validate'] });
  });

  it('does not let a new interaction join a pending explicit sequence', () => {
    const s = new Stream()
      .event(1, 'click', 0)
      .seqBegin(1, 'slow', 1)
      .call('start', 1, 1, 2, { async: true, event: 1 })
      .event(2, 'keydown', 50)
      .call('typed', 2, 51, 52, { event: 2 })
      .paint(60)
      .settle(1, 300)
      .seqEnd(1, 300)
      .paint(310);
    const { sequences } = run(s, { until: 5000 });
    expect(sequences.map((q) => q.name).sort()).toEqual(['keydown:typed', 'slow']);
  });

  it('gives a commit flushed inside a call (flushSync) to that call, and calls it blocking', () => {
    const s = new Stream().commit(1005).call('measure', 1, 1000, 1010, { blocking: 0 }).paint(1020);
    const { calls, attributor } = run(s, { until: 5000 });
    expect(calls[0]).toMatchObject({ commits: 1, blockingMs: 10, mode: 'blocking' });
    expect(attributor.unattributed).toBe(0);
  });

  it('lets a nested call claim the commit it forced before its parent can', () => {
    const s = new Stream()
      .commit(1005)
      .call('inner', 2, 1004, 1006, { parent: 1 })
      .call('outer', 1, 1000, 1010)
      .paint(1020);
    const { byName } = run(s, { until: 5000 });
    expect(byName('inner')[0]).toMatchObject({ commits: 1, mode: 'blocking' });
    expect(byName('outer')[0]).toMatchObject({ commits: 0, mode: 'none' });
  });

  it('closes a sequence that never sees a paint after the idle limit (hidden tab)', () => {
    const s = new Stream().call('tick', 1, 3000, 3001);
    const early = run(s, { until: 3500 });
    expect(early.calls).toHaveLength(0);
    const late = run(s, { until: 3001 + 2000 + 500 });
    expect(late.calls).toHaveLength(1);
    expect(late.calls[0]!.paintMs).toBeNull();
    expect(late.sequences[0]!.end).toBe(3001);
  });

  it('gives up on a transition that never commits after the pending cap', () => {
    const s = new Stream().call('stuck', 1, 0, 1, { transition: 1 }).paint(10);
    expect(run(s, { until: 9_000 }).calls).toHaveLength(0);
    const late = run(s, { until: 10_001 + 500 });
    expect(late.calls[0]).toMatchObject({ mode: 'transition', commits: 0, commitMs: null });
  });

  it('attaches Long Animation Frame evidence to the calls inside the frame', () => {
    const s = new Stream().call('heavy', 1, 1000, 1060).paint(1080).loaf(995, 90, 40, 12);
    const c = run(s, { until: 5000 }).calls[0]!;
    expect(c.loaf).toEqual({ durationMs: 90, blockingMs: 40, forcedStyleLayoutMs: 12, invoker: 'BUTTON.onclick', sourceFunction: 'handleClick' });
  });

  it("merges a Profiler report into the hook's commit", () => {
    const s = new Stream().call('render', 1, 10, 11, { blocking: 1 }).profile(39, 25, 12, 38).commit(40).syncEnd(1, 41).paint(50);
    const { calls, commits } = run(s, { until: 5000 });
    expect(calls[0]!.renderMs).toBe(25);
    expect(commits).toEqual([expect.objectContaining({ renderStart: 12, commitStart: 38, renderMs: 25 })]);
  });

  it('treats Profiler reports as the commits when there is no hook', () => {
    const s = new Stream().call('render', 1, 10, 11, { blocking: 1 }).profile(39, 25, 12, 38).syncEnd(1, 41).paint(50);
    const { calls, commits } = run(s, { until: 5000, hookCommits: false });
    expect(calls[0]).toMatchObject({ commits: 1, renderMs: 25, blockingMs: 29 });
    expect(commits).toHaveLength(1);
  });

  it('says "unknown" when React lanes were not observable, yet still attributes the sync commit', () => {
    const s = new Stream().call('legacy', 1, 0, 1, { known: false, probe: true }).commit(9).syncEnd(1, 10).paint(20);
    const c = run(s, { until: 5000 }).calls[0]!;
    expect(c).toMatchObject({ mode: 'unknown', commits: 1, blockingMs: 9 });
  });

  it('flush() emits everything still open', () => {
    const s = new Stream().call('a', 1, 0, 1, { async: true });
    const { calls, sequences } = run(s, { flush: true });
    expect(calls[0]).toMatchObject({ outcome: 'pending', settle: null });
    expect(sequences).toHaveLength(1);
  });

  describe('what the user felt', () => {
    it('a blocking click: latency from Event Timing, result at the paint after the commit, the long frame it froze', () => {
      const s = new Stream()
        .observing(true, true)
        .event(0, 'click', 100)
        .call('runLots', 1, 102, 110, { blocking: 1, event: 0 })
        .commit(540)
        .syncEnd(1, 541)
        // One frame: the handler, React's synchronous render + commit, then 400 ms of style and layout.
        .loaf(98, 860, 810, 0, { renderStart: 545, styleLayoutStart: 552 })
        .paint(960)
        .eventTiming('pointerdown', 96, 24, [97, 98], 7)
        .eventTiming('click', 100, 856, [101, 541], 7);
      const { calls, sequences, frames, events } = run(s, { until: 5000 });
      const c = calls[0]!;
      expect(c.interactionMs).toBe(856);
      expect(c.resultMs).toBe(858); // from the click's timestamp to the end of the frame that painted the rows
      expect(c.frames).toEqual({ count: 1, blockingMs: 810, totalMs: 860, longestMs: 860, styleLayoutMs: 406, forcedStyleLayoutMs: 0 });
      // blockingMs, the handler's own span, leaves out style and layout.
      expect(c.blockingMs).toBe(438);
      expect(sequences[0]).toMatchObject({ interactionMs: 856, resultMs: 858, frames: { longestMs: 860 } });
      expect(frames).toHaveLength(1);
      expect(frames[0]).toMatchObject({ start: 98, renderStart: 545, styleLayoutMs: 406 });
      expect(events.map((e) => e.type)).toEqual(['pointerdown', 'click']);
    });

    it("after a long frame, the frame's own end is the result's paint, not a probe that ran behind other tasks", () => {
      const s = new Stream()
        .observing(true, true)
        .event(0, 'click', 100)
        .call('runLots', 1, 101, 102, { transition: 1, event: 0 })
        .paint(118)
        .commit(1900)
        .loaf(1200, 1750, 1700, 0, { renderStart: 1905, styleLayoutStart: 1910 })
        // The probe's message ran half a second after the frame ended, behind a test driver's task.
        .paint(3450);
      const { calls, sequences } = run(s, { until: 9000 });
      expect(calls[0]!.resultMs).toBe(2850);
      expect(sequences[0]!.end).toBe(2950);
    });

    it('a transition: the click paints at once, the result and the frozen frame come later', () => {
      const s = new Stream()
        .observing(true, true)
        .event(0, 'click', 100)
        .call('runLots', 1, 102, 103, { transition: 1, event: 0 })
        .paint(118) // the click's frame: nothing rendered yet
        .eventTiming('click', 100, 16, [101, 103], 3)
        .commit(1900) // the transition's commit: one frame for 10,000 rows
        .loaf(1200, 1750, 1700, 0, { renderStart: 1905, styleLayoutStart: 1910 })
        .paint(2952);
      const c = run(s, { until: 9000 }).calls[0]!;
      expect(c.mode).toBe('transition');
      expect(c.blockingMs).toBe(1); // the proxy heal used to verify on: ~0 by construction
      expect(c.interactionMs).toBe(16);
      expect(c.resultMs).toBe(2850);
      expect(c.frames).toMatchObject({ count: 1, longestMs: 1750, blockingMs: 1700 });
    });

    it("a useTransition's isPending commit does not finish the transition: the call waits for the commit that does", () => {
      const s = new Stream()
        .observing(true, true)
        .event(0, 'click', 1000)
        .call('runLots', 1, 1001, 1009, { transition: 1, event: 0 })
        .commit(1026, 1, 1) // isPending=true; the transition's lane is still pending
        .paint(1040)
        .commit(2098, 1, 0) // the rows
        .paint(6300)
        .loaf(2000, 4290, 4240, 0, { renderStart: 2100, styleLayoutStart: 2110 });
      const c = run(s, { until: 9000 }).calls[0]!;
      expect(c).toMatchObject({ mode: 'transition', commits: 2 });
      expect(c.resultMs).toBe(5290);
      // Without lane information (an unknown React version), the first commit would have finished it.
      const unknown = new Stream().call('runLots', 1, 1001, 1009, { transition: 1 }).commit(1026).paint(1040).commit(2098).paint(6300);
      expect(run(unknown, { until: 9000 }).calls[0]!.commits).toBe(1);
    });

    it('typing fast into a transition: older keystrokes are superseded, only the newest has a time to result', () => {
      const s = new Stream().observing(true, true);
      // Three keystrokes 40 ms apart; each starts a transition that the next one interrupts.
      [0, 1, 2].forEach((k) => {
        const t = 100 + 40 * k;
        s.event(k, 'input', t).call('renderReact', k + 1, t + 1, t + 2, { transition: 1, event: k }).paint(t + 18);
      });
      // React commits only the last keystroke's results.
      s.commit(400).paint(420);
      const { calls, sequences } = run(s, { until: 9000 });
      expect(calls.map((c) => [c.id, c.resultMs])).toEqual([
        [1, null],
        [2, null],
        [3, 240],
      ]);
      expect(sequences.map((q) => q.resultMs)).toEqual([null, null, 240]);
      // Every one of them is still a transition that committed.
      expect(calls.every((c) => c.mode === 'transition' && c.commits === 1)).toBe(true);
    });

    it('an input event without an interaction id takes the latency of the keydown interaction it belongs to', () => {
      const s = new Stream()
        .observing(true, true)
        .event(0, 'input', 205)
        .call('onSearch', 1, 206, 240, { blocking: 1, event: 0 })
        .commit(250)
        .syncEnd(1, 251)
        .paint(262)
        .eventTiming('keydown', 200, 64, [201, 203], 11)
        .eventTiming('input', 205, 56, [205, 251], 0)
        .eventTiming('keyup', 300, 16, [300, 301], 11);
      const c = run(s, { until: 5000 }).calls[0]!;
      expect(c.interactionMs).toBe(64);
    });

    it('without an entry (faster than the 16 ms threshold), the paint after the event stands in; calls outside the dispatch get none', () => {
      const s = new Stream()
        .observing(true, true)
        .event(0, 'click', 50)
        .call('onClick', 1, 51, 52, { event: 0 })
        .call('later', 2, 53, 54, { async: true }) // a timer the click started: same sequence, not the dispatch
        .paint(60)
        .settle(2, 70)
        .paint(80);
      const { calls, sequences } = run(s, { until: 5000 });
      const byName = new Map(calls.map((c) => [c.handler, c]));
      expect(byName.get('onClick')!.interactionMs).toBe(10);
      expect(byName.get('later')!.interactionMs).toBeNull();
      expect(byName.get('onClick')!.resultMs).toBe(10);
      expect(byName.get('later')!.resultMs).toBe(30); // to the paint after its settle, from the click
      expect(byName.get('onClick')!.frames).toEqual({ count: 0, blockingMs: 0, totalMs: 0, longestMs: 0, styleLayoutMs: 0, forcedStyleLayoutMs: 0 });
      expect(sequences[0]).toMatchObject({ interactionMs: 10, resultMs: 30 });
    });

    it('frames are unknown (null), not zero, when the page does not observe them', () => {
      const s = new Stream().call('a', 1, 0, 1).paint(16);
      const c = run(s, { until: 5000 }).calls[0]!;
      expect(c.frames).toBeNull();
      expect(c.resultMs).toBe(16);
      expect(c.interactionMs).toBeNull();
    });

    it('a long frame still laying out a big commit is not idleness: the sequence waits for its paint', () => {
      const stream = () =>
        new Stream()
          .observing(true, true)
          .event(0, 'click', 100)
          .call('runLots', 1, 101, 102, { transition: 1, event: 0 })
          .paint(118)
          .commit(1900);
      // The page cuts a batch 2.5 s after the commit, still waiting for the frame to paint (or not).
      const run2 = (pending: boolean) => {
        const calls: HandlerCall[] = [];
        const s = stream();
        const a = new Attributor(
          { call: (c) => calls.push(c), sequence: () => {}, commit: () => {}, vital: () => {}, frame: () => {}, event: () => {} },
          (id) => s.strings[id]!,
          { hookCommits: true },
        );
        const { records, count } = s.records();
        a.push(records, count);
        a.advance(4400, pending);
        const later = new Stream();
        for (const str of s.strings) later.id(str);
        later.paint(4500).loaf(1850, 2640, 2590, 0, { renderStart: 1905, styleLayoutStart: 1910 });
        const r = later.records();
        a.push(r.records, r.count);
        a.advance(6000);
        return calls[0]!;
      };
      expect(run2(true).resultMs).toBe(4390);
      // Without the page saying so (a hidden tab), 2 s without a paint closes it without a result.
      expect(run2(false).resultMs).toBeNull();
    });

    it('waits for a long frame entry the browser reports late, and gives up after a while', () => {
      const base = () =>
        new Stream().observing(true, true).event(0, 'click', 100).call('runLots', 1, 101, 102, { transition: 1, event: 0 }).paint(118).commit(1900).paint(3000);
      // The frame's entry arrives after the next interaction already started (well past the 500 ms grace).
      const late = base().event(1, 'click', 3800).call('clear', 2, 3801, 3802, { event: 1 }).paint(3820).loaf(1850, 1140, 1090, 0, { renderStart: 1905, styleLayoutStart: 1910 });
      const got = run(late, { until: 4500 });
      expect(got.calls.find((c) => c.handler === 'runLots')!.frames).toMatchObject({ count: 1, longestMs: 1140, styleLayoutMs: 1080 });
      // No entry ever comes: emitted without it, 3 s past the grace period.
      const never = run(base(), { until: 3000 + 500 + 2000 });
      expect(never.calls).toHaveLength(0);
      const gaveUp = run(base(), { until: 3000 + 500 + 3000 + 100 });
      expect(gaveUp.calls[0]!.frames).toMatchObject({ count: 0 });
    });

    it('a sequence closed by the time cap has no time to result', () => {
      const s = new Stream().observing(true, true).call('hidden', 1, 0, 1);
      const { sequences, calls } = run(s, { until: 5000 });
      expect(sequences[0]!.resultMs).toBeNull();
      expect(calls[0]!.resultMs).toBeNull();
    });
  });
});
