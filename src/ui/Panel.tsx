// A titled card: every section of the page is one.
import type { ReactNode } from 'react';

export function Panel(props: { title: string; hint?: string; className?: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className={`panel ${props.className ?? ''}`} aria-label={props.title}>
      <header className="panel-head">
        <h2>{props.title}</h2>
        {props.actions}
      </header>
      {props.hint === undefined ? null : <p className="hint">{props.hint}</p>}
      {props.children}
    </section>
  );
}
