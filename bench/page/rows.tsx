/**
 * The per-row mount benchmark: a table of rows with one click handler each, mounted and
 * unmounted with React (production build), plain or with the handler instrumented. The auto
 * variant lives in rows-auto.tsx, which the bench build runs through `@homeostat/tools/vite`.
 */
import { useHandler } from '../../src/react/index.tsx';

export interface RowData {
  id: number;
  label: string;
}

export type RowProps = { row: RowData; select: (id: number) => void };

export function PlainRow({ row, select }: RowProps) {
  return (
    <tr>
      <td>{row.label}</td>
      <td>
        <button onClick={() => select(row.id)}>select</button>
      </td>
    </tr>
  );
}

export function HandlerRow({ row, select }: RowProps) {
  const onClick = useHandler('selectRow', () => select(row.id));
  return (
    <tr>
      <td>{row.label}</td>
      <td>
        <button onClick={onClick}>select</button>
      </td>
    </tr>
  );
}

export function Table({ rows, Row, select }: { rows: RowData[]; Row: (p: RowProps) => React.ReactNode; select: (id: number) => void }) {
  return (
    <table>
      <tbody>
        {rows.map((r) => (
          <Row key={r.id} row={r} select={select} />
        ))}
      </tbody>
    </table>
  );
}
