import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:net';
import {join} from 'node:path';
import {test} from 'node:test';
import parsePrometheusTextFormat, {type MetricFamily} from 'parse-prometheus-text-format';
import {onCleanup} from '../helpers/cleanup.js';
import {killOnCleanup, runCli, startCli} from '../helpers/cli.js';
import {daemonFolder} from '../helpers/daemon-folder.js';
import {fixture} from '../helpers/fixture.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';
import {waitFor} from '../helpers/wait-for.js';

/** A port nothing listens on now (the kernel's pick, released at once). */
async function freePort(): Promise<number> {
	const server = await listenOn(0);
	const {port} = server.address() as {port: number};
	await new Promise(resolve => server.close(resolve));
	return port;
}

async function listenOn(port: number): Promise<Server> {
	const server = createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	return server;
}

async function scrape(port: number, path = '/metrics'): Promise<{status: number; type: string | null; text: string}> {
	const response = await fetch(`http://127.0.0.1:${port}${path}`);
	return {status: response.status, type: response.headers.get('content-type'), text: await response.text()};
}

/** A family's samples by their label values, joined: `{"churn done": 3}`. */
function samples(families: MetricFamily[], name: string): Map<string, number> {
	const family = families.find(candidate => candidate.name === name);
	assert.ok(family, `${name} is in the text`);
	return new Map(family.metrics.map(sample => [Object.values(sample.labels ?? {}).join(' '), Number(sample.value)]));
}

/** A histogram's `_count` by job, read from the text: the parser folds labelled histograms into one, dropping them. */
function observed(text: string, name: string): Map<string, number> {
	return new Map([...text.matchAll(new RegExp(`^${name}_count\\{job_name="([^"]+)"\\} (\\d+)$`, 'gm'))].map(match => [match[1]!, Number(match[2])]));
}

const endedLines = (output: string, result = '') => (output.match(new RegExp(`churn\\[\\d+\\] run \\d+ ended: ${result}`, 'g')) ?? []).length;

test('metrics: scraped while runs churn, fatc_runs_total counts every run-ended line printed so far, and the gauges are sane', async t => {
	const folder = temporaryFolder(t);
	const port = await freePort();
	await writeIn(folder, '.fatcontrollerrc', [
		`metrics: {listen: "127.0.0.1:${port}"}`,
		'jobs:',
		'  churn:',
		`    command: ${fixture('record-run.sh')}`,
		`    args: [${join(folder, 'churn.records')}]`,
		'    model: independent',
		'    instances: 3',
		'    sleep: 0',
		'    sleepOnError: 0',
		// Slot 0 is done, slot 1 more, slot 2 fails: every result but stopped, until the shutdown stops the last runs.
		'    env: {RUN_SECONDS: "0.02", EXIT_BY_SLOT: "0 64 1"}',
		'  waiting:',
		'    command: "true"',
		'    instances: 2',
		'    hold: {command: "exit 0", every: 100ms}',
		'    backlog: {command: "echo 7", every: 100ms}',
	].join('\n'));
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => cli.output().includes('fatc started'), 'fatc to start', 15_000, cli.errors);

	const results = ['done', 'more', 'error'] as const;
	let previous = new Map<string, number>();
	for (let scrapeNumber = 0; scrapeNumber < 5; scrapeNumber++) {
		const target = endedLines(cli.output()) + 5;
		await waitFor(() => endedLines(cli.output()) >= target, `${target} runs to end`, 15_000);
		const before = cli.output();
		const {status, type, text} = await scrape(port);
		const after = cli.output();
		assert.equal(status, 200);
		assert.equal(type, 'text/plain; version=0.0.4; charset=utf-8');
		const families = parsePrometheusTextFormat(text);
		const runs = samples(families, 'fatc_runs_total');
		for (const result of results) {
			const counted = runs.get(`churn ${result}`) ?? -1;
			assert.ok(counted >= endedLines(before, result), `${result}: ${counted} counted, at least the ${endedLines(before, result)} lines printed before the scrape`);
			assert.ok(counted <= endedLines(after, result), `${result}: ${counted} counted, at most the ${endedLines(after, result)} lines printed after it`);
			assert.ok(counted >= (previous.get(`churn ${result}`) ?? 0), `${result} never goes down`);
		}

		assert.equal(runs.get('churn stopped'), 0, 'no run was stopped yet');
		assert.equal(runs.get('waiting error'), 0, 'a result no run ended with has its series, at 0');
		const total = results.reduce((sum, result) => sum + runs.get(`churn ${result}`)!, 0);
		assert.equal(observed(text, 'fatc_run_duration_seconds').get('churn'), total, 'one duration observed per run counted');
		const under = samples(families, 'fatc_runs_running').get('churn')!;
		assert.ok(under >= 0 && under <= 3, `${under} runs under way, within instances`);
		assert.ok(samples(families, 'fatc_runs_allowed').get('churn')! <= 3);
		assert.equal(samples(families, 'fatc_instances').get('churn'), 3);
		assert.equal(samples(families, 'fatc_instances').get('waiting'), 2);
		assert.equal(samples(families, 'fatc_paused').get('churn'), 0);
		assert.equal(samples(families, 'fatc_held').get('churn'), 0);
		assert.ok(samples(families, 'fatc_process_cpu_seconds_total').get('')! > 0);
		assert.ok(samples(families, 'fatc_process_resident_memory_bytes').get('')! > 1_000_000);
		assert.ok(samples(families, 'fatc_eventloop_lag_max_seconds').get('')! >= 0);
		previous = runs;
	}

	// The probes answer within a few 100 ms: held, and the backlog's count.
	await waitFor(async () => {
		const families = parsePrometheusTextFormat((await scrape(port)).text);
		return samples(families, 'fatc_held').get('waiting') === 1 && samples(families, 'fatc_backlog').get('waiting') === 7;
	}, 'the hold and the backlog of "waiting" to show', 15_000);
	assert.equal((await scrape(port, '/')).status, 404);
	assert.equal((await scrape(port, '/metrics/x')).status, 404);

	const fromSocket = await runCli(['metrics'], {cwd: folder});
	assert.equal(fromSocket.code, 0, fromSocket.stderr);
	const names = (text: string) => parsePrometheusTextFormat(text).map(family => family.name).sort();
	assert.deepEqual(names(fromSocket.stdout), names((await scrape(port)).text), 'fatc metrics shows the same metrics');
	assert.ok(samples(parsePrometheusTextFormat(fromSocket.stdout), 'fatc_runs_total').get('churn more')! >= previous.get('churn more')!);

	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
	await assert.rejects(scrape(port), 'the endpoint is closed with fatc');
});

