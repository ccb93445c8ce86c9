/** The framework-agnostic core: models, wire format, attribution, aggregation, session files. No DOM, no React. */
export * from './model.ts';
export * from './wire.ts';
export * from './attribution.ts';
export * from './aggregate.ts';
export * from './distribution.ts';
export * from './errors.ts';
export * from './session.ts';
export * from './spec.ts';
