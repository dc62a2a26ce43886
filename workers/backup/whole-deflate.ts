// A zip entry deflated in one call. fflate 0.8.3's streaming deflate (ZipDeflate) can emit back-references to before
// the entry's first byte (fflate issue #260), which every inflater rejects as "invalid distance"; columns of small
// integers and zeros trigger it in about one entry in twenty. A backup pushes each entry whole anyway, so deflating it
// with deflateSync costs nothing and gives a zip that always reads back.

import { deflateSync, ZipPassThrough } from 'fflate';

export class WholeDeflate extends ZipPassThrough {
  readonly #level: 1 | 6;
  /** Read by fflate's Zip as the entry's general-purpose flag (ZipInputFile.flag). */
  flag: number;

  constructor(filename: string, level: 1 | 6) {
    super(filename);
    this.#level = level;
    this.compression = 8;
    // The general-purpose flag's deflate bits, as fflate sets them: 3 "super fast" for level 1, 0 "normal" for 6.
    this.flag = level === 1 ? 3 : 0;
  }

  override process(chunk: Uint8Array, final: boolean): void {
    if (!final) {
      this.ondata(new Error(`${this.filename}: an entry is deflated whole, in one final push`) as never, new Uint8Array(0), true);
      return;
    }
    try {
      this.ondata(null, deflateSync(chunk, { level: this.#level }), true);
    } catch (e) {
      this.ondata(e as never, new Uint8Array(0), true);
    }
  }
}
