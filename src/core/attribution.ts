/**
 * Turns the page's raw record stream into finished handler calls, React commits and
 * sequences. Pure and deterministic, so the worker, the in-memory fallback and Node tools
 * all reach the same result from the same records.
 *
 * Rules (the page records facts; every inference lives here):
 * - A commit that lands while a call with blocking updates has not yet seen its SyncEnd
 *   microtask was flushed synchronously by React: blocking work caused by those calls.
 *   A commit inside a call (`flushSync`) belongs to that call.
 * - Any other commit completes the calls whose transition updates are still waiting, and the
 *   calls whose blocking updates React did not flush in their turn (updates outside a discrete
 *   event render in a later scheduler task, unsliced). Those wait at most two paints: an update
 *   React bails out of never commits.
 * - A call's blocking time runs from its start to the end of the synchronous commit it caused
 *   (or to its own end when it caused none).
 * - Calls made while the same DOM event was being dispatched form one sequence; calls made
 *   outside any event (timers, promise continuations, transition renders) join the newest
 *   sequence that is still open, else start their own. `sequence(name, fn)` overrides both.
 * - A sequence closes at the first paint after its last activity once nothing it started is
 *   pending (async settles, transitions), or after `idleCloseMs` without a paint, or after
 *   `pendingCapMs` of waiting. It is emitted `graceMs` later, so late Long Animation Frame
 *   and Event Timing entries still reach it and its calls.
 *
 * What the user felt (see `metrics.ts`) comes from the browser's own evidence:
 * - interaction latency: the Event Timing entry of the event that started the sequence, or,
 *   INP-style, the longest entry of the interaction it belongs to (an `input` event has no
 *   interaction id of its own: the keydown that caused it does). Interactions faster than the
 *   browser's 16 ms reporting threshold have no entry; then the paint after the event's calls,
 *   measured by the page, stands in.
 * - time to result: from the sequence start to the first paint after the call's last work
 *   (commits, transitions included, and settles) once nothing it started is pending.
 * - frames: the Long Animation Frames overlapping that span (0 when none was long; null when
 *   the page cannot observe them).
 */
import { LONG_FRAME_MS } from './metrics.ts';
import { CallFlag, Kind, STRIDE } from './wire.ts';
import type {
  CommitRecord,
  ErrorInfo,
  EventTimingRecord,
  FrameEvidence,
  FrameRecord,
  HandlerCall,
  LoafEvidence,
  Outcome,
  SequenceRecord,
  TransitionMode,
  VitalRecord,
} from './model.ts';

export interface AttributorOptions {
  /** True when the page reports commits through the DevTools hook; Profile records then only enrich them. */
  hookCommits: boolean;
  /** How long to wait for late Long Animation Frame entries before a closed sequence is emitted. */
  graceMs?: number;
  /** Close a sequence that saw no paint this long after its last activity (hidden tab). */
  idleCloseMs?: number;
  /** Give up waiting for a pending settle or transition after this long. */
  pendingCapMs?: number;
}

export interface AttributorSink {
  call(call: HandlerCall): void;
  /** Emitted right after the sequence's calls. */
  sequence(sequence: SequenceRecord): void;
  commit(commit: CommitRecord): void;
  vital(vital: VitalRecord): void;
  /** Every Long Animation Frame, as it arrives. */
  frame(frame: FrameRecord): void;
  /** Every Event Timing entry of an interaction, as it arrives. */
  event(entry: EventTimingRecord): void;
}

interface CallState {
  id: number;
  handler: string;
  start: number;
  end: number;
  flags: number;
  updBlocking: number;
  updTransition: number;
  error: ErrorInfo | null;
  parent: number | null;
  seq: SeqState;
  settleAt: number | null;
  outcome: Outcome;
  commits: number;
  renderMs: number | null;
  lastCommit: number | null;
  lastSyncCommit: number | null;
  /** Commits flushed while the call was on the stack (`flushSync`): proof of a blocking update. */
  innerCommits: number;
  paint: number | null;
  loaf: LoafEvidence | null;
  awaitingSync: boolean;
  awaitingTransition: boolean;
  awaitingSettle: boolean;
  /** Blocking updates not flushed in the call's turn: paints seen while waiting for their commit. */
  awaitingDeferred: boolean;
  deferredPaints: number;
  /** Render + commit of a deferred blocking commit, when the Profiler reported it. */
  deferredBlockMs: number | null;
  /** The DOM event being dispatched when the call ran, or -1. */
  eventSerial: number;
  /** The first paint after the call's last work once nothing it started was pending. */
  resultPaint: number | null;
  /** Its transition was superseded by a newer one of the same handler before React committed it. */
  superseded: boolean;
}

