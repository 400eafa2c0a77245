/** The value below which `fraction` of the samples lie (nearest rank), or undefined for no samples. */
export function percentile(samples: readonly number[], fraction: number): number | undefined {
	if (samples.length === 0) {
		return undefined;
	}

	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
	return sorted[rank];
}

export function maximum(samples: readonly number[]): number | undefined {
	return samples.length === 0 ? undefined : Math.max(...samples);
}
