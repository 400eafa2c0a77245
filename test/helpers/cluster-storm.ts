import assert from 'node:assert/strict';
import type {TestContext} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {allRecords, clusterDaemon, type Daemon, daemonLog, startDaemon} from './cluster-daemon.js';
import {isAlive, killLeftRun} from './processes.js';
import {startRedisServer} from './redis-server.js';
import {peakOfRuns, readRunRecords, type RunRecord} from './run-records.js';
import {startTcpRelay} from './tcp-relay.js';
import {waitFor} from './wait-for.js';

/*
 * The cluster storm (issue 17): three fatc daemons share `cluster: {instances: 2}` on one job; a seeded storm of
 * scale, restart, SIGKILL of a daemon (its runs killed with it, as its cgroup would be: readme) and a start again,
 * a Redis restart, and one daemon (gamma, through a TCP relay) cut off Redis or frozen. The runs' own records must show
 * never more than 2 at once, no run left behind and every run counted by its fatc.
 */

/** A small seeded generator (mulberry32): the same seed, the same storm. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** pid → when its fatc told the run's end, from a daemon's event lines (run numbers start again after a restart). */
function endsInLog(text: string): Map<number, number> {
	const pids = new Map<string, number>();
	const ends = new Map<number, number>();
	for (const line of text.split('\n')) {
		const started = /^\S+ work\[\d+\] run (\d+) started \(pid (\d+)\)/.exec(line);
		if (started) {
			pids.set(started[1]!, Number(started[2]));
		}

		const ended = /^(\S+) work\[\d+\] run (\d+) ended/.exec(line);
		const pid = ended && pids.get(ended[2]!);
		if (ended && typeof pid === 'number') {
			ends.set(pid, Date.parse(ended[1]!));
		}
	}

	return ends;
}

