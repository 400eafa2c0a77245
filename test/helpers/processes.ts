import {readdirSync, readFileSync} from 'node:fs';

/** The state letter and the fields after it in /proc/PID/stat (the command name may hold spaces and parentheses). */
function statFields(stat: string): string[] {
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** True while `pid` is a live process (a zombie waiting for PID 1 to reap it counts as gone). */
export function isAlive(pid: number): boolean {
	try {
		return statFields(readFileSync(`/proc/${pid}/stat`, 'latin1'))[0] !== 'Z';
	} catch {
		return false;
	}
}

/** Live (not zombie) processes whose pgid is `pgid`, read from /proc independently of the code under test. */
export function liveMembers(pgid: number): number[] {
	const members: number[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) {
			continue;
		}

		let stat: string;
		try {
			stat = readFileSync(`/proc/${name}/stat`, 'latin1');
		} catch {
			continue;
		}

		const fields = statFields(stat);
		if (fields[0] !== 'Z' && Number(fields[2]) === pgid) {
			members.push(Number(name));
		}
	}

	return members;
}