interface SeqState {
  id: number;
  explicitName: string | null;
  token: number;
  trigger: { type: string; timeStamp: number } | null;
  eventSerial: number;
  explicitOpen: boolean;
  explicitEnd: number | null;
  calls: CallState[];
  firstStart: number;
  lastActivity: number;
  closedAt: number | null;
  /** It closed at a paint (its end is the paint after its work), not by a time cap. */
  closedByPaint: boolean;
}

interface PendingProfile {
  time: number;
  actualDuration: number;
  startTime: number;
  commitTime: number;
}

interface CommitState {
  record: CommitRecord;
  calls: CallState[];
}

const NO_ID = -1;
/** Event Timing's startTime is the event's timeStamp; both are coarsened, so allow a little. */
const SAME_EVENT_MS = 1;
/** Evidence is kept this long before the oldest open sequence (input delay: the event precedes its first call). */
const EVIDENCE_MARGIN_MS = 1000;
/** ...and never more than this many entries of each kind. */
const MAX_EVIDENCE = 2048;
/**
 * How much longer than the grace period a closed sequence waits for the Long Animation Frame it
 * knows is coming (its paint came a long frame after its work, and no entry covers that yet).
 */
const FRAME_WAIT_MS = 3000;
/** Bounds memory when a page commits far more often than the grace period lets commits go. */
const MAX_HELD_COMMITS = 1024;
/** Emission latency traded for throughput: closed work is emitted in batches this far apart (page ms). */
const SCAN_INTERVAL_MS = 100;

/** Splits "Name: message" as the page interned it. */
export function parseErrorString(s: string): ErrorInfo {
  const i = s.indexOf(': ');
  return i < 0 ? { name: s, message: '' } : { name: s.slice(0, i), message: s.slice(i + 2) };
}

export class Attributor {
  private readonly graceMs: number;
  private readonly idleCloseMs: number;
  private readonly pendingCapMs: number;
  private hookCommits: boolean;

  private now = 0;
  private nextSeqId = 1;
  /** Open, and closed-but-not-yet-emitted, sequences, oldest first. */
  private sequences: SeqState[] = [];
  private readonly byEvent = new Map<number, SeqState>();
  private readonly events = new Map<number, { type: string; timeStamp: number }>();
  private readonly explicitByToken = new Map<number, SeqState>();
  private readonly calls = new Map<number, CallState>();
  private syncOpen: CallState[] = [];
  private transitionPending: CallState[] = [];
  private deferredPending: CallState[] = [];
  private pendingProfile: PendingProfile | null = null;
  private commits: CommitState[] = [];
  /** Earliest time a closed sequence or held commit is due to be emitted (see emitClosed). */
  private nextDue = Infinity;
  private lastScan = -Infinity;
  private unattributedCommits = 0;
  /** Long frames and interaction entries not yet older than every open sequence. */
  private frameBuf: FrameRecord[] = [];
  private eventBuf: EventTimingRecord[] = [];
  /** Whether the page observes Long Animation Frames / Event Timing; null until it says (older pages never do). */
  private observesFrames: boolean | null = null;
  /** The page said, with its latest batch, that a paint probe is still waiting for its frame. */
  private paintPending = false;
  private observesEvents: boolean | null = null;

  constructor(
    private readonly sink: AttributorSink,
    private readonly str: (id: number) => string,
    options: AttributorOptions,
  ) {
    this.hookCommits = options.hookCommits;
    this.graceMs = options.graceMs ?? 500;
    this.idleCloseMs = options.idleCloseMs ?? 2000;
    this.pendingCapMs = options.pendingCapMs ?? 10_000;
  }

  /** The page found (or lost) the DevTools hook after the stream began. */
  setHookCommits(on: boolean): void {
    this.hookCommits = on;
  }

  /** Commits seen that no call requested (effects, timers, unobserved code). */
  get unattributed(): number {
    return this.unattributedCommits;
  }

  /** Sequences not yet emitted. */
  get openSequences(): number {
    return this.sequences.length;
  }

  /** Feeds `count` records of `records`, starting at record index `from`. */
  push(records: Float64Array, count: number, from = 0): void {
    for (let r = from; r < from + count; r++) this.record(records, r * STRIDE);
  }

  /**
   * Moves stream time forward (the page's clock when a batch was cut) and closes what has waited
   * long enough. `paintPending`: the page still waits for a frame, so "no paint yet" is not idleness.
   */
  advance(now: number, paintPending = false): void {
    this.paintPending = paintPending;
    this.tick(now);
    this.sweep(null);
  }

