/**
 * Browser observers that add evidence to the stream: Long Animation Frames (with script
 * attribution and forced style/layout time), long tasks where LoAF is missing, and INP through
 * web-vitals' attribution build. Each is optional; a browser without it just records less.
 */
import { onINP, type INPMetricWithAttribution } from 'web-vitals/attribution';
import { normaliseMessage } from '../core/errors.ts';
import { Kind } from '../core/wire.ts';
import { perf } from './clock.ts';
import type { Recorder } from './recorder.ts';

type Stop = () => void;

function supported(type: string): boolean {
  const PO = globalThis.PerformanceObserver;
  return typeof PO === 'function' && (PO.supportedEntryTypes ?? []).includes(type);
}

/** Observes Long Animation Frames, or long tasks where those are not supported. */
export function observeLongFrames(r: Recorder): Stop {
  if (supported('long-animation-frame')) {
    const po = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) writeLoaf(r, entry as PerformanceLongAnimationFrameTiming);
    });
    po.observe({ type: 'long-animation-frame', buffered: true });
    return () => po.disconnect();
  }
  if (supported('longtask')) {
    const po = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) r.write(Kind.LongTask, e.startTime, e.duration);
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
  r.write(
    Kind.Loaf,
    e.startTime,
    e.duration,
    e.blockingDuration ?? 0,
    forced,
    longest?.duration ?? 0,
    longest?.invoker ? r.intern(normaliseMessage(longest.invoker)) : -1,
    longest?.sourceFunctionName ? r.intern(longest.sourceFunctionName.slice(0, 100)) : -1,
  );
}

/** Reports INP (worst interaction latency so far) each time it changes, with its breakdown. */
export function observeInp(r: Recorder): void {
  onINP(
    (m: INPMetricWithAttribution) => {
      const a = m.attribution;
      r.write(
        Kind.Inp,
        perf.now(),
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
