/** One cause of a hold (the load, or the hold probe), with the hysteresis of hold-rule.ts. */
export type HoldSource = {
	held: boolean;
	/** While held: since when the cause has been clear (releaseAfter counts from here). */
	clearSince?: number;
	/** The last load per CPU read (load only). */
	perCpu?: number;
	/** Set while the probe fails: the rules then go on as if there were no hold, and said so once. */
	failed?: string;
};

/** How much work waits, and the fan-out it allows (backlog-rule.ts). */
export type BacklogState = {
	/** Undefined until the first good reading, and while the probe fails: no backlog rule applies then. */
	count?: number;
	/** ceil(count / perRun) within min…max, moved at most `step` per `cooldown`. */
	target?: number;
	/** When the target last moved. */
	movedAt: number;
	/** Set while the probe fails. */
	failed?: string;
};

/** What a job knows of the world around its runs (SPEC §6). */
export type WorldState = {
	load: HoldSource;
	probe: HoldSource;
	/** Since when the job is held (by either cause); undefined when it is not. */
	heldSince?: number;
	backlog: BacklogState;
	/** While inside a quiet window: when it ends and the runs it allows. */
	quiet?: {until: number; instances: number};
	/** `quiet` holds until this time (the next opening or closing): a pass before it need not ask croner again. */
	quietValidUntil?: number;
	/** The last wake (a touched file): a run that started before it and ends `done` did not see the new work. */
	wokenAt?: number;
};

export function createWorldState(): WorldState {
	return {load: {held: false}, probe: {held: false}, backlog: {movedAt: 0}};
}
