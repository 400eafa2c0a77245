import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);

/** fatc's version, from package.json. */
export const version: string = (require('../../package.json') as {version: string}).version;
