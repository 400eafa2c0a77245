/**
 * Imports a module that loads React (the TUI, the fleet view) with NODE_ENV=production unless the user set one, then
 * gives fatc back its own environment, which its runs inherit. React and Ink's reconciler pick their build when first
 * loaded, from NODE_ENV, and the development one keeps data about every render: React 19's performance tracks leave a
 * `PerformanceMeasure` with a diff of the changed props for each component render, never cleared. A TUI with 50 runs
 * churning grew ~9 MB a second that way, and one run with a 128 MB heap died of it in 40 s.
 */
export async function importWithProductionReact<Module>(load: () => Promise<Module>): Promise<Module> {
	const given = process.env.NODE_ENV;
	process.env.NODE_ENV ??= 'production';
	try {
		return await load();
	} finally {
		if (given === undefined) {
			delete process.env.NODE_ENV;
		}
	}
}
