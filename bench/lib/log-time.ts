/**
 * The local time stamp a log line starts with, "2026-12-01 15:10:47,123" (supervisord) or "2026-12-01T15:10:47.123"
 * (PM2 with PM2_LOG_DATE_FORMAT), as ms since the epoch; both write local time, read here in the same time zone.
 */
export function localLogTime(line: string): number | undefined {
	const match = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)[,.](\d{3})/.exec(line);
	if (!match) {
		return undefined;
	}

	const [year, month, day, hours, minutes, seconds, milliseconds] = match.slice(1).map(Number) as [number, number, number, number, number, number, number];
	return new Date(year, month - 1, day, hours, minutes, seconds, milliseconds).getTime();
}
