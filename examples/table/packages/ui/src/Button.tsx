/** A toolbar button: the caller's callback arrives as `cb` and reaches the DOM as `onClick`. */
export interface ButtonProps {
  id: string;
  title: string;
  cb: () => void;
}

export function Button({ id, title, cb }: ButtonProps) {
  return (
    <div className="cell">
      <button type="button" className="btn" id={id} onClick={cb}>
        {title}
      </button>
    </div>
  );
}
