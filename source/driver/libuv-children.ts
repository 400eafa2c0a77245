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

/** Whether `pid` is a child that child_process started and libuv has not reaped yet (so it is libuv's to reap). */
export function isLibuvChild(pid: number): boolean {
	let found = false;
	for (const reference of children) {
		const child = reference.deref();
		// exitCode/signalCode are set once libuv has reaped it.
		if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
			children.delete(reference);
		} else if (child.pid === pid) {
			found = true;
		}
	}

	return found;
}

/** Whether any child that child_process started is still unreaped by libuv (while none is, fatc may reap any child). */
export function hasLibuvChildren(): boolean {
	for (const reference of children) {
		const child = reference.deref();
		if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
			children.delete(reference);
		} else {
			return true;
		}
	}

	return false;
}
