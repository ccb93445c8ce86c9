/**
 * Import of Chrome DevTools Recorder exports (the @puppeteer/replay schema) into Homeostat's
 * recording format. @puppeteer/replay validates each step; we then map what a replay can do
 * faithfully and refuse the rest with an error naming the step and field, never skipping a
 * step silently.
 */
import { parseStep, type Schema } from '@puppeteer/replay';
import { RecordingFormatError } from './errors.ts';
import {
  DEFAULT_VIEWPORT,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type Recording,
  type Selector,
  type Step,
  type Target,
  type Viewport,
} from './recording.ts';

/** A Recorder export has a title and steps, and no `format` field. */
export function looksLikeChromeRecorder(value: Record<string, unknown>): boolean {
  return Array.isArray(value['steps']) && typeof value['title'] === 'string' && value['format'] === undefined;
}

class StepError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const ARIA = /^aria\/(.*?)(?:\[role="([^"]+)"\])?$/;

/** One Recorder selector (a string, or an ancestor chain) as ours; null when we cannot use it. */
export function mapRecorderSelector(selector: string | string[]): Selector | null {
  const parts = Array.isArray(selector) ? selector : [selector];
  if (parts.length === 0) return null;
  if (parts.length > 1) {
    // An ancestor / shadow-host chain: Playwright's CSS pierces open shadow roots, so plain CSS
    // parts join as descendants; other kinds cannot be chained.
    return parts.every((p) => selectorKind(p) === 'css') ? { css: parts.join(' ') } : null;
  }
  const s = parts[0]!;
  switch (selectorKind(s)) {
    case 'aria': {
      const m = ARIA.exec(s);
      const name = m?.[1] ?? '';
      const role = m?.[2];
      if (role) return name ? { role, name, exact: true } : { role };
      return name ? { label: name, exact: true } : null;
    }
    case 'text': {
      const text = s.slice('text/'.length);
      return text ? { text } : null;
    }
    case 'css':
      return { css: s };
    default:
      return null;
  }
}

function selectorKind(s: string): 'aria' | 'text' | 'xpath' | 'pierce' | 'css' {
  if (s.startsWith('aria/')) return 'aria';
  if (s.startsWith('text/')) return 'text';
  if (s.startsWith('xpath/')) return 'xpath';
  if (s.startsWith('pierce/')) return 'pierce';
  return 'css';
}

function target(step: Schema.StepWithSelectors): Target {
  const selectors = step.selectors.map(mapRecorderSelector).filter((s): s is Selector => s !== null);
  if (selectors.length === 0) {
    throw new StepError(
      'selectors',
      `none usable (${JSON.stringify(step.selectors)}): Homeostat replays ARIA, text and CSS selectors, not XPath or pierce/ alone; re-record with a CSS or ARIA selector`,
    );
  }
  return { selectors };
}

function checkFrame(step: Schema.Step): void {
  const s = step as { target?: string; frame?: number[] };
  if (s.target !== undefined && s.target !== 'main') throw new StepError('target', `only the main page is replayed, not ${JSON.stringify(s.target)}`);
  if (s.frame !== undefined && s.frame.length > 0) throw new StepError('frame', 'steps inside iframes are not supported');
}

/** Recorder URLs point at whichever host was recorded; replays run against --url, so keep the path only. */
function relativeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return url;
  }
}

const BUTTONS: Record<string, 'left' | 'middle' | 'right'> = { primary: 'left', auxiliary: 'middle', secondary: 'right' };
const MODIFIERS = new Set(['Shift', 'ShiftLeft', 'ShiftRight', 'Control', 'ControlLeft', 'ControlRight', 'Alt', 'AltLeft', 'AltRight', 'Meta', 'MetaLeft', 'MetaRight']);

interface Mapper {
  viewport: Viewport | null;
  held: string[];
}

