import type {ChildProcess} from 'node:child_process';
import {subscribe} from 'node:diagnostics_channel';

// Every ChildProcess this thread creates, from its constructor on (Node's documented "child_process" channel): libuv
// waits for each of their pids itself, and a status taken from under it is lost for good (its waitpid gets ECHILD and
// the ChildProcess never emits 'exit'). Subscribed when the driver loads, before fatc starts anything.
// spawnSync needs no entry: it reaps its child before returning, and no JavaScript runs in between.
const children = new Set<WeakRef<ChildProcess>>();
let added = 0;

subscribe('child_process', message => {
	children.add(new WeakRef((message as {process: ChildProcess}).process));
	added++;
	// A failed spawn never exits: its entry goes once the object is collected.
	if (added % 256 === 0) {
		isLibuvChild(-1);
	}
});

/** The children libuv has not reaped yet; entries of those it has (or that were collected) are dropped on the way. */
function* unreaped(): Generator<ChildProcess> {
	for (const reference of children) {
		const child = reference.deref();
		// exitCode/signalCode are set once libuv has reaped it.
		if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
			children.delete(reference);
		} else {
			yield child;
		}
	}
}

/** Whether `pid` is a child that child_process started and libuv has not reaped yet (so it is libuv's to reap). */
export function isLibuvChild(pid: number): boolean {
	let found = false;
	// Walked to the end: a call with -1 drops every stale entry.
	for (const child of unreaped()) {
		found ||= child.pid === pid;
	}

	return found;
}

/** Whether any child that child_process started is still unreaped by libuv (while none is, fatc may reap any child). */
export function hasLibuvChildren(): boolean {
	return !unreaped().next().done;
}
