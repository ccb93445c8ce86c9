/** Errors a recording can fail with before anything is launched. */

/** A recording that cannot be replayed; `issues` name each bad field as `steps[3].selectors: …`. */
export class RecordingFormatError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`${source}: not a replayable recording:\n  ${issues.join('\n  ')}`);
    this.name = 'RecordingFormatError';
  }
}
