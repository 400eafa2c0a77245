import {createRequire} from 'node:module';
import type * as PromClient from 'prom-client';

const require = createRequire(import.meta.url);

// prom-client's index also loads its default metrics, the push gateway's HTTPS and OpenTelemetry: ~60 ms at the start
// of every fatc, `fatc status` included. Its four classes alone load in ~7 ms.
export const Registry = require('prom-client/lib/registry') as typeof PromClient.Registry;
export const Counter = require('prom-client/lib/counter') as typeof PromClient.Counter;
export const Gauge = require('prom-client/lib/gauge') as typeof PromClient.Gauge;
export const Histogram = require('prom-client/lib/histogram') as typeof PromClient.Histogram;
export type Registry = PromClient.Registry;
