/**
 * Mount cost of 1,000 rows with a handler each: plain, `useHandler`, instrumented by the build
 * plugin, and a second plain copy (the control: how far identical mounts differ), alternated
 * round by round in one page; medians of the synchronous render + commit time (`flushSync`),
 * which is the JavaScript a mount costs.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { AutoRow } from './rows-auto.tsx';
import { ControlRow } from './rows-control.tsx';
import { HandlerRow, PlainRow, Table, type RowData, type RowProps } from './rows.tsx';

export interface MountResults {
  rows: number;
  rounds: number;
  plainMs: number;
  useHandlerMs: number;
  autoMs: number;
  /** Medians of each round's ratio to that round's plain mount (drift cancels within a round). */
  useHandlerRatio: number;
  autoRatio: number;
  /** Ratios of the fastest mounts of each variant: what is left when other load on the machine is not. */
  useHandlerBestRatio: number;
  autoBestRatio: number;
  /** The same two measures for the plain copy: the noise floor. */
  controlRatio: number;
  controlBestRatio: number;
  /** Clicks that reached `select` through each variant (checks the handlers work). */
  selected: number;
}

const ROWS = 1_000;
const ROUNDS = 100;

const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

export async function measureMount(): Promise<MountResults> {
  const rows: RowData[] = Array.from({ length: ROWS }, (_, i) => ({ id: i, label: `Row ${i}` }));
  let selected = 0;
  const select = () => {
    selected++;
  };
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  const variants: Array<[(p: RowProps) => React.ReactNode, number[]]> = [
    [PlainRow, []],
    [HandlerRow, []],
    [AutoRow, []],
    [ControlRow, []],
  ];
  for (let round = -5; round < ROUNDS; round++) {
    for (let k = 0; k < variants.length; k++) {
      const [Row, out] = variants[(k + round + 5) % variants.length]!;
      const t0 = performance.now();
      flushSync(() => root.render(<Table rows={rows} Row={Row} select={select} />));
      const t1 = performance.now();
      if (round === ROUNDS - 1 && Row !== ControlRow) host.querySelector('button')!.click();
      flushSync(() => root.render(null));
      if (round >= 0) out.push(t1 - t0);
      await tick();
    }
  }
  root.unmount();
  host.remove();
  const ratios = (xs: number[]) => median(xs.map((x, i) => x / variants[0]![1][i]!));
  return {
    useHandlerRatio: ratios(variants[1]![1]),
    autoRatio: ratios(variants[2]![1]),
    useHandlerBestRatio: Math.min(...variants[1]![1]) / Math.min(...variants[0]![1]),
    autoBestRatio: Math.min(...variants[2]![1]) / Math.min(...variants[0]![1]),
    controlRatio: ratios(variants[3]![1]),
    controlBestRatio: Math.min(...variants[3]![1]) / Math.min(...variants[0]![1]),
    rows: ROWS,
    rounds: ROUNDS,
    plainMs: median(variants[0]![1]),
    useHandlerMs: median(variants[1]![1]),
    autoMs: median(variants[2]![1]),
    selected,
  };
}
