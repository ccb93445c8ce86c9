/**
 * A second copy of `PlainRow`, in its own module like the auto variant: plain against plain
 * shows how far two identical mounts differ in one run (the noise floor of the ratios).
 */
import type { RowProps } from './rows.tsx';

export function ControlRow({ row, select }: RowProps) {
  return (
    <tr>
      <td>{row.label}</td>
      <td>
        <button onClick={() => select(row.id)}>select</button>
      </td>
    </tr>
  );
}