test('metrics: a job removed by a reload loses its series', async t => {
	const folder = temporaryFolder(t);
	const port = await freePort();
	const config = (jobs: string[]) => [
		`metrics: {listen: "127.0.0.1:${port}"}`,
		'jobs:',
		...jobs.flatMap(job => [`  ${job}:`, '    command: sh', '    args: [-c, "sleep 0.02"]', '    sleep: 50ms']),
	].join('\n');
	await writeIn(folder, '.fatcontrollerrc', config(['kept', 'gone']));
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	const jobsIn = async (name: string) => [...samples(parsePrometheusTextFormat((await scrape(port)).text), name).keys()].map(key => key.split(' ')[0]);
	await waitFor(() => /gone\[0\] run \d+ ended/.test(cli.output()), 'a run of "gone" to end', 15_000, cli.errors);
	assert.ok((await jobsIn('fatc_runs_total')).includes('gone'));
	await writeIn(folder, '.fatcontrollerrc', config(['kept']));
	const reloaded = await runCli(['reload'], {cwd: folder});
	assert.equal(reloaded.code, 0, reloaded.stdout + reloaded.stderr);
	await waitFor(async () => !(await jobsIn('fatc_instances')).includes('gone'), '"gone" to leave the gauges', 15_000);
	for (const name of ['fatc_runs_total', 'fatc_runs_running', 'fatc_instances']) {
		assert.deepEqual([...new Set(await jobsIn(name))], ['kept'], `${name} has only the job that stays`);
	}

	assert.deepEqual([...observed((await scrape(port)).text, 'fatc_run_duration_seconds').keys()], ['kept']);

	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
});

test('metrics: listen on 0.0.0.0 without public: true exits 2 with one line naming the key', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'metrics: {listen: "0.0.0.0:9464"}\njobs:\n  work:\n    command: "true"\n');
	const {code, stdout, stderr} = await runCli(['run'], {cwd: folder});
	assert.equal(code, 2);
	assert.equal(stdout, '');
	assert.equal(stderr.trim().split('\n').length, 1, stderr);
	assert.match(stderr, /metrics\.listen.*loopback.*public: true/);
});

test('metrics: a port in use is one error line, and runs still start and are counted', async t => {
	const folder = temporaryFolder(t);
	const taken = await listenOn(0);
	onCleanup(t, () => new Promise(resolve => taken.close(resolve)));
	const {port} = taken.address() as {port: number};
	await writeIn(folder, '.fatcontrollerrc', `metrics: {listen: "127.0.0.1:${port}"}\njobs:\n  churn:\n    command: "true"\n    sleep: 20ms\n`);
	const cli = startCli(['run'], {cwd: folder});
	killOnCleanup(t, cli);
	await waitFor(() => endedLines(cli.output()) >= 3, 'three runs to end', 15_000, cli.errors);
	const errors = cli.output().split('\n').filter(line => line.includes('metrics'));
	assert.equal(errors.length, 1, cli.output());
	assert.match(errors[0]!, new RegExp(`error: metrics: could not listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*; supervision goes on without it$`));
	const fromSocket = await runCli(['metrics'], {cwd: folder});
	assert.equal(fromSocket.code, 0, fromSocket.stderr);
	assert.ok(samples(parsePrometheusTextFormat(fromSocket.stdout), 'fatc_runs_total').get('churn done')! >= 3);
	cli.child.kill('SIGTERM');
	assert.equal(await cli.exited, 0);
});

test('metrics: the detached daemon serves /metrics and fatc metrics, and frees the port on fatc stop', async t => {
	const port = await freePort();
	const daemon = await daemonFolder(t, {instances: 2, runSeconds: 0.05, extra: `metrics: {listen: "127.0.0.1:${port}"}`});
	const started = await daemon.fatc(['--detach']);
	assert.equal(started.code, 0, started.stderr);
	await daemon.runsUnderWay(4);
	const served = parsePrometheusTextFormat((await scrape(port)).text);
	assert.ok(samples(served, 'fatc_runs_total').get('work done')! >= 1);
	const fromSocket = await daemon.fatc(['metrics']);
	assert.equal(fromSocket.code, 0, fromSocket.stderr);
	assert.ok(samples(parsePrometheusTextFormat(fromSocket.stdout), 'fatc_runs_total').get('work done')! >= samples(served, 'fatc_runs_total').get('work done')!);
	assert.equal((await daemon.fatc(['stop'])).code, 0);
	await assert.rejects(scrape(port), 'the endpoint is closed with the daemon');
	assert.equal((await daemon.fatc(['metrics'])).code, 3, 'fatc metrics exits 3 once no fatc runs');
});
