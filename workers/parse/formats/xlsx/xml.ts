/// <reference path="./saxen.d.ts" />
// Walks a SpreadsheetML part with saxen (a SAX parser: no DOM, which a worker lacks). Element names are given without
// their prefix, since producers differ ("row" or "x:row"), and text arrives with its entities decoded.

import { Parser } from 'saxen';

export interface XmlHandlers {
  open?(name: string, attrs: () => Record<string, string>): void;
  close?(name: string): void;
  text?(value: string): void;
}

function local(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** Parses `xml`, calling the handlers in document order; a malformed part throws with `part` named. */
export function walkXml(xml: string, part: string, handlers: XmlHandlers): void {
  const parser = new Parser();
  let failure: Error | null = null;
  parser.on('openTag', (name, attrs, _decode, selfClosing) => {
    handlers.open?.(local(name), attrs);
    if (selfClosing) handlers.close?.(local(name));
  });
  parser.on('closeTag', (name, _decode, selfClosing) => {
    // A self-closing tag was closed when it opened.
    if (!selfClosing) handlers.close?.(local(name));
  });
  if (handlers.text) {
    const text = handlers.text;
    parser.on('text', (value, decode) => text(decode(value)));
    parser.on('cdata', (value) => text(value));
  }
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.parse(xml);
  if (failure) throw new Error(`its ${part} is not well-formed XML (${(failure as Error).message})`);
}
