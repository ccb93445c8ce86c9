/** The same row as `PlainRow`, written plainly: the bench build instruments it with `@homeostat/tools/vite`. */
import type { RowProps } from './rows.tsx';

export function AutoRow({ row, select }: RowProps) {
  return (
    <tr>
      <td>{row.label}</td>
      <td>
        <button onClick={() => select(row.id)}>select</button>
      </td>
    </tr>
  );
}
