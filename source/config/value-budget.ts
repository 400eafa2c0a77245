/** More values than any real config holds; YAML aliases can make a 1 KB file stand for 10^12 of them. */
export const maximumValues = 100_000;

/**
 * Counts the values of a parsed config, following every reference (an alias counts each time it is used), and
 * stops at `limit`: true when the config stays within it. Validation and error messages walk the same graph, so a
 * "billion laughs" alias bomb must be refused before either starts.
 */
export function withinValueBudget(root: unknown, limit = maximumValues): boolean {
	let count = 0;
	const stack: unknown[] = [root];
	while (stack.length > 0) {
		const value = stack.pop();
		count++;
		if (count > limit) {
			return false;
		}

		if (typeof value === 'object' && value !== null) {
			// One push at a time: spreading 100,000 values into push() overflows the call stack.
			for (const child of Array.isArray(value) ? value : Object.values(value)) {
				stack.push(child);
			}
		}
	}

	return true;
}
