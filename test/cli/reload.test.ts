import assert from 'node:assert/strict';
import {renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import type {Snapshot} from '../../source/core/snapshot.js';
import {onCleanup} from '../helpers/cleanup.js';
import {runCli, startCli, startedPids} from '../helpers/cli.js';
import {fixture} from '../helpers/fixture.js';
import {isAlive} from '../helpers/processes.js';
import {maxConcurrentRuns, readRunRecords} from '../helpers/run-records.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

function config(folder: string, jobs: Record<string, number>): string {
	return [
		'name: reloadtest',
		'runDir: ./run',
		'jobs:',
		...Object.entries(jobs).flatMap(([name, instances]) => [
			`  ${name}:`,
			`    command: ${fixture('record-run.sh')}`,
			`    args: [${join(folder, `${name}.records`)}]`,
			'    model: independent',
			`    instances: ${instances}`,
			'    stopTimeout: 5s',
			'    env: {RUN_SECONDS: "30"}',
		]),
	].join('\n');
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

test('fatc run: saves and SIGHUP reload the file, a broken save shows in the event lines and in fatc status, and fatc still exits cleanly', async t => {
	const folder = temporaryFolder(t);
	const file = await writeIn(folder, '.fatcontrollerrc', config(folder, {work: 1}));
	const cli = startCli(['run'], {cwd: folder});
	onCleanup(t, async () => {
		if (cli.child.exitCode === null) {
			cli.child.kill('SIGTERM');
			await cli.exited;
		}
	});
	await waitFor(() => cli.output().includes(`watching ${file} for changes`) && startedPids(cli.output()).length === 1, 'the watcher and the first run');

	writeFileSync(`${file}.saving`, config(folder, {work: 1, feeds: 2}));
	renameSync(`${file}.saving`, file);
	await waitFor(() => startedPids(cli.output()).length === 3, 'the added job\'s runs');
	assert.match(cli.output(), / fatc config reloaded: 0 changed, 1 added, 0 removed — \+feeds\n/);

	writeFileSync(file, `${config(folder, {work: 1, feeds: 2})}\n  broken: [\n`);
	await waitFor(() => cli.output().includes('config not reloaded'), 'the error line');
	assert.match(cli.output(), new RegExp(` fatc config not reloaded, the running config stays: ${file}:\\d+:\\d+: not valid YAML`));
	const status = await runCli(['status'], {cwd: folder});
	assert.equal(status.code, 0, status.stderr);
	assert.match(status.stderr, /warning: .*not valid YAML/, 'the client warns that the file is broken');
	assert.match(status.stdout, new RegExp(`config error \\(the running config stays\\): ${file}:\\d+:\\d+: not valid YAML`));
	assert.match(status.stdout, /feeds\s+independent\s+2\/2\/2\s+running/, 'the old config runs on');
	const reload = await runCli(['reload'], {cwd: folder});
	assert.equal(reload.code, 2);
	assert.match(reload.stdout, /reload failed, the running config stays: .*not valid YAML/);

	writeFileSync(file, config(folder, {work: 2, feeds: 2}));
	await waitFor(() => count(cli.output(), / config reloaded: /g) === 2, 'the fixed save');
	assert.match(cli.output(), / fatc config reloaded: 1 changed, 0 added, 0 removed — work \(instances 1 -> 2\)\n/);
	const fixed = JSON.parse((await runCli(['status', '--json'], {cwd: folder})).stdout) as Snapshot;
	assert.equal(fixed.configError, null);

	cli.child.kill('SIGHUP');
	await waitFor(() => count(cli.output(), / config reloaded: /g) === 3, 'the SIGHUP reload');
	assert.match(cli.output(), / fatc config reloaded: 0 changed, 0 added, 0 removed\n/);
	await waitFor(() => startedPids(cli.output()).length === 4, 'the fourth run');

	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0, 'fatc exits: the watcher left no handle open');
	assert.equal(startedPids(cli.output()).length, 4, 'no run was restarted by any reload');
	for (const pid of startedPids(cli.output())) {
		assert.equal(isAlive(pid), false, `run ${pid} is gone`);
	}

	assert.ok(maxConcurrentRuns(readRunRecords(join(folder, 'work.records'))) <= 2);
	assert.ok(maxConcurrentRuns(readRunRecords(join(folder, 'feeds.records'))) <= 2);
});
