import { forwardRef, memo } from 'react';

/** A row's label: a link whose click is the caller's `onSelect`, with a ref for focus management. */
export interface LabelCellProps {
  label: string;
  onSelect: () => void;
}

export const LabelCell = memo(
  forwardRef<HTMLAnchorElement, LabelCellProps>(function LabelCell({ label, onSelect }, ref) {
    return (
      <a ref={ref} href="#" onClick={(e) => { e.preventDefault(); onSelect(); }}>
        {label}
      </a>
    );
  }),
);
