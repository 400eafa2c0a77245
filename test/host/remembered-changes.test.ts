import assert from 'node:assert/strict';
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {
	forgetRememberedChanges,
	readRememberedChanges,
	reconcileChanges,
	rememberedChangesFile,
	rememberPause,
	rememberScale,
	writeRememberedChanges,
	type RememberedChanges,
} from '../../source/host/remembered-changes.js';
import {makeDefinition} from '../helpers/job-definition.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';

const fileSays = (instances: Record<string, number>) => ({
	jobs: Object.entries(instances).map(([name, count]) => makeDefinition({name, instances: count})),
});

test('the file is named after the config beside its pid file, written whole with mode 0600, and read back as written', t => {
	const runDir = temporaryFolder(t);
	const file = rememberedChangesFile({name: 'mysite', runDir});
	assert.equal(file, join(runDir, 'mysite.changes.json'));
	let changes: RememberedChanges = new Map();
	changes = rememberScale(changes, 'work', 2, 4);
	changes = rememberPause(changes, 'other', true);
	writeRememberedChanges(file, changes);

	assert.deepEqual(readdirSync(runDir), ['mysite.changes.json'], 'no temporary file is left');
	assert.equal(statSync(file).mode & 0o777, 0o600);
	assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), {
		version: 1,
		jobs: {work: {instances: 2, fileInstances: 4}, other: {paused: true}},
	});
	assert.deepEqual([...readRememberedChanges(file)], [...changes]);
});

test('no file reads as nothing remembered; nothing left to remember removes the file', t => {
	const file = join(temporaryFolder(t), 'fatc.changes.json');
	assert.equal(readRememberedChanges(file).size, 0);
	writeRememberedChanges(file, rememberPause(new Map(), 'work', true));
	writeRememberedChanges(file, new Map());
	assert.throws(() => statSync(file), /ENOENT/);
	forgetRememberedChanges(file);
});

test('a scale back to the file\'s own value, or a resume, removes what it changed and keeps the rest', () => {
	let changes = rememberPause(rememberScale(new Map(), 'work', 2, 4), 'work', true);
	assert.deepEqual(changes.get('work'), {instances: 2, fileInstances: 4, paused: true});
	changes = rememberScale(changes, 'work', 4, 4);
	assert.deepEqual(changes.get('work'), {paused: true});
	changes = rememberScale(changes, 'work', 3, 4);
	changes = rememberPause(changes, 'work', false);
	assert.deepEqual(changes.get('work'), {instances: 3, fileInstances: 4});
	changes = rememberScale(changes, 'work', 4, 4);
	assert.equal(changes.size, 0, 'a job with nothing to remember has no entry');
});

test('a file whose instances changed drops the remembered scale but keeps the pause; a job gone from the file is forgotten', () => {
	let changes = rememberScale(new Map(), 'work', 2, 4);
	changes = rememberPause(changes, 'work', true);
	changes = rememberScale(changes, 'other', 1, 3);
	changes = rememberPause(changes, 'gone', true);

	const same = reconcileChanges(changes, fileSays({work: 4, other: 3, gone: 1}));
	assert.deepEqual([...same.changes], [...changes], 'the same file keeps everything');
	assert.deepEqual(same.dropped, []);

	const edited = reconcileChanges(changes, fileSays({work: 6, other: 3}));
	assert.deepEqual(Object.fromEntries(edited.changes), {work: {paused: true}, other: {instances: 1, fileInstances: 3}});
	assert.deepEqual(edited.dropped, [{job: 'work', instances: 2, fileInstances: 4, fileNow: 6}]);

	const removed = reconcileChanges(changes, fileSays({work: 4}));
	assert.deepEqual([...removed.changes.keys()], ['work']);
	assert.deepEqual(removed.dropped, [{job: 'other', instances: 1, fileInstances: 3, fileNow: undefined}]);
});

test('a corrupt file is refused saying where and what: not JSON, a wrong version, a wrong field', t => {
	const file = join(temporaryFolder(t), 'fatc.changes.json');
	const refusal = (content: string) => {
		writeFileSync(file, content);
		try {
			readRememberedChanges(file);
		} catch (error) {
			const {message, cause} = error as Error;
			return cause instanceof Error ? `${message}: ${cause.message}` : message;
		}

		return 'accepted';
	};

	assert.match(refusal('{"version": 1, "jobs": {'), /fatc\.changes\.json: not valid JSON: /);
	assert.match(refusal('[]'), /: expected an object, got \[\]/);
	assert.match(refusal('{"version": 7, "jobs": {}}'), /: version: expected 1, got 7/);
	assert.match(refusal('{"version": 1, "jobs": {"work": {"instances": -1, "fileInstances": 4}}}'), /: jobs\.work\.instances: expected an integer from 0 up, got -1/);
	assert.match(refusal('{"version": 1, "jobs": {"work": {"instances": 2}}}'), /: jobs\.work\.fileInstances: expected an integer from 0 up, got nothing/);
	assert.match(refusal('{"version": 1, "jobs": {"work": {"paused": "yes"}}}'), /: jobs\.work\.paused: expected true, got "yes"/);
	assert.match(refusal('{"version": 1, "jobs": {"work": {"pause": true}}}'), /: jobs\.work\.pause: unknown key/);
	assert.match(refusal('{"version": 1, "jobs": {"work": {}}}'), /: jobs\.work: expected instances and fileInstances, or paused, got neither/);
});

test('an unreadable file is refused with the reason; a failed write leaves the previous file whole', t => {
	const runDir = temporaryFolder(t);
	const file = join(runDir, 'fatc.changes.json');
	mkdirSync(file);
	assert.throws(() => readRememberedChanges(file), (error: Error) => {
		assert.match(error.message, /^Could not read .*fatc\.changes\.json$/);
		assert.match((error.cause as Error).message, /EISDIR/);
		return true;
	});

	const other = join(runDir, 'other.changes.json');
	writeRememberedChanges(other, rememberPause(new Map(), 'work', true));
	// The temporary file's name taken by a folder: the write fails before any rename.
	mkdirSync(`${other}.${process.pid}.tmp`);
	assert.throws(() => {
		writeRememberedChanges(other, rememberScale(new Map(), 'work', 1, 2));
	}, /Could not write .*other\.changes\.json/);
	assert.deepEqual(Object.fromEntries(readRememberedChanges(other)), {work: {paused: true}});
});
