import {isDeepStrictEqual} from 'node:util';
import {changedFields, type JobField} from './definition-changes.js';
import type {Configuration, JobDefinition} from './job-definition.js';

/** What a reload does to one job. `scaled`: only `instances` changed; `changed`: anything else (instances too, maybe). */
export type JobChange =
	| {type: 'added'; name: string; definition: JobDefinition}
	| {type: 'removed'; name: string}
	| {type: 'scaled'; name: string; definition: JobDefinition; from: number; to: number}
	| {type: 'changed'; name: string; definition: JobDefinition; fields: JobField[]}
	| {type: 'unchanged'; name: string};

/** Settings of the whole config that fatc reads only when it starts (the pid file and socket; the metrics endpoint). */
export type RestartSetting = 'name' | 'runDir' | 'metrics' | 'cgroup';

const restartSettings: readonly RestartSetting[] = ['name', 'runDir', 'metrics', 'cgroup'];

export type ConfigurationDiff = {
	/** Every job of either config: the new config's jobs in its order, then the removed ones. */
	jobs: JobChange[];
	/** Settings that differ but apply only after fatc restarts: the old values stay. */
	needsRestart: RestartSetting[];
	/** The config that now runs: the new one, with the old value of every `needsRestart` setting. */
	configuration: Configuration;
	/** `changed` counts scaled jobs too. */
	counts: {changed: number; scaled: number; added: number; removed: number; unchanged: number};
};

/** Old config vs new, per job. Pure. */
export function diffConfiguration(previous: Configuration, next: Configuration): ConfigurationDiff {
	const before = new Map(previous.jobs.map(definition => [definition.name, definition]));
	const after = new Set(next.jobs.map(definition => definition.name));
	const jobs: JobChange[] = next.jobs.map(definition => compareJob(before.get(definition.name), definition));
	for (const {name} of previous.jobs) {
		if (!after.has(name)) {
			jobs.push({type: 'removed', name});
		}
	}

	const needsRestart = restartSettings.filter(setting => !isDeepStrictEqual(previous[setting], next[setting]));
	const configuration = {...next, name: previous.name, runDir: previous.runDir, metrics: previous.metrics, cgroup: previous.cgroup};
	const count = (...types: Array<JobChange['type']>) => jobs.filter(change => types.includes(change.type)).length;
	return {
		jobs,
		needsRestart,
		configuration,
		counts: {
			changed: count('changed', 'scaled'),
			scaled: count('scaled'),
			added: count('added'),
			removed: count('removed'),
			unchanged: count('unchanged'),
		},
	};
}

function compareJob(previous: JobDefinition | undefined, definition: JobDefinition): JobChange {
	const {name} = definition;
	if (previous === undefined) {
		return {type: 'added', name, definition};
	}

	const fields = changedFields(previous, definition);
	if (fields.length === 0) {
		return {type: 'unchanged', name};
	}

	if (fields.length === 1 && fields[0] === 'instances') {
		return {type: 'scaled', name, definition, from: previous.instances, to: definition.instances};
	}

	return {type: 'changed', name, definition, fields};
}

/**
 * One line: `2 changed, 1 added, 0 removed — mail (command, sleep), work (instances 1 -> 3), +thumbs, -feeds`,
 * and what needs a restart of fatc.
 */
export function describeDiff(diff: ConfigurationDiff): string {
	const {changed, added, removed} = diff.counts;
	const details = diff.jobs.flatMap(change => {
		switch (change.type) {
			case 'added': {
				return [`+${change.name}`];
			}

			case 'removed': {
				return [`-${change.name}`];
			}

			case 'scaled': {
				return [`${change.name} (instances ${change.from} -> ${change.to})`];
			}

			case 'changed': {
				return [`${change.name} (${change.fields.join(', ')})`];
			}

			case 'unchanged': {
				return [];
			}
		}
	});
	const counts = `${changed} changed, ${added} added, ${removed} removed`;
	const restart = diff.needsRestart.length === 0
		? ''
		: `; ${diff.needsRestart.join(' and ')} ${diff.needsRestart.length === 1 ? 'applies' : 'apply'} only after fatc restarts`;
	return `${counts}${details.length > 0 ? ` — ${details.join(', ')}` : ''}${restart}`;
}