  /** Closes and emits everything still open: end of session, export, or an explicit flush. */
  flush(): void {
    for (const seq of this.sequences) if (seq.closedAt === null) this.close(seq, seq.lastActivity);
    this.emitClosed(Infinity);
  }

  private record(a: Float64Array, o: number): void {
    switch (a[o] as Kind) {
      case Kind.Call:
        return this.onCall(a, o);
      case Kind.Settle:
        return this.onSettle(a[o + 1]!, a[o + 2]!, a[o + 3] === 1, a[o + 4]!);
      case Kind.Commit:
        return this.onCommit(a[o + 1]!, this.takeProfile(a[o + 1]!), a[o + 3] === 1);
      case Kind.Profile: {
        const profile = { time: a[o + 1]!, actualDuration: a[o + 2]!, startTime: a[o + 3]!, commitTime: a[o + 4]! };
        if (this.hookCommits) {
          this.tick(profile.time);
          this.pendingProfile = profile;
        } else {
          this.onCommit(profile.time, profile);
        }
        return;
      }
      case Kind.Paint:
        return this.onPaint(a[o + 1]!);
      case Kind.Event:
        this.events.set(a[o + 1]!, { type: this.str(a[o + 2]!), timeStamp: a[o + 3]! });
        return;
      case Kind.SeqBegin:
        return this.onSeqBegin(a[o + 1]!, this.str(a[o + 2]!), a[o + 3]!);
      case Kind.SeqEnd:
        return this.onSeqEnd(a[o + 1]!, a[o + 2]!);
      case Kind.SyncEnd:
        return this.onSyncEnd(a[o + 1]!, a[o + 2]!);
      case Kind.Loaf: {
        const evidence: LoafEvidence = {
          durationMs: a[o + 2]!,
          blockingMs: a[o + 3]!,
          forcedStyleLayoutMs: a[o + 4]!,
          invoker: a[o + 6]! >= 0 ? this.str(a[o + 6]!) : null,
          sourceFunction: a[o + 7]! >= 0 ? this.str(a[o + 7]!) : null,
        };
        this.onFrame(a[o + 1]!, evidence, a[o + 8]!, a[o + 9]!);
        return this.onLongFrame(a[o + 1]!, a[o + 2]!, evidence);
      }
      case Kind.EventTiming:
        return this.onEventTiming({
          type: this.str(a[o + 6]!),
          start: a[o + 1]!,
          durationMs: a[o + 2]!,
          inputDelayMs: Math.max(0, a[o + 3]! - a[o + 1]!),
          processingMs: Math.max(0, a[o + 4]! - a[o + 3]!),
          interaction: Math.max(0, a[o + 5]!),
        });
      case Kind.Observing:
        this.observesFrames = a[o + 1] === 1;
        this.observesEvents = a[o + 2] === 1;
        return;
      case Kind.LongTask:
        return this.onLongFrame(a[o + 1]!, a[o + 2]!, {
          durationMs: a[o + 2]!,
          blockingMs: Math.max(0, a[o + 2]! - 50),
          forcedStyleLayoutMs: 0,
          invoker: null,
          sourceFunction: null,
        });
      case Kind.Inp:
        this.tick(a[o + 1]!);
        this.sink.vital({
          name: 'INP',
          time: a[o + 1]!,
          value: a[o + 2]!,
          rating: a[o + 3]! >= 0 ? this.str(a[o + 3]!) : 'unknown',
          target: a[o + 4]! >= 0 ? this.str(a[o + 4]!) : null,
          inputDelay: a[o + 5]! >= 0 ? a[o + 5]! : null,
          processingDuration: a[o + 6]! >= 0 ? a[o + 6]! : null,
          presentationDelay: a[o + 7]! >= 0 ? a[o + 7]! : null,
        });
        return;
      default:
        // Kinds from newer pages carry nothing this version understands.
        return;
    }
  }

  private tick(t: number): void {
    if (t > this.now) this.now = t;
  }

