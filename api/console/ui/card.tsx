/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

/** A titled card; `padded` wraps the content in the card's body padding (lists and tables go edge to edge). */
export function Card(props: { id: string; title: Child; aside?: Child; padded?: boolean; children?: Child }) {
  return (
    <section class="card" aria-labelledby={`${props.id}-h`}>
      <div class="card-h">
        <h2 id={`${props.id}-h`}>{props.title}</h2>
        {props.aside !== undefined && <p>{props.aside}</p>}
      </div>
      {props.padded ? <div class="card-b">{props.children}</div> : props.children}
    </section>
  );
}
