import {loadLibc} from './libc.js';
import {createNodeEngine, nodeDescriptorsPerRun} from './node-engine.js';
import {pipeReaders} from './pipe-reader.js';
import {createPosixEngine, posixDescriptorsPerRun, spawnThreadPhrase, spawnThreadThreshold} from './posix-engine.js';
import type {SpawnEngine, SpawnEngineName} from './spawn-engine.js';

/** The variable that forces an engine: `node` or `posix` (for tests and comparisons). */
export const engineVariable = 'FATC_SPAWN_ENGINE';

/** The variable that sets how many runs under way hand starts to the spawner thread (0: always; tests, comparisons). */
export const spawnThreadVariable = 'FATC_SPAWN_THREAD_FROM';

const engines = new Map<SpawnEngineName, SpawnEngine>();

/**
 * The engine fatc starts processes with, chosen once: posix_spawn where glibc and koffi load, child_process.spawn
 * elsewhere (musl, macOS) or when FATC_SPAWN_ENGINE=node. Throws when FATC_SPAWN_ENGINE asks for what cannot be had.
 */
export function spawnEngine(): SpawnEngine {
	return spawnEngineNamed(chosenEngineName());
}

/** One engine by name, created once per process (the posix one makes fatc a child subreaper and listens to SIGCHLD). */
export function spawnEngineNamed(name: SpawnEngineName): SpawnEngine {
	let engine = engines.get(name);
	if (engine === undefined) {
		engine = name === 'posix' ? createPosixEngine(posixLibc(), spawnThreadFrom()) : createNodeEngine(nodeReason());
		engines.set(name, engine);
	}

	return engine;
}

/** Which engine spawnEngine() takes here, and why, without creating it (`fatc check`). */
export function describeSpawnEngine(): string {
	if (chosenEngineName() === 'node') {
		return `child_process.spawn (${nodeReason()})`;
	}

	const libc = loadLibc();
	return 'unavailable' in libc
		? `none: ${engineVariable}=posix, but posix_spawn cannot be used here (${libc.unavailable})`
		: `posix_spawn through koffi (glibc ${libc.version}), ${spawnThreadPhrase(spawnThreadFrom() ?? spawnThreadThreshold)}; fatc becomes the child subreaper of its runs; ${pipeReaders().description}`;
}

/** The descriptors a run holds under the engine spawnEngine() takes, without creating it (`fatc check`). */
export function spawnEngineDescriptorsPerRun(): (job: {errLogFile?: string}) => number {
	return chosenEngineName() === 'posix' ? posixDescriptorsPerRun : nodeDescriptorsPerRun;
}

/** Whether the posix engine can be had here; the reason when it cannot. */
export function posixEngineUnavailable(): string | undefined {
	const libc = loadLibc();
	return 'unavailable' in libc ? libc.unavailable : undefined;
}

function chosenEngineName(): SpawnEngineName {
	const forced = process.env[engineVariable];
	if (forced === 'node' || forced === 'posix') {
		return forced;
	}

	if (forced !== undefined && forced !== '') {
		throw new Error(`${engineVariable}: expected node or posix, got "${forced}"`);
	}

	return posixEngineUnavailable() === undefined ? 'posix' : 'node';
}

function spawnThreadFrom(): number | undefined {
	const value = process.env[spawnThreadVariable];
	if (value === undefined || value === '') {
		return undefined;
	}

	if (!/^\d+$/.test(value)) {
		throw new Error(`${spawnThreadVariable}: expected a number of runs, got "${value}"`);
	}

	return Number(value);
}

function posixLibc() {
	const libc = loadLibc();
	if ('unavailable' in libc) {
		throw new Error(`${engineVariable}=posix, but posix_spawn cannot be used here: ${libc.unavailable}`);
	}

	return libc;
}

function nodeReason(): string {
	return process.env[engineVariable] === 'node' ? `${engineVariable}=node` : posixEngineUnavailable() ?? 'chosen';
}
