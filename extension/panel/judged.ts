/** The checker's verdicts on the panel's recent calls, recomputed at most once a second. */
import { useMemo } from 'react';
import type { HandlerStatus } from '../../src/core/check/index.ts';
import type { SpecFile } from '../../src/core/spec.ts';
import { useLive } from './context.tsx';
import { judge } from './status.ts';
import { useThrottled } from './throttle.ts';

export function useJudged(spec: SpecFile | null): Map<string, HandlerStatus> | null {
  const calls = useThrottled(useLive((s) => s.calls), 1000);
  return useMemo(() => judge(spec, calls), [spec, calls]);
}
