/**
 * The exponent k of time ≈ c · N^k: the least-squares slope of log(time) against log(N). Undefined with fewer than
 * two distinct N or a time that is not above 0.
 */
export function growthExponent(points: ReadonlyArray<{runs: number; seconds: number}>): number | undefined {
	const usable = points.filter(point => point.runs > 0 && point.seconds > 0 && Number.isFinite(point.seconds));
	if (new Set(usable.map(point => point.runs)).size < 2) {
		return undefined;
	}

	const xs = usable.map(point => Math.log(point.runs));
	const ys = usable.map(point => Math.log(point.seconds));
	const mean = (values: number[]) => values.reduce((total, value) => total + value, 0) / values.length;
	const meanX = mean(xs);
	const meanY = mean(ys);
	let covariance = 0;
	let variance = 0;
	for (const [index, x] of xs.entries()) {
		covariance += (x - meanX) * (ys[index]! - meanY);
		variance += (x - meanX) ** 2;
	}

	return covariance / variance;
}
