export { Button, type ButtonProps } from './Button.tsx';
export { LabelCell, type LabelCellProps } from './LabelCell.tsx';
