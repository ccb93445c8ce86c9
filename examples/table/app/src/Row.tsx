import { memo, type Dispatch } from 'react';
import { LabelCell } from '@table/ui';
import type { Action, Item } from './state.ts';

export interface RowProps {
  item: Item;
  selected: boolean;
  dispatch: Dispatch<Action>;
}

/** One row; re-renders only when its item or its selection changes. */
export const Row = memo(
  ({ item, selected, dispatch }: RowProps) => (
    <tr className={selected ? 'danger' : ''}>
      <td className="col-id">{item.id}</td>
      <td className="col-label">
        <LabelCell label={item.label} onSelect={() => dispatch({ type: 'SELECT', id: item.id })} />
      </td>
      <td className="col-remove">
        <a href="#" aria-label={`remove ${item.id}`} onClick={(e) => { e.preventDefault(); dispatch({ type: 'REMOVE', id: item.id }); }}>
          <span className="remove" aria-hidden="true">×</span>
        </a>
      </td>
      <td className="col-rest" />
    </tr>
  ),
  (prev, next) => prev.item === next.item && prev.selected === next.selected,
);
