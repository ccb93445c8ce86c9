/**
 * The Recorder panel's "Export as Homeostat recording": a Chrome Recorder flow converted to
 * Homeostat's recording format by the very importer `homeostat replay` uses
 * (src/replay/chrome-recorder.ts), so what the Recorder exports replays exactly as an imported
 * Recorder file would, and a flow the importer cannot replay faithfully fails here with the same
 * message naming the step and field, instead of producing a file that fails later.
 */
import { fromChromeRecorder } from '../../src/replay/chrome-recorder.ts';

export const RECORDER_EXPORT_NAME = 'Export as Homeostat recording';
export const RECORDER_MEDIA_TYPE = 'application/json';

export interface RecorderExportPlugin {
  stringify(recording: Record<string, unknown>): Promise<string>;
  stringifyStep(step: Record<string, unknown>): Promise<string>;
}

export function recorderExportPlugin(): RecorderExportPlugin {
  return {
    async stringify(recording) {
      return `${JSON.stringify(fromChromeRecorder(recording), null, 2)}\n`;
    },
    async stringifyStep(step) {
      // One Recorder step may become several of ours (a navigation with an asserted URL), or
      // none (a viewport, folded into the recording's own): the Recorder shows what it becomes.
      const { steps } = fromChromeRecorder({ title: 'step', steps: [step] });
      return steps.map((s) => JSON.stringify(s)).join(',\n');
    },
  };
}

/** Registers the export with the Recorder panel, where the browser has one (Chrome 105+). */
export function registerRecorderExport(recorder: Pick<typeof chrome.devtools.recorder, 'registerRecorderExtensionPlugin'> | undefined): boolean {
  if (!recorder?.registerRecorderExtensionPlugin) return false;
  recorder.registerRecorderExtensionPlugin(recorderExportPlugin(), RECORDER_EXPORT_NAME, RECORDER_MEDIA_TYPE);
  return true;
}
