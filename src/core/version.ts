// aip's own version, read once from package.json (inlined by the build): every document and banner uses it.
import pkg from '../../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
