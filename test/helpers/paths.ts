// Where the package is, for tests of any layer (importing it loads nothing of aip itself).
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/aip.js', import.meta.url));
