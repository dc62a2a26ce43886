// The capped inflate an imported bundle's entries go through (src/core/shared/zip cappedInflater), over fflate's
// streaming inflater: a zip bomb costs at most a slice's worth of expansion beyond the cap, never its full size.

import { Inflate } from 'fflate';
import { cappedInflater } from '../core/shared/zip';

export const cappedInflate = cappedInflater((ondata) => new Inflate(ondata));