function mapStep(step: Schema.Step, state: Mapper): Step[] {
  checkFrame(step);
  const common = step.timeout !== undefined ? { timeoutMs: step.timeout } : {};
  const out: Step[] = [];
  switch (step.type) {
    case 'setViewport':
      if (step.isMobile || step.hasTouch) throw new StepError('isMobile', 'mobile / touch emulation is not supported; use a desktop viewport');
      if (state.viewport === null) state.viewport = { width: step.width, height: step.height, deviceScaleFactor: step.deviceScaleFactor };
      else out.push({ type: 'setViewport', width: step.width, height: step.height, ...common });
      break;
    case 'navigate':
      out.push({ type: 'navigate', url: relativeUrl(step.url), ...common });
      break;
    case 'click':
    case 'doubleClick': {
      const button = step.button === undefined ? undefined : BUTTONS[step.button];
      if (step.button !== undefined && button === undefined) throw new StepError('button', `mouse button ${JSON.stringify(step.button)} is not supported`);
      // Offsets are dropped on purpose: clicking the element's centre survives layout changes.
      out.push({
        type: 'click',
        target: target(step),
        ...(button && button !== 'left' ? { button } : {}),
        ...(step.type === 'doubleClick' ? { clickCount: 2 } : {}),
        ...common,
      });
      break;
    }
    case 'hover':
      out.push({ type: 'hover', target: target(step), ...common });
      break;
    case 'change':
      // One `fill` per change, as the Recorder records it: a <select> gets the option value.
      out.push({ type: 'fill', target: target(step), value: step.value, ...common });
      break;
    case 'keyDown':
      if (MODIFIERS.has(step.key)) state.held.push(step.key.replace(/(Left|Right)$/, ''));
      else out.push({ type: 'key', key: [...state.held, step.key].join('+'), ...common });
      break;
    case 'keyUp': {
      // A key press is replayed as one down+up on keyDown; only modifiers need their release.
      const i = state.held.indexOf(step.key.replace(/(Left|Right)$/, ''));
      if (i >= 0) state.held.splice(i, 1);
      break;
    }
    case 'scroll': {
      const el = step as Partial<Schema.ScrollElementStep>;
      const withSelectors = Array.isArray(el.selectors) && el.selectors.length > 0 ? (step as Schema.ScrollElementStep) : null;
      out.push({
        type: 'scroll',
        ...(withSelectors ? { target: target(withSelectors) } : {}),
        x: step.x ?? 0,
        y: step.y ?? 0,
        ...common,
      });
      break;
    }
    case 'waitForElement': {
      if (step.properties !== undefined) throw new StepError('properties', 'checking element properties is not supported');
      if (step.attributes !== undefined) throw new StepError('attributes', 'checking element attributes is not supported');
      const t = target(step);
      if (step.visible === false) {
        out.push({ type: 'waitFor', target: t, state: 'hidden', ...common });
        break;
      }
      const count = step.count ?? 1;
      const op = step.operator ?? '==';
      out.push({
        type: 'expectCount',
        target: t,
        ...(op === '==' ? { count } : op === '>=' ? { min: count } : { max: count }),
        description: `waitForElement ${op} ${count}`,
        ...common,
      });
      break;
    }
    case 'waitForExpression':
      throw new StepError('type', 'waitForExpression is not supported: arbitrary page scripts would run inside the measured page; use waitForElement');
    case 'customStep':
      throw new StepError('type', `customStep ${JSON.stringify(step.name)} is not supported`);
    case 'emulateNetworkConditions':
      throw new StepError('type', 'emulateNetworkConditions is not supported; use --har for network fixtures or --cpu-throttle');
    case 'close':
      throw new StepError('type', 'close is not supported; remove the step (the replay closes the page itself)');
    default:
      throw new StepError('type', `unknown step type ${JSON.stringify((step as { type: unknown }).type)}`);
  }
  for (const e of step.assertedEvents ?? []) {
    if (e.type !== 'navigation') throw new StepError('assertedEvents', `asserted event type ${JSON.stringify(e.type)} is not supported`);
    if (e.url) out.push({ type: 'expectUrl', includes: relativeUrl(e.url), description: 'asserted navigation' });
  }
  return out;
}

/** Validates a Recorder export step by step and maps it; throws `RecordingFormatError` with every problem. */
export function fromChromeRecorder(value: Record<string, unknown>, source = 'recording'): Recording {
  const issues: string[] = [];
  const title = value['title'];
  if (typeof title !== 'string' || title === '') issues.push('title: expected a non-empty string');
  const timeout = value['timeout'];
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) issues.push('timeout: expected a positive number of ms');
  const raw = value['steps'] as unknown[];
  if (raw.length === 0) issues.push('steps: a recording needs at least one step');
  const state: Mapper = { viewport: null, held: [] };
  const steps: Step[] = [];
  raw.forEach((s, i) => {
    let parsed: Schema.Step;
    try {
      parsed = parseStep(s, i);
    } catch (e) {
      issues.push(`steps[${i}]: ${(e as Error).message}`);
      return;
    }
    try {
      steps.push(...mapStep(parsed, state));
    } catch (e) {
      if (e instanceof StepError) issues.push(`steps[${i}].${e.field} (${parsed.type}): ${e.message}`);
      else throw e;
    }
  });
  if (issues.length === 0 && steps.length === 0) issues.push('steps: nothing to replay after import');
  if (issues.length > 0) throw new RecordingFormatError(source, issues.slice(0, 20));
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    title: title as string,
    viewport: state.viewport ?? { ...DEFAULT_VIEWPORT },
    ...(typeof timeout === 'number' ? { defaults: { timeoutMs: timeout } } : {}),
    source: { kind: 'chrome-recorder', ...(source !== 'recording' ? { file: source } : {}) },
    steps,
  };
}
