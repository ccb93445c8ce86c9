/**
 * The replay recording: a versioned JSON list of steps a user took, with robust selectors and
 * expectations, so a replay checks behaviour as well as timing. This module holds its types and
 * zod schema only; loading and importing live next to it (load.ts, chrome-recorder.ts).
 */
import { z } from 'zod';
import { isHttpTarget } from './urls.ts';

export const RECORDING_FORMAT = 'homeostat.recording';
export const RECORDING_VERSION = 1;

/**
 * One way to find an element. A target lists several, tried in order; role and text come first
 * because they survive markup changes, CSS is the fallback.
 */
export type Selector =
  /** ARIA role and accessible name (substring, case-insensitive unless `exact`). */
  | { role: string; name?: string; exact?: boolean }
  /** A form control by its label (`<label>`, `aria-label`, `aria-labelledby`). */
  | { label: string; exact?: boolean }
  /** An element by its visible text. */
  | { text: string; exact?: boolean }
  /** `data-testid`. */
  | { testId: string }
  | { css: string };

/** Alternative selectors for one element; `nth` picks among several matches (default 0). */
export interface Target {
  selectors: Selector[];
  nth?: number;
}

interface StepBase {
  /** Pause before the step, in ms (the user's think time). Defaults to the recording's `defaults.thinkMs`. */
  thinkMs?: number;
  /** How long to wait for the step's element or condition, in ms. */
  timeoutMs?: number;
  /** Shown in progress and reports. */
  description?: string;
}

export interface NavigateStep extends StepBase {
  type: 'navigate';
  /** Absolute, or relative to the app URL the replay is given (a leading `/` is relative to it too). */
  url: string;
}
export interface ClickStep extends StepBase {
  type: 'click';
  target: Target;
  button?: 'left' | 'middle' | 'right';
  clickCount?: number;
  /** Point inside the element, px from its top-left corner; default its centre. */
  offset?: { x: number; y: number };
}
export interface TypeStep extends StepBase {
  type: 'type';
  target: Target;
  text: string;
  /** Delay between key presses, ms (default 0). Each key is one input event, as with a person. */
  delayMs?: number;
  /** Clear the field first (default false). */
  replace?: boolean;
}
export interface FillStep extends StepBase {
  type: 'fill';
  target: Target;
  /** Set at once (one input event); a `<select>` gets this option value. */
  value: string;
}
export interface KeyStep extends StepBase {
  type: 'key';
  /** A Playwright key name: `Enter`, `Escape`, `ArrowDown`, `Control+A`, … */
  key: string;
  /** Focus this element first; else the key goes to the focused element. */
  target?: Target;
}
export interface ScrollStep extends StepBase {
  type: 'scroll';
  /** Scroll this element; else the page. */
  target?: Target;
  x?: number;
  y?: number;
}
export interface WaitForStep extends StepBase {
  type: 'waitFor';
  /** Wait for this element's state, or (without target) for `text` to be visible. */
  target?: Target;
  text?: string;
  state?: 'visible' | 'hidden' | 'attached' | 'detached';
}
export interface SetViewportStep extends StepBase {
  type: 'setViewport';
  width: number;
  height: number;
}
export interface SelectStep extends StepBase {
  type: 'select';
  target: Target;
  /** Option value; or `label` for the option's text. */
  value?: string;
  label?: string;
}
export interface CheckStep extends StepBase {
  type: 'check';
  target: Target;
  /** Default true. */
  checked?: boolean;
}
export interface HoverStep extends StepBase {
  type: 'hover';
  target: Target;
}
/** Expectation: visible text, inside `target` when given, else anywhere on the page. */
export interface ExpectTextStep extends StepBase {
  type: 'expectText';
  text: string;
  target?: Target;
  exact?: boolean;
}
/** Expectation: how many elements the first selector that matches anything finds. */
export interface ExpectCountStep extends StepBase {
  type: 'expectCount';
  target: Target;
  count?: number;
  min?: number;
  max?: number;
}
/** Expectation: the page URL matches a regular expression (`pattern`) or contains `includes`. */
export interface ExpectUrlStep extends StepBase {
  type: 'expectUrl';
  pattern?: string;
  includes?: string;
}

export type ActionStep =
  | NavigateStep
  | ClickStep
  | TypeStep
  | FillStep
  | KeyStep
  | ScrollStep
  | WaitForStep
  | SetViewportStep
  | SelectStep
  | CheckStep
  | HoverStep;
export type ExpectStep = ExpectTextStep | ExpectCountStep | ExpectUrlStep;
export type Step = ActionStep | ExpectStep;
export type StepType = Step['type'];

export interface Viewport {
  width: number;
  height: number;
  deviceScaleFactor: number;
}

export interface Recording {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  title: string;
  viewport: Viewport;
  defaults?: { thinkMs?: number; timeoutMs?: number };
  /** Where the recording came from (kept for reports; not used to replay). */
  source?: { kind: 'homeostat' | 'chrome-recorder' | 'record'; file?: string; url?: string };
  steps: Step[];
}

export const EXPECT_TYPES: ReadonlySet<StepType> = new Set(['expectText', 'expectCount', 'expectUrl']);

export function isExpectation(step: Step): step is ExpectStep {
  return EXPECT_TYPES.has(step.type);
}

const nonEmpty = z.string().min(1);
const ms = z.number().finite().nonnegative();
const px = z.number().finite();

export const selectorSchema: z.ZodType<Selector> = z.union([
  z.object({ role: nonEmpty, name: z.string().optional(), exact: z.boolean().optional() }).strict(),
  z.object({ label: nonEmpty, exact: z.boolean().optional() }).strict(),
  z.object({ text: nonEmpty, exact: z.boolean().optional() }).strict(),
  z.object({ testId: nonEmpty }).strict(),
  z.object({ css: nonEmpty }).strict(),
]);

