import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';

type ProfileNode = {id: number; callFrame: {functionName: string; url: string; lineNumber: number}};
type Profile = {nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]};

export type Hotspot = {name: string; percent: number; milliseconds: number};

/** Where the profiled time went, by function (self time), largest first; from the first .cpuprofile in `folder`. */
export function hotspots(folder: string, count = 8): Hotspot[] {
	const file = readdirSync(folder).find(name => name.endsWith('.cpuprofile'));
	if (file === undefined) {
		throw new Error(`node --cpu-prof wrote no profile into ${folder}`);
	}

	const profile = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Profile;
	const nodes = new Map(profile.nodes.map(node => [node.id, node]));
	const selfTime = new Map<string, number>();
	let total = 0;
	for (const [index, id] of profile.samples.entries()) {
		const frame = nodes.get(id)?.callFrame;
		const microseconds = profile.timeDeltas[index] ?? 0;
		total += microseconds;
		if (frame === undefined) {
			continue;
		}

		const where = frame.url === '' ? '' : ` (${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1})`;
		const name = `${frame.functionName || '(anonymous)'}${where}`;
		selfTime.set(name, (selfTime.get(name) ?? 0) + microseconds);
	}

	return [...selfTime]
		.sort((first, second) => second[1] - first[1])
		.slice(0, count)
		.map(([name, microseconds]) => ({name, percent: (100 * microseconds) / total, milliseconds: microseconds / 1000}));
}
