/**
 * Validates a recording in either supported format, auto-detected: Homeostat's own
 * (`format: "homeostat.recording"`) or a Chrome DevTools Recorder export. Every step is checked
 * before anything runs, and every problem is reported with its step index and field.
 */
import type { z } from 'zod';
import { issueLines, jsonValue } from '../core/session.ts';
import { fromChromeRecorder, looksLikeChromeRecorder } from './chrome-recorder.ts';
import { RecordingFormatError } from './errors.ts';
import { RECORDING_FORMAT, RECORDING_VERSION, recordingHeaderSchema, STEP_TYPES, stepSchema, type Recording, type Step } from './recording.ts';

const MAX_ISSUES = 20;

function zodIssues(error: z.ZodError, prefix: ReadonlyArray<PropertyKey>): string[] {
  // All of them: `cap` limits the combined list of every step's issues.
  return issueLines(error, Infinity, prefix);
}

function cap(issues: string[]): string[] {
  return issues.length > MAX_ISSUES ? [...issues.slice(0, MAX_ISSUES), `…and ${issues.length - MAX_ISSUES} more`] : issues;
}

/** Checks Homeostat's own format: the header, then each step against the schema of its type. */
function parseOwn(value: Record<string, unknown>, source: string): Recording {
  const issues: string[] = [];
  if (typeof value['version'] === 'number' && value['version'] > RECORDING_VERSION) {
    throw new RecordingFormatError(source, [
      `version: ${value['version']} is newer than this Homeostat reads (${RECORDING_VERSION}); upgrade Homeostat`,
    ]);
  }
  const header = recordingHeaderSchema.safeParse(value);
  if (!header.success) issues.push(...zodIssues(header.error, []));
  const steps: Step[] = [];
  const raw = Array.isArray(value['steps']) ? (value['steps'] as unknown[]) : [];
  raw.forEach((step, i) => {
    const type = step && typeof step === 'object' ? (step as { type?: unknown }).type : undefined;
    if (typeof type !== 'string') {
      issues.push(`steps[${i}].type: missing; expected one of ${STEP_TYPES.join(', ')}`);
      return;
    }
    const schema = stepSchema(type);
    if (!schema) {
      issues.push(`steps[${i}].type: unknown step type ${JSON.stringify(type)}; expected one of ${STEP_TYPES.join(', ')}`);
      return;
    }
    const r = schema.safeParse(step);
    if (r.success) steps.push(r.data as Step);
    else issues.push(...zodIssues(r.error, ['steps', i]));
  });
  if (issues.length > 0 || !header.success) throw new RecordingFormatError(source, cap(issues));
  return { ...(header.data as Omit<Recording, 'steps'>), steps };
}

/**
 * Validates a recording (object or JSON text) in Homeostat's format or Chrome Recorder's.
 * Throws `RecordingFormatError` naming the `source` and each bad step and field.
 */
export function parseRecording(input: unknown, source = 'recording'): Recording {
  const value = jsonValue(input, (issues) => new RecordingFormatError(source, issues));
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new RecordingFormatError(source, ['(root): expected a JSON object with steps']);
  }
  const obj = value as Record<string, unknown>;
  if (obj['format'] === RECORDING_FORMAT) return parseOwn(obj, source);
  if (obj['format'] !== undefined) {
    throw new RecordingFormatError(source, [`format: expected "${RECORDING_FORMAT}", got ${JSON.stringify(obj['format'])}`]);
  }
  if (looksLikeChromeRecorder(obj)) return fromChromeRecorder(obj, source);
  throw new RecordingFormatError(source, [
    `(root): neither a Homeostat recording (format "${RECORDING_FORMAT}") nor a Chrome Recorder export (title and steps)`,
  ]);
}
