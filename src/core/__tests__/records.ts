/** Builds wire record streams by hand, for attribution tests. */
import { CallFlag, Kind, STRIDE } from '../wire.ts';

export class Stream {
  private rows: number[][] = [];
  readonly strings: string[] = [];

  id(s: string): number {
    let i = this.strings.indexOf(s);
    if (i < 0) i = this.strings.push(s) - 1;
    return i;
  }

  private add(kind: number, ...fields: number[]): this {
    const row = new Array<number>(STRIDE).fill(-1);
    row[0] = kind;
    fields.forEach((f, i) => (row[i + 1] = f));
    this.rows.push(row);
    return this;
  }

  call(
    handler: string,
    callId: number,
    start: number,
    end: number,
    opts: { blocking?: number; transition?: number; async?: boolean; threw?: string; parent?: number; event?: number; known?: boolean; probe?: boolean } = {},
  ): this {
    const known = opts.known ?? true;
    let flags = known ? CallFlag.UpdatesKnown : 0;
    if (opts.async) flags |= CallFlag.Async;
    if (opts.threw) flags |= CallFlag.Threw;
    if (opts.probe ?? (known && (opts.blocking ?? 0) > 0)) flags |= CallFlag.SyncProbe;
    return this.add(
      Kind.Call,
      this.id(handler),
      callId,
      start,
      end,
      flags,
      opts.blocking ?? 0,
      opts.transition ?? 0,
      opts.threw ? this.id(opts.threw) : -1,
      opts.parent ?? -1,
      opts.event ?? -1,
    );
  }
  event(serial: number, type: string, timeStamp: number): this {
    return this.add(Kind.Event, serial, this.id(type), timeStamp);
  }
  syncEnd(callId: number, time: number): this {
    return this.add(Kind.SyncEnd, callId, time);
  }
  commit(time: number, rootId = 1, transitionsLeft = -1): this {
    return this.add(Kind.Commit, time, rootId, transitionsLeft);
  }
  profile(time: number, actualDuration: number, startTime: number, commitTime: number): this {
    return this.add(Kind.Profile, time, actualDuration, startTime, commitTime);
  }
  paint(time: number): this {
    return this.add(Kind.Paint, time);
  }
  settle(callId: number, time: number, rejected = false, error?: string): this {
    return this.add(Kind.Settle, callId, time, rejected ? 1 : 0, error ? this.id(error) : -1);
  }
  seqBegin(token: number, name: string, time: number): this {
    return this.add(Kind.SeqBegin, token, this.id(name), time);
  }
  seqEnd(token: number, time: number): this {
    return this.add(Kind.SeqEnd, token, time);
  }
  loaf(start: number, duration: number, blocking: number, forced: number, render: { renderStart?: number; styleLayoutStart?: number } = {}): this {
    return this.add(
      Kind.Loaf, start, duration, blocking, forced, duration, this.id('BUTTON.onclick'), this.id('handleClick'),
      render.renderStart ?? -1, render.styleLayoutStart ?? -1,
    );
  }
  /** An Event Timing entry: the event's timestamp, its duration (to the next paint), processing span, interactionId. */
  eventTiming(type: string, start: number, duration: number, processing: [number, number], interactionId = 0): this {
    return this.add(Kind.EventTiming, start, duration, processing[0], processing[1], interactionId, this.id(type));
  }
  /** What the page observes (Long Animation Frames, Event Timing). */
  observing(frames: boolean, events: boolean): this {
    return this.add(Kind.Observing, frames ? 1 : 0, events ? 1 : 0);
  }

  records(): { records: Float64Array; count: number } {
    const records = new Float64Array(this.rows.length * STRIDE);
    this.rows.forEach((r, i) => records.set(r, i * STRIDE));
    return { records, count: this.rows.length };
  }
}