  private onCall(a: Float64Array, o: number): void {
    const start = a[o + 3]!;
    const end = a[o + 4]!;
    const flags = a[o + 5]!;
    const errorId = a[o + 8]!;
    const parent = a[o + 9]!;
    this.tick(end);
    const known = (flags & CallFlag.UpdatesKnown) !== 0;
    const threw = (flags & CallFlag.Threw) !== 0;
    const call: CallState = {
      id: a[o + 2]!,
      handler: this.str(a[o + 1]!),
      start,
      end,
      flags,
      updBlocking: known ? a[o + 6]! : 0,
      updTransition: known ? a[o + 7]! : 0,
      error: threw && errorId >= 0 ? parseErrorString(this.str(errorId)) : null,
      parent: parent >= 0 ? parent : null,
      seq: this.sequenceFor(start, end, a[o + 10]!),
      settleAt: null,
      outcome: threw ? 'threw' : (flags & CallFlag.Async) !== 0 ? 'pending' : 'ok',
      commits: 0,
      renderMs: null,
      lastCommit: null,
      lastSyncCommit: null,
      innerCommits: 0,
      paint: null,
      loaf: null,
      awaitingSync: (flags & CallFlag.SyncProbe) !== 0,
      awaitingTransition: known && a[o + 7]! > 0,
      awaitingSettle: (flags & CallFlag.Async) !== 0,
      awaitingDeferred: false,
      deferredPaints: 0,
      deferredBlockMs: null,
      eventSerial: a[o + 10]!,
      resultPaint: null,
      superseded: false,
    };
    call.seq.calls.push(call);
    call.seq.firstStart = Math.min(call.seq.firstStart, start);
    call.seq.lastActivity = Math.max(call.seq.lastActivity, end);
    this.calls.set(call.id, call);
    if (call.awaitingSync) this.syncOpen.push(call);
    if (call.awaitingTransition) this.transitionPending.push(call);
    this.claimInnerCommits(call);
  }

  /**
   * Commits that happened inside the call arrived before its record. Only the call itself (or
   * a call nested in it, which claimed first) can have forced them, e.g. with `flushSync`.
   */
  private claimInnerCommits(call: CallState): void {
    for (const cs of this.commits) {
      const t = cs.record.time;
      if (cs.calls.length === 0 && t >= call.start && t <= call.end) {
        this.unattributedCommits--;
        cs.record.sync = true;
        call.innerCommits++;
        this.attach(cs, [call], true);
      }
    }
  }

  private sequenceFor(start: number, end: number, eventSerial: number): SeqState {
    const explicit = this.explicitFor(start, end, eventSerial);
    if (explicit) return explicit;
    if (eventSerial >= 0) {
      const existing = this.byEvent.get(eventSerial);
      if (existing && existing.closedAt === null) return existing;
      const seq = this.open(this.events.get(eventSerial) ?? null, eventSerial, start, null, NO_ID);
      this.byEvent.set(eventSerial, seq);
      return seq;
    }
    for (let i = this.sequences.length - 1; i >= 0; i--) {
      const seq = this.sequences[i]!;
      if (seq.closedAt === null) return seq;
    }
    return this.open(null, NO_ID, start, null, NO_ID);
  }

  /** The innermost explicit sequence whose span overlaps the call and whose interaction it shares. */
  private explicitFor(start: number, end: number, eventSerial: number): SeqState | null {
    let best: SeqState | null = null;
    for (const seq of this.sequences) {
      if (seq.explicitName === null || seq.closedAt !== null) continue;
      if (seq.firstStart > end || (seq.explicitEnd !== null && start > seq.explicitEnd)) continue;
      if (eventSerial >= 0 && seq.eventSerial >= 0 && seq.eventSerial !== eventSerial) continue;
      if (best === null || seq.firstStart >= best.firstStart) best = seq;
    }
    if (best !== null && eventSerial >= 0 && best.eventSerial < 0) {
      best.eventSerial = eventSerial;
      best.trigger = this.events.get(eventSerial) ?? null;
      this.byEvent.set(eventSerial, best);
    }
    return best;
  }

  private open(
    trigger: SeqState['trigger'],
    eventSerial: number,
    start: number,
    explicitName: string | null,
    token: number,
  ): SeqState {
    const seq: SeqState = {
      id: this.nextSeqId++,
      explicitName,
      token,
      trigger,
      eventSerial,
      explicitOpen: explicitName !== null,
      explicitEnd: null,
      calls: [],
      firstStart: start,
      lastActivity: start,
      closedAt: null,
      closedByPaint: false,
    };
    this.sequences.push(seq);
    return seq;
  }

  private onSeqBegin(token: number, name: string, time: number): void {
    this.tick(time);
    this.explicitByToken.set(token, this.open(null, NO_ID, time, name, token));
  }

  private onSeqEnd(token: number, time: number): void {
    this.tick(time);
    const seq = this.explicitByToken.get(token);
    if (!seq) return;
    this.explicitByToken.delete(token);
    seq.explicitOpen = false;
    seq.explicitEnd = time;
    seq.lastActivity = Math.max(seq.lastActivity, time);
  }

