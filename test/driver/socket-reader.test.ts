// The driver's shared cases (run-lifecycle, log-output) once more under the posix engine reading its pipes with
// net.Socket, the reader fatc falls back to where this Node's pipe handle is not as expected (pipe-reader.ts): the
// other files read them with the pipe handle, so `npm test` covers both.
import {test} from 'node:test';
import {engineVariable, posixEngineUnavailable} from '../../source/driver/choose-spawn-engine.js';
import {pipeReaderVariable} from '../../source/driver/pipe-reader.js';

const posixUnavailable = posixEngineUnavailable();
if (posixUnavailable === undefined) {
	process.env[engineVariable] = 'posix';
	process.env[pipeReaderVariable] = 'stream';
	await import('./run-lifecycle.test.js');
	await import('./log-output.test.js');
} else {
	test('the driver cases reading pipes with net.Socket', {skip: `the posix engine is unavailable here: ${posixUnavailable}`}, () => undefined);
}
