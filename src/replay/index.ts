/**
 * Replays for QA and for fix verification: the recording format (ours and Chrome Recorder
 * imports), the runner, the summary across runs and the report.
 */
export {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  DEFAULT_VIEWPORT,
  DEFAULT_THINK_MS,
  DEFAULT_TIMEOUT_MS,
  STEP_TYPES,
  recordingSchema,
  selectorSchema,
  isExpectation,
} from './recording.ts';
export type { Recording, Step, StepType, ActionStep, ExpectStep, Selector, Target, Viewport } from './recording.ts';
export { RecordingFormatError } from './errors.ts';
export { parseRecording } from './parse.ts';
export { loadRecording } from './load.ts';
export { fromChromeRecorder, mapRecorderSelector } from './chrome-recorder.ts';
export { replayRun, type RunOptions, type RunResult, type ExpectationResult } from './run.ts';
export { replay, type ReplayOptions, type ReplayProgress } from './replay.ts';
export { summariseRuns, type ReplaySummary, type HandlerSummary, type SequenceSummary, type FailedExpectation, type BudgetStatus } from './summary.ts';
export { renderReport, type ReportOptions } from './report.ts';
export { seriesStats, runsToDetect, normalQuantile, geometricMean, type SeriesStats } from './stats.ts';
export { captureScript, capturedToRecording, type CapturedStep } from './capture.ts';
export { NoClientError } from './collect.ts';
export { record, hasDisplay, NO_DISPLAY_HELP, type RecordOptions } from './record.ts';
export { contextOptions, seedScript, DEFAULT_SEED } from './determinism.ts';
/** For generated budget tests: the statistic a budget names, defined as `homeostat check` defines it. */
export { statValue } from '../core/check/interval.ts';
export { metricValue, METRICS, HANDLER_METRICS, type HandlerMetric } from '../core/metrics.ts';
