import {fstatSync} from 'node:fs';

/**
 * Whether `fd` is a stream to systemd's journal. systemd sets JOURNAL_STREAM to "<st_dev>:<st_ino>" of the stream it
 * connects a service's stdout or stderr to, and a child inherits the variable even when its stdout goes elsewhere (a
 * detached daemon's log file), so the fd itself is compared with it, as sd_journal_stream_fd(3) and systemd.exec(5)
 * ask.
 */
export function isJournalStream(fd: number, journalStream = process.env['JOURNAL_STREAM']): boolean {
	if (!journalStream) {
		return false;
	}

	try {
		// bigint: an inode number may be past 2^53.
		const stat = fstatSync(fd, {bigint: true});
		return journalStream === `${stat.dev}:${stat.ino}`;
	} catch {
		return false;
	}
}