  private onSettle(callId: number, time: number, rejected: boolean, errorId: number): void {
    this.tick(time);
    const call = this.calls.get(callId);
    if (!call || !call.awaitingSettle) return;
    call.awaitingSettle = false;
    call.settleAt = time;
    call.outcome = rejected ? 'rejected' : 'ok';
    if (rejected && errorId >= 0) call.error = parseErrorString(this.str(errorId));
    call.seq.lastActivity = Math.max(call.seq.lastActivity, time);
  }

  private onSyncEnd(callId: number, time: number): void {
    this.tick(time);
    const call = this.calls.get(callId);
    if (!call || !call.awaitingSync) return;
    call.awaitingSync = false;
    this.syncOpen = this.syncOpen.filter((c) => c !== call);
    if (call.updBlocking > 0 && call.lastSyncCommit === null) {
      call.awaitingDeferred = true;
      this.deferredPending.push(call);
    }
  }

  /** `transitionsLeft`: React said the root still has transition work pending after this commit. */
  private onCommit(time: number, p: PendingProfile | null, transitionsLeft = false): void {
    this.tick(time);
    let calls: CallState[];
    const sync = this.syncOpen.length > 0;
    if (sync) {
      // A synchronous flush commits everything requested so far in this turn.
      calls = this.syncOpen.slice();
    } else {
      calls = [...this.transitionPending, ...this.deferredPending];
      for (const c of this.deferredPending) {
        c.awaitingDeferred = false;
        // Blocking-lane renders are not time-sliced: render and commit were one block of work.
        if (p) c.deferredBlockMs = Math.max(c.deferredBlockMs ?? 0, p.actualDuration + Math.max(0, time - p.commitTime));
      }
      this.deferredPending = [];
      // A commit that leaves transition work pending (useTransition's isPending, an urgent update
      // in between) belongs to the waiting calls, but their transition is still to come.
      if (!transitionsLeft) {
        // Transitions of one handler that one commit finishes: React rendered only the newest
        // (typing fast, each keystroke's transition interrupts the last). The older ones were
        // superseded: the user never sees their result, so it has no time to result of its own.
        const newest = new Map<string, CallState>();
        for (const c of this.transitionPending) {
          const n = newest.get(c.handler);
          if (!n || c.start > n.start) newest.set(c.handler, c);
        }
        for (const c of this.transitionPending) {
          c.awaitingTransition = false;
          if (newest.get(c.handler) !== c) c.superseded = true;
        }
        this.transitionPending = [];
      }
    }
    const cs: CommitState = {
      record: {
        time,
        renderStart: p?.startTime ?? null,
        commitStart: p?.commitTime ?? null,
        renderMs: p?.actualDuration ?? null,
        sync,
        calls: [],
      },
      calls: [],
    };
    this.commits.push(cs);
    this.nextDue = Math.min(this.nextDue, cs.record.time + this.graceMs);
    if (calls.length === 0) this.unattributedCommits++;
    else this.attach(cs, calls, sync);
  }

  private attach(cs: CommitState, calls: CallState[], sync: boolean): void {
    const { time, renderMs } = cs.record;
    for (const c of calls) {
      c.commits++;
      c.lastCommit = Math.max(c.lastCommit ?? time, time);
      if (sync) c.lastSyncCommit = Math.max(c.lastSyncCommit ?? time, time);
      if (renderMs !== null) c.renderMs = (c.renderMs ?? 0) + renderMs;
      c.seq.lastActivity = Math.max(c.seq.lastActivity, time);
      cs.calls.push(c);
    }
  }

  private takeProfile(time: number): PendingProfile | null {
    const p = this.pendingProfile;
    this.pendingProfile = null;
    // onRender runs during the same commit, just before the hook: anything older is another root's.
    return p !== null && p.time <= time && time - p.time < 50 ? p : null;
  }

  private onPaint(time: number): void {
    this.tick(time);
    this.paintPending = false;
    if (this.deferredPending.length > 0) {
      for (const c of this.deferredPending) if (++c.deferredPaints >= 2) c.awaitingDeferred = false;
      this.deferredPending = this.deferredPending.filter((c) => c.awaitingDeferred);
    }
    for (const seq of this.sequences) {
      if (seq.closedAt !== null) continue;
      for (const c of seq.calls) {
        if (c.paint === null && c.end <= time) c.paint = time;
        // The first paint after the call's last work, once it waits for nothing: its result is on screen.
        if (!waiting(c)) {
          const last = lastWork(c);
          if (time >= last && (c.resultPaint === null || c.resultPaint < last)) c.resultPaint = time;
        }
      }
    }
    this.sweep(time);
  }

