import assert from 'node:assert/strict';
import {appendFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import type {Contender, Tool} from '../../bench/lib/contender.js';
import {combineRounds, describeRounds, measureEach, measureRounds, type WorkloadContext} from '../../bench/lib/workload.js';
import {countRuns} from '../../bench/workloads/restart-throughput.js';

function contextWith(tools: Tool[], rounds: number): WorkloadContext {
	const contenders = tools.map(tool => ({tool, supportsRestartDelay: true}) as unknown as Contender);
	return {
		mode: 'smoke',
		seconds: 1,
		warmupSeconds: 0,
		rounds,
		soakRuns: 1,
		idleRuns: 1,
		contenders,
		unavailable: [{tool: 'pm2', reason: 'not installed'}],
		programs: {} as WorkloadContext['programs'],
		notes: [],
		log() {
			// Quiet.
		},
	};
}

test('rounds measure every tool in turn, the order reversed every other round, and keep each round\'s figure', async () => {
	const order: Tool[] = [];
	let figure = 0;
	const measure = async (tool: Tool) => {
		order.push(tool);
		figure++;
		if (tool === 'supervisord' && figure === 4) {
			throw new Error('a round failed');
		}

		return figure;
	};

	const context = contextWith(['fatc', 'supervisord'], 3);
	const outcomes = await measureRounds(context, 'test', async contender => measure(contender.tool), {
		measureLimit: async () => measure('limit'),
	});
	assert.deepEqual(order, ['limit', 'fatc', 'supervisord', 'supervisord', 'fatc', 'limit', 'limit', 'fatc', 'supervisord']);
	// supervisord's failed round is left out, and said so; pm2 is missing with its reason.
	assert.deepEqual(context.notes, ['test: supervisord failed in 1 of 3 rounds (test failed: a round failed); its figures are the other rounds\'.']);
	assert.deepEqual(outcomes.get('limit'), [1, 6, 7]);
	assert.deepEqual(outcomes.get('fatc'), [2, 5, 8]);
	assert.deepEqual(outcomes.get('supervisord'), [3, 9]);
	assert.deepEqual(outcomes.get('pm2'), {missing: 'not installed'});
	const medians = combineRounds(outcomes, values => [...values].sort((a, b) => a - b)[1]!);
	assert.equal(medians.get('fatc'), 5);
	assert.deepEqual(medians.get('pm2'), {missing: 'not installed'});
	assert.equal(describeRounds(outcomes, value => value, String), 'limit 1 / 6 / 7 (median 6); fatc 2 / 5 / 8 (median 5); supervisord 3 / 9 (median 3)');
});

test('a tool whose every round failed is missing with the first failure; measureEach is one round', async () => {
	let calls = 0;
	const failing = await measureRounds(contextWith(['fatc'], 2), 'test', async () => {
		calls++;
		throw new Error(`failure ${calls}\nmore`);
	});
	assert.deepEqual(failing.get('fatc'), {missing: 'test failed: failure 1'});
	const once = await measureEach(contextWith(['fatc'], 3), 'test', async () => 42);
	assert.equal(once.get('fatc'), 42);
});

test('restart throughput: a round that counts no run after the first fails, instead of giving a CPU a run of NaN', async () => {
	const folder = mkdtempSync(path.join(tmpdir(), 'fatc-bench-count-'));
	try {
		const counter = path.join(folder, 'counter');
		writeFileSync(counter, 'x');
		const context = {...contextWith(['fatc'], 1), seconds: 0.05};
		await assert.rejects(countRuns(counter, context, () => []), /no run counted in 0\.05 s/);
		// A counter that grows is counted, and its CPU a run is a number.
		const growing = setInterval(() => {
			appendFileSync(counter, 'x');
		}, 5);
		try {
			const counted = await countRuns(counter, {...context, seconds: 0.2}, () => [process.pid]);
			assert.ok(counted.runsPerSecond > 0);
			assert.ok(Number.isFinite(counted.cpuMillisecondsPerRun));
		} finally {
			clearInterval(growing);
		}
	} finally {
		rmSync(folder, {recursive: true, force: true});
	}
});
