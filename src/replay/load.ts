/** Reads a recording file from disk and validates it (either format). */
import { readFile } from 'node:fs/promises';
import { RecordingFormatError } from './errors.ts';
import { parseRecording } from './parse.ts';
import type { Recording } from './recording.ts';

/** Loads and validates a Homeostat recording or a Chrome Recorder export; errors name the file, step and field. */
export async function loadRecording(path: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RecordingFormatError(path, [`cannot read: ${(e as Error).message}`]);
  }
  return parseRecording(text, path);
}
