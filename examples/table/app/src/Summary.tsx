import { Component } from 'react';

interface SummaryProps {
  rows: number;
  selected: number;
}

interface SummaryState {
  detailed: boolean;
}

/** A status line in a class component: its toggle is a handler, its lifecycle methods are not. */
export class Summary extends Component<SummaryProps, SummaryState> {
  override state: SummaryState = { detailed: false };

  override componentDidMount() {
    document.title = `Table (${this.props.rows} rows)`;
  }

  override componentDidUpdate(prev: SummaryProps) {
    if (prev.rows !== this.props.rows) document.title = `Table (${this.props.rows} rows)`;
  }

  toggleDetails = () => {
    this.setState((s) => ({ detailed: !s.detailed }));
  };

  override render() {
    const { rows, selected } = this.props;
    return (
      <p className="summary">
        <span role="status">{rows} rows</span>
        {this.state.detailed && <span className="detail"> · selected {selected === 0 ? 'none' : `#${selected}`}</span>}
        <button type="button" className="link" onClick={this.toggleDetails}>
          {this.state.detailed ? 'Less' : 'More'}
        </button>
      </p>
    );
  }
}
