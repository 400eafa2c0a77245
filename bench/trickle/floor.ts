/**
 * The least any supervisor can do for a quantile of the wait when its runs claim only the e-mails present when they
 * look: every claim serves at most ⌊rate·w⌋ + 1 e-mails that waited at most w (arrivals every 1/rate seconds), so with
 * `claims` claims for `emails` e-mails the share waiting ≤ w is at most claims·(⌊rate·w⌋ + 1)/emails. The smallest w
 * that lets `quantile` of them through is the floor. Reaching it takes claims timed to the millisecond after an insert
 * and taking no time themselves.
 */
export function waitFloor(quantile: number, claims: number, emails: number, rate: number): number {
	if (claims <= 0) {
		return Number.POSITIVE_INFINITY;
	}

	return Math.max(0, Math.ceil((quantile * emails) / claims) - 1) / rate;
}

/** The same floor with arrivals at random times (no grid): quantile / (claims per e-mail · rate). */
export function waitFloorRandomArrivals(quantile: number, claimsPerEmail: number, rate: number): number {
	return quantile / (claimsPerEmail * rate);
}
