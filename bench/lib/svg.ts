/** Text made safe inside SVG (XML) elements. */
export function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The start of a chart: the svg element, its style sheet and a white background (the charts of bench/ and media/). */
export function chartHead(width: number, height: number, style: string): string[] {
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
		`<style>${style}</style>`,
		`<rect width="${width}" height="${height}" fill="#ffffff"/>`,
	];
}