export async function clusterStorm(t: TestContext, options: {seed: number; seconds: number}) {
	const next = random(options.seed);
	const pick = <Value>(values: readonly Value[]) => values[Math.floor(next() * values.length)]!;
	const redis = await startRedisServer(t);
	const relay = await startTcpRelay(t, redis);
	const daemons = [
		await clusterDaemon(t, redis, 'alpha', {key: 'storm', clusterInstances: 2, runSeconds: 0.3, sleep: '0.2s'}),
		await clusterDaemon(t, redis, 'beta', {key: 'storm', clusterInstances: 2, runSeconds: 0.3, sleep: '0.2s'}),
		await clusterDaemon(t, redis, 'gamma', {key: 'storm', clusterInstances: 2, runSeconds: 0.3, sleep: '0.2s', redisUrl: `redis://127.0.0.1:${relay.port}`}),
	];
	await Promise.all(daemons.map(startDaemon));
	// When each run was first seen gone, by the test itself: a SIGKILLed run writes no end record.
	const seenGone = new Map<number, number>();
	const watcher = setInterval(() => {
		for (const record of allRecords(daemons)) {
			if (record.end === undefined && !seenGone.has(record.pid) && !isAlive(record.pid)) {
				seenGone.set(record.pid, Date.now());
			}
		}
	}, 20);
	/** Runs killed with their daemon: alive in the count until then (they wrote no end). */
	const killedAt = new Map<number, number>();
	/** Daemons' pids SIGKILLed by the storm: their leases end with their TTL, never given back. */
	const killedDaemons = new Set<number>();
	const log: string[] = [];
	const deadline = Date.now() + options.seconds * 1000;
	const kinds = ['scale', 'restart', 'kill', 'redis', 'cut', 'freeze'] as const;
	// Each kind once, in a seeded order, then seeded picks until the time is up (a fatc command is slow on a loaded machine).
	const first = [...kinds].sort(() => next() - 0.5);
	while (first.length > 0 || Date.now() < deadline) {
		const daemon = pick(daemons);
		const action = first.shift() ?? pick([...kinds, 'scale'] as const);
		log.push(`${action} ${daemon.name}`);
		switch (action) {
			case 'scale': {
				await daemon.fatc(['scale', 'work', String(pick([0, 1, 2, 3]))]);
				break;
			}

			case 'restart': {
				await daemon.fatc(['restart', 'work']);
				break;
			}

			case 'kill': {
				const pid = daemon.daemonPid();
				if (pid !== undefined && isAlive(pid)) {
					process.kill(pid, 'SIGKILL');
					killedDaemons.add(pid);
					await waitFor(() => !isAlive(pid), 'the daemon to be gone', 20_000);
					for (const record of readRunRecords(daemon.records)) {
						if (record.end === undefined && killLeftRun(record.pid, daemon.folder)) {
							killedAt.set(record.pid, Date.now());
						}
					}

					await startDaemon(daemon);
				}

				break;
			}

			case 'redis': {
				await redis.restart();
				break;
			}

			case 'cut':
			case 'freeze': {
				relay[action]();
				// Long enough for the leases to be fenced (TTL 3 s) when it lasts.
				await delay(1000 + next() * 4000);
				relay.restore();
				break;
			}
		}

		await delay(200 + next() * 1500);
	}

	for (const daemon of daemons) {
		await daemon.fatc(['scale', 'work', '2']);
	}

	const detail = `seed ${options.seed}: ${log.join(', ')}`;
	// A lease given back while its daemon was cut off is given back once Redis is back: each must be back before it stops.
	// Its last word on Redis since its last start (a start is connected: a daemon killed while cut off starts connected).
	const cutOff = (daemon: Daemon) => {
		const lines = daemonLog(daemon).split('\n').filter(line => / cluster: | fatc started \(pid /.test(line));
		return / no new run starts until Redis is back/.test(lines.at(-1) ?? '');
	};

	await waitFor(() => !daemons.some(cutOff), 'every daemon to reach Redis again', 30_000, () => daemons.filter(cutOff).map(daemon => daemon.name).join(', '));
	for (const daemon of daemons) {
		const stopped = await daemon.fatc(['stop']);
		assert.equal(stopped.code, 0, `${daemon.name}: ${stopped.stderr}; ${detail}; its log ends:\n${daemonLog(daemon).split('\n').slice(-30).join('\n')}`);
	}

	clearInterval(watcher);
	const records: RunRecord[] = allRecords(daemons);
	// A run SIGKILLed (fenced at the end of its lease, or with its daemon) wrote no end: it counts as alive until the
	// test killed it, saw it gone (polled every 20 ms), or else its fatc told its end (later than it was).
	const endsTold = new Map<number, number>();
	for (const daemon of daemons) {
		for (const [pid, time] of endsInLog(daemonLog(daemon))) {
			endsTold.set(pid, time);
		}
	}

	assert.ok(records.length > 10, `${records.length} runs: ${detail}`);
	const endOf = (record: RunRecord) => killedAt.get(record.pid) ?? seenGone.get(record.pid) ?? endsTold.get(record.pid);
	const together = peakOfRuns(records, endOf);
	const owner = (record: RunRecord) => daemons.find(daemon => readRunRecords(daemon.records).some(own => own.pid === record.pid))?.name;
	const shown = together.map(record => `${owner(record)} run ${record.run} pid ${record.pid} ${record.start ?? '-'}–${record.end ?? endOf(record) ?? '-'}`);
	const unended = records.filter(record => record.end === undefined)
		.map(record => `${record.pid} (start ${record.start}): killed ${killedAt.get(record.pid) ?? '-'} seen gone ${seenGone.get(record.pid) ?? '-'} told ${endsTold.get(record.pid) ?? '-'}`);
	assert.equal(together.length, 2, `never more than 2 at once; ${detail}; together: ${shown.join(', ')}; without an end record: ${unended.join(', ')}`);
	for (const record of records) {
		assert.ok(!isAlive(record.pid), `run ${record.pid} left behind; ${detail}`);
	}

	// Every run counted by its fatc: its pid in its daemon's event log, started or reaped by the next fatc — or, for a
	// run forked in a SIGKILLed fatc's last instant (before it could record the pid) that ended before the next fatc
	// came up, its number in that fatc's line naming what the killed one was starting (as the chaos test accepts).
	for (const daemon of daemons) {
		const text = daemonLog(daemon);
		const reaped = new Set([...text.matchAll(/reaped \d+ .*: ([\d, ]+)$/gm)].flatMap(match => match[1]!.split(', ').map(Number)));
		const unconfirmed = new Set([...text.matchAll(/killed while starting its (.*): if it started/g)].flatMap(match => match[1]!.split(', ')));
		for (const record of readRunRecords(daemon.records)) {
			const counted = text.includes(`(pid ${record.pid})`) || reaped.has(record.pid) || unconfirmed.has(`work run ${record.run}`);
			assert.ok(counted, `${daemon.name}: run ${record.pid} (run ${record.run}) not in its log; ${detail}`);
		}
	}

	// Every lease given back, but those of a SIGKILLed daemon, which end with their TTL (or were purged since).
	const [seconds, micros] = (await redis.cli('TIME')).split('\n').map(Number);
	const redisNow = seconds! * 1000 + Math.floor(micros! / 1000);
	const members = (await redis.cli('ZRANGE', 'storm:job:work:leases', '0', '-1', 'WITHSCORES')).split('\n').filter(Boolean);
	const kept: string[] = [];
	for (let index = 0; index + 1 < members.length; index += 2) {
		const pid = Number(/\/(\d+)#/.exec(members[index]!)?.[1]);
		const endsIn = Number(members[index + 1]) - redisNow;
		if (endsIn > 0 && !killedDaemons.has(pid)) {
			kept.push(`${members[index]} (ends in ${endsIn} ms)`);
		}
	}

	assert.deepEqual(kept, [], `every lease given back but a SIGKILLed daemon's (${[...killedDaemons].join(', ') || 'none'}); ${detail}`);
	return {runs: records.length, log};
}
