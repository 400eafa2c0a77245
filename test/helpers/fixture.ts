import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** test/fixtures/, the tiny job scripts. */
export const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The absolute path of test/fixtures/`name`. */
export function fixture(name: string): string {
	return join(fixtures, name);
}
