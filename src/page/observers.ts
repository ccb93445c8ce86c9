/**
 * Browser observers that add evidence to the stream: Long Animation Frames (with script
 * attribution and forced style/layout time), long tasks where LoAF is missing, and INP through
 * web-vitals' attribution build. Each is optional; a browser without it just records less.
 */
import { onINP, type INPMetricWithAttribution } from 'web-vitals/attribution';
import { normaliseMessage } from '../core/errors.ts';
import { Kind } from '../core/wire.ts';
import { writeRecord, type Batcher } from './batcher.ts';
import type { Recorder } from './recorder.ts';

type Stop = () => void;

function supported(type: string): boolean {
  const PO = globalThis.PerformanceObserver;
  return typeof PO === 'function' && (PO.supportedEntryTypes ?? []).includes(type);
}

/** True when the browser reports Long Animation Frames (frames are then evidence, 0 when none was long). */
export function longFramesSupported(): boolean {
  return supported('long-animation-frame');
}

/** True when the browser reports Event Timing entries with interaction ids. */
export function eventTimingSupported(): boolean {
  return supported('event') && typeof globalThis.PerformanceEventTiming === 'function' && 'interactionId' in PerformanceEventTiming.prototype;
}

/** Observes Long Animation Frames, or long tasks where those are not supported. */
export function observeLongFrames(r: Recorder, batcher: Batcher): Stop {
  if (longFramesSupported()) {
    const write = (entries: PerformanceEntryList) => {
      for (const entry of entries) writeLoaf(r, entry as PerformanceLongAnimationFrameTiming);
    };
    const po = new PerformanceObserver((list) => write(list.getEntries()));
    po.observe({ type: 'long-animation-frame', buffered: true });
    batcher.beforeFlush(() => write(po.takeRecords()));
    return () => po.disconnect();
  }
  if (supported('longtask')) {
    const po = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) writeRecord(r, Kind.LongTask, e.startTime, e.duration);
    });
    po.observe({ type: 'longtask', buffered: true });
    return () => po.disconnect();
  }
  return () => {};
}

function writeLoaf(r: Recorder, e: PerformanceLongAnimationFrameTiming): void {
  let forced = 0;
  let longest: PerformanceScriptTiming | null = null;
  for (const s of e.scripts ?? []) {
    forced += s.forcedStyleAndLayoutDuration ?? 0;
    if (longest === null || s.duration > longest.duration) longest = s;
  }
  writeRecord(r, 
    Kind.Loaf,
    e.startTime,
    e.duration,
    e.blockingDuration ?? 0,
    forced,
    longest?.duration ?? 0,
    longest?.invoker ? r.intern(normaliseMessage(longest.invoker)) : -1,
    longest?.sourceFunctionName ? r.intern(longest.sourceFunctionName.slice(0, 100)) : -1,
    e.renderStart > 0 ? e.renderStart : -1,
    e.styleAndLayoutStart > 0 ? e.styleAndLayoutStart : -1,
  );
}

/**
 * Observes the Event Timing entries of interactions (16 ms and longer: the browser's minimum
 * threshold), so each sequence gets the latency the user felt for the input that started it.
 * Only entries that belong to an interaction, or whose type can start a sequence, are written.
 */
export function observeEventTiming(r: Recorder, batcher: Batcher, interactionTypes: ReadonlySet<string>): Stop {
  if (!eventTimingSupported()) return () => {};
  const write = (e: PerformanceEventTiming) => {
    if (e.interactionId === 0 && !interactionTypes.has(e.name)) return;
    writeRecord(r, Kind.EventTiming, e.startTime, e.duration, e.processingStart, e.processingEnd, e.interactionId, r.intern(e.name));
  };
  const po = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) write(entry as PerformanceEventTiming);
  });
  // durationThreshold is part of PerformanceObserverInit in the spec; TS's lib lacks it on older versions.
  po.observe({ type: 'event', buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
  batcher.beforeFlush(() => {
    for (const entry of po.takeRecords()) write(entry as PerformanceEventTiming);
  });
  return () => po.disconnect();
}

/** Reports INP (worst interaction latency so far) each time it changes, with its breakdown. */
export function observeInp(r: Recorder): void {
  onINP(
    (m: INPMetricWithAttribution) => {
      const a = m.attribution;
      writeRecord(r, 
        Kind.Inp,
        performance.now(),
        m.value,
        r.intern(m.rating),
        a.interactionTarget ? r.intern(a.interactionTarget.slice(0, 300)) : -1,
        a.inputDelay,
        a.processingDuration,
        a.presentationDelay,
      );
    },
    { reportAllChanges: true },
  );
}
