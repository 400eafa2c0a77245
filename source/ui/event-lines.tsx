import {Box, Text} from 'ink';
import type {SupervisorEvent} from '../core/supervisor-event.js';
import {describeEvent} from '../reporters/describe-event.js';
import {paint, useDisplay} from './display.js';
import {cleanLine, fit, formatClock} from './format-cells.js';
import {Filler} from './filler.js';
import {SectionRule} from './section-rule.js';

/** Red for what went wrong, yellow for stops and warnings, cyan for changes of scale. */
export function eventColor(event: SupervisorEvent): string | undefined {
	switch (event.type) {
		case 'run-ended': {
			return event.result === 'error' ? 'red' : (event.result === 'stopped' ? 'yellow' : undefined);
		}

		case 'supervisor-error': {
			return 'red';
		}

		case 'run-warning':
		case 'supervisor-warning':
		case 'run-stopping':
		case 'supervisor-stopping': {
			return 'yellow';
		}

		case 'scaled':
		case 'fan-out': {
			return 'cyan';
		}

		default: {
			return undefined;
		}
	}
}

/** "18:55:18 send-emails[0] run 1 ended: more (exit 64) after 1.0s" — the same sentences as `fatc run`. */
export function eventLine(event: SupervisorEvent): string {
	const slot = 'slot' in event ? `[${event.slot}]` : '';
	return `${formatClock(event.time)} ${event.job ?? 'fatc'}${slot} ${cleanLine(describeEvent(event))}`;
}

/** The latest events, newest at the bottom; only as many as fit are rendered. */
export function EventLines({events, height, width}: {events: readonly SupervisorEvent[]; height: number; width: number}) {
	const display = useDisplay();
	const visible = events.slice(-height);
	return (
		<Box flexDirection="column">
			<SectionRule title="Events" width={width}/>
			{visible.length === 0 && <Text dimColor>  no events yet</Text>}
			{visible.map((event, index) => (
				<Text key={index} wrap="truncate" color={paint(display, eventColor(event))}>
					{fit(eventLine(event), width, 'left', display.glyphs.ellipsis)}
				</Text>
			))}
			<Filler lines={height - Math.max(1, visible.length)}/>
		</Box>
	);
}
