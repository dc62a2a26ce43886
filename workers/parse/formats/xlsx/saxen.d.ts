// The part of saxen's API the workbook reader uses (saxen ships no types).
declare module 'saxen' {
  export class Parser {
    constructor(options?: { proxy?: boolean });
    on(event: 'openTag', cb: (name: string, attrs: () => Record<string, string>, decode: (s: string) => string, selfClosing: boolean) => void): this;
    on(event: 'closeTag', cb: (name: string, decode: (s: string) => string, selfClosing: boolean) => void): this;
    on(event: 'text', cb: (value: string, decode: (s: string) => string) => void): this;
    on(event: 'cdata', cb: (value: string) => void): this;
    on(event: 'error', cb: (error: Error) => void): this;
    parse(xml: string): this;
  }
}
