import {EventEmitter} from 'node:events';

/** An 80×24 terminal for Ink that counts the bytes written to it and when each write came. */
export class FakeTerminal extends EventEmitter {
	isTTY = true;
	columns = 80;
	rows = 24;
	writableNeedDrain = false;
	bytes = 0;
	writes: number[] = [];
	write(chunk: string): boolean {
		this.bytes += Buffer.byteLength(chunk);
		this.writes.push(performance.now());
		return true;
	}
}

/** A terminal's keyboard for Ink: `press` hands it one key. */
export class FakeKeyboard extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	press(key: string): void {
		this.data = key;
		this.emit('readable');
	}

	read(): string | null {
		const {data} = this;
		this.data = null;
		return data;
	}

	setEncoding(): void {}
	setRawMode(): void {}
	ref(): void {}
	unref(): void {}
	resume(): void {}
	pause(): void {}
}