  private onFrame(start: number, e: LoafEvidence, renderStart: number, styleLayoutStart: number): void {
    const end = start + e.durationMs;
    const frame: FrameRecord = {
      start,
      durationMs: e.durationMs,
      blockingMs: e.blockingMs,
      renderStart: renderStart > 0 ? renderStart : null,
      styleLayoutMs: styleLayoutStart > 0 ? Math.max(0, end - styleLayoutStart) : 0,
      forcedStyleLayoutMs: e.forcedStyleLayoutMs,
      invoker: e.invoker,
      sourceFunction: e.sourceFunction,
    };
    this.sink.frame(frame);
    this.keep(this.frameBuf, frame);
  }

  private onEventTiming(entry: EventTimingRecord): void {
    this.sink.event(entry);
    this.keep(this.eventBuf, entry);
  }

  /** Buffers evidence for the sequences it may belong to (pruned as sequences are emitted, see pruneEvidence). */
  private keep<T extends { start: number }>(buf: T[], item: T): void {
    buf.push(item);
    if (buf.length > MAX_EVIDENCE) buf.splice(0, buf.length - MAX_EVIDENCE);
  }

  /** Drops evidence that ended before anything still open (or about to open) began. */
  private pruneEvidence(): void {
    let horizon = this.now - EVIDENCE_MARGIN_MS;
    for (const seq of this.sequences) horizon = Math.min(horizon, seq.firstStart - EVIDENCE_MARGIN_MS, (seq.trigger?.timeStamp ?? Infinity) - EVIDENCE_MARGIN_MS);
    const gone = (e: { start: number; durationMs: number }) => e.start + e.durationMs < horizon;
    if (this.frameBuf.length > 0 && gone(this.frameBuf[0]!)) this.frameBuf = this.frameBuf.filter((f) => !gone(f));
    if (this.eventBuf.length > 0 && gone(this.eventBuf[0]!)) this.eventBuf = this.eventBuf.filter((e) => !gone(e));
  }

  /**
   * True when a call of the sequence was painted a long frame after its last work and no Long
   * Animation Frame entry covering that span has arrived yet: the browser reports such entries
   * after the frame, sometimes only after the next interaction began.
   */
  private frameMissing(seq: SeqState): boolean {
    if (this.observesFrames !== true || !seq.closedByPaint) return false;
    for (const c of seq.calls) {
      if (c.resultPaint === null) continue;
      const from = lastWork(c);
      if (c.resultPaint - from < LONG_FRAME_MS) continue;
      if (!this.frameBuf.some((f) => f.start <= c.resultPaint! && f.start + f.durationMs >= from)) return true;
    }
    return false;
  }

  /**
   * When the work at `time` happened inside a Long Animation Frame that rendered, that frame's end
   * is when its pixels were produced: more exact than the page's paint probe, which can run behind
   * other queued tasks after a long frame. Returns `paint` otherwise.
   */
  private paintedAt(time: number, paint: number): number {
    if (this.frameBuf.length === 0) return paint;
    for (const f of this.frameBuf) {
      const end = f.start + f.durationMs;
      if (f.renderStart !== null && f.start <= time && time <= end && end < paint) return end;
    }
    return paint;
  }

  /** Long frames overlapping [from, to], or null when the page cannot observe them. */
  private framesIn(from: number, to: number): FrameEvidence | null {
    if (this.observesFrames !== true) return null;
    const out: FrameEvidence = { count: 0, blockingMs: 0, totalMs: 0, longestMs: 0, styleLayoutMs: 0, forcedStyleLayoutMs: 0 };
    for (const f of this.frameBuf) {
      if (f.start >= to || f.start + f.durationMs <= from) continue;
      out.count++;
      out.blockingMs += f.blockingMs;
      out.totalMs += f.durationMs;
      out.longestMs = Math.max(out.longestMs, f.durationMs);
      out.styleLayoutMs += f.styleLayoutMs;
      out.forcedStyleLayoutMs += f.forcedStyleLayoutMs;
    }
    return out;
  }

