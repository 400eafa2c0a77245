// The driver's shared cases (run-lifecycle, log-output) once more, under the engine the other test files do not use:
// they take the default engine (posix_spawn where it loads, unless FATC_SPAWN_ENGINE says otherwise), this file the
// other one, so `npm test` covers both. Only the variable changes; the cases are the same files.
import {test} from 'node:test';
import {engineVariable, posixEngineUnavailable} from '../../source/driver/choose-spawn-engine.js';

const posixUnavailable = posixEngineUnavailable();
const other = process.env[engineVariable] === 'node' ? 'posix' : 'node';
if (other === 'posix' && posixUnavailable !== undefined) {
	test('the driver cases under the posix engine', {skip: posixUnavailable}, () => undefined);
} else if (other === 'node' && posixUnavailable !== undefined && process.env[engineVariable] !== 'posix') {
	test('the driver cases under the node engine', {skip: 'the other files already ran them under it: posix_spawn is unavailable here'}, () => undefined);
} else {
	process.env[engineVariable] = other;
	await import('./run-lifecycle.test.js');
	await import('./log-output.test.js');
}