const targetSchema = z
  .object({
    selectors: z.array(selectorSchema).min(1, 'needs at least one selector'),
    nth: z.number().int().nonnegative().optional(),
  })
  .strict();

const base = {
  thinkMs: ms.max(60_000).optional(),
  timeoutMs: z.number().finite().positive().max(600_000).optional(),
  description: z.string().max(500).optional(),
};

const regex = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

const stepSchemas = {
  navigate: z
    .object({
      type: z.literal('navigate'),
      // http(s) or relative, as the browser will parse it: a recording must not smuggle
      // javascript:, file: or data: URLs into a run (not even behind spaces or control characters).
      url: z.string().max(8192).refine(isHttpTarget, {
        message: 'must be an http(s) URL or a path relative to the app URL',
      }),
      ...base,
    })
    .strict(),
  click: z
    .object({
      type: z.literal('click'),
      target: targetSchema,
      button: z.enum(['left', 'middle', 'right']).optional(),
      clickCount: z.number().int().min(1).max(3).optional(),
      offset: z.object({ x: px, y: px }).strict().optional(),
      ...base,
    })
    .strict(),
  type: z
    .object({
      type: z.literal('type'),
      target: targetSchema,
      text: z.string(),
      delayMs: ms.max(10_000).optional(),
      replace: z.boolean().optional(),
      ...base,
    })
    .strict(),
  fill: z.object({ type: z.literal('fill'), target: targetSchema, value: z.string(), ...base }).strict(),
  key: z.object({ type: z.literal('key'), key: nonEmpty, target: targetSchema.optional(), ...base }).strict(),
  scroll: z
    .object({ type: z.literal('scroll'), target: targetSchema.optional(), x: px.optional(), y: px.optional(), ...base })
    .strict(),
  waitFor: z
    .object({
      type: z.literal('waitFor'),
      target: targetSchema.optional(),
      text: nonEmpty.optional(),
      state: z.enum(['visible', 'hidden', 'attached', 'detached']).optional(),
      ...base,
    })
    .strict()
    .refine((s) => (s.target === undefined) !== (s.text === undefined), { message: 'needs exactly one of target or text' }),
  setViewport: z
    .object({ type: z.literal('setViewport'), width: z.number().int().min(1).max(10_000), height: z.number().int().min(1).max(10_000), ...base })
    .strict(),
  select: z
    .object({ type: z.literal('select'), target: targetSchema, value: z.string().optional(), label: z.string().optional(), ...base })
    .strict()
    .refine((s) => (s.value === undefined) !== (s.label === undefined), { message: 'needs exactly one of value or label' }),
  check: z.object({ type: z.literal('check'), target: targetSchema, checked: z.boolean().optional(), ...base }).strict(),
  hover: z.object({ type: z.literal('hover'), target: targetSchema, ...base }).strict(),
  expectText: z
    .object({ type: z.literal('expectText'), text: nonEmpty, target: targetSchema.optional(), exact: z.boolean().optional(), ...base })
    .strict(),
  expectCount: z
    .object({
      type: z.literal('expectCount'),
      target: targetSchema,
      count: z.number().int().nonnegative().optional(),
      min: z.number().int().nonnegative().optional(),
      max: z.number().int().nonnegative().optional(),
      ...base,
    })
    .strict()
    .refine((s) => s.count !== undefined || s.min !== undefined || s.max !== undefined, {
      message: 'needs count, min or max',
    }),
  expectUrl: z
    .object({ type: z.literal('expectUrl'), pattern: regex.optional(), includes: z.string().optional(), ...base })
    .strict()
    .refine((s) => (s.pattern === undefined) !== (s.includes === undefined), { message: 'needs exactly one of pattern or includes' }),
} satisfies Record<StepType, z.ZodType>;

export const STEP_TYPES = Object.keys(stepSchemas) as StepType[];

/** Schema of one step, chosen by its `type` so errors speak about that step's own fields. */
export function stepSchema(type: string): z.ZodType | null {
  return Object.hasOwn(stepSchemas, type) ? stepSchemas[type as StepType] : null;
}

const viewportSchema = z
  .object({
    width: z.number().int().min(1).max(10_000),
    height: z.number().int().min(1).max(10_000),
    deviceScaleFactor: z.number().positive().max(8),
  })
  .strict();

/** The recording without its steps; steps are checked one by one (see parseRecording). */
export const recordingHeaderSchema = z
  .object({
    format: z.literal(RECORDING_FORMAT),
    version: z.literal(RECORDING_VERSION),
    title: z.string().min(1).max(500),
    viewport: viewportSchema,
    defaults: z.object({ thinkMs: ms.max(60_000).optional(), timeoutMs: z.number().positive().max(600_000).optional() }).strict().optional(),
    source: z
      .object({ kind: z.enum(['homeostat', 'chrome-recorder', 'record']), file: z.string().optional(), url: z.string().optional() })
      .strict()
      .optional(),
    steps: z.array(z.unknown()).min(1, 'a recording needs at least one step'),
  })
  .strict();

/** The whole recording (steps as a discriminated union): for tools that want one schema. */
export const recordingSchema: z.ZodType<Recording> = recordingHeaderSchema.extend({
  steps: z.array(z.union(Object.values(stepSchemas) as unknown as [z.ZodType<Step>, z.ZodType<Step>, ...z.ZodType<Step>[]])).min(1),
}) as unknown as z.ZodType<Recording>;

export const DEFAULT_VIEWPORT: Viewport = { width: 1280, height: 800, deviceScaleFactor: 1 };
export const DEFAULT_THINK_MS = 100;
export const DEFAULT_TIMEOUT_MS = 10_000;
