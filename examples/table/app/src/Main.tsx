import { useReducer } from 'react';
import { Jumbotron } from './Jumbotron.tsx';
import { Row } from './Row.tsx';
import { Summary } from './Summary.tsx';
import { initialState, tableReducer } from './state.ts';

export function Main() {
  const [{ data, selected }, dispatch] = useReducer(tableReducer, initialState);
  return (
    <div className="container">
      <Jumbotron dispatch={dispatch} />
      <Summary rows={data.length} selected={selected} />
      <table className="table test-data">
        <tbody>
          {data.map((item) => (
            <Row key={item.id} item={item} selected={selected === item.id} dispatch={dispatch} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
