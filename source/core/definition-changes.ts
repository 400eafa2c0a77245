import {isDeepStrictEqual} from 'node:util';
import type {JobDefinition} from './job-definition.js';

/** A setting of a job, as a key of its definition. */
export type JobField = keyof JobDefinition;

/**
 * What a run is started with: a change to one of these is a new program for onChange `restart`.
 * Every other field only changes the rules (timing, limits, exit codes, model) and never stops a run.
 */
export const launchFields: readonly JobField[] = ['command', 'args', 'cwd', 'env', 'appendInstanceId', 'logFile', 'errLogFile'];

/** The fields whose values differ (deeply), in the definition's own order; an absent and an undefined field are equal. */
export function changedFields(previous: JobDefinition, next: JobDefinition): JobField[] {
	const fields = new Set([...Object.keys(previous), ...Object.keys(next)] as JobField[]);
	return [...fields].filter(field => !isDeepStrictEqual(previous[field], next[field]));
}

/** True when a change of these fields means new runs of a different program. */
export function changesLaunch(fields: readonly JobField[]): boolean {
	return fields.some(field => launchFields.includes(field));
}