  /**
   * The latency the user felt for the input that started `seq`: its Event Timing entry, or the
   * longest entry of the interaction in progress when it fired (INP-style); without any entry
   * (faster than the browser's 16 ms threshold), the paint after the event's own calls.
   */
  private interactionLatency(seq: SeqState): number | null {
    const t = seq.trigger;
    if (t === null) return null;
    let latency = -1;
    let interaction = 0;
    for (const e of this.eventBuf) {
      if (e.type === t.type && Math.abs(e.start - t.timeStamp) <= SAME_EVENT_MS) {
        latency = Math.max(latency, e.durationMs);
        if (e.interaction > 0) interaction = e.interaction;
      }
    }
    for (const e of this.eventBuf) {
      const sameInteraction = interaction > 0 ? e.interaction === interaction : e.interaction > 0 && e.start <= t.timeStamp + SAME_EVENT_MS && e.start + e.durationMs >= t.timeStamp;
      if (sameInteraction) latency = Math.max(latency, e.durationMs);
    }
    if (latency >= 0) return latency;
    let paint = -1;
    for (const c of seq.calls) if (c.eventSerial === seq.eventSerial && c.paint !== null) paint = Math.max(paint, c.paint);
    return paint >= 0 ? Math.max(0, paint - t.timeStamp) : null;
  }

  private onLongFrame(start: number, duration: number, evidence: LoafEvidence): void {
    const end = start + duration;
    for (const seq of this.sequences) {
      for (const c of seq.calls) {
        if (c.start >= start && c.start <= end && (c.loaf === null || c.loaf.blockingMs < evidence.blockingMs)) {
          c.loaf = evidence;
        }
      }
    }
  }

  /** Closes sequences whose work is over; `paint` is the paint that just happened, if any. */
  private sweep(paint: number | null): void {
    for (const seq of this.sequences) {
      if (seq.closedAt !== null) continue;
      const waited = this.now - seq.lastActivity;
      const pending = this.isPending(seq);
      if (!pending && paint !== null && paint >= seq.lastActivity) {
        this.close(seq, paint);
        seq.closedByPaint = true;
      } else if (waited >= (pending || this.paintPending ? this.pendingCapMs : this.idleCloseMs)) this.close(seq, seq.lastActivity);
    }
    this.emitClosed(this.now);
  }

  private isPending(seq: SeqState): boolean {
    if (seq.explicitOpen) return true;
    for (const c of seq.calls) if (waiting(c)) return true;
    return false;
  }

  private close(seq: SeqState, end: number): void {
    seq.closedAt = end;
    this.nextDue = Math.min(this.nextDue, end + this.graceMs);
    if (seq.eventSerial >= 0 && this.byEvent.get(seq.eventSerial) === seq) this.byEvent.delete(seq.eventSerial);
    if (seq.token !== NO_ID) this.explicitByToken.delete(seq.token);
    // Whatever it still waits for will not be attributed any more. (Checked per call: these
    // lists are usually empty or tiny, and this runs once per interaction.)
    const gone = (c: CallState) => c.seq === seq;
    if (this.syncOpen.some(gone)) this.syncOpen = this.syncOpen.filter((c) => !gone(c));
    if (this.transitionPending.some(gone)) this.transitionPending = this.transitionPending.filter((c) => !gone(c));
    if (this.deferredPending.some(gone)) this.deferredPending = this.deferredPending.filter((c) => !gone(c));
    for (const c of seq.calls) c.awaitingSync = c.awaitingTransition = c.awaitingSettle = c.awaitingDeferred = false;
  }

  private emitClosed(now: number): void {
    // Called on every paint: skip the scan until something can actually be due, and then scan at
    // most every SCAN_INTERVAL_MS of page time (a burst would otherwise rescan on every paint).
    if (this.commits.length <= MAX_HELD_COMMITS && (now < this.nextDue || now - this.lastScan < SCAN_INTERVAL_MS)) return;
    if (Number.isFinite(now)) this.lastScan = now;
    let nextDue = Infinity;
    const keep: SeqState[] = [];
    for (const seq of this.sequences) {
      const waited = seq.closedAt === null ? -Infinity : now - seq.closedAt;
      const due = waited >= this.graceMs && (waited >= this.graceMs + FRAME_WAIT_MS || !this.frameMissing(seq));
      if (!due) {
        keep.push(seq);
        // Waiting for a frame's entry: look again at the next scan.
        if (seq.closedAt !== null) nextDue = Math.min(nextDue, waited >= this.graceMs ? now + SCAN_INTERVAL_MS : seq.closedAt + this.graceMs);
      } else this.emit(seq);
    }
    this.sequences = keep;
    this.pruneEvidence();

    // Commits wait out the grace period too: a call that flushed them itself (flushSync) may still claim them.
    const held: CommitState[] = [];
    for (const cs of this.commits) {
      if (now - cs.record.time >= this.graceMs) this.emitCommit(cs);
      else held.push(cs);
    }
    for (const cs of held.splice(0, Math.max(0, held.length - MAX_HELD_COMMITS))) this.emitCommit(cs);
    this.commits = held;
    for (const cs of held) nextDue = Math.min(nextDue, cs.record.time + this.graceMs);
    this.nextDue = nextDue;

    if (this.events.size > 1024) {
      const live = new Set(keep.map((s) => s.eventSerial));
      for (const k of this.events.keys()) if (!live.has(k)) this.events.delete(k);
    }
  }

