import type {Socket} from 'node:net';

/** A slow client whose unread output passes this is dropped, so it cannot grow the daemon's memory. */
const maximumBufferedBytes = 16 * 1024 * 1024;

/** Writes one serialised message (newline included) to a client, unless it is gone or too far behind: then drops it. */
export function sendLine(socket: Socket, line: string): void {
	if (socket.destroyed) {
		return;
	}

	if (socket.writableLength > maximumBufferedBytes) {
		socket.destroy();
		return;
	}

	socket.write(line);
}
