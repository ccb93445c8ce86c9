import { memo, type Dispatch } from 'react';
import { Button } from '@table/ui';
import type { Action } from './state.ts';

/** The toolbar: never re-renders (dispatch is stable). */
export const Jumbotron = memo(
  ({ dispatch }: { dispatch: Dispatch<Action> }) => (
    <div className="jumbotron">
      <h1>Table</h1>
      <div className="buttons">
        <Button id="run" title="Create 1,000 rows" cb={() => dispatch({ type: 'RUN' })} />
        <Button id="runlots" title="Create 10,000 rows" cb={() => dispatch({ type: 'RUN_LOTS' })} />
        <Button id="add" title="Append 1,000 rows" cb={() => dispatch({ type: 'ADD' })} />
        <Button id="update" title="Update every 10th row" cb={() => dispatch({ type: 'UPDATE' })} />
        <Button id="clear" title="Clear" cb={() => dispatch({ type: 'CLEAR' })} />
        <Button id="swaprows" title="Swap Rows" cb={() => dispatch({ type: 'SWAP_ROWS' })} />
      </div>
    </div>
  ),
  () => true,
);
