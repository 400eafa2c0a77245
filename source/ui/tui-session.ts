/**
 * How the TUI is attached to the core (SPEC §5): it started the daemon for itself (`owned`: quitting stops every
 * run; `D` hands them off and leaves them running), or it attached to one that was running (`attached`: quitting
 * leaves it running). Without a session (tests, a stub handle) the TUI behaves as `owned` without hand-off.
 */
export type TuiSession = {
	mode: 'owned' | 'attached';
	/** Leaves every run going under the headless daemon; resolves once the daemon took them over. */
	handOff(): Promise<void>;
	/** Disconnects without stopping anything. */
	leave(): void;
};