  private emitCommit(cs: CommitState): void {
    cs.record.calls = cs.calls.map((c) => c.id);
    this.sink.commit(cs.record);
  }

  private emit(seq: SeqState): void {
    if (seq.calls.length === 0) return;
    seq.calls.sort((x, y) => x.start - y.start || x.id - y.id);
    const first = seq.calls[0]!;
    const start = seq.trigger && seq.trigger.timeStamp <= first.start ? seq.trigger.timeStamp : seq.firstStart;
    const name = seq.explicitName ?? (seq.trigger ? `${seq.trigger.type}:${first.handler}` : first.handler);
    const closedAt = seq.closedAt !== null && seq.closedByPaint ? this.paintedAt(seq.lastActivity, seq.closedAt) : seq.closedAt;
    const end = Math.max(closedAt ?? seq.lastActivity, start);
    const interaction = this.interactionLatency(seq);
    // A sequence's result is the latest of its calls' results; superseded calls have none.
    let seqResult: number | null = seq.closedByPaint ? end - start : null;
    if (seq.calls.some((c) => c.superseded)) {
      let latest = -1;
      for (const c of seq.calls) if (!c.superseded && c.resultPaint !== null) latest = Math.max(latest, this.paintedAt(lastWork(c), c.resultPaint) - start);
      seqResult = latest >= 0 ? latest : null;
    }
    for (const c of seq.calls) {
      this.calls.delete(c.id);
      if (c.resultPaint !== null) c.resultPaint = this.paintedAt(lastWork(c), c.resultPaint);
      const resultMs = c.resultPaint === null || c.superseded ? null : Math.max(0, c.resultPaint - start);
      const inDispatch = seq.eventSerial >= 0 && c.eventSerial === seq.eventSerial;
      this.sink.call(finish(c, seq.id, inDispatch ? interaction : null, resultMs, this.framesIn(c.start, c.resultPaint ?? Math.max(c.end, lastWork(c)))));
    }
    this.sink.sequence({
      id: seq.id,
      name,
      trigger: seq.trigger,
      explicit: seq.explicitName !== null,
      start,
      end,
      calls: seq.calls.map((c) => c.id),
      handlers: seq.calls.map((c) => c.handler),
      interactionMs: interaction,
      resultMs: seqResult,
      frames: this.framesIn(start, end),
    });
  }
}

function waiting(c: CallState): boolean {
  return c.awaitingSettle || c.awaitingTransition || c.awaitingSync || c.awaitingDeferred;
}

/** When the call's last work happened: its end, its settle, its last commit. */
function lastWork(c: CallState): number {
  return Math.max(c.end, c.settleAt ?? -Infinity, c.lastCommit ?? -Infinity);
}

function modeOf(c: CallState): TransitionMode {
  if ((c.flags & CallFlag.UpdatesKnown) === 0) return 'unknown';
  // A save/restore of React's transition slot right after an update request (flushSync) can
  // hide the request from the page; the commit it forced inside the call cannot hide.
  const blocking = c.updBlocking > 0 || c.innerCommits > 0;
  if (blocking && c.updTransition > 0) return 'mixed';
  if (c.updTransition > 0) return 'transition';
  if (blocking) return 'blocking';
  return 'none';
}

function finish(c: CallState, sequence: number, interactionMs: number | null, resultMs: number | null, frames: FrameEvidence | null): HandlerCall {
  return {
    id: c.id,
    handler: c.handler,
    sequence,
    parent: c.parent,
    start: c.start,
    duration: c.end - c.start,
    settle: c.settleAt === null ? null : c.settleAt - c.start,
    outcome: c.outcome,
    error: c.error,
    mode: modeOf(c),
    updates: { blocking: c.updBlocking, transition: c.updTransition },
    commits: c.commits,
    renderMs: c.renderMs,
    commitMs: c.lastCommit === null ? null : Math.max(0, c.lastCommit - c.end),
    blockingMs: Math.max(Math.max(c.end, c.lastSyncCommit ?? c.end) - c.start, c.deferredBlockMs ?? 0),
    paintMs: c.paint === null ? null : c.paint - c.start,
    loaf: c.loaf,
    interactionMs,
    resultMs,
    frames,
  };
}
