/** Edit distance (insertions, deletions, substitutions, swaps of neighbours) between two strings. */
export function editDistance(first: string, second: string): number {
	const rows: number[][] = [];
	for (let row = 0; row <= first.length; row++) {
		rows.push([row]);
	}

	for (let column = 1; column <= second.length; column++) {
		rows[0]![column] = column;
	}

	for (let row = 1; row <= first.length; row++) {
		for (let column = 1; column <= second.length; column++) {
			const cost = first[row - 1] === second[column - 1] ? 0 : 1;
			let best = Math.min(
				rows[row - 1]![column]! + 1,
				rows[row]![column - 1]! + 1,
				rows[row - 1]![column - 1]! + cost,
			);
			if (row > 1 && column > 1 && first[row - 1] === second[column - 2] && first[row - 2] === second[column - 1]) {
				best = Math.min(best, rows[row - 2]![column - 2]! + 1);
			}

			rows[row]![column] = best;
		}
	}

	return rows[first.length]![second.length]!;
}

/**
 * The candidate closest to `word`, when it is close enough to be a typo: case is ignored, and the
 * distance allowed grows with the length (1 for short words, at most 3).
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
	const lowerWord = word.toLowerCase();
	const allowed = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
	let best: string | undefined;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		const distance = editDistance(lowerWord, candidate.toLowerCase());
		if (distance <= allowed && distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}

	return best;
}

/** ` (did you mean "command"?)` or an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
	const match = closestMatch(word, candidates);
	return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
