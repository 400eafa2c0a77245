/** 850ms · 1.2s · 42s · 3m 05s · 1h 02m — short, for event lines and table cells. */
export function formatDuration(milliseconds: number): string {
	if (milliseconds < 1000) {
		return `${Math.max(0, Math.round(milliseconds))}ms`;
	}

	const seconds = milliseconds / 1000;
	if (seconds < 10) {
		return `${seconds.toFixed(1)}s`;
	}

	if (seconds < 60) {
		return `${Math.floor(seconds)}s`;
	}

	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m ${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
	}

	const hours = Math.floor(minutes / 60);
	return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** 14:05 today, or "Tue 08:00" within a week, else 2026-12-24 08:00 — the machine's local time. */
export function formatClockTime(time: number, now = Date.now()): string {
	const date = new Date(time);
	const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
	if (new Date(now).toDateString() === date.toDateString()) {
		return clock;
	}

	if (time > now && time - now < 6 * 86_400_000) {
		return `${date.toLocaleDateString('en', {weekday: 'short'})} ${clock}`;
	}

	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock}`;
}
