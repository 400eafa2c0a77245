import type {JobNotice} from './job-event.js';

/** One event line: a job's notice, or something about fatc itself. `time` is milliseconds since the epoch. */
export type SupervisorEvent =
	| (JobNotice & {time: number; job: string})
	| {time: number; job?: undefined; type: 'supervisor-started'; pid: number; jobs: number}
	| {time: number; job?: undefined; type: 'supervisor-stopping'; force: boolean}
	| {time: number; job?: undefined; type: 'supervisor-stopped'}
	| {time: number; job?: undefined; type: 'supervisor-error'; message: string};
