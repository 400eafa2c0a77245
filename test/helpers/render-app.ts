import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {createElement} from 'react';
import type {SupervisorEvent} from '../../source/core/supervisor-event.js';
import type {TuiSession} from '../../source/ui/tui-session.js';
import {App} from '../../source/ui/app.js';
import type {StubHandle} from './stub-handle.js';
import {waitFor} from './wait-for.js';

export type RenderOptions = {
	columns?: number;
	rows?: number;
	/** Follow the (test) terminal's size and its resize events instead of a fixed size. */
	sizeFollowsTerminal?: boolean;
	unicode?: boolean;
	color?: boolean;
	earlierEvents?: () => SupervisorEvent[];
	session?: TuiSession;
	/** How long a status message shows (ms); default the App's own. */
	statusLifetime?: number;
};

/** Key sequences as a terminal sends them. */
export const keys = {up: '\u001B[A', down: '\u001B[B', pageDown: '\u001B[6~', tab: '\t', enter: '\r', escape: '\u001B', ctrlC: '\u0003'};

/**
 * The TUI on a stub handle, at a fixed size (default 120×30, ASCII, no colour). `frame()` is the last frame without
 * ANSI codes; `waitFor` polls frames (React renders after the key, not during it) and fails with the last frame.
 */
export function renderApp(handle: StubHandle, options: RenderOptions = {}) {
	// createElement, not JSX: tsx applies the react-jsx setting of tsconfig.json only to the files it includes (source/).
	const instance = render(createElement(App, {
		handle,
		capabilities: {unicode: options.unicode ?? false, color: options.color ?? false},
		size: options.sizeFollowsTerminal ? undefined : {columns: options.columns ?? 120, rows: options.rows ?? 30},
		earlierEvents: options.earlierEvents,
		session: options.session,
		statusLifetime: options.statusLifetime,
	}));
	const frame = () => stripVTControlCharacters(instance.lastFrame() ?? '');

	/** Waits until a frame meets `condition` and returns it. */
	async function waitForFrame(condition: (frame: string) => boolean, description: string, timeout = 3000): Promise<string> {
		await waitFor(() => condition(frame()), description, timeout, () => `last frame:\n${frame()}`);
		return frame();
	}

	/** Waits until `condition` holds for the handle (a call was made), then returns. */
	async function waitUntil(condition: () => boolean, description: string, timeout = 3000): Promise<void> {
		await waitFor(condition, description, timeout, () => `last frame:\n${frame()}`);
	}

	/** Waits for the first frame and for the keyboard to be listened to (Ink attaches it after the first render). */
	async function ready(): Promise<string> {
		await waitUntil(() => instance.stdin.listenerCount('readable') > 0, 'the keyboard to be read');
		return waitForFrame(text => text.includes('pid '), 'the first frame');
	}

	function press(key: string): void {
		instance.stdin.write(key);
	}

	return {...instance, frame, waitFor: waitForFrame, waitUntil, ready, press};
}

/** The line of the frame that contains `text`. */
export function lineWith(frame: string, text: string): string {
	return frame.split('\n').find(line => line.includes(text)) ?? '';
}
