/**
 * `homeostat`: the framework-agnostic wrapper. Wrap handlers with `instrument`, group work with
 * `sequence`, and query what was recorded through the client.
 */
export { instrument, sequence, unwrap, instrumentedName } from './instrument.ts';
export type { AnyFunction, InstrumentOptions } from './instrument.ts';
export { init, getClient, isStarted } from './client.ts';
export { handlerSources } from './sources.ts';
export type { SourceLocation } from './sources.ts';
export type { HomeostatClient, HomeostatOptions, ClientStatus, ExportOptions, ExportStatus } from './client.ts';
export type { TransportStatus } from './transport.ts';
export type { SessionSelector, SessionSummary, Baseline } from '../worker/api.ts';
export type {
  AggregateSnapshot,
  HandlerAggregate,
  SequenceAggregate,
  SequenceVariant,
  SequenceStep,
  ErrorPattern,
  Summary,
  Histogram,
} from '../core/aggregate.ts';
export type {
  HandlerCall,
  SequenceRecord,
  CommitRecord,
  SessionMeta,
  TransitionMode,
  ErrorInfo,
} from '../core/model.ts';
export type { SessionFile } from '../core/session.ts';
export type { SpecFile, Budget, HandlerSpec, SequenceSpec } from '../core/spec.ts';
