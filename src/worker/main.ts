/** Entry point of the dedicated worker: the telemetry service behind comlink, backed by IndexedDB. */
import * as Comlink from 'comlink';
import { IdbStore } from '../store/idb.ts';
import { TelemetryService } from './service.ts';

Comlink.expose(new TelemetryService(() => IdbStore.open()));
